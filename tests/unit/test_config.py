"""Settings are typed, validated, stored as TOML atomically; secrets never reach the file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from autoservice_desk import config
from autoservice_desk.credentials import SecretStore
from autoservice_desk.services.errors import ConfigurationError, SecretStorageUnavailableError, ValidationError
from autoservice_desk.services.requisites import inn_problem


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = config.Settings.load(tmp_path / "missing.toml")
    assert settings.get(config.SHOP_TIMEZONE) == "Europe/Moscow"
    assert settings.get(config.SHOP_VAT_MODE) == "vat20"
    assert settings.get(config.LANGUAGE) == "auto"


def test_values_round_trip_through_toml(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    settings = config.Settings.load(path)
    settings.set(config.SHOP_NAME, "Автосервис «Колесо»")
    settings.set(config.SHOP_INN, "7707083893")
    settings.set(config.BACKUPS_KEPT, "5")
    settings.save()
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw["settings_version"] == config.SETTINGS_VERSION
    assert raw["shop"]["name"] == "Автосервис «Колесо»"
    again = config.Settings.load(path)
    assert again.get(config.SHOP_NAME) == "Автосервис «Колесо»" and again.get(config.BACKUPS_KEPT) == 5


@pytest.mark.parametrize(
    ("option", "value"),
    [
        (config.SHOP_INN, "7707083894"),
        (config.SHOP_KPP, "12345"),
        (config.SHOP_TIMEZONE, "Mars/Olympus"),
        (config.SHOP_VAT_MODE, "vat99"),
        (config.BACKUPS_KEPT, "many"),
    ],
)
def test_bad_values_are_refused(option: config.Option, value: object) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError):
        config.Settings().set(option, value)


def test_inn_check_digits() -> None:
    assert inn_problem("7707083893") is None  # Sberbank
    assert inn_problem("500100732259") is None  # a valid 12-digit INN
    assert inn_problem("500100732258") is not None
    assert inn_problem("12345") is not None


def test_a_broken_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[shop\nname = ", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="cannot be read"):
        config.Settings.load(path)


def test_a_hand_edited_bad_value_falls_back_to_the_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[shop]\nvat_mode = "whatever"\n', encoding="utf-8")
    assert config.Settings.load(path).get(config.SHOP_VAT_MODE) == "vat20"


def test_paths_follow_autoservice_home(isolated_home: Path) -> None:
    paths = config.Paths.for_user()
    assert paths.settings_file == isolated_home / "config" / "settings.toml"
    assert paths.default_database.parent == isolated_home / "data"


def test_secrets_go_to_the_keyring() -> None:
    store = SecretStore()
    store.set("db:postgres@h:5432/shop", "s3cret")
    assert keyring.get_password("autoservice-desk", "db:postgres@h:5432/shop") == "s3cret"
    assert SecretStore().get("db:postgres@h:5432/shop") == "s3cret"


def test_without_a_keyring_secrets_are_kept_only_when_allowed() -> None:
    keyring.set_keyring(fail.Keyring())
    store = SecretStore()
    assert not store.keyring_available
    with pytest.raises(SecretStorageUnavailableError, match="session only"):
        store.set("api", "key")
    store.allow_session_only()
    store.set("api", "key")
    assert store.get("api") == "key" and store.session_only
    assert SecretStore().get("api") is None  # nothing was written anywhere
