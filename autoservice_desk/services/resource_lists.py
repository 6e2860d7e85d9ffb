"""What the schedule books: bays (lifts among them) with their equipment, mechanics with their skills, demo cars."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select

from autoservice_desk.i18n import _
from autoservice_desk.models.catalog import Equipment, Skill
from autoservice_desk.models.clients import Vehicle
from autoservice_desk.models.scheduling import Bay, DemoCar, Mechanic, bay_equipment, mechanic_skills
from autoservice_desk.models.security import User
from autoservice_desk.services import audit
from autoservice_desk.services.errors import FieldErrors, NotFoundError, ValidationError
from autoservice_desk.services.form_values import clean_text
from autoservice_desk.services.identity import parse_plate
from autoservice_desk.services.resources import require_schedule_editor
from autoservice_desk.services.text_keys import fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


@dataclass(frozen=True)
class BayInfo:
    id: int
    name: str
    group: str
    is_lift: bool
    equipment_ids: frozenset[int]
    active: bool
    sort_order: int


@dataclass(frozen=True)
class BayForm:
    name: str = ""
    group: str = ""
    is_lift: bool = False
    equipment_ids: frozenset[int] = frozenset()
    active: bool = True


@dataclass(frozen=True)
class MechanicInfo:
    id: int
    full_name: str
    user_id: int | None
    user_login: str | None
    skill_ids: frozenset[int]
    active: bool
    sort_order: int


@dataclass(frozen=True)
class MechanicForm:
    full_name: str = ""
    user_id: int | None = None
    skill_ids: frozenset[int] = frozenset()
    active: bool = True


@dataclass(frozen=True)
class DemoCarInfo:
    id: int
    name: str
    plate: str | None
    vehicle_id: int | None
    active: bool


@dataclass(frozen=True)
class DemoCarForm:
    name: str = ""
    plate: str = ""
    vehicle_id: int | None = None
    active: bool = True


def _links(uow: UnitOfWork, table: Table, owner: str, item: str) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = {}
    for owner_id, item_id in uow.session.execute(select(table.c[owner], table.c[item])):
        found.setdefault(owner_id, set()).add(item_id)
    return {owner_id: frozenset(items) for owner_id, items in found.items()}


def _set_links(uow: UnitOfWork, table: Table, owner: str, owner_id: int, item: str, ids: frozenset[int]) -> None:
    uow.session.execute(delete(table).where(table.c[owner] == owner_id))
    if ids:
        uow.session.execute(insert(table), [{owner: owner_id, item: item_id} for item_id in sorted(ids)])


def _check_ids(uow: UnitOfWork, model: type[Equipment] | type[Skill], ids: frozenset[int], field: str,
               problems: dict[str, str]) -> None:  # fmt: skip
    if ids and set(uow.session.scalars(select(model.id).where(model.id.in_(list(ids))))) != set(ids):
        problems[field] = _("Some of the ticked entries are no longer in the list.")


def _reorder(uow: UnitOfWork, model: type[Bay] | type[Mechanic], ids: Sequence[int]) -> None:
    found = cast(Sequence[Bay | Mechanic], uow.session.scalars(select(model).where(model.id.in_(list(ids)))).all())
    rows = {row.id: row for row in found}
    for position, row_id in enumerate(ids, start=1):
        if row_id in rows:
            rows[row_id].sort_order = position


# --- Bays -------------------------------------------------------------------------------------------------------


def list_bays(uow_factory: UnitOfWorkFactory, *, active_only: bool = False) -> list[BayInfo]:
    """Bays in the schedule's order."""

    def work(uow: UnitOfWork) -> list[BayInfo]:
        equipment = _links(uow, bay_equipment, "bay_id", "equipment_id")
        query = select(Bay).order_by(Bay.sort_order, Bay.name)
        return [
            BayInfo(row.id, row.name, row.group_name, row.is_lift, equipment.get(row.id, frozenset()), row.active,
                    row.sort_order)
            for row in uow.session.scalars(query.where(Bay.active) if active_only else query)
        ]  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def _clean_bay(uow: UnitOfWork, form: BayForm, exclude_id: int | None) -> tuple[str, str]:
    problems: dict[str, str] = {}
    name = clean_text(form.name, 60, "name", problems, required=_("Enter the name of the bay."))
    group = clean_text(form.group, 60, "group", problems)
    others = uow.session.execute(select(Bay.id, Bay.name))
    if name and any(fold_text(other) == fold_text(name) for other_id, other in others if other_id != exclude_id):
        problems["name"] = _("A bay with this name already exists.")
    _check_ids(uow, Equipment, form.equipment_ids, "equipment_ids", problems)
    if problems:
        raise FieldErrors(problems)
    return name, group


