"""Saving desk settings: every value is validated before anything is written; database passwords go to the keyring."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from sqlalchemy.engine import URL

from autoservice_desk.config import DATABASE_URL, OPTIONS_BY_KEY
from autoservice_desk.credentials import database_secret_name
from autoservice_desk.db import DatabaseTarget, parse_database_url
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.services.startup import Environment

DEFAULT_POSTGRESQL_PORT = 5432


class SettingsValidationError(ValidationError):
    """Several settings are invalid at once; `problems` maps each option key to its translated message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("\n".join(problems.values()), next(iter(problems)))
        self.problems = dict(problems)


@dataclass(frozen=True)
class DatabaseUrlParts:
    """A database URL taken apart for a form: a SQLite file, or a PostgreSQL server (never the password)."""

    kind: str  # "sqlite" | "postgresql"
    path: str = ""  # SQLite file; empty means the default file in the data folder
    host: str = "localhost"
    port: int = DEFAULT_POSTGRESQL_PORT
    database: str = ""
    user: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.kind == "sqlite"


def update_settings(environment: Environment, values: dict[str, object]) -> None:
    """Validate every value in *values* (option key → value), then set and save them all at once.

    On any invalid value nothing changes, neither in memory nor on disk, and one SettingsValidationError
    lists every problem. The file is written atomically by `Settings.save`.
    """
    problems: dict[str, str] = {}
    checked: dict[str, object] = {}
    for key, value in values.items():
        option = OPTIONS_BY_KEY.get(key)
        if option is None:
            problems[key] = _("There is no setting called {key}.").format(key=key)
            continue
        try:
            checked[key] = option.check(value)
        except ValidationError as error:
            problems[key] = error.message
    if problems:
        raise SettingsValidationError(problems)
    # Change a copy and swap it in only after the file is written, so a failed save leaves the desk as it was.
    candidate = copy.deepcopy(environment.settings)
    for key, value in checked.items():
        candidate.set(OPTIONS_BY_KEY[key], value)
    candidate.save()
    environment.settings = candidate


def _parse(environment: Environment, raw: str) -> DatabaseTarget:
    try:
        return parse_database_url(raw, environment.paths.default_database)
    except DomainError as error:
        raise ValidationError(error.message, DATABASE_URL.key) from error


def database_url_parts(environment: Environment, raw: str) -> DatabaseUrlParts:
    """Take *raw* (a URL, a file path or empty) apart for the Settings form; ValidationError when it is not a URL."""
    target = _parse(environment, raw)
    if target.is_sqlite:
        path = target.sqlite_path
        return DatabaseUrlParts("sqlite", "" if path == environment.paths.default_database else str(path))
    url = target.url
    return DatabaseUrlParts(
        "postgresql", "", url.host or "localhost", url.port or DEFAULT_POSTGRESQL_PORT, url.database or "",
        url.username or "",
    )  # fmt: skip


def compose_database_url(parts: DatabaseUrlParts, password: str | None = None) -> str:
    """The URL for *parts*; with *password* only for a connection test, never for storing."""
    if parts.is_sqlite:
        return parts.path.strip()
    url = URL.create(
        "postgresql",
        username=parts.user.strip() or None,
        password=password or None,
        host=parts.host.strip() or None,
        port=parts.port or None,
        database=parts.database.strip() or None,
    )
    return url.render_as_string(hide_password=False)


def save_database_password(environment: Environment, target: DatabaseTarget | str, password: str) -> None:
    """Keep the PostgreSQL *password* of *target* in the secret store (never in the settings file).

    Raises SecretStorageUnavailableError when there is no OS keyring and the user has not agreed to
    keep it for this session only (`environment.secrets.allow_session_only()`).
    """
    if isinstance(target, str):
        target = _parse(environment, target)
    if target.is_sqlite or not target.url.username:
        raise ValidationError(_("Only a PostgreSQL connection with a user name has a password."), "password")
    name = database_secret_name(
        target.url.username, target.url.host or "localhost", target.url.port, target.url.database or ""
    )
    environment.secrets.set(name, password)


def save_database_settings(environment: Environment, raw_url: str, password: str | None = None) -> str:
    """Store the database URL (without any password in it) and the password; returns what to call the database.

    A password typed into the URL itself is moved to the secret store. The password is stored first, so when
    the keyring refuses it the settings file is not touched either.
    """
    target = _parse(environment, raw_url)
    if target.is_sqlite:
        default = target.sqlite_path == environment.paths.default_database
        stored = "" if default or not raw_url.strip() else target.url.render_as_string()
    else:
        password = password or target.url.password
        url = target.url
        target = DatabaseTarget(
            URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)
        )
        stored = target.url.render_as_string(hide_password=False)
        if password:
            save_database_password(environment, target, password)
    update_settings(environment, {DATABASE_URL.key: stored})
    return target.describe()
