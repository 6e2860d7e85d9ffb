"""Loading a large demo shop into an empty database: secondary indexes and foreign keys built once at the end.

Inserting ten million search terms one batch after another into growing B-trees rewrites most of them with
every batch; building an index once from sorted rows costs a fraction. So a large run into an (almost) empty
database drops the secondary indexes of the tables it fills (and, on PostgreSQL, their foreign keys and the
search-term primary key), writes every batch, then creates them again from their stored definitions, all in ONE
transaction: DDL is transactional on both SQLite and PostgreSQL, so a crash or a failed rebuild leaves the
database as it was, never without its indexes. The price is that the tables stay locked for the whole run.

On SQLite the search terms' primary key is the table itself (WITHOUT ROWID) and cannot be dropped: the terms go
to a temporary table first and into the real one at the end, sorted by that key, so the B-tree is built in order.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Column, Connection, MetaData, Table, text

from autoservice_desk.models.search import ClientSearchTerm

log = logging.getLogger(__name__)

TERMS: Table = ClientSearchTerm.__table__  # type: ignore[assignment]
SQLITE_CACHE_KIB = 256 * 1024
SQLITE_MMAP_BYTES = 4 * 2**30
STAGED_TERMS = "demo_load_search_terms"  # SQLite: the temporary table the search terms wait in
POSTGRESQL_MAINTENANCE_MEMORY = "256MB"  # sorts of the index builds (the server's default is 64 MB)
POSTGRESQL_WORK_MEMORY = "64MB"  # hash joins that check the foreign keys again

P = TypeVar("P")
T = TypeVar("T")


def tune_sqlite(connection: Connection) -> None:
    """A larger page cache and a memory-mapped file for this connection: a batch lands all over the indexes,
    and SQLite's default 2 MB cache would read and write the same pages again and again."""
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    connection.exec_driver_sql(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")


@dataclass
class BulkLoad:
    """The indexes and constraints taken off *tables* for the load, and how to put them back."""

    connection: Connection
    tables: Sequence[Table]
    drop_statements: list[str] = field(default_factory=list)
    create_statements: list[str] = field(default_factory=list)
    staged_terms: Table | None = None  # SQLite: where the search terms go until finish()

    def target(self, table: Table) -> Table:
        """The table that *table*'s rows are written to during the load."""
        return self.staged_terms if table is TERMS and self.staged_terms is not None else table

    def finish(self) -> None:
        """Put the search terms in place and build the indexes and constraints again, in the load's transaction."""
        statements = list(self.create_statements)
        if self.staged_terms is not None:
            names = ", ".join(f'"{column.name}"' for column in TERMS.columns)
            order = ", ".join(f'"{column.name}"' for column in TERMS.primary_key.columns)
            statements[:0] = [
                f'INSERT INTO "{TERMS.name}" ({names}) SELECT {names} FROM temp."{STAGED_TERMS}" ORDER BY {order}',
                f'DROP TABLE temp."{STAGED_TERMS}"',
            ]
        for statement in statements:
            began = time.perf_counter()
            self.connection.exec_driver_sql(statement)
            # The rebuild is most of a large load's time: the log says where it went (bench/demo_data.py shows it).
            log.info("bulk load: %.1f s for %s", time.perf_counter() - began, statement[:100])


def start_bulk_load(connection: Connection, tables: Sequence[Table]) -> BulkLoad:
    """Take the secondary indexes (and on PostgreSQL the foreign keys) off *tables* in the open transaction."""
    load = BulkLoad(connection, tables)
    if connection.dialect.name == "postgresql":
        _prepare_postgresql(load)
    else:
        _prepare_sqlite(load)
    for statement in load.drop_statements:
        connection.exec_driver_sql(statement)
    return load


def _prepare_sqlite(load: BulkLoad) -> None:
    connection = load.connection
    tune_sqlite(connection)
    names = [table.name for table in load.tables]
    marks = ", ".join("?" * len(names))
    # Indexes behind a PRIMARY KEY or UNIQUE clause have no SQL of their own and stay.
    indexes = connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) "
        "ORDER BY tbl_name, name",
        tuple(names),
    ).all()
    load.drop_statements = [f'DROP INDEX "{name}"' for name, _sql in indexes]
    load.create_statements = [sql for _name, sql in indexes]
    if TERMS.name in names:
        columns = [Column(column.name, column.type) for column in TERMS.columns]
        names_sql = ", ".join(f'"{column.name}"' for column in columns)
        connection.exec_driver_sql(f'CREATE TEMPORARY TABLE "{STAGED_TERMS}" ({names_sql})')  # no key: appended
        load.staged_terms = Table(STAGED_TERMS, MetaData(), *columns)


