"""One warehouse desk hammering the same parts: random issues, transfers and receipts; prints what happened as JSON.

Run by test_stock_concurrency.py as several processes at once: python stock_hammer.py URL SEED OPERATIONS
"""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.inventory import Part, StockLocation
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.stock_documents import create_issue, create_receipt, create_transfer
from autoservice_desk.services.stock_forms import DocumentInfo, LineInput
from autoservice_desk.services.stock_ledger import InsufficientStockError
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


def _draft(
    uow_factory: UnitOfWorkFactory, generator: random.Random, parts: list[int], places: list[int]
) -> DocumentInfo:
    roll = generator.random()
    count = generator.randint(1, 3)
    if roll < 0.15:
        lines = [
            LineInput(generator.choice(parts), Decimal(generator.randint(1, 3)), Decimal(generator.randint(100, 900)),
                      to_location_id=generator.choice(places))
            for _ in range(count)
        ]  # fmt: skip
        return create_receipt(uow_factory, None, lines)
    if roll < 0.6:
        lines = [
            LineInput(
                generator.choice(parts), Decimal(generator.randint(1, 4)), from_location_id=generator.choice(places)
            )
            for _ in range(count)
        ]
        return create_issue(uow_factory, lines, work_order_id=generator.randint(1, 50))
    lines = []
    for _ in range(count):
        source, target = generator.sample(places, 2)
        lines.append(LineInput(generator.choice(parts), Decimal(generator.randint(1, 4)), from_location_id=source,
                               to_location_id=target))  # fmt: skip
    return create_transfer(uow_factory, lines)


def main(url: str, seed: int, operations: int) -> dict[str, object]:
    engine = create_database_engine(parse_database_url(url, Path("unused")))
    uow_factory = UnitOfWorkFactory(engine)
    with uow_factory(read_only=True) as uow:
        parts = list(uow.session.scalars(select(Part.id).order_by(Part.id)))
        places = list(uow.session.scalars(select(StockLocation.id).where(StockLocation.kind == "shelf")))
    generator = random.Random(seed)
    posted: list[int] = []
    refused: list[str] = []
    errors: list[str] = []
    for _ in range(operations):
        try:
            draft = _draft(uow_factory, generator, parts, places)
            posted.append(post_document(uow_factory, draft.id, draft.version).id)
        except InsufficientStockError as error:
            refused.append(str(error))
        except DomainError as error:  # any other refusal is a failure of the ledger under load
            errors.append(f"{type(error).__name__}: {error}")
        except Exception as error:  # noqa: BLE001 - the test wants to see every crash
            errors.append(f"{type(error).__name__}: {error}")
    engine.dispose()
    return {"posted": posted, "refused": refused, "errors": errors}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
