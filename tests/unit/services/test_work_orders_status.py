"""The work-order pipeline on SQLite and PostgreSQL: its steps, the rules for "ready", cancelling, closing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from stock_shop import stock
from work_order_shop import KEEPER, MECHANIC, WorkOrderShop, shop_with_events

from autoservice_desk.models.clients import Client
from autoservice_desk.services.bookings import BookingRequest, JobLine, create_booking, get_booking, set_status
from autoservice_desk.services.errors import ConflictError, PermissionDeniedError, ValidationError
from autoservice_desk.services.schedule_view import BookingStatus
from autoservice_desk.services.special_orders import get_special_order
from autoservice_desk.services.time_clock import start_work, stop_work
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_issue import issue_parts
from autoservice_desk.services.work_order_parts import (
    SpecialPartInput,
    StockPartInput,
    add_special_order_part,
    add_stock_part,
)
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import WorkOrderCard, WorkOrderStatus
from autoservice_desk.services.work_orders import work_order_for_booking

D = Decimal
S = WorkOrderStatus
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    yield from shop_with_events(uow_factory)


def _move(shop: WorkOrderShop, card: WorkOrderCard, *statuses: WorkOrderStatus, reason: str = "") -> WorkOrderCard:
    for status in statuses:
        card = change_status(shop.uow_factory, card.id, card.version, status, MOSCOW, reason)
    return card


def _with_pads(shop: WorkOrderShop) -> WorkOrderCard:
    card = shop.open("BR-PADS-F")
    return add_stock_part(shop.uow_factory, card.id, card.version,
                          StockPartInput(shop.stock.pads, shop.stock.a032, D("1"), D("2000.00")))  # fmt: skip


def test_the_pipeline_refuses_steps_it_does_not_have(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1")
    assert card.next_statuses == (S.DIAGNOSTICS, S.AWAITING_APPROVAL, S.AWAITING_PARTS, S.IN_WORK, S.CANCELLED)
    with pytest.raises(ConflictError, match="A work order that is new cannot become ready"):
        change_status(shop.uow_factory, card.id, card.version, S.READY, MOSCOW)
    card = _move(shop, card, S.DIAGNOSTICS, S.AWAITING_APPROVAL, S.AWAITING_PARTS, S.IN_WORK, S.QUALITY_CHECK)
    assert card.header.status is S.QUALITY_CHECK
    card = _move(shop, card, S.IN_WORK, S.READY)  # a failed check sends it back first
    assert card.header.ready_at == shop.clock.now
    card = _move(shop, card, S.ISSUED)
    assert card.next_statuses == () and card.header.closed_at == shop.clock.now
    with pytest.raises(ConflictError):
        change_status(shop.uow_factory, card.id, card.version, S.IN_WORK, MOSCOW)


def test_not_ready_while_a_part_waits_or_the_clock_runs_then_issued_and_counted(shop: WorkOrderShop) -> None:
    card = _move(shop, _with_pads(shop), S.IN_WORK)
    start_work(shop.uow_factory, shop.petrov, card.labour[0].id)
    card = get_work_order(shop.uow_factory, card.id)
    with pytest.raises(ConflictError) as caught:
        change_status(shop.uow_factory, card.id, card.version, S.READY, MOSCOW)
    message = str(caught.value)
    assert "parts reserved but not issued: Колодки" in message
    assert "time clock is running: Петров Алексей" in message
    issue_parts(shop.as_(KEEPER), card.id, [card.parts[0].id])
    with pytest.raises(ConflictError, match="time clock is running") as caught:
        change_status(shop.uow_factory, card.id, card.version, S.READY, MOSCOW)
    assert "Колодки" not in str(caught.value)
    stop_work(shop.uow_factory, shop.petrov)
    card = _move(shop, get_work_order(shop.uow_factory, card.id), S.READY, S.ISSUED)
    total = D("1760.00") + D("2000.00")  # 0.8 h × 2200 and the pads
    assert card.totals.total == total * D("1.2")
    ready = [event for event in shop.events if event.status == "ready"]
    assert [(event.previous_status, event.amount_due) for event in ready] == [("in_work", D("4512.00"))]
    with shop.uow_factory() as uow:
        client = uow.session.get(Client, shop.client_id)
        assert client is not None and client.visit_count == 1 and client.last_visit_on == shop.clock.now.date()
    summaries = [event.summary for event in list_events(shop.uow_factory, shop.client_id)]
    assert "Work order WO-2027-000001: Ready" in summaries and "Work order WO-2027-000001: Issued" in summaries


def test_an_unissued_special_order_also_keeps_it_from_ready(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1")
    card = add_special_order_part(shop.uow_factory, card.id, card.version,
                                  SpecialPartInput(shop.stock.pads, D("1"), D("2500.00")))  # fmt: skip
    card = _move(shop, card, S.IN_WORK)
    with pytest.raises(ConflictError, match="special-order parts not issued: Колодки"):
        change_status(shop.uow_factory, card.id, card.version, S.READY, MOSCOW)


def test_cancelling_releases_reservations_and_unordered_special_orders(shop: WorkOrderShop) -> None:
    card = _with_pads(shop)
    card = add_special_order_part(shop.uow_factory, card.id, card.version,
                                  SpecialPartInput(shop.stock.filter, D("1"), D("400.00")))  # fmt: skip
    start_work(shop.uow_factory, shop.petrov, card.labour[0].id)
    card = get_work_order(shop.uow_factory, card.id)
    with pytest.raises(ValidationError, match="reason"):
        change_status(shop.uow_factory, card.id, card.version, S.CANCELLED, MOSCOW)
    card = change_status(shop.uow_factory, card.id, card.version, S.CANCELLED, MOSCOW, "Клиент передумал")
    assert card.header.cancel_reason == "Клиент передумал" and card.header.closed_at is not None
    assert stock(shop.uow_factory, shop.stock.pads, shop.stock.a032) == (D("4.000"), D("0.000"))
    assert [line.state for line in card.parts] == ["released", "cancelled"]
    assert get_special_order(shop.uow_factory, card.parts[1].special_order_id or 0).status == "cancelled"
    assert all(not entry.running for entry in card.clock_entries)
    assert shop.events[-1].status == "cancelled"


def test_cancelling_is_refused_once_parts_went_to_the_car(shop: WorkOrderShop) -> None:
    card = _with_pads(shop)
    issue_parts(shop.as_(KEEPER), card.id, [card.parts[0].id])
    card = get_work_order(shop.uow_factory, card.id)
    with pytest.raises(ConflictError, match="reverse the issue"):
        change_status(shop.uow_factory, card.id, card.version, S.CANCELLED, MOSCOW, "Передумал")


def test_mechanics_move_orders_only_between_garage_statuses(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1")
    garage = shop.as_(MECHANIC)
    card = change_status(garage, card.id, card.version, S.IN_WORK, MOSCOW)
    card = change_status(garage, card.id, card.version, S.QUALITY_CHECK, MOSCOW)
    with pytest.raises(PermissionDeniedError):
        change_status(garage, card.id, card.version, S.READY, MOSCOW)


def test_the_booking_follows_its_order(shop: WorkOrderShop) -> None:
    booking = create_booking(
        shop.uow_factory,
        BookingRequest(shop.client_id, shop.vehicle_id, datetime(2027, 3, 1, 10, tzinfo=MOSCOW),
                       (JobLine(shop.services["TO-OIL"]),), bay_id=shop.lift1),
        MOSCOW,
    )  # fmt: skip
    set_status(shop.uow_factory, booking.id, booking.version, BookingStatus.ARRIVED, MOSCOW)
    card = get_work_order(shop.uow_factory, work_order_for_booking(shop.uow_factory, booking.id) or 0)
    card = _move(shop, card, S.IN_WORK)
    assert get_booking(shop.uow_factory, booking.id).status is BookingStatus.IN_WORK
    _move(shop, card, S.READY, S.ISSUED)
    assert get_booking(shop.uow_factory, booking.id).status is BookingStatus.DONE


def test_an_overdue_order_is_flagged_until_ready(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1", planned_at=shop.clock.now)
    shop.clock.advance(minutes=1)
    card = get_work_order(shop.uow_factory, card.id)
    assert card.header.overdue
    card = _move(shop, card, S.IN_WORK, S.READY)
    assert not card.header.overdue
    with shop.uow_factory() as uow:
        assert uow.session.scalar(select(Client.visit_count).where(Client.id == shop.client_id)) == 0
