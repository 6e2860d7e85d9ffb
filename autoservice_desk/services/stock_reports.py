"""Stock reports over the ledger: stock on a date with its value, a part's movements, below minimum, dead stock."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func, or_, select, true, type_coerce

from autoservice_desk.models.inventory import (
    Part,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
    StockDocument,
    StockLocation,
    StockMove,
)
from autoservice_desk.models.types import Quantity, ScaledDecimal
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

PAGE = 500
OPEN_ORDER_STATUSES = ("draft", "sent", "partial")
KOPECK = Decimal("0.01")
# quantity (3 places) × unit cost (4 places) has 7 places; on SQLite both are scaled integers, so their product is
# an integer count of 10⁻⁷ roubles (exact up to about 9·10¹¹ roubles a row, far beyond a shop's stock).
_VALUE = ScaledDecimal(32, 7)


@dataclass(frozen=True)
class StockOnDateRow:
    """What one place held of one part at the moment asked, and its book value (Σ quantity × move cost)."""

    part_id: int
    article: str
    brand: str
    name: str
    unit: str
    location_id: int
    location_name: str
    location_code: str
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class StockTotals:
    positions: int  # (part, place) pairs with stock
    value: Decimal


@dataclass(frozen=True)
class MoveRow:
    """One move of a part; *quantity* is signed (+ in, − out)."""

    move_id: int
    moved_at: datetime
    document_id: int
    document_kind: str
    document_year: int
    document_number: int | None
    location_id: int
    location_name: str
    quantity: Decimal
    unit_cost: Decimal


@dataclass(frozen=True)
class MovementSummary:
    part_id: int
    opening: Decimal
    incoming: Decimal
    outgoing: Decimal  # positive: how much went out
    closing: Decimal


@dataclass(frozen=True)
class ShortageRow:
    """A part whose free stock is below its minimum; *to_order* tops it up to the minimum (whole for pcs)."""

    part_id: int
    article: str
    brand: str
    name: str
    unit: str
    fractional: bool
    min_stock: Decimal
    quantity: Decimal
    reserved: Decimal
    available: Decimal
    on_order: Decimal
    to_order: Decimal
    purchase_price: Decimal | None


@dataclass(frozen=True)
class DeadStockRow:
    """A part in stock that has not been issued for the period asked (never, when *last_issue_at* is None)."""

    part_id: int
    article: str
    brand: str
    name: str
    unit: str
    quantity: Decimal
    value: Decimal
    last_issue_at: datetime | None
    first_move_at: datetime


def _quantity(expression: Any) -> ColumnElement[Decimal]:
    # Arithmetic on ScaledDecimal columns loses the type (SQLite would return the raw scaled integer).
    return type_coerce(expression, Quantity())


def _value(expression: Any) -> ColumnElement[Decimal]:
    return type_coerce(func.sum(expression), _VALUE)


def _money(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(KOPECK, rounding=ROUND_HALF_UP)


def _in_warehouse(warehouse_id: int | None) -> ColumnElement[bool]:
    """Moves on the warehouse's places (all of them when *warehouse_id* is None)."""
    if warehouse_id is None:
        return true()
    places = select(StockLocation.id).where(
        or_(StockLocation.warehouse_id == warehouse_id, StockLocation.id == warehouse_id)
    )
    return StockMove.location_id.in_(places)


# --- Stock on a date --------------------------------------------------------------------------------------------


