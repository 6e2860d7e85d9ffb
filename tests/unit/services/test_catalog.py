"""The service catalog on SQLite and PostgreSQL: seeded services, editing with named errors, prices, rights, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.catalog import (
    ServiceForm,
    ServiceInfo,
    create_service,
    get_service,
    list_services,
    price_of,
    set_service_active,
    update_service,
)
from autoservice_desk.services.catalog_reference import (
    add_category,
    add_reference_entry,
    list_categories,
    list_equipment,
    list_skills,
    remove_category,
    rename_reference_entry,
    update_category,
)
from autoservice_desk.services.errors import ConflictError, FieldErrors, PermissionDeniedError
from autoservice_desk.services.unit_of_work import Actor, ChangeSet, UnitOfWorkFactory


def category_id(uow_factory: UnitOfWorkFactory, name: str) -> int:
    return next(category.id for category in list_categories(uow_factory) if category.name == name)


def equipment_id(uow_factory: UnitOfWorkFactory, code: str) -> int:
    return next(entry.id for entry in list_equipment(uow_factory) if entry.code == code)


def test_the_seeded_catalog_is_listed_and_filtered_by_folded_text(uow_factory: UnitOfWorkFactory) -> None:
    everything = list_services(uow_factory)
    assert len(everything) == 26
    assert [service.code for service in list_services(uow_factory, "ЗАМЕНА МАСЛА")] == ["TO-OIL"]
    # ё and е are one letter, case does not matter, words may come in any order, the category name counts too
    assert [service.code for service in list_services(uow_factory, "тормоза задних")] == ["BR-PADS-R"]
    oil = list_services(uow_factory, "to-oil")[0]
    assert oil.category_name == "ТО" and oil.hourly_rate == Decimal("2200.00")
    assert oil.default_hours == Decimal("0.50") and oil.equipment_ids == {equipment_id(uow_factory, "lift")}
    assert list_services(uow_factory, "нет такой услуги") == []


def test_price_is_hours_times_rate_rounded_half_up_or_the_fixed_price(uow_factory: UnitOfWorkFactory) -> None:
    hourly = list_services(uow_factory, "TO-1")[0]
    assert price_of(hourly, Decimal("1.5")) == Decimal("3300.00")
    odd = ServiceInfo(
        1, 1, "", None, "", "paid", Decimal(1), frozenset(), None, "hourly", None, Decimal("1333.33"), True
    )
    assert price_of(odd, Decimal("0.15")) == Decimal("200.00")  # 199.9995 rounds up
    assert price_of(odd, Decimal("0.0001")) == Decimal("0.13")  # 0.133333 rounds down
    fixed = list_services(uow_factory, "DG-COMP")[0]
    assert fixed.price_rule == "fixed" and price_of(fixed, Decimal("7")) == Decimal("1500.00")


def test_a_service_with_a_fixed_price_is_created_audited_and_announced(uow_factory: UnitOfWorkFactory) -> None:
    changes: list[ChangeSet] = []
    uow_factory.subscribe(changes.append)
    skill = next(entry.id for entry in list_skills(uow_factory) if entry.code == "tyres")
    form = ServiceForm(
        category_id=category_id(uow_factory, "Шиномонтаж"), code="TY-STORE", name="  Хранение   шин ",
        kind="extended", default_hours="0,3", equipment_ids=frozenset({equipment_id(uow_factory, "balancer")}),
        skill_id=skill, price_rule="fixed", fixed_price="1 500,50",
    )  # fmt: skip
    service_id = create_service(uow_factory, form)
    service = get_service(uow_factory, service_id)
    assert (service.name, service.kind, service.default_hours) == ("Хранение шин", "extended", Decimal("0.30"))
    assert (service.price_rule, service.fixed_price, service.skill_id) == ("fixed", Decimal("1500.50"), skill)
    assert price_of(service, Decimal("10")) == Decimal("1500.50")
    assert changes and changes[-1].touches("catalog")
    entry = list_entries(uow_factory, None, 5)[0]
    assert (entry.entity, entry.entity_id, entry.action) == ("service", str(service_id), "create")
    assert entry.after is not None and entry.after["fixed_price"] == "1500.50"


def test_every_bad_field_is_named_and_nothing_is_written(uow_factory: UnitOfWorkFactory) -> None:
    before = len(list_services(uow_factory))
    form = ServiceForm(
        category_id=None, code="TO-OIL", name="", kind="gift", default_hours="0", skill_id=999_999,
        price_rule="fixed", fixed_price="дёшево", equipment_ids=frozenset({999_999}),
    )  # fmt: skip
    with pytest.raises(FieldErrors) as caught:
        create_service(uow_factory, form)
    assert set(caught.value.problems) == {
        "category_id", "code", "name", "kind", "default_hours", "skill_id", "fixed_price", "equipment_ids"
    }  # fmt: skip
    assert "TO-OIL" in caught.value.problems["code"]
    assert len(list_services(uow_factory)) == before
    assert list_entries(uow_factory, None, 5) == []


def test_names_are_unique_in_any_case_and_hours_have_two_places(uow_factory: UnitOfWorkFactory) -> None:
    form = ServiceForm(category_id=category_id(uow_factory, "ТО"), name="замена МАСЛА в двигателе и фильтра",
                       default_hours="1.255")  # fmt: skip
    with pytest.raises(FieldErrors) as caught:
        create_service(uow_factory, form)
    assert set(caught.value.problems) == {"name", "default_hours"}


def test_update_checks_the_version_and_records_only_what_changed(uow_factory: UnitOfWorkFactory) -> None:
    oil = list_services(uow_factory, "TO-OIL")[0]
    scanner = equipment_id(uow_factory, "scanner")
    form = ServiceForm(
        oil.category_id, oil.code or "", oil.name, oil.kind, oil.default_hours, oil.equipment_ids | {scanner},
        oil.skill_id, oil.price_rule, "", oil.active,
    )  # fmt: skip
    update_service(uow_factory, oil.id, oil.version, form)
    after = get_service(uow_factory, oil.id)
    assert scanner in after.equipment_ids and after.version == oil.version + 1  # links alone still move the version
    entry = list_entries(uow_factory, None, 1)[0]
    assert entry.before is not None and set(entry.before) == {"equipment_ids"}
    with pytest.raises(ConflictError):
        update_service(uow_factory, oil.id, oil.version, form)
    set_service_active(uow_factory, oil.id, False)
    assert oil.id not in {service.id for service in list_services(uow_factory, active_only=True)}


def test_categories_and_reference_lists(uow_factory: UnitOfWorkFactory) -> None:
    new = add_category(uow_factory, "Детейлинг", "3000")
    assert list_categories(uow_factory)[-1].hourly_rate == Decimal("3000.00")
    with pytest.raises(FieldErrors) as caught:
        add_category(uow_factory, "ДЕТЕЙЛИНГ", "-5")
    assert set(caught.value.problems) == {"name", "hourly_rate"}
    update_category(uow_factory, new, "Детейлинг", "3100,50")
    assert [c.hourly_rate for c in list_categories(uow_factory) if c.id == new] == [Decimal("3100.50")]
    with pytest.raises(ConflictError):
        remove_category(uow_factory, category_id(uow_factory, "ТО"))
    remove_category(uow_factory, new)
    lamp = add_reference_entry(uow_factory, "equipment", "Лампа ИК-сушки")
    assert [e.code for e in list_equipment(uow_factory) if e.id == lamp] == ["лампа_ик_сушки"]
    rename_reference_entry(uow_factory, "equipment", lamp, "ИК-сушка")
    with pytest.raises(FieldErrors):
        add_reference_entry(uow_factory, "skill", "диагностика")
    lift = equipment_id(uow_factory, "lift")
    rename_reference_entry(uow_factory, "equipment", lift, "Двухстоечный подъёмник")
    assert equipment_id(uow_factory, "lift") == lift  # the code the booking rules rely on never changes


def test_only_managers_and_admins_edit_the_catalog(uow_factory: UnitOfWorkFactory) -> None:
    advisor = uow_factory.acting_as(Actor(user_id=None, login="a", roles=frozenset({"advisor"})))
    manager = uow_factory.acting_as(Actor(user_id=None, login="m", roles=frozenset({"manager"})))
    with pytest.raises(PermissionDeniedError):
        add_category(advisor, "Мойка днища", "1000")
    assert list_services(advisor, "TO-OIL")  # reading is for everyone
    add_category(manager, "Мойка днища", "1000")
