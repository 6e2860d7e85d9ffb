"""Places in the warehouse: the tree warehouse → rack → shelf → bin, codes for labels, a default bin per part.

A place that holds stock is never deactivated, deleted or moved to another warehouse: its stock would vanish
from the books or change warehouse without a document. Codes are kept when a place is renamed or moved, so the
labels already on the shelves stay right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.inventory import (
    Part,
    StockBalance,
    StockDocument,
    StockDocumentLine,
    StockLocation,
    StockMove,
    StockReservation,
)
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, FieldErrors, NotFoundError
from autoservice_desk.services.form_values import clean_text
from autoservice_desk.services.parts import require_part_editor
from autoservice_desk.services.table_import import lookup_chunks
from autoservice_desk.services.text_keys import article_key
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

KINDS = ("warehouse", "rack", "shelf", "bin")  # from the top down
KIND_LABELS = {"warehouse": N_("Warehouse"), "rack": N_("Rack"), "shelf": N_("Shelf"), "bin": N_("Bin")}
NAME_LENGTH = CODE_LENGTH = 60
PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class LocationInfo:
    id: int
    parent_id: int | None
    warehouse_id: int
    kind: str
    name: str
    code: str
    active: bool
    path: str  # "Main warehouse › A › 03 › 2"


@dataclass(frozen=True)
class LocationNode:
    """A place with the places under it, for the tree; *stocked_parts* counts the parts with stock right here."""

    id: int
    parent_id: int | None
    warehouse_id: int
    kind: str
    name: str
    code: str
    active: bool
    stocked_parts: int
    children: tuple[LocationNode, ...]


def code_key(code: str) -> str:
    """A code as compared: letters and digits, upper case, Cyrillic lookalikes Latin (`а-03-2` = `A032`)."""
    return article_key(code)


class _Places:
    """Every place of the shop (a few thousand at most), read once per use case."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.rows = {row.id: row for row in uow.session.scalars(select(StockLocation).order_by(StockLocation.id))}
        self.children: dict[int | None, list[StockLocation]] = {}
        for row in self.rows.values():
            self.children.setdefault(row.parent_id, []).append(row)

    def get(self, location_id: int) -> StockLocation:
        row = self.rows.get(location_id)
        if row is None:
            raise NotFoundError(_("The place no longer exists."))
        return row

    def subtree(self, location_id: int) -> list[int]:
        found, stack = [], [location_id]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(child.id for child in self.children.get(current, ()))
        return found

    def path(self, row: StockLocation) -> str:
        names: list[str] = []
        seen: set[int] = set()
        current: StockLocation | None = row
        while current is not None and current.id not in seen:
            seen.add(current.id)
            names.append(current.name)
            current = self.rows.get(current.parent_id) if current.parent_id is not None else None
        return PATH_SEPARATOR.join(reversed(names))

    def auto_code(self, parent: StockLocation | None, name: str) -> str:
        """The parent's code (a warehouse's only if it has one) and this place's name: "A-03-2"."""
        head = parent.code if parent is not None else ""
        own = code_key(name) or name
        return f"{head}-{own}" if head else own

    def code_holder(self, code: str, exclude_id: int | None) -> StockLocation | None:
        key = code_key(code)
        if not key:
            return None
        return next((row for row in self.rows.values() if row.id != exclude_id and code_key(row.code) == key), None)

    def info(self, row: StockLocation) -> LocationInfo:
        return LocationInfo(row.id, row.parent_id, row.warehouse_id or row.id, row.kind, row.name, row.code,
                            row.active, self.path(row))  # fmt: skip


def _has_stock(uow: UnitOfWork, location_ids: list[int]) -> bool:
    for chunk in lookup_chunks(location_ids):
        statement = select(StockBalance.part_id).where(StockBalance.location_id.in_(chunk), StockBalance.quantity > 0)
        if uow.session.execute(statement.limit(1)).first() is not None:
            return True
    return False


def _has_history(uow: UnitOfWork, location_ids: list[int]) -> bool:
    for chunk in lookup_chunks(location_ids):
        for statement in (
            select(StockBalance.part_id).where(StockBalance.location_id.in_(chunk)),
            select(StockMove.id).where(StockMove.location_id.in_(chunk)),
            select(StockDocumentLine.id).where(
                or_(StockDocumentLine.from_location_id.in_(chunk), StockDocumentLine.to_location_id.in_(chunk))
            ),
            select(StockReservation.id).where(StockReservation.location_id.in_(chunk)),
            select(StockDocument.id).where(StockDocument.location_id.in_(chunk)),
        ):
            if uow.session.execute(statement.limit(1)).first() is not None:
                return True
    return False


def _check_kind(kind: str, parent: StockLocation | None, problems: dict[str, str]) -> None:
    if kind not in KINDS:
        problems["kind"] = _("Choose a warehouse, rack, shelf or bin.")
    elif parent is None and kind != "warehouse":
        problems["parent_id"] = _("Racks, shelves and bins are inside a warehouse; choose where this one is.")
    elif parent is not None and KINDS.index(kind) <= KINDS.index(parent.kind):
        problems["kind"] = _("A {kind} cannot be inside a {parent}.").format(
            kind=_(KIND_LABELS[kind]).lower(), parent=_(KIND_LABELS[parent.kind]).lower()
        )


