"""Working time: the shop's, each bay's and mechanic's weekly hours, shop holidays, absences, and the open periods.

A bay or mechanic without hours of its own works the shop's hours; a weekday without a row is closed. A bay or
mechanic is never open outside the shop's hours, on a shop holiday, or (a mechanic) on a day of absence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from autoservice_desk.i18n import _
from autoservice_desk.models.scheduling import Bay, Mechanic, MechanicAbsence, ShopHoliday, WorkingHours
from autoservice_desk.services import audit
from autoservice_desk.services.errors import FieldErrors, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

EDITOR_ROLES = ("manager",)  # administrators always may (Actor.has_role)
OWNER_KINDS = ("shop", "bay", "mechanic")
MINUTES_PER_DAY = 1440
Period = tuple[datetime, datetime]
Span = tuple[int, int]  # minutes after local midnight, opens < closes
_CACHE_KEY = "resources.calendar"


def require_schedule_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*EDITOR_ROLES):
        raise PermissionDeniedError(_("Only managers and administrators can change bays, mechanics and hours."))


def forget_calendar(uow: UnitOfWork) -> None:
    """Drop the hours cached in this unit of work (after writing hours, holidays or absences in it)."""
    uow.session.info.pop(_CACHE_KEY, None)


# --- Open periods -----------------------------------------------------------------------------------------------


@dataclass
class _Calendar:
    """Everything open periods depend on for a range of days, loaded with three queries."""

    hours: dict[tuple[str, int | None], dict[int, list[Span]]] = field(default_factory=dict)
    holidays: set[date] = field(default_factory=set)
    absences: dict[int, list[tuple[date, date]]] = field(default_factory=dict)


def _calendar(uow: UnitOfWork, first_day: date, last_day: date) -> _Calendar:
    # Cached for the unit of work: the week grid asks for 30 bays one at a time, and the rows are the same.
    cache: dict[tuple[date, date], _Calendar] = uow.session.info.setdefault(_CACHE_KEY, {})
    if (found := cache.get((first_day, last_day))) is not None:
        return found
    calendar = _Calendar()
    # Every row: a shop has 7 per owner at most, a few hundred in all; filtering by owner would cost a query each.
    for row in uow.session.execute(
        select(WorkingHours.owner_kind, WorkingHours.owner_id, WorkingHours.weekday,
               WorkingHours.opens_minute, WorkingHours.closes_minute)
    ):  # fmt: skip
        kind, owner_id, weekday, opens, closes = row
        calendar.hours.setdefault((kind, owner_id), {}).setdefault(weekday, []).append((opens, closes))
    calendar.holidays = set(
        uow.session.scalars(select(ShopHoliday.day).where(ShopHoliday.day.between(first_day, last_day)))
    )
    for mechanic_id, first, last in uow.session.execute(
        select(MechanicAbsence.mechanic_id, MechanicAbsence.first_day, MechanicAbsence.last_day).where(
            MechanicAbsence.first_day <= last_day, MechanicAbsence.last_day >= first_day
        )
    ):
        calendar.absences.setdefault(mechanic_id, []).append((first, last))
    cache[(first_day, last_day)] = calendar
    return calendar


def _merged(spans: Iterable[Span]) -> list[Span]:
    result: list[Span] = []
    for opens, closes in sorted(spans):
        if result and opens <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], closes))
        else:
            result.append((opens, closes))
    return result


def _intersect(first: list[Span], second: list[Span]) -> list[Span]:
    result = []
    for opens, closes in first:
        for other_opens, other_closes in second:
            start, end = max(opens, other_opens), min(closes, other_closes)
            if start < end:
                result.append((start, end))
    return _merged(result)


def local_moment(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """*minute* after local midnight of *day* in *tz*; a wall time skipped by a DST change becomes the real one."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def _spans_on(calendar: _Calendar, kind: str, owner_id: int | None, day: date) -> list[Span]:
    if day in calendar.holidays:
        return []
    shop = _merged(calendar.hours.get(("shop", None), {}).get(day.weekday(), []))
    if kind == "shop":
        return shop
    if kind == "mechanic" and owner_id is not None:
        if any(first <= day <= last for first, last in calendar.absences.get(owner_id, [])):
            return []
    own = calendar.hours.get((kind, owner_id))
    if own is None:
        return shop
    return _intersect(_merged(own.get(day.weekday(), [])), shop)


