"""Parts lines of a work order: from stock (reserved on the place at once), special orders, the client's own parts.

Stock never moves here: a line holds a reservation (services.reservations), and `issue_parts` hands the chosen
lines to the warehouse as a goods issue naming those reservations, posted through the ledger like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import Part, SpecialOrder, StockReservation
from autoservice_desk.models.work_orders import WorkOrder, WorkOrderPart
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, NotFoundError, ValidationError
from autoservice_desk.services.form_values import clean_text
from autoservice_desk.services.part_prices import load_markup_rules, sale_price
from autoservice_desk.services.reservations import add_reservation, release_reservation
from autoservice_desk.services.stock_forms import LineInput, check_quantity
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_card import read_card
from autoservice_desk.services.work_order_common import load_open_order, order_number, touch
from autoservice_desk.services.work_order_lines import check_percent
from autoservice_desk.services.work_order_types import LINE_KINDS, WorkOrderCard

PRICE_UNIT = Decimal("0.01")


@dataclass(frozen=True)
class StockPartInput:
    """A part taken from a place; *price* None: the part's sale price (manual, or cost plus the markup rules)."""

    part_id: int
    location_id: int
    quantity: Decimal
    price: Decimal | None = None
    discount_percent: Decimal | None = None  # None: the order's discount
    kind: str = "paid"
    comment: str = ""


@dataclass(frozen=True)
class SpecialPartInput:
    """A part to order for this work order (под заказ); it is reserved for the order when it arrives."""

    part_id: int
    quantity: Decimal
    price: Decimal | None = None
    supplier_id: int | None = None
    discount_percent: Decimal | None = None
    kind: str = "paid"
    comment: str = ""


@dataclass(frozen=True)
class OwnPartInput:
    """A part the client brought: recorded on the order, never charged, never in stock."""

    name: str
    quantity: Decimal
    article: str = ""
    unit: str = "pcs"
    part_id: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class PartChanges:
    """What to change on a parts line; None leaves it. A stock line's new quantity is reserved again."""

    quantity: Decimal | None = None
    price: Decimal | None = None
    discount_percent: Decimal | None = None
    kind: str | None = None
    comment: str | None = None


def _part(uow: UnitOfWork, part_id: int) -> Part:
    part = uow.session.get(Part, part_id)
    if part is None or not part.active:
        raise ValidationError(_("The part is no longer in the list."), "part")
    return part


def _price(uow: UnitOfWork, part: Part, price: Decimal | None) -> Decimal:
    if price is None:
        price = sale_price(part, load_markup_rules(uow))
        if price is None:
            raise ValidationError(
                _("{part} has no sale price yet; enter the price.").format(part=f"{part.article} {part.name}"), "price"
            )
    if price < 0 or price != price.quantize(PRICE_UNIT):
        raise ValidationError(_("The price is an amount of money from zero up."), "price")
    return price


def _kind(kind: str) -> str:
    if kind not in LINE_KINDS:
        raise ValidationError(_("Choose paid, warranty or extended warranty."), "kind")
    return kind


def _insert(uow: UnitOfWork, order: WorkOrder, **columns: Any) -> WorkOrderPart:
    position = uow.session.scalar(
        select(func.coalesce(func.max(WorkOrderPart.position), 0)).where(WorkOrderPart.work_order_id == order.id)
    )
    line = WorkOrderPart(work_order_id=order.id, position=int(position or 0) + 1, **columns)
    uow.session.add(line)
    uow.session.flush()
    audit.record(uow, "work_order", order.id, "add_part", None, part_state(line))
    touch(uow, order)
    return line


def part_state(line: WorkOrderPart) -> dict[str, object]:
    return {
        "line_id": line.id, "source": line.source, "part_id": line.part_id, "location_id": line.location_id,
        "quantity": line.quantity, "price": line.price, "discount_percent": line.discount_percent, "kind": line.kind,
        "reservation_id": line.reservation_id, "special_order_id": line.special_order_id,
    }  # fmt: skip


def _change(uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, change: Any) -> WorkOrderCard:
    def work(uow: UnitOfWork) -> WorkOrderCard:
        order = load_open_order(uow, work_order_id, version)
        change(uow, order)
        card = read_card(uow, order.id)
        uow.commit()
        return card

    return run_in_transaction(uow_factory, work)


def add_stock_part(
    uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, line: StockPartInput
) -> WorkOrderCard:
    """Put a part from a place on the order, reserved there at once; refused (InsufficientStockError, naming the
    part, place and amounts) when less is available, whoever reserved it first."""

    def change(uow: UnitOfWork, order: WorkOrder) -> None:
        part = _part(uow, line.part_id)
        price = _price(uow, part, line.price)
        reservation_id = add_reservation(
            uow, part.id, line.location_id, line.quantity, work_order_id=order.id,
            note=_("Work order {number}").format(number=order_number(order)),
        )  # fmt: skip
        _insert(
            uow, order, source="stock", part_id=part.id, article=part.article, name=part.name, unit=part.unit,
            kind=_kind(line.kind), location_id=line.location_id, quantity=line.quantity, price=price,
            discount_percent=_discount(order, line.discount_percent), reservation_id=reservation_id,
            comment=line.comment.strip(),
        )  # fmt: skip

    return _change(uow_factory, work_order_id, version, change)


