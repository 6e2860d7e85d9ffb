"""Saving settings: all values checked before any is written; database passwords only in the secret store."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from autoservice_desk.config import DATABASE_URL, SHOP_INN, SHOP_KPP, SHOP_NAME
from autoservice_desk.credentials import SERVICE_NAME, database_secret_name
from autoservice_desk.services.errors import SecretStorageUnavailableError, ValidationError
from autoservice_desk.services.preferences import (
    DatabaseUrlParts,
    SettingsValidationError,
    compose_database_url,
    database_url_parts,
    save_database_password,
    save_database_settings,
    update_settings,
)
from autoservice_desk.services.startup import Environment


@pytest.fixture
def environment() -> Environment:
    return Environment.load()


def test_one_bad_value_saves_nothing_and_every_problem_is_listed(environment: Environment) -> None:
    with pytest.raises(SettingsValidationError) as caught:
        update_settings(environment, {SHOP_NAME.key: "Garage", SHOP_INN.key: "123", SHOP_KPP.key: "1", "no.such": 1})
    assert caught.value.field == SHOP_INN.key
    assert set(caught.value.problems) == {SHOP_INN.key, SHOP_KPP.key, "no.such"}
    assert all(problem in str(caught.value) for problem in caught.value.problems.values())
    assert not environment.paths.settings_file.exists()
    assert environment.settings.get(SHOP_NAME) == ""


def test_valid_values_are_saved_together(environment: Environment) -> None:
    update_settings(environment, {SHOP_NAME.key: "Garage", SHOP_INN.key: "7707083893"})
    assert environment.settings.get(SHOP_NAME) == "Garage"
    reloaded = Environment.load()
    assert reloaded.settings.get(SHOP_NAME) == "Garage" and reloaded.settings.get(SHOP_INN) == "7707083893"


def test_a_password_in_the_url_goes_to_the_keyring_not_the_file(environment: Environment) -> None:
    described = save_database_settings(environment, "postgresql://desk:s3cret@db.local:5433/shop")
    assert described == "PostgreSQL: db.local:5433/shop"
    assert environment.settings.get(DATABASE_URL) == "postgresql+psycopg://desk@db.local:5433/shop"
    assert "s3cret" not in environment.paths.settings_file.read_text(encoding="utf-8")
    assert keyring.get_password(SERVICE_NAME, database_secret_name("desk", "db.local", 5433, "shop")) == "s3cret"


def test_the_default_sqlite_file_is_stored_as_empty(environment: Environment) -> None:
    save_database_settings(environment, str(environment.paths.default_database))
    assert environment.settings.get(DATABASE_URL) == ""


def test_a_bad_url_is_a_validation_error_on_the_url_field(environment: Environment) -> None:
    with pytest.raises(ValidationError) as caught:
        save_database_settings(environment, "oracle://x@y/z")
    assert caught.value.field == DATABASE_URL.key
    assert not environment.paths.settings_file.exists()


def test_without_a_keyring_nothing_is_saved_until_session_only_is_allowed(environment: Environment) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(SecretStorageUnavailableError):
        save_database_settings(environment, "postgresql://desk@db.local/shop", "pw")
    assert not environment.paths.settings_file.exists()
    environment.secrets.allow_session_only()
    save_database_settings(environment, "postgresql://desk@db.local/shop", "pw")
    assert environment.secrets.get(database_secret_name("desk", "db.local", None, "shop")) == "pw"


def test_sqlite_has_no_password(environment: Environment) -> None:
    with pytest.raises(ValidationError):
        save_database_password(environment, "sqlite:////tmp/x.sqlite3", "pw")


def test_url_parts_round_trip(environment: Environment) -> None:
    parts = database_url_parts(environment, "postgresql://anna@server:6432/cars")
    assert parts == DatabaseUrlParts("postgresql", "", "server", 6432, "cars", "anna")
    assert compose_database_url(parts) == "postgresql://anna@server:6432/cars"
    assert compose_database_url(parts, "p@ss") == "postgresql://anna:p%40ss@server:6432/cars"
    assert database_url_parts(environment, "") == DatabaseUrlParts("sqlite")
