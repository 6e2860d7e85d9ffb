"""Purchase orders to suppliers: numbered drafts, sending, receipts against lines, proposals from minimum stock."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.inventory import (
    Part,
    PurchaseOrder,
    PurchaseOrderLine,
    SpecialOrder,
    StockDocument,
    StockDocumentLine,
    Supplier,
)
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, FieldErrors, NotFoundError, ValidationError
from autoservice_desk.services.form_values import clean_amount, clean_text
from autoservice_desk.services.numbering import next_number
from autoservice_desk.services.part_forms import unit_label
from autoservice_desk.services.stock_reports import ShortageRow, read_shortages
from autoservice_desk.services.suppliers import require_warehouse_role
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

DOCUMENT_TYPE = "purchase_order"  # the numbering sequence: one per year
NUMBER_PREFIX = N_("PO")  # shown as numbering.format_number(_(NUMBER_PREFIX), year, number)
STATUSES = {
    "draft": N_("Draft"), "sent": N_("Sent"), "partial": N_("Partly received"), "received": N_("Received"),
    "cancelled": N_("Cancelled"),
}  # fmt: skip
OPEN_STATUSES = ("draft", "sent", "partial")
MAX_QUANTITY = Decimal("99999999999.999")  # Numeric(14, 3)
MAX_MONEY = Decimal("999999999999.99")  # Numeric(14, 2)
KOPECK = Decimal("0.01")
PAGE = 200


@dataclass(frozen=True)
class OrderLineForm:
    """One line as typed; an empty price takes the part's last purchase price."""

    part_id: int | None = None
    quantity: str | Decimal = ""
    price: str | Decimal = ""
    special_order_id: int | None = None  # kept from the line read (OrderLineInfo), never chosen by hand


@dataclass(frozen=True)
class PurchaseOrderForm:
    supplier_id: int | None = None
    expected_date: date | None = None  # None: the order date plus the supplier's delivery days
    comment: str = ""
    lines: tuple[OrderLineForm, ...] = ()


@dataclass(frozen=True)
class OrderLineInfo:
    id: int
    part_id: int
    article: str
    brand: str
    name: str
    unit: str
    quantity: Decimal
    price: Decimal | None
    received: Decimal
    outstanding: Decimal  # still expected: quantity − received, not below zero
    amount: Decimal | None  # quantity × price in roubles
    special_order_id: int | None


@dataclass(frozen=True)
class PurchaseOrderInfo:
    id: int
    year: int
    number: int
    supplier_id: int
    supplier_name: str
    status: str  # draft | sent | partial | received | cancelled
    order_date: date
    expected_date: date | None
    comment: str
    version: int
    lines: tuple[OrderLineInfo, ...]
    total: Decimal


@dataclass(frozen=True)
class PurchaseOrderSummary:
    id: int
    year: int
    number: int
    supplier_id: int
    supplier_name: str
    status: str
    order_date: date
    expected_date: date | None
    line_count: int


@dataclass(frozen=True)
class ReceiptLineDraft:
    """What a goods receipt made from an order would hold for one line (the keeper still checks it)."""

    order_line_id: int
    part_id: int
    quantity: Decimal
    price: Decimal | None
    location_id: int | None


@dataclass(frozen=True)
class Proposal:
    """Drafts made from minimum stock, and the short parts left out because no supplier of theirs is known."""

    order_ids: tuple[int, ...]
    unassigned: tuple[ShortageRow, ...]


# --- Reading ----------------------------------------------------------------------------------------------------


def _amount(quantity: Decimal, price: Decimal | None) -> Decimal | None:
    return None if price is None else (quantity * price).quantize(KOPECK, rounding=ROUND_HALF_UP)


def order_info(uow: UnitOfWork, order_id: int) -> PurchaseOrderInfo:
    found = uow.session.execute(
        select(PurchaseOrder, Supplier.name).join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
        .where(PurchaseOrder.id == order_id)
    ).first()  # fmt: skip
    if found is None:
        raise NotFoundError(_("The purchase order no longer exists."))
    order, supplier_name = found
    lines = tuple(
        OrderLineInfo(line.id, line.part_id, part.article, part.brand, part.name, part.unit, line.quantity, line.price,
                      line.received, max(line.quantity - line.received, Decimal("0.000")),
                      _amount(line.quantity, line.price), line.special_order_id)
        for line, part in uow.session.execute(
            select(PurchaseOrderLine, Part).join(Part, Part.id == PurchaseOrderLine.part_id)
            .where(PurchaseOrderLine.order_id == order_id).order_by(PurchaseOrderLine.id)
        )
    )  # fmt: skip
    total = sum((line.amount for line in lines if line.amount is not None), Decimal("0.00"))
    return PurchaseOrderInfo(
        order.id, order.year, order.number, order.supplier_id, supplier_name, order.status, order.order_date,
        order.expected_date, order.comment, order.version, lines, total,
    )  # fmt: skip


