"""Client cards on SQLite and PostgreSQL: validation, duplicates, concurrent edits, consents, blocking, timeline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autoservice_desk.services import audit
from autoservice_desk.services.client_forms import ClientForm, ContactPersonEntry, MessengerEntry, PhoneEntry
from autoservice_desk.services.client_list import list_clients
from autoservice_desk.services.client_search import search_clients
from autoservice_desk.services.clients import (
    DuplicateClientError,
    add_note,
    create_client,
    get_client,
    record_consent,
    set_blocked,
    update_client,
)
from autoservice_desk.services.errors import ConflictError, FieldErrors, PermissionDeniedError, ValidationError
from autoservice_desk.services.segments import Segment
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory, run_in_transaction

PETROV = ClientForm(
    surname="Петров", given_name="Пётр", patronymic="Сергеевич", phones=(PhoneEntry("8 (912) 345-67-89", "личный"),),
    email="petrov@example.ru", tags=("таксопарк", "VIP"), discount_percent="5,5",
)  # fmt: skip


def client_count(uow_factory: UnitOfWorkFactory) -> int:
    return len(list_clients(uow_factory, limit=500).rows)


def test_phones_typed_any_way_are_stored_in_e164(uow_factory: UnitOfWorkFactory) -> None:
    form = ClientForm(
        surname="Иванов",
        phones=(PhoneEntry("8 (912) 345-67-89"), PhoneEntry("+7 903 111 22 33"), PhoneEntry("916 555 44 33")),
    )
    card = get_client(uow_factory, create_client(uow_factory, form))
    assert [e164 for e164, _shown in card.phones] == ["+79123456789", "+79031112233", "+79165554433"]
    assert card.phones[0][1] == "+7 912 345-67-89"


def test_a_full_card_round_trips(uow_factory: UnitOfWorkFactory) -> None:
    client_id = create_client(uow_factory, PETROV)
    card = get_client(uow_factory, client_id)
    assert card.name == "Петров Пётр Сергеевич"
    assert card.form.tags == ("VIP", "таксопарк")
    assert card.form.discount_percent == "5.5"
    assert card.form.phones == (PhoneEntry("+7 912 345-67-89", "личный"),)
    assert card.segment is Segment.NEW
    assert card.consents == {"service": None, "marketing": None}


def test_every_wrong_field_is_named_and_nothing_is_saved(uow_factory: UnitOfWorkFactory) -> None:
    form = ClientForm(
        kind="company", company_name="", inn="7707083894", kpp="12", email="not-an-email",
        phones=(PhoneEntry("12"), PhoneEntry("+7 912 345-67-89"), PhoneEntry("8 912 345 67 89")),
        discount_percent="150", contact_persons=(ContactPersonEntry("", phone="+7 912 000"),),
    )  # fmt: skip
    with pytest.raises(FieldErrors) as caught:
        create_client(uow_factory, form)
    assert set(caught.value.problems) == {
        "company_name", "inn", "kpp", "email", "phones.0", "phones.2", "discount_percent", "contact_persons.0",
    }  # fmt: skip
    assert client_count(uow_factory) == 0


def test_a_company_with_contacts_and_messengers(uow_factory: UnitOfWorkFactory) -> None:
    form = ClientForm(
        kind="company", company_name="ООО «Волга-Трейд»", inn="7707083893", kpp="773601001",
        contact_persons=(ContactPersonEntry("Сидоров Иван", "механик парка", "8 912 111 22 33", "s@volga.ru"),),
        messengers=(MessengerEntry("telegram", "@volga"),),
    )  # fmt: skip
    card = get_client(uow_factory, create_client(uow_factory, form))
    assert card.name == "ООО «Волга-Трейд»"
    assert card.form.contact_persons[0].phone == "+7 912 111-22-33"
    assert card.form.messengers == (MessengerEntry("telegram", "@volga"),)
    assert [hit.client_id for hit in search_clients(uow_factory, "волга")] == [card.id]


def test_a_known_phone_offers_the_existing_card(uow_factory: UnitOfWorkFactory) -> None:
    first = create_client(uow_factory, PETROV)
    twin = ClientForm(surname="Петрова", phones=(PhoneEntry("+79123456789"),))
    with pytest.raises(DuplicateClientError) as caught:
        create_client(uow_factory, twin)
    assert [match.id for match in caught.value.matches] == [first]
    assert client_count(uow_factory) == 1
    second = create_client(uow_factory, twin, allow_duplicate=True)
    assert second != first


def test_editing_a_card_changed_by_another_desk_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    client_id = create_client(uow_factory, PETROV)
    card = get_client(uow_factory, client_id)
    update_client(uow_factory, client_id, card.version, ClientForm(surname="Петров", given_name="Павел"))
    with pytest.raises(ConflictError):
        update_client(uow_factory, client_id, card.version, ClientForm(surname="Петров", given_name="Пётр"))
    assert get_client(uow_factory, client_id).form.given_name == "Павел"


def test_a_change_is_audited_reindexed_and_on_the_timeline(uow_factory: UnitOfWorkFactory) -> None:
    client_id = create_client(uow_factory, PETROV)
    card = get_client(uow_factory, client_id)
    update_client(
        uow_factory, client_id, card.version, ClientForm(surname="Смирнов", phones=(PhoneEntry("9001234567"),))
    )
    assert search_clients(uow_factory, "петров") == []
    assert [hit.client_id for hit in search_clients(uow_factory, "смирн")] == [client_id]
    assert [hit.client_id for hit in search_clients(uow_factory, "4567")] == [client_id]
    entry = next(entry for entry in audit.list_entries(uow_factory, None, 10) if entry.action == "update")
    assert entry.before is not None and entry.before["surname"] == "Петров"
    summaries = [event.summary for event in list_events(uow_factory, client_id)]
    assert summaries[0].startswith("Changed: surname")
    assert summaries[-1] == "Card created"


def test_consents_keep_their_history_and_the_latest_is_in_force(uow_factory: UnitOfWorkFactory) -> None:
    from autoservice_desk.services.clients import consent_in_force

    client_id = create_client(uow_factory, PETROV)
    record_consent(uow_factory, client_id, "marketing", True, date(2026, 1, 10), "signed form")
    record_consent(uow_factory, client_id, "marketing", False, date(2026, 3, 1), "phone call")
    record_consent(uow_factory, client_id, "service", True, date(2026, 1, 10), "signed form")
    consents = get_client(uow_factory, client_id).consents
    assert consents["marketing"] is not None and not consents["marketing"].granted
    assert consents["service"] is not None and consents["service"].source == "signed form"
    assert run_in_transaction(uow_factory, lambda uow: consent_in_force(uow, client_id, "service"))
    assert not run_in_transaction(uow_factory, lambda uow: consent_in_force(uow, client_id, "marketing"))
    with pytest.raises(ValidationError):
        record_consent(uow_factory, client_id, "marketing", True, date(2026, 1, 10), "  ")


def test_blocking_needs_a_reason_and_shows_as_the_segment(uow_factory: UnitOfWorkFactory) -> None:
    client_id = create_client(uow_factory, PETROV)
    with pytest.raises(ValidationError):
        set_blocked(uow_factory, client_id, " ")
    set_blocked(uow_factory, client_id, "не оплатил ремонт")
    card = get_client(uow_factory, client_id)
    assert (card.segment, card.blocked_reason) == (Segment.BLOCKED, "не оплатил ремонт")
    set_blocked(uow_factory, client_id, None)
    assert get_client(uow_factory, client_id).segment is Segment.NEW


def test_notes_go_to_the_timeline_newest_first(uow_factory: UnitOfWorkFactory) -> None:
    client_id = create_client(uow_factory, PETROV)
    add_note(uow_factory, client_id, "Просил перезвонить\nпосле 18:00")
    events = list_events(uow_factory, client_id)
    assert (events[0].kind, events[0].summary, events[0].body) == (
        "note",
        "Просил перезвонить",
        "Просил перезвонить\nпосле 18:00",
    )
    page = list_events(uow_factory, client_id, limit=1)
    from autoservice_desk.services.timeline import TimelineCursor

    older = list_events(uow_factory, client_id, before=TimelineCursor(page[0].occurred_at, page[0].id))
    assert [event.id for event in page + older] == [event.id for event in events]


def test_a_mechanic_cannot_change_cards(uow_factory: UnitOfWorkFactory) -> None:
    mechanic = uow_factory.acting_as(Actor(None, "mech", roles=frozenset({"mechanic"})))
    with pytest.raises(PermissionDeniedError):
        create_client(mechanic, PETROV)


def test_the_plain_list_pages_in_name_order(uow_factory: UnitOfWorkFactory) -> None:
    for surname in ("Юдин", "ёлкин", "Абрамов", "Елисеев", "абрамова"):
        create_client(uow_factory, ClientForm(surname=surname))
    names, cursor = [], None
    while True:
        page = list_clients(uow_factory, after=cursor, limit=2)
        names += [row.display_name for row in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert names == ["Абрамов", "абрамова", "Елисеев", "ёлкин", "Юдин"]


def test_discount_is_exact(uow_factory: UnitOfWorkFactory) -> None:
    client_id = create_client(uow_factory, ClientForm(surname="Точный", discount_percent="7.25"))
    assert Decimal(get_client(uow_factory, client_id).form.discount_percent) == Decimal("7.25")
    with pytest.raises(FieldErrors):
        create_client(uow_factory, ClientForm(surname="Точный", discount_percent="7.255"))
