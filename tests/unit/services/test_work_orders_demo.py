"""The demo shop's work orders on SQLite and PostgreSQL: one in each stage, built through the real services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from stock_shop import assert_ledger_consistent
from work_order_shop import WorkOrderShop, shop_with_events

from autoservice_desk.models.scheduling import Booking
from autoservice_desk.models.work_orders import WorkOrder
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.demo_schedule import add_demo_bookings
from autoservice_desk.services.demo_work_orders import add_demo_work_orders
from autoservice_desk.services.time_clock import garage_clock
from autoservice_desk.services.unit_of_work import SYSTEM_ACTOR, UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle
from autoservice_desk.services.work_order_board import WorkOrderFilter, list_work_orders
from autoservice_desk.services.work_order_types import WorkOrderStatus

S = WorkOrderStatus


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    yield from shop_with_events(uow_factory)


def test_demo_orders_cover_the_pipeline_once(shop: WorkOrderShop) -> None:
    for number in range(7):
        client = create_client(shop.uow_factory, ClientForm(surname=f"Демо{number}"))
        create_vehicle(shop.uow_factory, client, VehicleForm(make="Lada", model="Vesta", year="2020",
                                                             plate=f"В{100 + number}ОР77"))  # fmt: skip
    zone = ZoneInfo("Europe/Moscow")
    assert add_demo_work_orders(shop.uow_factory, zone) == 7
    rows = list_work_orders(shop.uow_factory, WorkOrderFilter(statuses=set(S)))
    assert sorted(row.status for row in rows) == sorted(
        [S.NEW, S.DIAGNOSTICS, S.AWAITING_APPROVAL, S.IN_WORK, S.QUALITY_CHECK, S.READY, S.ISSUED]
    )
    assert sum(1 for state in garage_clock(shop.uow_factory) if state.running is not None) == 1
    assert add_demo_work_orders(shop.uow_factory, zone) == 0  # only once
    assert_ledger_consistent(shop.uow_factory)


def test_orders_the_demo_bookings_opened_follow_their_bookings(shop: WorkOrderShop) -> None:
    for number in range(12):
        client = create_client(shop.uow_factory, ClientForm(surname=f"Записанный{number}"))
        create_vehicle(shop.uow_factory, client, VehicleForm(make="Kia", model="Rio", year="2019",
                                                             plate=f"Е{200 + number}КХ77"))  # fmt: skip
    zone = ZoneInfo("Europe/Moscow")
    # The demo walks bookings up to the real now, so this part runs on the real clock, not the test's.
    real_time = UnitOfWorkFactory(shop.uow_factory.engine, SYSTEM_ACTOR)
    assert add_demo_bookings(real_time, zone, datetime.now(zone).date(), seed=7) > 0
    add_demo_work_orders(real_time, zone)
    with shop.uow_factory(read_only=True) as uow:
        pairs = uow.session.execute(
            select(Booking.status, WorkOrder.status).join(WorkOrder, WorkOrder.booking_id == Booking.id)
        ).all()
    assert ("done", "issued") in pairs  # the demo has past visits, now handed over
    assert all(order == "issued" for booking, order in pairs if booking == "done")
    assert all(order == "in_work" for booking, order in pairs if booking == "in_work")
    assert_ledger_consistent(shop.uow_factory)
