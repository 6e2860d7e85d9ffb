"""The service board and list on SQLite and PostgreSQL: columns, filters, search, overdue, totals."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from work_order_shop import WorkOrderShop, shop_with_events

from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_board import (
    WorkOrderFilter,
    count_work_orders,
    list_work_orders,
    service_board,
)
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import OpenRequest, WorkOrderStatus
from autoservice_desk.services.work_orders import open_work_order

S = WorkOrderStatus
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    yield from shop_with_events(uow_factory)


def test_board_columns_filters_and_search(shop: WorkOrderShop) -> None:
    late = shop.open("TO-1", planned_at=shop.clock.now, mechanic_ids=(shop.petrov,), bay_id=shop.lift1)
    working = shop.open("TO-OIL", mechanic_ids=(shop.smirnov,))
    working = change_status(shop.uow_factory, working.id, working.version, S.IN_WORK, MOSCOW)
    other = create_client(shop.uow_factory, ClientForm(surname="Кузнецова", given_name="Анна"))
    done = open_work_order(shop.uow_factory, OpenRequest(other, None))
    for status in (S.IN_WORK, S.READY, S.ISSUED):
        done = change_status(shop.uow_factory, done.id, done.version, status, MOSCOW)
    shop.clock.advance(minutes=5)

    board = {column.status: column.rows for column in service_board(shop.uow_factory)}
    assert [row.number for row in board[S.NEW]] == ["WO-2027-000001"] and board[S.NEW][0].overdue
    assert [row.number for row in board[S.IN_WORK]] == ["WO-2027-000002"] and S.ISSUED not in board
    assert board[S.NEW][0].total == Decimal("3960.00") and board[S.NEW][0].mechanic_names == ("Петров Алексей",)
    garage = service_board(shop.uow_factory, garage=True)
    assert [column.status for column in garage] == [S.DIAGNOSTICS, S.IN_WORK, S.QUALITY_CHECK]

    def numbers(**filters: object) -> list[str]:
        chosen = WorkOrderFilter(**filters)  # type: ignore[arg-type]
        return [row.number for row in list_work_orders(shop.uow_factory, chosen, sort="number", descending=False)]

    assert numbers(mechanic_id=shop.smirnov) == ["WO-2027-000002"]
    assert numbers(bay_id=shop.lift1) == ["WO-2027-000001"]
    assert numbers(overdue_only=True) == ["WO-2027-000001"]
    assert numbers(text="ЗН-2027-000002") == numbers(text="WO-2027-000002") == ["WO-2027-000002"]  # any prefix
    assert numbers(text="000002") == ["WO-2027-000002"]
    assert numbers(text="a123") == ["WO-2027-000001", "WO-2027-000002"]  # the plate, typed in Latin
    assert numbers(text="кузнец", statuses=set(S)) == ["WO-2027-000003"]
    assert numbers(statuses={S.ISSUED}) == ["WO-2027-000003"]
    assert count_work_orders(shop.uow_factory, WorkOrderFilter(statuses=set(S))) == 3
    assert late.id != working.id
