"""Parts and their groups: create, read, change, withdraw; barcodes (each belongs to one part); each one audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm.attributes import flag_modified

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import MarkupRule, Part, PartBarcode, PartGroup, StockBalance, StockLocation
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, FieldErrors, NotFoundError, PermissionDeniedError
from autoservice_desk.services.form_values import clean_text
from autoservice_desk.services.part_forms import CleanPart, PartForm, clean_barcode, clean_part_form
from autoservice_desk.services.text_keys import fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

EDITOR_ROLES = ("warehouse", "manager")  # administrators always may (Actor.has_role)
GROUP_NAME_LENGTH = 100


@dataclass(frozen=True)
class PartRef:
    """A part named the way a person recognises it: article, brand, name."""

    id: int
    article: str
    brand: str
    name: str
    active: bool

    @property
    def title(self) -> str:
        return " ".join(filter(None, (self.article, self.brand, "—", self.name)))


class DuplicatePartError(ConflictError):
    """A part with the same article and brand exists; the screen offers to open it instead."""

    def __init__(self, existing: PartRef) -> None:
        super().__init__(_("This part is already in the catalog: {part}.").format(part=existing.title))
        self.existing = existing


@dataclass(frozen=True)
class PartInfo:
    """A part as the card shows it; `to_form()` gives the form to edit it with (save with `version`)."""

    id: int
    version: int
    article: str
    article_key: str
    brand: str
    brand_key: str
    name: str
    unit: str
    fractional: bool
    group_id: int | None
    group_name: str | None
    min_stock: Decimal
    purchase_price: Decimal | None
    sale_price: Decimal | None  # set by hand; None: part_prices.sale_price() makes it from the markup rules
    average_cost: Decimal
    default_location_id: int | None
    default_location_code: str | None
    notes: str | None
    active: bool
    barcodes: tuple[str, ...]

    def to_form(self) -> PartForm:
        return PartForm(
            article=self.article, brand=self.brand, name=self.name, unit=self.unit, group_id=self.group_id,
            min_stock=self.min_stock if self.fractional else self.min_stock.quantize(Decimal(1)),
            purchase_price=self.purchase_price if self.purchase_price is not None else "",
            sale_price=self.sale_price if self.sale_price is not None else "", notes=self.notes or "",
            active=self.active, barcodes=self.barcodes,
        )  # fmt: skip


@dataclass(frozen=True)
class PartGroupInfo:
    id: int
    name: str
    parent_id: int | None
    part_count: int


def require_part_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*EDITOR_ROLES):
        raise PermissionDeniedError(_("Only warehouse keepers, managers and administrators can change parts."))


# --- Reading ----------------------------------------------------------------------------------------------------


def read_parts(uow: UnitOfWork, ids: Iterable[int]) -> list[PartInfo]:
    """Parts with *ids* (in id order) inside the caller's unit of work: three queries whatever their number."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    codes: dict[int, list[str]] = {}
    for part_id, code in uow.session.execute(
        select(PartBarcode.part_id, PartBarcode.barcode).where(PartBarcode.part_id.in_(wanted)).order_by(
            PartBarcode.part_id, PartBarcode.barcode)
    ):  # fmt: skip
        codes.setdefault(part_id, []).append(code)
    statement = (
        select(Part, PartGroup.name, StockLocation.code)
        .outerjoin(PartGroup, PartGroup.id == Part.group_id)
        .outerjoin(StockLocation, StockLocation.id == Part.default_location_id)
        .where(Part.id.in_(wanted))
        .order_by(Part.id)
    )
    return [
        PartInfo(
            part.id, part.version, part.article, part.article_key, part.brand, part.brand_key, part.name, part.unit,
            part.fractional, part.group_id, group_name, part.min_stock, part.purchase_price, part.sale_price,
            part.average_cost, part.default_location_id, location_code, part.notes, part.active,
            tuple(codes.get(part.id, ())),
        )  # fmt: skip
        for part, group_name, location_code in uow.session.execute(statement)
    ]


