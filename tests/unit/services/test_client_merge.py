"""Merging cards and personal-data requests on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from autoservice_desk.services import audit
from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.client_list import list_clients
from autoservice_desk.services.client_merge import merge_clients
from autoservice_desk.services.client_search import search_clients
from autoservice_desk.services.clients import add_note, create_client, get_client, record_consent, update_client
from autoservice_desk.services.errors import PermissionDeniedError, ValidationError
from autoservice_desk.services.personal_data import anonymise_client, collect_personal_data, write_personal_data
from autoservice_desk.services.segments import record_visit
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import Actor, UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle, get_vehicle


@pytest.fixture
def pair(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    survivor = create_client(uow_factory, ClientForm(surname="Петров", phones=(PhoneEntry("+79123456789"),)))
    absorbed = create_client(
        uow_factory,
        ClientForm(surname="Петров", given_name="Пётр", email="p@example.ru",
                   phones=(PhoneEntry("+79123456789"), PhoneEntry("+79031112233")), tags=("VIP",)),
        allow_duplicate=True,
    )  # fmt: skip
    create_vehicle(uow_factory, absorbed, VehicleForm(make="Kia", model="Rio", plate="А123ВС77"), mileage=1000)
    record_consent(uow_factory, absorbed, "service", True, date(2026, 1, 1), "form")
    add_note(uow_factory, absorbed, "Любит кофе")
    return survivor, absorbed


def test_merge_moves_everything_and_fills_empty_fields(uow_factory: UnitOfWorkFactory, pair: tuple[int, int]) -> None:
    survivor, absorbed = pair
    merge_clients(uow_factory, survivor, absorbed)
    card = get_client(uow_factory, survivor)
    assert [e164 for e164, _shown in card.phones] == ["+79123456789", "+79031112233"]
    assert card.form.given_name == "Пётр" and card.form.email == "p@example.ru" and card.form.tags == ("VIP",)
    assert [car.plate for car in card.vehicles] == ["А123ВС77"]
    assert card.consents["service"] is not None and card.consents["service"].granted
    summaries = [event.summary for event in list_events(uow_factory, survivor)]
    assert "Любит кофе" in summaries and summaries[0].startswith("Card Петров Пётр")
    assert get_client(uow_factory, absorbed).merged_into is not None
    assert [hit.client_id for hit in search_clients(uow_factory, "А123ВС77")] == [survivor]
    assert [hit.client_id for hit in search_clients(uow_factory, "петров")] == [survivor]
    assert [row.client_id for row in list_clients(uow_factory).rows] == [survivor]
    owners = get_vehicle(uow_factory, card.vehicles[0].id).owners
    assert [entry.client.id for entry in owners] == [survivor]
    entry = next(entry for entry in audit.list_entries(uow_factory, None, 20) if entry.action == "merge")
    assert entry.after is not None and len(entry.after["moved"]["vehicles"]) == 1


def test_a_merged_card_cannot_be_merged_or_edited_again(uow_factory: UnitOfWorkFactory, pair: tuple[int, int]) -> None:
    survivor, absorbed = pair
    merge_clients(uow_factory, survivor, absorbed)
    with pytest.raises(ValidationError):
        merge_clients(uow_factory, survivor, absorbed)
    with pytest.raises(ValidationError):
        update_client(uow_factory, absorbed, get_client(uow_factory, absorbed).version, ClientForm(surname="X"))
    with pytest.raises(ValidationError):
        merge_clients(uow_factory, survivor, survivor)


def test_only_managers_merge(uow_factory: UnitOfWorkFactory, pair: tuple[int, int]) -> None:
    advisor = uow_factory.acting_as(Actor(None, "advisor1", roles=frozenset({"advisor"})))
    with pytest.raises(PermissionDeniedError):
        merge_clients(advisor, *pair)


def test_visit_history_is_combined(uow_factory: UnitOfWorkFactory, pair: tuple[int, int]) -> None:
    survivor, absorbed = pair

    def visits(uow: UnitOfWork) -> None:
        record_visit(uow, survivor, date(2026, 5, 1))
        record_visit(uow, absorbed, date(2025, 1, 1))
        record_visit(uow, absorbed, date(2026, 6, 1))
        uow.commit()

    run_in_transaction(uow_factory, visits)
    merge_clients(uow_factory, survivor, absorbed)
    card = get_client(uow_factory, survivor)
    assert (card.visit_count, card.last_visit_on) == (3, date(2026, 6, 1))


def test_personal_data_export_holds_everything(
    uow_factory: UnitOfWorkFactory, pair: tuple[int, int], tmp_path: Path
) -> None:
    _survivor, absorbed = pair
    path = tmp_path / "petrov.json"
    write_personal_data(uow_factory, absorbed, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["client"]["given_name"] == "Пётр"
    assert {phone["e164"] for phone in data["phones"]} == {"+79123456789", "+79031112233"}
    assert data["vehicles"][0]["plate"] == "А123ВС77" and data["mileage"][0]["kilometres"] == 1000
    assert data["consents"][0]["source"] == "form" and data["tags"] == ["VIP"]
    assert any(event["summary"] == "Любит кофе" for event in data["timeline"])
    assert any(entry.action == "personal_data_export" for entry in audit.list_entries(uow_factory, None, 5))


def test_anonymising_removes_the_person_and_keeps_the_cars(
    uow_factory: UnitOfWorkFactory, pair: tuple[int, int]
) -> None:
    _survivor, absorbed = pair
    with pytest.raises(ValidationError):
        anonymise_client(uow_factory, absorbed, "")
    anonymise_client(uow_factory, absorbed, "письменное заявление")
    card = get_client(uow_factory, absorbed)
    assert card.anonymised and card.phones == () and card.form.email == "" and card.form.surname == ""
    assert card.name == f"Client #{absorbed}"
    assert [car.plate for car in card.vehicles] == ["А123ВС77"]
    assert search_clients(uow_factory, "79031112233") == []
    data = collect_personal_data(uow_factory, absorbed)
    dumped = json.dumps(data, ensure_ascii=False)
    assert "Любит кофе" not in dumped and "Пётр" not in dumped and "9031112233" not in dumped
    assert any(row["action"] == "anonymise" for row in data["audit"])
    advisor = uow_factory.acting_as(Actor(None, "advisor1", roles=frozenset({"advisor"})))
    with pytest.raises(PermissionDeniedError):
        anonymise_client(advisor, pair[0], "просьба")
