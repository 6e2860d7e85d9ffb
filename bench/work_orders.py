"""Benchmark of work orders: open a card with 50 lines, add a line, the board and a page of the list.

    .venv/bin/python bench/work_orders.py                 # SQLite
    .venv/bin/python bench/work_orders.py --postgresql    # and PostgreSQL

The card (`get_work_order`: header, 30 jobs, 15 stock parts, 5 of the client's own, totals, recommendations, 20
time-clock entries) is read among 1,000 other work orders of 200 clients. "Add a job" is one `add_labour` through
the norms, committed, returning the card. The board is every open order by status; the list a page of 200.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from bench_databases import new_database  # noqa: E402 - the bench folder is not a package

from autoservice_desk.db import create_database_engine, parse_database_url  # noqa: E402
from autoservice_desk.models.catalog import Service  # noqa: E402
from autoservice_desk.models.clients import Client  # noqa: E402
from autoservice_desk.models.inventory import Part, StockLocation  # noqa: E402
from autoservice_desk.models.work_orders import TimeClockEntry, WorkOrder, WorkOrderLabour  # noqa: E402
from autoservice_desk.services import schema  # noqa: E402
from autoservice_desk.services.demo_schedule import add_demo_resources  # noqa: E402
from autoservice_desk.services.recommendations import RecommendationInput, add_recommendation  # noqa: E402
from autoservice_desk.services.stock_documents import create_receipt  # noqa: E402
from autoservice_desk.services.stock_forms import LineInput  # noqa: E402
from autoservice_desk.services.stock_posting import post_document  # noqa: E402
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory  # noqa: E402
from autoservice_desk.services.work_order_board import WorkOrderFilter, list_work_orders, service_board  # noqa: E402
from autoservice_desk.services.work_order_card import get_work_order  # noqa: E402
from autoservice_desk.services.work_order_lines import LabourInput, add_labour  # noqa: E402
from autoservice_desk.services.work_order_parts import (  # noqa: E402
    OwnPartInput,
    StockPartInput,
    add_own_part,
    add_stock_part,
)
from autoservice_desk.services.work_order_types import OpenRequest  # noqa: E402
from autoservice_desk.services.work_orders import open_work_order  # noqa: E402

OTHER_ORDERS, CLIENTS, RUNS = 1_000, 200, 30
D = Decimal


def timed(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    spent = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        spent.append((time.perf_counter() - began) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1]


def fill(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    """Other orders written directly (for speed); the measured one built through the services. Its id and a job."""
    resources = add_demo_resources(uow_factory)
    generator = random.Random(1)
    now = datetime.now(UTC)
    with uow_factory() as uow:
        services = list(uow.session.scalars(select(Service.id).where(Service.active)))
        clients = [Client(kind="person", surname=f"Клиентов{number}", given_name="Иван", sort_key=f"клиентов{number}")
                   for number in range(CLIENTS)]  # fmt: skip
        warehouse = StockLocation(kind="warehouse", name="Основной")
        uow.session.add_all([*clients, warehouse])
        uow.session.flush()
        shelf = StockLocation(parent_id=warehouse.id, warehouse_id=warehouse.id, kind="shelf", name="A-1", code="A-1")
        parts = [Part(article=f"ART{number}", article_key=f"ART{number}", name=f"Деталь {number}",
                      name_key=f"деталь {number}") for number in range(15)]  # fmt: skip
        uow.session.add_all([shelf, *parts])
        statuses = ("new", "diagnostics", "in_work", "quality_check", "ready", "issued", "issued", "issued")
        for number in range(1, OTHER_ORDERS + 1):
            order = WorkOrder(
                year=2020, number=number, client_id=generator.choice(clients).id, status=generator.choice(statuses),
                opened_at=now - timedelta(days=generator.randrange(300)), vat_mode="vat20",
                planned_at=now + timedelta(hours=generator.randrange(-48, 48)),
            )  # fmt: skip
            uow.session.add(order)
            uow.session.flush()
            for position in range(1, 4):
                uow.session.add(WorkOrderLabour(
                    work_order_id=order.id, position=position, service_id=generator.choice(services), name="Работа",
                    hours=D("1.00"), norm_hours=D("1.00"), hourly_rate=D("2200.00"),
                ))  # fmt: skip
        uow.session.flush()
        client_id, shelf_id, part_ids = clients[0].id, shelf.id, [part.id for part in parts]
        uow.commit()
    receipt = create_receipt(uow_factory, None, [LineInput(part, D(10), D(500), to_location_id=shelf_id)
                                                  for part in part_ids])  # fmt: skip
    post_document(uow_factory, receipt.id, receipt.version)
    card = open_work_order(uow_factory, OpenRequest(client_id, None, mechanic_ids=resources.mechanic_ids[:2]))
    for number in range(30):
        card = add_labour(uow_factory, card.id, card.version, LabourInput(services[number % len(services)]))
    for part_id in part_ids:
        card = add_stock_part(uow_factory, card.id, card.version, StockPartInput(part_id, shelf_id, D(2), D("900.00")))
    for number in range(5):
        card = add_own_part(uow_factory, card.id, card.version, OwnPartInput(f"Своя деталь {number}", D(1)))
    for number in range(5):
        add_recommendation(uow_factory, card.id, RecommendationInput(f"Рекомендация {number}", services[number]))
    with uow_factory() as uow:
        for number in range(20):
            started = now - timedelta(hours=20 - number)
            uow.session.add(TimeClockEntry(
                mechanic_id=resources.mechanic_ids[number % 2], work_order_id=card.id,
                labour_id=card.labour[number].id, started_at=started, ended_at=started + timedelta(minutes=40),
                end_reason="stopped", note="",
            ))  # fmt: skip
        uow.commit()
    return card.id, services[0]


def run(url: str, label: str) -> None:
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    schema.upgrade(engine, target, None)
    uow_factory = UnitOfWorkFactory(engine)
    order_id, service_id = fill(uow_factory)
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    card = get_work_order(uow_factory, order_id)
    lines = len(card.labour) + len(card.parts)
    assert lines == 50, lines
    read = timed(lambda: get_work_order(uow_factory, order_id))
    versions = [card.version]

    def add_one() -> None:
        versions.append(add_labour(uow_factory, order_id, versions[-1], LabourInput(service_id)).version)

    add = timed(add_one, 20)
    board = timed(lambda: service_board(uow_factory), 10)
    page = timed(lambda: list_work_orders(uow_factory, WorkOrderFilter(statuses=None)), 10)
    search = timed(lambda: list_work_orders(uow_factory, WorkOrderFilter(text="клиентов12")), 10)
    print(f"{label}: one work order with {lines} lines among {OTHER_ORDERS} others (ms, p50 / p95)")
    print(f"  open the card (get_work_order)       {read[0]:7.1f} / {read[1]:7.1f}   target < 100")
    print(f"  add a job (norms, commit, card back) {add[0]:7.1f} / {add[1]:7.1f}")
    print(f"  advisors' board (all open orders)    {board[0]:7.1f} / {board[1]:7.1f}")
    print(f"  list page of 200                     {page[0]:7.1f} / {page[1]:7.1f}")
    print(f"  list search by client name           {search[0]:7.1f} / {search[1]:7.1f}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true", help="also run against a new PostgreSQL database")
    options = parser.parse_args()
    with new_database(False, "work_orders") as url:
        run(url, "SQLite")
    if options.postgresql:
        with new_database(True, "work_orders") as url:
            run(url, "PostgreSQL")


if __name__ == "__main__":
    main()
