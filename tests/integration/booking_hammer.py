"""One desk hammering the schedule: random overlapping bookings and moves; prints what happened as JSON.

Run by test_booking_concurrency.py as several processes at once: python booking_hammer.py URL SEED OPERATIONS
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.catalog import Service
from autoservice_desk.models.clients import Client
from autoservice_desk.models.scheduling import Bay, Mechanic
from autoservice_desk.services.booking_rules import BookingConflictError
from autoservice_desk.services.bookings import BookingRequest, JobLine, create_booking, move_booking
from autoservice_desk.services.errors import ConflictError
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

MOSCOW = ZoneInfo("Europe/Moscow")
DAY = date(2027, 3, 1)


def main(url: str, seed: int, operations: int) -> dict[str, object]:
    engine = create_database_engine(parse_database_url(url, Path("unused")))
    uow_factory = UnitOfWorkFactory(engine)
    with uow_factory(read_only=True) as uow:
        bays = list(uow.session.scalars(select(Bay.id).where(Bay.is_lift).order_by(Bay.id).limit(3)))
        mechanics = list(uow.session.scalars(select(Mechanic.id).order_by(Mechanic.id).limit(2)))
        clients = list(uow.session.scalars(select(Client.id).order_by(Client.id)))
        service = uow.session.scalar(select(Service.id).where(Service.code == "TO-OIL"))
    assert service is not None
    generator = random.Random(seed)
    mine: dict[int, int] = {}  # booking id → version
    result: dict[str, object] = {"created": [], "moved": 0, "conflicts": 0, "stale": 0, "errors": []}
    for _ in range(operations):
        start = datetime.combine(DAY, time(9), MOSCOW) + timedelta(minutes=15 * generator.randrange(36))
        length = timedelta(minutes=generator.choice((30, 45, 60, 90)))
        bay = generator.choice(bays)
        crew = (generator.choice(mechanics),) if generator.random() < 0.5 else ()
        try:
            if mine and generator.random() < 0.4:
                booking_id = generator.choice(list(mine))
                moved = move_booking(
                    uow_factory, booking_id, mine[booking_id], start, start + length, MOSCOW, bay_id=bay,
                    mechanic_ids=crew,
                )  # fmt: skip
                mine[booking_id] = moved.version
                result["moved"] = int(result["moved"]) + 1  # type: ignore[call-overload]
            else:
                request = BookingRequest(
                    generator.choice(clients), None, start, (JobLine(service),),
                    duration_minutes=int(length.total_seconds() // 60), bay_id=bay, mechanic_ids=crew,
                )  # fmt: skip
                info = create_booking(uow_factory, request, MOSCOW)
                mine[info.id] = info.version
                result["created"].append(info.id)  # type: ignore[attr-defined]
        except BookingConflictError:
            result["conflicts"] = int(result["conflicts"]) + 1  # type: ignore[call-overload]
        except ConflictError as error:  # another desk's change in between (the database stayed busy, ...)
            result["stale"] = int(result["stale"]) + 1  # type: ignore[call-overload]
            result["errors"].append(f"conflict: {error}")  # type: ignore[attr-defined]
        except Exception as error:  # noqa: BLE001 - the test wants to see every other failure
            result["errors"].append(f"{type(error).__name__}: {error}")  # type: ignore[attr-defined]
    engine.dispose()
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
