"""Special orders (под заказ): parts ordered for a client or a work order, reserved for them when they arrive."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import Part, PurchaseOrderLine, SpecialOrder, StockReservation
from autoservice_desk.services import audit, domain_events
from autoservice_desk.services.domain_events import PartsArrived, StockReceived
from autoservice_desk.services.errors import FieldErrors, NotFoundError, ValidationError
from autoservice_desk.services.form_values import clean_text
from autoservice_desk.services.purchasing import check_quantity, check_supplier, open_order
from autoservice_desk.services.reservations import add_reservation, release_reservation
from autoservice_desk.services.stock_ledger import lock_parts
from autoservice_desk.services.suppliers import require_warehouse_role
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

STATUSES = {
    "needed": N_("Needed"), "ordered": N_("Ordered"), "arrived": N_("Parts arrived"), "issued": N_("Issued"),
    "cancelled": N_("Cancelled"),
}  # fmt: skip
PAGE = 200
_HOLDING = ("active", "consumed")  # reservations that count towards a special order's quantity


@dataclass(frozen=True)
class SpecialOrderInfo:
    id: int
    part_id: int
    article: str
    brand: str
    name: str
    unit: str
    quantity: Decimal
    client_id: int | None
    work_order_id: int | None
    supplier_id: int | None
    status: str  # needed | ordered | arrived | issued | cancelled
    comment: str
    created_at: datetime
    reserved: Decimal  # how much of it has arrived and is held (a partial delivery leaves it "ordered")


def _reserved_for(uow: UnitOfWork, special_order_ids: Collection[int]) -> dict[int, Decimal]:
    if not special_order_ids:
        return {}
    rows = uow.session.execute(
        select(StockReservation.special_order_id, func.sum(StockReservation.quantity))
        .where(StockReservation.special_order_id.in_(list(special_order_ids)),
               StockReservation.status.in_(_HOLDING))
        .group_by(StockReservation.special_order_id)
    )  # fmt: skip
    return {special_id: quantity for special_id, quantity in rows if special_id is not None}


def _infos(uow: UnitOfWork, rows: Sequence[tuple[SpecialOrder, Part]]) -> list[SpecialOrderInfo]:
    reserved = _reserved_for(uow, [special.id for special, _part in rows])
    return [
        SpecialOrderInfo(special.id, part.id, part.article, part.brand, part.name, part.unit, special.quantity,
                         special.client_id, special.work_order_id, special.supplier_id, special.status,
                         special.comment, special.created_at, reserved.get(special.id, Decimal("0.000")))
        for special, part in rows
    ]  # fmt: skip


def list_special_orders(
    uow_factory: UnitOfWorkFactory,
    *,
    statuses: Collection[str] | None = None,
    client_id: int | None = None,
    work_order_id: int | None = None,
    part_id: int | None = None,
    before_id: int | None = None,
    limit: int = PAGE,
) -> list[SpecialOrderInfo]:
    """Special orders newest first, filtered; paged by keyset (*before_id* is the last id shown)."""

    def work(uow: UnitOfWork) -> list[SpecialOrderInfo]:
        query = (
            select(SpecialOrder, Part).join(Part, Part.id == SpecialOrder.part_id)
            .order_by(SpecialOrder.id.desc()).limit(limit)
        )  # fmt: skip
        if statuses is not None:
            query = query.where(SpecialOrder.status.in_(list(statuses)))
        for column, value in ((SpecialOrder.client_id, client_id), (SpecialOrder.work_order_id, work_order_id),
                              (SpecialOrder.part_id, part_id)):  # fmt: skip
            if value is not None:
                query = query.where(column == value)
        if before_id is not None:
            query = query.where(SpecialOrder.id < before_id)
        return _infos(uow, uow.session.execute(query).all())

    return run_in_transaction(uow_factory, work, read_only=True)


def get_special_order(uow_factory: UnitOfWorkFactory, special_order_id: int) -> SpecialOrderInfo:
    def work(uow: UnitOfWork) -> SpecialOrderInfo:
        row = uow.session.execute(
            select(SpecialOrder, Part).join(Part, Part.id == SpecialOrder.part_id)
            .where(SpecialOrder.id == special_order_id)
        ).first()  # fmt: skip
        if row is None:
            raise NotFoundError(_("The special order no longer exists."))
        return _infos(uow, [row])[0]

    return run_in_transaction(uow_factory, work, read_only=True)


def _state(special: SpecialOrder) -> dict[str, Any]:
    return {
        "part_id": special.part_id, "quantity": special.quantity, "client_id": special.client_id,
        "work_order_id": special.work_order_id, "supplier_id": special.supplier_id, "status": special.status,
        "comment": special.comment,
    }  # fmt: skip


def create_special_order(
    uow_factory: UnitOfWorkFactory,
    part_id: int,
    quantity: str | Decimal,
    *,
    client_id: int | None = None,
    work_order_id: int | None = None,
    supplier_id: int | None = None,
    comment: str = "",
) -> int:
    """Note that *quantity* of a part is needed for a client and/or a work order; returns its id (status needed)."""

    def work(uow: UnitOfWork) -> int:
        require_warehouse_role(uow)
        problems: dict[str, str] = {}
        part = uow.session.get(Part, part_id)
        amount = Decimal(0)
        if part is None:
            problems["part_id"] = _("The part is no longer in the list.")
        else:
            amount = check_quantity(quantity, part, "quantity", problems)
        if client_id is None and work_order_id is None:
            problems["client_id"] = _("Choose the client or the work order the part is ordered for.")
        elif client_id is not None and uow.session.get(Client, client_id) is None:
            problems["client_id"] = _("The client no longer exists.")
        if supplier_id is not None:
            check_supplier(uow, supplier_id, problems)
        text = clean_text(comment, 2000, "comment", problems)
        if problems:
            raise FieldErrors(problems)
        special = SpecialOrder(part_id=part_id, quantity=amount, client_id=client_id, work_order_id=work_order_id,
                               supplier_id=supplier_id, status="needed", comment=text)  # fmt: skip
        uow.session.add(special)
        uow.session.flush()
        audit.record(uow, "special_order", special.id, "create", None, _state(special))
        uow.mark_changed("special_orders", special.id)
        uow.commit()
        return special.id

    return run_in_transaction(uow_factory, work)


def order_special_orders(
    uow_factory: UnitOfWorkFactory,
    supplier_id: int,
    special_order_ids: Sequence[int],
    *,
    order_date: date | None = None,
) -> int:
    """Put needed special orders on a new draft purchase order to *supplier_id*, one linked line each; they
    become "ordered". *order_date* is the shop's local date (default: today's UTC date). Returns the order's id."""

    def work(uow: UnitOfWork) -> int:
        require_warehouse_role(uow)
        problems: dict[str, str] = {}
        supplier = check_supplier(uow, supplier_id, problems)
        wanted = list(dict.fromkeys(special_order_ids))
        specials = list(uow.session.scalars(
            select(SpecialOrder).where(SpecialOrder.id.in_(wanted)).order_by(SpecialOrder.id).with_for_update()
        ))  # fmt: skip
        if not wanted:
            problems["special_order_ids"] = _("Choose the special orders to order.")
        elif len(specials) != len(wanted):
            problems["special_order_ids"] = _("Some of the special orders no longer exist.")
        elif any(special.status != "needed" for special in specials):
            problems["special_order_ids"] = _("Only special orders that are still needed can be ordered.")
        if problems:
            raise FieldErrors(problems)
        assert supplier is not None
        order = open_order(uow, supplier, order_date or uow.clock().date(), None, "")
        for special in specials:
            part = uow.session.get(Part, special.part_id)
            assert part is not None
            uow.session.add(PurchaseOrderLine(order_id=order.id, part_id=special.part_id, quantity=special.quantity,
                                              price=part.purchase_price, special_order_id=special.id))  # fmt: skip
            audit.record(uow, "special_order", special.id, "update",
                         {"status": special.status, "supplier_id": special.supplier_id},
                         {"status": "ordered", "supplier_id": supplier.id, "purchase_order_id": order.id})  # fmt: skip
            special.status, special.supplier_id = "ordered", supplier.id
            uow.mark_changed("special_orders", special.id)
        uow.session.flush()
        linked = [special.id for special in specials]
        audit.record(uow, "purchase_order", order.id, "create", None,
                     {"supplier_id": supplier.id, "special_order_ids": linked})  # fmt: skip
        uow.mark_changed("purchase_orders", order.id)
        uow.commit()
        return order.id

    return run_in_transaction(uow_factory, work)