def add_special_order_part(
    uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, line: SpecialPartInput
) -> WorkOrderCard:
    """Order a part for this order: a special order (status "needed") the warehouse puts on a purchase order."""

    def change(uow: UnitOfWork, order: WorkOrder) -> None:
        part = _part(uow, line.part_id)
        check_quantity(line.quantity, part.fractional, f"{part.article} {part.name}")
        price = _price(uow, part, line.price)
        special = SpecialOrder(
            part_id=part.id, quantity=line.quantity, client_id=order.client_id, work_order_id=order.id,
            supplier_id=line.supplier_id, status="needed",
            comment=_("Work order {number}").format(number=order_number(order)),
        )  # fmt: skip
        uow.session.add(special)
        uow.session.flush()
        audit.record(uow, "special_order", special.id, "create", None,
                     {"part_id": part.id, "quantity": line.quantity, "work_order_id": order.id})  # fmt: skip
        uow.mark_changed("special_orders", special.id)
        _insert(
            uow, order, source="special_order", part_id=part.id, article=part.article, name=part.name,
            unit=part.unit, kind=_kind(line.kind), quantity=line.quantity, price=price,
            discount_percent=_discount(order, line.discount_percent), special_order_id=special.id,
            comment=line.comment.strip(),
        )  # fmt: skip

    return _change(uow_factory, work_order_id, version, change)


def add_own_part(uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, line: OwnPartInput) -> WorkOrderCard:
    """Record a part the client brought (fitted by the shop, not charged, not in stock)."""

    def change(uow: UnitOfWork, order: WorkOrder) -> None:
        problems: dict[str, str] = {}
        name = clean_text(line.name, 300, "name", problems, required=_("Describe the part."))
        if problems:
            raise ValidationError(problems["name"], "name")
        if line.quantity <= 0 or line.quantity != line.quantity.quantize(Decimal("0.001")):
            raise ValidationError(_("The quantity must be more than zero."), "quantity")
        if line.part_id is not None:
            _part(uow, line.part_id)
        _insert(
            uow, order, source="own", part_id=line.part_id, article=line.article.strip()[:60], name=name or "",
            unit=line.unit.strip()[:16] or "pcs", kind="paid", quantity=line.quantity, price=Decimal("0.00"),
            discount_percent=Decimal("0.00"), comment=line.comment.strip(),
        )  # fmt: skip

    return _change(uow_factory, work_order_id, version, change)


def _discount(order: WorkOrder, percent: Decimal | None) -> Decimal:
    return check_percent(percent if percent is not None else order.discount_percent)


def _load_line(uow: UnitOfWork, order: WorkOrder, line_id: int) -> WorkOrderPart:
    line = uow.session.get(WorkOrderPart, line_id)
    if line is None or line.work_order_id != order.id:
        raise NotFoundError(_("The part is no longer on the work order."))
    return line


def _reservation_status(uow: UnitOfWork, line: WorkOrderPart) -> str | None:
    if line.reservation_id is None:
        return None
    return uow.session.scalar(select(StockReservation.status).where(StockReservation.id == line.reservation_id))


def _special_status(uow: UnitOfWork, line: WorkOrderPart) -> str | None:
    if line.special_order_id is None:
        return None
    return uow.session.scalar(select(SpecialOrder.status).where(SpecialOrder.id == line.special_order_id))


def update_part(
    uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, line_id: int, changes: PartChanges
) -> WorkOrderCard:
    """Change a parts line; a stock line's new quantity is reserved again on its place (or refused)."""

    def change(uow: UnitOfWork, order: WorkOrder) -> None:
        line = _load_line(uow, order, line_id)
        before = part_state(line)
        if changes.quantity is not None and changes.quantity != line.quantity:
            _change_quantity(uow, order, line, changes.quantity)
        if changes.price is not None and line.source != "own":
            if changes.price < 0 or changes.price != changes.price.quantize(PRICE_UNIT):
                raise ValidationError(_("The price is an amount of money from zero up."), "price")
            line.price = changes.price
        if changes.discount_percent is not None and line.source != "own":
            line.discount_percent = check_percent(changes.discount_percent)
        if changes.kind is not None and line.source != "own":
            line.kind = _kind(changes.kind)
        if changes.comment is not None:
            line.comment = changes.comment.strip()
        uow.session.flush()
        audit.record(uow, "work_order", order.id, "edit_part", before, part_state(line))
        touch(uow, order)

    return _change(uow_factory, work_order_id, version, change)


