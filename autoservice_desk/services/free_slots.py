"""Finding the first free slots for a job on a car: suitable bays and mechanics, open hours, nothing booked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.scheduling import Bay, BookingSlot, Mechanic
from autoservice_desk.services import resources
from autoservice_desk.services.booking_rules import (
    bay_equipment_ids,
    bay_key,
    mechanic_key,
    mechanic_skill_ids,
    requirements_of,
)
from autoservice_desk.services.bookings import JobLine, resolve_jobs, round_up_minutes
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class FreeSlot:
    """A place and time the job fits: one bay and (when the shop has mechanics) one mechanic who can do it."""

    starts_at: datetime
    ends_at: datetime
    bay_id: int
    bay_name: str
    is_lift: bool
    mechanic_ids: tuple[int, ...]
    mechanic_names: tuple[str, ...]


def find_free_slots(
    uow_factory: UnitOfWorkFactory,
    vehicle_id: int | None,
    jobs: tuple[JobLine, ...],
    after: datetime,
    zone: ZoneInfo,
    *,
    count: int = 5,
    duration_minutes: int | None = None,
    horizon_days: int = 14,
    step_minutes: int = 15,
) -> list[FreeSlot]:
    """The *count* earliest slots from *after* within *horizon_days*, across every bay and mechanic that suit."""

    def work(uow: UnitOfWork) -> list[FreeSlot]:
        resolved = resolve_jobs(uow, vehicle_id, jobs)
        minutes = duration_minutes or round_up_minutes(sum((job.hours for job in resolved), Decimal(0)))
        needs = requirements_of(uow, [job.service_id for job in resolved])
        bays = list(uow.session.scalars(select(Bay).where(Bay.active).order_by(Bay.sort_order, Bay.name)))
        equipment = bay_equipment_ids(uow, [bay.id for bay in bays])
        bays = [bay for bay in bays if set(needs.equipment) <= equipment[bay.id]]
        mechanics = list(
            uow.session.scalars(select(Mechanic).where(Mechanic.active).order_by(Mechanic.sort_order, Mechanic.id))
        )
        skills = mechanic_skill_ids(uow, [mechanic.id for mechanic in mechanics])
        able = [mechanic for mechanic in mechanics if set(needs.skills) <= skills[mechanic.id]]
        if not bays:
            raise ValidationError(_("No bay has the equipment this job needs."), "bay")
        if needs.skills and not able:
            raise ValidationError(_("No mechanic has every skill this job needs."), "mechanics")
        first_day = after.astimezone(zone).date()
        until = after + timedelta(days=horizon_days)
        busy = _busy(uow, [bay_key(bay.id) for bay in bays] + [mechanic_key(m.id) for m in able], after, until)
        mechanic_hours = resources.open_periods_for(
            uow, "mechanic", [m.id for m in able], first_day, horizon_days, zone
        )
        mechanic_free = {m.id: _subtract(_utc(mechanic_hours[m.id]), busy[mechanic_key(m.id)]) for m in able}
        bay_hours = resources.open_periods_for(uow, "bay", [bay.id for bay in bays], first_day, horizon_days, zone)
        found: list[FreeSlot] = []
        length, step = timedelta(minutes=minutes), timedelta(minutes=step_minutes)
        for bay in bays:
            windows = _subtract(_utc(bay_hours[bay.id]), busy[bay_key(bay.id)])
            per_bay = 0
            for opens, closes in windows:
                start = _round_up(max(opens, after.astimezone(UTC)), step, zone)
                while start + length <= closes and per_bay < count:
                    helper = _free_mechanic(able, mechanic_free, start, start + length) if mechanics else None
                    if helper is not None or not mechanics:
                        found.append(
                            FreeSlot(
                                start,
                                start + length,
                                bay.id,
                                bay.name,
                                bay.is_lift,
                                (helper.id,) if helper else (),
                                (helper.full_name,) if helper else (),
                            )  # fmt: skip
                        )
                        per_bay += 1
                        break  # the earliest start in each free window is the useful suggestion
                    start += step
        found.sort(key=lambda slot: (slot.starts_at, [bay.id for bay in bays].index(slot.bay_id)))
        return found[:count]

    return run_in_transaction(uow_factory, work, read_only=True)


def _busy(uow: UnitOfWork, keys: list[str], after: datetime, until: datetime) -> dict[str, list[Interval]]:
    taken: dict[str, list[Interval]] = defaultdict(list)
    for key, starts_at, ends_at in uow.session.execute(
        select(BookingSlot.resource, BookingSlot.starts_at, BookingSlot.ends_at)
        .where(BookingSlot.resource.in_(keys), BookingSlot.holds)
        .where(BookingSlot.ends_at > after, BookingSlot.starts_at < until)
        .order_by(BookingSlot.starts_at)
    ):
        taken[key].append((starts_at, ends_at))
    return taken


def _utc(periods: list[Interval]) -> list[Interval]:
    """Periods in UTC, so adding a job's length is true elapsed time even across a DST change."""
    return [(opens.astimezone(UTC), closes.astimezone(UTC)) for opens, closes in periods]


def _subtract(periods: list[Interval], taken: list[Interval]) -> list[Interval]:
    """The parts of *periods* not covered by *taken* (both sorted by start)."""
    free: list[Interval] = []
    for opens, closes in periods:
        cursor = opens
        for busy_from, busy_to in taken:
            if busy_to <= cursor or busy_from >= closes:
                continue
            if busy_from > cursor:
                free.append((cursor, busy_from))
            cursor = max(cursor, busy_to)
        if cursor < closes:
            free.append((cursor, closes))
    return free


def _round_up(moment: datetime, step: timedelta, zone: ZoneInfo) -> datetime:
    """Up to the next whole step of the local clock (10:07 → 10:15 with a 15-minute step)."""
    local = moment.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = -(-(local - midnight) // step)
    return (midnight + steps * step).astimezone(moment.tzinfo)


def _free_mechanic(
    able: list[Mechanic], free: dict[int, list[Interval]], starts_at: datetime, ends_at: datetime
) -> Mechanic | None:
    for mechanic in able:
        if any(opens <= starts_at and ends_at <= closes for opens, closes in free[mechanic.id]):
            return mechanic
    return None
