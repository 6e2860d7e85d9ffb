"""Reading a whole work order for its screen and printouts: header, lines, totals, recommendations, time clock.

A fixed handful of queries whatever the number of lines (the card opens in well under 100 ms with 50 lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.catalog import Service
from autoservice_desk.models.clients import Client, ClientPhone, Vehicle
from autoservice_desk.models.inventory import (
    Part,
    SpecialOrder,
    StockDocument,
    StockDocumentLine,
    StockLocation,
    StockReservation,
)
from autoservice_desk.models.scheduling import Bay, Mechanic
from autoservice_desk.models.work_orders import (
    Recommendation,
    TimeClockEntry,
    WorkOrder,
    WorkOrderLabour,
    WorkOrderPart,
    work_order_mechanics,
)
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.errors import NotFoundError
from autoservice_desk.services.stock_forms import DocumentKind, document_number
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_common import NEXT_STATUSES, display_number
from autoservice_desk.services.work_order_totals import (
    TotalLine,
    WorkOrderTotals,
    compute_totals,
    discount_of,
    labour_amount,
    part_amount,
)
from autoservice_desk.services.work_order_types import (
    ClockEntryInfo,
    LabourLineInfo,
    PartLineInfo,
    RecommendationInfo,
    WorkOrderCard,
    WorkOrderHeader,
    WorkOrderStatus,
)

HOUR_UNIT = Decimal("0.01")
NOT_OVERDUE = frozenset({WorkOrderStatus.READY, WorkOrderStatus.ISSUED, WorkOrderStatus.CANCELLED})


def is_overdue(status: WorkOrderStatus, planned_at: datetime | None, now: datetime) -> bool:
    """The promised time has passed and the car is not ready (nor handed over, nor cancelled)."""
    return planned_at is not None and planned_at < now and status not in NOT_OVERDUE


def hours_between(started_at: datetime, ended_at: datetime | None, now: datetime) -> Decimal:
    """Hours from *started_at* to *ended_at* (or *now* while running), to hundredths."""
    seconds = Decimal(int(((ended_at or now) - started_at).total_seconds()))
    return max(seconds / 3600, Decimal(0)).quantize(HOUR_UNIT)


def get_work_order(uow_factory: UnitOfWorkFactory, work_order_id: int) -> WorkOrderCard:
    """The work order with everything on it (for the screen, the PDFs, the board's detail panel)."""
    return run_in_transaction(uow_factory, lambda uow: read_card(uow, work_order_id), read_only=True)


def read_card(uow: UnitOfWork, work_order_id: int) -> WorkOrderCard:
    """The card inside the caller's unit of work (a writing use case returns it after its change)."""
    uow.session.flush()
    order = uow.session.get(WorkOrder, work_order_id, populate_existing=True)
    if order is None:
        raise NotFoundError(_("The work order no longer exists."))
    now = uow.clock()
    clock = _clock_entries(uow, order.id, now)
    labour = _labour(uow, order.id, clock)
    parts = _parts(uow, order.id)
    status = WorkOrderStatus(order.status)
    return WorkOrderCard(
        header=_header(uow, order, now),
        labour=labour,
        parts=parts,
        totals=totals_of(labour, parts, order.vat_mode),
        recommendations=tuple(recommendations_where(uow, [Recommendation.work_order_id == order.id])),
        clock_entries=clock,
        next_statuses=NEXT_STATUSES[status],
    )


def totals_of(labour: Sequence[LabourLineInfo], parts: Sequence[PartLineInfo], vat_mode: str) -> WorkOrderTotals:
    lines = [TotalLine("labour", line.kind, line.amount, line.discount_percent) for line in labour]
    lines += [TotalLine("parts", line.kind, line.amount, line.discount_percent) for line in parts]
    return compute_totals(lines, vat_mode)


def _header(uow: UnitOfWork, order: WorkOrder, now: datetime) -> WorkOrderHeader:
    client = uow.session.get(Client, order.client_id)
    vehicle = uow.session.get(Vehicle, order.vehicle_id) if order.vehicle_id is not None else None
    bay = uow.session.get(Bay, order.bay_id) if order.bay_id is not None else None
    phone = uow.session.scalar(
        select(ClientPhone.e164).where(ClientPhone.client_id == order.client_id).order_by(ClientPhone.position)
    )
    mechanics = uow.session.execute(
        select(Mechanic.id, Mechanic.full_name)
        .join(work_order_mechanics, work_order_mechanics.c.mechanic_id == Mechanic.id)
        .where(work_order_mechanics.c.work_order_id == order.id)
        .order_by(Mechanic.sort_order, Mechanic.full_name)
    ).all()
    status = WorkOrderStatus(order.status)
    return WorkOrderHeader(
        id=order.id, version=order.version, number=display_number(order.year, order.number), year=order.year,
        sequence_number=order.number, status=status, client_id=order.client_id,
        client_name=client_name(client) if client else "", client_phone=phone or "", vehicle_id=order.vehicle_id,
        car=" ".join(part for part in (vehicle.make, vehicle.model) if part) if vehicle else "",
        plate=(vehicle.plate or "") if vehicle else "", vin=(vehicle.vin or "") if vehicle else "",
        booking_id=order.booking_id, bay_id=order.bay_id, bay_name=bay.name if bay else "",
        advisor_id=order.advisor_id, advisor_name=order.advisor_name,
        mechanic_ids=tuple(row[0] for row in mechanics), mechanic_names=tuple(row[1] for row in mechanics),
        mileage=order.mileage, complaint=order.complaint, condition_notes=order.condition_notes,
        belongings=order.belongings, notes=order.notes, discount_percent=order.discount_percent,
        vat_mode=order.vat_mode, planned_at=order.planned_at, opened_at=order.opened_at, ready_at=order.ready_at,
        closed_at=order.closed_at, cancel_reason=order.cancel_reason,
        overdue=is_overdue(status, order.planned_at, now),
    )  # fmt: skip


def _clock_entries(uow: UnitOfWork, work_order_id: int, now: datetime) -> tuple[ClockEntryInfo, ...]:
    rows = uow.session.execute(
        select(TimeClockEntry, Mechanic.full_name, WorkOrderLabour.name)
        .join(Mechanic, Mechanic.id == TimeClockEntry.mechanic_id)
        .join(WorkOrderLabour, WorkOrderLabour.id == TimeClockEntry.labour_id)
        .where(TimeClockEntry.work_order_id == work_order_id)
        .order_by(TimeClockEntry.started_at, TimeClockEntry.id)
    ).all()
    return tuple(
        ClockEntryInfo(
            entry.id,
            entry.mechanic_id,
            mechanic,
            entry.work_order_id,
            entry.labour_id,
            job,
            entry.started_at,
            entry.ended_at,
            entry.end_reason,
            entry.note,
            hours_between(entry.started_at, entry.ended_at, now),
        )  # fmt: skip
        for entry, mechanic, job in rows
    )


def _labour(uow: UnitOfWork, work_order_id: int, clock: Sequence[ClockEntryInfo]) -> tuple[LabourLineInfo, ...]:
    clocked: dict[int, Decimal] = {}
    running: set[int] = set()
    for entry in clock:
        clocked[entry.labour_id] = clocked.get(entry.labour_id, Decimal(0)) + entry.hours
        if entry.running:
            running.add(entry.labour_id)
    rows = uow.session.execute(
        select(WorkOrderLabour, Mechanic.full_name)
        .outerjoin(Mechanic, Mechanic.id == WorkOrderLabour.mechanic_id)
        .where(WorkOrderLabour.work_order_id == work_order_id)
        .order_by(WorkOrderLabour.position)
    ).all()
    lines = []
    for line, mechanic in rows:
        amount = labour_amount(line.hours, line.hourly_rate, line.fixed_price)
        lines.append(
            LabourLineInfo(
                line.id,
                line.position,
                line.service_id,
                line.name,
                line.kind,
                line.hours,
                line.norm_hours,
                line.hours_reason,
                line.hourly_rate,
                line.fixed_price,
                line.discount_percent,
                line.mechanic_id,
                mechanic or "",
                line.comment,
                amount,
                discount_of(amount, line.discount_percent),
                clocked.get(line.id, Decimal(0)).quantize(HOUR_UNIT),
                line.id in running,
            )  # fmt: skip
        )
    return tuple(lines)


def _parts(uow: UnitOfWork, work_order_id: int) -> tuple[PartLineInfo, ...]:
    rows = uow.session.execute(
        select(WorkOrderPart, Part.brand, StockLocation.code, StockLocation.name, StockReservation.status,
               SpecialOrder.status)
        .outerjoin(Part, Part.id == WorkOrderPart.part_id)
        .outerjoin(StockLocation, StockLocation.id == WorkOrderPart.location_id)
        .outerjoin(StockReservation, StockReservation.id == WorkOrderPart.reservation_id)
        .outerjoin(SpecialOrder, SpecialOrder.id == WorkOrderPart.special_order_id)
        .where(WorkOrderPart.work_order_id == work_order_id)
        .order_by(WorkOrderPart.position)
    ).all()  # fmt: skip
    issues = _issue_numbers(uow, [row[0].reservation_id for row in rows if row[0].reservation_id is not None])
    lines = []
    for line, brand, code, place, reservation_status, special_status in rows:
        if line.source == "stock":
            state = {"active": "reserved", "consumed": "issued"}.get(reservation_status or "", "released")
        elif line.source == "special_order":
            state = special_status or "cancelled"
        else:
            state = "own"
        amount = part_amount(line.quantity, line.price)
        lines.append(
            PartLineInfo(
                line.id,
                line.position,
                line.source,
                line.part_id,
                line.article,
                brand or "",
                line.name,
                line.unit,
                line.kind,
                line.location_id,
                code or place or "",
                line.quantity,
                line.price,
                line.discount_percent,
                amount,
                discount_of(amount, line.discount_percent),
                state,
                line.reservation_id,
                line.special_order_id,
                issues.get(line.reservation_id or 0, ""),
                line.comment,
            )  # fmt: skip
        )
    return tuple(lines)


def _issue_numbers(uow: UnitOfWork, reservation_ids: list[int]) -> dict[int, str]:
    """Reservation id → the number of the posted goods issue that consumed it."""
    if not reservation_ids:
        return {}
    rows = uow.session.execute(
        select(StockDocumentLine.reservation_id, StockDocument.year, StockDocument.number)
        .join(StockDocument, StockDocument.id == StockDocumentLine.document_id)
        .where(StockDocumentLine.reservation_id.in_(reservation_ids), StockDocument.status == "posted",
               StockDocument.reverses_id.is_(None))
    ).all()  # fmt: skip
    return {
        reservation_id: document_number(DocumentKind.ISSUE, year, number)
        for reservation_id, year, number in rows
        if reservation_id is not None
    }


def recommendations_where(uow: UnitOfWork, conditions: Sequence[object], limit: int = 500) -> list[RecommendationInfo]:
    """Recommendations matching *conditions* (SQL expressions), newest first, with their order's number."""
    rows = uow.session.execute(
        select(Recommendation, Service.name, WorkOrder.year, WorkOrder.number)
        .join(WorkOrder, WorkOrder.id == Recommendation.work_order_id)
        .outerjoin(Service, Service.id == Recommendation.service_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(Recommendation.created_at.desc(), Recommendation.id.desc())
        .limit(limit)
    ).all()
    return [
        RecommendationInfo(
            item.id,
            item.work_order_id,
            display_number(year, number),
            item.client_id,
            item.vehicle_id,
            item.text,
            item.service_id,
            service or "",
            item.hours,
            item.price,
            item.urgency,
            item.status,
            item.created_at,
            item.decided_at,
            item.accepted_work_order_id,
            item.labour_id,
        )  # fmt: skip
        for item, service, year, number in rows
    ]
