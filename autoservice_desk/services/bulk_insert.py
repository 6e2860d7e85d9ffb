"""Writing many rows at once: PostgreSQL's COPY, SQLite's executemany on the driver, both without per-row overhead."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table, func, select, text


def _memoised(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """*processor* remembering its answers: a batch repeats the same dates and timestamps thousands of times."""
    known: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return known[value]
        except KeyError:
            result = known[value] = processor(value)
            return result
        except TypeError:  # unhashable
            return processor(value)

    return convert


class _Converted(dict[Any, Any]):
    """Values of one column converted by its type, each distinct value once (see driver_rows)."""

    def __init__(self, processor: Callable[[Any], Any]) -> None:
        super().__init__()
        self.processor = processor

    def __missing__(self, value: Any) -> Any:
        result = self[value] = self.processor(value)
        return result


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
    converting = [(index, _memoised(processor)) for index, processor in enumerate(processors) if processor is not None]

    pick = itemgetter(*columns)  # one C call per row instead of a Python loop over its columns

    def values(row: dict[str, Any]) -> Sequence[Any]:
        picked = pick(row)
        items = picked if isinstance(picked, tuple) else (picked,)
        if not converting:
            return items
        converted = list(items)
        for index, processor in converting:
            converted[index] = processor(converted[index])
        return converted

    insert_driver_rows(connection, table, columns, [values(row) for row in rows])


class DriverColumns:
    """Rows turned into columns of values as the driver takes them: bulk_insert's conversion for rows built as
    tuples by the million (the demo shop).

    A column that needs converting goes through its type's conversion with one C-level map over a memo of the
    distinct values it has seen, kept from call to call; columns go back to rows with `zip(*columns)`. Only a
    dialect is needed, not a connection, so the values can be made in another process.
    """

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._memos: dict[tuple[str, str], _Converted | None] = {}

    def __call__(self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
        """The values of *columns* in *rows*, one list per column, converted by the column types of *table*."""
        # One C-level pass per column: zip(*rows) would build an iterator per row.
        values: list[Sequence[Any]] = [list(map(itemgetter(index), rows)) for index in range(len(columns))]
        for index, name in enumerate(columns):
            memo = self._memo(table, name)
            if memo is not None:
                try:
                    values[index] = list(map(memo.__getitem__, values[index]))
                except TypeError:  # an unhashable value
                    values[index] = [memo.processor(value) for value in values[index]]
        return values

    def _memo(self, table: Table, name: str) -> _Converted | None:
        key = (table.name, name)
        if key not in self._memos:
            processor = table.c[name].type.dialect_impl(self.dialect).bind_processor(self.dialect)
            self._memos[key] = None if processor is None else _Converted(processor)
        return self._memos[key]


def insert_driver_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert *rows*, converted for the driver already (bulk_insert, DriverColumns), into *columns* of *table*."""
    if isinstance(rows, Sequence) and not rows:
        return
    names = ", ".join(f'"{name}"' for name in columns)
    driver = connection.connection.driver_connection
    assert driver is not None
    if connection.dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        return
    marks = ", ".join("?" * len(columns))
    driver.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)


def reserve_ids(connection: Connection, counts: dict[Table, int]) -> dict[Table, int]:
    """The first id of a free range of each table's size in *counts*, numbered client-side to skip RETURNING.

    SQLite: the transaction began with BEGIN IMMEDIATE, so no other desk writes until we commit.
    PostgreSQL: the table lock keeps other desks' inserts out until we commit, and the SERIAL sequence is moved
    past our range at once, so their next ids come after it.
    """
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        names = ", ".join(table.name for table in counts)
        connection.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
    first_ids = {}
    for table, count in counts.items():
        top = int(connection.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0)
        if postgresql:
            sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
            used = connection.scalar(
                text("SELECT COALESCE(pg_sequence_last_value(CAST(:s AS regclass)), 0)"), {"s": sequence}
            )
            top = max(top, int(used or 0))
            if count:
                connection.execute(text("SELECT setval(CAST(:s AS regclass), :v)"), {"s": sequence, "v": top + count})
        first_ids[table] = top + 1
    return first_ids
