"""The rules every booking change passes: equipment, skills, working hours, and no overlap on any resource.

The overlap check here names the booking in the way; the database guard (exclusion constraint or trigger on
`booking_slots`) catches the race this check cannot see, two desks writing the same minute, and
`flush_guarded` turns that refusal into the same kind of error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from autoservice_desk.i18n import _
from autoservice_desk.models.catalog import Equipment, Service, Skill, service_equipment
from autoservice_desk.models.clients import Client, Vehicle
from autoservice_desk.models.scheduling import Booking, BookingSlot, mechanic_skills
from autoservice_desk.services import resources
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.errors import ConflictError, ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork

GUARD_MARKERS = ("booking_overlap", "ex_booking_slots_no_overlap")
LIFT_EQUIPMENT = "lift"


class BookingConflictError(ConflictError):
    """The time is taken on a bay, lift, mechanic or demo car; *booking_id* is the booking in the way, if known."""

    def __init__(self, message: str, booking_id: int | None = None) -> None:
        super().__init__(message)
        self.booking_id = booking_id


def bay_key(bay_id: int) -> str:
    return f"bay:{bay_id}"


def mechanic_key(mechanic_id: int) -> str:
    return f"mechanic:{mechanic_id}"


def demo_car_key(demo_car_id: int) -> str:
    return f"demo_car:{demo_car_id}"


@dataclass(frozen=True)
class Requirements:
    """What a set of services needs: equipment on the bay and skills among the mechanics."""

    equipment: Mapping[int, str]  # id → name
    skills: Mapping[int, str]

    @property
    def needs_lift(self) -> bool:
        return any(code == LIFT_EQUIPMENT for code in self.equipment.values())


def requirements_of(uow: UnitOfWork, service_ids: Iterable[int]) -> Requirements:
    ids = list(set(service_ids))
    equipment = dict(
        uow.session.execute(
            select(Equipment.id, Equipment.name)
            .join(service_equipment, service_equipment.c.equipment_id == Equipment.id)
            .where(service_equipment.c.service_id.in_(ids))
        ).all()
    )
    skills = dict(
        uow.session.execute(
            select(Skill.id, Skill.name).join(Service, Service.skill_id == Skill.id).where(Service.id.in_(ids))
        ).all()
    )
    return Requirements(equipment, skills)


def bay_equipment_ids(uow: UnitOfWork, bay_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """The equipment of each bay; a lift bay has the lift equipment whether or not it was ticked."""
    from autoservice_desk.models.scheduling import Bay, bay_equipment

    ids = list(bay_ids)
    lift_id = uow.session.scalar(select(Equipment.id).where(Equipment.code == LIFT_EQUIPMENT))
    found: dict[int, set[int]] = {bay_id: set() for bay_id in ids}
    for bay_id, equipment_id in uow.session.execute(
        select(bay_equipment.c.bay_id, bay_equipment.c.equipment_id).where(bay_equipment.c.bay_id.in_(ids))
    ):
        found[bay_id].add(equipment_id)
    if lift_id is not None:
        for bay_id in uow.session.scalars(select(Bay.id).where(Bay.id.in_(ids), Bay.is_lift)):
            found[bay_id].add(lift_id)
    return {bay_id: frozenset(items) for bay_id, items in found.items()}


def mechanic_skill_ids(uow: UnitOfWork, mechanic_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    ids = list(mechanic_ids)
    found: dict[int, set[int]] = {mechanic_id: set() for mechanic_id in ids}
    for mechanic_id, skill_id in uow.session.execute(
        select(mechanic_skills.c.mechanic_id, mechanic_skills.c.skill_id).where(mechanic_skills.c.mechanic_id.in_(ids))
    ):
        found[mechanic_id].add(skill_id)
    return {mechanic_id: frozenset(items) for mechanic_id, items in found.items()}


def check_equipment(uow: UnitOfWork, bay_id: int, bay_name: str, needs: Requirements) -> None:
    missing = set(needs.equipment) - bay_equipment_ids(uow, [bay_id])[bay_id]
    if missing:
        names = ", ".join(sorted(needs.equipment[item] for item in missing))
        raise ValidationError(
            _("{bay} does not have what the job needs: {equipment}.").format(bay=bay_name, equipment=names), "bay"
        )


def check_skills(uow: UnitOfWork, mechanic_ids: Iterable[int], needs: Requirements) -> None:
    """Every skill the jobs need must be held by at least one of the booked mechanics (none booked: checked later)."""
    ids = list(mechanic_ids)
    if not ids or not needs.skills:
        return
    held = set().union(*mechanic_skill_ids(uow, ids).values())
    missing = set(needs.skills) - held
    if missing:
        names = ", ".join(sorted(needs.skills[item] for item in missing))
        raise ValidationError(
            _("None of the chosen mechanics has the skill the job needs: {skills}.").format(skills=names), "mechanics"
        )


Owner = tuple[str, int | None, str]  # (kind, id, name): ("bay", 3, "Подъёмник 1"), ("shop", None, "The shop")


def check_working_hours(
    uow: UnitOfWork, owners: Iterable[Owner], starts_at: datetime, ends_at: datetime, zone: ZoneInfo
) -> None:
    """Each (kind, id, name) owner must be open for the whole booking, inside one open period of its day."""
    local_start = starts_at.astimezone(zone)
    for kind, owner_id, name in owners:
        periods = resources.open_periods(uow, kind, owner_id, local_start.date(), zone)
        # Compared as instants (UTC), not as wall-clock times of one zone, so a DST night cannot fool it.
        if not any(_instant(opens) <= _instant(starts_at) and _instant(ends_at) <= _instant(closes)
                   for opens, closes in periods):  # fmt: skip
            if periods:
                hours = ", ".join(
                    f"{opens.astimezone(zone):%H:%M}–{closes.astimezone(zone):%H:%M}" for opens, closes in periods
                )
                message = _("{name} works {hours} that day; the booking does not fit.").format(name=name, hours=hours)
            else:
                message = _("{name} does not work that day.").format(name=name)
            raise ValidationError(message, "starts_at")


def check_free(
    uow: UnitOfWork,
    resources_by_key: Mapping[str, str],
    starts_at: datetime,
    ends_at: datetime,
    zone: ZoneInfo,
    exclude_booking_id: int | None = None,
) -> None:
    """Refuse when any resource (key → name) is held by another booking at an overlapping time; name that booking."""
    statement = (
        select(BookingSlot.resource, Booking, Client, Vehicle)
        .join(Booking, Booking.id == BookingSlot.booking_id)
        .join(Client, Client.id == Booking.client_id)
        .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
        .where(
            BookingSlot.resource.in_(list(resources_by_key)),
            BookingSlot.holds,
            BookingSlot.starts_at < ends_at,
            BookingSlot.ends_at > starts_at,
        )
        .order_by(BookingSlot.starts_at)
        .limit(1)
    )
    if exclude_booking_id is not None:
        statement = statement.where(BookingSlot.booking_id != exclude_booking_id)
    row = uow.session.execute(statement).first()
    if row is None:
        return
    key, other, client, vehicle = row
    car = " ".join(part for part in (vehicle.make, vehicle.model, vehicle.plate) if part) if vehicle else ""
    raise BookingConflictError(
        _("{resource} is taken {start}–{end} by {client}{car}.").format(
            resource=resources_by_key[key],
            start=_local_text(other.starts_at, starts_at, zone),
            end=f"{other.ends_at.astimezone(zone):%H:%M}",
            client=client_name(client),
            car=f" ({car})" if car else "",
        ),
        other.id,
    )


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _local_text(moment: datetime, reference: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    if local.date() == reference.astimezone(zone).date():
        return f"{local:%H:%M}"
    return f"{local:%d.%m %H:%M}"


def flush_guarded(uow: UnitOfWork, resources_by_key: Mapping[str, str]) -> None:
    """Flush; a refusal by the database's overlap guard becomes a BookingConflictError naming the resource."""
    try:
        uow.session.flush()
    except IntegrityError as error:
        text = str(error.orig)
        if not any(marker in text for marker in GUARD_MARKERS):
            raise
        named = [name for key, name in resources_by_key.items() if f"({key}," in text]
        resource = named[0] if named else ", ".join(resources_by_key.values())
        raise BookingConflictError(
            _("{resource} was booked by another desk at this very moment; choose another time.").format(
                resource=resource
            )
        ) from error


def minutes_between(starts_at: datetime, ends_at: datetime) -> int:
    return int((ends_at - starts_at) / timedelta(minutes=1))
