"""Registration plates: Russian ones (ГОСТ Р 50577) normalised to Cyrillic, foreign ones kept as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.identity._common import shown, without_whitespace
from autoservice_desk.services.text_keys import PLATE_LETTERS, compact_upper, plate_key

FIELD = "plate"
PLATE_MIN_LENGTH = 2
PLATE_MAX_LENGTH = 12
PlateKind = Literal["russian", "other"]

_REGION = "(?P<region>[0-9]{2,3})"


def _layouts(letter: str) -> tuple[re.Pattern[str], ...]:
    """The Russian plate layouts we recognise, with *letter* as the pattern of one series letter."""
    return (
        re.compile(f"{letter}(?P<number>[0-9]{{3}}){letter}{{2}}{_REGION}"),  # type 1, cars: А123ВС77
        re.compile(f"{letter}{{2}}(?P<number>[0-9]{{3}}){_REGION}"),  # type 1Б, taxis and hired buses: АВ12377
        re.compile(f"{letter}{{2}}(?P<number>[0-9]{{4}}){_REGION}"),  # type 2, trailers: АВ123477
        re.compile(f"(?P<number>[0-9]{{4}}){letter}{{2}}{_REGION}"),  # types 3 and 4, tractors, motorcycles
    )


_RUSSIAN_LAYOUTS = _layouts("[" + "".join(sorted(PLATE_LETTERS)) + "]")
# The same layouts with any Cyrillic letter: a plate that fits one but uses, say, Д is a mistyped Russian plate,
# not a foreign one (foreign plates are written in Latin letters).
_CYRILLIC_LAYOUTS = _layouts("[А-ЯЁ]")
# Some people copy the "RUS" printed under the region.
_COUNTRY_SUFFIX = "RUS"
# Three-digit region codes issued so far (102 ... 199, 702 ... 799, 977) begin with these. Used only to read
# `АВ123477` as a trailer of region 77 rather than a taxi of region 477, never to refuse a plate.
_ISSUED_HUNDREDS = frozenset("179")


@dataclass(frozen=True)
class PlateInfo:
    """A plate as stored: Russian plates in Cyrillic with their region, others compact upper case as typed.

    `region` is None for the rare plates whose digits split two ways (`АВ123177`: a taxi of region 177 or a
    trailer of region 77); `АВ123477` is a trailer of region 77, as no region 477 exists.
    """

    plate: str
    kind: PlateKind
    region: str | None


def parse_plate(text: str) -> PlateInfo:
    """Validate and normalise a plate typed any way (Latin lookalikes, spaces, dashes, lower case).

    Russian layouts: type 1 `А123ВС77`/`А123ВС177`, taxi `АВ12377`, trailer `АВ123477`, motorcycle and tractor
    `1234АВ77`. Anything else of 2-12 letters and digits is a foreign ("other") plate, kept as typed. Raises
    `ValidationError` (field "plate").
    """
    compact = compact_upper(without_whitespace(text))
    if not compact:
        raise ValidationError(_("Enter the plate number."), FIELD)
    bad = next((character for character in compact if not (character.isalpha() or character.isdecimal())), None)
    if bad is not None:
        raise ValidationError(
            _("A plate number may contain only letters and digits; “{character}” is not allowed.").format(
                character=shown(bad)
            ),
            FIELD,
        )
    if not PLATE_MIN_LENGTH <= len(compact) <= PLATE_MAX_LENGTH:
        raise ValidationError(
            _("A plate number has 2 to 12 letters and digits; this one has {count}.").format(count=len(compact)),
            FIELD,
        )
    key = plate_key(compact)
    if key.endswith(_COUNTRY_SUFFIX):
        key = key.removesuffix(_COUNTRY_SUFFIX)
    return _russian_plate(key) or PlateInfo(compact, "other", None)


def _russian_plate(key: str) -> PlateInfo | None:
    regions: set[str] = set()
    problem: str | None = None
    for layout in _RUSSIAN_LAYOUTS:
        match = layout.fullmatch(key)
        if match is None:
            continue
        layout_problem = _rule_problem(match["number"], match["region"])
        if layout_problem is None:
            regions.add(match["region"])
        elif problem is None:
            problem = layout_problem
    if len(regions) > 1:
        regions = {region for region in regions if len(region) == 2 or region[0] in _ISSUED_HUNDREDS}
    if regions:
        return PlateInfo(key, "russian", regions.pop() if len(regions) == 1 else None)
    if problem is not None:
        raise ValidationError(problem, FIELD)
    if any(layout.fullmatch(key) for layout in _CYRILLIC_LAYOUTS):
        letter = next((character for character in key if character.isalpha() and character not in PLATE_LETTERS), "")
        raise ValidationError(
            _("Russian plates do not use the letter {letter}; only А, В, Е, К, М, Н, О, Р, С, Т, У, Х.").format(
                letter=letter
            ),
            FIELD,
        )
    return None


def _rule_problem(number: str, region: str) -> str | None:
    """Why a plate that fits a Russian layout cannot be real, or None."""
    if not number.strip("0"):
        return _("Russian plates have no number {number}.").format(number=number)
    if region == "00" or (len(region) == 3 and region.startswith("0")):
        return _("{region} is not a Russian region code.").format(region=region)
    return None
