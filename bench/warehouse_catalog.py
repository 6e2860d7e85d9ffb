"""Benchmark of the parts catalog: 500,000 parts, a file of 1,000,000 cross pairs imported, then part searches.

    .venv/bin/python bench/warehouse_catalog.py
    .venv/bin/python bench/warehouse_catalog.py --postgresql
    .venv/bin/python bench/warehouse_catalog.py --parts 50000 --pairs 100000 --queries 100
    .venv/bin/python bench/warehouse_catalog.py --sqlite-file /tmp/parts.sqlite3   # built once, searched again later

Prints the time of each step (the cross import on its own: reading and checking the file, joining the groups,
writing), then p50/p95 of search_parts() for article fragments, exact articles, name words and barcodes.
Until the ledger has a bulk loader, a share of the parts is given stock by writing balances directly (a bench
fixture only; the demo warehouse itself never writes balances), so that hits and analogs carry real stock.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench_databases import postgresql_database  # type: ignore[import-not-found]  # noqa: E402 - the bench folder is not a package
from sqlalchemy import select, text

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.inventory import Part, PartBarcode, StockBalance
from autoservice_desk.services import schema
from autoservice_desk.services.bulk_insert import DriverColumns, insert_driver_rows
from autoservice_desk.services.cross_import import import_crosses
from autoservice_desk.services.demo_warehouse import add_demo_warehouse, draft_cross_pairs
from autoservice_desk.services.part_search import search_parts
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

STOCKED_SHARE = 0.3


@contextmanager
def sqlite_database(folder: Path, name: str = "bench.sqlite3") -> Iterator[str]:
    yield str(folder / name)


def timed(label: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = work()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def write_pairs(path: Path, parts: int, pairs: int, seed: int) -> int:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(("Артикул", "Бренд", "Артикул аналога", "Бренд аналога"))
        count = 0
        for row in draft_cross_pairs(parts, pairs, seed):
            writer.writerow(row)
            count += 1
    return count


def give_stock(uow_factory: UnitOfWorkFactory, seed: int) -> int:
    """Balances for a share of the parts on their default bins (see the module's notes)."""
    generator = random.Random(seed)
    with uow_factory() as uow:
        connection = uow.session.connection()
        placed = connection.execute(
            select(Part.id, Part.default_location_id).where(Part.default_location_id.is_not(None))
        ).all()
        rows = []
        for part_id, location_id in placed:
            if generator.random() < STOCKED_SHARE:
                quantity = Decimal(generator.randint(1, 20))
                rows.append((part_id, location_id, quantity, Decimal(generator.randint(0, 1)).min(quantity)))
        table = StockBalance.__table__
        columns = ("part_id", "location_id", "quantity", "reserved")
        values = DriverColumns(connection.dialect)(table, columns, rows)  # type: ignore[arg-type]
        insert_driver_rows(connection, table, columns, zip(*values, strict=True))  # type: ignore[arg-type]
        uow.commit()
    if uow_factory.engine.dialect.name == "postgresql":
        with uow_factory.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE parts, part_barcodes, cross_references, stock_balances"))
    return len(rows)


def queries(uow_factory: UnitOfWorkFactory, count: int, seed: int) -> dict[str, list[str]]:
    generator = random.Random(seed)
    with uow_factory(read_only=True) as uow:
        top = int(uow.session.scalar(select(Part.id).order_by(Part.id.desc()).limit(1)) or 0)
        ids = [generator.randint(1, top) for _ in range(count)]
        rows = uow.session.execute(select(Part.article, Part.article_key, Part.name).where(Part.id.in_(ids))).all()
        codes = list(uow.session.scalars(select(PartBarcode.barcode).where(PartBarcode.part_id.in_(ids))))
    fragments, exact, starts, inner = [], [], [], []
    for article, key, name in rows:
        fragments.append(key[: generator.randint(3, 6)])
        exact.append(article)
        words = name.split()
        cut = [word[: generator.randint(4, 7)] for word in words]
        # What a person types: the noun the name starts with and a word more (the car, "задние" ...) ...
        starts.append(" ".join([cut[0], generator.choice(cut[1:])] if len(cut) > 1 else cut))
        # ... and the harder case: only words from inside the name, found by scanning the name index.
        inner.append(" ".join(generator.sample(cut[1:], min(2, len(cut) - 1))) if len(cut) > 1 else cut[0])
    return {"article fragment": fragments, "exact article": exact, "name: first+other": starts,
            "name: inner words": inner, "barcode": codes}  # fmt: skip


def measure(uow_factory: UnitOfWorkFactory, sets: dict[str, list[str]]) -> None:
    for label, texts in sets.items():
        for query in texts[:10]:  # warm the caches the way a desk that has been searching has them
            search_parts(uow_factory, query)
        times, found = [], 0
        for query in texts:
            started = time.perf_counter()
            hits = search_parts(uow_factory, query)
            times.append((time.perf_counter() - started) * 1000)
            found += bool(hits)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"  {label:17} n={len(times):4} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
              f"max {times[-1]:6.1f} ms  found {found}/{len(times)}", flush=True)  # fmt: skip


def run(label: str, url: str, folder: Path, options: argparse.Namespace) -> None:
    print(f"{label}: {options.parts} parts, {options.pairs} cross pairs", flush=True)
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    uow_factory = UnitOfWorkFactory(engine)
    if options.url or (options.sqlite_file and Path(options.sqlite_file).exists()):
        print("  searching the database as built before", flush=True)
        measure(uow_factory, queries(uow_factory, options.queries, options.seed))
        return
    schema.upgrade(engine, target, None)
    timed("demo warehouse (parts, barcodes, places, groups, markups)",
          lambda: add_demo_warehouse(uow_factory, options.parts, options.seed, cross_pairs=0))  # fmt: skip
    pairs_file = folder / "crosses.csv"
    written = timed("cross file written", lambda: write_pairs(pairs_file, options.parts, options.pairs, options.seed))
    mapping = {"article_a": 0, "brand_a": 1, "article_b": 2, "brand_b": 3}
    report = timed(f"CROSS IMPORT of {written} pairs (read, check, join, write)",
                   lambda: import_crosses(uow_factory, pairs_file, mapping))  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"    added {report.added} references, {report.groups_created} groups; peak memory {peak} MB", flush=True)
    stocked = timed("stock fixture", lambda: give_stock(uow_factory, options.seed))
    print(f"    {stocked} balances", flush=True)
    measure(uow_factory, queries(uow_factory, options.queries, options.seed))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", type=int, default=500_000)
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgresql", action="store_true", help="on a fresh PostgreSQL database, not SQLite")
    parser.add_argument("--sqlite-file", help="build into this SQLite file, or only search it when it exists")
    parser.add_argument("--url", help="only search this database, built by an earlier run")
    options = parser.parse_args()
    print(f"load: {os.getloadavg()}  cpus: {os.cpu_count()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="asd-bench-") as name:
        folder = Path(name)
        database: AbstractContextManager[str]
        if options.url:
            database = nullcontext(options.url)
        elif options.postgresql:
            database = postgresql_database("parts")
        elif options.sqlite_file:
            database = sqlite_database(Path(options.sqlite_file).parent, Path(options.sqlite_file).name)
        else:
            database = sqlite_database(folder)
        with database as url:
            run("PostgreSQL" if options.postgresql or "postgresql" in url else "SQLite", url, folder, options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
