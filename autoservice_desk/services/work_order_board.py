"""The service board and the work-order list: open orders by status, filtered, searched, with overdue ones flagged.

One query for the page of orders, then one each for their mechanics and their lines' money, whatever the page size.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from autoservice_desk.models.clients import Client, Vehicle
from autoservice_desk.models.scheduling import Bay, Mechanic
from autoservice_desk.models.work_orders import WorkOrder, WorkOrderLabour, WorkOrderPart, work_order_mechanics
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.text_keys import fold_text, plate_key
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_card import is_overdue
from autoservice_desk.services.work_order_common import display_number
from autoservice_desk.services.work_order_totals import TotalLine, compute_totals, labour_amount, part_amount
from autoservice_desk.services.work_order_types import GARAGE_STATUSES, OPEN_STATUSES, WorkOrderStatus

NUMBER_PATTERN = re.compile(r"^\s*\w*\s*-?\s*(\d{4})\s*-\s*(\d+)\s*$")  # "ЗН-2026-000123", "2026-123"
SORTS = ("opened", "planned", "number", "client")
PAGE = 200


@dataclass(frozen=True)
class WorkOrderFilter:
    """What the board or list shows; None or empty means "any". *statuses* None: the open ones."""

    statuses: Collection[WorkOrderStatus] | None = None
    mechanic_id: int | None = None
    bay_id: int | None = None
    advisor_id: int | None = None
    client_id: int | None = None
    vehicle_id: int | None = None
    text: str = ""  # number, plate or client name
    overdue_only: bool = False


@dataclass(frozen=True)
class WorkOrderRow:
    id: int
    version: int
    number: str
    status: WorkOrderStatus
    client_id: int
    client_name: str
    vehicle_id: int | None
    car: str
    plate: str
    bay_name: str
    advisor_name: str
    mechanic_names: tuple[str, ...]
    planned_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    overdue: bool
    total: Decimal  # to pay


@dataclass(frozen=True)
class BoardColumn:
    status: WorkOrderStatus
    rows: tuple[WorkOrderRow, ...]

    @property
    def label(self) -> str:
        return self.status.label


def _conditions(uow: UnitOfWork, chosen: WorkOrderFilter) -> list[ColumnElement[bool]]:
    statuses = chosen.statuses if chosen.statuses is not None else OPEN_STATUSES
    conditions: list[ColumnElement[bool]] = [WorkOrder.status.in_([status.value for status in statuses])]
    equal = (
        (WorkOrder.bay_id, chosen.bay_id), (WorkOrder.advisor_id, chosen.advisor_id),
        (WorkOrder.client_id, chosen.client_id), (WorkOrder.vehicle_id, chosen.vehicle_id),
    )  # fmt: skip
    for column, value in equal:
        if value is not None:
            conditions.append(column == value)
    if chosen.mechanic_id is not None:
        assigned = exists().where(work_order_mechanics.c.work_order_id == WorkOrder.id,
                                  work_order_mechanics.c.mechanic_id == chosen.mechanic_id)  # fmt: skip
        on_lines = exists().where(WorkOrderLabour.work_order_id == WorkOrder.id,
                                  WorkOrderLabour.mechanic_id == chosen.mechanic_id)  # fmt: skip
        conditions.append(or_(assigned, on_lines))
    if chosen.overdue_only:
        late = [status.value for status in OPEN_STATUSES if status != WorkOrderStatus.READY]
        conditions.append(and_(WorkOrder.planned_at < uow.clock(), WorkOrder.status.in_(late)))
    if chosen.text.strip():
        conditions.append(_text_condition(chosen.text))
    return conditions


def _text_condition(text: str) -> ColumnElement[bool]:
    """A number ("ЗН-2026-000123", "2026-123", "123"), part of a plate, or part of the client's name."""
    choices: list[ColumnElement[bool]] = []
    matched = NUMBER_PATTERN.match(text)
    if matched:
        choices.append(and_(WorkOrder.year == int(matched.group(1)), WorkOrder.number == int(matched.group(2))))
    elif text.strip().isdigit():
        choices.append(WorkOrder.number == int(text.strip()))
    plate = plate_key(text)
    if plate:
        choices.append(WorkOrder.vehicle_id.in_(select(Vehicle.id).where(Vehicle.plate.contains(plate))))
    name = fold_text(text)
    if name:
        choices.append(WorkOrder.client_id.in_(select(Client.id).where(Client.sort_key.contains(name))))
    return or_(*choices)


def _query(uow: UnitOfWork, chosen: WorkOrderFilter) -> Select[WorkOrder, Client, Vehicle, Bay]:
    return (
        select(WorkOrder, Client, Vehicle, Bay)
        .join(Client, Client.id == WorkOrder.client_id)
        .outerjoin(Vehicle, Vehicle.id == WorkOrder.vehicle_id)
        .outerjoin(Bay, Bay.id == WorkOrder.bay_id)
        .where(*_conditions(uow, chosen))
    )


