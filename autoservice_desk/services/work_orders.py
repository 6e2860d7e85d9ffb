"""Opening work orders (a walk-in, a booking's car, automatically when a booked car arrives) and their header.

A booking gives at most one work order (the database's unique key says so too); an order opened from it copies the
client, the car, the bay, the mechanics and the booked jobs with their hours. The mileage at intake goes into the
car's mileage log in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.catalog import Service
from autoservice_desk.models.clients import Client, Vehicle
from autoservice_desk.models.scheduling import Bay, Booking, BookingService, booking_mechanics
from autoservice_desk.models.work_orders import WorkOrder
from autoservice_desk.services import audit, domain_events
from autoservice_desk.services.domain_events import CarArrived
from autoservice_desk.services.errors import ConflictError, NotFoundError, ValidationError
from autoservice_desk.services.numbering import next_number
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.vehicles import add_mileage
from autoservice_desk.services.work_order_card import read_card
from autoservice_desk.services.work_order_common import (
    display_number,
    load_open_order,
    require_editor,
    set_mechanics,
    touch,
)
from autoservice_desk.services.work_order_lines import LabourInput, check_percent, insert_labour, norm_for
from autoservice_desk.services.work_order_status import announce
from autoservice_desk.services.work_order_totals import VAT_RULES
from autoservice_desk.services.work_order_types import (
    SEQUENCE,
    HeaderChanges,
    OpenRequest,
    WorkOrderCard,
    WorkOrderStatus,
)

DEFAULT_VAT_MODE = "vat20"  # config.SHOP_VAT_MODE's default
TEXT_LIMIT = 4000


def open_work_order(
    uow_factory: UnitOfWorkFactory, request: OpenRequest, *, vat_mode: str = DEFAULT_VAT_MODE
) -> WorkOrderCard:
    """Open a work order for a walk-in (status "new"), numbered from the year's sequence.

    *vat_mode* is the shop's `config.SHOP_VAT_MODE`; the order keeps it, so its totals do not change if the
    setting does later. A mileage below the car's last reading raises LowerMileageError unless confirmed.
    """

    def work(uow: UnitOfWork) -> WorkOrderCard:
        require_editor(uow)
        order = _create(uow, request, vat_mode, booking_id=None)
        for service_id in request.labour:
            insert_labour(uow, order, LabourInput(service_id))
        return _opened(uow, order)

    return run_in_transaction(uow_factory, work)


def open_from_booking(
    uow_factory: UnitOfWorkFactory,
    booking_id: int,
    *,
    vat_mode: str = DEFAULT_VAT_MODE,
    mileage: int | None = None,
    confirm_lower_mileage: bool = False,
    complaint: str = "",
) -> WorkOrderCard:
    """Open the booking's work order by hand (refused, naming it, when the booking already has one)."""

    def work(uow: UnitOfWork) -> WorkOrderCard:
        require_editor(uow)
        existing = _order_of_booking(uow, booking_id)
        if existing is not None:
            raise ConflictError(
                _("The booking already has work order {number}.").format(
                    number=display_number(existing.year, existing.number)
                )
            )
        order = open_for_booking(uow, booking_id, vat_mode)
        if mileage is not None or complaint.strip():
            _apply(uow, order, HeaderChanges(complaint=complaint or None, mileage=mileage,
                                             confirm_lower_mileage=confirm_lower_mileage))  # fmt: skip
        return _opened(uow, order)

    return run_in_transaction(uow_factory, work)


