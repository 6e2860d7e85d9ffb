"""An issued work order with ТО on it is the car's last maintenance; other work orders are not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from work_order_shop import WorkOrderShop, shop_with_events

from autoservice_desk.models.messaging import MaintenanceRecord
from autoservice_desk.services import domain_events, maintenance_from_work_orders
from autoservice_desk.services.domain_events import WorkOrderStatusChanged
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import WorkOrderCard, WorkOrderStatus

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    maintenance_from_work_orders.install()
    try:
        yield from shop_with_events(uow_factory)
    finally:
        domain_events.unsubscribe(WorkOrderStatusChanged, maintenance_from_work_orders.on_work_order_status_changed)


def _issue(shop: WorkOrderShop, card: WorkOrderCard) -> None:
    for status in (WorkOrderStatus.IN_WORK, WorkOrderStatus.READY, WorkOrderStatus.ISSUED):
        card = change_status(shop.uow_factory, card.id, card.version, status, MOSCOW)


def _records(shop: WorkOrderShop) -> list[tuple[int, date, int | None, int | None]]:
    with shop.uow_factory(read_only=True) as uow:
        return [
            (record.vehicle_id, record.performed_on, record.kilometres, record.work_order_id)
            for record in uow.session.scalars(select(MaintenanceRecord))
        ]


def test_an_issued_maintenance_order_is_recorded_with_its_mileage(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1", mileage=48_250)
    assert _records(shop) == []  # opening it is not doing it
    _issue(shop, card)
    assert _records(shop) == [(shop.vehicle_id, shop.clock.now.date(), 48_250, card.id)]


def test_an_order_without_maintenance_is_not(shop: WorkOrderShop) -> None:
    _issue(shop, shop.open("BR-PADS-F"))
    assert _records(shop) == []
