"""The technicians' time clock on SQLite and PostgreSQL: start, pause, resume, stop, shifts and efficiency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError
from work_order_shop import WorkOrderShop, shop_with_events

from autoservice_desk.models.work_orders import TimeClockEntry
from autoservice_desk.services.errors import ConflictError, ValidationError
from autoservice_desk.services.mechanic_efficiency import mechanic_efficiency, shop_efficiency
from autoservice_desk.services.time_clock import (
    clock_in,
    clock_out,
    garage_clock,
    mechanic_state,
    pause_work,
    resume_work,
    start_work,
    stop_work,
)
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_lines import LabourChanges, update_labour
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import WorkOrderStatus

D = Decimal
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    yield from shop_with_events(uow_factory)


def test_start_pause_resume_stop_are_kept_in_utc_with_reasons(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1")
    job = card.labour[0].id
    state = start_work(shop.uow_factory, shop.petrov, job)
    assert state.present_since == shop.clock.now and state.running is not None and state.work_order_number
    shop.clock.advance(minutes=30)
    with pytest.raises(ValidationError):
        pause_work(shop.uow_factory, shop.petrov, "coffee")
    state = pause_work(shop.uow_factory, shop.petrov, "waiting_parts")
    assert state.running is None and state.paused is not None and state.paused.end_reason == "waiting_parts"
    shop.clock.advance(minutes=20)
    state = resume_work(shop.uow_factory, shop.petrov)
    assert state.running is not None and state.running.labour_id == job
    shop.clock.advance(minutes=45)
    state = stop_work(shop.uow_factory, shop.petrov)
    assert state.running is None and state.paused is None
    card = get_work_order(shop.uow_factory, card.id)
    assert [(entry.hours, entry.end_reason) for entry in card.clock_entries] == [
        (D("0.50"), "waiting_parts"), (D("0.75"), "stopped"),
    ]  # fmt: skip
    assert card.labour[0].clocked_hours == D("1.25") and not card.labour[0].clock_running
    assert all(entry.started_at.tzinfo is not None for entry in card.clock_entries)


def test_starting_another_job_pauses_the_running_one(shop: WorkOrderShop) -> None:
    first, second = shop.open("TO-1"), shop.open("TO-OIL")
    start_work(shop.uow_factory, shop.petrov, first.labour[0].id)
    shop.clock.advance(minutes=10)
    state = start_work(shop.uow_factory, shop.petrov, second.labour[0].id)
    assert state.running is not None and state.running.work_order_id == second.id
    entries = get_work_order(shop.uow_factory, first.id).clock_entries
    assert [(entry.end_reason, entry.running) for entry in entries] == [("switched", False)]
    assert start_work(shop.uow_factory, shop.petrov, second.labour[0].id).running == state.running  # no-op


def test_the_database_keeps_one_running_entry_per_mechanic(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1")
    start_work(shop.uow_factory, shop.petrov, card.labour[0].id)
    with pytest.raises(IntegrityError), shop.uow_factory() as uow:
        uow.session.add(TimeClockEntry(mechanic_id=shop.petrov, work_order_id=card.id,
                                       labour_id=card.labour[0].id, started_at=shop.clock.now, note=""))  # fmt: skip
        uow.session.flush()


def test_clocking_out_pauses_the_job_and_a_ready_order_takes_no_time(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1")
    clock_in(shop.uow_factory, shop.petrov)
    start_work(shop.uow_factory, shop.petrov, card.labour[0].id)
    shop.clock.advance(hours=1)
    state = clock_out(shop.uow_factory, shop.petrov)
    assert not state.present and state.paused is not None and state.paused.end_reason == "shift_ended"
    with pytest.raises(ConflictError):
        clock_out(shop.uow_factory, shop.petrov)
    card = get_work_order(shop.uow_factory, card.id)
    for status in (WorkOrderStatus.IN_WORK, WorkOrderStatus.READY):
        card = change_status(shop.uow_factory, card.id, card.version, status, MOSCOW)
    with pytest.raises(ConflictError, match="time cannot be clocked"):
        start_work(shop.uow_factory, shop.petrov, card.labour[0].id)
    assert [item.mechanic_name for item in garage_clock(shop.uow_factory)][0] == "Петров Алексей"
    assert mechanic_state(shop.uow_factory, shop.smirnov).running is None


def test_efficiency_is_sold_over_clocked_and_clocked_over_present(shop: WorkOrderShop) -> None:
    start = shop.clock.now
    card = shop.open("TO-2")  # 3 h by the norms
    clock_in(shop.uow_factory, shop.petrov)
    shop.clock.advance(minutes=30)
    start_work(shop.uow_factory, shop.petrov, card.labour[0].id)
    shop.clock.advance(hours=2, minutes=30)
    stop_work(shop.uow_factory, shop.petrov)
    shop.clock.advance(hours=1)
    clock_out(shop.uow_factory, shop.petrov)
    card = get_work_order(shop.uow_factory, card.id)
    card = update_labour(shop.uow_factory, card.id, card.version, card.labour[0].id,
                         LabourChanges(mechanic_id=shop.petrov))  # fmt: skip
    for status in (WorkOrderStatus.IN_WORK, WorkOrderStatus.READY, WorkOrderStatus.ISSUED):
        card = change_status(shop.uow_factory, card.id, card.version, status, MOSCOW)
    figures = mechanic_efficiency(shop.uow_factory, shop.petrov, start, start + timedelta(days=1))
    assert (figures.sold_hours, figures.clocked_hours, figures.present_hours) == (D("3.00"), D("2.50"), D("4.00"))
    assert (figures.efficiency, figures.utilisation, figures.work_orders) == (D("1.200"), D("0.625"), 1)
    before = mechanic_efficiency(shop.uow_factory, shop.petrov, start - timedelta(days=1), start)
    assert (before.sold_hours, before.clocked_hours, before.efficiency) == (D("0.00"), D("0.00"), None)
    assert len(shop_efficiency(shop.uow_factory, start, start + timedelta(days=1))) == 5