def cancel_special_order(uow_factory: UnitOfWorkFactory, special_order_id: int) -> None:
    """Cancel a special order: its purchase line (if any) now brings free stock, and what arrived is released."""

    def work(uow: UnitOfWork) -> None:
        require_warehouse_role(uow)
        special = uow.session.get(SpecialOrder, special_order_id)
        if special is None:
            raise NotFoundError(_("The special order no longer exists."))
        # The ledger's lock order: the part before anything of its stock, as a receipt posting takes them.
        lock_parts(uow, [special.part_id])
        uow.session.refresh(special, with_for_update=True)
        if special.status not in ("needed", "ordered", "arrived"):
            raise ValidationError(_("An issued or cancelled special order cannot be cancelled."))
        uow.session.execute(
            update(PurchaseOrderLine).where(PurchaseOrderLine.special_order_id == special_order_id)
            .values(special_order_id=None)
        )  # fmt: skip
        held = uow.session.scalars(
            select(StockReservation.id).where(StockReservation.special_order_id == special_order_id,
                                              StockReservation.status == "active")
        ).all()  # fmt: skip
        for reservation_id in held:
            release_reservation(uow, reservation_id)
        audit.record(uow, "special_order", special.id, "update", {"status": special.status}, {"status": "cancelled"})
        special.status = "cancelled"
        uow.mark_changed("special_orders", special.id)
        uow.commit()

    run_in_transaction(uow_factory, work)