def part_info(uow: UnitOfWork, part_id: int) -> PartInfo:
    found = read_parts(uow, [part_id])
    if not found:
        raise NotFoundError(_("The part is no longer in the catalog."))
    return found[0]


def get_part(uow_factory: UnitOfWorkFactory, part_id: int) -> PartInfo:
    return run_in_transaction(uow_factory, lambda uow: part_info(uow, part_id), read_only=True)


def get_parts(uow_factory: UnitOfWorkFactory, part_ids: Iterable[int]) -> list[PartInfo]:
    ids = list(part_ids)
    return run_in_transaction(uow_factory, lambda uow: read_parts(uow, ids), read_only=True)


def part_id_by_barcode(uow: UnitOfWork, code: str) -> int | None:
    return uow.session.scalar(select(PartBarcode.part_id).where(PartBarcode.barcode == code.strip()))


def find_by_barcode(uow_factory: UnitOfWorkFactory, code: str) -> PartInfo | None:
    """The part a scanned *code* belongs to, or None (one primary-key look-up)."""

    def work(uow: UnitOfWork) -> PartInfo | None:
        part_id = part_id_by_barcode(uow, code)
        return None if part_id is None else part_info(uow, part_id)

    return run_in_transaction(uow_factory, work, read_only=True)


# --- Writing parts ----------------------------------------------------------------------------------------------


def _ref(part: Part) -> PartRef:
    return PartRef(part.id, part.article, part.brand, part.name, part.active)


def _clean(uow: UnitOfWork, form: PartForm, part_id: int | None) -> CleanPart:
    """The form checked, with the barcodes another part holds named (`barcodes.N`), else FieldErrors."""
    groups = frozenset(uow.session.scalars(select(PartGroup.id)))
    clean = clean_part_form(form, groups)
    problems: dict[str, str] = {}
    if clean.barcodes:
        holders = uow.session.execute(
            select(PartBarcode.barcode, Part).join(Part, Part.id == PartBarcode.part_id)
            .where(PartBarcode.barcode.in_(clean.barcodes))
        )  # fmt: skip
        for code, holder in holders:
            if holder.id != part_id:
                index = next(index for index, entry in enumerate(form.barcodes) if entry.strip() == code)
                problems[f"barcodes.{index}"] = _("The barcode {code} belongs to {part}.").format(
                    code=code, part=_ref(holder).title
                )
    if part_id is not None and not clean.fractional:
        # Stock already counted in fractions cannot become pieces: 2.5 of them would not mean anything.
        balances = uow.session.scalars(
            select(StockBalance.quantity).where(StockBalance.part_id == part_id, StockBalance.quantity > 0)
        )
        if any(quantity != quantity.to_integral_value() for quantity in balances):
            problems["unit"] = _("Part of the stock is a fraction of a unit; such a part needs a unit like l or kg.")
    if problems:
        raise FieldErrors(problems)
    return clean


def _duplicate(uow: UnitOfWork, clean: CleanPart, part_id: int | None) -> None:
    statement = select(Part).where(Part.article_key == clean.article_key, Part.brand_key == clean.brand_key)
    existing = uow.session.scalar(statement)
    if existing is not None and existing.id != part_id:
        raise DuplicatePartError(_ref(existing))


def _state(part: Part, barcodes: Iterable[str]) -> dict[str, Any]:
    names = ("article", "brand", "name", "unit", "group_id", "min_stock", "purchase_price", "sale_price", "notes",
             "active")  # fmt: skip
    values: dict[str, Any] = {name: getattr(part, name) for name in names}
    values["barcodes"] = sorted(barcodes)
    return values


def _set_barcodes(uow: UnitOfWork, part_id: int, wanted: tuple[str, ...], held: Iterable[str]) -> None:
    held_set = set(held)
    gone = held_set - set(wanted)
    if gone:
        uow.session.execute(delete(PartBarcode).where(PartBarcode.part_id == part_id, PartBarcode.barcode.in_(gone)))
    uow.session.add_all(PartBarcode(barcode=code, part_id=part_id) for code in wanted if code not in held_set)


