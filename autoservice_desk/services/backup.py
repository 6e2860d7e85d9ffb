"""Backups: SQLite through the online backup API (safe while desks write), PostgreSQL through pg_dump."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from autoservice_desk.db import DatabaseTarget
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ConfigurationError, DatabaseUnavailableError, ValidationError

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int


def default_backup_name(target: DatabaseTarget, moment: datetime, reason: str = "manual") -> str:
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if target.is_sqlite else "dump"
    return f"autoservice-{stamp}-{reason}.{suffix}"


def _pg_arguments(target: DatabaseTarget) -> list[str]:
    url = target.url
    arguments = ["-h", url.host or "localhost", "-p", str(url.port or 5432)]
    if url.username:
        arguments += ["-U", url.username]
    return arguments


def pg_dump_command(target: DatabaseTarget, path: Path) -> list[str]:
    return ["pg_dump", *_pg_arguments(target), "-Fc", "-f", str(path), target.url.database or ""]


def pg_restore_command(target: DatabaseTarget, path: Path) -> list[str]:
    return [
        "pg_restore", *_pg_arguments(target), "--clean", "--if-exists", "--no-owner", "-d",
        target.url.database or "", str(path),
    ]  # fmt: skip


def backup_sqlite(source: Path, destination: Path) -> BackupResult:
    """Copy a live SQLite database page by page; writers on other connections may go on meanwhile."""
    if not source.exists():
        raise DatabaseUnavailableError(_("There is no database file at {path}.").format(path=source))
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(destination.name + ".partial")
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(temporary) as dst:
            src.backup(dst, pages=1024)
        src.close()
        dst.close()
        temporary.replace(destination)
    except (OSError, sqlite3.Error) as error:
        raise ConfigurationError(
            _("The backup to {path} failed: {reason}").format(path=destination, reason=error)
        ) from error
    return BackupResult(destination, destination.stat().st_size)


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the database at *target* with the contents of *backup* (through the backup API, atomically)."""
    if not backup.is_file():
        raise ValidationError(_("There is no backup file at {path}.").format(path=backup))
    with backup.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise ValidationError(_("{path} is not a SQLite backup.").format(path=backup))
    try:
        with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as src:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValidationError(_("The backup {path} is damaged; nothing was restored.").format(path=backup))
            target.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(target, timeout=30) as dst:
                src.backup(dst)
            dst.close()
        src.close()
    except sqlite3.Error as error:
        raise ConfigurationError(_("The restore failed: {reason}").format(reason=error)) from error


def run_pg_tool(command: list[str], password: str | None) -> None:
    """Run pg_dump / pg_restore, or explain exactly what to run when it is not installed."""
    if shutil.which(command[0]) is None:
        raise ConfigurationError(
            _("{tool} is not installed on this computer. Run it where PostgreSQL tools exist: {command}").format(
                tool=command[0], command=" ".join(command)
            )
        )
    env = None
    if password:
        import os

        env = dict(os.environ, PGPASSWORD=password)
    completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if completed.returncode != 0:
        reason = (completed.stderr or completed.stdout).strip().splitlines()
        raise ConfigurationError(
            _("{tool} failed: {reason}").format(tool=command[0], reason=reason[-1] if reason else completed.returncode)
        )


def prune_backups(folder: Path, keep: int, pattern: str = "autoservice-*-before-upgrade*.sqlite3") -> None:
    """Keep the newest *keep* automatic backups in *folder*."""
    backups = sorted(folder.glob(pattern), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in backups[keep:]:
        old.unlink(missing_ok=True)
