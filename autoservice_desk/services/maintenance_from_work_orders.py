"""An issued work order with scheduled maintenance on it restarts the car's maintenance clock (for the reminders)."""

from __future__ import annotations

from sqlalchemy import select

from autoservice_desk.models.catalog import Service
from autoservice_desk.models.work_orders import WorkOrder, WorkOrderLabour
from autoservice_desk.services import domain_events
from autoservice_desk.services.domain_events import WorkOrderStatusChanged
from autoservice_desk.services.maintenance_due import add_maintenance_record
from autoservice_desk.services.unit_of_work import UnitOfWork

# The catalog's scheduled-maintenance jobs: ТО-1, ТО-2 and the oil change, which is what a "next service" counts from.
MAINTENANCE_SERVICE_CODES = ("TO-1", "TO-2", "TO-OIL")


def on_work_order_status_changed(uow: UnitOfWork, event: WorkOrderStatusChanged) -> None:
    if event.status != "issued" or event.vehicle_id is None:
        return
    maintained = uow.session.scalar(
        select(WorkOrderLabour.id)
        .join(Service, Service.id == WorkOrderLabour.service_id)
        .where(WorkOrderLabour.work_order_id == event.work_order_id, Service.code.in_(MAINTENANCE_SERVICE_CODES))
        .limit(1)
    )
    if maintained is None:
        return
    order = uow.session.get(WorkOrder, event.work_order_id)
    mileage = order.mileage if order is not None else None
    # The UTC date: a day off around midnight does not matter against intervals of months.
    add_maintenance_record(uow, event.vehicle_id, uow.clock().date(), mileage, event.work_order_id)


def install() -> None:
    domain_events.subscribe(WorkOrderStatusChanged, on_work_order_status_changed)