def open_for_booking(uow: UnitOfWork, booking_id: int, vat_mode: str) -> WorkOrder:
    """The booking's work order inside the caller's unit of work: the existing one, or a new one copied from it.

    Does not commit, announce or check permissions: the caller (a use case or the CarArrived handler) does.
    """
    existing = _order_of_booking(uow, booking_id)
    if existing is not None:
        return existing
    booking = uow.session.get(Booking, booking_id)
    if booking is None:
        raise NotFoundError(_("The booking no longer exists."))
    if booking.kind != "service":
        raise ValidationError(_("A test drive has no work order."))
    mechanic_ids = tuple(uow.session.scalars(
        select(booking_mechanics.c.mechanic_id).where(booking_mechanics.c.booking_id == booking.id)
    ))  # fmt: skip
    request = OpenRequest(
        booking.client_id, booking.vehicle_id, planned_at=booking.ends_at, bay_id=booking.bay_id,
        mechanic_ids=mechanic_ids, notes=booking.comment,
    )  # fmt: skip
    order = _create(uow, request, vat_mode, booking_id=booking.id)
    jobs = uow.session.execute(
        select(BookingService.service_id, BookingService.hours, Service.active)
        .join(Service, Service.id == BookingService.service_id)
        .where(BookingService.booking_id == booking.id)
        .order_by(BookingService.position)
    ).all()
    for service_id, hours, active in jobs:
        if not active:
            continue  # taken out of the catalog since it was booked: the advisor adds what replaces it
        reason = _("as booked") if hours != norm_for(uow, order, service_id) else ""
        insert_labour(uow, order, LabourInput(service_id, hours, reason))
    return order


def _order_of_booking(uow: UnitOfWork, booking_id: int) -> WorkOrder | None:
    return uow.session.scalar(select(WorkOrder).where(WorkOrder.booking_id == booking_id))


def work_order_for_booking(uow_factory: UnitOfWorkFactory, booking_id: int) -> int | None:
    """The id of the booking's work order, if it has one (the schedule's "open work order" action)."""

    def work(uow: UnitOfWork) -> int | None:
        order = _order_of_booking(uow, booking_id)
        return order.id if order is not None else None

    return run_in_transaction(uow_factory, work, read_only=True)


def _create(uow: UnitOfWork, request: OpenRequest, vat_mode: str, booking_id: int | None) -> WorkOrder:
    if vat_mode not in VAT_RULES:
        raise ValidationError(_("Unknown VAT mode {mode}.").format(mode=vat_mode), "vat_mode")
    client = uow.session.get(Client, request.client_id)
    if client is None or client.merged_into_id is not None:
        raise NotFoundError(_("The client no longer exists."))
    if request.vehicle_id is not None and uow.session.get(Vehicle, request.vehicle_id) is None:
        raise ValidationError(_("The car chosen no longer exists."), "vehicle")
    now = uow.clock()
    discount = request.discount_percent if request.discount_percent is not None else client.discount_percent
    order = WorkOrder(
        year=now.year, number=next_number(uow, SEQUENCE, now.year), client_id=client.id,
        vehicle_id=request.vehicle_id, booking_id=booking_id, advisor_id=uow.actor.user_id,
        advisor_name=uow.actor.full_name or uow.actor.login, status=WorkOrderStatus.NEW.value,
        complaint=_text(request.complaint, "complaint"), condition_notes=_text(request.condition_notes, "condition"),
        belongings=_text(request.belongings, "belongings"), notes=_text(request.notes, "notes"),
        discount_percent=check_percent(discount), vat_mode=vat_mode, planned_at=_moment(request.planned_at),
        opened_at=now, bay_id=_bay(uow, request.bay_id),
    )  # fmt: skip
    uow.session.add(order)
    uow.session.flush()
    set_mechanics(uow, order, request.mechanic_ids)
    if request.mileage is not None:
        _record_mileage(uow, order, request.mileage, request.confirm_lower_mileage)
    audit.record(uow, "work_order", order.id, "create", None, _state(order))
    uow.mark_changed("work_order", order.id)
    return order


def _opened(uow: UnitOfWork, order: WorkOrder) -> WorkOrderCard:
    card = read_card(uow, order.id)
    announce(uow, order, None, WorkOrderStatus.NEW, card.totals.total)
    uow.commit()
    return card


def _text(value: str, field: str) -> str:
    text = value.strip()
    if len(text) > TEXT_LIMIT:
        raise ValidationError(_("The text is too long (at most {limit} characters).").format(limit=TEXT_LIMIT), field)
    return text


