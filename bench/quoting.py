"""Benchmark of parts quoting: 500,000 parts, 1,000,000 cross pairs, three price lists of 500,000 rows, two online
suppliers on 127.0.0.1 answering after 300 ms; the time to own stock + analogs and to the full answer.

    .venv/bin/python bench/quoting.py                                   # a new SQLite file, removed afterwards
    .venv/bin/python bench/quoting.py --postgresql                      # a new PostgreSQL database, dropped after
    .venv/bin/python bench/quoting.py --sqlite-file /tmp/quoting.sqlite3   # built once, searched again later
    .venv/bin/python bench/quoting.py --parts 50000 --pairs 100000 --rows 50000 --queries 50   # a quick run

Prints each build step (the price-list imports are the 500,000-row import figure), then for --queries articles of
parts that have analogs, one `iter_search(..., refresh=True)` each, as the Quoting screen runs it: the time to the
local answers (own stock, analogs, price lists: targets < 100 ms) and to the last online answer (< 1 s).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_databases import postgresql_database  # type: ignore[import-not-found]  # noqa: E402 - the bench folder is not a package
from fake_supplier_servers import FakeAbcp, FakeJsonSupplier, running  # noqa: E402
from warehouse_catalog import give_stock, write_pairs  # noqa: E402

from autoservice_desk.credentials import SecretStore  # noqa: E402
from autoservice_desk.db import create_database_engine, parse_database_url  # noqa: E402
from autoservice_desk.models.inventory import CrossReference, Part  # noqa: E402
from autoservice_desk.services import schema  # noqa: E402
from autoservice_desk.services.cross_import import import_crosses  # noqa: E402
from autoservice_desk.services.demo_warehouse import add_demo_warehouse  # noqa: E402
from autoservice_desk.services.online_suppliers import OnlineSupplierForm, save_online_supplier  # noqa: E402
from autoservice_desk.services.price_list_import import import_price_list  # noqa: E402
from autoservice_desk.services.quoting import iter_search  # noqa: E402
from autoservice_desk.services.suppliers import SupplierForm, create_supplier, list_suppliers  # noqa: E402
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory  # noqa: E402

SUPPLIER_DELAY = 0.3
LIST_SUPPLIERS = ("Армтек", "Берг", "Росско")


def timed(label: str, work: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = work()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def write_price_list(path: Path, uow_factory: UnitOfWorkFactory, rows: int, seed: int) -> None:
    """*rows* offers of random parts and cross-only analogs (a supplier lists what it sells, ours or not)."""
    generator = random.Random(seed)
    with uow_factory(read_only=True) as uow:
        parts = uow.session.execute(select(Part.article, Part.brand, Part.name)).all()
        crosses = uow.session.execute(select(CrossReference.article, CrossReference.brand)).all()
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(("Артикул", "Бренд", "Наименование", "Наличие", "Цена", "Срок", "Кратность"))
        for _index in range(rows):
            if crosses and generator.random() < 0.4:
                article, brand = generator.choice(crosses)
                name = "Аналог"
            else:
                article, brand, name = generator.choice(parts)
            writer.writerow((article, brand, name, generator.randint(0, 60), f"{generator.randint(100, 20000)},00",
                             generator.randint(1, 10), 1))  # fmt: skip


def build(uow_factory: UnitOfWorkFactory, folder: Path, options: argparse.Namespace) -> None:
    timed("demo warehouse (parts, barcodes, places, groups, markups)",
          lambda: add_demo_warehouse(uow_factory, options.parts, options.seed, cross_pairs=0))  # fmt: skip
    pairs_file = folder / "crosses.csv"
    timed("cross file written", lambda: write_pairs(pairs_file, options.parts, options.pairs, options.seed))
    mapping = {"article_a": 0, "brand_a": 1, "article_b": 2, "brand_b": 3}
    timed(f"cross import of {options.pairs} pairs", lambda: import_crosses(uow_factory, pairs_file, mapping))
    timed("stock fixture", lambda: give_stock(uow_factory, options.seed))
    list_mapping = {"article": 0, "brand": 1, "name": 2, "quantity": 3, "price": 4, "delivery_days": 5,
                    "multiplicity": 6}  # fmt: skip
    for index, name in enumerate(LIST_SUPPLIERS):
        supplier = create_supplier(uow_factory, SupplierForm(name=name, delivery_days=2))
        path = folder / f"list{index}.csv"
        timed(f"price list {name} written", lambda path=path, index=index: write_price_list(
            path, uow_factory, options.rows, options.seed + index))  # fmt: skip
        timed(f"PRICE LIST IMPORT of {options.rows} rows ({name})",
              lambda path=path, supplier=supplier: import_price_list(uow_factory, supplier, path, list_mapping))
    for name in ("Автоклик", "ШопАПИ"):
        create_supplier(uow_factory, SupplierForm(name=name))
    if uow_factory.engine.dialect.name == "postgresql":
        with uow_factory.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE price_list_rows, price_list_batches"))


def connect_suppliers(uow_factory: UnitOfWorkFactory, abcp_url: str, json_url: str, secrets: SecretStore) -> None:
    """Point the two online suppliers at this run's local servers (their ports change every run)."""
    suppliers = {supplier.name: supplier.id for supplier in list_suppliers(uow_factory)}
    with uow_factory() as uow:
        uow.session.execute(text("DELETE FROM online_suppliers"))
        uow.commit()
    save_online_supplier(uow_factory, OnlineSupplierForm(suppliers["Автоклик"], "abcp", abcp_url, login="api@id1",
                                                         timeout_ms=800), secret="pw", secrets=secrets)  # fmt: skip
    save_online_supplier(uow_factory, OnlineSupplierForm(
        suppliers["ШопАПИ"], "json", json_url, url_template=FakeJsonSupplier.URL_TEMPLATE,
        field_mapping=FakeJsonSupplier.MAPPING, timeout_ms=800), secret="k", secrets=secrets)  # fmt: skip


