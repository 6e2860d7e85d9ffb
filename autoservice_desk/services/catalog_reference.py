"""The catalog's reference lists: service categories with their hourly rates, equipment kinds and skills."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from sqlalchemy import func, select

from autoservice_desk.i18n import _
from autoservice_desk.models.catalog import Equipment, Service, ServiceCategory, Skill
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, FieldErrors, NotFoundError, PermissionDeniedError
from autoservice_desk.services.form_values import clean_amount, clean_text
from autoservice_desk.services.text_keys import fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

EDITOR_ROLES = ("manager",)  # administrators always may (Actor.has_role)
MAX_RATE = Decimal("999999999999.99")
_NOT_CODE = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    hourly_rate: Decimal
    sort_order: int
    service_count: int


@dataclass(frozen=True)
class ReferenceEntry:
    """An equipment kind or a skill; *code* is fixed when created (the booking rules know `lift` by it)."""

    id: int
    code: str
    name: str


def require_catalog_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*EDITOR_ROLES):
        raise PermissionDeniedError(_("Only managers and administrators can change the catalog."))


# --- Categories -------------------------------------------------------------------------------------------------


def list_categories(uow_factory: UnitOfWorkFactory) -> list[CategoryInfo]:
    def work(uow: UnitOfWork) -> list[CategoryInfo]:
        counts: dict[int, int] = {
            category: count
            for category, count in uow.session.execute(
                select(Service.category_id, func.count()).group_by(Service.category_id)
            )
        }
        rows = uow.session.scalars(select(ServiceCategory).order_by(ServiceCategory.sort_order, ServiceCategory.name))
        return [CategoryInfo(row.id, row.name, row.hourly_rate, row.sort_order, counts.get(row.id, 0)) for row in rows]

    return run_in_transaction(uow_factory, work, read_only=True)


def _clean_category(
    uow: UnitOfWork, name: str, hourly_rate: str | Decimal, exclude_id: int | None
) -> tuple[str, Decimal]:
    problems: dict[str, str] = {}
    clean = clean_text(name, 100, "name", problems, required=_("Enter the name of the category."))
    rate = clean_amount(
        hourly_rate, "hourly_rate", problems, places=2, maximum=MAX_RATE, positive=False,
        message=_("The hourly rate is an amount in roubles with at most two decimal places, for example 2200."),
    )  # fmt: skip
    others = uow.session.execute(select(ServiceCategory.id, ServiceCategory.name))
    if clean and any(fold_text(other) == fold_text(clean) for other_id, other in others if other_id != exclude_id):
        problems["name"] = _("The category {name} is already in the catalog.").format(name=clean)
    if problems:
        raise FieldErrors(problems)
    return clean, rate


def add_category(uow_factory: UnitOfWorkFactory, name: str, hourly_rate: str | Decimal) -> int:
    """Add a category at the end of the list; returns its id."""

    def work(uow: UnitOfWork) -> int:
        require_catalog_editor(uow)
        clean, rate = _clean_category(uow, name, hourly_rate, None)
        last = uow.session.scalar(select(func.max(ServiceCategory.sort_order))) or 0
        category = ServiceCategory(name=clean, hourly_rate=rate, sort_order=last + 1)
        uow.session.add(category)
        uow.session.flush()
        audit.record(uow, "service_category", category.id, "create", None, {"name": clean, "hourly_rate": rate})
        uow.mark_changed("catalog")
        uow.commit()
        return category.id

    return run_in_transaction(uow_factory, work)


def update_category(uow_factory: UnitOfWorkFactory, category_id: int, name: str, hourly_rate: str | Decimal) -> None:
    """Rename a category or change its rate; the prices of bookings already made stay as they were."""

    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        category = uow.session.get(ServiceCategory, category_id, with_for_update=True)
        if category is None:
            raise NotFoundError(_("The category is no longer in the catalog."))
        clean, rate = _clean_category(uow, name, hourly_rate, category_id)
        before = {"name": category.name, "hourly_rate": category.hourly_rate}
        after = {"name": clean, "hourly_rate": rate}
        changed = {key: value for key, value in after.items() if before[key] != value}
        if not changed:
            return
        category.name, category.hourly_rate = clean, rate
        audit.record(uow, "service_category", category_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("catalog")
        uow.commit()

    run_in_transaction(uow_factory, work)


def remove_category(uow_factory: UnitOfWorkFactory, category_id: int) -> None:
    """Remove an empty category; one that still holds services is refused (move or withdraw them first)."""

    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        category = uow.session.get(ServiceCategory, category_id)
        if category is None:
            raise NotFoundError(_("The category is no longer in the catalog."))
        if uow.session.scalar(select(func.count()).where(Service.category_id == category_id)):
            raise ConflictError(
                _("The category {name} still has services; move them to another category first.").format(
                    name=category.name
                )
            )
        audit.record(uow, "service_category", category_id, "delete", {"name": category.name}, None)
        uow.session.delete(category)
        uow.mark_changed("catalog")
        uow.commit()

    run_in_transaction(uow_factory, work)


# --- Equipment and skills ---------------------------------------------------------------------------------------


_KINDS: dict[str, type[Equipment] | type[Skill]] = {"equipment": Equipment, "skill": Skill}


def _model(kind: str) -> type[Equipment] | type[Skill]:
    if kind not in _KINDS:
        raise ValueError(f"unknown reference list {kind!r}")
    return _KINDS[kind]


def list_reference(uow_factory: UnitOfWorkFactory, kind: str) -> list[ReferenceEntry]:
    """The equipment kinds (*kind* "equipment") or skills ("skill"), alphabetical."""
    model = _model(kind)

    def work(uow: UnitOfWork) -> list[ReferenceEntry]:
        rows = uow.session.execute(select(model.id, model.code, model.name))
        return sorted((ReferenceEntry(*row) for row in rows), key=lambda entry: entry.name.casefold())

    return run_in_transaction(uow_factory, work, read_only=True)


def list_equipment(uow_factory: UnitOfWorkFactory) -> list[ReferenceEntry]:
    return list_reference(uow_factory, "equipment")


def list_skills(uow_factory: UnitOfWorkFactory) -> list[ReferenceEntry]:
    return list_reference(uow_factory, "skill")


def _clean_entry_name(uow: UnitOfWork, model: type[Equipment] | type[Skill], name: str, exclude_id: int | None) -> str:
    problems: dict[str, str] = {}
    clean = clean_text(name, 100, "name", problems, required=_("Enter a name."))
    others = uow.session.execute(select(model.id, model.name))
    if clean and any(fold_text(other) == fold_text(clean) for other_id, other in others if other_id != exclude_id):
        problems["name"] = _("{name} is already in the list.").format(name=clean)
    if problems:
        raise FieldErrors(problems)
    return clean


def add_reference_entry(uow_factory: UnitOfWorkFactory, kind: str, name: str) -> int:
    """Add an equipment kind or a skill; its code is made from the name and never changes afterwards."""
    model = _model(kind)

    def work(uow: UnitOfWork) -> int:
        require_catalog_editor(uow)
        clean = _clean_entry_name(uow, model, name, None)
        codes = set(uow.session.scalars(select(model.code)))
        base = _NOT_CODE.sub("_", fold_text(clean)).strip("_")[:34] or kind
        code, number = base, 1
        while code in codes:
            number += 1
            code = f"{base}_{number}"
        entry = model(code=code, name=clean)
        uow.session.add(entry)
        uow.session.flush()
        audit.record(uow, kind, entry.id, "create", None, {"code": code, "name": clean})
        uow.mark_changed("catalog")
        uow.commit()
        return entry.id

    return run_in_transaction(uow_factory, work)


def rename_reference_entry(uow_factory: UnitOfWorkFactory, kind: str, entry_id: int, name: str) -> None:
    model = _model(kind)

    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        entry = cast(Equipment | Skill | None, uow.session.get(model, entry_id))
        if entry is None:
            raise NotFoundError(_("The entry no longer exists."))
        clean = _clean_entry_name(uow, model, name, entry_id)
        if clean == entry.name:
            return
        audit.record(uow, kind, entry_id, "rename", {"name": entry.name}, {"name": clean})
        entry.name = clean
        uow.mark_changed("catalog")
        uow.commit()

    run_in_transaction(uow_factory, work)
