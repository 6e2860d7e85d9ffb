"""Supplier cards on SQLite and PostgreSQL: cleaned requisites, named field errors, duplicates, rights, audit."""

from __future__ import annotations

import pytest

from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.errors import FieldErrors, PermissionDeniedError
from autoservice_desk.services.suppliers import (
    SupplierForm,
    create_supplier,
    get_supplier,
    list_suppliers,
    set_supplier_active,
    update_supplier,
)
from autoservice_desk.services.unit_of_work import Actor, ChangeSet, UnitOfWorkFactory

SBER_INN = "7707083893"  # a real company INN: its check digit is right
OTHER_INN = "7736207543"


def form(**values: object) -> SupplierForm:
    base: dict[str, object] = {"name": "Автодок", "inn": SBER_INN, "kpp": "773601001"}
    base.update(values)
    return SupplierForm(**base)  # type: ignore[arg-type]


def test_a_supplier_is_created_cleaned_audited_and_announced(uow_factory: UnitOfWorkFactory) -> None:
    changes: list[ChangeSet] = []
    uow_factory.subscribe(changes.append)
    supplier_id = create_supplier(
        uow_factory,
        form(name="  ООО   «Автодок» ", inn=" 7707 083893 ", contact_person=" Пётр ", phone="8 (912) 345-67-89",
             email="zakaz@autodoc.ru", address="Москва", payment_days="30", delivery_days=2),
    )  # fmt: skip
    info = get_supplier(uow_factory, supplier_id)
    assert (info.name, info.inn, info.kpp) == ("ООО «Автодок»", SBER_INN, "773601001")
    assert (info.contact_person, info.phone, info.email) == ("Пётр", "+79123456789", "zakaz@autodoc.ru")
    assert (info.payment_days, info.delivery_days, info.active) == (30, 2, True)
    assert changes[-1].touches("suppliers")
    entry = list_entries(uow_factory, None, 1)[0]
    assert (entry.entity, entry.entity_id, entry.action) == ("supplier", str(supplier_id), "create")
    assert entry.after is not None and entry.after["phone"] == "+79123456789"


def test_every_wrong_field_is_named_at_once(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(FieldErrors) as caught:
        create_supplier(
            uow_factory,
            SupplierForm(name="  ", inn="7707083894", kpp="12", phone="8 912 ABC", email="zakaz@", payment_days="-1",
                         delivery_days="999"),
        )  # fmt: skip
    assert set(caught.value.problems) == {"name", "inn", "kpp", "phone", "email", "payment_days", "delivery_days"}
    assert "check digit" in caught.value.problems["inn"]
    assert list_suppliers(uow_factory) == []


def test_duplicates_by_folded_name_or_by_inn_and_kpp_are_refused(uow_factory: UnitOfWorkFactory) -> None:
    create_supplier(uow_factory, form(name="Ёлка Авто"))
    with pytest.raises(FieldErrors) as caught:
        create_supplier(uow_factory, form(name="елка  авто", inn=OTHER_INN))
    assert set(caught.value.problems) == {"name"}
    with pytest.raises(FieldErrors) as caught:
        create_supplier(uow_factory, form(name="Другой"))
    assert set(caught.value.problems) == {"inn"}
    # A branch of the same company has its own KPP: a card of its own.
    create_supplier(uow_factory, form(name="Ёлка Авто, филиал", kpp="773601002"))
    assert len(list_suppliers(uow_factory)) == 2


def test_an_update_audits_only_what_changed_and_search_finds_by_any_field(uow_factory: UnitOfWorkFactory) -> None:
    first = create_supplier(uow_factory, form(name="Армтек", phone="+7 912 000-00-01"))
    second = create_supplier(uow_factory, SupplierForm(name="Emex", contact_person="Иван Петров"))
    update_supplier(uow_factory, first, form(name="Армтек", phone="+7 912 000-00-01", delivery_days="3"))
    entry = list_entries(uow_factory, None, 1)[0]
    assert (entry.action, entry.before, entry.after) == ("update", {"delivery_days": None}, {"delivery_days": 3})
    update_supplier(uow_factory, first, form(name="Армтек", phone="+7 912 000-00-01", delivery_days="3"))
    assert list_entries(uow_factory, None, 1)[0].id == entry.id  # nothing changed, nothing written
    assert [info.id for info in list_suppliers(uow_factory, "иван")] == [second]
    assert [info.id for info in list_suppliers(uow_factory, "770708")] == [first]
    assert [info.id for info in list_suppliers(uow_factory)] == [second, first]  # by name: Latin sorts first
    set_supplier_active(uow_factory, second, False)
    assert [info.id for info in list_suppliers(uow_factory, active_only=True)] == [first]


def test_only_warehouse_keepers_and_managers_edit_suppliers(uow_factory: UnitOfWorkFactory) -> None:
    advisor = uow_factory.acting_as(Actor(user_id=None, login="a", roles=frozenset({"advisor"})))
    keeper = uow_factory.acting_as(Actor(user_id=None, login="k", roles=frozenset({"warehouse"})))
    with pytest.raises(PermissionDeniedError):
        create_supplier(advisor, form())
    supplier_id = create_supplier(keeper, form())
    with pytest.raises(PermissionDeniedError):
        set_supplier_active(advisor, supplier_id, False)
    assert get_supplier(advisor, supplier_id).active
