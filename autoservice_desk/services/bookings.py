"""Booking a client's car onto a bay with mechanics: create, move or resize, change status, cancel, read.

Every change goes through the same rules (booking_rules) and the same database guard, whether it comes from the
booking form, a drag on the grid or the free-slot finder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.catalog import Service
from autoservice_desk.models.clients import Client, Vehicle
from autoservice_desk.models.scheduling import (
    Bay,
    Booking,
    BookingService,
    BookingSlot,
    DemoCar,
    Mechanic,
    booking_mechanics,
)
from autoservice_desk.services import audit, domain_events, timeline
from autoservice_desk.services.booking_rules import (
    bay_key,
    check_equipment,
    check_free,
    check_skills,
    check_working_hours,
    demo_car_key,
    flush_guarded,
    mechanic_key,
    requirements_of,
)
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.labour_norms import norm_hours
from autoservice_desk.services.schedule_view import HOLDING_STATUSES, BookingStatus
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

EDITOR_ROLES = ("advisor", "manager")
BOOKING_EVENT = timeline.register_kind("booking", N_("Booking"))
SLOT_MINUTES = 5  # durations are rounded up to this, so blocks line up on the grid
MAX_BOOKING_HOURS = 24
STATUS_LABELS = {
    BookingStatus.BOOKED: N_("Booked"),
    BookingStatus.CONFIRMED: N_("Confirmed"),
    BookingStatus.ARRIVED: N_("Arrived"),
    BookingStatus.IN_WORK: N_("In work"),
    BookingStatus.DONE: N_("Done"),
    BookingStatus.NO_SHOW: N_("No-show"),
    BookingStatus.CANCELLED: N_("Cancelled"),
}
# Where each status may go next; a finished booking (done, no-show, cancelled) stays as it is.
NEXT_STATUSES: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.BOOKED: frozenset(
        {BookingStatus.CONFIRMED, BookingStatus.ARRIVED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED}
    ),
    BookingStatus.CONFIRMED: frozenset(
        {BookingStatus.BOOKED, BookingStatus.ARRIVED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED}
    ),
    BookingStatus.ARRIVED: frozenset({BookingStatus.IN_WORK, BookingStatus.DONE, BookingStatus.CANCELLED}),
    BookingStatus.IN_WORK: frozenset({BookingStatus.DONE}),
    BookingStatus.DONE: frozenset(),
    BookingStatus.NO_SHOW: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
}
MOVABLE_STATUSES = frozenset(
    {BookingStatus.BOOKED, BookingStatus.CONFIRMED, BookingStatus.ARRIVED, BookingStatus.IN_WORK}
)


@dataclass(frozen=True)
class JobLine:
    """A service on the booking form; *hours* None takes the hours from the norms for the car."""

    service_id: int
    hours: Decimal | None = None
    package_id: int | None = None


@dataclass(frozen=True)
class BookingRequest:
    """The booking form as submitted. *duration_minutes* None: the sum of the jobs' hours."""

    client_id: int
    vehicle_id: int | None
    starts_at: datetime
    jobs: tuple[JobLine, ...] = ()
    duration_minutes: int | None = None
    bay_id: int | None = None
    mechanic_ids: tuple[int, ...] = ()
    demo_car_id: int | None = None  # a test drive holds this demo car instead of a bay
    comment: str = ""
    source: str = ""


@dataclass(frozen=True)
class BookedJob:
    service_id: int
    name: str
    hours: Decimal
    package_id: int | None = None


@dataclass(frozen=True)
class BookingInfo:
    id: int
    version: int
    kind: str
    status: BookingStatus
    client_id: int
    client_name: str
    vehicle_id: int | None
    car: str
    plate: str
    starts_at: datetime
    ends_at: datetime
    bay_id: int | None
    bay_name: str
    demo_car_id: int | None
    mechanic_ids: tuple[int, ...]
    mechanic_names: tuple[str, ...]
    jobs: tuple[BookedJob, ...]
    comment: str
    source: str
    next_statuses: frozenset[BookingStatus] = field(default_factory=frozenset)


