"""The editable make and model list the car form completes from (seeded with the makes common in Russia)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import VehicleMake, VehicleModel
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

EDITOR_ROLES = ("advisor", "manager")


@dataclass(frozen=True)
class MakeEntry:
    id: int
    name: str
    models: tuple[tuple[int, str], ...]  # (id, name), alphabetical


def list_makes(uow_factory: UnitOfWorkFactory) -> list[MakeEntry]:
    """Every make with its models, alphabetical (a few thousand rows: the form loads it once)."""

    def work(uow: UnitOfWork) -> list[MakeEntry]:
        makes = uow.session.execute(select(VehicleMake.id, VehicleMake.name)).all()
        models: dict[int, list[tuple[int, str]]] = {}
        for model_id, make_id, name in uow.session.execute(
            select(VehicleModel.id, VehicleModel.make_id, VehicleModel.name)
        ):
            models.setdefault(make_id, []).append((model_id, name))
        return sorted(
            (MakeEntry(make_id, name, tuple(sorted(models.get(make_id, []), key=lambda item: item[1].casefold())))
             for make_id, name in makes),
            key=lambda entry: entry.name.casefold(),
        )  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def _name(text: str, limit: int) -> str:
    name = " ".join(text.split())
    if not name:
        raise ValidationError(_("Enter a name."), "name")
    if len(name) > limit:
        raise ValidationError(_("No more than {count} characters.").format(count=limit), "name")
    return name


def _require(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*EDITOR_ROLES):
        raise PermissionDeniedError(_("Only service advisors, managers and administrators can edit the make list."))


def add_make(uow_factory: UnitOfWorkFactory, name: str) -> int:
    clean = _name(name, 60)

    def work(uow: UnitOfWork) -> int:
        _require(uow)
        # Compared in Python: SQLite's lower() folds only ASCII letters, and the list is small.
        if clean.casefold() in {name.casefold() for name in uow.session.scalars(select(VehicleMake.name))}:
            raise ConflictError(_("The make {name} is already in the list.").format(name=clean))
        make = VehicleMake(name=clean)
        uow.session.add(make)
        uow.session.flush()
        audit.record(uow, "vehicle_make", make.id, "create", None, {"name": clean})
        uow.mark_changed("vehicle_reference")
        uow.commit()
        return make.id

    return run_in_transaction(uow_factory, work)


def add_model(uow_factory: UnitOfWorkFactory, make_id: int, name: str) -> int:
    clean = _name(name, 80)

    def work(uow: UnitOfWork) -> int:
        _require(uow)
        if uow.session.get(VehicleMake, make_id) is None:
            raise NotFoundError(_("The make no longer exists."))
        names = uow.session.scalars(select(VehicleModel.name).where(VehicleModel.make_id == make_id))
        if clean.casefold() in {name.casefold() for name in names}:
            raise ConflictError(_("The model {name} is already in the list.").format(name=clean))
        model = VehicleModel(make_id=make_id, name=clean)
        uow.session.add(model)
        uow.session.flush()
        audit.record(uow, "vehicle_model", model.id, "create", None, {"make_id": make_id, "name": clean})
        uow.mark_changed("vehicle_reference")
        uow.commit()
        return model.id

    return run_in_transaction(uow_factory, work)


def _entry(uow: UnitOfWork, kind: str, entry_id: int) -> VehicleMake | VehicleModel | None:
    if kind == "make":
        return uow.session.get(VehicleMake, entry_id)
    return uow.session.get(VehicleModel, entry_id)


def rename_entry(uow_factory: UnitOfWorkFactory, kind: str, entry_id: int, name: str) -> None:
    """Rename a make (*kind* "make") or a model ("model"); cars keep the name they were saved with."""
    clean = _name(name, 60 if kind == "make" else 80)

    def work(uow: UnitOfWork) -> None:
        _require(uow)
        entry = _entry(uow, kind, entry_id)
        if entry is None:
            raise NotFoundError(_("The entry no longer exists."))
        before = entry.name
        entry.name = clean
        audit.record(uow, f"vehicle_{kind}", entry_id, "rename", {"name": before}, {"name": clean})
        uow.mark_changed("vehicle_reference")
        uow.commit()

    run_in_transaction(uow_factory, work)


def remove_entry(uow_factory: UnitOfWorkFactory, kind: str, entry_id: int) -> None:
    """Remove a make (with its models) or a model from the list; cars already saved keep their text."""

    def work(uow: UnitOfWork) -> None:
        _require(uow)
        entry = _entry(uow, kind, entry_id)
        if entry is None:
            raise NotFoundError(_("The entry no longer exists."))
        audit.record(uow, f"vehicle_{kind}", entry_id, "delete", {"name": entry.name}, None)
        uow.session.delete(entry)
        uow.mark_changed("vehicle_reference")
        uow.commit()

    run_in_transaction(uow_factory, work)
