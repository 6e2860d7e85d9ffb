"""Two desks add parts from the same shelf to different work orders at once: never more reserved than is there."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from desk_processes import run_desks
from sqlalchemy import func, select

from autoservice_desk.models.inventory import Part, StockBalance, StockLocation, StockReservation
from autoservice_desk.models.work_orders import WorkOrderPart
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_types import OpenRequest
from autoservice_desk.services.work_orders import open_work_order

HAMMER = Path(__file__).with_name("work_order_hammer.py")
ON_SHELF = 10
ATTEMPTS = 8  # per desk: together they ask for 16 of the 10


def _shelf_with_pads(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    with uow_factory() as uow:
        warehouse = StockLocation(kind="warehouse", name="Основной")
        uow.session.add(warehouse)
        uow.session.flush()
        shelf = StockLocation(parent_id=warehouse.id, warehouse_id=warehouse.id, kind="shelf", name="A-1", code="A-1")
        part = Part(article="0986494104", article_key="0986494104", name="Колодки", name_key="колодки")
        uow.session.add_all([shelf, part])
        uow.session.flush()
        ids = (part.id, shelf.id)
        uow.commit()
    draft = create_receipt(
        uow_factory, None, [LineInput(ids[0], Decimal(ON_SHELF), Decimal(100), to_location_id=ids[1])]
    )
    post_document(uow_factory, draft.id, draft.version)
    return ids


@pytest.mark.slow
def test_two_desks_never_reserve_more_than_the_shelf_holds(uow_factory: UnitOfWorkFactory, database_url: str) -> None:
    part_id, shelf_id = _shelf_with_pads(uow_factory)
    client_id = create_client(uow_factory, ClientForm(surname="Иванов"))
    orders = [open_work_order(uow_factory, OpenRequest(client_id, None)).id for _ in range(2)]
    start_at = time.time() + 3
    desk_arguments = [
        [database_url, str(order_id), str(part_id), str(shelf_id), str(ATTEMPTS), str(start_at)] for order_id in orders
    ]
    results = run_desks(HAMMER, desk_arguments, timeout=600)

    assert [error for result in results for error in result["errors"]] == []
    added = sum(int(result["added"]) for result in results)
    refused = [message for result in results for message in result["refused"]]
    assert added == ON_SHELF and len(refused) == 2 * ATTEMPTS - ON_SHELF
    assert all(message.startswith("Not enough stock of ") for message in refused)
    with uow_factory(read_only=True) as uow:
        balance = uow.session.get(StockBalance, (part_id, shelf_id))
        assert balance is not None and (balance.quantity, balance.reserved) == (Decimal(ON_SHELF), Decimal(ON_SHELF))
        active = uow.session.scalar(
            select(func.sum(StockReservation.quantity)).where(StockReservation.status == "active")
        )
        assert active == Decimal(ON_SHELF)
        lines = uow.session.scalar(select(func.count()).select_from(WorkOrderPart))
        assert lines == ON_SHELF  # every line holds its reservation; no line without one, none reserved twice
