"""Labour-time norms on SQLite and PostgreSQL: the most specific norm wins, folded matching, the default, editing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autoservice_desk.services.catalog import list_services
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.errors import ConflictError, FieldErrors, NotFoundError
from autoservice_desk.services.labour_norms import (
    NormAnswer,
    NormForm,
    add_norm,
    delete_norm,
    list_norms,
    norm_hours,
    norm_hours_for_vehicle,
    update_norm,
)
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle


@pytest.fixture
def belt(uow_factory: UnitOfWorkFactory) -> int:
    """The timing-belt job (default 3 h) with norms from the widest to the narrowest."""
    service_id = list_services(uow_factory, "EN-BELT")[0].id
    for form in (
        NormForm("Kia", hours="2.5"),
        NormForm("kia ", "Rio", hours="2.2"),
        NormForm("KIA", "RIO", "2011", "2017", hours="2.0"),
        NormForm("Kia", "Rio", "2011", "2017", "1,6 G4FC", "1.8"),
        NormForm("Kia", "Rio", "2015", "2016", hours="1.9"),  # narrower years than 2011-2017
        NormForm("Лада", "Гранта", hours="3.5"),
        NormForm("Kia", engine="G4FC", hours="2.4"),  # an engine on any Kia: beaten by any model norm
    ):
        add_norm(uow_factory, service_id, form)
    return service_id


def hours(uow_factory: UnitOfWorkFactory, service_id: int, *car: object) -> NormAnswer:
    with uow_factory(read_only=True) as uow:
        return norm_hours(uow, service_id, *car)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("car", "expected", "source"),
    [
        (("Kia", "Rio", 2013, "1.6 g4fc"), "1.80", "make+model+years+engine"),
        (("kia", "rio", 2013, "1.4 G4FA"), "2.00", "make+model+years"),
        (("Kia", "Rio", 2015, None), "1.90", "make+model+years"),
        (("Kia", "Rio", 2019, "1.6 G4FC"), "2.20", "make+model"),
        (("Kia", "Rio", None, "1.6 G4FC"), "2.20", "make+model"),
        (("KIA", "Ceed", 2019, None), "2.50", "make"),
        (("Kia", "Ceed", 2019, "G4FC"), "2.40", "make+engine"),
        (("ЛАДА", "гранта", 2020, None), "3.50", "make+model"),
        (("лада", "Гранта", None, None), "3.50", "make+model"),
        (("Ёж-Мобиль", "Rio", 2013, None), "3.00", "default"),
        ((None, None, None, None), "3.00", "default"),
    ],
)
def test_the_most_specific_matching_norm_wins(
    uow_factory: UnitOfWorkFactory, belt: int, car: tuple[object, ...], expected: str, source: str
) -> None:
    answer = hours(uow_factory, belt, *car)
    assert (answer.hours, answer.source) == (Decimal(expected), source)
    assert (answer.norm_id is None) == (source == "default")


def test_ё_and_е_are_one_letter_in_makes(uow_factory: UnitOfWorkFactory) -> None:
    service_id = list_services(uow_factory, "TO-OIL")[0].id
    add_norm(uow_factory, service_id, NormForm("Ёлка-Авто", "Ёж", hours="0.7"))
    assert hours(uow_factory, service_id, "елка-авто", "еж", None, None).hours == Decimal("0.70")


def test_norm_hours_for_a_car_on_a_card(uow_factory: UnitOfWorkFactory, belt: int) -> None:
    owner = create_client(uow_factory, ClientForm(surname="Петров"))
    car = create_vehicle(uow_factory, owner, VehicleForm(make="Kia", model="Rio", year="2014", engine="1.6 G4FC"))
    assert norm_hours_for_vehicle(uow_factory, belt, car) == hours(uow_factory, belt, "Kia", "Rio", 2014, "1.6 G4FC")
    assert norm_hours_for_vehicle(uow_factory, belt, car).hours == Decimal("1.80")
    with pytest.raises(NotFoundError):
        norm_hours_for_vehicle(uow_factory, belt, car + 1000)


def test_norms_are_listed_edited_and_removed(uow_factory: UnitOfWorkFactory, belt: int) -> None:
    norms = list_norms(uow_factory, belt)
    assert [(n.make, n.model, n.year_from, n.year_to, n.engine) for n in norms][:2] == [
        ("KIA", None, None, None, None),
        ("KIA", None, None, None, "G4FC"),
    ]
    stored = next(n for n in norms if n.engine == "1.6 G4FC")  # folded: upper case, 1,6 as 1.6
    update_norm(uow_factory, stored.id, NormForm("Kia", "Rio", 2011, 2017, "1.6 G4FC", Decimal("1.7")))
    assert hours(uow_factory, belt, "Kia", "Rio", 2013, "1.6 G4FC").hours == Decimal("1.70")
    with pytest.raises(ConflictError):
        add_norm(uow_factory, belt, NormForm("kia", "rio", hours="9"))
    delete_norm(uow_factory, stored.id)
    assert hours(uow_factory, belt, "Kia", "Rio", 2013, "1.6 G4FC").source == "make+model+years"


def test_a_bad_norm_names_each_field_and_writes_nothing(uow_factory: UnitOfWorkFactory, belt: int) -> None:
    before = list_norms(uow_factory, belt)
    with pytest.raises(FieldErrors) as caught:
        add_norm(uow_factory, belt, NormForm("", "Rio", "2020", "2010", hours="-1"))
    assert set(caught.value.problems) == {"make", "year_to", "hours"}
    with pytest.raises(FieldErrors) as caught:
        add_norm(uow_factory, belt, NormForm("Kia", year_from="1850", year_to="двадцатый", hours="0,001"))
    assert set(caught.value.problems) == {"year_from", "year_to", "hours"}
    assert list_norms(uow_factory, belt) == before
    with pytest.raises(NotFoundError):
        add_norm(uow_factory, 999_999, NormForm("Kia", hours="1"))
