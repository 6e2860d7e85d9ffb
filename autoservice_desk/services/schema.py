"""Schema upgrades through Alembic: status, upgrade (one desk at a time, after a backup), downgrade."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from autoservice_desk.clock import utc_now
from autoservice_desk.db import DatabaseTarget
from autoservice_desk.i18n import _
from autoservice_desk.services.backup import backup_sqlite, default_backup_name, prune_backups
from autoservice_desk.services.errors import SchemaTooNewError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# pg_advisory_xact_lock key shared by every desk: "ASDM" (autoservice desk migrations).
MIGRATION_LOCK_KEY = 0x4153444D


class SchemaState(Enum):
    EMPTY = "empty"
    BEHIND = "behind"
    CURRENT = "current"
    NEWER = "newer"


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    current: str | None
    head: str

    def describe(self) -> str:
        if self.state is SchemaState.EMPTY:
            return _("The database is empty; the schema {head} will be created.").format(head=self.head)
        if self.state is SchemaState.BEHIND:
            return _("The schema is at {current}; this version of the app needs {head}.").format(
                current=self.current, head=self.head
            )
        if self.state is SchemaState.NEWER:
            return _(
                "The database was upgraded by a newer version of autoservice_desk (schema {current}); "
                "this desk knows up to {head}. Install the newer version on this computer."
            ).format(current=self.current, head=self.head)
        return _("The schema is up to date ({head}).").format(head=self.head)


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the package ships no migrations")
    return head


def _status_on(connection: Connection) -> SchemaStatus:
    head = head_revision()
    current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        return SchemaStatus(SchemaState.EMPTY, None, head)
    if current == head:
        return SchemaStatus(SchemaState.CURRENT, current, head)
    known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    return SchemaStatus(SchemaState.BEHIND if current in known else SchemaState.NEWER, current, head)


def schema_status(engine: Engine) -> SchemaStatus:
    """Where the database's schema stands relative to this version of the app."""
    with engine.connect() as connection:
        return _status_on(connection)


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def upgrade(
    engine: Engine, target: DatabaseTarget, backups_dir: Path | None, backups_kept: int = 10
) -> UpgradeResult:
    """Bring the schema to this version's head.

    A SQLite file that already holds data is copied to *backups_dir* first. On PostgreSQL a transaction-level
    advisory lock makes desks that start together migrate one after another; the later ones find nothing left
    to do. A schema from a newer app raises SchemaTooNewError and nothing is touched.
    """
    status = schema_status(engine)
    if status.state is SchemaState.NEWER:
        raise SchemaTooNewError(status.describe())
    if status.state is SchemaState.CURRENT:
        return UpgradeResult(status.current, status.head, None)
    backup_path = None
    if target.is_sqlite and backups_dir is not None and status.state is SchemaState.BEHIND:
        name = default_backup_name(target, utc_now(), f"before-upgrade-{status.current}")
        backup_path = backup_sqlite(target.sqlite_path, backups_dir / name).path
        prune_backups(backups_dir, backups_kept)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        locked_status = _status_on(connection)  # another desk may have migrated while we waited
        if locked_status.state is SchemaState.NEWER:
            raise SchemaTooNewError(locked_status.describe())
        if locked_status.state is not SchemaState.CURRENT:
            command.upgrade(alembic_config(connection), "head")
    return UpgradeResult(status.current, status.head, backup_path)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to *revision* ("base" empties it); for developers and tests."""
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def make_revision(engine: Engine, message: str, autogenerate: bool = True) -> None:
    """Write a new revision file comparing the models with *engine*'s schema (developers only)."""
    with engine.begin() as connection:
        stamp = datetime.now().strftime("%Y%m%d_%H%M")
        command.revision(
            alembic_config(connection), message=message, autogenerate=autogenerate, rev_id=f"{stamp}"
        )


def model_differences(engine: Engine) -> list[object]:
    """What autogenerate would change to make the database match the models (empty when in step)."""
    from alembic.autogenerate import compare_metadata

    from autoservice_desk.models import Base

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": connection.dialect.name == "sqlite"},
        )
        return list(compare_metadata(context, Base.metadata))
