"""VINs (ISO 3779) decoded with vininfo, and chassis or body numbers of cars made before VINs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from vininfo import Vin
from vininfo.common import Brand, UnsupportedBrand

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.identity._common import shown, without_whitespace
from autoservice_desk.services.text_keys import CYRILLIC_TO_LATIN, LOOKALIKE_PAIRS, PLATE_LETTERS, vin_key

VIN_LENGTH = 17
_CYRILLIC_LOOKALIKES = "".join(cyrillic + cyrillic.lower() for _latin, cyrillic in LOOKALIKE_PAIRS)
# What vin_key can turn into VIN characters: Latin letters, digits, Cyrillic lookalikes and the separators that
# text_keys.compact_upper drops. Anything else is named back to the person rather than silently lost.
_NOT_VIN_INPUT = re.compile(rf"[^0-9A-Za-z{_CYRILLIC_LOOKALIKES}\-_.·/\\|]")
# ISO 3779 leaves these out because they pass for digits; a person who typed one most likely meant the digit.
_FORBIDDEN_LETTERS = {"I": "1", "O": "0", "Q": "0"}
# North America (WMI 1-5) made the position-9 check digit mandatory (49 CFR 565); elsewhere it is optional.
_NORTH_AMERICAN_REGIONS = frozenset("12345")
_CHECK_VALUES = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7, "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}  # fmt: skip
_CHECK_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# Model-year codes of 1980..2009; the same 30 codes repeat from 2010.
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
_YEAR_CYCLE = len(_YEAR_CODES)
# vininfo names some makers by company; the card's make list wants the badge on the car.
_MAKE_BY_MANUFACTURER = {
    "AvtoVAZ": "Lada",
    "Ford Australia": "Ford",
    "Infiniti": "Infiniti",
    "Renault Dacia": "Dacia",
    "Opel/Vauxhall": "Opel",
    "Mercedes Benz": "Mercedes-Benz",
}

CHASSIS_MIN_LENGTH = 5
CHASSIS_MAX_LENGTH = 20
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—−", "-"))
_NOT_CHASSIS_INPUT = re.compile(r"[^0-9A-Za-zА-ЯЁа-яё\-]")


@dataclass(frozen=True)
class VinInfo:
    """A valid VIN and what could be read from it; the decoded parts are suggestions to pre-fill the card.

    `check_digit_ok` is None where the check-digit rule does not apply (position 9 is not a digit or X, or the
    maker is known not to use it). `manufacturer` is vininfo's name of the maker (`AvtoVAZ`), `make` the badge
    (`Lada`) to match against the make list; `country` is in English, as vininfo has it.
    """

    vin: str
    check_digit_ok: bool | None
    warnings: tuple[str, ...]
    manufacturer: str | None
    make: str | None
    model_year: int | None
    country: str | None


@dataclass(frozen=True)
class _Decoded:
    manufacturer: str | None = None
    make: str | None = None
    country: str | None = None
    uses_check_digit: bool = True
    year_index: int = 9


def parse_vin(text: str, *, today: date | None = None) -> VinInfo:
    """Validate and decode a VIN typed any way (Cyrillic lookalikes, spaces, dashes, lower case).

    The check digit is an error for North American VINs and only a warning elsewhere. *today* bounds the model
    year (see `model_year`). Raises `ValidationError` (field "vin").
    """
    vin = _normalised_vin(text)
    decoded = _decode(vin)
    expected = vin_check_digit(vin)
    warnings: list[str] = []
    check_digit_ok: bool | None
    if vin[0] in _NORTH_AMERICAN_REGIONS:
        if vin[8] != expected:
            raise ValidationError(
                _("The check digit (9th character) does not match the rest of the VIN: a character is mistyped."),
                "vin",
            )
        check_digit_ok = True
    elif not decoded.uses_check_digit or not (vin[8].isdigit() or vin[8] == "X"):
        check_digit_ok = None
    else:
        check_digit_ok = vin[8] == expected
        if not check_digit_ok:
            warnings.append(
                _(
                    "The check digit (9th character) does not match. Many makers outside North America do not use"
                    " it, but compare the VIN with the vehicle documents."
                )
            )
    return VinInfo(
        vin=vin,
        check_digit_ok=check_digit_ok,
        warnings=tuple(warnings),
        manufacturer=decoded.manufacturer,
        make=decoded.make,
        model_year=model_year(vin, today=today or date.today(), year_index=decoded.year_index),
        country=decoded.country,
    )


def vin_check_digit(vin: str) -> str:
    """The ISO 3779 / North American check digit ("0"-"9" or "X") of a 17-character VIN (ValueError otherwise)."""
    total = sum(_CHECK_VALUES.get(character, 0) * weight for character, weight in zip(vin, _CHECK_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def model_year(vin: str, *, today: date, year_index: int = 9) -> int | None:
    """The model year coded at position 10 (*year_index* 9), or None where that is not a year code.

    The code repeats every 30 years, so take the latest year not after next year (model year N is sold from
    the middle of year N-1). North American light vehicles also tell the cycle apart by position 7: a digit
    means 1980-2009, a letter 2010-2039; that reading wins when it is not in the future. Many European makers
    do not code the year at all, so this is a suggestion for the card, never a rule.
    """
    index = _YEAR_CODES.find(vin[year_index])
    if index < 0:
        return None
    latest = today.year + 1
    if vin[0] in _NORTH_AMERICAN_REGIONS:
        candidate = 1980 + index + (_YEAR_CYCLE if vin[6].isalpha() else 0)
        if candidate <= latest:
            return candidate
    year = 1980 + index
    while year + _YEAR_CYCLE <= latest:
        year += _YEAR_CYCLE
    return year


def parse_chassis_number(text: str) -> str:
    """A chassis or body number of a car without a VIN: 5-20 letters and digits, dashes kept, upper case.

    Spaces go; Cyrillic lookalikes become Latin when every letter could be Latin (a Russian keyboard layout
    left on), but a number with other Cyrillic letters is kept as typed. Raises `ValidationError` ("chassis").
    """
    compact = without_whitespace(text).translate(_DASHES).strip("-")
    if not compact:
        raise ValidationError(_("Enter the chassis or body number."), "chassis")
    bad = _NOT_CHASSIS_INPUT.search(compact)
    if bad is not None:
        raise ValidationError(
            _("A chassis number may contain only letters, digits and dashes; “{character}” is not allowed.").format(
                character=shown(bad.group())
            ),
            "chassis",
        )
    number = re.sub("-{2,}", "-", compact).upper()
    count = len(number.replace("-", ""))
    if not CHASSIS_MIN_LENGTH <= count <= CHASSIS_MAX_LENGTH:
        raise ValidationError(
            _("A chassis number has 5 to 20 letters and digits; this one has {count}.").format(count=count), "chassis"
        )
    if all(character.isascii() or character in PLATE_LETTERS for character in number):
        number = number.translate(CYRILLIC_TO_LATIN)
    return number


def _normalised_vin(text: str) -> str:
    compact = without_whitespace(text)
    if not compact:
        raise ValidationError(_("Enter the VIN."), "vin")
    bad = _NOT_VIN_INPUT.search(compact)
    if bad is not None:
        raise ValidationError(
            _("A VIN may contain only Latin letters and digits; “{character}” is not allowed.").format(
                character=shown(bad.group())
            ),
            "vin",
        )
    vin = vin_key(compact)
    if len(vin) != VIN_LENGTH:
        raise ValidationError(_("A VIN has 17 characters; this one has {count}.").format(count=len(vin)), "vin")
    for letter, digit in _FORBIDDEN_LETTERS.items():
        if letter in vin:
            raise ValidationError(
                _("A VIN never contains the letter {letter}: it is probably the digit {digit}.").format(
                    letter=letter, digit=digit
                ),
                "vin",
            )
    return vin


def _decode(vin: str) -> _Decoded:
    """What vininfo knows about the maker; nothing at all if it fails on a VIN it does not know."""
    # The maker is named by the WMI (and, for small makers whose WMI ends in 9, by positions 12-14): an import
    # of 100,000 cars decodes a few hundred makers instead of 100,000 VINs.
    return _decode_maker(vin[:3] + (vin[11:14] if vin[2] == "9" else ""), vin)


_MAKERS: dict[str, _Decoded] = {}


def _decode_maker(key: str, vin: str) -> _Decoded:
    known = _MAKERS.get(key)
    if known is None:
        known = _MAKERS[key] = _decode_vin(vin)
    return known


def _decode_vin(vin: str) -> _Decoded:
    try:
        decoded = Vin(vin)
        assembler = decoded.assembler
        country = decoded.country
        uses_check_digit = bool(getattr(assembler, "uses_sae_checkdigit", True))
        year_position = int(getattr(assembler, "year_position", 0))
        year_index = 9 + year_position if 0 <= year_position < 8 else 9
        if isinstance(assembler, UnsupportedBrand):
            return _Decoded(country=country, uses_check_digit=uses_check_digit, year_index=year_index)
        manufacturer = str(assembler.manufacturer)
        return _Decoded(manufacturer, _make(assembler, manufacturer), country, uses_check_digit, year_index)
    except Exception:  # third-party lookup code: a surprise in it must never stop a valid VIN being saved
        return _Decoded()


def _make(assembler: Any, manufacturer: str) -> str | None:
    if manufacturer in _MAKE_BY_MANUFACTURER:
        return _MAKE_BY_MANUFACTURER[manufacturer]
    if isinstance(assembler, Brand) and type(assembler) is not Brand:
        # vininfo's own brand classes (Lada, Nissan, Renault, Opel ...) are named after the make.
        return str(assembler.title)
    make = re.sub(r"\s*\(.*?\)", "", manufacturer).strip()
    # "Subaru / Scion", "Hyundai/Kia": the badge cannot be told from the WMI, so leave the choice to the person.
    return None if not make or "/" in make else make
