"""Small helpers the identity parsers share."""

from __future__ import annotations


def without_whitespace(text: str) -> str:
    """*text* with every kind of whitespace removed (pasted values bring no-break spaces and newlines)."""
    return "".join(text.split())


def shown(character: str) -> str:
    """A character as an error message can show it: invisible ones by their code point."""
    if character.isprintable() and not character.isspace():
        return character
    return f"U+{ord(character):04X}"
