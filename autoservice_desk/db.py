"""Engines and sessions: every SQLite and PostgreSQL specific of connecting lives here."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ConfigurationError, DatabaseUnavailableError

SQLITE_BUSY_TIMEOUT_S = 30
POSTGRESQL_CONNECT_TIMEOUT_S = 5
# PostgreSQL states worth running the whole transaction again for.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
READ_ONLY_OPTION = "autoservice_read_only"


@dataclass(frozen=True)
class DatabaseTarget:
    """A parsed database URL and what to call it on screen."""

    url: URL

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return Path(self.url.database or "")

    def describe(self) -> str:
        """`SQLite: /path/file` or `PostgreSQL: host:port/db` — never the password."""
        if self.is_sqlite:
            return f"SQLite: {self.sqlite_path}"
        return f"PostgreSQL: {self.url.host or 'localhost'}:{self.url.port or 5432}/{self.url.database}"

    def safe_url(self) -> str:
        return self.url.render_as_string(hide_password=True)


def parse_database_url(raw: str, default_sqlite: Path) -> DatabaseTarget:
    """Accept a SQLAlchemy URL, a `postgres://` URL or a plain file path; empty means *default_sqlite*."""
    raw = raw.strip()
    if not raw:
        return DatabaseTarget(URL.create("sqlite", database=str(default_sqlite)))
    if "://" not in raw:
        return DatabaseTarget(URL.create("sqlite", database=str(Path(raw).expanduser().resolve())))
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as error:
        raise ConfigurationError(_("This is not a database URL: {url}").format(url=raw)) from error
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if not url.database:
            raise ConfigurationError(_("The PostgreSQL URL names no database: {url}").format(url=raw))
        return DatabaseTarget(url.set(drivername="postgresql+psycopg"))
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ConfigurationError(_("An in-memory SQLite database would lose everything; give a file path."))
        return DatabaseTarget(url.set(drivername="sqlite", database=str(Path(url.database).expanduser().resolve())))
    raise ConfigurationError(
        _("Database type {kind} is not supported; use SQLite or PostgreSQL.").format(kind=backend)
    )


def _prepare_sqlite_folder(path: Path) -> None:
    """Make sure the SQLite file's folder exists and is writable (WAL needs to create files beside it)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise ConfigurationError(
            _("The database folder {folder} is not writable: {reason}").format(
                folder=folder, reason=error.strerror or error
            )
        ) from error


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself, so writers can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock at the start, so two writers queue on busy_timeout instead
    # of one failing half-way with "database is locked"; read-only work keeps the cheap deferred BEGIN.
    read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_database_engine(target: DatabaseTarget, password: str | None = None) -> Engine:
    """An engine with the pragmas, pool and timeouts a desk app needs on either dialect."""
    if target.is_sqlite:
        _prepare_sqlite_folder(target.sqlite_path)
        engine = create_engine(target.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    url = target.url
    if password is not None and url.password is None:
        url = url.set(password=password)
    return create_engine(
        url,
        # A desk needs a handful of connections: the GUI's reads, a background worker or two, the scheduler.
        pool_size=4,
        max_overflow=4,
        pool_timeout=15,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT_S, "application_name": "autoservice-desk"},
    )


def read_only(engine: Engine) -> Engine:
    """The same engine and pool, marked so SQLite starts its transactions deferred."""
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def unavailable_message(target: DatabaseTarget, error: BaseException) -> str:
    """A one-line, translated reason why *target* cannot be used."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    detail = reason[0] if reason else ""
    if target.is_sqlite:
        return _("The SQLite database {path} cannot be opened: {reason}").format(
            path=target.sqlite_path, reason=detail
        )
    if "does not exist" in detail and "database" in detail:
        return _("The PostgreSQL database {name} does not exist on {host}.").format(
            name=target.url.database, host=target.url.host or "localhost"
        )
    if "password" in detail or "authentication" in detail:
        return _("PostgreSQL refused the login of {user}: wrong or missing password.").format(
            user=target.url.username or ""
        )
    return _("Cannot connect to the PostgreSQL server {where}: {reason}").format(
        where=target.describe(), reason=detail
    )


def ensure_reachable(engine: Engine, target: DatabaseTarget) -> None:
    """Open one connection now, so a wrong address fails at start with a clear message."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError, sqlite3.Error) as error:
        raise DatabaseUnavailableError(unavailable_message(target, error)) from error


def create_postgresql_database_if_missing(target: DatabaseTarget, password: str | None = None) -> bool:
    """Create the PostgreSQL database named by *target* when the server lacks it; True if created."""
    if target.is_sqlite:
        return False
    maintenance = DatabaseTarget(target.url.set(database="postgres"))
    engine = create_database_engine(maintenance, password).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.url.database}
            ).first()
            if exists:
                return False
            quoted = connection.dialect.identifier_preparer.quote(target.url.database or "")
            connection.exec_driver_sql(f"CREATE DATABASE {quoted}")
            return True
    except (OperationalError, DBAPIError) as error:
        raise DatabaseUnavailableError(unavailable_message(target, error)) from error
    finally:
        engine.dispose()


def is_retryable(error: BaseException) -> bool:
    """True for conflicts that succeed when the transaction runs again (deadlock, serialization, busy)."""
    original = getattr(error, "orig", error)
    if getattr(original, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    if isinstance(original, sqlite3.OperationalError):
        message = str(original).lower()
        return "locked" in message or "busy" in message
    return False