def status_label(status: BookingStatus) -> str:
    return _(STATUS_LABELS[status])


def require_booking_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*EDITOR_ROLES):
        raise PermissionDeniedError(_("Only service advisors, managers and administrators can change bookings."))


def round_up_minutes(hours: Decimal) -> int:
    """Hours as whole minutes rounded up to the grid's step (1.4 h → 85 min with a 5-minute step)."""
    minutes = int((hours * 60).to_integral_value(ROUND_CEILING))
    return max(SLOT_MINUTES, -(-minutes // SLOT_MINUTES) * SLOT_MINUTES)


def resolve_jobs(uow: UnitOfWork, vehicle_id: int | None, jobs: tuple[JobLine, ...]) -> tuple[BookedJob, ...]:
    """The jobs with their hours: as typed, or from the norms for this car, or the service's default."""
    vehicle = uow.session.get(Vehicle, vehicle_id) if vehicle_id is not None else None
    resolved = []
    for line in jobs:
        service = uow.session.get(Service, line.service_id)
        if service is None or not service.active:
            raise ValidationError(_("The service chosen is no longer in the catalog."), "jobs")
        hours = line.hours
        if hours is None:
            hours = norm_hours(
                uow, service.id, vehicle.make if vehicle else None, vehicle.model if vehicle else None,
                vehicle.year if vehicle else None, vehicle.engine if vehicle else None,
            ).hours  # fmt: skip
        if hours <= 0:
            raise ValidationError(_("Hours for {service} must be more than zero.").format(service=service.name), "jobs")
        resolved.append(BookedJob(service.id, service.name, hours, line.package_id))
    return tuple(resolved)


def planned_minutes(uow_factory: UnitOfWorkFactory, vehicle_id: int | None, jobs: tuple[JobLine, ...]) -> int:
    """How long the jobs take on this car, from the norms, in grid minutes ("for this car this job is 1.4 h")."""

    def work(uow: UnitOfWork) -> int:
        return round_up_minutes(sum((job.hours for job in resolve_jobs(uow, vehicle_id, jobs)), Decimal(0)))

    return run_in_transaction(uow_factory, work, read_only=True)


def _check_span(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("booking times must be timezone-aware")
    if ends_at <= starts_at:
        raise ValidationError(_("The booking must end after it starts."), "duration")
    if ends_at - starts_at > timedelta(hours=MAX_BOOKING_HOURS):
        raise ValidationError(
            _("A booking can last at most {hours} hours.").format(hours=MAX_BOOKING_HOURS), "duration"
        )


def _resource_names(
    uow: UnitOfWork, bay_id: int | None, mechanic_ids: tuple[int, ...], demo_car_id: int | None
) -> tuple[dict[str, str], list[tuple[str, int | None, str]]]:
    """Resource key → name for the overlap guard, and the (kind, id, name) owners whose hours must fit."""
    keys: dict[str, str] = {}
    owners: list[tuple[str, int | None, str]] = []
    if bay_id is not None:
        bay = uow.session.get(Bay, bay_id)
        if bay is None or not bay.active:
            raise ValidationError(_("The bay chosen no longer exists."), "bay")
        keys[bay_key(bay.id)] = bay.name
        owners.append(("bay", bay.id, bay.name))
    for mechanic_id in mechanic_ids:
        mechanic = uow.session.get(Mechanic, mechanic_id)
        if mechanic is None or not mechanic.active:
            raise ValidationError(_("A mechanic chosen no longer works here."), "mechanics")
        keys[mechanic_key(mechanic.id)] = mechanic.full_name
        owners.append(("mechanic", mechanic.id, mechanic.full_name))
    if demo_car_id is not None:
        car = uow.session.get(DemoCar, demo_car_id)
        if car is None or not car.active:
            raise ValidationError(_("The demo car chosen is no longer available."), "demo_car")
        keys[demo_car_key(car.id)] = _("Demo car {name}").format(name=car.name)
        owners.append(("shop", None, _("The shop")))
    return keys, owners


def _place(
    uow: UnitOfWork,
    booking: Booking,
    jobs: tuple[BookedJob, ...],
    mechanic_ids: tuple[int, ...],
    zone: ZoneInfo,
) -> None:
    """Check every rule for *booking*'s time, bay, mechanics and demo car, then (re)write its slots guarded."""
    _check_span(booking.starts_at, booking.ends_at)
    keys, owners = _resource_names(uow, booking.bay_id, mechanic_ids, booking.demo_car_id)
    if booking.kind == "service":
        if booking.bay_id is None:
            raise ValidationError(_("Choose a bay for the booking."), "bay")
        needs = requirements_of(uow, [job.service_id for job in jobs])
        bay_name = keys[bay_key(booking.bay_id)]
        check_equipment(uow, booking.bay_id, bay_name, needs)
        check_skills(uow, mechanic_ids, needs)
    check_working_hours(uow, owners, booking.starts_at, booking.ends_at, zone)
    check_free(uow, keys, booking.starts_at, booking.ends_at, zone, exclude_booking_id=booking.id)
    if booking.id is not None:
        uow.session.execute(delete(BookingSlot).where(BookingSlot.booking_id == booking.id))
        uow.session.execute(delete(booking_mechanics).where(booking_mechanics.c.booking_id == booking.id))
    else:
        uow.session.add(booking)
        uow.session.flush()
    uow.session.add_all(
        BookingSlot(booking_id=booking.id, resource=key, starts_at=booking.starts_at, ends_at=booking.ends_at)
        for key in keys
    )
    if mechanic_ids:
        uow.session.execute(
            booking_mechanics.insert(), [{"booking_id": booking.id, "mechanic_id": item} for item in mechanic_ids]
        )
    flush_guarded(uow, keys)


def create_booking(uow_factory: UnitOfWorkFactory, request: BookingRequest, zone: ZoneInfo) -> BookingInfo:
    """Book the car; the duration comes from the jobs' norms unless given. Refused with the reason on any rule."""

    def work(uow: UnitOfWork) -> BookingInfo:
        require_booking_editor(uow)
        client = uow.session.get(Client, request.client_id)
        if client is None or client.merged_into_id is not None:
            raise NotFoundError(_("The client no longer exists."))
        if request.vehicle_id is not None and uow.session.get(Vehicle, request.vehicle_id) is None:
            raise ValidationError(_("The car chosen no longer exists."), "vehicle")
        kind = "test_drive" if request.demo_car_id is not None else "service"
        if kind == "service" and not request.jobs:
            raise ValidationError(_("Add at least one job to the booking."), "jobs")
        jobs = resolve_jobs(uow, request.vehicle_id, request.jobs)
        minutes = request.duration_minutes
        if minutes is None:
            minutes = round_up_minutes(sum((job.hours for job in jobs), Decimal(0))) if jobs else 60
        booking = Booking(
            kind=kind, client_id=client.id, vehicle_id=request.vehicle_id, bay_id=request.bay_id,
            demo_car_id=request.demo_car_id, starts_at=request.starts_at,
            ends_at=request.starts_at + timedelta(minutes=minutes), status=BookingStatus.BOOKED.value,
            comment=request.comment.strip(), source=request.source.strip(), created_by=uow.actor.login,
        )  # fmt: skip
        _place(uow, booking, jobs, tuple(dict.fromkeys(request.mechanic_ids)), zone)
        uow.session.add_all(
            BookingService(booking_id=booking.id, position=number, service_id=job.service_id, hours=job.hours,
                           package_id=job.package_id)
            for number, job in enumerate(jobs, start=1)
        )  # fmt: skip
        uow.session.flush()
        info = _info(uow, booking)
        audit.record(uow, "booking", booking.id, "create", None, _snapshot(info))
        timeline.add_event(
            uow, client.id, BOOKING_EVENT, _("Booked for {when}: {jobs}").format(
                when=_when(info.starts_at, zone), jobs=_jobs_text(info) or _("test drive")
            ), entity="booking", entity_id=booking.id,
        )  # fmt: skip
        domain_events.raise_event(uow, domain_events.BookingCreated(booking.id, client.id, booking.starts_at))
        uow.mark_changed("booking", booking.id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def move_booking(
    uow_factory: UnitOfWorkFactory,
    booking_id: int,
    version: int,
    starts_at: datetime,
    ends_at: datetime,
    zone: ZoneInfo,
    *,
    bay_id: int | None = None,
    mechanic_ids: tuple[int, ...] | None = None,
) -> BookingInfo:
    """Move or resize a booking, onto another bay or other mechanics if given; the same rules and guard apply."""

    def work(uow: UnitOfWork) -> BookingInfo:
        require_booking_editor(uow)
        booking = _load(uow, booking_id, version)
        if BookingStatus(booking.status) not in MOVABLE_STATUSES:
            raise ConflictError(
                _("A booking that is {status} cannot be moved.").format(
                    status=status_label(BookingStatus(booking.status)).lower()
                )
            )
        before = _info(uow, booking)
        booking.starts_at, booking.ends_at = starts_at, ends_at
        if bay_id is not None and booking.kind == "service":
            booking.bay_id = bay_id
        mechanics = before.mechanic_ids if mechanic_ids is None else tuple(dict.fromkeys(mechanic_ids))
        _place(uow, booking, before.jobs, mechanics, zone)
        uow.session.flush()
        info = _info(uow, booking)
        audit.record(uow, "booking", booking.id, "move", _snapshot(before), _snapshot(info))
        timeline.add_event(
            uow, booking.client_id, BOOKING_EVENT,
            _("Booking moved from {before} to {after}").format(
                before=_when(before.starts_at, zone), after=_when(info.starts_at, zone)
            ), entity="booking", entity_id=booking.id,
        )  # fmt: skip
        domain_events.raise_event(
            uow, domain_events.BookingMoved(booking.id, booking.client_id, before.starts_at, booking.starts_at)
        )
        uow.mark_changed("booking", booking.id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def set_status(
    uow_factory: UnitOfWorkFactory, booking_id: int, version: int, status: BookingStatus, zone: ZoneInfo,
    reason: str = "",
) -> BookingInfo:  # fmt: skip
    """Move the booking along booked → confirmed → arrived → in work → done, or to no-show / cancelled."""

    def work(uow: UnitOfWork) -> BookingInfo:
        require_booking_editor(uow)
        booking = _load(uow, booking_id, version)
        current = BookingStatus(booking.status)
        if status == current:
            return _info(uow, booking)
        if status not in NEXT_STATUSES[current]:
            raise ConflictError(
                _("A booking that is {current} cannot become {new}.").format(
                    current=status_label(current).lower(), new=status_label(status).lower()
                )
            )
        before = _info(uow, booking)
        booking.status = status.value
        if status not in HOLDING_STATUSES:  # the bay and the mechanics are free again
            for slot in uow.session.scalars(select(BookingSlot).where(BookingSlot.booking_id == booking.id)):
                slot.holds = False
        if reason.strip():
            booking.comment = (booking.comment + "\n" if booking.comment else "") + reason.strip()
        uow.session.flush()
        info = _info(uow, booking)
        audit.record(uow, "booking", booking.id, f"status:{status.value}", _snapshot(before), _snapshot(info))
        timeline.add_event(
            uow, booking.client_id, BOOKING_EVENT,
            _("Booking for {when}: {status}").format(when=_when(info.starts_at, zone), status=status_label(status)),
            body=reason.strip() or None, entity="booking", entity_id=booking.id,
        )  # fmt: skip
        if status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW):
            domain_events.raise_event(
                uow,
                domain_events.BookingCancelled(
                    booking.id, booking.client_id, booking.starts_at, status == BookingStatus.NO_SHOW
                ),
            )
        elif status == BookingStatus.ARRIVED:
            domain_events.raise_event(uow, domain_events.CarArrived(booking.id, booking.client_id, booking.vehicle_id))
        uow.mark_changed("booking", booking.id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def cancel_booking(
    uow_factory: UnitOfWorkFactory, booking_id: int, version: int, zone: ZoneInfo, reason: str = ""
) -> BookingInfo:
    return set_status(uow_factory, booking_id, version, BookingStatus.CANCELLED, zone, reason)


def get_booking(uow_factory: UnitOfWorkFactory, booking_id: int) -> BookingInfo:
    def work(uow: UnitOfWork) -> BookingInfo:
        booking = uow.session.get(Booking, booking_id)
        if booking is None:
            raise NotFoundError(_("The booking no longer exists."))
        return _info(uow, booking)

    return run_in_transaction(uow_factory, work, read_only=True)


def bookings_starting_between(
    uow_factory: UnitOfWorkFactory, starts_from: datetime, starts_before: datetime
) -> list[BookingInfo]:
    """Holding bookings that start in the window: the reminder job asks this for "tomorrow"."""

    def work(uow: UnitOfWork) -> list[BookingInfo]:
        rows = uow.session.scalars(
            select(Booking)
            .where(Booking.starts_at >= starts_from, Booking.starts_at < starts_before)
            .where(Booking.status.in_([status.value for status in HOLDING_STATUSES]))
            .order_by(Booking.starts_at, Booking.id)
        )
        return [_info(uow, booking) for booking in rows]

    return run_in_transaction(uow_factory, work, read_only=True)


def _load(uow: UnitOfWork, booking_id: int, version: int) -> Booking:
    booking = uow.session.get(Booking, booking_id)
    if booking is None:
        raise NotFoundError(_("The booking no longer exists."))
    if booking.version != version:
        raise ConflictError(_("Someone else has changed this booking in the meantime; look at it again."))
    return booking


def _info(uow: UnitOfWork, booking: Booking) -> BookingInfo:
    client = uow.session.get(Client, booking.client_id)
    vehicle = uow.session.get(Vehicle, booking.vehicle_id) if booking.vehicle_id is not None else None
    bay = uow.session.get(Bay, booking.bay_id) if booking.bay_id is not None else None
    mechanics = uow.session.execute(
        select(Mechanic.id, Mechanic.full_name)
        .join(booking_mechanics, booking_mechanics.c.mechanic_id == Mechanic.id)
        .where(booking_mechanics.c.booking_id == booking.id)
        .order_by(Mechanic.sort_order, Mechanic.full_name)
    ).all()
    jobs = uow.session.execute(
        select(BookingService, Service.name)
        .join(Service, Service.id == BookingService.service_id)
        .where(BookingService.booking_id == booking.id)
        .order_by(BookingService.position)
    ).all()
    if booking.kind == "test_drive" and booking.demo_car_id is not None:
        demo = uow.session.get(DemoCar, booking.demo_car_id)
        car, plate = (demo.name, demo.plate or "") if demo else ("", "")
    else:
        car = " ".join(part for part in (vehicle.make, vehicle.model) if part) if vehicle else ""
        plate = (vehicle.plate or "") if vehicle else ""
    status = BookingStatus(booking.status)
    return BookingInfo(
        id=booking.id, version=booking.version, kind=booking.kind, status=status, client_id=booking.client_id,
        client_name=client_name(client) if client else "", vehicle_id=booking.vehicle_id, car=car, plate=plate,
        starts_at=booking.starts_at, ends_at=booking.ends_at, bay_id=booking.bay_id, bay_name=bay.name if bay else "",
        demo_car_id=booking.demo_car_id, mechanic_ids=tuple(row[0] for row in mechanics),
        mechanic_names=tuple(row[1] for row in mechanics),
        jobs=tuple(BookedJob(line.service_id, name, line.hours, line.package_id) for line, name in jobs),
        comment=booking.comment, source=booking.source, next_statuses=NEXT_STATUSES[status],
    )  # fmt: skip


def _snapshot(info: BookingInfo) -> dict[str, object]:
    return {
        "status": info.status.value, "starts_at": info.starts_at, "ends_at": info.ends_at, "bay_id": info.bay_id,
        "mechanic_ids": list(info.mechanic_ids), "demo_car_id": info.demo_car_id,
        "jobs": [[job.service_id, job.hours] for job in info.jobs],
    }  # fmt: skip


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%d.%m.%Y %H:%M}"


def _jobs_text(info: BookingInfo) -> str:
    return ", ".join(job.name for job in info.jobs)
