"""Text folding shared by parsers and search: case and ё, Latin/Cyrillic lookalikes, digits."""

from __future__ import annotations

# Letters that look the same in both alphabets. Plates use the Cyrillic side (ГОСТ Р 50577 allows only these
# twelve); VINs use the Latin side (a VIN typed on a Russian keyboard layout comes in Cyrillic).
LOOKALIKE_PAIRS = (
    ("A", "А"), ("B", "В"), ("E", "Е"), ("K", "К"), ("M", "М"), ("H", "Н"),
    ("O", "О"), ("P", "Р"), ("C", "С"), ("T", "Т"), ("Y", "У"), ("X", "Х"),
)  # fmt: skip
LATIN_TO_CYRILLIC = str.maketrans({latin: cyrillic for latin, cyrillic in LOOKALIKE_PAIRS})
CYRILLIC_TO_LATIN = str.maketrans({cyrillic: latin for latin, cyrillic in LOOKALIKE_PAIRS})
PLATE_LETTERS = frozenset(cyrillic for _latin, cyrillic in LOOKALIKE_PAIRS)
_SEPARATORS = str.maketrans("", "", " \t-_.·/\\|")


def fold_text(text: str) -> str:
    """Case-insensitive, ё = е, single spaces: the form names are stored and searched in.

    Done in Python because SQLite's lower() and LIKE fold only ASCII letters.
    """
    return " ".join(text.casefold().replace("ё", "е").split())


def digits_only(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


def compact_upper(text: str) -> str:
    """Upper case without spaces, dashes, dots and slashes (`a 123 bc-77` → `A123BC77`)."""
    return text.upper().translate(_SEPARATORS)


def plate_key(text: str) -> str:
    """A plate as stored and searched: compact, upper case, Latin lookalikes turned Cyrillic."""
    return compact_upper(text).translate(LATIN_TO_CYRILLIC)


def vin_key(text: str) -> str:
    """A VIN as stored and searched: compact, upper case, Cyrillic lookalikes turned Latin."""
    return compact_upper(text).translate(CYRILLIC_TO_LATIN)


def article_key(text: str) -> str:
    """A part number as stored and searched: letters and digits only, upper case, Cyrillic lookalikes Latin.

    `0 986 494-104`, `0986494104` and `0986.494.104` are one article; so are `OC 90` typed in either layout.
    """
    return "".join(character for character in text.upper().translate(CYRILLIC_TO_LATIN) if character.isalnum())


def brand_key(text: str) -> str:
    """A brand as matched: upper case, no separators (`Mann-Filter` = `MANN FILTER` = `mannfilter`)."""
    return article_key(text)
