"""The work-order pipeline: one transition function with the rules, the audit, the client's timeline and the event.

new → diagnostics → awaiting approval → awaiting parts → in work → quality check → ready → issued, or cancelled
from any open status (see work_order_common.NEXT_STATUSES for the steps back that real work needs).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import SpecialOrder, StockReservation
from autoservice_desk.models.scheduling import Booking, Mechanic
from autoservice_desk.models.work_orders import TimeClockEntry, WorkOrder, WorkOrderLabour, WorkOrderPart
from autoservice_desk.services import audit, domain_events, segments, timeline
from autoservice_desk.services.errors import ConflictError, ValidationError
from autoservice_desk.services.reservations import release_reservation
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_card import read_card
from autoservice_desk.services.work_order_common import (
    NEXT_STATUSES,
    WORK_ORDER_EVENT,
    load_order,
    order_number,
    require_status_changer,
    touch,
)
from autoservice_desk.services.work_order_parts import cancel_needed_special_order
from autoservice_desk.services.work_order_types import WorkOrderCard, WorkOrderStatus

S = WorkOrderStatus
FINISHING = frozenset({S.READY, S.ISSUED})
# The booking follows its work order on the schedule: in work when the order is, done when the car is handed over.
BOOKING_FOLLOWS = {S.IN_WORK: ({"arrived"}, "in_work"), S.ISSUED: ({"arrived", "in_work"}, "done")}


def change_status(
    uow_factory: UnitOfWorkFactory,
    work_order_id: int,
    version: int,
    status: WorkOrderStatus,
    zone: ZoneInfo,
    reason: str = "",
) -> WorkOrderCard:
    """Move the order to *status* if the pipeline and the rules allow it, else refuse saying why.

    Not "ready" (nor "issued") while a part is reserved but not issued, a special order has not been issued, or a
    time-clock entry runs. Cancelling (a reason is required) releases the reservations, cancels the special orders
    nobody ordered yet and stops running clock entries; it is refused once parts went to the car. "Issued" closes
    the order and counts the client's visit (on the shop's local date in *zone*).
    """

    def work(uow: UnitOfWork) -> WorkOrderCard:
        require_status_changer(uow, status)
        order = load_order(uow, work_order_id, version, for_update=True)
        current = S(order.status)
        if status == current:
            return read_card(uow, order.id)
        if status not in NEXT_STATUSES[current]:
            raise ConflictError(
                _("A work order that is {current} cannot become {new}.").format(
                    current=current.label.lower(), new=status.label.lower()
                )
            )
        now = uow.clock()
        if status in FINISHING:
            _check_finished(uow, order, status)
        if status == S.CANCELLED:
            _cancel(uow, order, reason, now)
        apply_status(uow, order, status, now, zone, reason)
        card = read_card(uow, order.id)
        uow.commit()
        return card

    return run_in_transaction(uow_factory, work)


def apply_status(
    uow: UnitOfWork, order: WorkOrder, status: WorkOrderStatus, now: datetime, zone: ZoneInfo, reason: str = ""
) -> None:
    """Write the new status with its timestamps, audit, timeline entry and WorkOrderStatusChanged event."""
    previous = S(order.status)
    order.status = status.value
    if status == S.READY:
        order.ready_at = now
    elif previous == S.READY and status != S.ISSUED:
        order.ready_at = None  # back to work: the car is no longer ready
    if status in (S.ISSUED, S.CANCELLED):
        order.closed_at = now
    if status == S.ISSUED:
        segments.record_visit(uow, order.client_id, now.astimezone(zone).date())
    _follow_booking(uow, order, status)
    touch(uow, order)
    uow.session.flush()
    total = read_card(uow, order.id).totals.total
    audit.record(uow, "work_order", order.id, f"status:{status.value}", {"status": previous.value},
                 {"status": status.value, "reason": reason.strip() or None, "amount_due": total})  # fmt: skip
    announce(uow, order, previous, status, total, reason)


def announce(
    uow: UnitOfWork, order: WorkOrder, previous: WorkOrderStatus | None, status: WorkOrderStatus, total: Decimal,
    reason: str = "",
) -> None:  # fmt: skip
    """The client's timeline line and the domain event for a status the order has just taken."""
    number = order_number(order)
    summary = (
        _("Work order {number} opened").format(number=number)
        if previous is None
        else _("Work order {number}: {status}").format(number=number, status=status.label)
    )
    timeline.add_event(
        uow, order.client_id, WORK_ORDER_EVENT, summary, body=reason.strip() or None, entity="work_order",
        entity_id=order.id,
    )  # fmt: skip
    domain_events.raise_event(
        uow,
        domain_events.WorkOrderStatusChanged(
            order.id,
            number,
            order.client_id,
            order.vehicle_id,
            previous.value if previous else None,
            status.value,
            total,
        ),
    )


