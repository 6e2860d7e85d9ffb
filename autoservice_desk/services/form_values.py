"""Checking typed form values (text, decimal amounts, years) into a dict of problems keyed by field."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from autoservice_desk.i18n import _

FIRST_CAR_YEAR = 1900
_CURRENCY = re.compile(r"\s*(₽|руб\.?|р\.?)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]")  # Russian number formats group thousands with (narrow) no-break spaces


def clean_text(value: str, limit: int, field: str, problems: dict[str, str], *, required: str | None = None) -> str:
    """*value* with single spaces; a problem when longer than *limit*, or empty and *required* (its message)."""
    cleaned = " ".join(value.split())
    if not cleaned and required is not None:
        problems[field] = required
    elif len(cleaned) > limit:
        problems[field] = _("No more than {count} characters.").format(count=limit)
    return cleaned


def parse_decimal(text: str | Decimal) -> Decimal | None:
    """A number typed the Russian or the English way (`1 234,5`, `1234.5`, `1234,50 ₽`); None when it is not one."""
    if isinstance(text, Decimal):
        return text if text.is_finite() else None
    compact = _SPACES.sub("", _CURRENCY.sub("", text)).replace(",", ".")
    if not compact:
        return None
    try:
        value = Decimal(compact)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def clean_amount(
    text: str | Decimal,
    field: str,
    problems: dict[str, str],
    *,
    places: int,
    maximum: Decimal,
    positive: bool,
    message: str,
) -> Decimal:
    """A decimal with at most *places* places, above zero (*positive*) or not negative, up to *maximum*.

    Any breach records *message* (one sentence saying what is expected) and returns zero, so the caller can go on
    checking the other fields and report them all at once.
    """
    value = parse_decimal(text)
    unit = Decimal(1).scaleb(-places)
    if value is None or value != value.quantize(unit) or value > maximum or (value <= 0 if positive else value < 0):
        problems[field] = message
        return Decimal(0).quantize(unit)
    return value.quantize(unit)


def clean_year(text: str | int | None, field: str, problems: dict[str, str], *, last: int) -> int | None:
    """A model year from FIRST_CAR_YEAR to *last*, or None when empty."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    raw = str(text).strip()
    if raw.endswith(".0"):  # a year cell some spreadsheets save as a number
        raw = raw[:-2]
    if not raw.isdigit() or not FIRST_CAR_YEAR <= int(raw) <= last:
        problems[field] = _("The year is from {first} to {last}.").format(first=FIRST_CAR_YEAR, last=last)
        return None
    return int(raw)