def _check_kind(owner_kind: str) -> None:
    if owner_kind not in OWNER_KINDS:
        raise ValueError(f"unknown owner kind {owner_kind!r}")


def open_periods_for(
    uow: UnitOfWork, owner_kind: str, owner_ids: Iterable[int | None], first_day: date, days: int, tz: ZoneInfo
) -> dict[int | None, list[Period]]:
    """Open periods of several bays or mechanics (or the shop: id None) over *days* local days from *first_day*.

    Three queries however many owners and days. Periods are aware datetimes in *tz*, in order; compare them
    freely, but convert to UTC before subtracting across a DST change.
    """
    _check_kind(owner_kind)
    last_day = first_day + timedelta(days=max(days, 1) - 1)
    calendar = _calendar(uow, first_day, last_day)
    result: dict[int | None, list[Period]] = {}
    for owner_id in owner_ids:
        periods = result.setdefault(owner_id, [])
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            for opens, closes in _spans_on(calendar, owner_kind, owner_id, day):
                periods.append((local_moment(day, opens, tz), local_moment(day, closes, tz)))
    return result


def open_periods_between(
    uow: UnitOfWork, owner_kind: str, owner_id: int | None, first_day: date, days: int, tz: ZoneInfo
) -> list[Period]:
    """Open periods of one bay, mechanic or the shop over *days* local days from *first_day*, in order."""
    return open_periods_for(uow, owner_kind, [owner_id], first_day, days, tz)[owner_id]


def open_periods(uow: UnitOfWork, owner_kind: str, owner_id: int | None, day: date, tz: ZoneInfo) -> list[Period]:
    """Open periods of a bay, mechanic or the shop (*owner_kind* "shop") on the local *day* in *tz*."""
    return open_periods_between(uow, owner_kind, owner_id, day, 1, tz)


# --- Weekly hours -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class HoursSpan:
    weekday: int  # 0 = Monday
    opens_minute: int
    closes_minute: int  # up to 1440 (midnight at the end of the day)


@dataclass(frozen=True)
class WeekHours:
    """An owner's weekly hours; *own* is false for a bay or mechanic working the shop's hours (then shown here)."""

    owner_kind: str
    owner_id: int | None
    own: bool
    spans: tuple[HoursSpan, ...]


def owner_name(uow: UnitOfWork, owner_kind: str, owner_id: int | None) -> str:
    """The bay's or mechanic's name (empty for the shop); NotFoundError when it no longer exists."""
    _check_kind(owner_kind)
    if owner_kind == "shop":
        return ""
    if owner_kind == "bay":
        bay = uow.session.get(Bay, owner_id) if owner_id is not None else None
        if bay is None:
            raise NotFoundError(_("The bay no longer exists."))
        return bay.name
    mechanic = uow.session.get(Mechanic, owner_id) if owner_id is not None else None
    if mechanic is None:
        raise NotFoundError(_("The mechanic no longer exists."))
    return mechanic.full_name


def _spans_of(uow: UnitOfWork, owner_kind: str, owner_id: int | None) -> tuple[HoursSpan, ...]:
    query = select(WorkingHours).where(WorkingHours.owner_kind == owner_kind)
    query = query.where(WorkingHours.owner_id.is_(None) if owner_id is None else WorkingHours.owner_id == owner_id)
    rows = uow.session.scalars(query)
    return tuple(sorted(HoursSpan(row.weekday, row.opens_minute, row.closes_minute) for row in rows))


def week_hours(uow_factory: UnitOfWorkFactory, owner_kind: str, owner_id: int | None = None) -> WeekHours:
    def work(uow: UnitOfWork) -> WeekHours:
        owner_name(uow, owner_kind, owner_id)
        spans = _spans_of(uow, owner_kind, None if owner_kind == "shop" else owner_id)
        if owner_kind == "shop" or spans:
            return WeekHours(owner_kind, owner_id, True, spans)
        return WeekHours(owner_kind, owner_id, False, _spans_of(uow, "shop", None))

    return run_in_transaction(uow_factory, work, read_only=True)


_PERIOD = re.compile(r"\s*(\d{1,2})(?:[:.](\d{2}))?\s*[-–—]\s*(\d{1,2})(?:[:.](\d{2}))?\s*")


