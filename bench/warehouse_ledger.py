"""Benchmark of the stock ledger: 500,000 parts and 5,000,000 moves — a part's balances, posting a 200-line receipt.

    .venv/bin/python bench/warehouse_ledger.py                 # SQLite
    .venv/bin/python bench/warehouse_ledger.py --postgresql    # and PostgreSQL
    .venv/bin/python bench/warehouse_ledger.py --parts 50000 --moves 500000   # a quicker, smaller shop

The history is bulk-loaded, not posted: parts, 200 shelves, 5,000 posted receipts of last year (1,000 moves
each, no lines), moves written with the driver (executemany on SQLite, COPY on PostgreSQL, through
bulk_insert.insert_driver_rows) with stock_moves' three indexes dropped during the load and built again after it,
and balances computed from the same generator so every balance equals the sum of its moves. On PostgreSQL the load
runs with session_replication_role = replica (foreign-key triggers off for the COPY; the data is consistent by
construction) and ends with ANALYZE. Each part sits on two shelves with five moves each (+5, +3, −2, +4, −1).

"Balances" is `part_balances` for a random part (its own transaction). "Receipt" is `post_document` of a
200-line receipt draft (random parts and shelves) — number, moves, balances, moving average, audit, commit.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from bench_databases import new_database  # type: ignore[import-not-found]  # noqa: E402 - the bench folder is not a package
from sqlalchemy import Connection, Table, text

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.inventory import Part, StockBalance, StockDocument, StockLocation, StockMove
from autoservice_desk.services import schema
from autoservice_desk.services.bulk_insert import DriverColumns, insert_driver_rows
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.stock_queries import part_balances
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

PG_ADMIN_URL = os.environ.get("AUTOSERVICE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SHELVES, MOVES_PER_DOCUMENT, RUNS = 200, 1_000, 30
PATTERN = (5, 3, -2, 4, -1)  # one shelf's moves; they sum to 9
BATCH = 100_000
MOVE_INDEXES = {
    "ix_stock_moves_part_location": "stock_moves (part_id, location_id, moved_at)",
    "ix_stock_moves_document": "stock_moves (document_id)",
    "ix_stock_moves_moved_at": "stock_moves (moved_at)",
}


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _write(
    connection: Connection, convert: DriverColumns, model: Any, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    values = convert(_table(model), columns, rows)
    insert_driver_rows(connection, _table(model), columns, list(zip(*values, strict=True)))


def load(uow_factory: UnitOfWorkFactory, parts: int, moves: int) -> None:
    """Bulk-load the shop (see the module docstring); prints how long it took."""
    began = time.perf_counter()
    engine = uow_factory.engine
    postgresql = engine.dialect.name == "postgresql"
    convert = DriverColumns(engine.dialect)
    moves_per_part = len(PATTERN) * 2
    parts = min(parts, moves // moves_per_part)
    documents = -(-parts * moves_per_part // MOVES_PER_DOCUMENT)
    with engine.begin() as connection:
        if postgresql:
            connection.exec_driver_sql("SET session_replication_role = replica")
        for name in MOVE_INDEXES:
            connection.exec_driver_sql(f"DROP INDEX {name}")
        _write(
            connection,
            convert,
            StockLocation,
            ["id", "parent_id", "warehouse_id", "kind", "name", "code", "active"],
            [(1, None, None, "warehouse", "Основной", "", True)]
            + [(2 + n, 1, 1, "shelf", f"Полка {n}", f"S-{n:03d}", True) for n in range(SHELVES)],
        )
        now = datetime(2025, 6, 1, tzinfo=UTC)
        for start in range(0, parts, BATCH):
            _write(
                connection,
                convert,
                Part,
                [
                    "id",
                    "article",
                    "article_key",
                    "brand",
                    "brand_key",
                    "name",
                    "name_key",
                    "unit",
                    "fractional",
                    "min_stock",
                    "average_cost",
                    "active",
                    "version",
                    "created_at",
                    "updated_at",
                ],
                [
                    (
                        n,
                        f"A{n:07d}",
                        f"A{n:07d}",
                        "BOSCH",
                        "BOSCH",
                        f"Деталь {n}",
                        f"деталь {n}",
                        "pcs",
                        False,
                        Decimal(0),
                        Decimal(100),
                        True,
                        1,
                        now,
                        now,
                    )
                    for n in range(start + 1, min(parts, start + BATCH) + 1)
                ],
            )
        _write(
            connection,
            convert,
            StockDocument,
            [
                "id",
                "kind",
                "year",
                "number",
                "status",
                "document_date",
                "reason",
                "posted_at",
                "posted_by",
                "version",
                "created_at",
                "updated_at",
            ],
            [
                (n, "receipt", 2025, n, "posted", date(2025, 6, 1), "bench", now, "bench", 1, now, now)
                for n in range(1, documents + 1)
            ],
        )
        connection.execute(
            text(
                "INSERT INTO document_sequences (document_type, year, last_number) VALUES ('stock_receipt', 2025, :n)"
            ),
            {"n": documents},
        )
        days = [now - timedelta(days=day) for day in range(365)]
        move_id = 0
        batch: list[tuple[Any, ...]] = []
        balances: list[tuple[Any, ...]] = []
        for part in range(1, parts + 1):
            for shelf in (2 + part % SHELVES, 2 + (part * 7 + 1) % SHELVES):
                for quantity in PATTERN:
                    move_id += 1
                    batch.append(
                        (
                            move_id,
                            1 + (move_id - 1) // MOVES_PER_DOCUMENT,
                            part,
                            shelf,
                            Decimal(quantity),
                            Decimal(100),
                            days[move_id % 365],
                        )
                    )
                balances.append((part, shelf, Decimal(sum(PATTERN)), Decimal(0)))
            if len(batch) >= BATCH:
                _write(
                    connection,
                    convert,
                    StockMove,
                    ["id", "document_id", "part_id", "location_id", "quantity", "unit_cost", "moved_at"],
                    batch,
                )
                _write(connection, convert, StockBalance, ["part_id", "location_id", "quantity", "reserved"], balances)
                batch, balances = [], []
        if batch:
            _write(
                connection,
                convert,
                StockMove,
                ["id", "document_id", "part_id", "location_id", "quantity", "unit_cost", "moved_at"],
                batch,
            )
            _write(connection, convert, StockBalance, ["part_id", "location_id", "quantity", "reserved"], balances)
        for name, columns in MOVE_INDEXES.items():
            connection.exec_driver_sql(f"CREATE INDEX {name} ON {columns}")
        if postgresql:
            for table in ("stock_locations", "parts", "stock_documents", "stock_moves"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
            connection.exec_driver_sql("SET session_replication_role = DEFAULT")
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    print(f"  loaded {parts:,} parts, {move_id:,} moves, {parts * 2:,} balances in {time.perf_counter() - began:.0f} s")


def timed(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    spent = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        spent.append((time.perf_counter() - began) * 1000)
    spent.sort()
    return statistics.median(spent), spent[max(0, int(len(spent) * 0.95) - 1)]


def run(url: str, label: str, parts: int, moves: int) -> None:
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    schema.upgrade(engine, target, None)
    uow_factory = UnitOfWorkFactory(engine)
    print(f"{label}:")
    load(uow_factory, parts, moves)
    generator = random.Random(1)
    top = min(parts, moves // (len(PATTERN) * 2))
    for _ in range(5):  # warm the caches and the connection pool
        part_balances(uow_factory, generator.randint(1, top))
    balances = timed(lambda: part_balances(uow_factory, generator.randint(1, top)), 200)

    drafts = iter(
        [
            create_receipt(
                uow_factory,
                None,
                [
                    LineInput(
                        generator.randint(1, top),
                        Decimal(generator.randint(1, 5)),
                        Decimal(generator.randint(100, 5000)),
                        to_location_id=2 + generator.randrange(SHELVES),
                    )
                    for _ in range(200)
                ],
            )  # fmt: skip
            for _ in range(RUNS + 1)
        ]
    )
    first = next(drafts)
    post_document(uow_factory, first.id, first.version)  # the first posting creates this year's sequence row

    def post_one() -> None:
        draft = next(drafts)
        post_document(uow_factory, draft.id, draft.version)

    receipt = timed(post_one)
    print("  (ms, p50 / p95)")
    print(f"  balances of a part across bins (part_balances)   {balances[0]:7.2f} / {balances[1]:7.2f}   target < 5")
    print(f"  post a 200-line receipt (post_document)          {receipt[0]:7.1f} / {receipt[1]:7.1f}   target < 200")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgresql", action="store_true", help="also run against a new PostgreSQL database")
    parser.add_argument("--parts", type=int, default=500_000)
    parser.add_argument("--moves", type=int, default=5_000_000)
    options = parser.parse_args()
    with new_database(False, "ledger") as url:
        run(url, "SQLite", options.parts, options.moves)
    if options.postgresql:
        with new_database(True, "ledger") as url:
            run(url, "PostgreSQL", options.parts, options.moves)


if __name__ == "__main__":
    main()