def _bay_state(bay: Bay, equipment_ids: frozenset[int]) -> dict[str, Any]:
    return {"name": bay.name, "group": bay.group_name, "is_lift": bay.is_lift, "active": bay.active,
            "equipment_ids": sorted(equipment_ids)}  # fmt: skip


def create_bay(uow_factory: UnitOfWorkFactory, form: BayForm) -> int:
    """Add a bay at the end of the schedule; returns its id."""

    def work(uow: UnitOfWork) -> int:
        require_schedule_editor(uow)
        name, group = _clean_bay(uow, form, None)
        last = uow.session.scalar(select(func.max(Bay.sort_order))) or 0
        bay = Bay(name=name, group_name=group, is_lift=form.is_lift, active=form.active, sort_order=last + 1)
        uow.session.add(bay)
        uow.session.flush()
        _set_links(uow, bay_equipment, "bay_id", bay.id, "equipment_id", form.equipment_ids)
        audit.record(uow, "bay", bay.id, "create", None, _bay_state(bay, form.equipment_ids))
        uow.mark_changed("resources", bay.id)
        uow.commit()
        return bay.id

    return run_in_transaction(uow_factory, work)


def update_bay(uow_factory: UnitOfWorkFactory, bay_id: int, form: BayForm) -> None:
    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        bay = uow.session.get(Bay, bay_id, with_for_update=True)
        if bay is None:
            raise NotFoundError(_("The bay no longer exists."))
        name, group = _clean_bay(uow, form, bay_id)
        before = _bay_state(bay, _links(uow, bay_equipment, "bay_id", "equipment_id").get(bay_id, frozenset()))
        bay.name, bay.group_name, bay.is_lift, bay.active = name, group, form.is_lift, form.active
        after = _bay_state(bay, form.equipment_ids)
        changed = {key: value for key, value in after.items() if before[key] != value}
        if not changed:
            return
        _set_links(uow, bay_equipment, "bay_id", bay_id, "equipment_id", form.equipment_ids)
        audit.record(uow, "bay", bay_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("resources", bay_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def reorder_bays(uow_factory: UnitOfWorkFactory, bay_ids: Sequence[int]) -> None:
    """Put the bays in this order on the schedule (ids missing from the list keep their place numbers)."""

    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        _reorder(uow, Bay, bay_ids)
        audit.record(uow, "bay", "order", "reorder", None, {"order": list(bay_ids)})
        uow.mark_changed("resources")
        uow.commit()

    run_in_transaction(uow_factory, work)


# --- Mechanics --------------------------------------------------------------------------------------------------


def list_mechanics(uow_factory: UnitOfWorkFactory, *, active_only: bool = False) -> list[MechanicInfo]:
    def work(uow: UnitOfWork) -> list[MechanicInfo]:
        skills = _links(uow, mechanic_skills, "mechanic_id", "skill_id")
        query = (
            select(Mechanic, User.login)
            .outerjoin(User, User.id == Mechanic.user_id)
            .order_by(Mechanic.sort_order, Mechanic.full_name)
        )
        return [
            MechanicInfo(row.id, row.full_name, row.user_id, login, skills.get(row.id, frozenset()), row.active,
                         row.sort_order)
            for row, login in uow.session.execute(query.where(Mechanic.active) if active_only else query)
        ]  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def _clean_mechanic(uow: UnitOfWork, form: MechanicForm) -> str:
    problems: dict[str, str] = {}
    name = clean_text(form.full_name, 200, "full_name", problems, required=_("Enter the mechanic's name."))
    if form.user_id is not None and uow.session.get(User, form.user_id) is None:
        problems["user_id"] = _("The user account no longer exists.")
    _check_ids(uow, Skill, form.skill_ids, "skill_ids", problems)
    if problems:
        raise FieldErrors(problems)
    return name


def _mechanic_state(mechanic: Mechanic, skill_ids: frozenset[int]) -> dict[str, Any]:
    return {"full_name": mechanic.full_name, "user_id": mechanic.user_id, "active": mechanic.active,
            "skill_ids": sorted(skill_ids)}  # fmt: skip


def create_mechanic(uow_factory: UnitOfWorkFactory, form: MechanicForm) -> int:
    def work(uow: UnitOfWork) -> int:
        require_schedule_editor(uow)
        name = _clean_mechanic(uow, form)
        last = uow.session.scalar(select(func.max(Mechanic.sort_order))) or 0
        mechanic = Mechanic(full_name=name, user_id=form.user_id, active=form.active, sort_order=last + 1)
        uow.session.add(mechanic)
        uow.session.flush()
        _set_links(uow, mechanic_skills, "mechanic_id", mechanic.id, "skill_id", form.skill_ids)
        audit.record(uow, "mechanic", mechanic.id, "create", None, _mechanic_state(mechanic, form.skill_ids))
        uow.mark_changed("resources", mechanic.id)
        uow.commit()
        return mechanic.id

    return run_in_transaction(uow_factory, work)


def update_mechanic(uow_factory: UnitOfWorkFactory, mechanic_id: int, form: MechanicForm) -> None:
    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        mechanic = uow.session.get(Mechanic, mechanic_id, with_for_update=True)
        if mechanic is None:
            raise NotFoundError(_("The mechanic no longer exists."))
        name = _clean_mechanic(uow, form)
        held = _links(uow, mechanic_skills, "mechanic_id", "skill_id").get(mechanic_id, frozenset())
        before = _mechanic_state(mechanic, held)
        mechanic.full_name, mechanic.user_id, mechanic.active = name, form.user_id, form.active
        after = _mechanic_state(mechanic, form.skill_ids)
        changed = {key: value for key, value in after.items() if before[key] != value}
        if not changed:
            return
        _set_links(uow, mechanic_skills, "mechanic_id", mechanic_id, "skill_id", form.skill_ids)
        audit.record(uow, "mechanic", mechanic_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("resources", mechanic_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def reorder_mechanics(uow_factory: UnitOfWorkFactory, mechanic_ids: Sequence[int]) -> None:
    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        _reorder(uow, Mechanic, mechanic_ids)
        audit.record(uow, "mechanic", "order", "reorder", None, {"order": list(mechanic_ids)})
        uow.mark_changed("resources")
        uow.commit()

    run_in_transaction(uow_factory, work)


# --- Demo cars --------------------------------------------------------------------------------------------------


def list_demo_cars(uow_factory: UnitOfWorkFactory, *, active_only: bool = False) -> list[DemoCarInfo]:
    def work(uow: UnitOfWork) -> list[DemoCarInfo]:
        query = select(DemoCar).order_by(DemoCar.name, DemoCar.id)
        return [
            DemoCarInfo(row.id, row.name, row.plate, row.vehicle_id, row.active)
            for row in uow.session.scalars(query.where(DemoCar.active) if active_only else query)
        ]

    return run_in_transaction(uow_factory, work, read_only=True)


def _clean_demo_car(uow: UnitOfWork, form: DemoCarForm) -> tuple[str, str | None]:
    problems: dict[str, str] = {}
    name = clean_text(form.name, 100, "name", problems, required=_("Enter the name of the car."))
    plate = None
    if form.plate.strip():
        try:
            plate = parse_plate(form.plate).plate
        except ValidationError as error:
            problems["plate"] = error.message
    if form.vehicle_id is not None and uow.session.get(Vehicle, form.vehicle_id) is None:
        problems["vehicle_id"] = _("The car no longer exists.")
    if problems:
        raise FieldErrors(problems)
    return name, plate


def _demo_state(car: DemoCar) -> dict[str, Any]:
    return {"name": car.name, "plate": car.plate, "vehicle_id": car.vehicle_id, "active": car.active}


def create_demo_car(uow_factory: UnitOfWorkFactory, form: DemoCarForm) -> int:
    def work(uow: UnitOfWork) -> int:
        require_schedule_editor(uow)
        name, plate = _clean_demo_car(uow, form)
        car = DemoCar(name=name, plate=plate, vehicle_id=form.vehicle_id, active=form.active)
        uow.session.add(car)
        uow.session.flush()
        audit.record(uow, "demo_car", car.id, "create", None, _demo_state(car))
        uow.mark_changed("resources", car.id)
        uow.commit()
        return car.id

    return run_in_transaction(uow_factory, work)


def update_demo_car(uow_factory: UnitOfWorkFactory, demo_car_id: int, form: DemoCarForm) -> None:
    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        car = uow.session.get(DemoCar, demo_car_id, with_for_update=True)
        if car is None:
            raise NotFoundError(_("The demo car no longer exists."))
        name, plate = _clean_demo_car(uow, form)
        before = _demo_state(car)
        car.name, car.plate, car.vehicle_id, car.active = name, plate, form.vehicle_id, form.active
        after = _demo_state(car)
        changed = {key: value for key, value in after.items() if before[key] != value}
        if not changed:
            return
        audit.record(uow, "demo_car", demo_car_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("resources", demo_car_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