def _check_finished(uow: UnitOfWork, order: WorkOrder, status: WorkOrderStatus) -> None:
    """Refuse "ready"/"issued" while parts wait to be issued or someone is still clocked on the order."""
    problems = []
    waiting = uow.session.scalars(
        select(WorkOrderPart.name)
        .join(StockReservation, StockReservation.id == WorkOrderPart.reservation_id)
        .where(WorkOrderPart.work_order_id == order.id, WorkOrderPart.source == "stock",
               StockReservation.status == "active")
        .order_by(WorkOrderPart.position)
    ).all()  # fmt: skip
    if waiting:
        problems.append(_("parts reserved but not issued: {parts}").format(parts=", ".join(waiting)))
    ordered = uow.session.scalars(
        select(WorkOrderPart.name)
        .join(SpecialOrder, SpecialOrder.id == WorkOrderPart.special_order_id)
        .where(WorkOrderPart.work_order_id == order.id, SpecialOrder.status.not_in(("issued", "cancelled")))
        .order_by(WorkOrderPart.position)
    ).all()  # fmt: skip
    if ordered:
        problems.append(_("special-order parts not issued: {parts}").format(parts=", ".join(ordered)))
    running = uow.session.execute(
        select(Mechanic.full_name, WorkOrderLabour.name)
        .select_from(TimeClockEntry)
        .join(Mechanic, Mechanic.id == TimeClockEntry.mechanic_id)
        .join(WorkOrderLabour, WorkOrderLabour.id == TimeClockEntry.labour_id)
        .where(TimeClockEntry.work_order_id == order.id, TimeClockEntry.ended_at.is_(None))
    ).all()
    if running:
        problems.append(
            _("the time clock is running: {entries}").format(
                entries=", ".join(f"{mechanic} \u2014 {job}" for mechanic, job in running)
            )
        )
    if problems:
        raise ConflictError(
            _("Work order {number} cannot become {status}: {problems}.").format(
                number=order_number(order), status=status.label.lower(), problems="; ".join(problems)
            )
        )


def _cancel(uow: UnitOfWork, order: WorkOrder, reason: str, now: datetime) -> None:
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling the work order."), "reason")
    lines = uow.session.scalars(
        select(WorkOrderPart).where(WorkOrderPart.work_order_id == order.id).order_by(WorkOrderPart.position)
    ).all()
    reservations = {
        reservation.id: reservation
        for reservation in uow.session.scalars(
            select(StockReservation).where(
                StockReservation.id.in_([line.reservation_id for line in lines if line.reservation_id is not None])
            )
        )
    }
    issued = [
        line.name
        for line in lines
        if line.reservation_id in reservations and reservations[line.reservation_id].status == "consumed"
    ]
    if issued:
        raise ConflictError(
            _("Parts have been issued to the car ({parts}); return them to the warehouse (reverse the issue) before "
              "cancelling.").format(parts=", ".join(issued))
        )  # fmt: skip
    for line in lines:
        if line.reservation_id in reservations and reservations[line.reservation_id].status == "active":
            release_reservation(uow, line.reservation_id)
        elif line.source == "special_order":
            cancel_needed_special_order(uow, line, refuse_ordered=False)
    for entry in uow.session.scalars(
        select(TimeClockEntry).where(TimeClockEntry.work_order_id == order.id, TimeClockEntry.ended_at.is_(None))
    ):
        entry.ended_at, entry.end_reason = now, "stopped"
    order.cancel_reason = reason.strip()


def _follow_booking(uow: UnitOfWork, order: WorkOrder, status: WorkOrderStatus) -> None:
    if order.booking_id is None or status not in BOOKING_FOLLOWS:
        return
    booking = uow.session.get(Booking, order.booking_id)
    allowed, target = BOOKING_FOLLOWS[status]
    if booking is None or booking.status not in allowed:
        return
    audit.record(uow, "booking", booking.id, f"status:{target}", {"status": booking.status},
                 {"status": target, "work_order_id": order.id})  # fmt: skip
    booking.status = target
    uow.mark_changed("booking", booking.id)