def _moment(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("planned completion must be timezone-aware")
    return value


def _bay(uow: UnitOfWork, bay_id: int | None) -> int | None:
    if bay_id is not None:
        bay = uow.session.get(Bay, bay_id)
        if bay is None or not bay.active:
            raise ValidationError(_("The bay chosen no longer exists."), "bay")
    return bay_id


def _record_mileage(uow: UnitOfWork, order: WorkOrder, kilometres: int, confirm_lower: bool) -> None:
    if order.vehicle_id is None:
        raise ValidationError(_("Choose the car before entering its mileage."), "mileage")
    add_mileage(uow, order.vehicle_id, kilometres, uow.clock().date(), source="work_order", confirm_lower=confirm_lower)
    order.mileage = kilometres


def _state(order: WorkOrder) -> dict[str, object]:
    return {
        "number": display_number(order.year, order.number), "client_id": order.client_id,
        "vehicle_id": order.vehicle_id, "booking_id": order.booking_id, "bay_id": order.bay_id,
        "mileage": order.mileage, "complaint": order.complaint, "condition_notes": order.condition_notes,
        "belongings": order.belongings, "discount_percent": order.discount_percent, "vat_mode": order.vat_mode,
        "planned_at": order.planned_at, "status": order.status,
    }  # fmt: skip


def update_header(
    uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, changes: HeaderChanges
) -> WorkOrderCard:
    """Change the intake details: complaint, mileage (into the car's log), promised time, bay, mechanics, notes,
    the discount for new lines, the VAT mode."""

    def work(uow: UnitOfWork) -> WorkOrderCard:
        order = load_open_order(uow, work_order_id, version)
        _apply(uow, order, changes)
        touch(uow, order)
        card = read_card(uow, order.id)
        uow.commit()
        return card

    return run_in_transaction(uow_factory, work)


def _apply(uow: UnitOfWork, order: WorkOrder, changes: HeaderChanges) -> None:
    before = _state(order)
    for name in ("complaint", "condition_notes", "belongings", "notes"):
        value = getattr(changes, name)
        if value is not None:
            setattr(order, name, _text(value, name))
    if changes.mileage is not None and changes.mileage != order.mileage:
        _record_mileage(uow, order, changes.mileage, changes.confirm_lower_mileage)
    if changes.clear_planned_at:
        order.planned_at = None
    elif changes.planned_at is not None:
        order.planned_at = _moment(changes.planned_at)
    if changes.bay_id is not None:
        order.bay_id = _bay(uow, changes.bay_id)
    if changes.mechanic_ids is not None:
        set_mechanics(uow, order, changes.mechanic_ids)
    if changes.discount_percent is not None:
        order.discount_percent = check_percent(changes.discount_percent)
    if changes.vat_mode is not None:
        if changes.vat_mode not in VAT_RULES:
            raise ValidationError(_("Unknown VAT mode {mode}.").format(mode=changes.vat_mode), "vat_mode")
        order.vat_mode = changes.vat_mode
    uow.session.flush()
    audit.record(uow, "work_order", order.id, "edit", before, _state(order))


# --- Opening on arrival -----------------------------------------------------------------------------------------

_auto_open_vat_mode = DEFAULT_VAT_MODE


def on_car_arrived(uow: UnitOfWork, event: CarArrived) -> None:
    """A booked car is at the shop: open its work order in the same transaction (never a second one)."""
    booking = uow.session.get(Booking, event.booking_id)
    if booking is None or booking.kind != "service" or _order_of_booking(uow, event.booking_id) is not None:
        return
    order = open_for_booking(uow, event.booking_id, _auto_open_vat_mode)
    total = read_card(uow, order.id).totals.total
    announce(uow, order, None, WorkOrderStatus.NEW, total)


def install(vat_mode: str | None = None) -> None:
    """Open work orders for arriving cars (idempotent). *vat_mode*: the shop's `config.SHOP_VAT_MODE` for them."""
    global _auto_open_vat_mode
    if vat_mode is not None:
        if vat_mode not in VAT_RULES:
            raise ValueError(f"unknown VAT mode {vat_mode!r}")
        _auto_open_vat_mode = vat_mode
    domain_events.subscribe(CarArrived, on_car_arrived)