def _held_barcodes(uow: UnitOfWork, part_id: int) -> list[str]:
    return list(uow.session.scalars(select(PartBarcode.barcode).where(PartBarcode.part_id == part_id)))


def create_part(uow_factory: UnitOfWorkFactory, form: PartForm) -> int:
    """Add a part; returns its id. The same article and brand raise `DuplicatePartError` naming the part."""

    def work(uow: UnitOfWork) -> int:
        require_part_editor(uow)
        clean = _clean(uow, form, None)
        _duplicate(uow, clean, None)
        part = Part(**clean.columns())
        uow.session.add(part)
        uow.session.flush()
        _set_barcodes(uow, part.id, clean.barcodes, ())
        audit.record(uow, "part", part.id, "create", None, _state(part, clean.barcodes))
        uow.mark_changed("parts", part.id)
        uow.commit()
        return part.id

    return run_in_transaction(uow_factory, work)


def _load(uow: UnitOfWork, part_id: int, version: int | None = None) -> Part:
    part = uow.session.scalar(select(Part).where(Part.id == part_id).with_for_update())
    if part is None:
        raise NotFoundError(_("The part is no longer in the catalog."))
    if version is not None and part.version != version:
        raise ConflictError(
            _("Someone else has changed this part in the meantime; reopen it and make your change again.")
        )
    return part


