"""What every work-order use case shares: who may do what, loading an order version-checked, the pipeline."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm.attributes import flag_modified

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.scheduling import Mechanic
from autoservice_desk.models.work_orders import WorkOrder, work_order_mechanics
from autoservice_desk.services import timeline
from autoservice_desk.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.numbering import format_number
from autoservice_desk.services.unit_of_work import UnitOfWork
from autoservice_desk.services.work_order_types import GARAGE_STATUSES, NUMBER_PREFIX, WorkOrderStatus

EDITOR_ROLES = ("advisor", "manager")
GARAGE_ROLES = ("mechanic",)
WORK_ORDER_EVENT = timeline.register_kind("work_order", N_("Work order"))
S = WorkOrderStatus
# Where each status may go next. Work can go back (a failed quality check, parts that turn out to be missing);
# "cancelled" is reachable from every open status, "issued" only from "ready"; closed orders stay closed.
NEXT_STATUSES: dict[WorkOrderStatus, tuple[WorkOrderStatus, ...]] = {
    S.NEW: (S.DIAGNOSTICS, S.AWAITING_APPROVAL, S.AWAITING_PARTS, S.IN_WORK, S.CANCELLED),
    S.DIAGNOSTICS: (S.AWAITING_APPROVAL, S.AWAITING_PARTS, S.IN_WORK, S.CANCELLED),
    S.AWAITING_APPROVAL: (S.DIAGNOSTICS, S.AWAITING_PARTS, S.IN_WORK, S.CANCELLED),
    S.AWAITING_PARTS: (S.AWAITING_APPROVAL, S.IN_WORK, S.CANCELLED),
    S.IN_WORK: (S.AWAITING_APPROVAL, S.AWAITING_PARTS, S.QUALITY_CHECK, S.READY, S.CANCELLED),
    S.QUALITY_CHECK: (S.IN_WORK, S.READY, S.CANCELLED),
    S.READY: (S.IN_WORK, S.ISSUED, S.CANCELLED),
    S.ISSUED: (),
    S.CANCELLED: (),
}


def require_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*EDITOR_ROLES):
        raise PermissionDeniedError(_("Only service advisors, managers and administrators can change work orders."))


def require_status_changer(uow: UnitOfWork, target: WorkOrderStatus) -> None:
    """Advisors move an order anywhere the pipeline allows; mechanics only between the garage's statuses."""
    if uow.actor.has_role(*EDITOR_ROLES):
        return
    if uow.actor.has_role(*GARAGE_ROLES) and target in GARAGE_STATUSES:
        return
    raise PermissionDeniedError(
        _("You cannot move a work order to \u201c{status}\u201d; ask a service advisor.").format(status=target.label)
    )


def display_number(year: int, number: int) -> str:
    """`WO-2026-000123` (`ЗН-2026-000123` in Russian)."""
    return format_number(_(NUMBER_PREFIX), year, number)


def order_number(order: WorkOrder) -> str:
    return display_number(order.year, order.number)


def load_order(
    uow: UnitOfWork, work_order_id: int, version: int | None = None, *, for_update: bool = False
) -> WorkOrder:
    """The order (locked for this transaction with *for_update*), refused when another desk changed it since
    *version* was read."""
    order = uow.session.get(WorkOrder, work_order_id, with_for_update=for_update or None, populate_existing=True)
    if order is None:
        raise NotFoundError(_("The work order no longer exists."))
    if version is not None and order.version != version:
        raise ConflictError(
            _("Someone else has changed work order {number} in the meantime; look at it again.").format(
                number=order_number(order)
            )
        )
    return order


def require_open(order: WorkOrder) -> None:
    status = WorkOrderStatus(order.status)
    if not status.is_open:
        raise ConflictError(
            _("Work order {number} is {status}; it can no longer be changed.").format(
                number=order_number(order), status=status.label.lower()
            )
        )


def load_open_order(uow: UnitOfWork, work_order_id: int, version: int | None) -> WorkOrder:
    """An open order, version-checked, for a change by an advisor."""
    require_editor(uow)
    order = load_order(uow, work_order_id, version)
    require_open(order)
    return order


def touch(uow: UnitOfWork, order: WorkOrder) -> None:
    """Mark the order changed: its version goes up, so another desk's open copy becomes stale."""
    order.updated_at = uow.clock()
    flag_modified(order, "updated_at")
    uow.mark_changed("work_order", order.id)


def set_mechanics(uow: UnitOfWork, order: WorkOrder, mechanic_ids: Iterable[int]) -> None:
    wanted = list(dict.fromkeys(mechanic_ids))
    for mechanic_id in wanted:
        mechanic = uow.session.get(Mechanic, mechanic_id)
        if mechanic is None or not mechanic.active:
            raise ValidationError(_("A mechanic chosen no longer works here."), "mechanics")
    uow.session.execute(delete(work_order_mechanics).where(work_order_mechanics.c.work_order_id == order.id))
    if wanted:
        uow.session.execute(
            work_order_mechanics.insert(), [{"work_order_id": order.id, "mechanic_id": item} for item in wanted]
        )


def order_mechanic_ids(uow: UnitOfWork, work_order_id: int) -> list[int]:
    return list(
        uow.session.scalars(
            select(work_order_mechanics.c.mechanic_id).where(work_order_mechanics.c.work_order_id == work_order_id)
        )
    )


def check_mechanic(uow: UnitOfWork, mechanic_id: int | None) -> None:
    if mechanic_id is None:
        return
    mechanic = uow.session.get(Mechanic, mechanic_id)
    if mechanic is None or not mechanic.active:
        raise ValidationError(_("A mechanic chosen no longer works here."), "mechanic")