def _change_quantity(uow: UnitOfWork, order: WorkOrder, line: WorkOrderPart, quantity: Decimal) -> None:
    if line.source == "stock":
        if _reservation_status(uow, line) != "active":
            raise ConflictError(_("{part} has already been issued; its quantity cannot change.").format(part=line.name))
        assert line.reservation_id is not None and line.part_id is not None and line.location_id is not None
        release_reservation(uow, line.reservation_id)
        line.reservation_id = add_reservation(
            uow, line.part_id, line.location_id, quantity, work_order_id=order.id,
            note=_("Work order {number}").format(number=order_number(order)),
        )  # fmt: skip
    elif line.source == "special_order":
        special = uow.session.get(SpecialOrder, line.special_order_id) if line.special_order_id else None
        if special is None or special.status != "needed":
            raise ConflictError(
                _("{part} has already been ordered; change the special order in the warehouse.").format(part=line.name)
            )
        part = _part(uow, special.part_id)
        check_quantity(quantity, part.fractional, f"{part.article} {part.name}")
        audit.record(uow, "special_order", special.id, "update", {"quantity": special.quantity}, {"quantity": quantity})
        special.quantity = quantity
    elif quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."), "quantity")
    line.quantity = quantity


def remove_part(uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, line_id: int) -> WorkOrderCard:
    """Take a part off the order: its reservation is released, its still unordered special order cancelled."""

    def change(uow: UnitOfWork, order: WorkOrder) -> None:
        line = _load_line(uow, order, line_id)
        if line.source == "stock":
            status = _reservation_status(uow, line)
            if status == "consumed":
                raise ConflictError(
                    _("{part} has been issued to the car; return it to the warehouse before removing the line.").format(
                        part=line.name
                    )
                )
            if status == "active":
                assert line.reservation_id is not None
                release_reservation(uow, line.reservation_id)
        elif line.source == "special_order":
            cancel_needed_special_order(uow, line, refuse_ordered=True)
        audit.record(uow, "work_order", order.id, "remove_part", part_state(line), None)
        uow.session.delete(line)
        touch(uow, order)

    return _change(uow_factory, work_order_id, version, change)


def cancel_needed_special_order(uow: UnitOfWork, line: WorkOrderPart, *, refuse_ordered: bool) -> bool:
    """Cancel the line's special order while nothing was ordered yet; True if it was cancelled.

    An ordered or arrived one is the warehouse's to cancel (it is on a purchase order): refused with
    *refuse_ordered*, else left as it is.
    """
    special = uow.session.get(SpecialOrder, line.special_order_id) if line.special_order_id else None
    if special is None or special.status in ("cancelled", "issued"):
        return False
    if special.status != "needed":
        if refuse_ordered:
            raise ConflictError(
                _("{part} has already been ordered from the supplier; cancel the special order in the warehouse "
                  "first.").format(part=line.name)
            )  # fmt: skip
        return False
    audit.record(uow, "special_order", special.id, "update", {"status": special.status}, {"status": "cancelled"})
    special.status = "cancelled"
    uow.mark_changed("special_orders", special.id)
    return True


# --- Issuing ----------------------------------------------------------------------------------------------------


def issue_lines(uow: UnitOfWork, order: WorkOrder, line_ids: list[int]) -> list[LineInput]:
    """The goods-issue lines for the chosen parts lines: each active reservation they hold, in full."""
    wanted = list(dict.fromkeys(line_ids))
    lines = list(uow.session.scalars(
        select(WorkOrderPart).where(WorkOrderPart.work_order_id == order.id, WorkOrderPart.id.in_(wanted))
        .order_by(WorkOrderPart.position)
    ))  # fmt: skip
    if len(lines) != len(wanted) or not wanted:
        raise NotFoundError(_("Some of the parts are no longer on the work order."))
    issue: list[LineInput] = []
    for line in lines:
        if line.source == "stock":
            held = uow.session.scalars(
                select(StockReservation).where(StockReservation.id == line.reservation_id,
                                               StockReservation.status == "active")
            ).all()  # fmt: skip
        elif line.source == "special_order":
            held = uow.session.scalars(
                select(StockReservation).where(StockReservation.special_order_id == line.special_order_id,
                                               StockReservation.status == "active")
                .order_by(StockReservation.id)
            ).all()  # fmt: skip
        else:
            raise ValidationError(_("{part} is the client's own part; it is not issued from stock.").format(
                part=line.name), "lines")  # fmt: skip
        if not held:
            raise ValidationError(_("Nothing of {part} is reserved to issue.").format(part=line.name), "lines")
        issue.extend(LineInput(item.part_id, item.quantity, from_location_id=item.location_id, reservation_id=item.id)
                     for item in held)  # fmt: skip
    return issue
