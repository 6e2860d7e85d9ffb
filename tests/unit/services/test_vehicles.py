"""Cars on client cards on SQLite and PostgreSQL: identity checks, duplicates, mileage log, change of owner."""

from __future__ import annotations

from datetime import date

import pytest

from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.client_search import search_clients
from autoservice_desk.services.clients import create_client, get_client
from autoservice_desk.services.demo_catalog import CAR_MODELS
from autoservice_desk.services.demo_data import make_vin
from autoservice_desk.services.errors import FieldErrors, ValidationError
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import (
    DuplicateVehicleError,
    LowerMileageError,
    VehicleForm,
    change_owner,
    create_vehicle,
    get_vehicle,
    record_mileage,
    update_vehicle,
)

VIN = make_vin(CAR_MODELS[0], 2019, 123456)
RIO = VehicleForm(make="Kia", model="Rio", year="2019", vin=VIN.lower(), plate="a123bc77", colour="белый")


@pytest.fixture
def owner(uow_factory: UnitOfWorkFactory) -> int:
    return create_client(uow_factory, ClientForm(surname="Петров"))


def test_a_car_is_stored_normalised_and_found_by_plate_and_vin(uow_factory: UnitOfWorkFactory, owner: int) -> None:
    car_id = create_vehicle(uow_factory, owner, RIO, mileage=45000)
    card = get_vehicle(uow_factory, car_id)
    assert (card.form.plate, card.form.vin) == ("А123ВС77", VIN)
    assert [entry.kilometres for entry in card.mileage] == [45000]
    assert [(entry.client.id, entry.until) for entry in card.owners] == [(owner, None)]
    assert [hit.client_id for hit in search_clients(uow_factory, "a123")] == [owner]
    assert [hit.client_id for hit in search_clients(uow_factory, VIN[-6:])] == [owner]
    assert get_client(uow_factory, owner).vehicles[0].last_mileage == 45000


def test_bad_vin_plate_and_year_are_named_and_nothing_is_saved(uow_factory: UnitOfWorkFactory, owner: int) -> None:
    form = VehicleForm(make="Kia", model="", year="1850", vin="XTA2109904357618O", plate="!!")
    with pytest.raises(FieldErrors) as caught:
        create_vehicle(uow_factory, owner, form)
    assert set(caught.value.problems) == {"model", "year", "vin", "plate"}
    assert get_client(uow_factory, owner).vehicles == ()


def test_an_old_car_needs_no_vin(uow_factory: UnitOfWorkFactory, owner: int) -> None:
    car_id = create_vehicle(uow_factory, owner, VehicleForm(make="ГАЗ", model="21", chassis_number="21-123 456"))
    assert get_vehicle(uow_factory, car_id).form.chassis_number == "21-123456"


def test_a_known_vin_or_plate_offers_the_existing_car(uow_factory: UnitOfWorkFactory, owner: int) -> None:
    create_vehicle(uow_factory, owner, RIO)
    other = create_client(uow_factory, ClientForm(surname="Сидоров"))
    with pytest.raises(DuplicateVehicleError) as caught:
        create_vehicle(uow_factory, other, RIO)
    assert caught.value.owner is not None and caught.value.owner.id == owner
    with pytest.raises(DuplicateVehicleError) as by_plate:
        create_vehicle(uow_factory, other, VehicleForm(make="Lada", model="Vesta", plate="А123ВС77"))
    assert by_plate.value.field == "plate"


def test_a_lower_mileage_needs_confirmation(uow_factory: UnitOfWorkFactory, owner: int) -> None:
    car_id = create_vehicle(uow_factory, owner, RIO, mileage=45000)
    today = get_vehicle(uow_factory, car_id).mileage[0].read_on
    record_mileage(uow_factory, car_id, 46000, today)
    with pytest.raises(LowerMileageError) as caught:
        record_mileage(uow_factory, car_id, 4600, today)
    assert caught.value.last == 46000
    assert len(get_vehicle(uow_factory, car_id).mileage) == 2
    record_mileage(uow_factory, car_id, 4600, today, confirm_lower=True)
    assert [entry.kilometres for entry in get_vehicle(uow_factory, car_id).mileage] == [45000, 46000, 4600]
    with pytest.raises(ValidationError):
        record_mileage(uow_factory, car_id, -1, today, confirm_lower=True)


def test_a_change_of_owner_keeps_the_history_with_the_car(uow_factory: UnitOfWorkFactory, owner: int) -> None:
    car_id = create_vehicle(uow_factory, owner, RIO)
    buyer = create_client(uow_factory, ClientForm(surname="Сидоров"))
    since = get_vehicle(uow_factory, car_id).owners[0].since
    change_owner(uow_factory, car_id, buyer, since)
    card = get_vehicle(uow_factory, car_id)
    assert [(entry.client.id, entry.until) for entry in card.owners] == [(owner, since), (buyer, None)]
    assert [hit.client_id for hit in search_clients(uow_factory, "А123ВС77")] == [buyer]
    assert get_client(uow_factory, owner).vehicles == ()
    assert list_events(uow_factory, owner)[0].summary.startswith("Car passed to Сидоров")
    with pytest.raises(ValidationError):
        change_owner(uow_factory, car_id, buyer, since)
    with pytest.raises(ValidationError):
        change_owner(uow_factory, car_id, owner, date(2000, 1, 1))


def test_editing_a_car_reindexes_its_owner(uow_factory: UnitOfWorkFactory, owner: int) -> None:
    car_id = create_vehicle(uow_factory, owner, RIO)
    card = get_vehicle(uow_factory, car_id)
    update_vehicle(uow_factory, car_id, card.version, VehicleForm(make="Kia", model="Rio", plate="В777ОР199"))
    assert search_clients(uow_factory, "А123ВС77") == []
    assert [hit.client_id for hit in search_clients(uow_factory, "в777ор")] == [owner]