def stock_on_date(
    uow_factory: UnitOfWorkFactory,
    until: datetime,
    *,
    warehouse_id: int | None = None,
    after: tuple[int, int] | None = None,
    limit: int = PAGE,
) -> list[StockOnDateRow]:
    """Stock per (part, place) from the moves made before *until*, ordered by part and place id.

    *until* is exclusive: for "stock on 31 March" pass the start of 1 April in the shop's time zone.
    Paged by keyset: pass the last row's (part_id, location_id) as *after*. The grouping walks
    ix_stock_moves_part_location, whose last column (moved_at) also filters the period.
    """

    def work(uow: UnitOfWork) -> list[StockOnDateRow]:
        quantity = _quantity(func.sum(StockMove.quantity))
        grouped = select(
            StockMove.part_id, StockMove.location_id, quantity.label("quantity"),
            _value(StockMove.quantity * StockMove.unit_cost).label("value"),
        ).where(StockMove.moved_at < until, _in_warehouse(warehouse_id))  # fmt: skip
        if after is not None:
            grouped = grouped.where(
                or_(StockMove.part_id > after[0], and_(StockMove.part_id == after[0], StockMove.location_id > after[1]))
            )
        sub = (
            grouped.group_by(StockMove.part_id, StockMove.location_id)
            .having(func.sum(StockMove.quantity) != 0)
            .order_by(StockMove.part_id, StockMove.location_id)
            .limit(limit)
            .subquery()
        )
        rows = uow.session.execute(
            select(Part.id, Part.article, Part.brand, Part.name, Part.unit, StockLocation.id, StockLocation.name,
                   StockLocation.code, sub.c.quantity, sub.c.value)
            .join(Part, Part.id == sub.c.part_id)
            .join(StockLocation, StockLocation.id == sub.c.location_id)
            .order_by(sub.c.part_id, sub.c.location_id)
        )  # fmt: skip
        return [
            StockOnDateRow(part_id, article, brand, name, unit, place_id, place, code, quantity, _money(value))
            for part_id, article, brand, name, unit, place_id, place, code, quantity, value in rows
        ]

    return run_in_transaction(uow_factory, work, read_only=True)


def stock_totals_on_date(
    uow_factory: UnitOfWorkFactory, until: datetime, *, warehouse_id: int | None = None
) -> StockTotals:
    """How many (part, place) positions held stock before *until*, and the stock's whole book value."""

    def work(uow: UnitOfWork) -> StockTotals:
        grouped = select(
            func.sum(StockMove.quantity).label("quantity"),
            _value(StockMove.quantity * StockMove.unit_cost).label("value"),
        ).where(StockMove.moved_at < until, _in_warehouse(warehouse_id))
        grouped = grouped.group_by(StockMove.part_id, StockMove.location_id)
        sub = grouped.having(func.sum(StockMove.quantity) != 0).subquery()
        count, value = uow.session.execute(
            select(func.count(), type_coerce(func.sum(sub.c.value), _VALUE)).select_from(sub)
        ).one()
        return StockTotals(int(count or 0), _money(value))

    return run_in_transaction(uow_factory, work, read_only=True)


# --- Movements of a part ----------------------------------------------------------------------------------------


