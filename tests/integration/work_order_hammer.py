"""One desk adding parts from a shelf to its work order as fast as it can; prints what happened as JSON.

Run by test_work_order_concurrency.py as several processes at once:
python work_order_hammer.py URL WORK_ORDER_ID PART_ID LOCATION_ID ATTEMPTS START_AT
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from pathlib import Path

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.stock_ledger import InsufficientStockError
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_parts import StockPartInput, add_stock_part

ADVISOR = Actor(user_id=None, login="desk", full_name="Desk", roles=frozenset({"advisor"}))


def main(
    url: str, work_order_id: int, part_id: int, location_id: int, attempts: int, start_at: float
) -> dict[str, object]:
    engine = create_database_engine(parse_database_url(url, Path("unused")))
    uow_factory = UnitOfWorkFactory(engine, ADVISOR)
    version = get_work_order(uow_factory, work_order_id).version
    time.sleep(max(0.0, start_at - time.time()))  # both desks start together
    added, refused, errors = 0, [], []
    for _ in range(attempts):
        line = StockPartInput(part_id, location_id, Decimal(1), Decimal("100.00"))
        try:
            version = add_stock_part(uow_factory, work_order_id, version, line).version
            added += 1
        except InsufficientStockError as error:
            refused.append(str(error))
        except DomainError as error:
            errors.append(f"{type(error).__name__}: {error}")
        except Exception as error:  # noqa: BLE001 - the test wants to see every crash
            errors.append(f"{type(error).__name__}: {error}")
    engine.dispose()
    return {"added": added, "refused": refused, "errors": errors}


if __name__ == "__main__":
    arguments = sys.argv[1:]
    print(json.dumps(main(arguments[0], *(int(value) for value in arguments[1:5]), float(arguments[5]))))
