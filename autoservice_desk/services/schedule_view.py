"""What the schedule grid shows: rows (bays or mechanics), their open hours and the bookings on them, as plain data.

Every time here is timezone-aware in the shop's time zone; the grid never converts anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple


class BookingStatus(StrEnum):
    """The life of a booking; CANCELLED and NO_SHOW free the bay and the mechanics."""

    BOOKED = "booked"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"
    IN_WORK = "in_work"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


# Statuses that hold their bay, lift and mechanics; the database guard ignores the others.
HOLDING_STATUSES = frozenset(
    {BookingStatus.BOOKED, BookingStatus.CONFIRMED, BookingStatus.ARRIVED, BookingStatus.IN_WORK, BookingStatus.DONE}
)


class RowKind(StrEnum):
    """What the grid's rows are."""

    BAY = "bay"
    MECHANIC = "mechanic"


@dataclass(frozen=True)
class GridRow:
    """One row of the grid: a bay (lifts marked) or a mechanic, with the periods it is open for work."""

    id: int
    kind: RowKind
    name: str
    group: str  # rows are grouped under this heading ("Lifts", "Body shop", ...); empty: no group
    is_lift: bool
    open_periods: tuple[tuple[datetime, datetime], ...]  # working time inside the shown days; the rest is shaded


class GridBooking(NamedTuple):
    """One block on the grid. *row_ids* are the rows it occupies in the current row kind (a bay, or mechanics).

    A named tuple rather than a frozen dataclass: a week builds thousands, and a tuple is made five times faster.
    """

    id: int
    version: int
    row_ids: tuple[int, ...]
    starts_at: datetime
    ends_at: datetime
    status: BookingStatus
    client_name: str
    car: str  # "Kia Rio"
    plate: str
    jobs: str  # "ТО-1, замена колодок"
    comment: str = ""
    is_test_drive: bool = False


@dataclass(frozen=True)
class ScheduleView:
    """The days from *first_day* for *days* days, in the shop's time zone *timezone* (an IANA name)."""

    first_day: date
    days: int
    timezone: str
    row_kind: RowKind
    rows: tuple[GridRow, ...]
    bookings: tuple[GridBooking, ...]
    day_starts_hour: int  # the earliest hour any row is open on the shown days (the grid starts there)
    day_ends_hour: int  # the hour after the last open minute (exclusive)