def articles(uow_factory: UnitOfWorkFactory, count: int, seed: int) -> list[tuple[str, str]]:
    """(article, brand) of parts that have analogs: the searches an advisor makes most."""
    with uow_factory(read_only=True) as uow:
        rows = uow.session.execute(
            select(Part.article, Part.brand).join(CrossReference, (CrossReference.article_key == Part.article_key)
                                                  & (CrossReference.brand_key == Part.brand_key)).limit(20_000)
        ).all()  # fmt: skip
    return [tuple(row) for row in random.Random(seed).sample(rows, min(count, len(rows)))]  # type: ignore[misc]


def percentiles(label: str, values: list[float]) -> None:
    values.sort()
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    print(f"  {label:28} n={len(values):4} p50 {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  "
          f"max {values[-1]:7.1f} ms", flush=True)  # fmt: skip


def measure(uow_factory: UnitOfWorkFactory, queries: list[tuple[str, str]], secrets: SecretStore) -> None:
    local, full, failures, offers = [], [], 0, 0
    for index, (article, brand) in enumerate(queries):
        started = time.perf_counter()
        for answer in iter_search(uow_factory, article, brand, refresh=True, secrets=secrets):
            if answer.kind == "price_lists":
                local.append((time.perf_counter() - started) * 1000)
            failures += answer.status != "ok"
            offers += len(answer.offers)
        if index >= 3:  # the first searches warm the connections and caches
            full.append((time.perf_counter() - started) * 1000)
    percentiles("own stock + analogs + lists", local[3:])
    percentiles("full answer (2 suppliers)", full)
    print(f"    {offers} offers shown, {failures} source failures", flush=True)


def run(label: str, url: str, folder: Path, options: argparse.Namespace, built: bool) -> None:
    print(f"{label}: {options.parts} parts, {options.pairs} cross pairs, 3 × {options.rows} price-list rows",
          flush=True)  # fmt: skip
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    uow_factory = UnitOfWorkFactory(engine)
    if not built:
        schema.upgrade(engine, target, None)
        build(uow_factory, folder, options)
    abcp, shop_api = FakeAbcp("api@id1", "pw"), FakeJsonSupplier("k")
    queries = articles(uow_factory, options.queries, options.seed)
    for article, brand in queries:  # both suppliers know every article asked
        abcp.add(brand, article, "Деталь", 1000, 5, 48)
        shop_api.add(brand, article, "Деталь", "990.00", 3, 2)
    abcp.behaviour.delay = shop_api.behaviour.delay = SUPPLIER_DELAY
    secrets = SecretStore()
    secrets.allow_session_only()
    with ExitStack() as stack:
        abcp_url = stack.enter_context(running(abcp))
        json_url = stack.enter_context(running(shop_api))
        connect_suppliers(uow_factory, abcp_url, json_url, secrets)
        measure(uow_factory, queries, secrets)
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", type=int, default=500_000)
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=500_000, help="rows of each of the three price lists")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgresql", action="store_true", help="on a fresh PostgreSQL database, not SQLite")
    parser.add_argument("--sqlite-file", help="build into this SQLite file, or only search it when it exists")
    parser.add_argument("--url", help="only search this database, built by an earlier run")
    options = parser.parse_args()
    print(f"load: {os.getloadavg()}  cpus: {os.cpu_count()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="asd-bench-") as name:
        folder = Path(name)
        database: AbstractContextManager[str]
        built = bool(options.url) or bool(options.sqlite_file and Path(options.sqlite_file).exists())
        if options.url:
            database = _given(options.url)
        elif options.postgresql:
            database = postgresql_database("quoting")
        else:
            database = _given(options.sqlite_file or str(folder / "bench.sqlite3"))
        with database as url:
            run("PostgreSQL" if "postgresql" in url else "SQLite", url, folder, options, built)
    return 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    sys.exit(main())
