"""Cars on client cards: create and change them, their mileage log and their owners over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Client, MileageReading, Vehicle, VehicleOwnership
from autoservice_desk.models.security import User
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.clients import ClientRef, client_name, load_client, reindex, require_editor
from autoservice_desk.services.errors import ConflictError, FieldErrors, NotFoundError, ValidationError
from autoservice_desk.services.identity import VinInfo, parse_chassis_number, parse_plate, parse_vin
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

FIRST_CAR_YEAR = 1900
MAX_KILOMETRES = 9_999_999


@dataclass(frozen=True)
class VehicleForm:
    """The car form as typed; `vin` or `chassis_number` (or neither, for a car not yet identified)."""

    make: str = ""
    model: str = ""
    year: str = ""
    vin: str = ""
    chassis_number: str = ""
    plate: str = ""
    engine: str = ""
    colour: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CleanVehicle:
    make: str
    model: str
    year: int | None
    vin: str | None
    chassis_number: str | None
    plate: str | None
    engine: str | None
    colour: str | None
    notes: str | None
    warnings: tuple[str, ...] = ()

    def columns(self) -> dict[str, object]:
        names = ("make", "model", "year", "vin", "chassis_number", "plate", "engine", "colour", "notes")
        return {name: getattr(self, name) for name in names}


class DuplicateVehicleError(ConflictError):
    """A car with this VIN or plate exists; the screen offers the card of its owner."""

    def __init__(self, vehicle_id: int, owner: ClientRef | None, field: str) -> None:
        if field == "vin":
            message = _("A car with this VIN is already registered")
        else:
            message = _("A car with this plate is already registered")
        owner_text = _(" (owner: {name})").format(name=owner.name) if owner else ""
        super().__init__(message + owner_text + ".")
        self.vehicle_id, self.owner, self.field = vehicle_id, owner, field


class LowerMileageError(ConflictError):
    """The reading is below the last one; saving it needs the person's confirmation (an odometer swap, a typo)."""

    def __init__(self, last: int, last_on: date) -> None:
        super().__init__(
            _("The last reading was {last} km on {day}; the new one is lower. Save it anyway?").format(
                last=last, day=last_on.isoformat()
            )
        )
        self.last, self.last_on = last, last_on


@dataclass(frozen=True)
class MileageEntry:
    read_on: date
    kilometres: int
    source: str
    recorded_by: str | None


@dataclass(frozen=True)
class OwnershipEntry:
    client: ClientRef
    since: date
    until: date | None


@dataclass(frozen=True)
class VehicleCard:
    id: int
    version: int
    form: VehicleForm
    owner: ClientRef | None
    mileage: tuple[MileageEntry, ...]  # oldest first
    owners: tuple[OwnershipEntry, ...]  # oldest first


def _text(value: str, limit: int, field: str, problems: dict[str, str]) -> str | None:
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        problems[field] = _("No more than {count} characters.").format(count=limit)
    return cleaned or None


def clean_vehicle_form(form: VehicleForm, *, today: date) -> CleanVehicle:
    """Check every field; raise `FieldErrors`, or return stored values (VIN in Latin, Russian plates in Cyrillic)."""
    problems: dict[str, str] = {}
    warnings: list[str] = []
    make = _text(form.make, 60, "make", problems)
    model = _text(form.model, 80, "model", problems)
    if not make:
        problems["make"] = _("Enter the make.")
    if not model:
        problems["model"] = _("Enter the model.")
    year = None
    if form.year.strip():
        if not form.year.strip().isdigit() or not FIRST_CAR_YEAR <= int(form.year) <= today.year + 1:
            problems["year"] = _("The year is from {first} to {last}.").format(
                first=FIRST_CAR_YEAR, last=today.year + 1
            )
        else:
            year = int(form.year)
    vin = chassis = plate = None
    try:
        vin_info = parse_vin(form.vin, today=today) if form.vin.strip() else None
        vin = vin_info.vin if vin_info else None
        warnings += vin_info.warnings if vin_info else ()
    except ValidationError as error:
        problems["vin"] = error.message
    try:
        chassis = parse_chassis_number(form.chassis_number) if form.chassis_number.strip() else None
    except ValidationError as error:
        problems["chassis_number"] = error.message
    try:
        plate = parse_plate(form.plate).plate if form.plate.strip() else None
    except ValidationError as error:
        problems["plate"] = error.message
    engine = _text(form.engine, 80, "engine", problems)
    colour = _text(form.colour, 40, "colour", problems)
    if problems:
        raise FieldErrors(problems)
    assert make is not None and model is not None
    notes = form.notes.strip() or None
    return CleanVehicle(make, model, year, vin, chassis, plate, engine, colour, notes, tuple(warnings))


def describe_vin(text: str, *, today: date) -> VinInfo:
    """What a typed VIN tells the form (make and year to pre-fill, warnings); raises `ValidationError`."""
    return parse_vin(text, today=today)