def get_purchase_order(uow_factory: UnitOfWorkFactory, order_id: int) -> PurchaseOrderInfo:
    return run_in_transaction(uow_factory, lambda uow: order_info(uow, order_id), read_only=True)


def list_purchase_orders(
    uow_factory: UnitOfWorkFactory,
    *,
    statuses: Collection[str] | None = None,
    supplier_id: int | None = None,
    before_id: int | None = None,
    limit: int = PAGE,
) -> list[PurchaseOrderSummary]:
    """Orders newest first, paged by keyset (*before_id* is the last id shown)."""

    def work(uow: UnitOfWork) -> list[PurchaseOrderSummary]:
        counts = (
            select(PurchaseOrderLine.order_id, func.count().label("lines"))
            .group_by(PurchaseOrderLine.order_id)
            .subquery()
        )
        query = (
            select(PurchaseOrder.id, PurchaseOrder.year, PurchaseOrder.number, PurchaseOrder.supplier_id,
                   Supplier.name, PurchaseOrder.status, PurchaseOrder.order_date, PurchaseOrder.expected_date,
                   func.coalesce(counts.c.lines, 0))
            .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
            .outerjoin(counts, counts.c.order_id == PurchaseOrder.id)
            .order_by(PurchaseOrder.id.desc())
            .limit(limit)
        )  # fmt: skip
        if statuses is not None:
            query = query.where(PurchaseOrder.status.in_(list(statuses)))
        if supplier_id is not None:
            query = query.where(PurchaseOrder.supplier_id == supplier_id)
        if before_id is not None:
            query = query.where(PurchaseOrder.id < before_id)
        return [PurchaseOrderSummary(*row) for row in uow.session.execute(query)]

    return run_in_transaction(uow_factory, work, read_only=True)


# --- Writing ----------------------------------------------------------------------------------------------------


def check_quantity(value: str | Decimal, part: Part, field: str, problems: dict[str, str]) -> Decimal:
    """A quantity above zero with at most three places, and whole for parts kept in pieces."""
    quantity = clean_amount(
        value, field, problems, places=3, maximum=MAX_QUANTITY, positive=True,
        message=_("The quantity is a number above zero with at most three decimal places."),
    )  # fmt: skip
    if field not in problems and not part.fractional and quantity != quantity.to_integral_value():
        problems[field] = _("“{name}” is counted in whole {unit}.").format(name=part.name, unit=unit_label(part.unit))
    return quantity


def check_supplier(uow: UnitOfWork, supplier_id: int | None, problems: dict[str, str]) -> Supplier | None:
    supplier = uow.session.get(Supplier, supplier_id) if supplier_id is not None else None
    if supplier is None:
        problems["supplier_id"] = _("Choose the supplier.")
    elif not supplier.active:
        problems["supplier_id"] = _("The supplier “{name}” is marked inactive.").format(name=supplier.name)
    return supplier


def _clean_lines(
    uow: UnitOfWork, lines: Sequence[OrderLineForm], allowed_links: Collection[int], problems: dict[str, str]
) -> list[tuple[Part, Decimal, Decimal | None, int | None]]:
    """Lines checked; problem keys are `lines.<index>.<field>` like the other forms' lists."""
    if not lines:
        problems["lines"] = _("Add at least one part to the order.")
    cleaned = []
    for index, line in enumerate(lines):
        part = uow.session.get(Part, line.part_id) if line.part_id is not None else None
        if part is None:
            problems[f"lines.{index}.part_id"] = _("The part is no longer in the list.")
            continue
        quantity = check_quantity(line.quantity, part, f"lines.{index}.quantity", problems)
        price = part.purchase_price
        if str(line.price).strip():
            price = clean_amount(
                line.price, f"lines.{index}.price", problems, places=2, maximum=MAX_MONEY, positive=False,
                message=_("The price is an amount in roubles with at most two decimal places, for example 1500."),
            )  # fmt: skip
        if line.special_order_id is not None and line.special_order_id not in allowed_links:
            problems[f"lines.{index}.special_order_id"] = _("The special order is not on this purchase order.")
        cleaned.append((part, quantity, price, line.special_order_id))
    return cleaned