def update_part(uow_factory: UnitOfWorkFactory, part_id: int, version: int, form: PartForm) -> None:
    """Save *form* over the part read at *version*; documents already posted keep their prices."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        part = _load(uow, part_id, version)
        clean = _clean(uow, form, part_id)
        _duplicate(uow, clean, part_id)
        held = _held_barcodes(uow, part_id)
        before = _state(part, held)
        for name, value in clean.columns().items():
            if getattr(part, name) != value:
                setattr(part, name, value)
        after = _state(part, clean.barcodes)
        changed = {key: value for key, value in after.items() if before[key] != value}
        if not changed:
            return
        _set_barcodes(uow, part_id, clean.barcodes, held)
        if set(changed) == {"barcodes"}:  # the row itself is still updated, so its version moves on
            flag_modified(part, "name")
        audit.record(uow, "part", part_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("parts", part_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def set_part_active(uow_factory: UnitOfWorkFactory, part_id: int, active: bool) -> None:
    """Withdraw a part from the catalog (or bring it back); its stock, documents and history stay."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        part = _load(uow, part_id)
        if part.active == active:
            return
        part.active = active
        audit.record(uow, "part", part_id, "update", {"active": not active}, {"active": active})
        uow.mark_changed("parts", part_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def add_barcode(uow_factory: UnitOfWorkFactory, part_id: int, code: str) -> None:
    """Attach a scanned *code* to a part (a supplier's new packaging); a code of another part is refused."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        part = _load(uow, part_id)
        barcode, problem = clean_barcode(code)
        if problem is not None:
            raise FieldErrors({"barcode": problem})
        holder_id = part_id_by_barcode(uow, barcode)
        if holder_id == part_id:
            return
        if holder_id is not None:
            holder = _ref(_load(uow, holder_id))
            raise FieldErrors(
                {"barcode": _("The barcode {code} belongs to {part}.").format(code=barcode, part=holder.title)}
            )
        uow.session.add(PartBarcode(barcode=barcode, part_id=part_id))
        audit.record(uow, "part", part_id, "add_barcode", None, {"barcode": barcode})
        flag_modified(part, "name")  # a new version: a card open on another desk must not save the old barcodes
        uow.mark_changed("parts", part_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


# --- Groups -----------------------------------------------------------------------------------------------------


def list_part_groups(uow_factory: UnitOfWorkFactory) -> list[PartGroupInfo]:
    """Every group, by name, with how many parts are in it directly."""

    def work(uow: UnitOfWork) -> list[PartGroupInfo]:
        statement = select(Part.group_id, func.count()).where(Part.group_id.is_not(None)).group_by(Part.group_id)
        counts = {group_id: count for group_id, count in uow.session.execute(statement)}
        rows = uow.session.scalars(select(PartGroup))
        groups = [PartGroupInfo(row.id, row.name, row.parent_id, counts.get(row.id, 0)) for row in rows]
        return sorted(groups, key=lambda group: fold_text(group.name))

    return run_in_transaction(uow_factory, work, read_only=True)


def _clean_group(uow: UnitOfWork, name: str, parent_id: int | None, group_id: int | None) -> str:
    problems: dict[str, str] = {}
    clean = clean_text(name, GROUP_NAME_LENGTH, "name", problems, required=_("Enter the name of the group."))
    parents = {row_id: parent for row_id, parent in uow.session.execute(select(PartGroup.id, PartGroup.parent_id))}
    others = uow.session.execute(select(PartGroup.id, PartGroup.name))
    if clean and any(fold_text(other) == fold_text(clean) for other_id, other in others if other_id != group_id):
        problems["name"] = _("The group {name} exists already.").format(name=clean)
    if parent_id is not None:
        ancestor: int | None = parent_id
        seen: set[int] = set()
        if parent_id not in parents:
            problems["parent_id"] = _("The parent group is no longer in the list.")
        while ancestor is not None and ancestor not in seen:
            if ancestor == group_id:
                problems["parent_id"] = _("A group cannot be put inside itself or its own subgroup.")
                break
            seen.add(ancestor)
            ancestor = parents.get(ancestor)
    if problems:
        raise FieldErrors(problems)
    return clean


def add_part_group(uow_factory: UnitOfWorkFactory, name: str, parent_id: int | None = None) -> int:
    def work(uow: UnitOfWork) -> int:
        require_part_editor(uow)
        group = PartGroup(name=_clean_group(uow, name, parent_id, None), parent_id=parent_id)
        uow.session.add(group)
        uow.session.flush()
        audit.record(uow, "part_group", group.id, "create", None, {"name": group.name, "parent_id": parent_id})
        uow.mark_changed("part_groups", group.id)
        uow.commit()
        return group.id

    return run_in_transaction(uow_factory, work)


def update_part_group(uow_factory: UnitOfWorkFactory, group_id: int, name: str, parent_id: int | None) -> None:
    """Rename a group or put it under another one (its parts and subgroups go with it)."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        group = uow.session.get(PartGroup, group_id, with_for_update=True)
        if group is None:
            raise NotFoundError(_("The group is no longer in the list."))
        clean = _clean_group(uow, name, parent_id, group_id)
        before = {"name": group.name, "parent_id": group.parent_id}
        after = {"name": clean, "parent_id": parent_id}
        if before == after:
            return
        group.name, group.parent_id = clean, parent_id
        audit.record(uow, "part_group", group_id, "update", before, after)
        uow.mark_changed("part_groups", group_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def remove_part_group(uow_factory: UnitOfWorkFactory, group_id: int) -> None:
    """Remove a group: its parts and subgroups move up to its parent group. Its markup rules must go first."""

    def work(uow: UnitOfWork) -> None:
        require_part_editor(uow)
        group = uow.session.get(PartGroup, group_id)
        if group is None:
            return
        if uow.session.scalar(select(func.count()).select_from(MarkupRule).where(MarkupRule.group_id == group_id)):
            raise ConflictError(_("The group has markup rules; remove them first, so prices do not change unseen."))
        parent_id = group.parent_id
        uow.session.execute(update(Part).where(Part.group_id == group_id).values(group_id=parent_id))
        uow.session.execute(update(PartGroup).where(PartGroup.parent_id == group_id).values(parent_id=parent_id))
        uow.session.delete(group)
        audit.record(uow, "part_group", group_id, "delete", {"name": group.name, "parent_id": parent_id}, None)
        uow.mark_changed("part_groups", group_id)
        uow.mark_changed("parts")
        uow.commit()

    run_in_transaction(uow_factory, work)
