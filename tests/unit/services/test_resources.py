"""Working time on SQLite and PostgreSQL: own hours and the shop's, holidays, absences, local days across DST."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.days_off import (
    add_absence,
    list_absences,
    list_holidays,
    remove_absence,
    remove_holiday,
    set_holiday,
)
from autoservice_desk.services.errors import FieldErrors, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.resource_lists import BayForm, MechanicForm, create_bay, create_mechanic
from autoservice_desk.services.resources import (
    HoursSpan,
    open_periods,
    open_periods_between,
    open_periods_for,
    set_week_hours,
    week_hours,
)
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 3, 2)  # the seeded shop: Monday to Friday 9-20, Saturday 10-18, Sunday closed
Periods = list[tuple[datetime, datetime]]


def span(weekday: int, opens: int, closes: int) -> HoursSpan:
    return HoursSpan(weekday, opens * 60, closes * 60)


def local(day: date, hour: int, zone: ZoneInfo = MOSCOW, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), zone)


def periods(
    uow_factory: UnitOfWorkFactory, kind: str, owner: int | None, day: date, zone: ZoneInfo = MOSCOW
) -> Periods:
    with uow_factory(read_only=True) as uow:
        return open_periods(uow, kind, owner, day, zone)


def hours_of(found: Periods) -> list[tuple[str, str]]:
    return [(f"{opens:%H:%M}", f"{closes:%H:%M}") for opens, closes in found]


@pytest.fixture
def bay(uow_factory: UnitOfWorkFactory) -> int:
    return create_bay(uow_factory, BayForm("Пост 1", "Подъёмники", is_lift=True))


@pytest.fixture
def mechanic(uow_factory: UnitOfWorkFactory) -> int:
    return create_mechanic(uow_factory, MechanicForm("Петров Иван"))


def test_the_shop_hours_are_local_times_in_the_shop_zone(uow_factory: UnitOfWorkFactory) -> None:
    [(opens, closes)] = periods(uow_factory, "shop", None, MONDAY)
    assert (opens, closes) == (local(MONDAY, 9), local(MONDAY, 20))
    assert opens.astimezone(UTC) == datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # Moscow is UTC+3 all year
    assert hours_of(periods(uow_factory, "shop", None, MONDAY + timedelta(days=5))) == [("10:00", "18:00")]
    assert periods(uow_factory, "shop", None, MONDAY + timedelta(days=6)) == []  # Sunday: no row, closed


def test_a_bay_works_the_shop_hours_until_it_has_its_own(uow_factory: UnitOfWorkFactory, bay: int) -> None:
    assert periods(uow_factory, "bay", bay, MONDAY) == periods(uow_factory, "shop", None, MONDAY)
    assert not week_hours(uow_factory, "bay", bay).own
    # Own hours: Monday 8-12 and 14-22, Saturday 12-16, no other day; never open outside the shop's 9-20
    set_week_hours(uow_factory, "bay", bay, [span(0, 8, 12), span(0, 14, 22), span(5, 12, 16)])
    assert hours_of(periods(uow_factory, "bay", bay, MONDAY)) == [("09:00", "12:00"), ("14:00", "20:00")]
    assert periods(uow_factory, "bay", bay, MONDAY + timedelta(days=1)) == []  # Tuesday: a day off of its own
    assert hours_of(periods(uow_factory, "bay", bay, MONDAY + timedelta(days=5))) == [("12:00", "16:00")]
    assert week_hours(uow_factory, "bay", bay).own
    set_week_hours(uow_factory, "bay", bay, None)  # back to the shop's hours
    assert hours_of(periods(uow_factory, "bay", bay, MONDAY + timedelta(days=1))) == [("09:00", "20:00")]
    entry = list_entries(uow_factory, None, 1)[0]
    assert (entry.entity, entry.entity_id, entry.action) == ("bay_hours", str(bay), "update")


def test_a_holiday_closes_everyone_and_an_absence_one_mechanic(
    uow_factory: UnitOfWorkFactory, bay: int, mechanic: int
) -> None:
    other = create_mechanic(uow_factory, MechanicForm("Сидоров Олег"))
    holiday = MONDAY + timedelta(days=7)
    set_holiday(uow_factory, holiday, "Перенесённый выходной")
    absence = add_absence(uow_factory, mechanic, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2), "Отпуск")
    for kind, owner in (("shop", None), ("bay", bay), ("mechanic", mechanic), ("mechanic", other)):
        assert periods(uow_factory, kind, owner, holiday) == []
    assert periods(uow_factory, "mechanic", mechanic, MONDAY + timedelta(days=1)) == []
    assert periods(uow_factory, "mechanic", mechanic, MONDAY + timedelta(days=2)) == []  # the last day counts
    assert hours_of(periods(uow_factory, "mechanic", mechanic, MONDAY + timedelta(days=3))) == [("09:00", "20:00")]
    assert hours_of(periods(uow_factory, "mechanic", other, MONDAY + timedelta(days=1))) == [("09:00", "20:00")]
    assert [(a.mechanic_name, a.reason) for a in list_absences(uow_factory, since=MONDAY)] == [
        ("Петров Иван", "Отпуск")
    ]
    assert [h.name for h in list_holidays(uow_factory, MONDAY, holiday)] == ["Перенесённый выходной"]
    remove_absence(uow_factory, absence)
    remove_holiday(uow_factory, holiday)
    assert len(periods(uow_factory, "mechanic", mechanic, holiday)) == 1
    assert len(periods(uow_factory, "mechanic", mechanic, MONDAY + timedelta(days=1))) == 1


def test_a_mechanics_own_hours_meet_the_shop_hours(uow_factory: UnitOfWorkFactory, mechanic: int) -> None:
    set_week_hours(uow_factory, "mechanic", mechanic, [span(day, 7, 16) for day in range(7)])
    assert hours_of(periods(uow_factory, "mechanic", mechanic, MONDAY)) == [("09:00", "16:00")]
    assert hours_of(periods(uow_factory, "mechanic", mechanic, MONDAY + timedelta(days=5))) == [("10:00", "16:00")]
    assert periods(uow_factory, "mechanic", mechanic, MONDAY + timedelta(days=6)) == []  # the shop is closed
    set_week_hours(uow_factory, "shop", None, [span(day, 8, 21) for day in range(7)])  # the shop opens longer
    assert hours_of(periods(uow_factory, "mechanic", mechanic, MONDAY + timedelta(days=6))) == [("08:00", "16:00")]


def test_local_days_across_a_dst_change(uow_factory: UnitOfWorkFactory) -> None:
    spring, autumn = date(2026, 3, 29), date(2026, 10, 25)  # Sundays: Berlin moves the clock forward, then back
    set_week_hours(uow_factory, "shop", None, [span(6, 0, 24)] + [span(day, 9, 20) for day in range(6)])
    for day, real_hours in ((spring, 23), (autumn, 25)):
        [(opens, closes)] = periods(uow_factory, "shop", None, day, BERLIN)
        assert (opens.date(), closes.date()) == (day, day + timedelta(days=1))  # local midnight to local midnight
        assert closes.astimezone(UTC) - opens.astimezone(UTC) == timedelta(hours=real_hours)
        [(opens, closes)] = periods(uow_factory, "shop", None, day, MOSCOW)
        assert closes.astimezone(UTC) - opens.astimezone(UTC) == timedelta(hours=24)
    # 9:00 in Berlin is 8:00 UTC before the change and 7:00 UTC after it
    friday, monday = spring - timedelta(days=2), spring + timedelta(days=1)
    assert periods(uow_factory, "shop", None, friday, BERLIN)[0][0].astimezone(UTC).hour == 8
    assert periods(uow_factory, "shop", None, monday, BERLIN)[0][0].astimezone(UTC).hour == 7
    # A day is the shop's local day: Monday 00:00 in Berlin is still Sunday in UTC
    set_week_hours(uow_factory, "shop", None, [span(0, 0, 3)])
    [(opens, closes)] = periods(uow_factory, "shop", None, monday, BERLIN)
    assert opens.astimezone(UTC) == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    # A closing time the clock skips (2:30 on the spring Sunday) is the real moment an hour on
    set_week_hours(uow_factory, "shop", None, [HoursSpan(6, 0, 150)])
    [(opens, closes)] = periods(uow_factory, "shop", None, spring, BERLIN)
    assert closes.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


@pytest.fixture
def statements(uow_factory: UnitOfWorkFactory) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(uow_factory.engine, "before_cursor_execute", count)
    yield seen
    event.remove(uow_factory.engine, "before_cursor_execute", count)


def test_a_week_of_thirty_bays_takes_a_fixed_number_of_queries(
    uow_factory: UnitOfWorkFactory, statements: list[str]
) -> None:
    bays = [create_bay(uow_factory, BayForm(f"Пост {number}")) for number in range(1, 31)]
    set_week_hours(uow_factory, "bay", bays[0], [span(0, 12, 14)])
    set_holiday(uow_factory, MONDAY + timedelta(days=2), "")
    with uow_factory(read_only=True) as uow:
        statements.clear()
        week = {bay: open_periods_between(uow, "bay", bay, MONDAY, 7, MOSCOW) for bay in bays}
        together = open_periods_for(uow, "bay", bays, MONDAY, 7, MOSCOW)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3
    assert week == together
    assert hours_of(week[bays[0]]) == [("12:00", "14:00")]
    assert len(week[bays[1]]) == 5  # Monday to Saturday but the Wednesday holiday; Sunday closed
    assert week[bays[1]] == sorted(week[bays[1]])


def test_bad_hours_are_refused_and_nothing_changes(uow_factory: UnitOfWorkFactory, bay: int) -> None:
    shop = week_hours(uow_factory, "shop")
    with pytest.raises(FieldErrors) as caught:
        set_week_hours(uow_factory, "shop", None, [span(0, 9, 13), span(0, 12, 18), span(2, 18, 9)])
    assert set(caught.value.problems) == {"hours.0", "hours.2"}
    with pytest.raises(ValidationError):
        set_week_hours(uow_factory, "shop", None, None)
    with pytest.raises(ValidationError):
        set_week_hours(uow_factory, "bay", bay, [])
    with pytest.raises(NotFoundError):
        set_week_hours(uow_factory, "bay", bay + 100, [span(0, 9, 10)])
    advisor = uow_factory.acting_as(Actor(user_id=None, login="a", roles=frozenset({"advisor"})))
    with pytest.raises(PermissionDeniedError):
        set_week_hours(advisor, "shop", None, [span(0, 9, 10)])
    with pytest.raises(FieldErrors) as caught:
        add_absence(uow_factory, bay, MONDAY, MONDAY - timedelta(days=1))
    assert set(caught.value.problems) == {"last_day"}
    assert week_hours(uow_factory, "shop") == shop
    assert shop.spans[0] == HoursSpan(0, 540, 1200)


def test_hours_typed_as_text_are_read_and_written_back() -> None:
    from autoservice_desk.services.resources import format_day_hours, parse_week_hours

    spans = parse_week_hours(["9:00–13:00, 14-20", "8.30 - 17", "", "", "", "10-18", "0-24"])
    assert spans == [span(0, 9, 13), span(0, 14, 20), HoursSpan(1, 510, 1020), span(5, 10, 18), span(6, 0, 24)]
    assert format_day_hours(s for s in spans if s.weekday == 0) == "9:00–13:00, 14:00–20:00"
    assert format_day_hours([HoursSpan(1, 510, 1020)]) == "8:30–17:00"
    with pytest.raises(FieldErrors) as caught:
        parse_week_hours(["9-25", "утром", "9:75-10", "", "", "", ""])
    assert set(caught.value.problems) == {"hours.0", "hours.1", "hours.2"}
