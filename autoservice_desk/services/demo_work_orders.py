"""A handful of work orders in the demo shop, one in each stage of the pipeline, built through the real services."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from autoservice_desk.models.catalog import Service
from autoservice_desk.models.clients import Vehicle
from autoservice_desk.models.inventory import StockBalance
from autoservice_desk.models.scheduling import Bay, Booking, Mechanic
from autoservice_desk.models.work_orders import WorkOrder
from autoservice_desk.services.recommendations import RecommendationInput, add_recommendation, decline_recommendation
from autoservice_desk.services.time_clock import start_work, stop_work
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_issue import issue_parts
from autoservice_desk.services.work_order_parts import StockPartInput, add_stock_part
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import OpenRequest, WorkOrderCard, WorkOrderStatus
from autoservice_desk.services.work_orders import open_work_order

S = WorkOrderStatus
Pair = tuple[int, int]
# The stage each demo order is left in, its jobs (catalog codes) and what the client says.
ORDERS = (
    ((), ("DG-COMP",), "Горит «Check Engine»"),
    ((S.DIAGNOSTICS,), ("DG-SUSP",), "Стук в подвеске на неровностях"),
    ((S.DIAGNOSTICS, S.AWAITING_APPROVAL), ("BR-PADS-F", "BR-FLUID"), "Скрип при торможении"),
    ((S.IN_WORK,), ("TO-1", "TO-AIR"), "Плановое ТО, 60 000 км"),
    ((S.IN_WORK, S.QUALITY_CHECK), ("EN-PLUGS",), "Троит двигатель"),
    ((S.IN_WORK, S.READY), ("TO-OIL",), "Замена масла"),
    ((S.IN_WORK, S.READY, S.ISSUED), ("TY-SEASON",), "Сезонная замена шин"),
)


def add_demo_work_orders(uow_factory: UnitOfWorkFactory, zone: ZoneInfo, seed: int = 2026) -> int:
    """Open the demo orders (nothing if the shop already has work orders); how many were opened."""
    generator = random.Random(seed)

    def choices(
        uow: UnitOfWork,
    ) -> tuple[int, list[Pair], dict[str, int], list[int], list[int], list[Pair]]:
        # Orders the demo's arrived bookings opened do not count: these are the walk-ins shown in every stage.
        existing = int(uow.session.scalar(
            select(func.count()).select_from(WorkOrder).where(WorkOrder.booking_id.is_(None))
        ) or 0)  # fmt: skip
        cars = [(row[0], int(row[1] or 0)) for row in uow.session.execute(
            select(Vehicle.id, Vehicle.owner_id).where(Vehicle.owner_id.is_not(None)).order_by(Vehicle.id).limit(50)
        )]  # fmt: skip
        services = {str(code): service_id for code, service_id in uow.session.execute(select(Service.code, Service.id))}
        mechanics = list(uow.session.scalars(select(Mechanic.id).where(Mechanic.active).order_by(Mechanic.sort_order)))
        bays = list(uow.session.scalars(select(Bay.id).where(Bay.active).order_by(Bay.sort_order)))
        stocked = [(row[0], row[1]) for row in uow.session.execute(
            select(StockBalance.part_id, StockBalance.location_id)
            .where(StockBalance.quantity - StockBalance.reserved >= Decimal(2)).order_by(StockBalance.part_id).limit(20)
        )]  # fmt: skip
        return existing, cars, services, mechanics, bays, stocked

    existing, cars, services, mechanics, bays, stocked = run_in_transaction(uow_factory, choices, read_only=True)
    _settle_booked_orders(uow_factory, zone)
    if existing or not cars or not mechanics or not bays:
        return 0
    picked = generator.sample(cars, min(len(cars), len(ORDERS)))
    for number, ((stages, codes, complaint), (vehicle_id, client_id)) in enumerate(zip(ORDERS, picked, strict=False)):
        request = OpenRequest(
            client_id, vehicle_id, complaint=complaint, bay_id=bays[number % len(bays)],
            mechanic_ids=(mechanics[number % len(mechanics)],),
            planned_at=uow_factory.clock() + timedelta(hours=generator.choice((-2, 3, 5, 24))),
            labour=tuple(services[code] for code in codes if code in services),
        )  # fmt: skip
        card = open_work_order(uow_factory, request)
        if stocked and number >= 2:
            part_id, place_id = stocked[number % len(stocked)]
            card = add_stock_part(uow_factory, card.id, card.version, StockPartInput(part_id, place_id, Decimal(1)))
        if number == 2:
            discs = RecommendationInput("Тормозные диски на износе, замена через 5 000 км", services.get("BR-DISC"))
            add_recommendation(uow_factory, card.id, discs)
        if number == 3:
            tip = add_recommendation(uow_factory, card.id, RecommendationInput("Заменить щётки стеклоочистителя"))
            decline_recommendation(uow_factory, tip.id)
        _advance(uow_factory, card, stages, zone)
    return len(picked)


def _advance(
    uow_factory: UnitOfWorkFactory, card: WorkOrderCard, stages: tuple[WorkOrderStatus, ...], zone: ZoneInfo
) -> None:
    for status in stages:
        reserved = [line.id for line in card.parts if line.state == "reserved"]
        if status in (S.READY, S.ISSUED) and reserved:
            issue_parts(uow_factory, card.id, reserved)
        if status == S.QUALITY_CHECK or (status == S.READY and card.labour):
            mechanic = card.header.mechanic_ids[0]
            start_work(uow_factory, mechanic, card.labour[0].id)
            stop_work(uow_factory, mechanic)
        card = change_status(uow_factory, card.id, _version(uow_factory, card.id), status, zone)
    if stages == (S.IN_WORK,) and card.labour:
        start_work(uow_factory, card.header.mechanic_ids[0], card.labour[0].id)  # one mechanic on it right now


def _version(uow_factory: UnitOfWorkFactory, work_order_id: int) -> int:
    return run_in_transaction(
        uow_factory, lambda uow: int(uow.session.scalar(select(WorkOrder.version).where(WorkOrder.id == work_order_id))
                                     or 0), read_only=True,
    )  # fmt: skip


def _settle_booked_orders(uow_factory: UnitOfWorkFactory, zone: ZoneInfo) -> None:
    """The orders opened when the demo's past cars arrived follow their bookings: handed over when the booking is
    done, in work when it is — instead of a wall of "new" orders from last week."""

    def pending(uow: UnitOfWork) -> list[tuple[int, str]]:
        return [(row[0], str(row[1])) for row in uow.session.execute(
            select(WorkOrder.id, Booking.status).join(Booking, Booking.id == WorkOrder.booking_id)
            .where(WorkOrder.status == S.NEW.value, Booking.status.in_(("in_work", "done")))
        )]  # fmt: skip

    for work_order_id, booking_status in run_in_transaction(uow_factory, pending, read_only=True):
        stages = (S.IN_WORK,) if booking_status == "in_work" else (S.IN_WORK, S.READY, S.ISSUED)
        for status in stages:
            change_status(uow_factory, work_order_id, _version(uow_factory, work_order_id), status, zone)
