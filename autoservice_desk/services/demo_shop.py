"""The rest of a demo shop beside its clients: bays, mechanics and bookings, a stocked warehouse and a supplier."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from autoservice_desk.models.inventory import Part, StockLocation
from autoservice_desk.models.scheduling import Bay
from autoservice_desk.services.demo_schedule import add_demo_bookings, add_demo_resources
from autoservice_desk.services.demo_warehouse import add_demo_warehouse
from autoservice_desk.services.demo_work_orders import add_demo_work_orders
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

DEMO_PARTS = 2_000
STOCKED_PARTS = 150  # one receipt puts these on the shelves, so the stock browser has something to show


@dataclass(frozen=True)
class DemoShopSummary:
    bookings: int
    parts: int
    stocked_parts: int
    work_orders: int = 0


def add_demo_shop(uow_factory: UnitOfWorkFactory, zone: ZoneInfo, seed: int = 2026) -> DemoShopSummary:
    """Add what is missing: resources and two weeks of bookings around today; parts with a first receipt."""

    def state(uow: UnitOfWork) -> tuple[int, int]:
        bays = uow.session.scalar(select(func.count()).select_from(Bay)) or 0
        parts = uow.session.scalar(select(func.count()).select_from(Part)) or 0
        return int(bays), int(parts)

    bays, parts = run_in_transaction(uow_factory, state, read_only=True)
    bookings = 0
    if not bays:
        add_demo_resources(uow_factory)
        bookings = add_demo_bookings(uow_factory, zone, datetime.now(zone).date(), seed=seed)
    made_parts = stocked = 0
    if not parts:
        made_parts = add_demo_warehouse(uow_factory, parts=DEMO_PARTS, seed=seed).parts
        stocked = _first_receipt(uow_factory, seed)
    work_orders = add_demo_work_orders(uow_factory, zone, seed)  # none if the shop already has some
    return DemoShopSummary(bookings, made_parts, stocked, work_orders)


def _first_receipt(uow_factory: UnitOfWorkFactory, seed: int) -> int:
    """One posted receipt from a demo supplier, spreading some parts over the bins."""
    generator = random.Random(seed)

    def choices(uow: UnitOfWork) -> tuple[list[tuple[int, bool, Decimal | None]], list[int]]:
        parts = uow.session.execute(
            select(Part.id, Part.fractional, Part.purchase_price).order_by(Part.id).limit(STOCKED_PARTS)
        ).all()
        bins = list(uow.session.scalars(select(StockLocation.id).where(StockLocation.kind == "bin")))
        return [(row[0], row[1], row[2]) for row in parts], bins

    parts, bins = run_in_transaction(uow_factory, choices, read_only=True)
    if not parts or not bins:
        return 0
    supplier = create_supplier(
        uow_factory, SupplierForm(name="ООО «АвтоДеталь»", phone="+7 343 200-00-00", delivery_days=2, payment_days=14)
    )
    lines = [
        LineInput(
            part_id,
            Decimal(generator.choice((2, 4, 5, 10))) if not fractional else Decimal("20.000"),
            price if price is not None else Decimal(generator.randrange(150, 5000)),
            to_location_id=generator.choice(bins),
        )
        for part_id, fractional, price in parts
    ]
    receipt = create_receipt(uow_factory, supplier, lines, supplier_invoice="1024")
    post_document(uow_factory, receipt.id, receipt.version)
    return len(lines)
