"""Building the schedule grid's data for a day or a week: rows, open hours and bookings, in a few queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.catalog import Service
from autoservice_desk.models.clients import Client, Vehicle
from autoservice_desk.models.scheduling import Bay, Booking, BookingService, DemoCar, Mechanic, booking_mechanics
from autoservice_desk.services import resources
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.schedule_view import (
    HOLDING_STATUSES,
    BookingStatus,
    GridBooking,
    GridRow,
    RowKind,
    ScheduleView,
)
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

DEFAULT_HOURS = (8, 20)


def demo_car_row_id(demo_car_id: int) -> int:
    """Demo cars share the bay view; negative ids keep them apart from bays."""
    return -demo_car_id


def schedule_view(
    uow_factory: UnitOfWorkFactory, first_day: date, days: int, row_kind: RowKind, zone: ZoneInfo
) -> ScheduleView:
    """The grid for *days* days from *first_day*: bays (and demo cars) or mechanics as rows."""

    def work(uow: UnitOfWork) -> ScheduleView:
        rows = (
            _bay_rows(uow, first_day, days, zone)
            if row_kind is RowKind.BAY
            else _mechanic_rows(uow, first_day, days, zone)
        )
        starts = datetime.combine(first_day, time(), zone)
        ends = datetime.combine(first_day + timedelta(days=days), time(), zone)
        bookings = _bookings(uow, starts, ends, row_kind)
        opens = [period[0].astimezone(zone) for row in rows for period in row.open_periods]
        closes = [period[1].astimezone(zone) for row in rows for period in row.open_periods]
        first_hour = min((moment.hour for moment in opens), default=DEFAULT_HOURS[0])
        last_hour = max(
            (moment.hour + (1 if moment.minute else 0) if moment.time() != time() else 24 for moment in closes),
            default=DEFAULT_HOURS[1],
        )
        for booking in bookings:  # a booking outside the usual hours must still be visible
            first_hour = min(first_hour, booking.starts_at.hour)
            last_hour = max(last_hour, min(24, booking.ends_at.hour + (1 if booking.ends_at.minute else 0)))
        return ScheduleView(
            first_day,
            days,
            zone.key,
            row_kind,
            tuple(rows),
            tuple(bookings),
            first_hour,
            max(last_hour, first_hour + 1),
        )

    return run_in_transaction(uow_factory, work, read_only=True)


def _bay_rows(uow: UnitOfWork, first_day: date, days: int, zone: ZoneInfo) -> list[GridRow]:
    bays = grouped_in_order(list(uow.session.scalars(select(Bay).where(Bay.active).order_by(Bay.sort_order, Bay.name))))
    hours = resources.open_periods_for(uow, "bay", [bay.id for bay in bays], first_day, days, zone)
    rows = [GridRow(bay.id, RowKind.BAY, bay.name, bay.group_name, bay.is_lift, tuple(hours[bay.id])) for bay in bays]
    cars = list(uow.session.scalars(select(DemoCar).where(DemoCar.active).order_by(DemoCar.name)))
    if cars:
        shop = tuple(resources.open_periods_between(uow, "shop", None, first_day, days, zone))
        group = _("Demo cars")
        rows += [GridRow(demo_car_row_id(car.id), RowKind.BAY, car.name, group, False, shop) for car in cars]
    return rows


def grouped_in_order(bays: list[Bay]) -> list[Bay]:
    """Bays in their order, each group gathered where its first bay stands (lifts first if a lift is first)."""
    first_place: dict[str, int] = {}
    for place, bay in enumerate(bays):
        first_place.setdefault(bay.group_name, place)
    return sorted(bays, key=lambda bay: first_place[bay.group_name])  # sorted() is stable: order kept in a group


def _mechanic_rows(uow: UnitOfWork, first_day: date, days: int, zone: ZoneInfo) -> list[GridRow]:
    mechanics = list(
        uow.session.scalars(select(Mechanic).where(Mechanic.active).order_by(Mechanic.sort_order, Mechanic.full_name))
    )
    hours = resources.open_periods_for(uow, "mechanic", [mechanic.id for mechanic in mechanics], first_day, days, zone)
    return [
        GridRow(mechanic.id, RowKind.MECHANIC, mechanic.full_name, "", False, tuple(hours[mechanic.id]))
        for mechanic in mechanics
    ]


def _bookings(uow: UnitOfWork, starts: datetime, ends: datetime, row_kind: RowKind) -> list[GridBooking]:
    zone = starts.tzinfo
    found = uow.session.execute(
        select(Booking, Client, Vehicle, DemoCar)
        .join(Client, Client.id == Booking.client_id)
        .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
        .outerjoin(DemoCar, DemoCar.id == Booking.demo_car_id)
        .where(Booking.starts_at < ends, Booking.ends_at > starts)
        .where(Booking.status.in_([status.value for status in HOLDING_STATUSES]))
        .order_by(Booking.starts_at, Booking.id)
    ).all()
    ids = [row[0].id for row in found]
    jobs: dict[int, list[str]] = defaultdict(list)
    mechanics: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(ids, 900):  # SQLite limits the number of bound parameters
        for booking_id, name in uow.session.execute(
            select(BookingService.booking_id, Service.name)
            .join(Service, Service.id == BookingService.service_id)
            .where(BookingService.booking_id.in_(chunk))
            .order_by(BookingService.booking_id, BookingService.position)
        ):
            jobs[booking_id].append(name)
        for booking_id, mechanic_id in uow.session.execute(
            select(booking_mechanics.c.booking_id, booking_mechanics.c.mechanic_id).where(
                booking_mechanics.c.booking_id.in_(chunk)
            )
        ):
            mechanics[booking_id].append(mechanic_id)
    blocks = []
    for booking, client, vehicle, demo in found:
        if row_kind is RowKind.MECHANIC:
            row_ids = tuple(sorted(mechanics[booking.id]))
        elif demo is not None:
            row_ids = (demo_car_row_id(demo.id),)
        else:
            row_ids = (booking.bay_id,) if booking.bay_id is not None else ()
        if not row_ids:
            continue
        car = (
            demo.name
            if demo is not None
            else " ".join(p for p in (vehicle.make, vehicle.model) if p)
            if vehicle
            else ""
        )
        plate = (demo.plate if demo is not None else vehicle.plate if vehicle else None) or ""
        blocks.append(
            GridBooking(
                booking.id,
                booking.version,
                row_ids,
                booking.starts_at.astimezone(zone),
                booking.ends_at.astimezone(zone),
                BookingStatus(booking.status),
                client_name(client),
                car,
                plate,
                ", ".join(jobs[booking.id]),
                booking.comment,
                booking.kind == "test_drive",
            )  # fmt: skip
        )
    return blocks


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
