"""What the work-order screens read besides the card and the board: the filters' choices, a change stamp for the
poll, and a mechanic's jobs for the garage PC."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, exists, func, or_, select

from autoservice_desk.models.clients import Vehicle
from autoservice_desk.models.scheduling import Bay, Mechanic
from autoservice_desk.models.work_orders import (
    MechanicShift,
    TimeClockEntry,
    WorkOrder,
    WorkOrderLabour,
    work_order_mechanics,
)
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_card import hours_between
from autoservice_desk.services.work_order_common import display_number
from autoservice_desk.services.work_order_types import CLOCKABLE_STATUSES, OPEN_STATUSES, WorkOrderStatus

HOUR_UNIT = Decimal("0.01")


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class BoardChoices:
    """What the board's filters offer: active mechanics and bays, and the advisors of open orders."""

    mechanics: tuple[Choice, ...]
    bays: tuple[Choice, ...]
    advisors: tuple[Choice, ...]


@dataclass(frozen=True)
class GarageJob:
    """A labour line a mechanic can clock on, with its order's number and car."""

    labour_id: int
    work_order_id: int
    number: str
    status: WorkOrderStatus
    car: str
    plate: str
    name: str
    hours: Decimal
    clocked_hours: Decimal  # by everyone, so far
    running: bool  # this mechanic's clock runs on it


def board_choices(uow_factory: UnitOfWorkFactory) -> BoardChoices:
    """The filters' lists, in the schedule's order (advisors by name)."""

    def work(uow: UnitOfWork) -> BoardChoices:
        mechanics = uow.session.execute(
            select(Mechanic.id, Mechanic.full_name).where(Mechanic.active)
            .order_by(Mechanic.sort_order, Mechanic.full_name)
        ).all()  # fmt: skip
        bays = uow.session.execute(select(Bay.id, Bay.name).where(Bay.active).order_by(Bay.sort_order, Bay.name)).all()
        advisors = uow.session.execute(
            select(WorkOrder.advisor_id, func.max(WorkOrder.advisor_name))
            .where(WorkOrder.advisor_id.is_not(None), WorkOrder.status.in_([s.value for s in OPEN_STATUSES]))
            .group_by(WorkOrder.advisor_id)
        ).all()  # fmt: skip
        return BoardChoices(
            tuple(Choice(id_, name) for id_, name in mechanics),
            tuple(Choice(id_, name) for id_, name in bays),
            tuple(
                sorted(
                    (Choice(id_, name or "") for id_, name in advisors if id_ is not None), key=lambda item: item.name
                )
            ),  # fmt: skip
        )

    return run_in_transaction(uow_factory, work, read_only=True)


def board_stamp(uow_factory: UnitOfWorkFactory) -> tuple[object, ...]:
    """Changes whenever an order, a clock entry or a shift changes on any desk (the board's poll compares it)."""

    def work(uow: UnitOfWork) -> tuple[object, ...]:
        orders = uow.session.execute(select(func.count(), func.sum(WorkOrder.version), func.max(WorkOrder.updated_at))
                                     .select_from(WorkOrder)).one()  # fmt: skip
        entries = uow.session.execute(select(func.max(TimeClockEntry.id), func.count(TimeClockEntry.ended_at))).one()
        shifts = uow.session.execute(select(func.max(MechanicShift.id), func.count(MechanicShift.ended_at))).one()
        return (*orders, *entries, *shifts)

    return run_in_transaction(uow_factory, work, read_only=True)


def mechanic_jobs(uow_factory: UnitOfWorkFactory, mechanic_id: int) -> list[GarageJob]:
    """The labour lines the mechanic may clock on: his own, and unassigned ones on orders he is put on, of orders
    in a status time can be clocked in (the earliest promised first)."""

    def work(uow: UnitOfWork) -> list[GarageJob]:
        on_order = exists().where(work_order_mechanics.c.work_order_id == WorkOrder.id,
                                  work_order_mechanics.c.mechanic_id == mechanic_id)  # fmt: skip
        rows = uow.session.execute(
            select(WorkOrderLabour, WorkOrder, Vehicle.make, Vehicle.model, Vehicle.plate)
            .join(WorkOrder, WorkOrder.id == WorkOrderLabour.work_order_id)
            .outerjoin(Vehicle, Vehicle.id == WorkOrder.vehicle_id)
            .where(WorkOrder.status.in_([status.value for status in CLOCKABLE_STATUSES]),
                   or_(WorkOrderLabour.mechanic_id == mechanic_id,
                       and_(WorkOrderLabour.mechanic_id.is_(None), on_order)))
            .order_by(WorkOrder.planned_at.is_(None), WorkOrder.planned_at, WorkOrder.id, WorkOrderLabour.position)
        ).all()  # fmt: skip
        ids = [row[0].id for row in rows]
        now = uow.clock()
        clocked: dict[int, Decimal] = {}
        running: set[int] = set()
        if ids:
            for labour_id, who, started, ended in uow.session.execute(
                select(TimeClockEntry.labour_id, TimeClockEntry.mechanic_id, TimeClockEntry.started_at,
                       TimeClockEntry.ended_at).where(TimeClockEntry.labour_id.in_(ids))
            ):  # fmt: skip
                clocked[labour_id] = clocked.get(labour_id, Decimal(0)) + hours_between(started, ended, now)
                if ended is None and who == mechanic_id:
                    running.add(labour_id)
        return [
            GarageJob(
                line.id,
                order.id,
                display_number(order.year, order.number),
                WorkOrderStatus(order.status),
                " ".join(part for part in (make, model) if part),
                plate or "",
                line.name,
                line.hours,
                clocked.get(line.id, Decimal(0)).quantize(HOUR_UNIT),
                line.id in running,
            )  # fmt: skip
            for line, order, make, model, plate in rows
        ]

    return run_in_transaction(uow_factory, work, read_only=True)
