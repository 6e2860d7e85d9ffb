"""What a search query means: which index ranges of `client_search_terms` answer it, best first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from autoservice_desk.models.search import TERM_LENGTH
from autoservice_desk.services.search_terms import LEGAL_FORMS, Kind, name_words, next_prefix
from autoservice_desk.services.text_keys import compact_upper, digits_only, fold_text, plate_key, vin_key

MIN_QUERY_CHARACTERS = 2  # one letter matches a twentieth of the shop: show nothing until the second
MIN_PHONE_DIGITS = 4
# Ranks, best first: what the list may group by. Within a rank, the order of the query plan's arms decides.
RANK_EXACT, RANK_NAME_START, RANK_PREFIX, RANK_WORD = 0, 1, 2, 3
NAME_KINDS = (Kind.NAME, Kind.WORD)

_PHONE_LIKE = re.compile(r"[\d\s()+\-.]+")
_VIN_CHARACTERS = frozenset("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")


@dataclass(frozen=True)
class Arm:
    """One index range of one term kind; *also* are LIKE patterns of further words the same term must hold."""

    kind: Kind
    low: str
    high: str | None  # None: the term must equal *low*
    rank: int
    also: tuple[str, ...] = ()


def _prefix(kind: Kind, prefix: str, rank: int, also: tuple[str, ...] = ()) -> Arm:
    prefix = prefix[:TERM_LENGTH]  # terms are cut there too
    return Arm(kind, prefix, next_prefix(prefix), rank, also)


def _word_pattern(word: str) -> str:
    """A LIKE pattern for "a word of the term starts with *word*", matched against " " + term."""
    return "% " + word.replace("_", "\\_") + "%"


def _exact(kind: Kind, term: str) -> Arm:
    return Arm(kind, term[:TERM_LENGTH], None, RANK_EXACT)


# --- What the query is --------------------------------------------------------------------------------------------


def plan_query(query: str) -> list[Arm]:
    """The index ranges to read for *query*, best first; [] when it is too short to mean anything.

    Only digits (and phone punctuation): phone, then plate and VIN tails. Letters and digits: plate, then VIN.
    Letters only: the name from the surname on, then any name word, tag, VIN prefix.
    """
    text = query.strip()
    if sum(character.isalnum() for character in text) < MIN_QUERY_CHARACTERS:
        return []
    if _PHONE_LIKE.fullmatch(text):
        return _digit_arms(digits_only(text))
    compact = compact_upper(text)
    if any(character.isdigit() for character in compact):
        return _vehicle_arms(compact) + _name_arms(text, RANK_WORD)
    return _name_arms(text, RANK_NAME_START) + _vin_prefix_arms(vin_key(compact), min_length=3)


def _as_e164_digits(digits: str) -> str:
    """A whole Russian number typed as 8 912..., 7 912... or 912... becomes 7912...; others stay as typed."""
    if len(digits) == 11 and digits[0] in "78":
        return "7" + digits[1:]
    return "7" + digits if len(digits) == 10 else digits


def _digit_arms(digits: str) -> list[Arm]:
    if len(digits) < MIN_PHONE_DIGITS:  # two or three digits: only the digits of a plate are that short
        return [_prefix(Kind.PLATE_TAIL, digits, RANK_PREFIX)]
    arms: list[Arm] = []
    tail = digits
    if len(digits) >= 10:
        tail = _as_e164_digits(digits)
        arms.append(_exact(Kind.PHONE_TAIL, tail[::-1]))
    arms.append(_prefix(Kind.PHONE_TAIL, tail[::-1], RANK_PREFIX))
    if len(digits) > MIN_PHONE_DIGITS:  # typed from the start: without the trunk 8 or the country code 7
        arms.append(_prefix(Kind.PHONE_START, digits[1:] if digits[0] in "78" else digits, RANK_PREFIX))
    arms.append(_prefix(Kind.VIN_TAIL, digits[::-1], RANK_PREFIX))
    arms.append(_prefix(Kind.PLATE, digits, RANK_PREFIX))  # foreign and motorcycle plates start with digits
    return arms


def _vehicle_arms(compact: str) -> list[Arm]:
    plate, vin = plate_key(compact), vin_key(compact)
    is_vin = set(vin) <= _VIN_CHARACTERS
    arms = [_exact(Kind.PLATE, plate)]
    if is_vin and len(vin) == 17:
        arms.append(_exact(Kind.VIN, vin))
    arms.append(_prefix(Kind.PLATE, plate, RANK_PREFIX))
    if plate[0].isdigit():  # "123ВС" or "123 вс 77": the plate without its first letter
        arms.append(_prefix(Kind.PLATE_TAIL, plate, RANK_PREFIX))
    if is_vin and len(vin) >= MIN_PHONE_DIGITS:
        arms.append(_prefix(Kind.VIN_TAIL, vin[::-1], RANK_PREFIX))
    return arms + _vin_prefix_arms(vin, min_length=MIN_PHONE_DIGITS)


def _vin_prefix_arms(vin: str, min_length: int) -> list[Arm]:
    """`XTA21` (or `ХТА21` typed on a Russian layout) is the start of a VIN."""
    if len(vin) < min_length or not set(vin) <= _VIN_CHARACTERS:
        return []
    return [_prefix(Kind.VIN, vin, RANK_WORD if vin.isalpha() else RANK_PREFIX)]


def _name_arms(text: str, start_rank: int) -> list[Arm]:
    """The name from the surname on, from a later word on, then its words in any order, then tags.

    Several words ("петр иванов", "иванов п"): a NAME or WORD term holds all of a client's name words, so the
    longest query word (the most selective) picks the index range and the others are matched in the same row.
    """
    words = name_words(text)
    if len(words) > 1:  # "ООО Ромашка" is looked for as "Ромашка": legal forms are not indexed
        words = [word for word in words if word not in LEGAL_FORMS] or words
    if not words:
        return []
    joined = " ".join(words)
    arms = [_prefix(Kind.NAME, joined, start_rank), _prefix(Kind.WORD, joined, RANK_WORD)]
    if len(words) > 1:
        driver = max(range(len(words)), key=lambda index: len(words[index]))
        also = tuple(_word_pattern(word) for index, word in enumerate(words) if index != driver)
        arms += [_prefix(kind, words[driver], RANK_WORD, also) for kind in NAME_KINDS]
    return [*arms, _prefix(Kind.TAG, fold_text(text), RANK_WORD)]