def part_movements(
    uow_factory: UnitOfWorkFactory,
    part_id: int,
    start: datetime,
    end: datetime,
    *,
    after: tuple[datetime, int] | None = None,
    limit: int = PAGE,
) -> list[MoveRow]:
    """The part's moves with start ≤ moved_at < end, oldest first; page on with the last row's (moved_at, id)."""

    def work(uow: UnitOfWork) -> list[MoveRow]:
        query = (
            select(StockMove.id, StockMove.moved_at, StockDocument.id, StockDocument.kind, StockDocument.year,
                   StockDocument.number, StockLocation.id, StockLocation.name, StockMove.quantity,
                   StockMove.unit_cost)
            .join(StockDocument, StockDocument.id == StockMove.document_id)
            .join(StockLocation, StockLocation.id == StockMove.location_id)
            .where(StockMove.part_id == part_id, StockMove.moved_at >= start, StockMove.moved_at < end)
            .order_by(StockMove.moved_at, StockMove.id)
            .limit(limit)
        )  # fmt: skip
        if after is not None:
            query = query.where(
                or_(StockMove.moved_at > after[0], and_(StockMove.moved_at == after[0], StockMove.id > after[1]))
            )
        return [
            MoveRow(move_id, moved_at, document_id, kind, year, number, place_id, place, quantity, cost)
            for move_id, moved_at, document_id, kind, year, number, place_id, place, quantity, cost
            in uow.session.execute(query)
        ]  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def movement_summary(uow_factory: UnitOfWorkFactory, part_id: int, start: datetime, end: datetime) -> MovementSummary:
    """Opening stock at *start*, what came in and went out before *end*, and the closing stock (all places)."""

    def work(uow: UnitOfWork) -> MovementSummary:
        zero = Decimal(0)
        in_period = and_(StockMove.moved_at >= start, StockMove.moved_at < end)
        opening, incoming, outgoing = uow.session.execute(
            select(
                _quantity(func.sum(case((StockMove.moved_at < start, StockMove.quantity), else_=0))),
                _quantity(func.sum(case((and_(in_period, StockMove.quantity > 0), StockMove.quantity), else_=0))),
                _quantity(func.sum(case((and_(in_period, StockMove.quantity < 0), -StockMove.quantity), else_=0))),
            ).where(StockMove.part_id == part_id, StockMove.moved_at < end)
        ).one()
        opening, incoming, outgoing = opening or zero, incoming or zero, outgoing or zero
        return MovementSummary(part_id, opening, incoming, outgoing, opening + incoming - outgoing)

    return run_in_transaction(uow_factory, work, read_only=True)


# --- Below minimum ----------------------------------------------------------------------------------------------


def _stock_by_part() -> Subquery:
    return (
        select(
            StockBalance.part_id,
            _quantity(func.sum(StockBalance.quantity)).label("quantity"),
            _quantity(func.sum(StockBalance.reserved)).label("reserved"),
        )
        .group_by(StockBalance.part_id)
        .subquery()
    )


def _on_order_by_part() -> Subquery:
    outstanding = case(
        (
            PurchaseOrderLine.quantity > PurchaseOrderLine.received,
            PurchaseOrderLine.quantity - PurchaseOrderLine.received,
        ),
        else_=0,
    )
    return (
        select(PurchaseOrderLine.part_id, _quantity(func.sum(outstanding)).label("on_order"))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        # A special order's line brings stock that is reserved for its client on arrival: not free stock.
        .where(PurchaseOrder.status.in_(OPEN_ORDER_STATUSES), PurchaseOrderLine.special_order_id.is_(None))
        .group_by(PurchaseOrderLine.part_id)
        .subquery()
    )


def whole_units(quantity: Decimal, fractional: bool) -> Decimal:
    """*quantity* rounded up to a whole number for parts sold in pieces; as it is for litres and metres."""
    return quantity if fractional else quantity.to_integral_value(rounding=ROUND_CEILING).quantize(Decimal("0.001"))


def read_shortages(
    uow: UnitOfWork,
    *,
    counting_orders: bool,
    after_part_id: int | None = None,
    limit: int | None = None,
    part_ids: Collection[int] | None = None,
) -> list[ShortageRow]:
    """Active parts whose free stock (Σ quantity − reserved over places) is below their minimum, by part id.

    With *counting_orders* the quantity still expected on open purchase orders (draft, sent, partial; lines for
    special orders left out) counts as stock too: that is what a new order must not duplicate.
    """
    stock, on_order = _stock_by_part(), _on_order_by_part()
    quantity = func.coalesce(stock.c.quantity, 0)
    reserved = func.coalesce(stock.c.reserved, 0)
    ordered = func.coalesce(on_order.c.on_order, 0)
    covered = quantity - reserved + ordered if counting_orders else quantity - reserved
    query = (
        select(Part.id, Part.article, Part.brand, Part.name, Part.unit, Part.fractional, Part.min_stock,
               _quantity(quantity), _quantity(reserved), _quantity(ordered), Part.purchase_price)
        .outerjoin(stock, stock.c.part_id == Part.id)
        .outerjoin(on_order, on_order.c.part_id == Part.id)
        .where(Part.active, Part.min_stock > 0, covered < Part.min_stock)
        .order_by(Part.id)
    )  # fmt: skip
    if after_part_id is not None:
        query = query.where(Part.id > after_part_id)
    if part_ids is not None:
        query = query.where(Part.id.in_(list(part_ids)))
    if limit is not None:
        query = query.limit(limit)
    result = []
    for part_id, article, brand, name, unit, fractional, minimum, held, kept, expected, price in uow.session.execute(
        query
    ):
        available = held - kept
        missing = max(minimum - available - expected, Decimal(0))
        result.append(ShortageRow(part_id, article, brand, name, unit, fractional, minimum, held, kept, available,
                                  expected, whole_units(missing, fractional), price))  # fmt: skip
    return result


