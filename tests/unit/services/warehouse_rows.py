"""Test rows for the warehouse written through the ORM: parts, places, clients, and stock put the way posting does."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import (
    Part,
    StockBalance,
    StockDocument,
    StockDocumentLine,
    StockLocation,
    StockMove,
    Supplier,
)
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

JAN_10 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def add_part(
    uow: UnitOfWork,
    article: str,
    *,
    unit: str = "pcs",
    fractional: bool = False,
    min_stock: str = "0",
    price: str | None = None,
    active: bool = True,
) -> int:
    part = Part(
        article=article, article_key=article.upper(), brand="TEST", brand_key="TEST", name=f"Part {article}",
        name_key=f"part {article.lower()}", unit=unit, fractional=fractional, min_stock=Decimal(min_stock),
        purchase_price=Decimal(price) if price is not None else None, active=active,
    )  # fmt: skip
    uow.session.add(part)
    uow.session.flush()
    return part.id


def add_place(uow: UnitOfWork, name: str, warehouse_id: int | None = None) -> int:
    """A warehouse (no *warehouse_id*) or a shelf in one."""
    place = StockLocation(
        parent_id=warehouse_id, warehouse_id=warehouse_id, kind="shelf" if warehouse_id else "warehouse", name=name,
        code=name,
    )  # fmt: skip
    uow.session.add(place)
    uow.session.flush()
    return place.id


def add_client(uow: UnitOfWork, surname: str) -> int:
    client = Client(kind="person", surname=surname, sort_key=surname.casefold())
    uow.session.add(client)
    uow.session.flush()
    return client.id


def add_supplier(uow: UnitOfWork, name: str, *, delivery_days: int | None = None, active: bool = True) -> int:
    supplier = Supplier(name=name, delivery_days=delivery_days, active=active)
    uow.session.add(supplier)
    uow.session.flush()
    return supplier.id


def put_stock(
    uow: UnitOfWork,
    part_id: int,
    location_id: int,
    quantity: str,
    unit_cost: str = "100",
    *,
    at: datetime = JAN_10,
    kind: str = "receipt",
    supplier_id: int | None = None,
) -> int:
    """Post a one-line document of *kind*: a move (signed *quantity*) and the balance updated; the line's id."""
    amount = Decimal(quantity)
    document = StockDocument(
        kind=kind, year=at.year, status="posted", document_date=at.date(), supplier_id=supplier_id, posted_at=at,
        posted_by="test",
    )  # fmt: skip
    uow.session.add(document)
    uow.session.flush()
    line = StockDocumentLine(
        document_id=document.id, position=1, part_id=part_id, quantity=abs(amount),
        price=Decimal(unit_cost).quantize(Decimal("0.01")),
        to_location_id=location_id if amount > 0 else None, from_location_id=location_id if amount < 0 else None,
    )  # fmt: skip
    uow.session.add(line)
    uow.session.flush()
    uow.session.add(
        StockMove(
            document_id=document.id,
            line_id=line.id,
            part_id=part_id,
            location_id=location_id,
            quantity=amount,
            unit_cost=Decimal(unit_cost),
            moved_at=at,
        )  # fmt: skip
    )
    balance = uow.session.get(StockBalance, (part_id, location_id))
    if balance is None:
        uow.session.add(StockBalance(part_id=part_id, location_id=location_id, quantity=amount, reserved=Decimal(0)))
    else:
        balance.quantity += amount
    uow.session.flush()
    return line.id


def balance(uow_factory: UnitOfWorkFactory, part_id: int, location_id: int) -> tuple[Decimal, Decimal]:
    """(quantity, reserved) on the place now."""
    with uow_factory(read_only=True) as uow:
        row = uow.session.get(StockBalance, (part_id, location_id))
        return (row.quantity, row.reserved) if row is not None else (Decimal(0), Decimal(0))
