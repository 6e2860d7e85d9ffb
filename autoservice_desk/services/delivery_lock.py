"""Only one desk delivers: a PostgreSQL advisory lock on a connection of its own, or a lock file beside SQLite.

Both kinds are released by the operating system or the server when the holding process dies (its connection
closes, its file descriptor goes), so another desk takes over on its next try, without a timeout to guess.
The delivery job calls `acquire()` on every run: it is cheap when the lock is already held, it notices a lost
connection (the lock went with it) and tries to take the lock again.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)
# Session-level advisory lock key shared by every desk: "ASDD" (autoservice desk delivery).
DELIVERY_LOCK_KEY = 0x41534444


class DeliveryLock(Protocol):
    @property
    def held(self) -> bool: ...

    def acquire(self) -> bool:
        """Take the lock if free (never waits); True while this process holds it."""
        ...

    def release(self) -> None: ...


class AdvisoryLock:
    """`pg_try_advisory_lock` held by a dedicated autocommit connection for as long as this desk delivers."""

    def __init__(self, engine: Engine, key: int = DELIVERY_LOCK_KEY) -> None:
        self._engine = engine
        self._key = key
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None

    def acquire(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except (OperationalError, DBAPIError):
                log.warning("the delivery lock's connection was lost; trying to take the lock again")
                self._drop()
        try:
            connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except (OperationalError, DBAPIError):
            return False
        try:
            taken = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}).scalar())
        except (OperationalError, DBAPIError):
            connection.close()
            return False
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()  # never hand a connection that may hold the lock back to the pool
            except (OperationalError, DBAPIError):
                pass

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
        except (OperationalError, DBAPIError):
            pass
        self._drop()


class FileLock:
    """An exclusive lock on a file beside the SQLite database (flock on POSIX, msvcrt on Windows)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock_file(fd)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock_file(fd)
        finally:
            os.close(fd)


def _lock_file(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_file(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def delivery_lock_for(engine: Engine) -> DeliveryLock:
    """The lock that fits *engine*'s database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    database = engine.url.database or "autoservice.sqlite3"
    return FileLock(Path(database).with_name(Path(database).name + ".delivery-lock"))