def below_minimum(
    uow_factory: UnitOfWorkFactory, *, after_part_id: int | None = None, limit: int = PAGE
) -> list[ShortageRow]:
    """Parts whose free stock is below the minimum, whether or not they are already on order (see *on_order*)."""
    return run_in_transaction(
        uow_factory,
        lambda uow: read_shortages(uow, counting_orders=False, after_part_id=after_part_id, limit=limit),
        read_only=True,
    )


# --- Dead stock -------------------------------------------------------------------------------------------------


def dead_stock(
    uow_factory: UnitOfWorkFactory, days: int, *, after_part_id: int | None = None, limit: int = PAGE
) -> list[DeadStockRow]:
    """Parts in stock for at least *days* days that no goods issue has taken from in the last *days* days.

    Only issues count as use: a transfer between shelves or a count does not make a part sell. Parts that came
    in for the first time within the period are not dead yet. Ordered by part id, paged by *after_part_id*.
    """

    def work(uow: UnitOfWork) -> list[DeadStockRow]:
        cutoff = uow.clock() - timedelta(days=days)
        stock = (
            select(StockBalance.part_id, _quantity(func.sum(StockBalance.quantity)).label("quantity"))
            .group_by(StockBalance.part_id)
            .having(func.sum(StockBalance.quantity) > 0)
            .subquery()
        )
        issued = (
            select(StockMove.part_id, func.max(StockMove.moved_at).label("at"))
            .join(StockDocument, StockDocument.id == StockMove.document_id)
            .where(StockDocument.kind == "issue", StockMove.quantity < 0)
            .group_by(StockMove.part_id)
            .subquery()
        )
        first = (
            select(StockMove.part_id, func.min(StockMove.moved_at).label("at")).group_by(StockMove.part_id).subquery()
        )
        query = (
            select(Part.id, Part.article, Part.brand, Part.name, Part.unit, stock.c.quantity, issued.c.at, first.c.at)
            .join(stock, stock.c.part_id == Part.id)
            .join(first, first.c.part_id == Part.id)
            .outerjoin(issued, issued.c.part_id == Part.id)
            .where(first.c.at < cutoff, or_(issued.c.at.is_(None), issued.c.at < cutoff))
            .order_by(Part.id)
            .limit(limit)
        )
        if after_part_id is not None:
            query = query.where(Part.id > after_part_id)
        rows = uow.session.execute(query).all()
        values = _part_values(uow, [row[0] for row in rows])
        return [
            DeadStockRow(part_id, article, brand, name, unit, quantity, values.get(part_id, Decimal("0.00")),
                         last_issue, first_move)
            for part_id, article, brand, name, unit, quantity, last_issue, first_move in rows
        ]  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def _part_values(uow: UnitOfWork, part_ids: list[int]) -> dict[int, Decimal]:
    """Book value of the parts' whole stock now, from their moves (one grouped query over the page's parts)."""
    if not part_ids:
        return {}
    rows = uow.session.execute(
        select(StockMove.part_id, _value(StockMove.quantity * StockMove.unit_cost))
        .where(StockMove.part_id.in_(part_ids))
        .group_by(StockMove.part_id)
    )
    return {part_id: _money(value) for part_id, value in rows}
