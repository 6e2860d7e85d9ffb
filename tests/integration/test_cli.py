"""The command line: one clear line and a non-zero exit code for every bad situation, real work otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from autoservice_desk import __version__
from autoservice_desk.cli import main
from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services import schema


def run_cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/shop", "not supported"),
        ("postgresql://", "names no database"),
        ("sqlite://", "in-memory"),
        ("http://[::1", "not a database URL"),
    ],
)
def test_bad_database_urls(capsys: pytest.CaptureFixture[str], url: str, message: str) -> None:
    code, _out, err = run_cli(capsys, "--db", url, "db", "check")
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_unreachable_server(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "db", "upgrade", "--db", "postgresql://postgres@127.0.0.1:1/shop")
    assert code == 3
    assert "Cannot connect to the PostgreSQL server" in err and len(err.strip().splitlines()) == 1


def test_a_read_only_data_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() == 0:
        home = Path("/proc/autoservice-test-home")  # even root cannot create anything there
    else:
        home = tmp_path / "locked"
        home.mkdir()
        home.chmod(0o555)
    monkeypatch.setenv("AUTOSERVICE_HOME", str(home))
    code, _out, err = run_cli(capsys, "db", "upgrade")
    assert code == 2
    assert "is not writable" in err and len(err.strip().splitlines()) == 1


def test_upgrade_check_and_a_newer_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    assert run_cli(capsys, "--db", url, "db", "check")[0] == 1
    code, out, _err = run_cli(capsys, "--db", url, "db", "upgrade")
    assert code == 0 and "upgraded" in out
    assert run_cli(capsys, "--db", url, "db", "check")[0] == 0
    assert schema.head_revision() in run_cli(capsys, "--db", url, "db", "current")[1]
    engine = create_database_engine(parse_database_url(url, tmp_path))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    code, _out, err = run_cli(capsys, "--db", url, "db", "upgrade")
    assert code == 4 and "newer version" in err


@pytest.mark.postgresql
def test_upgrade_creates_a_new_postgresql_database(capsys: pytest.CaptureFixture[str], postgres_databases) -> None:  # type: ignore[no-untyped-def]
    name = f"{postgres_databases.prefix}_cli"
    postgres_databases.created.append(name)  # dropped at the end of the session
    url = postgres_databases.url(name)
    code, out, err = run_cli(capsys, "--db", url, "db", "upgrade")
    assert code == 0, err
    assert "upgraded from empty" in out
    assert run_cli(capsys, "--db", url, "db", "check")[0] == 0


def test_sqlite_backup_and_restore(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    assert run_cli(capsys, "--db", url, "db", "upgrade")[0] == 0
    engine = create_database_engine(parse_database_url(url, tmp_path))
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO clients (kind, surname) VALUES ('person', 'Сидоров')"))
    backup_path = tmp_path / "copy.sqlite3"
    # The backup is taken while this engine keeps a connection open, as a running desk would.
    with engine.connect():
        code, out, _err = run_cli(capsys, "--db", url, "backup", str(backup_path))
    assert code == 0 and "Backed up" in out
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM clients"))
    engine.dispose()
    code, _out, err = run_cli(capsys, "--db", url, "restore", str(backup_path))
    assert code == 2 and "--yes" in err
    assert run_cli(capsys, "--db", url, "restore", str(backup_path), "--yes")[0] == 0
    engine = create_database_engine(parse_database_url(url, tmp_path))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT surname FROM clients")).scalars().all() == ["Сидоров"]
    engine.dispose()


def test_restoring_something_that_is_not_a_backup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    code, _out, err = run_cli(capsys, "--db", str(tmp_path / "shop.sqlite3"), "restore", str(junk), "--yes")
    assert code == 2 and "is not a SQLite backup" in err


@pytest.mark.postgresql
def test_postgresql_backup(
    capsys: pytest.CaptureFixture[str], postgres_databases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    url = postgres_databases.url(postgres_databases.migrated())
    dump = tmp_path / "shop.dump"
    if shutil.which("pg_dump"):
        code, out, err = run_cli(capsys, "--db", url, "backup", str(dump))
        assert code == 0, err
        assert dump.stat().st_size > 0
    monkeypatch.setenv("PATH", str(tmp_path))  # a desk without the PostgreSQL client tools
    code, _out, err = run_cli(capsys, "--db", url, "backup", str(dump))
    assert code == 2 and "pg_dump is not installed" in err and f"-f {dump}" in err


def test_the_real_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    env = dict(os.environ, AUTOSERVICE_HOME=str(tmp_path / "home"))
    completed = subprocess.run(
        [sys.executable, "-m", "autoservice_desk", "--db", "oracle://scott@db/orcl", "db", "check"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert completed.returncode == 2
    assert (
        completed.stderr.strip() == "autoservice-desk: Database type oracle is not supported; use SQLite or PostgreSQL."
    )
