"""Phone numbers: whatever a person types in, stored as E.164 (`+79123456789`)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ValidationError

FIELD = "phone"
# Digits (any script: phonenumbers folds full-width and other digits), spaces, a plus, brackets and dashes.
# Letters are refused on purpose: phonenumbers would read "8 912 DEF" as a keypad word, and an extension
# ("доб. 12") cannot be kept in E.164.
_NOT_PHONE_CHARACTER = re.compile(r"[^\d\s+()./\-‐‑‒–—−]")
# Longer than any number plus generous punctuation; spares phonenumbers a pasted page of text.
_MAX_INPUT = 64
# A Russian number typed any usual way: +7 / 7 / 8 or nothing, then ten digits of a geographic or mobile code.
_RUSSIAN_NUMBER = re.compile(r"(?:\+7|7|8)?([3489]\d{9})")
_PUNCTUATION = re.compile(r"[\s()./\-‐‑‒–—−]")


def parse_phone(text: str, default_region: str = "RU") -> str:
    """Return *text* as an E.164 number; numbers without a country code belong to *default_region*.

    Russian numbers are accepted the ways people type them: `8 (912) 345-67-89`, `+7 912 345 67 89`,
    `912 345 67 89`, `7 912 ...`, landlines with their area code (`8 343 123-45-67`); `810` dials abroad.
    Raises `ValidationError` (field "phone") for anything that is not a valid number.
    """
    stripped = text.strip()
    if not stripped:
        raise ValidationError(_("Enter a phone number."), FIELD)
    bad = _NOT_PHONE_CHARACTER.search(stripped)
    if bad is not None:
        raise ValidationError(
            _("A phone number may contain only digits, spaces, brackets, dashes and a leading “+”."), FIELD
        )
    if len(stripped) > _MAX_INPUT:
        raise ValidationError(_("The phone number is too long."), FIELD)
    if default_region == "RU" and (match := _RUSSIAN_NUMBER.fullmatch(_PUNCTUATION.sub("", stripped))):
        e164 = "+7" + match.group(1)
        if _russian_range_valid(e164[:7], e164):
            return e164
    try:
        number = phonenumbers.parse(stripped, default_region)
    except NumberParseException as error:
        raise ValidationError(_parse_error_message(error.error_type), FIELD) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != ValidationResult.IS_POSSIBLE:
        raise ValidationError(_impossible_number_message(reason), FIELD)
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("There is no such phone number: check the digits and the area code."), FIELD)
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


_RANGE_VALIDITY: dict[str, bool] = {}


def _russian_range_valid(prefix: str, example: str) -> bool:
    """Whether the numbers of a 5-digit Russian code range are valid, judged by the first one met.

    Russian numbering is by ranges of the first digits, all ten digits long, so one number answers for its
    range. An import of 100,000 rows then asks phonenumbers a few hundred times instead of 100,000 (it costs
    about 0.2 ms a number). A range judged invalid takes the full path, which gives the precise message.
    """
    known = _RANGE_VALIDITY.get(prefix)
    if known is None:
        try:
            known = bool(phonenumbers.is_valid_number(phonenumbers.parse(example, None)))
        except NumberParseException:
            known = False
        _RANGE_VALIDITY[prefix] = known  # at most 40,000 ranges: a bounded cache
    return known


def format_phone(e164: str) -> str:
    """An E.164 number for display (`+7 912 345-67-89`); a stored value that does not parse is shown as it is."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return str(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))


def _parse_error_message(error_type: int) -> str:
    if error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return _unknown_country_message()
    if error_type in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD):
        return _("The phone number is too short.")
    if error_type == NumberParseException.TOO_LONG:
        return _("The phone number is too long.")
    return _("This is not a phone number. Type it as 8 912 345-67-89 or +7 912 345-67-89.")


def _impossible_number_message(reason: int) -> str:
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return _unknown_country_message()
    if reason == ValidationResult.TOO_SHORT:
        return _("The phone number is too short.")
    if reason == ValidationResult.TOO_LONG:
        return _("The phone number is too long.")
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return _("The phone number is too short: type it with the area code, as 8 343 123-45-67.")
    return _("The phone number has the wrong number of digits.")


def _unknown_country_message() -> str:
    return _("Unknown country code after “+”. Russian numbers start with +7 or 8.")
