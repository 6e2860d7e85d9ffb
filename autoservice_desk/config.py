"""Settings: one typed declaration of every option, stored as TOML under the platformdirs config dir."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import ConfigurationError, ValidationError

APP_NAME = "autoservice-desk"
SETTINGS_VERSION = 1
T = TypeVar("T", str, int, bool)


@dataclass(frozen=True)
class Paths:
    """Where this desk keeps its files; `AUTOSERVICE_HOME` puts them all under one folder (portable, tests)."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @classmethod
    def for_user(cls) -> Paths:
        home = os.environ.get("AUTOSERVICE_HOME")
        if home:
            root = Path(home).expanduser()
            return cls(root / "config", root / "data", root / "cache")
        import platformdirs

        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def default_database(self) -> Path:
        return self.data_dir / "autoservice.sqlite3"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"


@dataclass(frozen=True)
class Option(Generic[T]):
    """One setting: dotted key (`section.name`), type, default, a translatable description and choices."""

    key: str
    type: type[T]
    default: T
    description: str
    choices: tuple[T, ...] = ()
    validate: Callable[[T], str | None] | None = field(default=None, compare=False)

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    def check(self, value: object) -> T:
        """Return *value* as this option's type, or raise a translated ValidationError."""
        if self.type is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise ValidationError(
                _("Setting {key} must be of type {type}.").format(key=self.key, type=self.type.__name__), self.key
            )
        typed: T = value
        if self.choices and typed not in self.choices:
            allowed = ", ".join(str(choice) for choice in self.choices)
            raise ValidationError(
                _("Setting {key} must be one of: {allowed}.").format(key=self.key, allowed=allowed), self.key
            )
        if self.validate is not None and (problem := self.validate(typed)):
            raise ValidationError(problem, self.key)
        return typed


