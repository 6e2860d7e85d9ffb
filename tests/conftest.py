"""Shared fixtures: an isolated home per test, an in-memory keyring, fresh SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.i18n import install_language
from autoservice_desk.services import schema
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

PG_ADMIN_URL = os.environ.get("AUTOSERVICE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the tests end (never the developer's real keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own settings, data and cache folders and starts in English."""
    home = tmp_path / "home"
    monkeypatch.setenv("AUTOSERVICE_HOME", str(home))
    monkeypatch.delenv("AUTOSERVICE_DB_URL", raising=False)
    install_language("en", home / "cache")
    yield home
    install_language("en", home / "cache")


# --- PostgreSQL ------------------------------------------------------------------------------------------------


def _admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


@pytest.fixture(scope="session")
def postgresql_available() -> bool:
    try:
        engine = _admin_engine()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception as error:  # noqa: BLE001 - any failure means "no server here"
        if IN_CI:
            pytest.fail(f"PostgreSQL must be reachable under CI=true ({PG_ADMIN_URL}): {error}", pytrace=False)
        return False


class PostgresDatabases:
    """Creates databases named asd_test_<session>_<n> and drops them all at the end of the session."""

    def __init__(self) -> None:
        self.prefix = f"asd_test_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []
        self._template: str | None = None

    def url(self, name: str) -> str:
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        engine = _admin_engine()
        with engine.connect() as connection:
            suffix = f" TEMPLATE {template}" if template else ""
            connection.exec_driver_sql(f"CREATE DATABASE {name}{suffix}")
        engine.dispose()
        self.created.append(name)
        return name

    def migrated(self) -> str:
        """A fresh database with the current schema (copied from a template migrated once per session)."""
        if self._template is None:
            self._template = self.create()
            url = self.url(self._template)
            engine = create_database_engine(parse_database_url(url, Path("unused")))
            schema.upgrade(engine, parse_database_url(url, Path("unused")), None)
            engine.dispose()
        return self.create(template=self._template)

    def drop_all(self) -> None:
        engine = _admin_engine()
        with engine.connect() as connection:
            for name in reversed(self.created):
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_databases(postgresql_available: bool) -> Iterator[PostgresDatabases]:
    if not postgresql_available:
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL} (set AUTOSERVICE_TEST_PG_URL)")
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


# --- SQLite ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    target = parse_database_url(str(path), path)
    engine = create_database_engine(target)
    schema.upgrade(engine, target, None)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file we copy
    return path


# --- Per-test databases ----------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_database_url(dialect: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A URL of a new, empty database of *dialect* (no schema)."""
    if dialect == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    return databases.url(databases.create())


@pytest.fixture
def database_url(dialect: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A URL of a new database of *dialect* with the current schema."""
    if dialect == "sqlite":
        path = tmp_path / "shop.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    return databases.url(databases.migrated())


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[UnitOfWorkFactory]:
    engine = create_database_engine(parse_database_url(database_url, Path("unused")))
    yield UnitOfWorkFactory(engine)
    engine.dispose()