# --- Arrival ----------------------------------------------------------------------------------------------------


def on_stock_received(uow: UnitOfWork, event: StockReceived) -> None:
    """Reserve what a posted receipt brought for the part's ordered special orders, oldest first.

    Runs inside the receipt's transaction. A special order fully covered becomes "arrived" and raises
    PartsArrived (the messages issue texts the client); a partly covered one keeps its share reserved and
    stays "ordered" until the rest comes.
    """
    for _line_id, part_id, location_id, quantity in event.lines:
        left = quantity
        if left <= 0:
            continue
        waiting = uow.session.scalars(
            select(SpecialOrder).where(SpecialOrder.part_id == part_id, SpecialOrder.status == "ordered")
            .order_by(SpecialOrder.created_at, SpecialOrder.id).with_for_update()
        ).all()  # fmt: skip
        held = _reserved_for(uow, [special.id for special in waiting])
        for special in waiting:
            if left <= 0:
                break
            already = held.get(special.id, Decimal(0))
            if already >= special.quantity:
                continue
            # What arrived is on the place and not yet reserved, so the place can always hold it for the client.
            taken = min(special.quantity - already, left)
            add_reservation(
                uow, part_id, location_id, taken, work_order_id=special.work_order_id, client_id=special.client_id,
                special_order_id=special.id, note=_("Special order {number}").format(number=special.id),
            )  # fmt: skip
            left -= taken
            if already + taken < special.quantity:
                continue
            audit.record(uow, "special_order", special.id, "update", {"status": "ordered"}, {"status": "arrived"})
            special.status = "arrived"
            uow.mark_changed("special_orders", special.id)
            domain_events.raise_event(uow, PartsArrived(special.id, special.client_id, special.work_order_id,
                                                        special.part_id, special.quantity))  # fmt: skip


def install() -> None:
    """Subscribe the arrival handler to posted receipts (idempotent; also done when this module is imported).

    The ledger cannot import this module (it sits above it), so the composition root imports it.
    """
    domain_events.subscribe(StockReceived, on_stock_received)


install()
