"""Benchmark of the schedule grid: `set_view` and a full paint of a 1600x900 window over a week of 30 bays.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/schedule_grid.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/schedule_grid.py --bookings 6000 --runs 50 --slot 60

The view is synthetic (no database): 30 bays in three groups, open 8:00-20:00 with a lunch hour, and bookings of
15 minutes to an hour laid end to end with a few gaps, in all statuses. Each run gives the widget a new view and times
`set_view` (layout of every block), then a paint of the whole window into a QImage right after it (texts not yet
elided: what the user sees after a refresh) and a second paint (what scrolling costs). The target is 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from autoservice_desk.memory import tune_garbage_collection
from autoservice_desk.services.schedule_view import BookingStatus, GridBooking, GridRow, RowKind, ScheduleView
from autoservice_desk.ui.screens.schedule.grid_widget import ScheduleGrid

TARGET_MS = 100.0
ZONE = "Europe/Moscow"
GROUPS = ("Lifts", "Bays", "Tyres")
STATUSES = (BookingStatus.BOOKED, BookingStatus.CONFIRMED, BookingStatus.ARRIVED, BookingStatus.IN_WORK,
            BookingStatus.DONE)  # fmt: skip


def synthetic_view(first_day: date, days: int = 7, rows: int = 30, bookings: int = 3000, seed: int = 1) -> ScheduleView:
    """A week of *rows* bays with about *bookings* bookings, deterministic for a *seed*."""
    zone = ZoneInfo(ZONE)
    rng = random.Random(seed)

    def at(day: int, minutes: int) -> datetime:
        return datetime.combine(first_day + timedelta(days=day), datetime.min.time(), zone) + timedelta(minutes=minutes)

    grid_rows = []
    for index in range(rows):
        periods = tuple(period for day in range(days) for period in ((at(day, 8 * 60), at(day, 13 * 60)),
                                                                     (at(day, 14 * 60), at(day, 20 * 60))))  # fmt: skip
        grid_rows.append(GridRow(index + 1, RowKind.BAY, f"Bay {index + 1}", GROUPS[index * len(GROUPS) // rows],
                                 index < rows // 3, periods))  # fmt: skip
    cells = rows * days
    result: list[GridBooking] = []
    for row in range(rows):
        for day in range(days):
            minute = 8 * 60
            cell = row * days + day
            # Spread evenly; one that did not fit before closing time is made up in the next cell.
            for _ in range(bookings * (cell + 1) // cells - len(result)):
                length = min(rng.choice((15, 30, 30, 45, 60)), 20 * 60 - minute)  # the last one is cut at closing
                if length <= 0:
                    break
                number = len(result) + 1
                result.append(GridBooking(
                    number, 1, (row + 1,), at(day, minute), at(day, minute + length), rng.choice(STATUSES),
                    f"Client {number}", "Kia Rio", f"A{number % 1000:03d}BC77", "Maintenance, brake pads",
                    is_test_drive=number % 40 == 0,
                ))  # fmt: skip
                minute += length + rng.choice((0, 0, 0, 15))
    return ScheduleView(first_day, days, ZONE, RowKind.BAY, tuple(grid_rows), tuple(result), 8, 20)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(round(share * (len(ordered) - 1))), len(ordered) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bookings", type=int, default=3000)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--slot", type=int, default=30, choices=(15, 30, 60))
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    first_day = date(2026, 11, 23)
    views = [synthetic_view(first_day, rows=args.rows, bookings=args.bookings, seed=run) for run in range(args.runs)]
    grid = ScheduleGrid(clock=None)
    grid.resize(1600, 900)
    grid.set_slot_minutes(args.slot)
    grid.show()
    app.processEvents()
    image = QImage(grid.size(), QImage.Format.Format_ARGB32_Premultiplied)
    tune_garbage_collection()  # as the desk does once its window is up
    timings: dict[str, list[float]] = {"set_view": [], "first paint": [], "repaint": []}
    for run, view in enumerate(views):
        # Every other run looks at Thursday afternoon, so the figures are not one corner of the week only.
        grid.horizontalScrollBar().setValue(0 if run % 2 == 0 else grid.horizontalScrollBar().maximum() // 2)
        started = time.perf_counter()
        grid.set_view(view)
        timings["set_view"].append((time.perf_counter() - started) * 1000)
        for name in ("first paint", "repaint"):
            started = time.perf_counter()
            grid.render(image)
            timings[name].append((time.perf_counter() - started) * 1000)
    shown = sum(1 for booking in views[-1].bookings if grid.booking_rects(booking.id))
    print(f"{args.rows} bays x 7 days, {len(views[-1].bookings)} bookings ({shown} laid out), slot {args.slot} min, "
          f"window 1600x900, {args.runs} runs")  # fmt: skip
    failed = False
    for name, values in timings.items():
        median, p95 = statistics.median(values), percentile(values, 0.95)
        failed |= p95 > TARGET_MS
        print(f"{name:12} median {median:6.1f} ms   p95 {p95:6.1f} ms")
    grid.close()
    grid.deleteLater()
    app.processEvents()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
