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
from autoservice_desk.models.types import LocalMomentReader, naive_utc
from autoservice_desk.services import resources
from autoservice_desk.services.client_names import display_name
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
_STATUS_BY_VALUE = {status.value: status for status in BookingStatus}


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
    """The holding bookings touching [starts, ends), read as plain columns (3,000 ORM objects would cost 5× more)."""
    zone = starts.tzinfo
    assert zone is not None
    connection = uow.session.connection()  # Core rows: the ORM's per-row bookkeeping is not needed for columns
    shown = [
        Booking.starts_at < ends,
        Booking.ends_at > starts,
        Booking.status.in_([status.value for status in HOLDING_STATUSES]),
    ]
    found = connection.execute(
        select(
            Booking.id,
            Booking.version,
            Booking.kind,
            Booking.bay_id,
            naive_utc(Booking.starts_at, connection.dialect),
            naive_utc(Booking.ends_at, connection.dialect),
            Booking.status,
            Booking.comment,
            Client.id,
            Client.kind,
            Client.surname,
            Client.given_name,
            Client.patronymic,
            Client.company_name,
            Vehicle.make,
            Vehicle.model,
            Vehicle.plate,
            DemoCar.id,
            DemoCar.name,
            DemoCar.plate,
        )  # fmt: skip
        .join(Client, Client.id == Booking.client_id)
        .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
        .outerjoin(DemoCar, DemoCar.id == Booking.demo_car_id)
        .where(*shown)
        .order_by(Booking.starts_at, Booking.id)
    ).all()
    jobs: dict[int, list[str]] = defaultdict(list)
    for booking_id, name in connection.execute(
        select(BookingService.booking_id, Service.name)
        .join(Service, Service.id == BookingService.service_id)
        .join(Booking, Booking.id == BookingService.booking_id)
        .where(*shown)
        .order_by(BookingService.booking_id, BookingService.position)
    ).all():  # fetched at once: iterating a psycopg result row by row costs a call per row
        jobs[booking_id].append(name)
    mechanics: dict[int, list[int]] = defaultdict(list)
    if row_kind is RowKind.MECHANIC:
        for booking_id, mechanic_id in connection.execute(
            select(booking_mechanics.c.booking_id, booking_mechanics.c.mechanic_id)
            .join(Booking, Booking.id == booking_mechanics.c.booking_id)
            .where(*shown)
        ):
            mechanics[booking_id].append(mechanic_id)
    moment = LocalMomentReader(connection.dialect, zone)
    blocks = []
    names: dict[int, str] = {}  # a client with several bookings in the week is named once
    for (
        booking_id, version, kind, bay_id, starts_at, ends_at, status, comment, client_id, client_kind, surname,
        given_name, patronymic, company, make, model, plate, demo_id, demo_name, demo_plate,
    ) in found:  # fmt: skip
        if row_kind is RowKind.MECHANIC:
            row_ids = tuple(sorted(mechanics[booking_id]))
        elif demo_id is not None:
            row_ids = (demo_car_row_id(demo_id),)
        else:
            row_ids = (bay_id,) if bay_id is not None else ()
        if not row_ids:
            continue
        if demo_id is not None:
            car, plate = demo_name, demo_plate
        else:
            car = f"{make} {model}" if make and model else make or model or ""
        if client_id not in names:
            names[client_id] = display_name(client_kind, surname, given_name, patronymic, company) or _(
                "Client #{id}"
            ).format(id=client_id)
        name = names[client_id]
        blocks.append(
            GridBooking(
                booking_id, version, row_ids, moment(starts_at), moment(ends_at),
                _STATUS_BY_VALUE[status], name, car, plate or "", ", ".join(jobs[booking_id]), comment,
                kind == "test_drive",
            )  # fmt: skip
        )
    return blocks