def _clean(places: _Places, name: str, code: str, parent: StockLocation | None, exclude_id: int | None,
           problems: dict[str, str]) -> tuple[str, str]:  # fmt: skip
    clean_name = clean_text(name, NAME_LENGTH, "name", problems, required=_("Enter the name of the place."))
    siblings = places.children.get(parent.id if parent is not None else None, [])
    if clean_name and any(row.name.casefold() == clean_name.casefold() for row in siblings if row.id != exclude_id):
        problems["name"] = _("There is a place named {name} here already.").format(name=clean_name)
    clean_code = clean_text(code, CODE_LENGTH, "code", problems).upper()
    if not clean_code and clean_name and (parent is not None or code):
        clean_code = places.auto_code(parent, clean_name)[:CODE_LENGTH]
    if clean_code and (holder := places.code_holder(clean_code, exclude_id)) is not None:
        problems["code"] = _("The code {code} is taken by {place}; enter another code.").format(
            code=clean_code, place=places.path(holder)
        )
    return clean_name, clean_code


def _state(row: StockLocation) -> dict[str, Any]:
    return {"parent_id": row.parent_id, "warehouse_id": row.warehouse_id, "kind": row.kind, "name": row.name,
            "code": row.code, "active": row.active}  # fmt: skip


def add_location(uow_factory: UnitOfWorkFactory, parent_id: int | None, kind: str, name: str, code: str = "") -> int:
    """Add a place under *parent_id* (a warehouse has none); an empty *code* is made from the parent's code and
    the name ("A-03-2"). Returns its id."""

    def work(uow: UnitOfWork) -> int:
        require_part_editor(uow)
        places = _Places(uow)
        parent = places.get(parent_id) if parent_id is not None else None
        problems: dict[str, str] = {}
        _check_kind(kind, parent, problems)
        clean_name, clean_code = _clean(places, name, code, parent, None, problems)
        if parent is not None and not parent.active:
            problems["parent_id"] = _("The place {place} is not in use any more.").format(place=places.path(parent))
        if problems:
            raise FieldErrors(problems)
        row = StockLocation(parent_id=parent_id, kind=kind, name=clean_name, code=clean_code, active=True,
                            warehouse_id=parent.warehouse_id if parent is not None else None)  # fmt: skip
        uow.session.add(row)
        uow.session.flush()
        if row.warehouse_id is None:
            row.warehouse_id = row.id  # a warehouse is its own: "every place of warehouse W" is one equality
        audit.record(uow, "location", row.id, "create", None, _state(row))
        uow.mark_changed("locations", row.id)
        uow.commit()
        return row.id

    return run_in_transaction(uow_factory, work)


def rename_location(uow_factory: UnitOfWorkFactory, location_id: int, name: str, code: str | None = None) -> None:
    """Rename a place; its code stays unless *code* is given (labels already printed keep working)."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        places = _Places(uow)
        row = places.get(location_id)
        parent = places.rows.get(row.parent_id) if row.parent_id is not None else None
        problems: dict[str, str] = {}
        clean_name, clean_code = _clean(places, name, row.code if code is None else code, parent, row.id, problems)
        if problems:
            raise FieldErrors(problems)
        before = _state(row)
        row.name, row.code = clean_name, clean_code
        _finish(uow, row, before)

    run_in_transaction(uow_factory, work)


def _finish(uow: UnitOfWork, row: StockLocation, before: dict[str, Any]) -> None:
    after = _state(row)
    changed = {key: value for key, value in after.items() if before[key] != value}
    if changed:
        audit.record(uow, "location", row.id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("locations", row.id)
        uow.commit()


def move_location(uow_factory: UnitOfWorkFactory, location_id: int, parent_id: int) -> None:
    """Put a place (with everything in it) under another one; to another warehouse only when it is empty."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        places = _Places(uow)
        row, parent = places.get(location_id), places.get(parent_id)
        subtree = places.subtree(location_id)
        problems: dict[str, str] = {}
        if parent_id in subtree:
            problems["parent_id"] = _("A place cannot be put inside itself.")
        else:
            _check_kind(row.kind, parent, problems)
        if not problems and any(
            child.name.casefold() == row.name.casefold() for child in places.children.get(parent_id, [])
        ):
            problems["parent_id"] = _("There is a place named {name} there already.").format(name=row.name)
        if problems:
            raise FieldErrors(problems)
        if parent.warehouse_id != row.warehouse_id:
            if _has_stock(uow, subtree):
                raise ConflictError(
                    _("{place} holds stock; move the stock to the other warehouse with a transfer first.").format(
                        place=places.path(row)
                    )
                )
            uow.session.execute(
                update(StockLocation).where(StockLocation.id.in_(subtree)).values(warehouse_id=parent.warehouse_id)
            )
        before = _state(row)
        row.parent_id = parent_id
        uow.session.flush()
        uow.session.refresh(row)
        _finish(uow, row, before)

    run_in_transaction(uow_factory, work)


