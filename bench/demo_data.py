"""Benchmark of the demo-shop generator on a fresh SQLite file (and, with --postgresql, a fresh PostgreSQL database).

    .venv/bin/python bench/demo_data.py --clients 1000000
    .venv/bin/python bench/demo_data.py --clients 100000 --postgresql
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench_databases import PG_ADMIN_URL, postgresql_database  # type: ignore[import-not-found]  # noqa: E402 - the bench folder is not a package

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services import demo_data, schema
from autoservice_desk.services.demo_data import DemoSize, DemoSummary, generate_demo_data
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="asd-bench-") as folder:
        yield str(Path(folder) / "bench.sqlite3")


def run(label: str, url: str, size: DemoSize, quiet: bool) -> None:
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    schema.upgrade(engine, target, None)
    last_report = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last_report
        now = time.perf_counter()
        if not quiet and (now - last_report > 1 or done == total):
            last_report = now
            print(f"\r  {label}: {done:,}/{total:,} clients ({now - started:.1f} s)", end="", file=sys.stderr)

    load_before = load_average()
    started = time.perf_counter()
    try:
        summary = generate_demo_data(UnitOfWorkFactory(engine), size, progress)
    finally:
        engine.dispose()
    elapsed = time.perf_counter() - started
    if not quiet:
        print(file=sys.stderr)
    report(label, summary, elapsed, target.sqlite_path if target.is_sqlite else None)
    # The machine may be shared: the figure means little without the load it was measured under.
    print(f"{label}: load average {load_before:.2f} before, {load_average():.2f} after ({os.cpu_count()} CPUs)")


def load_average() -> float:
    """The one-minute load average (NaN where the system has none, as on Windows)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def report(label: str, summary: DemoSummary, elapsed: float, sqlite_path: Path | None) -> None:
    rows = summary.clients + summary.phones + summary.vehicles
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"{label}: {summary.clients:,} clients, {summary.phones:,} phones, {summary.vehicles:,} vehicles")
    rates = f"{rows / elapsed:,.0f} rows/s ({summary.clients / elapsed:,.0f} clients/s)"
    print(f"{label}: {rows:,} rows in {elapsed:.1f} s = {rates}")
    size = f", file {sqlite_path.stat().st_size / 2**20:,.0f} MiB" if sqlite_path and sqlite_path.exists() else ""
    print(f"{label}: peak RSS of this process so far {peak_mib:,.0f} MiB{size}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=100_000, help="clients to generate (default 100000)")
    parser.add_argument("--batch", type=int, default=DemoSize.batch, help="clients per batch and transaction")
    parser.add_argument("--seed", type=int, default=DemoSize.seed)
    parser.add_argument("--postgresql", action="store_true", help=f"also run on a new database at {PG_ADMIN_URL}")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.add_argument(
        "--no-worker", action="store_true", help="a bulk load drafts in this process instead of a second one"
    )
    options = parser.parse_args(argv)
    if not options.quiet:  # the bulk load's rebuild steps and their times
        logging.basicConfig(format="  %(message)s")
        logging.getLogger("autoservice_desk.services.demo_load").setLevel(logging.INFO)
    demo_data.BULK_LOAD_IN_WORKER = not options.no_worker
    size = DemoSize(clients=options.clients, batch=options.batch, seed=options.seed)
    if not options.no_sqlite:
        with sqlite_database() as url:
            run("SQLite", url, size, options.quiet)
    if options.postgresql:
        with postgresql_database("demo") as url:
            run("PostgreSQL", url, size, options.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
