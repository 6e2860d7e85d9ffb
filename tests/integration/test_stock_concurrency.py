"""Eight desks issue, move and receive the same parts at once: never negative, balances = moves, clear refusals."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from desk_processes import run_desks
from sqlalchemy import func, select

from autoservice_desk.models.inventory import Part, StockBalance, StockDocument, StockLocation, StockMove
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

DESKS = 8
OPERATIONS = 25
HAMMER = Path(__file__).with_name("stock_hammer.py")


def _stock_shop(uow_factory: UnitOfWorkFactory) -> None:
    """Three parts on four shelves of two warehouses, five of each on every shelf."""
    with uow_factory() as uow:
        places = []
        for warehouse_name in ("Основной", "Филиал"):
            warehouse = StockLocation(kind="warehouse", name=warehouse_name)
            uow.session.add(warehouse)
            uow.session.flush()
            for shelf in ("1", "2"):
                place = StockLocation(
                    parent_id=warehouse.id, warehouse_id=warehouse.id, kind="shelf", name=shelf,
                    code=f"{warehouse_name[0]}-{shelf}",
                )  # fmt: skip
                uow.session.add(place)
                places.append(place)
        parts = [
            Part(article=article, article_key=article, name=name, name_key=name.lower())
            for article, name in (("0986494104", "Колодки"), ("OC90", "Фильтр"), ("W712", "Фильтр воздушный"))
        ]
        uow.session.add_all(parts)
        uow.session.flush()
        lines = [
            LineInput(part.id, Decimal(5), Decimal(100), to_location_id=place.id) for part in parts for place in places
        ]
        uow.commit()
    draft = create_receipt(uow_factory, None, lines)
    post_document(uow_factory, draft.id, draft.version)


@pytest.mark.slow
def test_eight_desks_never_take_more_than_there_is(uow_factory: UnitOfWorkFactory, database_url: str) -> None:
    _stock_shop(uow_factory)
    results = run_desks(HAMMER, ([database_url, str(seed), str(OPERATIONS)] for seed in range(DESKS)), timeout=900)

    assert [error for result in results for error in result["errors"]] == []
    refused = [message for result in results for message in result["refused"]]
    posted = [document_id for result in results for document_id in result["posted"]]
    assert refused and posted  # the desks did run out of stock, and most of the work went through
    assert all(message.startswith("Not enough stock of ") and " available, " in message for message in refused)
    with uow_factory(read_only=True) as uow:
        sums = {
            (part, place): total
            for part, place, total in uow.session.execute(
                select(StockMove.part_id, StockMove.location_id, func.sum(StockMove.quantity)).group_by(
                    StockMove.part_id, StockMove.location_id
                )
            )
        }
        balances = {
            (row.part_id, row.location_id): (row.quantity, row.reserved)
            for row in uow.session.scalars(select(StockBalance))
        }
        numbers: dict[str, list[int]] = defaultdict(list)
        for kind, number in uow.session.execute(
            select(StockDocument.kind, StockDocument.number).where(StockDocument.status == "posted")
        ):
            assert number is not None, kind  # a posted document always has its number
            numbers[kind].append(number)
        drafts = uow.session.scalar(select(func.count()).where(StockDocument.status == "draft"))
    for key, (quantity, reserved) in balances.items():
        assert quantity >= 0 and 0 <= reserved <= quantity, key
        assert sums.get(key, Decimal(0)) == quantity, key
    assert set(sums) <= set(balances)
    for kind, issued in numbers.items():
        assert sorted(issued) == list(range(1, len(issued) + 1)), kind  # no number skipped or given twice
    assert sum(len(issued) for issued in numbers.values()) == len(posted) + 1  # + the opening receipt
    assert drafts == len(refused)  # each refused document stayed a draft with nothing booked
