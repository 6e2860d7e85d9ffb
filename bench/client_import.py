"""Benchmark of the client import: a generated XLSX of N rows (default 100,000) into a fresh SQLite / PostgreSQL.

    .venv/bin/python bench/client_import.py --rows 100000 --postgresql

Prints the time to write the file (not part of the target), to check it, and to import it in one transaction.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_databases import postgresql_database  # type: ignore[import-not-found]
from demo_data import sqlite_database  # type: ignore[import-not-found]

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services import schema
from autoservice_desk.services.client_import import auto_mapping, plan_import, preview_file
from autoservice_desk.services.client_import_writer import import_clients
from autoservice_desk.services.demo_clients import Drafter
from autoservice_desk.services.demo_identity import make_plate, make_vin
from autoservice_desk.services.table_files import write_table
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

HEADERS = ["Фамилия", "Имя", "Отчество", "Телефон", "E-mail", "Дата рождения", "Марка", "Модель", "Год выпуска",
           "VIN", "Госномер", "Пробег"]  # fmt: skip


def write_file(path: Path, rows: int, seed: int) -> None:
    drafter = Drafter(random.Random(seed), 1.0, date(2026, 11, 22))

    def lines():  # type: ignore[no-untyped-def]
        for number in range(1, rows + 1):
            draft = drafter.client()
            row = draft.row
            car = draft.vehicles[0] if draft.vehicles else drafter.vehicle([])
            plate = make_plate(car.region, number) if car.region else ""
            birthday = row["birthday"].strftime("%d.%m.%Y") if row["birthday"] else ""
            yield (row["surname"] or "", row["given_name"] or row["company_name"] or "", row["patronymic"] or "",
                   draft.phones[0], row["email"] or "", birthday, car.car.make, car.car.model, car.year,
                   make_vin(car.car, car.year, number), plate, car.readings[-1][1])  # fmt: skip

    write_table(path, HEADERS, lines())


def run(label: str, url: str, path: Path) -> None:
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    schema.upgrade(engine, target, None)
    uow_factory = UnitOfWorkFactory(engine)
    mapping = auto_mapping(preview_file(path).headers)
    try:
        started = time.perf_counter()
        plan = plan_import(uow_factory, path, mapping)
        checked = time.perf_counter() - started
        started = time.perf_counter()
        report = import_clients(uow_factory, path, mapping)
        imported = time.perf_counter() - started
    finally:
        engine.dispose()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: check only {checked:.1f} s ({plan.valid_rows:,} valid rows, {plan.invalid_rows} invalid)")
    print(f"{label}: check + import {imported:.1f} s: {report.new_clients:,} clients, {report.vehicles:,} cars "
          f"= {report.total_rows / imported:,.0f} rows/s; peak RSS {peak_mib:,.0f} MiB")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgresql", action="store_true", help="also import into a new PostgreSQL database")
    parser.add_argument("--no-sqlite", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asd-bench-import-") as folder:
        path = Path(folder) / "clients.xlsx"
        started = time.perf_counter()
        write_file(path, options.rows, options.seed)
        size = path.stat().st_size / 2**20
        print(f"file: {options.rows:,} rows, {size:.1f} MiB, written in {time.perf_counter() - started:.1f} s")
        if not options.no_sqlite:
            with sqlite_database() as url:
                run("SQLite", url, path)
        if options.postgresql:
            with postgresql_database("import") as url:
                run("PostgreSQL", url, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
