"""The outbox on SQLite and PostgreSQL: same transaction as the cause, idempotency, consent, opt-out, quiet hours,
daily limit, the triggers, templates and the totals the Messages screen shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from autoservice_desk.models.messaging import OutboxMessage
from autoservice_desk.models.scheduling import Booking
from autoservice_desk.services import domain_events, message_triggers
from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.clients import create_client, record_consent
from autoservice_desk.services.errors import ConflictError, ValidationError
from autoservice_desk.services.message_templates import MessageFacts, check_template, preview, save_template
from autoservice_desk.services.messaging_settings import get_settings, set_trigger_enabled, update_settings
from autoservice_desk.services.outbox import (
    MessageRequest,
    cancel_message,
    daily_totals,
    enqueue,
    handle_reply,
    list_messages,
    opt_out,
    retry_message,
)
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle

MOSCOW = ZoneInfo("Europe/Moscow")
NOON = datetime(2027, 3, 1, 12, 0, tzinfo=MOSCOW)
PHONE = "+79161234567"


def clocked(uow_factory: UnitOfWorkFactory, moment: datetime) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(uow_factory.engine, clock=lambda: moment.astimezone(UTC))


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    factory = clocked(uow_factory, NOON)
    settings = get_settings(factory)
    update_settings(factory, replace(settings, shop_name="Автосервис Плюс", shop_phone="+7 495 000-00-00"))
    return factory


def client(uow_factory: UnitOfWorkFactory, consent: bool = True, phone: str = PHONE) -> int:
    client_id = create_client(uow_factory, ClientForm(surname="Иванов", given_name="Сергей", patronymic="Петрович",
                                                      phones=(PhoneEntry(phone),)))  # fmt: skip
    if consent:
        record_consent(uow_factory, client_id, "service", True, date(2026, 1, 1), "signed form")
    return client_id


def request(key: str, client_id: int | None, **extra: object) -> MessageRequest:
    return MessageRequest("sms", PHONE, "Ваш автомобиль готов", key, client_id=client_id, **extra)  # type: ignore[arg-type]


def put(uow_factory: UnitOfWorkFactory, message: MessageRequest, commit: bool = True) -> int:
    with uow_factory() as uow:
        result = enqueue(uow, message)
        if commit:
            uow.commit()
    return result.message_id


def outbox(uow_factory: UnitOfWorkFactory) -> list[OutboxMessage]:
    with uow_factory(read_only=True) as uow:
        rows = list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        uow.session.expunge_all()  # plain values to look at after the unit of work ends
        return rows


def test_a_message_commits_or_rolls_back_with_its_cause_and_a_key_is_sent_once(shop: UnitOfWorkFactory) -> None:
    client_id = client(shop)
    put(shop, request("k:1", client_id), commit=False)
    assert outbox(shop) == []
    first = put(shop, request("k:1", client_id))
    assert put(shop, request("k:1", client_id)) == first
    [message] = outbox(shop)
    assert (message.status, message.segments, message.not_before) == ("queued", 1, None)
    assert [entry.kind for entry in list_events(shop, client_id)][0] == "message"


def test_no_consent_or_an_opt_out_keeps_the_message_from_going(shop: UnitOfWorkFactory) -> None:
    without = client(shop, consent=False, phone="+79160000001")
    put(shop, request("no-consent", without))
    queued = put(shop, request("later", client(shop)))
    assert opt_out(shop, "sms", PHONE, "звонок") == 1
    put(shop, request("after-opt-out", None))
    statuses = {message.idempotency_key: (message.status, message.last_error) for message in outbox(shop)}
    assert statuses["no-consent"][0] == "cancelled" and "agreed" in str(statuses["no-consent"][1])
    assert statuses["later"][0] == statuses["after-opt-out"][0] == "cancelled"
    assert queued in [message.id for message in list_messages(shop, statuses=("cancelled",))]
    assert handle_reply(shop, "sms", "+79160000001", "Стоп") is True
    assert handle_reply(shop, "sms", "+79160000001", "спасибо") is False


def test_quiet_hours_and_the_daily_limit_postpone_never_drop(shop: UnitOfWorkFactory) -> None:
    client_id = client(shop)
    late = clocked(shop, datetime(2027, 3, 1, 22, 30, tzinfo=MOSCOW))
    put(late, request("night", client_id))
    [night] = outbox(shop)
    assert night.not_before == datetime(2027, 3, 2, 9, 0, tzinfo=MOSCOW)
    settings = get_settings(shop)
    update_settings(shop, replace(settings, daily_limit=2))
    for number in range(3):
        put(shop, request(f"day:{number}", client_id))
    by_key = {message.idempotency_key: message for message in outbox(shop)}
    assert by_key["day:0"].not_before is None
    assert by_key["day:1"].not_before is None
    assert by_key["day:2"].not_before == datetime(2027, 3, 2, 9, 0, tzinfo=MOSCOW)  # the third today waits for tomorrow


def test_cancel_retry_and_totals(shop: UnitOfWorkFactory) -> None:
    client_id = client(shop)
    message_id = put(shop, request("a", client_id))
    cancel_message(shop, message_id)
    with pytest.raises(ConflictError):
        cancel_message(shop, message_id)
    retry_message(shop, message_id)
    assert outbox(shop)[0].status == "queued"
    with shop() as uow:
        row = uow.session.get(OutboxMessage, message_id)
        assert row is not None
        row.status, row.cost, row.segments = "delivered", Decimal("3.00"), 2
        uow.commit()
    [day] = daily_totals(shop, date(2027, 3, 1), date(2027, 3, 1), MOSCOW)
    assert (day.by_status, day.segments, day.cost) == ({"delivered": 1}, 2, Decimal("3.00"))


def test_empty_text_is_refused(shop: UnitOfWorkFactory) -> None:
    with pytest.raises(ValidationError):
        put(shop, MessageRequest("sms", PHONE, "  ", "empty"))


# --- triggers -------------------------------------------------------------------------------------------------


def _booking(uow_factory: UnitOfWorkFactory, client_id: int, vehicle_id: int, starts_at: datetime) -> int:
    with uow_factory() as uow:
        booking = Booking(kind="service", client_id=client_id, vehicle_id=vehicle_id, starts_at=starts_at,
                          ends_at=starts_at + timedelta(hours=1), status="booked")  # fmt: skip
        uow.session.add(booking)
        uow.session.flush()
        domain_events.raise_event(uow, domain_events.BookingCreated(booking.id, client_id, starts_at))
        uow.commit()
        return booking.id


def test_booking_confirmation_and_the_reminder_the_day_before(shop: UnitOfWorkFactory) -> None:
    message_triggers.install()
    client_id = client(shop)
    car = create_vehicle(shop, client_id, VehicleForm(make="Kia", model="Rio", year="2019", plate="А123ВС77"))
    booking_id = _booking(shop, client_id, car, datetime(2027, 3, 2, 10, 0, tzinfo=MOSCOW))
    [confirmation] = outbox(shop)
    assert confirmation.text == (
        "Сергей Петрович, вы записаны в Автосервис Плюс на 2 марта в 10:00. Kia Rio А123ВС77. Тел. +7 495 000-00-00"
    )
    assert confirmation.entity_id == booking_id and confirmation.template_code == "booking_created"
    assert message_triggers.queue_booking_reminders(shop) == 1
    assert message_triggers.queue_booking_reminders(shop) == 0  # a second desk running the job changes nothing
    reminder = outbox(shop)[-1]
    assert reminder.idempotency_key == f"booking-reminder:{booking_id}:2027-03-02"
    assert reminder.text.startswith("Напоминаем: завтра, 2 марта в 10:00")
    with shop() as uow:
        domain_events.raise_event(
            uow, domain_events.BookingCancelled(booking_id, client_id, reminder.expires_at, False)
        )  # type: ignore[arg-type]
        uow.commit()
    assert {message.status for message in outbox(shop)} == {"cancelled"}


def test_car_ready_with_the_amount_and_a_switched_off_trigger(shop: UnitOfWorkFactory) -> None:
    message_triggers.install()
    client_id = client(shop)
    event = domain_events.WorkOrderStatusChanged(7, "ЗН-7", client_id, None, "in_work", "ready", Decimal("12450.00"))
    with shop() as uow:
        domain_events.raise_event(uow, event)
        uow.commit()
    [ready] = outbox(shop)
    assert "К оплате 12\xa0450,00\xa0₽" in ready.text
    set_trigger_enabled(shop, "visit_follow_up", False)
    with shop() as uow:
        domain_events.raise_event(uow, replace(event, previous_status="ready", status="issued"))
        uow.commit()
    assert len(outbox(shop)) == 1
    set_trigger_enabled(shop, "visit_follow_up", True)
    with shop() as uow:
        domain_events.raise_event(uow, replace(event, previous_status="ready", status="issued"))
        uow.commit()
    follow_up = outbox(shop)[-1]
    assert follow_up.not_before == datetime(2027, 3, 2, 12, 0, tzinfo=MOSCOW)  # the next day at the reminder hour


# --- templates ------------------------------------------------------------------------------------------------


def test_templates_check_placeholders_and_the_shop_text_wins(shop: UnitOfWorkFactory) -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        check_template("Здравствуйте, {name}")
    with pytest.raises(ValidationError, match="brace"):
        check_template("Здравствуйте, {client_name")
    client_id = client(shop)
    save_template(shop, "car_ready", "ru", "{client_name}, машина готова, {amount}")
    result = preview(shop, "{client_name}, машина готова, {amount}", MessageFacts(client_id, amount=Decimal("100")))
    assert result.text == "Сергей Петрович, машина готова, 100,00\xa0₽"
    assert (result.segments.encoding, result.segments.segments) == ("UCS-2", 1)
    message_triggers.install()
    with shop() as uow:
        domain_events.raise_event(uow, domain_events.WorkOrderStatusChanged(1, "1", client_id, None, None, "ready",
                                                                            Decimal("5.00")))  # fmt: skip
        uow.commit()
    assert outbox(shop)[0].text == "Сергей Петрович, машина готова, 5,00\xa0₽"


def test_many_desks_enqueueing_the_same_key_make_one_row(shop: UnitOfWorkFactory) -> None:
    client_id = client(shop)
    for _attempt in range(3):
        put(shop, request("same", client_id))
    with shop(read_only=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_declined_work_follow_up_needs_the_marketing_consent(shop: UnitOfWorkFactory,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from autoservice_desk.services import recommendations
    from autoservice_desk.services.work_order_types import RecommendationInfo

    client_id = client(shop)
    declined = [
        RecommendationInfo(
            number, 5, "ЗН-5", client_id, None, text, None, "", None, None, "soon", "declined", NOON, NOON, None, None
        )  # fmt: skip
        for number, text in ((1, "Замена колодок"), (2, "Замена антифриза"))
    ]
    monkeypatch.setattr(recommendations, "declined_recommendations_due", lambda *args, **kwargs: declined)
    assert message_triggers.queue_declined_follow_ups(shop) == 1
    [message] = outbox(shop)
    assert "Замена колодок; Замена антифриза" in message.text
    assert (message.purpose, message.status) == ("marketing", "cancelled")  # only the service consent was given
