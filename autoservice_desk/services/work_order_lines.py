"""Labour lines of a work order: a catalog service with the hours of the norms for this car (changed only with a
reason, which is kept), the category's rate, a discount, the kind carried from the catalog, the mechanic."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Vehicle
from autoservice_desk.models.work_orders import TimeClockEntry, WorkOrder, WorkOrderLabour
from autoservice_desk.services import audit
from autoservice_desk.services.catalog import MAX_HOURS, service_info
from autoservice_desk.services.errors import ConflictError, NotFoundError, ValidationError
from autoservice_desk.services.labour_norms import norm_hours
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_card import read_card
from autoservice_desk.services.work_order_common import (
    check_mechanic,
    load_open_order,
    order_mechanic_ids,
    touch,
)
from autoservice_desk.services.work_order_types import LINE_KINDS, WorkOrderCard

HOURS_UNIT = Decimal("0.01")
PERCENT_UNIT = Decimal("0.01")


@dataclass(frozen=True)
class LabourInput:
    """A job to add: *hours* None takes the norm for the car; other hours need *hours_reason*.

    *discount_percent* None takes the order's discount; *mechanic_id* None the order's only mechanic, if one.
    """

    service_id: int
    hours: Decimal | None = None
    hours_reason: str = ""
    mechanic_id: int | None = None
    discount_percent: Decimal | None = None
    comment: str = ""


@dataclass(frozen=True)
class LabourChanges:
    """What to change on a labour line; None leaves a field as it is. New *hours* need *hours_reason*."""

    hours: Decimal | None = None
    hours_reason: str = ""
    mechanic_id: int | None = None
    clear_mechanic: bool = False
    discount_percent: Decimal | None = None
    kind: str | None = None
    comment: str | None = None


def check_hours(hours: Decimal) -> Decimal:
    if hours <= 0 or hours > MAX_HOURS or hours != hours.quantize(HOURS_UNIT):
        raise ValidationError(
            _("The hours are a number above zero with at most two decimal places, for example 1.4."), "hours"
        )
    return hours


def check_percent(percent: Decimal) -> Decimal:
    if not 0 <= percent <= 100 or percent != percent.quantize(PERCENT_UNIT):
        raise ValidationError(_("A discount is from 0 to 100 %."), "discount_percent")
    return percent


def _reason_for(hours: Decimal, norm: Decimal, reason: str) -> str:
    """Hours other than the norm are kept only with the reason (the manager asks why a job was sold longer)."""
    if hours == norm:
        return ""
    if not reason.strip():
        raise ValidationError(
            _("The norm for this car is {norm} h; give the reason for {hours} h.").format(norm=norm, hours=hours),
            "hours_reason",
        )
    return reason.strip()


def norm_for(uow: UnitOfWork, order: WorkOrder, service_id: int) -> Decimal:
    vehicle = uow.session.get(Vehicle, order.vehicle_id) if order.vehicle_id is not None else None
    return norm_hours(
        uow, service_id, vehicle.make if vehicle else None, vehicle.model if vehicle else None,
        vehicle.year if vehicle else None, vehicle.engine if vehicle else None,
    ).hours  # fmt: skip


def insert_labour(uow: UnitOfWork, order: WorkOrder, line: LabourInput) -> WorkOrderLabour:
    """Add a labour line inside the caller's unit of work (opening from a booking, accepting a recommendation)."""
    service = service_info(uow, line.service_id)
    if not service.active:
        raise ValidationError(_("The service chosen is no longer in the catalog."), "service")
    norm = norm_for(uow, order, service.id)
    hours = check_hours(line.hours if line.hours is not None else norm)
    mechanic_id = line.mechanic_id
    if mechanic_id is None:
        assigned = order_mechanic_ids(uow, order.id)
        mechanic_id = assigned[0] if len(assigned) == 1 else None
    check_mechanic(uow, mechanic_id)
    position = uow.session.scalar(
        select(func.coalesce(func.max(WorkOrderLabour.position), 0)).where(WorkOrderLabour.work_order_id == order.id)
    )
    labour = WorkOrderLabour(
        work_order_id=order.id, position=int(position or 0) + 1, service_id=service.id, name=service.name,
        kind=service.kind, hours=hours, norm_hours=norm, hours_reason=_reason_for(hours, norm, line.hours_reason),
        hourly_rate=service.hourly_rate, fixed_price=service.fixed_price if service.price_rule == "fixed" else None,
        discount_percent=check_percent(
            line.discount_percent if line.discount_percent is not None else order.discount_percent
        ),
        mechanic_id=mechanic_id, comment=line.comment.strip(),
    )  # fmt: skip
    uow.session.add(labour)
    uow.session.flush()
    audit.record(uow, "work_order", order.id, "add_labour", None, labour_state(labour))
    touch(uow, order)
    return labour