def _digits(count: int, label: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if value and (not value.isdigit() or len(value) != count):
            return _("{label} must be {count} digits.").format(label=_(label), count=count)
        return None

    return check


def _inn(value: str) -> str | None:
    from autoservice_desk.services.requisites import inn_problem

    return inn_problem(value) if value else None


def _timezone(value: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return _("Unknown time zone: {zone}.").format(zone=value)
    return None


DATABASE_URL = Option("database.url", str, "", N_("Database URL; empty means the SQLite file in the data folder"))
BACKUPS_KEPT = Option("database.backups_kept", int, 10, N_("How many automatic SQLite backups to keep"))
LANGUAGE = Option("ui.language", str, "auto", N_("Interface language"), ("auto", "ru", "en"))
SHOP_NAME = Option("shop.name", str, "", N_("Shop name as printed on documents"))
SHOP_LEGAL_NAME = Option("shop.legal_name", str, "", N_("Legal name of the company"))
SHOP_ADDRESS = Option("shop.address", str, "", N_("Shop address"))
SHOP_PHONE = Option("shop.phone", str, "", N_("Shop phone number for clients"))
SHOP_EMAIL = Option("shop.email", str, "", N_("Shop e-mail"))
SHOP_INN = Option("shop.inn", str, "", N_("INN (taxpayer number)"), validate=_inn)
SHOP_KPP = Option("shop.kpp", str, "", N_("KPP (registration reason code)"), validate=_digits(9, N_("KPP")))
SHOP_OGRN = Option("shop.ogrn", str, "", N_("OGRN (state registration number)"))
SHOP_BANK = Option("shop.bank_name", str, "", N_("Bank name"))
SHOP_BIK = Option("shop.bik", str, "", N_("Bank BIK"), validate=_digits(9, N_("BIK")))
SHOP_ACCOUNT = Option("shop.account", str, "", N_("Settlement account"), validate=_digits(20, N_("Account")))
SHOP_CORR_ACCOUNT = Option(
    "shop.corr_account", str, "", N_("Correspondent account"), validate=_digits(20, N_("Correspondent account"))
)
SHOP_TIMEZONE = Option("shop.timezone", str, "Europe/Moscow", N_("Shop time zone"), validate=_timezone)
SHOP_CURRENCY = Option("shop.currency", str, "RUB", N_("Currency"), ("RUB", "KZT", "BYN", "UZS", "EUR", "USD"))
SHOP_VAT_MODE = Option(
    "shop.vat_mode", str, "vat20", N_("VAT mode"), ("vat20", "vat20_included", "vat5", "vat7", "no_vat")
)


def _positive(value: int) -> str | None:
    return _("The value must be greater than zero.") if value <= 0 else None


# Client segments (services.segments documents the rules these feed).
SEGMENT_NEW_DAYS = Option(
    "clients.new_within_days", int, 90, N_("A client is new for this many days after the first visit"),
    validate=_positive,
)  # fmt: skip
SEGMENT_LOST_DAYS = Option(
    "clients.lost_after_days", int, 365, N_("A client is lost after this many days without a visit"),
    validate=_positive,
)  # fmt: skip
SEGMENT_LOYAL_VISITS = Option(
    "clients.loyal_min_visits", int, 5, N_("A client is loyal from this many visits"), validate=_positive
)

OPTIONS: tuple[Option[Any], ...] = (
    DATABASE_URL, BACKUPS_KEPT, LANGUAGE,
    SHOP_NAME, SHOP_LEGAL_NAME, SHOP_ADDRESS, SHOP_PHONE, SHOP_EMAIL, SHOP_INN, SHOP_KPP, SHOP_OGRN,
    SHOP_BANK, SHOP_BIK, SHOP_ACCOUNT, SHOP_CORR_ACCOUNT, SHOP_TIMEZONE, SHOP_CURRENCY, SHOP_VAT_MODE,
    SEGMENT_NEW_DAYS, SEGMENT_LOST_DAYS, SEGMENT_LOYAL_VISITS,
)  # fmt: skip
OPTIONS_BY_KEY = {option.key: option for option in OPTIONS}
SHOP_OPTIONS = tuple(option for option in OPTIONS if option.section == "shop")


def _upgrade_from_0(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 0 files (before versioning) need nothing but the version stamp."""
    return raw


# Each function turns a file of version N into version N + 1.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _upgrade_from_0}


class Settings:
    """The option values of this desk; unknown keys in the file are kept, never lost on save."""

    def __init__(self, values: dict[str, Any] | None = None, path: Path | None = None) -> None:
        self._values: dict[str, Any] = dict(values or {})
        self.path = path

    def get(self, option: Option[T]) -> T:
        value = self._values.get(option.key, option.default)
        try:
            return option.check(value)
        except ValidationError:
            return option.default  # a hand-edited bad value must not stop the app

    def set(self, option: Option[T], value: object) -> None:
        self._values[option.key] = option.check(value)

    def as_dict(self) -> dict[str, Any]:
        return {option.key: self.get(option) for option in OPTIONS}

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read *path*; a missing file gives the defaults, a broken one a clear ConfigurationError."""
        if not path.exists():
            return cls({}, path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
            raise ConfigurationError(
                _("The settings file {path} cannot be read: {error}").format(path=path, error=error)
            ) from error
        version = int(raw.pop("settings_version", 0))
        while version < SETTINGS_VERSION:
            raw = UPGRADES[version](raw)
            version += 1
        flat: dict[str, Any] = {}
        for section, entries in raw.items():
            if isinstance(entries, dict):
                for name, value in entries.items():
                    flat[f"{section}.{name}"] = value
        return cls(flat, path)

    def save(self, path: Path | None = None) -> None:
        """Write the settings atomically (a crash mid-write never leaves half a file)."""
        import tomli_w

        target = path or self.path
        if target is None:
            raise ConfigurationError(_("No settings file to save to."))
        nested: dict[str, Any] = {"settings_version": SETTINGS_VERSION}
        for key, value in sorted(self._values.items()):
            section, name = key.split(".", 1)
            nested.setdefault(section, {})[name] = value
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(".tmp")
            temporary.write_text(tomli_w.dumps(nested), encoding="utf-8")
            temporary.replace(target)
        except OSError as error:
            raise ConfigurationError(
                _("The settings cannot be saved to {path}: {error}").format(path=target, error=error.strerror)
            ) from error