def set_location_active(uow_factory: UnitOfWorkFactory, location_id: int, active: bool) -> None:
    """Take a place out of use with everything in it (refused while any of it holds stock), or back into use
    with everything in it."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        places = _Places(uow)
        row = places.get(location_id)
        ids = places.subtree(location_id)
        if not active and _has_stock(uow, ids):
            raise ConflictError(
                _("{place} holds stock; move or issue it before taking the place out of use.").format(
                    place=places.path(row)
                )
            )
        if active and row.parent_id is not None and not places.get(row.parent_id).active:
            raise ConflictError(_("Bring the place it is in back into use first."))
        changed = [places.rows[place_id] for place_id in ids if places.rows[place_id].active != active]
        if not changed:
            return
        for place in changed:
            place.active = active
            audit.record(uow, "location", place.id, "update", {"active": not active}, {"active": active})
        uow.mark_changed("locations", location_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def delete_location(uow_factory: UnitOfWorkFactory, location_id: int) -> None:
    """Delete a place and everything in it, when none of it has ever held stock (else take it out of use)."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        places = _Places(uow)
        row = places.get(location_id)
        subtree = places.subtree(location_id)
        if _has_stock(uow, subtree):
            raise ConflictError(_("{place} holds stock; move or issue it first.").format(place=places.path(row)))
        if _has_history(uow, subtree):
            raise ConflictError(
                _("{place} appears in stock documents; take it out of use instead of deleting it.").format(
                    place=places.path(row)
                )
            )
        uow.session.execute(update(Part).where(Part.default_location_id.in_(subtree)).values(default_location_id=None))
        for place_id in reversed(subtree):  # the deepest first: a parent cannot go while children point at it
            place = places.rows[place_id]
            audit.record(uow, "location", place_id, "delete", _state(place), None)
            uow.session.delete(place)
            uow.session.flush()
        uow.mark_changed("locations", location_id)
        uow.mark_changed("parts")
        uow.commit()

    run_in_transaction(uow_factory, work)


# --- Reading ----------------------------------------------------------------------------------------------------


def location_tree(uow_factory: UnitOfWorkFactory, *, include_inactive: bool = True) -> list[LocationNode]:
    """Every warehouse with its racks, shelves and bins, in code order, as plain nested nodes."""

    def work(uow: UnitOfWork) -> list[LocationNode]:
        places = _Places(uow)
        statement = (
            select(StockBalance.location_id, func.count())
            .where(StockBalance.quantity > 0)
            .group_by(StockBalance.location_id)
        )
        counts: dict[int, int] = {location_id: count for location_id, count in uow.session.execute(statement)}

        def build(rows: Iterable[StockLocation]) -> tuple[LocationNode, ...]:
            chosen = [row for row in rows if row.active or include_inactive]
            return tuple(
                LocationNode(row.id, row.parent_id, row.warehouse_id or row.id, row.kind, row.name, row.code,
                             row.active, counts.get(row.id, 0), build(places.children.get(row.id, [])))
                for row in sorted(chosen, key=lambda row: (row.code, row.name.casefold(), row.id))
            )  # fmt: skip

        return list(build(places.children.get(None, [])))

    return run_in_transaction(uow_factory, work, read_only=True)


def read_locations(uow: UnitOfWork, location_ids: Iterable[int]) -> list[LocationInfo]:
    """Places with *location_ids*, in that order, inside the caller's unit of work."""
    places = _Places(uow)
    return [places.info(places.get(location_id)) for location_id in location_ids]


def get_location(uow_factory: UnitOfWorkFactory, location_id: int) -> LocationInfo:
    def work(uow: UnitOfWork) -> LocationInfo:
        places = _Places(uow)
        return places.info(places.get(location_id))

    return run_in_transaction(uow_factory, work, read_only=True)


def find_location_by_code(uow_factory: UnitOfWorkFactory, code: str) -> LocationInfo | None:
    """The place whose label says *code* (as scanned or typed: case, dashes and lookalike letters do not matter)."""

    def work(uow: UnitOfWork) -> LocationInfo | None:
        if not code_key(code):
            return None
        places = _Places(uow)
        holder = places.code_holder(code, None)
        return places.info(holder) if holder is not None else None

    return run_in_transaction(uow_factory, work, read_only=True)


def set_default_location(uow_factory: UnitOfWorkFactory, part_id: int, location_id: int | None) -> None:
    """Where a part is put away by default (receipts suggest it); None clears it."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        part = uow.session.get(Part, part_id, with_for_update=True)
        if part is None:
            raise NotFoundError(_("The part is no longer in the catalog."))
        if location_id is not None:
            place = uow.session.get(StockLocation, location_id)
            if place is None:
                raise NotFoundError(_("The place no longer exists."))
            if not place.active:
                raise ConflictError(_("The place {code} is not in use any more.").format(code=place.code or place.name))
        if part.default_location_id == location_id:
            return
        before = part.default_location_id
        part.default_location_id = location_id
        audit.record(uow, "part", part_id, "update", {"default_location_id": before},
                     {"default_location_id": location_id})  # fmt: skip
        uow.mark_changed("parts", part_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
