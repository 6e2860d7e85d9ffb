"""Throw-away databases for the benchmarks: a SQLite file in a temporary folder, or a new PostgreSQL database."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get("AUTOSERVICE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def postgresql_database(label: str) -> Iterator[str]:
    """A new database on the local server named after *label*, dropped afterwards whatever happens."""
    name = f"asd_bench_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


@contextmanager
def new_database(postgresql: bool, label: str) -> Iterator[str]:
    """The URL of an empty database: PostgreSQL when asked, else a SQLite file removed afterwards."""
    if postgresql:
        with postgresql_database(label) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix=f"asd-bench-{label}-") as folder:
        yield str(Path(folder) / "bench.sqlite3")