def _minute(hours: str, minutes: str | None) -> int | None:
    value = int(hours) * 60 + int(minutes or 0)
    return value if int(minutes or 0) < 60 and value <= MINUTES_PER_DAY else None


def parse_week_hours(days: Sequence[str]) -> list[HoursSpan]:
    """Seven texts, Monday first, as a person types them (`9:00–20:00`, `9-13, 14-20`, empty: closed) as spans.

    FieldErrors names each day that cannot be read (`hours.0` ... `hours.6`).
    """
    problems: dict[str, str] = {}
    spans = []
    for weekday, text in enumerate(days):
        for part in (part for part in re.split(r"[,;]", text) if part.strip()):
            match = _PERIOD.fullmatch(part)
            opens = _minute(match.group(1), match.group(2)) if match else None
            closes = _minute(match.group(3), match.group(4)) if match else None
            if opens is None or closes is None:
                problems[f"hours.{weekday}"] = _("Write the hours as 9:00–20:00, several periods with commas.")
                continue
            spans.append(HoursSpan(weekday, opens, closes))
    if problems:
        raise FieldErrors(problems)
    return spans


def format_day_hours(spans: Iterable[HoursSpan]) -> str:
    """One day's spans as `9:00–13:00, 14:00–20:00` (what `parse_week_hours` reads back)."""

    def clock(minute: int) -> str:
        return f"{minute // 60}:{minute % 60:02d}"

    return ", ".join(f"{clock(span.opens_minute)}–{clock(span.closes_minute)}" for span in sorted(spans))


def _check_spans(spans: Sequence[HoursSpan]) -> None:
    problems: dict[str, str] = {}
    by_day: dict[int, list[Span]] = {}
    for span in spans:
        if not 0 <= span.weekday <= 6:
            raise ValidationError(_("The weekday is from Monday to Sunday."), "weekday")
        key = f"hours.{span.weekday}"
        if not 0 <= span.opens_minute < span.closes_minute <= MINUTES_PER_DAY:
            problems[key] = _("The closing time must be after the opening time.")
            continue
        day = by_day.setdefault(span.weekday, [])
        if any(span.opens_minute < closes and opens < span.closes_minute for opens, closes in day):
            problems[key] = _("The hours of one day overlap.")
        day.append((span.opens_minute, span.closes_minute))
    if problems:
        raise FieldErrors(problems)


def set_week_hours(
    uow_factory: UnitOfWorkFactory, owner_kind: str, owner_id: int | None, spans: Sequence[HoursSpan] | None
) -> None:
    """Replace the weekly hours of the shop, a bay or a mechanic; None for a bay or mechanic: work the shop's hours.

    A weekday without a span is a day off. Bookings already made are not moved; the schedule shows them outside.
    """

    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        name = owner_name(uow, owner_kind, owner_id)
        stored_id = None if owner_kind == "shop" else owner_id
        if spans is None and owner_kind == "shop":
            raise ValidationError(_("The shop needs its hours; leave a day empty to close it."), "hours")
        if spans is not None and not spans and owner_kind != "shop":
            raise ValidationError(
                _("{name} would never work; make it inactive instead, or use the shop's hours.").format(name=name),
                "hours",
            )
        _check_spans(spans or ())
        before = _spans_of(uow, owner_kind, stored_id)
        after = tuple(sorted(spans)) if spans is not None else ()
        if before == after:
            return
        query = delete(WorkingHours).where(WorkingHours.owner_kind == owner_kind)
        uow.session.execute(
            query.where(WorkingHours.owner_id.is_(None) if stored_id is None else WorkingHours.owner_id == stored_id)
        )
        for span in after:
            uow.session.add(
                WorkingHours(owner_kind=owner_kind, owner_id=stored_id, weekday=span.weekday,
                             opens_minute=span.opens_minute, closes_minute=span.closes_minute)
            )  # fmt: skip
        as_lists = [[[s.weekday, s.opens_minute, s.closes_minute] for s in side] for side in (before, after)]
        audit.record(uow, f"{owner_kind}_hours", stored_id or 0, "update", {"hours": as_lists[0]},
                     {"hours": as_lists[1]})  # fmt: skip
        forget_calendar(uow)
        uow.mark_changed("resources")
        uow.commit()

    run_in_transaction(uow_factory, work)
