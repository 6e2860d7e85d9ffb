"""Money, numbers and dates formatted with Babel for the active language (Qt-free, used by screens and PDFs)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from autoservice_desk.i18n import current_language

_BABEL_LOCALES = {"ru": "ru_RU", "en": "en_GB"}


def babel_locale() -> str:
    return _BABEL_LOCALES.get(current_language(), "en_GB")


def format_money(amount: Decimal, currency: str = "RUB") -> str:
    """`12 450,00 ₽` in Russian, `RUB 12,450.00` in English; always two decimals, never via float."""
    from babel.numbers import format_currency

    return str(format_currency(amount, currency, locale=babel_locale()))


def format_number(value: Decimal | int, places: int | None = None) -> str:
    from babel.numbers import format_decimal

    if places is None:
        return str(format_decimal(value, locale=babel_locale()))
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return str(format_decimal(value, format=pattern, locale=babel_locale()))


def format_date(value: date) -> str:
    """`22.11.2026` in Russian, `22 Nov 2026` in English."""
    from babel.dates import format_date as babel_format_date

    pattern = "dd.MM.yyyy" if current_language() == "ru" else "medium"
    return str(babel_format_date(value, format=pattern, locale=babel_locale()))


def format_datetime(value: datetime, zone: tzinfo | str = "Europe/Moscow") -> str:
    """A stored UTC moment shown in the shop's time zone."""
    from babel.dates import format_datetime as babel_format_datetime

    local_zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    return str(babel_format_datetime(value.astimezone(local_zone), format="short", locale=babel_locale()))


def weekday_names() -> list[str]:
    """Monday to Sunday, capitalised, in the active language (Babel, not Qt: Qt's locale is the PC's)."""
    from babel.dates import get_day_names

    names = get_day_names("wide", context="stand-alone", locale=babel_locale())
    return [str(names[day]).capitalize() for day in range(7)]