def open_order(
    uow: UnitOfWork, supplier: Supplier, order_date: date, expected_date: date | None, comment: str
) -> PurchaseOrder:
    """A new numbered draft in *uow*'s transaction (the number comes from this year's gap-free sequence)."""
    if expected_date is None and supplier.delivery_days is not None:
        expected_date = order_date + timedelta(days=supplier.delivery_days)
    order = PurchaseOrder(
        year=order_date.year, number=next_number(uow, DOCUMENT_TYPE, order_date.year), supplier_id=supplier.id,
        status="draft", order_date=order_date, expected_date=expected_date, comment=comment,
    )  # fmt: skip
    uow.session.add(order)
    uow.session.flush()
    return order


def _state(uow: UnitOfWork, order: PurchaseOrder) -> dict[str, Any]:
    uow.session.flush()
    info = order_info(uow, order.id)
    return {
        "number": f"{info.year}-{info.number}", "supplier_id": info.supplier_id, "status": info.status,
        "expected_date": info.expected_date, "comment": info.comment,
        "lines": [[line.part_id, line.quantity, line.price, line.received, line.special_order_id]
                  for line in info.lines],
    }  # fmt: skip


def create_purchase_order(
    uow_factory: UnitOfWorkFactory, form: PurchaseOrderForm, *, order_date: date | None = None
) -> int:
    """Save a draft order; *order_date* is the shop's local date (default: today's UTC date). Returns its id."""

    def work(uow: UnitOfWork) -> int:
        require_warehouse_role(uow)
        problems: dict[str, str] = {}
        supplier = check_supplier(uow, form.supplier_id, problems)
        comment = clean_text(form.comment, 2000, "comment", problems)
        lines = _clean_lines(uow, form.lines, (), problems)
        if problems:
            raise FieldErrors(problems)
        assert supplier is not None
        order = open_order(uow, supplier, order_date or uow.clock().date(), form.expected_date, comment)
        for part, quantity, price, _link in lines:
            uow.session.add(PurchaseOrderLine(order_id=order.id, part_id=part.id, quantity=quantity, price=price))
        audit.record(uow, "purchase_order", order.id, "create", None, _state(uow, order))
        uow.mark_changed("purchase_orders", order.id)
        uow.commit()
        return order.id

    return run_in_transaction(uow_factory, work)


def _locked_order(uow: UnitOfWork, order_id: int, version: int | None = None) -> PurchaseOrder:
    order = uow.session.scalar(select(PurchaseOrder).where(PurchaseOrder.id == order_id).with_for_update())
    if order is None:
        raise NotFoundError(_("The purchase order no longer exists."))
    if version is not None and order.version != version:
        raise ConflictError(
            _("Someone else has changed this purchase order in the meantime; reopen it and make your change again.")
        )
    return order


def _order_lines(uow: UnitOfWork, order_id: int) -> list[PurchaseOrderLine]:
    query = select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == order_id).order_by(PurchaseOrderLine.id)
    return list(uow.session.scalars(query))


def _unlink_special_orders(uow: UnitOfWork, special_order_ids: Collection[int]) -> None:
    """Special orders whose purchase line went away are needed again (unless they already arrived)."""
    for special in uow.session.scalars(select(SpecialOrder).where(SpecialOrder.id.in_(list(special_order_ids)))):
        if special.status == "ordered":
            special.status = "needed"
            uow.mark_changed("special_orders", special.id)


