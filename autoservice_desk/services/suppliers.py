"""Supplier cards: requisites checked (INN check digits, KPP), phone in E.164, terms in days; list and search."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import Supplier
from autoservice_desk.services import audit
from autoservice_desk.services.errors import FieldErrors, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.form_values import clean_text
from autoservice_desk.services.identity import parse_phone
from autoservice_desk.services.requisites import inn_problem
from autoservice_desk.services.text_keys import fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

WAREHOUSE_ROLES = ("warehouse", "manager")  # admin is implied by Actor.has_role
MAX_DAYS = 365
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


@dataclass(frozen=True)
class SupplierForm:
    """The supplier card as typed; days may be text or a number, empty means "not agreed"."""

    name: str = ""
    inn: str = ""
    kpp: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    payment_days: str | int | None = None
    delivery_days: str | int | None = None
    notes: str = ""
    active: bool = True


@dataclass(frozen=True)
class SupplierInfo:
    id: int
    name: str
    inn: str | None
    kpp: str | None
    contact_person: str | None
    phone: str | None  # E.164
    email: str | None
    address: str | None
    payment_days: int | None
    delivery_days: int | None
    notes: str | None
    active: bool


def require_warehouse_role(uow: UnitOfWork) -> None:
    """Suppliers, purchase and special orders are the warehouse keepers' and the manager's business."""
    if not uow.actor.has_role(*WAREHOUSE_ROLES):
        raise PermissionDeniedError(_("Only warehouse keepers, managers and administrators can do this."))


def _info(row: Supplier) -> SupplierInfo:
    return SupplierInfo(
        row.id, row.name, row.inn, row.kpp, row.contact_person, row.phone, row.email, row.address,
        row.payment_days, row.delivery_days, row.notes, row.active,
    )  # fmt: skip


def _days(value: str | int | None, field: str, problems: dict[str, str]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    raw = str(value).strip()
    if not raw.isdigit() or int(raw) > MAX_DAYS:
        problems[field] = _("Enter a number of days from 0 to {limit}.").format(limit=MAX_DAYS)
        return None
    return int(raw)


def _clean(uow: UnitOfWork, form: SupplierForm, exclude_id: int | None) -> dict[str, Any]:
    """Every field checked at once; FieldErrors keys are SupplierForm's attribute names."""
    problems: dict[str, str] = {}
    name = clean_text(form.name, 200, "name", problems, required=_("Enter the supplier's name."))
    contact = clean_text(form.contact_person, 200, "contact_person", problems)
    email = clean_text(form.email, 200, "email", problems)
    # Requisites are often pasted from an invoice with spaces in them.
    inn, kpp = "".join(form.inn.split()), "".join(form.kpp.split())
    if inn and (problem := inn_problem(inn)):
        problems["inn"] = problem
    if kpp and not (kpp.isdigit() and len(kpp) == 9):
        problems["kpp"] = _("KPP must be 9 digits.")
    phone = None
    if form.phone.strip():
        try:
            phone = parse_phone(form.phone)
        except ValidationError as error:
            problems["phone"] = error.message
    if email and "email" not in problems and not _EMAIL.match(email):
        problems["email"] = _("“{email}” is not an e-mail address.").format(email=email)
    payment_days = _days(form.payment_days, "payment_days", problems)
    delivery_days = _days(form.delivery_days, "delivery_days", problems)
    for other_id, other_name, other_inn, other_kpp in uow.session.execute(
        select(Supplier.id, Supplier.name, Supplier.inn, Supplier.kpp)
    ):
        if other_id == exclude_id:
            continue
        if name and fold_text(other_name) == fold_text(name):
            problems["name"] = _("A supplier with this name already exists.")
        # One company may have branches with their own KPP; the same INN and KPP twice is a duplicate card.
        if inn and other_inn == inn and (other_kpp or "") == kpp and "inn" not in problems:
            problems["inn"] = _("“{name}” already has this INN and KPP.").format(name=other_name)
    if problems:
        raise FieldErrors(problems)
    return {
        "name": name, "inn": inn or None, "kpp": kpp or None, "contact_person": contact or None, "phone": phone,
        "email": email or None, "address": form.address.strip() or None, "payment_days": payment_days,
        "delivery_days": delivery_days, "notes": form.notes.strip() or None, "active": form.active,
    }  # fmt: skip