def _duplicate(uow: UnitOfWork, clean: CleanVehicle, exclude_id: int | None) -> DuplicateVehicleError | None:
    for field, value in (("vin", clean.vin), ("plate", clean.plate)):
        if value is None:
            continue
        column = Vehicle.vin if field == "vin" else Vehicle.plate
        statement = select(Vehicle).where(column == value)
        if exclude_id is not None:
            statement = statement.where(Vehicle.id != exclude_id)
        if (car := uow.session.scalars(statement.limit(1)).first()) is not None:
            owner = ClientRef(car.owner.id, client_name(car.owner)) if car.owner else None
            return DuplicateVehicleError(car.id, owner, field)
    return None


def _describe(clean: CleanVehicle) -> str:
    parts = [f"{clean.make} {clean.model}", clean.plate or "", clean.vin or clean.chassis_number or ""]
    return ", ".join(part for part in parts if part)


def create_vehicle(
    uow_factory: UnitOfWorkFactory,
    owner_id: int,
    form: VehicleForm,
    *,
    mileage: int | None = None,
    allow_duplicate: bool = False,
) -> int:
    """Add a car to *owner_id*'s card, optionally with its first mileage reading; returns the car's id."""

    def work(uow: UnitOfWork) -> int:
        require_editor(uow)
        today = uow.clock().date()
        clean = clean_vehicle_form(form, today=today)
        owner = load_client(uow, owner_id, for_update=True)
        if not allow_duplicate and (duplicate := _duplicate(uow, clean, None)) is not None:
            raise duplicate
        car = Vehicle(owner_id=owner.id, **clean.columns())
        uow.session.add(car)
        uow.session.flush()
        uow.session.add(VehicleOwnership(vehicle_id=car.id, client_id=owner.id, since=today))
        if mileage is not None:
            _add_reading(uow, car.id, mileage, today, "manual")
        reindex(uow, owner)
        audit.record(uow, "vehicle", car.id, "create", None, {**clean.columns(), "owner_id": owner.id})
        summary = _("Car added: {car}").format(car=_describe(clean))
        timeline.add_event(uow, owner.id, timeline.VEHICLE, summary, entity="vehicle", entity_id=car.id)
        uow.mark_changed("vehicle", car.id)
        uow.mark_changed("client", owner.id)
        uow.commit()
        return car.id

    return run_in_transaction(uow_factory, work)


def _load_vehicle(uow: UnitOfWork, vehicle_id: int, *, for_update: bool = False) -> Vehicle:
    statement = select(Vehicle).where(Vehicle.id == vehicle_id)
    car = uow.session.scalar(statement.with_for_update() if for_update else statement)
    if car is None:
        raise NotFoundError(_("The car no longer exists."))
    return car