def labour_state(line: WorkOrderLabour) -> dict[str, object]:
    return {
        "line_id": line.id, "service_id": line.service_id, "kind": line.kind, "hours": line.hours,
        "norm_hours": line.norm_hours, "hours_reason": line.hours_reason, "hourly_rate": line.hourly_rate,
        "fixed_price": line.fixed_price, "discount_percent": line.discount_percent, "mechanic_id": line.mechanic_id,
    }  # fmt: skip


def load_labour(uow: UnitOfWork, order: WorkOrder, labour_id: int) -> WorkOrderLabour:
    line = uow.session.get(WorkOrderLabour, labour_id)
    if line is None or line.work_order_id != order.id:
        raise NotFoundError(_("The job is no longer on the work order."))
    return line


def add_labour(uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, line: LabourInput) -> WorkOrderCard:
    """Add a job from the catalog with the hours of the norms for this car (or others, with a reason)."""

    def work(uow: UnitOfWork) -> WorkOrderCard:
        order = load_open_order(uow, work_order_id, version)
        insert_labour(uow, order, line)
        card = read_card(uow, order.id)
        uow.commit()
        return card

    return run_in_transaction(uow_factory, work)


def update_labour(
    uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, labour_id: int, changes: LabourChanges
) -> WorkOrderCard:
    """Change a job's hours (with the reason), mechanic, discount, kind or comment."""

    def work(uow: UnitOfWork) -> WorkOrderCard:
        order = load_open_order(uow, work_order_id, version)
        line = load_labour(uow, order, labour_id)
        before = labour_state(line)
        if changes.hours is not None and changes.hours != line.hours:
            line.hours = check_hours(changes.hours)
            line.hours_reason = _reason_for(line.hours, line.norm_hours, changes.hours_reason)
        if changes.clear_mechanic:
            line.mechanic_id = None
        elif changes.mechanic_id is not None:
            check_mechanic(uow, changes.mechanic_id)
            line.mechanic_id = changes.mechanic_id
        if changes.discount_percent is not None:
            line.discount_percent = check_percent(changes.discount_percent)
        if changes.kind is not None:
            if changes.kind not in LINE_KINDS:
                raise ValidationError(_("Choose paid, warranty or extended warranty."), "kind")
            line.kind = changes.kind
        if changes.comment is not None:
            line.comment = changes.comment.strip()
        uow.session.flush()
        audit.record(uow, "work_order", order.id, "edit_labour", before, labour_state(line))
        touch(uow, order)
        card = read_card(uow, order.id)
        uow.commit()
        return card

    return run_in_transaction(uow_factory, work)


def remove_labour(uow_factory: UnitOfWorkFactory, work_order_id: int, version: int, labour_id: int) -> WorkOrderCard:
    """Take a job off the order; refused once a mechanic has clocked time on it (that time must stay accounted)."""

    def work(uow: UnitOfWork) -> WorkOrderCard:
        order = load_open_order(uow, work_order_id, version)
        line = load_labour(uow, order, labour_id)
        clocked = uow.session.scalar(select(func.count()).where(TimeClockEntry.labour_id == line.id))
        if clocked:
            raise ConflictError(
                _("Time has been clocked on \u201c{job}\u201d; it cannot be removed (set its hours instead).").format(
                    job=line.name
                )
            )
        audit.record(uow, "work_order", order.id, "remove_labour", labour_state(line), None)
        uow.session.delete(line)
        touch(uow, order)
        card = read_card(uow, order.id)
        uow.commit()
        return card

    return run_in_transaction(uow_factory, work)
