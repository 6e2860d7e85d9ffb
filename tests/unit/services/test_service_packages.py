"""Service packages on SQLite and PostgreSQL: services in order, typical parts, hours from the norms for a car."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.catalog import list_services
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.errors import FieldErrors, NotFoundError
from autoservice_desk.services.labour_norms import NormForm, add_norm
from autoservice_desk.services.service_packages import (
    PackageForm,
    PartLine,
    create_package,
    delete_package,
    get_package,
    list_packages,
    package_contents,
    update_package,
)
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle


def ids(uow_factory: UnitOfWorkFactory, *codes: str) -> tuple[int, ...]:
    return tuple(list_services(uow_factory, code)[0].id for code in codes)


@pytest.fixture
def to1_rio(uow_factory: UnitOfWorkFactory) -> int:
    form = PackageForm(
        name="ТО-1 Kia Rio 1.6", make="Kia", model="Rio", service_ids=ids(uow_factory, "TO-OIL", "TO-AIR", "DG-COMP"),
        parts=(PartLine("26300-35505", "Hyundai/Kia", "Фильтр масляный", "1"),
               PartLine("05100-00451", "Kia", "Масло 5W-30", "4,5")),
    )  # fmt: skip
    return create_package(uow_factory, form)


def test_a_package_keeps_its_services_in_order_and_its_parts(uow_factory: UnitOfWorkFactory, to1_rio: int) -> None:
    package = get_package(uow_factory, to1_rio)
    assert package.service_ids == ids(uow_factory, "TO-OIL", "TO-AIR", "DG-COMP")
    assert [(part.article, part.quantity) for part in package.parts] == [
        ("26300-35505", Decimal("1.000")),
        ("05100-00451", Decimal("4.500")),
    ]
    entry = list_entries(uow_factory, None, 1)[0]
    assert (entry.entity, entry.action) == ("service_package", "create")


def test_contents_take_hours_from_the_norms_for_the_car(uow_factory: UnitOfWorkFactory, to1_rio: int) -> None:
    oil, air, diagnostics = ids(uow_factory, "TO-OIL", "TO-AIR", "DG-COMP")
    add_norm(uow_factory, oil, NormForm("Kia", "Rio", hours="0.7"))
    owner = create_client(uow_factory, ClientForm(surname="Петров"))
    rio = create_vehicle(uow_factory, owner, VehicleForm(make="KIA", model="rio", year="2016"))
    contents = package_contents(uow_factory, to1_rio, rio)
    assert [(job.service_id, job.hours, job.source) for job in contents.jobs] == [
        (oil, Decimal("0.70"), "make+model"),
        (air, Decimal("0.20"), "default"),
        (diagnostics, Decimal("0.50"), "default"),
    ]
    # 0.7 h × 2200 + 0.2 h × 2200 + a fixed 1500 for the computer diagnostics
    assert [job.price for job in contents.jobs] == [Decimal("1540.00"), Decimal("440.00"), Decimal("1500.00")]
    assert (contents.total_hours, contents.total_price) == (Decimal("1.40"), Decimal("3480.00"))
    without_car = package_contents(uow_factory, to1_rio)
    assert without_car.total_hours == Decimal("1.20")


def test_packages_for_a_car_include_the_universal_ones(uow_factory: UnitOfWorkFactory, to1_rio: int) -> None:
    create_package(uow_factory, PackageForm(name="Подготовка к зиме", service_ids=ids(uow_factory, "TY-SEASON")))
    create_package(uow_factory, PackageForm(name="ТО-1 Лада Веста", make="Лада", model="Веста",
                                            service_ids=ids(uow_factory, "TO-1")))  # fmt: skip
    assert [p.name for p in list_packages(uow_factory, make="kia", model="RIO")] == [
        "Подготовка к зиме", "ТО-1 Kia Rio 1.6",
    ]  # fmt: skip
    assert [p.name for p in list_packages(uow_factory, "то-1")] == ["ТО-1 Kia Rio 1.6", "ТО-1 Лада Веста"]


def test_bad_fields_are_named_and_nothing_is_written(uow_factory: UnitOfWorkFactory, to1_rio: int) -> None:
    form = PackageForm(
        name="то-1 KIA RIO 1.6", model="Rio", service_ids=(),
        parts=(PartLine("", "", "Фильтр", "0"), PartLine("X1", "", "", "1,0005")),
    )  # fmt: skip
    with pytest.raises(FieldErrors) as caught:
        create_package(uow_factory, form)
    assert set(caught.value.problems) == {
        "name", "make", "services", "parts.0.article", "parts.0.quantity", "parts.1.name", "parts.1.quantity",
    }  # fmt: skip
    assert [p.id for p in list_packages(uow_factory)] == [to1_rio]


def test_update_replaces_the_lines_and_delete_removes(uow_factory: UnitOfWorkFactory, to1_rio: int) -> None:
    form = PackageForm(
        name="ТО-1 Kia Rio", make="Kia", model="Rio", service_ids=ids(uow_factory, "TO-CABIN", "TO-OIL"),
        parts=(PartLine("97133-4L000", "Kia", "Фильтр салона", "1"),),
    )  # fmt: skip
    update_package(uow_factory, to1_rio, form)
    package = get_package(uow_factory, to1_rio)
    assert package.name == "ТО-1 Kia Rio" and package.service_ids == ids(uow_factory, "TO-CABIN", "TO-OIL")
    assert [part.article for part in package.parts] == ["97133-4L000"]
    entry = list_entries(uow_factory, None, 1)[0]
    assert entry.action == "update" and entry.before is not None and "parts" in entry.before
    delete_package(uow_factory, to1_rio)
    with pytest.raises(NotFoundError):
        get_package(uow_factory, to1_rio)
