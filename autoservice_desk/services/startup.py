"""Opening the desk's database: settings, URL, password, reachability, schema check or upgrade."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy import Engine

from autoservice_desk.config import BACKUPS_KEPT, DATABASE_URL, SHOP_VAT_MODE, Paths, Settings
from autoservice_desk.credentials import SecretStore, database_secret_name
from autoservice_desk.db import (
    DatabaseTarget,
    create_database_engine,
    create_postgresql_database_if_missing,
    ensure_reachable,
    parse_database_url,
)
from autoservice_desk.i18n import _
from autoservice_desk.services import event_wiring, schema
from autoservice_desk.services.errors import ConfigurationError, SchemaTooNewError
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory, run_in_transaction

DATABASE_URL_ENV = "AUTOSERVICE_DB_URL"


@dataclass
class Environment:
    """What every entry point needs before it touches a database: folders, settings, secrets."""

    paths: Paths
    settings: Settings
    secrets: SecretStore = field(default_factory=SecretStore)

    @classmethod
    def load(cls, paths: Paths | None = None) -> Environment:
        paths = paths or Paths.for_user()
        return cls(paths, Settings.load(paths.settings_file))


@dataclass
class OpenDatabase:
    """An open, schema-checked database and the unit-of-work factory over it."""

    target: DatabaseTarget
    engine: Engine
    uow_factory: UnitOfWorkFactory
    upgrade: schema.UpgradeResult | None = None

    def close(self) -> None:
        self.engine.dispose()


def choose_target(environment: Environment, url: str | None = None) -> DatabaseTarget:
    """The database to use: `--db`, else $AUTOSERVICE_DB_URL, else the setting, else the default file."""
    raw = url or os.environ.get(DATABASE_URL_ENV) or environment.settings.get(DATABASE_URL)
    return parse_database_url(raw, environment.paths.default_database)


def database_password(environment: Environment, target: DatabaseTarget) -> str | None:
    if target.is_sqlite or target.url.password is not None or not target.url.username:
        return None
    name = database_secret_name(
        target.url.username, target.url.host or "localhost", target.url.port, target.url.database or ""
    )
    return environment.secrets.get(name)


def connect(environment: Environment, target: DatabaseTarget, *, create_missing: bool = False) -> Engine:
    """An engine whose server answered; with *create_missing* a missing PostgreSQL database is created."""
    password = database_password(environment, target)
    if create_missing:
        create_postgresql_database_if_missing(target, password)
    engine = create_database_engine(target, password)
    try:
        ensure_reachable(engine, target)
    except Exception:
        engine.dispose()
        raise
    return engine


def open_database(
    environment: Environment, target: DatabaseTarget, *, upgrade: bool = True, create_missing: bool = True
) -> OpenDatabase:
    """Connect, refuse a schema from a newer app, and upgrade an older one (after a backup) if *upgrade*."""
    engine = connect(environment, target, create_missing=create_missing)
    try:
        status = schema.schema_status(engine)
        if status.state is schema.SchemaState.NEWER:
            raise SchemaTooNewError(status.describe())
        result = None
        if status.state is not schema.SchemaState.CURRENT:
            if not upgrade:
                raise ConfigurationError(
                    status.describe() + " " + _("Run `autoservice-desk db upgrade` first.")
                )
            result = schema.upgrade(
                engine, target, environment.paths.backups_dir, environment.settings.get(BACKUPS_KEPT)
            )
    except Exception:
        engine.dispose()
        raise
    # Parts that arrive for a client get reserved and arriving cars get their work orders, whichever desk or
    # command makes the change.
    event_wiring.install(str(environment.settings.get(SHOP_VAT_MODE)))
    return OpenDatabase(target, engine, UnitOfWorkFactory(engine), result)


def check_connection(environment: Environment, url: str) -> str:
    """Try *url* without changing anything; returns a line describing the schema state found."""
    target = parse_database_url(url, environment.paths.default_database)
    engine = connect(environment, target)
    try:
        return schema.schema_status(engine).describe()
    finally:
        engine.dispose()


def ping(uow_factory: UnitOfWorkFactory) -> None:
    """One trivial round trip; raises DatabaseUnavailableError when the server or file is gone."""
    from sqlalchemy import text

    run_in_transaction(uow_factory, lambda uow: uow.session.execute(text("SELECT 1")).scalar(), read_only=True)
