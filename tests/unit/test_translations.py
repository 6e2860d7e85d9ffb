"""Catalogs are current and complete; the language follows the system locale; Babel formats per language."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from autoservice_desk import formatting, i18n
from autoservice_desk.i18n import _, ngettext

ROOT = Path(__file__).resolve().parents[2]


def _catalog_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_template_is_current_placeholders_match_and_russian_is_complete() -> None:
    assert _catalog_tool().problems() == []


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "ru:en", "LANG": "en_US.UTF-8"}, "ru"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_auto_language_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.resolve_language("auto") == expected


def test_russian_catalog_is_compiled_and_used(isolated_home: Path) -> None:
    assert i18n.install_language("ru", isolated_home / "cache") == "ru"
    assert _("Wrong login or password.") == "Неверный логин или пароль."
    assert (isolated_home / "cache" / "locale" / "ru" / "LC_MESSAGES" / "autoservice_desk.mo").exists()
    i18n.install_language("en", isolated_home / "cache")
    assert _("Wrong login or password.") == "Wrong login or password."


def test_russian_plural_forms(isolated_home: Path) -> None:
    i18n.install_language("ru", isolated_home / "cache")
    forms = [ngettext("{count} client", "{count} clients", n).format(count=n) for n in (1, 3, 5, 21)]
    assert forms == ["1 клиент", "3 клиента", "5 клиентов", "21 клиент"]


def test_money_and_dates_follow_the_language(isolated_home: Path) -> None:
    moment = datetime(2026, 11, 22, 9, 5, tzinfo=UTC)
    i18n.install_language("ru", isolated_home / "cache")
    assert formatting.format_money(Decimal("12450.00")) == "12\xa0450,00\xa0₽"
    assert formatting.format_date(date(2026, 11, 22)) == "22.11.2026"
    assert formatting.format_datetime(moment, "Europe/Moscow") == "22.11.2026, 12:05"
    i18n.install_language("en", isolated_home / "cache")
    assert formatting.format_money(Decimal("12450.00")) == "RUB12,450.00"