def update_purchase_order(uow_factory: UnitOfWorkFactory, order_id: int, version: int, form: PurchaseOrderForm) -> None:
    """Save *form* over a draft read at *version*; its lines are replaced by the form's."""

    def work(uow: UnitOfWork) -> None:
        require_warehouse_role(uow)
        order = _locked_order(uow, order_id, version)
        if order.status != "draft":
            raise ValidationError(_("Only a draft order can be edited."))
        before = _state(uow, order)
        old_lines = _order_lines(uow, order_id)
        linked = {line.special_order_id for line in old_lines if line.special_order_id is not None}
        problems: dict[str, str] = {}
        supplier = check_supplier(uow, form.supplier_id, problems)
        comment = clean_text(form.comment, 2000, "comment", problems)
        lines = _clean_lines(uow, form.lines, linked, problems)
        if problems:
            raise FieldErrors(problems)
        assert supplier is not None
        order.supplier_id, order.expected_date, order.comment = supplier.id, form.expected_date, comment
        for line in old_lines:
            uow.session.delete(line)
        for part, quantity, price, link in lines:
            uow.session.add(PurchaseOrderLine(order_id=order.id, part_id=part.id, quantity=quantity, price=price,
                                              special_order_id=link))  # fmt: skip
        _unlink_special_orders(uow, linked - {link for *_rest, link in lines if link is not None})
        flag_modified(order, "comment")  # the row is updated even when only lines changed: its version moves on
        uow.session.flush()
        after = _state(uow, order)
        changed = {key: value for key, value in after.items() if before[key] != value}
        if changed:
            audit.record(uow, "purchase_order", order_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("purchase_orders", order_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def _set_status(uow_factory: UnitOfWorkFactory, order_id: int, allowed: Collection[str], status: str,
                refusal: str) -> None:  # fmt: skip
    def work(uow: UnitOfWork) -> None:
        require_warehouse_role(uow)
        order = _locked_order(uow, order_id)
        if order.status not in allowed:
            raise ValidationError(refusal)
        lines = _order_lines(uow, order_id)
        if status == "sent" and not lines:
            raise ValidationError(_("Add at least one part to the order."))
        if status == "cancelled":
            waiting = {line.special_order_id for line in lines if line.received < line.quantity}
            _unlink_special_orders(uow, {special_id for special_id in waiting if special_id is not None})
        audit.record(uow, "purchase_order", order_id, "update", {"status": order.status}, {"status": status})
        order.status = status
        uow.mark_changed("purchase_orders", order_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def send_purchase_order(uow_factory: UnitOfWorkFactory, order_id: int) -> None:
    """Mark a draft as sent to the supplier (its lines are frozen from now on)."""
    _set_status(uow_factory, order_id, ("draft",), "sent", _("Only a draft order can be sent."))


def cancel_purchase_order(uow_factory: UnitOfWorkFactory, order_id: int) -> None:
    """Stop expecting the rest of an order; special orders still waiting on it are needed again."""
    _set_status(uow_factory, order_id, OPEN_STATUSES, "cancelled",
                _("A received or cancelled order cannot be cancelled."))  # fmt: skip


def record_receipt(uow: UnitOfWork, order_line_id: int, quantity: Decimal) -> None:
    """Count *quantity* of a line as received, in the caller's transaction, and settle the order's status.

    Receipts do not reference order lines in the schema: whoever posts a receipt "against an order" calls this
    in the same unit of work. The order row is locked first, so two desks receiving two lines of one order
    at once agree on its status.
    """
    if quantity <= 0:
        raise ValidationError(_("The quantity is a number above zero with at most three decimal places."))
    line = uow.session.get(PurchaseOrderLine, order_line_id)
    if line is None:
        raise NotFoundError(_("The purchase order line no longer exists."))
    order = _locked_order(uow, line.order_id)
    if order.status not in ("sent", "partial"):
        raise ValidationError(_("Goods can be received only against a sent order."))
    uow.session.refresh(line)  # read again under the order's lock
    line.received += quantity
    lines = _order_lines(uow, order.id)
    if all(item.received >= item.quantity for item in lines):
        status = "received"
    else:
        status = "partial"
    audit.record(uow, "purchase_order", order.id, "receive", {"status": order.status},
                 {"status": status, "line_id": order_line_id, "quantity": quantity})  # fmt: skip
    order.status = status
    uow.mark_changed("purchase_orders", order.id)


def receive_purchase_order_lines(uow_factory: UnitOfWorkFactory, quantities: Mapping[int, str | Decimal]) -> None:
    """Record by hand what arrived per order line id (problems keyed `lines.<line id>.quantity`)."""

    def work(uow: UnitOfWork) -> None:
        require_warehouse_role(uow)
        problems: dict[str, str] = {}
        cleaned: dict[int, Decimal] = {}
        for line_id, text in quantities.items():
            line = uow.session.get(PurchaseOrderLine, line_id)
            part = uow.session.get(Part, line.part_id) if line is not None else None
            if part is None:
                problems[f"lines.{line_id}.quantity"] = _("The purchase order line no longer exists.")
                continue
            cleaned[line_id] = check_quantity(text, part, f"lines.{line_id}.quantity", problems)
        if problems:
            raise FieldErrors(problems)
        for line_id, quantity in cleaned.items():
            record_receipt(uow, line_id, quantity)
        uow.commit()

    run_in_transaction(uow_factory, work)


def receipt_draft_lines(
    uow_factory: UnitOfWorkFactory, order_id: int, location_id: int | None = None
) -> list[ReceiptLineDraft]:
    """What is still expected on the order, as lines for a new goods receipt, onto *location_id* or each part's
    default place; the receipt screen fills its draft from them and calls `record_receipt` when posting."""

    def work(uow: UnitOfWork) -> list[ReceiptLineDraft]:
        rows = uow.session.execute(
            select(PurchaseOrderLine, Part.default_location_id).join(Part, Part.id == PurchaseOrderLine.part_id)
            .where(PurchaseOrderLine.order_id == order_id, PurchaseOrderLine.received < PurchaseOrderLine.quantity)
            .order_by(PurchaseOrderLine.id)
        )  # fmt: skip
        return [
            ReceiptLineDraft(line.id, line.part_id, line.quantity - line.received, line.price,
                             location_id if location_id is not None else default_place)
            for line, default_place in rows
        ]  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


# --- Proposal from minimum stock --------------------------------------------------------------------------------


def _last_suppliers(uow: UnitOfWork, part_ids: list[int]) -> dict[int, int]:
    """Each part's supplier of its last posted receipt, else of its last order that was not cancelled."""
    found: dict[int, int] = {}
    receipts = (
        select(StockDocumentLine.part_id, StockDocument.supplier_id, func.row_number().over(
            partition_by=StockDocumentLine.part_id,
            order_by=(StockDocument.document_date.desc(), StockDocument.id.desc())).label("rank"))
        .join(StockDocument, StockDocument.id == StockDocumentLine.document_id)
        .where(StockDocument.kind == "receipt", StockDocument.status == "posted",
               StockDocument.supplier_id.is_not(None), StockDocumentLine.part_id.in_(part_ids))
        .subquery()
    )  # fmt: skip
    orders = (
        select(PurchaseOrderLine.part_id, PurchaseOrder.supplier_id, func.row_number().over(
            partition_by=PurchaseOrderLine.part_id,
            order_by=(PurchaseOrder.order_date.desc(), PurchaseOrder.id.desc())).label("rank"))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .where(PurchaseOrder.status != "cancelled", PurchaseOrderLine.part_id.in_(part_ids))
        .subquery()
    )  # fmt: skip
    for ranked in (receipts, orders):
        rows = uow.session.execute(
            select(ranked.c.part_id, ranked.c.supplier_id)
            .join(Supplier, Supplier.id == ranked.c.supplier_id)
            .where(ranked.c.rank == 1, Supplier.active)
        )
        for part_id, supplier_id in rows:
            found.setdefault(part_id, supplier_id)
    return found


def propose_from_minimum_stock(
    uow_factory: UnitOfWorkFactory, supplier_id: int | None = None, *, order_date: date | None = None
) -> Proposal:
    """Draft orders for every active part whose free stock plus what is already on open orders is below its
    minimum, each line topping it up to the minimum (whole numbers for parts kept in pieces).

    With *supplier_id* everything goes on one draft to that supplier; without it each part goes to the supplier
    it last came from, one draft per supplier, and parts with no known supplier are returned as *unassigned*.
    """

    def work(uow: UnitOfWork) -> Proposal:
        require_warehouse_role(uow)
        problems: dict[str, str] = {}
        chosen = check_supplier(uow, supplier_id, problems) if supplier_id is not None else None
        if problems:
            raise FieldErrors(problems)
        shortages = [row for row in read_shortages(uow, counting_orders=True) if row.to_order > 0]
        if chosen is not None:
            groups = {chosen.id: shortages}
            unassigned: list[ShortageRow] = []
        else:
            suppliers = _last_suppliers(uow, [row.part_id for row in shortages])
            groups, unassigned = {}, []
            for row in shortages:
                if row.part_id in suppliers:
                    groups.setdefault(suppliers[row.part_id], []).append(row)
                else:
                    unassigned.append(row)
        day = order_date or uow.clock().date()
        order_ids = []
        for group_supplier, rows in sorted(groups.items()):
            if not rows:
                continue
            supplier = uow.session.get(Supplier, group_supplier)
            assert supplier is not None
            order = open_order(uow, supplier, day, None, _("Proposed from minimum stock"))
            for row in rows:
                uow.session.add(PurchaseOrderLine(order_id=order.id, part_id=row.part_id, quantity=row.to_order,
                                                  price=row.purchase_price))  # fmt: skip
            audit.record(uow, "purchase_order", order.id, "create", None, _state(uow, order))
            uow.mark_changed("purchase_orders", order.id)
            order_ids.append(order.id)
        uow.commit()
        return Proposal(tuple(order_ids), tuple(unassigned))

    return run_in_transaction(uow_factory, work)
