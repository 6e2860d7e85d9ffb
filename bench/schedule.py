"""Benchmark of the schedule: a week of 30 bays with 3,000 bookings — build and paint, move, first free slots.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/schedule.py                 # SQLite
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/schedule.py --postgresql    # and PostgreSQL

"Build and paint" is what the screen does for a week: its background read (`schedule_view` and the change stamp
that later polls compare with), then the grid's `set_view` and one full paint of a 1600×900 window. "Move" is one
`move_booking` through every rule and the database guard, committed. "Free slots" is one `find_free_slots` for a
1.5-hour job across every bay and mechanic.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from bench_databases import new_database  # type: ignore[import-not-found]  # noqa: E402 - the bench folder is not a package
from sqlalchemy import select

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.memory import tune_garbage_collection
from autoservice_desk.models.catalog import Service
from autoservice_desk.models.clients import Client
from autoservice_desk.models.scheduling import Booking, BookingService, BookingSlot
from autoservice_desk.services import schema
from autoservice_desk.services.booking_choices import schedule_stamp
from autoservice_desk.services.bookings import JobLine, move_booking
from autoservice_desk.services.demo_schedule import add_demo_resources
from autoservice_desk.services.free_slots import find_free_slots
from autoservice_desk.services.schedule_grid import schedule_view
from autoservice_desk.services.schedule_view import RowKind
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

ZONE = ZoneInfo("Europe/Moscow")
MONDAY = date(2027, 3, 1)
BAYS, BOOKINGS, RUNS = 30, 3_000, 30


def fill_week(uow_factory: UnitOfWorkFactory) -> None:
    """3,000 bookings back to back on 30 bays, Monday to Saturday in open hours (written directly, for speed)."""
    resources = add_demo_resources(uow_factory, bays=BAYS)
    generator = random.Random(1)
    with uow_factory() as uow:
        service_id = uow.session.scalar(select(Service.id).where(Service.code == "TO-OIL"))
        for number in range(200):
            uow.session.add(
                Client(kind="person", surname=f"Клиентов{number}", given_name="Иван", sort_key=f"k{number}")
            )
        uow.session.flush()
        clients = list(uow.session.scalars(select(Client.id)))
        made = 0
        for day in range(6):
            opens = datetime(2027, 3, 1 + day, 10 if day == 5 else 9, tzinfo=ZONE)
            closes = opens.replace(hour=18 if day == 5 else 20)
            for bay in resources.bay_ids:
                start = opens + timedelta(minutes=15 * generator.randrange(2))
                while made < BOOKINGS:
                    end = start + timedelta(minutes=generator.choice((15, 20, 30, 45)))
                    if end > closes:
                        break
                    booking = Booking(
                        kind="service", client_id=generator.choice(clients), bay_id=bay, starts_at=start,
                        ends_at=end, status="booked", comment="", source="bench", created_by="bench",
                    )  # fmt: skip
                    uow.session.add(booking)
                    uow.session.flush()
                    hours = (Decimal((end - start).seconds) / 3600).quantize(Decimal("0.01"))
                    uow.session.add(
                        BookingService(booking_id=booking.id, position=1, service_id=service_id, hours=hours)
                    )
                    uow.session.add(
                        BookingSlot(booking_id=booking.id, resource=f"bay:{bay}", starts_at=start, ends_at=end)
                    )
                    made += 1
                    start = end + timedelta(minutes=generator.choice((0, 0, 0, 15)))
        assert made == BOOKINGS, made
        uow.commit()


def timed(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    spent = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        spent.append((time.perf_counter() - began) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1]


def run(url: str, label: str) -> None:
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    schema.upgrade(engine, target, None)
    uow_factory = UnitOfWorkFactory(engine)
    fill_week(uow_factory)
    with engine.begin() as connection:
        # A shop's database has planner statistics (autovacuum); a database filled a second ago has none, and
        # PostgreSQL would then plan the week's join for 2 rows instead of 3,000 (90 ms instead of 4).
        connection.exec_driver_sql("ANALYZE")

    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from autoservice_desk.ui.screens.schedule.grid_widget import ScheduleGrid

    application = QApplication.instance() or QApplication([])
    grid = ScheduleGrid(clock=None)
    grid.resize(1600, 900)
    grid.set_slot_minutes(30)
    grid.show()
    image = QImage(1600, 900, QImage.Format.Format_ARGB32_Premultiplied)
    tune_garbage_collection()  # as the desk does once its window is up

    week = (datetime.combine(MONDAY, datetime.min.time(), ZONE), datetime.combine(MONDAY, datetime.min.time(), ZONE)
            + timedelta(days=7))  # fmt: skip

    def build_and_paint() -> None:
        view = schedule_view(uow_factory, MONDAY, 7, RowKind.BAY, ZONE)
        schedule_stamp(uow_factory, *week)
        grid.set_view(view)
        grid.render(image)

    view = schedule_view(uow_factory, MONDAY, 7, RowKind.BAY, ZONE)
    assert len(view.bookings) == BOOKINGS, len(view.bookings)
    build = timed(build_and_paint, 20)
    read = timed(lambda: schedule_view(uow_factory, MONDAY, 7, RowKind.BAY, ZONE), 20)

    # Moves: the first bookings each go a week later, to the empty next week, through every rule and the guard.
    with uow_factory(read_only=True) as uow:
        columns = (Booking.id, Booking.version, Booking.starts_at, Booking.ends_at, Booking.bay_id)
        victims = list(uow.session.execute(select(*columns).order_by(Booking.id).limit(RUNS)).all())
    spots = iter(range(RUNS))

    def move_one() -> None:
        booking_id, version, starts_at, ends_at, bay_id = victims[next(spots)]
        shift = timedelta(days=7)
        move_booking(uow_factory, booking_id, version, starts_at + shift, ends_at + shift, ZONE, bay_id=bay_id)

    move = timed(move_one)
    with uow_factory(read_only=True) as uow:
        service_id = uow.session.scalar(select(Service.id).where(Service.code == "TO-1"))
    assert service_id is not None
    after = datetime(2027, 3, 1, 8, tzinfo=ZONE)
    free = timed(lambda: find_free_slots(uow_factory, None, (JobLine(service_id),), after, ZONE))
    print(f"{label}: {BAYS} bays, {BOOKINGS} bookings in the week (ms, p50 / p95)")
    print(f"  week view read (schedule_view)        {read[0]:7.1f} / {read[1]:7.1f}")
    print(f"  week view build and paint (read+grid) {build[0]:7.1f} / {build[1]:7.1f}   target < 100")
    print(f"  move one booking (all rules, commit)  {move[0]:7.1f} / {move[1]:7.1f}   target < 50")
    print(f"  first 5 free slots                    {free[0]:7.1f} / {free[1]:7.1f}   target < 50")
    del application
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true", help="also run against a new PostgreSQL database")
    options = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with new_database(False, "schedule") as url:
        run(url, "SQLite")
    if options.postgresql:
        with new_database(True, "schedule") as url:
            run(url, "PostgreSQL")


if __name__ == "__main__":
    main()