def _state(row: Supplier) -> dict[str, Any]:
    info = _info(row)
    return {key: value for key, value in info.__dict__.items() if key != "id"}


def supplier_info(uow: UnitOfWork, supplier_id: int) -> SupplierInfo:
    row = uow.session.get(Supplier, supplier_id)
    if row is None:
        raise NotFoundError(_("The supplier no longer exists."))
    return _info(row)


def get_supplier(uow_factory: UnitOfWorkFactory, supplier_id: int) -> SupplierInfo:
    return run_in_transaction(uow_factory, lambda uow: supplier_info(uow, supplier_id), read_only=True)


def list_suppliers(uow_factory: UnitOfWorkFactory, text: str = "", *, active_only: bool = False) -> list[SupplierInfo]:
    """Suppliers by name; *text* keeps those whose name, INN, contact, phone or e-mail has every word of it.

    Filtered in Python: a shop has tens of suppliers, and SQLite's lower() does not fold Cyrillic.
    """
    words = fold_text(text).split()

    def matches(info: SupplierInfo) -> bool:
        haystack = fold_text(" ".join(filter(None, (info.name, info.inn, info.contact_person, info.phone,
                                                     info.email))))  # fmt: skip
        return all(word in haystack for word in words)

    def work(uow: UnitOfWork) -> list[SupplierInfo]:
        query = select(Supplier).order_by(Supplier.name, Supplier.id)
        if active_only:
            query = query.where(Supplier.active)
        return [info for info in map(_info, uow.session.scalars(query)) if matches(info)]

    return run_in_transaction(uow_factory, work, read_only=True)


def create_supplier(uow_factory: UnitOfWorkFactory, form: SupplierForm) -> int:
    """Add a supplier card; returns its id."""

    def work(uow: UnitOfWork) -> int:
        require_warehouse_role(uow)
        supplier = Supplier(**_clean(uow, form, None))
        uow.session.add(supplier)
        uow.session.flush()
        audit.record(uow, "supplier", supplier.id, "create", None, _state(supplier))
        uow.mark_changed("suppliers", supplier.id)
        uow.commit()
        return supplier.id

    return run_in_transaction(uow_factory, work)


def update_supplier(uow_factory: UnitOfWorkFactory, supplier_id: int, form: SupplierForm) -> None:
    """Save *form* over the card; the audit row keeps only the fields that changed."""

    def work(uow: UnitOfWork) -> None:
        require_warehouse_role(uow)
        supplier = uow.session.get(Supplier, supplier_id, with_for_update=True)
        if supplier is None:
            raise NotFoundError(_("The supplier no longer exists."))
        values = _clean(uow, form, supplier_id)
        before = _state(supplier)
        for name, value in values.items():
            setattr(supplier, name, value)
        after = _state(supplier)
        changed = {key: value for key, value in after.items() if before[key] != value}
        if not changed:
            return
        audit.record(uow, "supplier", supplier_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("suppliers", supplier_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def set_supplier_active(uow_factory: UnitOfWorkFactory, supplier_id: int, active: bool) -> None:
    """Hide a supplier from new orders (or bring it back); documents already made keep it."""

    def work(uow: UnitOfWork) -> None:
        require_warehouse_role(uow)
        supplier = uow.session.get(Supplier, supplier_id)
        if supplier is None:
            raise NotFoundError(_("The supplier no longer exists."))
        if supplier.active == active:
            return
        supplier.active = active
        audit.record(uow, "supplier", supplier_id, "update", {"active": not active}, {"active": active})
        uow.mark_changed("suppliers", supplier_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