def list_work_orders(
    uow_factory: UnitOfWorkFactory,
    chosen: WorkOrderFilter = WorkOrderFilter(),
    *,
    sort: str = "opened",
    descending: bool = True,
    offset: int = 0,
    limit: int = PAGE,
) -> list[WorkOrderRow]:
    """A page of the list, sorted by *sort* (opened, planned, number, client)."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")

    def work(uow: UnitOfWork) -> list[WorkOrderRow]:
        sort_keys: dict[str, list[Any]] = {
            "opened": [WorkOrder.opened_at], "planned": [WorkOrder.planned_at], "client": [Client.sort_key],
            "number": [WorkOrder.year, WorkOrder.number],
        }  # fmt: skip
        keys = sort_keys[sort]
        order = [key.desc() if descending else key.asc() for key in [*keys, WorkOrder.id]]
        rows = uow.session.execute(_query(uow, chosen).order_by(*order).offset(offset).limit(limit)).all()
        return _rows(uow, rows)

    return run_in_transaction(uow_factory, work, read_only=True)


def count_work_orders(uow_factory: UnitOfWorkFactory, chosen: WorkOrderFilter = WorkOrderFilter()) -> int:
    def work(uow: UnitOfWork) -> int:
        query = select(func.count()).select_from(_query(uow, chosen).subquery())
        return int(uow.session.scalar(query) or 0)

    return run_in_transaction(uow_factory, work, read_only=True)


def service_board(
    uow_factory: UnitOfWorkFactory, chosen: WorkOrderFilter = WorkOrderFilter(), *, garage: bool = False
) -> list[BoardColumn]:
    """Open orders in one column per status: the advisors' board (every open status) or the garage's
    (diagnostics, in work, quality check). Within a column the earliest promised come first."""
    columns = GARAGE_STATUSES if garage else OPEN_STATUSES
    wanted = [status for status in columns if chosen.statuses is None or status in chosen.statuses]

    def work(uow: UnitOfWork) -> list[BoardColumn]:
        narrowed = WorkOrderFilter(wanted, chosen.mechanic_id, chosen.bay_id, chosen.advisor_id, chosen.client_id,
                                   chosen.vehicle_id, chosen.text, chosen.overdue_only)  # fmt: skip
        query = _query(uow, narrowed).order_by(
            WorkOrder.planned_at.is_(None), WorkOrder.planned_at, WorkOrder.opened_at, WorkOrder.id
        )
        rows = _rows(uow, uow.session.execute(query).all())
        return [BoardColumn(status, tuple(row for row in rows if row.status == status)) for status in wanted]

    return run_in_transaction(uow_factory, work, read_only=True)


def _rows(uow: UnitOfWork, rows: Sequence[Any]) -> list[WorkOrderRow]:
    ids = [row[0].id for row in rows]
    mechanics = _mechanic_names(uow, ids)
    totals = _totals(uow, {row[0].id: row[0].vat_mode for row in rows})
    now = uow.clock()
    result = []
    for order, client, vehicle, bay in rows:
        status = WorkOrderStatus(order.status)
        result.append(
            WorkOrderRow(
                order.id,
                order.version,
                display_number(order.year, order.number),
                status,
                order.client_id,
                client_name(client),
                order.vehicle_id,
                " ".join(part for part in (vehicle.make, vehicle.model) if part) if vehicle else "",
                (vehicle.plate or "") if vehicle else "",
                bay.name if bay else "",
                order.advisor_name,
                tuple(mechanics.get(order.id, ())),
                order.planned_at,
                order.opened_at,
                order.closed_at,
                is_overdue(status, order.planned_at, now),
                totals.get(order.id, Decimal("0.00")),
            )  # fmt: skip
        )
    return result


def _mechanic_names(uow: UnitOfWork, ids: list[int]) -> dict[int, list[str]]:
    """Per order: its assigned mechanics, then those on its lines, each once."""
    names: dict[int, list[str]] = {}
    if not ids:
        return names
    assigned = (
        select(work_order_mechanics.c.work_order_id, Mechanic.full_name, Mechanic.sort_order)
        .join(Mechanic, Mechanic.id == work_order_mechanics.c.mechanic_id)
        .where(work_order_mechanics.c.work_order_id.in_(ids))
    )
    on_lines = (
        select(WorkOrderLabour.work_order_id, Mechanic.full_name, Mechanic.sort_order)
        .join(Mechanic, Mechanic.id == WorkOrderLabour.mechanic_id)
        .where(WorkOrderLabour.work_order_id.in_(ids))
    )
    for order_id, name, _sort in uow.session.execute(assigned.union(on_lines).order_by("sort_order", "full_name")):
        if name not in names.setdefault(order_id, []):
            names[order_id].append(name)
    return names


def _totals(uow: UnitOfWork, vat_modes: dict[int, str]) -> dict[int, Decimal]:
    lines: dict[int, list[TotalLine]] = {order_id: [] for order_id in vat_modes}
    if not vat_modes:
        return {}
    ids = list(vat_modes)
    for order_id, kind, hours, rate, fixed, percent in uow.session.execute(
        select(WorkOrderLabour.work_order_id, WorkOrderLabour.kind, WorkOrderLabour.hours, WorkOrderLabour.hourly_rate,
               WorkOrderLabour.fixed_price, WorkOrderLabour.discount_percent)
        .where(WorkOrderLabour.work_order_id.in_(ids))
    ):  # fmt: skip
        lines[order_id].append(TotalLine("labour", kind, labour_amount(hours, rate, fixed), percent))
    for order_id, kind, quantity, price, percent in uow.session.execute(
        select(WorkOrderPart.work_order_id, WorkOrderPart.kind, WorkOrderPart.quantity, WorkOrderPart.price,
               WorkOrderPart.discount_percent)
        .where(WorkOrderPart.work_order_id.in_(ids))
    ):  # fmt: skip
        lines[order_id].append(TotalLine("parts", kind, part_amount(quantity, price), percent))
    return {order_id: compute_totals(items, vat_modes[order_id]).total for order_id, items in lines.items()}
