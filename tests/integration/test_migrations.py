"""Migrations: round trip, models in step with revisions, newer schemas refused, one migrator at a time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services import schema
from autoservice_desk.services.errors import SchemaTooNewError
from autoservice_desk.services.startup import Environment, open_database


def _engine(url: str):  # type: ignore[no-untyped-def]
    return create_database_engine(parse_database_url(url, Path("unused")))


def test_upgrade_downgrade_upgrade_round_trip(empty_database_url: str) -> None:
    target = parse_database_url(empty_database_url, Path("unused"))
    engine = _engine(empty_database_url)
    try:
        assert schema.schema_status(engine).state is schema.SchemaState.EMPTY
        schema.upgrade(engine, target, None)
        assert schema.schema_status(engine).state is schema.SchemaState.CURRENT
        assert {"users", "roles", "audit_log", "document_sequences"} <= set(inspect(engine).get_table_names())
        schema.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        schema.upgrade(engine, target, None)
        with engine.connect() as connection:
            roles = connection.execute(text("SELECT code FROM roles ORDER BY code")).scalars().all()
        assert roles == ["admin", "advisor", "manager", "mechanic", "warehouse"]
    finally:
        engine.dispose()


def test_models_match_migrations(database_url: str) -> None:
    engine = _engine(database_url)
    try:
        assert schema.model_differences(engine) == []
    finally:
        engine.dispose()


def test_a_schema_from_a_newer_app_is_refused(database_url: str) -> None:
    engine = _engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    target = parse_database_url(database_url, Path("unused"))
    try:
        assert schema.schema_status(engine).state is schema.SchemaState.NEWER
        with pytest.raises(SchemaTooNewError, match="newer version"):
            schema.upgrade(engine, target, None)
        with pytest.raises(SchemaTooNewError):
            open_database(Environment.load(), target)
    finally:
        engine.dispose()


def test_an_older_sqlite_schema_is_backed_up_before_the_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    target = parse_database_url(url, Path("unused"))
    engine = _engine(url)
    schema.upgrade(engine, target, None)
    behind = schema.SchemaStatus(schema.SchemaState.BEHIND, "0000_older", schema.head_revision())
    monkeypatch.setattr(schema, "schema_status", lambda _engine: behind)
    result = schema.upgrade(engine, target, tmp_path / "backups")
    engine.dispose()
    assert result.backup is not None and result.backup.exists()
    assert result.backup.read_bytes()[:16] == b"SQLite format 3\x00"


UPGRADE_SCRIPT = """
import sys
from pathlib import Path
from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services import schema
target = parse_database_url(sys.argv[1], Path("unused"))
engine = create_database_engine(target)
result = schema.upgrade(engine, target, None)
print(result.before, result.after)
"""


@pytest.mark.postgresql
def test_two_desks_starting_together_migrate_one_after_the_other(postgres_databases) -> None:  # type: ignore[no-untyped-def]
    url = postgres_databases.url(postgres_databases.create())
    desks = [
        subprocess.Popen([sys.executable, "-c", UPGRADE_SCRIPT, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outputs = [desk.communicate(timeout=120) for desk in desks]
    assert all(desk.returncode == 0 for desk in desks), [err.decode() for _out, err in outputs]
    engine = _engine(url)
    try:
        assert schema.schema_status(engine).state is schema.SchemaState.CURRENT
        assert schema.model_differences(engine) == []
    finally:
        engine.dispose()