def update_vehicle(
    uow_factory: UnitOfWorkFactory, vehicle_id: int, version: int, form: VehicleForm, *, allow_duplicate: bool = False
) -> None:
    """Save *form* over the car read at *version*."""

    def work(uow: UnitOfWork) -> None:
        require_editor(uow)
        car = _load_vehicle(uow, vehicle_id, for_update=True)
        if car.version != version:
            raise ConflictError(
                _("Someone else has changed this car in the meantime; reopen it and make your change again.")
            )
        clean = clean_vehicle_form(form, today=uow.clock().date())
        if not allow_duplicate and (duplicate := _duplicate(uow, clean, vehicle_id)) is not None:
            raise duplicate
        before = {name: getattr(car, name) for name in clean.columns()}
        changed = {name: value for name, value in clean.columns().items() if before[name] != value}
        if not changed:
            return
        for name, value in changed.items():
            setattr(car, name, value)
        uow.session.flush()
        if car.owner is not None:
            reindex(uow, car.owner)
            summary = _("Car changed: {car}").format(car=_describe(clean))
            timeline.add_event(uow, car.owner.id, timeline.VEHICLE, summary, entity="vehicle", entity_id=car.id)
        audit.record(uow, "vehicle", vehicle_id, "update", {name: before[name] for name in changed}, changed)
        uow.mark_changed("vehicle", vehicle_id)
        if car.owner_id is not None:
            uow.mark_changed("client", car.owner_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def get_vehicle(uow_factory: UnitOfWorkFactory, vehicle_id: int) -> VehicleCard:
    def work(uow: UnitOfWork) -> VehicleCard:
        car = _load_vehicle(uow, vehicle_id)
        readings = uow.session.execute(
            select(MileageReading, User.login)
            .outerjoin(User, User.id == MileageReading.recorded_by_id)
            .where(MileageReading.vehicle_id == vehicle_id)
            .order_by(MileageReading.read_on, MileageReading.id)
        )
        owners = uow.session.execute(
            select(VehicleOwnership, Client)
            .join(Client, Client.id == VehicleOwnership.client_id)
            .where(VehicleOwnership.vehicle_id == vehicle_id)
            .order_by(VehicleOwnership.since, VehicleOwnership.id)
        )
        form = VehicleForm(
            car.make, car.model, str(car.year or ""), car.vin or "", car.chassis_number or "", car.plate or "",
            car.engine or "", car.colour or "", car.notes or "",
        )  # fmt: skip
        return VehicleCard(
            car.id, car.version, form, ClientRef(car.owner.id, client_name(car.owner)) if car.owner else None,
            tuple(MileageEntry(row.read_on, row.kilometres, row.source, login) for row, login in readings),
            tuple(OwnershipEntry(ClientRef(client.id, client_name(client)), row.since, row.until)
                  for row, client in owners),
        )  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def _add_reading(uow: UnitOfWork, vehicle_id: int, kilometres: int, read_on: date, source: str) -> None:
    if not 0 <= kilometres <= MAX_KILOMETRES:
        raise ValidationError(_("The mileage is from 0 to {max} km.").format(max=MAX_KILOMETRES), "kilometres")
    uow.session.add(
        MileageReading(
            vehicle_id=vehicle_id, read_on=read_on, kilometres=kilometres, source=source, recorded_at=uow.clock(),
            recorded_by_id=uow.actor.user_id,
        )
    )  # fmt: skip


def add_mileage(
    uow: UnitOfWork, vehicle_id: int, kilometres: int, read_on: date, *, source: str, confirm_lower: bool
) -> None:
    """Add a reading inside the caller's unit of work (the work-order intake uses this too)."""
    car = _load_vehicle(uow, vehicle_id, for_update=True)
    if read_on > uow.clock().date():
        raise ValidationError(_("The reading date cannot be in the future."), "read_on")
    last = uow.session.execute(
        select(MileageReading.kilometres, MileageReading.read_on)
        .where(MileageReading.vehicle_id == vehicle_id, MileageReading.read_on <= read_on)
        .order_by(MileageReading.read_on.desc(), MileageReading.id.desc())
        .limit(1)
    ).first()
    if last is not None and kilometres < last.kilometres and not confirm_lower:
        raise LowerMileageError(last.kilometres, last.read_on)
    _add_reading(uow, vehicle_id, kilometres, read_on, source)
    audit.record(uow, "vehicle", vehicle_id, "mileage", None, {"kilometres": kilometres, "read_on": read_on})
    uow.mark_changed("vehicle", car.id)


def record_mileage(
    uow_factory: UnitOfWorkFactory, vehicle_id: int, kilometres: int, read_on: date, *, confirm_lower: bool = False
) -> None:
    """Add an odometer reading; one below the previous reading raises `LowerMileageError` unless confirmed."""

    def work(uow: UnitOfWork) -> None:
        require_editor(uow)
        add_mileage(uow, vehicle_id, kilometres, read_on, source="manual", confirm_lower=confirm_lower)
        uow.commit()

    run_in_transaction(uow_factory, work)


def change_owner(uow_factory: UnitOfWorkFactory, vehicle_id: int, new_owner_id: int, on_date: date) -> None:
    """The car passes to *new_owner_id* on *on_date*; the old ownership is closed, the history stays with the car."""

    def work(uow: UnitOfWork) -> None:
        require_editor(uow)
        car = _load_vehicle(uow, vehicle_id, for_update=True)
        new_owner = load_client(uow, new_owner_id, for_update=True)
        if car.owner_id == new_owner_id:
            raise ValidationError(_("The car already belongs to this client."), "owner")
        if on_date > uow.clock().date():
            raise ValidationError(_("The date of the change cannot be in the future."), "on_date")
        current = uow.session.scalars(
            select(VehicleOwnership).where(VehicleOwnership.vehicle_id == vehicle_id, VehicleOwnership.until.is_(None))
        ).all()
        for ownership in current:
            if on_date < ownership.since:
                raise ValidationError(
                    _("The current owner has had the car since {day}; the change cannot be earlier.").format(
                        day=ownership.since.isoformat()
                    ),
                    "on_date",
                )
            ownership.until = on_date
        old_owner = car.owner
        car.owner_id = new_owner.id
        uow.session.add(VehicleOwnership(vehicle_id=car.id, client_id=new_owner.id, since=on_date))
        uow.session.flush()
        uow.session.expire(car, ["owner"])
        description = f"{car.make} {car.model} {car.plate or car.vin or ''}".strip()
        if old_owner is not None:
            reindex(uow, old_owner)
            timeline.add_event(
                uow, old_owner.id, timeline.VEHICLE,
                _("Car passed to {name}: {car}").format(name=client_name(new_owner), car=description),
                entity="vehicle", entity_id=car.id,
            )  # fmt: skip
            uow.mark_changed("client", old_owner.id)
        reindex(uow, new_owner)
        timeline.add_event(
            uow, new_owner.id, timeline.VEHICLE, _("Car taken over: {car}").format(car=description),
            entity="vehicle", entity_id=car.id,
        )  # fmt: skip
        audit.record(
            uow, "vehicle", car.id, "change_owner", {"owner_id": old_owner.id if old_owner else None},
            {"owner_id": new_owner.id, "on_date": on_date},
        )  # fmt: skip
        uow.mark_changed("vehicle", car.id)
        uow.mark_changed("client", new_owner.id)
        uow.commit()

    run_in_transaction(uow_factory, work)
