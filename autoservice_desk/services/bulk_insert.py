"""Writing many rows at once: PostgreSQL's COPY, SQLite's executemany on the driver, both without per-row overhead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert *rows* (all with the same keys) into *table* in the connection's transaction.

    The demo shop and the imports write millions of rows; SQLAlchemy's executemany spends more time building
    parameters than the database spends storing them. So the driver is used directly: COPY on PostgreSQL, a
    plain executemany of tuples on SQLite. Column types still convert the values (dates, booleans, exact
    decimals), but Python-side column defaults are skipped: pass every column without a server default.
    """
    if not rows:
        return
    dialect = connection.dialect
    columns = list(rows[0])
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    converting = [(index, processor) for index, processor in enumerate(processors) if processor is not None]

    def values(row: dict[str, Any]) -> list[Any]:
        items = [row[name] for name in columns]
        for index, processor in converting:
            items[index] = processor(items[index])
        return items

    names = ", ".join(f'"{name}"' for name in columns)
    driver = connection.connection.driver_connection
    assert driver is not None
    if dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(values(row))
        return
    marks = ", ".join("?" * len(columns))
    driver.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', [values(row) for row in rows])
