"""Benchmark of the completion act of a work order with 50 lines (25 jobs, 25 parts): target < 300 ms.

    .venv/bin/python bench/documents.py                 # SQLite
    .venv/bin/python bench/documents.py --postgresql    # and PostgreSQL

"Render" is the PDF drawn from a ready form (print_forms.render, no database). "Read + render" reads the order's
card, builds the form and draws it in one read-only transaction. "Print" is print_work_order_document end to end
(card, form, number, PDF, stored row, audit, timeline, commit); the stored act is deleted between runs, untimed,
so every run prints anew instead of finding the first print. "Reprint" finds that first print and returns it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from bench_databases import new_database  # type: ignore[import-not-found]  # noqa: E402 - the bench folder is not a package
from sqlalchemy import delete, select

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.catalog import Service
from autoservice_desk.models.documents import PrintedDocument
from autoservice_desk.services import schema
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.parts import create_part
from autoservice_desk.services.print_forms import render
from autoservice_desk.services.print_forms.data import DocumentForm, DocumentKind, ShopDetails
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle
from autoservice_desk.services.work_order_card import read_card
from autoservice_desk.services.work_order_documents import print_work_order_document, work_order_form_of
from autoservice_desk.services.work_order_lines import LabourInput, add_labour
from autoservice_desk.services.work_order_parts import SpecialPartInput, add_special_order_part
from autoservice_desk.services.work_order_types import OpenRequest
from autoservice_desk.services.work_orders import open_work_order

RUNS, JOBS, PARTS = 30, 25, 25
SHOP = ShopDetails(
    name="Автосервис «Мотор»", legal_name="ООО «Мотор-Сервис»", inn="7707083893", kpp="773601001",
    address="г. Москва, ул. Автозаводская, д. 23", phone="+7 495 123-45-67", bank_name="ПАО СБЕРБАНК",
    bik="044525225", account="40702810938000012345", corr_account="30101810400000000225",
)  # fmt: skip


def fifty_line_order(uow_factory: UnitOfWorkFactory) -> int:
    """A work order with JOBS labour lines from the catalog and PARTS special-order parts, all priced."""
    client = create_client(uow_factory, ClientForm(surname="Иванов", given_name="Пётр", patronymic="Сергеевич"))
    vehicle = create_vehicle(uow_factory, client, VehicleForm(make="Lada", model="Vesta", year="2021",
                                                              plate="А123ВС777"))  # fmt: skip
    with uow_factory(read_only=True) as uow:
        services = list(uow.session.scalars(select(Service.id).order_by(Service.id)))
    card = open_work_order(uow_factory, OpenRequest(client, vehicle, complaint="Стук спереди", mileage=48_250))
    for index in range(JOBS):
        card = add_labour(uow_factory, card.id, card.version, LabourInput(services[index % len(services)]))
    for index in range(PARTS):
        part = create_part(uow_factory, PartForm(article=f"OC {100 + index}", brand="Mahle",
                                                 name=f"Фильтр масляный с длинным названием № {index}"))  # fmt: skip
        card = add_special_order_part(uow_factory, card.id, card.version,
                                      SpecialPartInput(part, Decimal(2), Decimal("512.50")))  # fmt: skip
    assert len(card.labour) + len(card.parts) == JOBS + PARTS
    return card.id


def timed(action: Callable[[], object], before: Callable[[], object] | None = None) -> list[float]:
    action()  # warm: fonts registered, statements compiled
    times = []
    for _ in range(RUNS):
        if before is not None:
            before()
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    print(f"  {label:<16} median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ordered)})")


def run(url: str) -> None:
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    schema.upgrade(engine, target, None)
    uow_factory = UnitOfWorkFactory(engine)
    order_id = fifty_line_order(uow_factory)

    def form() -> DocumentForm:
        return run_in_transaction(uow_factory, lambda uow: work_order_form_of(
            uow, read_card(uow, order_id), DocumentKind.COMPLETION_ACT, SHOP), read_only=True)  # fmt: skip

    ready = form()
    pdf = render(ready)

    def forget_prints() -> None:
        with uow_factory() as uow:
            uow.session.execute(delete(PrintedDocument))
            uow.commit()

    def print_act() -> object:
        return print_work_order_document(uow_factory, order_id, DocumentKind.COMPLETION_ACT, SHOP)

    print(f"{engine.dialect.name}: completion act of {JOBS + PARTS} lines, {len(pdf) // 1024} KiB")
    report("render", timed(lambda: render(ready)))
    report("read + render", timed(lambda: render(form())))
    report("print", timed(print_act, before=forget_prints))
    report("reprint", timed(print_act))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true", help="also run against a new PostgreSQL database")
    arguments = parser.parse_args()
    for postgresql in (False, True) if arguments.postgresql else (False,):
        with new_database(postgresql, "documents") as url:
            run(url)


if __name__ == "__main__":
    main()