def _prepare_postgresql(load: BulkLoad) -> None:
    connection = load.connection
    connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{POSTGRESQL_MAINTENANCE_MEMORY}'")
    connection.exec_driver_sql(f"SET LOCAL work_mem = '{POSTGRESQL_WORK_MEMORY}'")
    names = [table.name for table in load.tables]
    # Every table first, in one statement: the DDL below would otherwise lock them one by one.
    connection.exec_driver_sql(f"LOCK TABLE {', '.join(names)} IN ACCESS EXCLUSIVE MODE")
    qualified = [f"{table.schema}.{table.name}" if table.schema else table.name for table in load.tables]
    # Plain indexes; those behind a constraint (primary keys, UNIQUE) go with their constraint or stay.
    indexes = connection.exec_driver_sql(
        "SELECT format('%%I.%%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE i.indrelid = ANY(CAST(%(names)s AS regclass[])) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1",
        {"names": qualified},
    ).all()
    # Foreign keys of the filled tables (checked again at the end by one join each, not row by row by triggers),
    # and the search terms' primary key, whose index takes the terms in random order.
    constraints = connection.exec_driver_sql(
        "SELECT format('%%s', k.conrelid::regclass), format('%%I', k.conname), pg_get_constraintdef(k.oid), "
        "k.contype FROM pg_constraint k "
        "WHERE k.conrelid = ANY(CAST(%(names)s AS regclass[])) "
        "AND (k.contype = 'f' OR (k.contype = 'p' AND k.conrelid = CAST(%(terms)s AS regclass))) ORDER BY 1, 2",
        {"names": qualified, "terms": TERMS.name},
    ).all()
    load.drop_statements = [
        *(f"ALTER TABLE {table} DROP CONSTRAINT {name}" for table, name, _definition, _kind in constraints),
        *(f"DROP INDEX {name}" for name, _definition in indexes),
    ]
    # The primary key first, then the indexes, then the foreign keys, whose checks read the indexes of the
    # tables they point at.
    primary = [row for row in constraints if row[3] == "p"]
    foreign = [row for row in constraints if row[3] != "p"]
    load.create_statements = [
        *(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition, _kind in primary),
        *(definition for _name, definition in indexes),
        *(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition, _kind in foreign),
    ]


def is_nearly_empty(connection: Connection, table: Table, most: int) -> bool:
    """True when *table* holds at most *most* rows (counted no further than that)."""
    query = text(f'SELECT COUNT(*) FROM (SELECT 1 FROM "{table.name}" LIMIT :limit) AS head')
    return int(connection.execute(query, {"limit": most + 1}).scalar_one()) <= most


# --- Drafting in a second process --------------------------------------------------------------------------------

_WORKER_CODE = "from autoservice_desk.services.demo_load import serve_worker; serve_worker()"


def batches_from_worker(produce: Callable[[P], Iterable[T]], plan: P) -> Generator[T, None, None]:
    """The items of produce(plan), made in a worker process while the caller writes the ones it has.

    Python runs one thread at a time, so drafting and converting rows would otherwise take turns with the
    database driver. The worker is a fresh interpreter (not a fork: it inherits no connections, no threads and
    does not import the caller's main module) that gets (produce, plan) pickled on its stdin and sends the items
    back pickled on its stdout: *produce* must be a module-level function, *plan* picklable. It works at most
    one item ahead (the pipe blocks it), so memory stays flat. Closing the iterator early stops the worker.
    A bundled application has no interpreter to start: there the items are made in this process.
    """
    if getattr(sys, "frozen", False):
        yield from produce(plan)
        return
    environment = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])  # importable even from a checkout that is not installed
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, (package_root, environment.get("PYTHONPATH"))))
    worker = subprocess.Popen(
        [sys.executable, "-c", _WORKER_CODE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment
    )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        with worker.stdin:
            pickle.dump((produce, plan), worker.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        while True:
            try:
                kind, payload = pickle.load(worker.stdout)
            except EOFError:
                raise RuntimeError(f"the demo-data worker process ended (exit code {worker.wait()})") from None
            if kind == "done":
                return
            if kind == "error":
                raise RuntimeError(f"the demo-data worker process failed:\n{payload}")
            yield payload
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        worker.stdout.close()


def serve_worker() -> None:
    """The worker process of batches_from_worker: every item of produce(plan), then "done" or the traceback."""
    produce, plan = pickle.load(sys.stdin.buffer)
    sink = sys.stdout.buffer

    def send(kind: str, payload: Any) -> None:
        pickle.dump((kind, payload), sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()

    try:
        for item in produce(plan):
            send("item", item)
    except BaseException:  # noqa: B036 - whatever it is, the writing process must hear of it
        with suppress(OSError):  # unless it is gone already
            send("error", traceback.format_exc())
        raise SystemExit(1) from None
    send("done", None)
