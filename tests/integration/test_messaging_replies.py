"""Replies on SQLite and PostgreSQL against the local provider server: STOP opts out before the next send, the
Telegram offset survives a restart, "/start CODE" links a chat (once), wrong codes link nothing, failed polls
lose nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fake_sms_servers import BOT_TOKEN, SMSC_LOGIN, SMSC_PASSWORD, FakeSmsServer
from sqlalchemy import func, select

from autoservice_desk.integrations.messaging import IncomingReply, SmscProvider, TelegramProvider
from autoservice_desk.models.clients import ClientMessenger
from autoservice_desk.models.messaging import MessageOptOut, OutboxMessage
from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.clients import create_client, record_consent
from autoservice_desk.services.delivery import Deliverer
from autoservice_desk.services.delivery_lock import delivery_lock_for
from autoservice_desk.services.errors import PermissionDeniedError
from autoservice_desk.services.inbound_messages import poll_replies, telegram_link_code
from autoservice_desk.services.message_templates import MessageFacts
from autoservice_desk.services.message_triggers import queue_event_message
from autoservice_desk.services.messaging_providers import ProviderSet
from autoservice_desk.services.messaging_settings import get_settings, update_settings
from autoservice_desk.services.outbox import MessageRequest, client_recipient, enqueue
from autoservice_desk.services.scheduler import MessagingRuntime
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
TIMEOUT = (1.0, 0.5)
PHONE, CHAT = "+79161234567", 555_001


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def server() -> Iterator[FakeSmsServer]:
    fake = FakeSmsServer().start()
    yield fake
    fake.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory, clock: Clock) -> UnitOfWorkFactory:
    factory = UnitOfWorkFactory(uow_factory.engine, clock=clock)
    update_settings(factory, replace(get_settings(factory), telegram_enabled=True, shop_name="Автосервис Плюс"))
    return factory


def smsc(server: FakeSmsServer) -> SmscProvider:
    return SmscProvider(login=SMSC_LOGIN, password=SMSC_PASSWORD, base_url=server.url, timeout=TIMEOUT)


def bot(server: FakeSmsServer) -> TelegramProvider:
    return TelegramProvider(BOT_TOKEN, base_url=server.url, timeout=TIMEOUT)


def both(server: FakeSmsServer) -> ProviderSet:
    return ProviderSet(sms=smsc(server), telegram=bot(server))


def client(shop: UnitOfWorkFactory) -> int:
    client_id = create_client(shop, ClientForm(surname="Иванов", given_name="Сергей", phones=(PhoneEntry(PHONE),)))
    record_consent(shop, client_id, "service", True, date(2026, 1, 1), "signed form")
    return client_id


def queue(shop: UnitOfWorkFactory, key: str, client_id: int | None = None, recipient: str = PHONE) -> str:
    with shop() as uow:
        status = enqueue(uow, MessageRequest("sms", recipient, "Ваш автомобиль готов", key, client_id=client_id)).status
        uow.commit()
    return status


def statuses(shop: UnitOfWorkFactory) -> dict[str, str]:
    with shop(read_only=True) as uow:
        rows = uow.session.execute(select(OutboxMessage.idempotency_key, OutboxMessage.status))
        return {key: status for key, status in rows}


def telegram_links(shop: UnitOfWorkFactory, client_id: int) -> list[str]:
    with shop(read_only=True) as uow:
        return list(uow.session.scalars(select(ClientMessenger.handle).where(ClientMessenger.client_id == client_id)))


def test_a_stop_reply_opts_the_number_out_before_the_next_send(shop: UnitOfWorkFactory, server: FakeSmsServer) -> None:
    client_id = client(shop)
    queue(shop, "car-ready", client_id)
    queue(shop, "other", recipient="+79160000000")
    server.add_sms_reply("79161234567", "Спасибо!")
    server.add_sms_reply("79161234567", "СТОП")
    report = poll_replies(shop, ProviderSet(sms=smsc(server)))
    assert (report.handled, report.opted_out, report.errors) == (2, 1, [])
    assert statuses(shop) == {"car-ready": "cancelled", "other": "queued"}
    assert queue(shop, "next", client_id) == "cancelled"  # the next one is refused when queued
    Deliverer(shop, ProviderSet(sms=smsc(server))).run_once()
    assert server.sent_to("79161234567") == [] and len(server.sent_to("79160000000")) == 1
    with shop(read_only=True) as uow:
        opt_out = uow.session.scalar(select(MessageOptOut))
        assert opt_out is not None and (opt_out.recipient, opt_out.client_id) == (PHONE, client_id)
    # A restart (a new adapter) asks after the last handled id: nothing is handled twice.
    assert poll_replies(shop, ProviderSet(sms=smsc(server))).handled == 0
    server.add_sms_reply("79169999999", "stop")
    assert poll_replies(shop, ProviderSet(sms=smsc(server))).opted_out == 1


def test_start_code_links_the_chat_and_later_messages_go_to_telegram(shop: UnitOfWorkFactory,
                                                                      server: FakeSmsServer) -> None:  # fmt: skip
    client_id = client(shop)
    code = telegram_link_code(shop, client_id)
    assert len(code) == 6 and code.isalnum()
    server.add_update(CHAT, f"/start {code.lower()}")
    report = poll_replies(shop, ProviderSet(telegram=bot(server)))
    assert (report.linked, report.answered) == (1, 1)
    assert telegram_links(shop, client_id) == [str(CHAT)]
    Deliverer(shop, both(server)).run_once()  # the bot's answer goes through the outbox, quiet hours or not
    [answer] = server.sent_to(str(CHAT))
    assert answer.startswith("Готово!") and "Автосервис Плюс" in answer
    with shop() as uow:
        assert client_recipient(uow, client_id, "telegram") == str(CHAT)
        result = queue_event_message(uow, "visit_follow_up", "follow-up:1", MessageFacts(client_id=client_id))
        uow.commit()
    assert result is not None and result.status == "queued"
    Deliverer(shop, both(server)).run_once()
    assert len(server.sent_to(str(CHAT))) == 2 and server.sent_to("79161234567") == []


def test_the_telegram_offset_survives_a_restart(shop: UnitOfWorkFactory, server: FakeSmsServer) -> None:
    client_id = client(shop)
    code = telegram_link_code(shop, client_id)
    first = server.add_update(CHAT, f"/start {code}")
    server.add_update(CHAT, None)  # a sticker: read past
    last = server.add_update(CHAT, "Спасибо")
    assert poll_replies(shop, ProviderSet(telegram=bot(server))).handled == 3
    # Telegram still holds the three (nothing confirmed them yet); a restarted desk asks with the stored offset.
    report = poll_replies(shop, ProviderSet(telegram=bot(server)))
    assert report.handled == 0 and server.state.update_offsets == [None, last + 1]
    assert telegram_links(shop, client_id) == [str(CHAT)] and first < last
    with shop(read_only=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


class Replaying:
    """A source that hands out the same updates on every poll (an offset the provider did not honour)."""

    name, channel, reply_source = "telegram", "telegram", "telegram:replaying"

    def __init__(self, replies: list[IncomingReply]) -> None:
        self.replies = replies

    def fetch_replies(self, after: int | None) -> list[IncomingReply]:
        return self.replies


def test_the_same_update_twice_links_once_and_answers_once(shop: UnitOfWorkFactory) -> None:
    client_id = client(shop)
    code = telegram_link_code(shop, client_id)
    source = Replaying([IncomingReply(41, str(CHAT), f"/start {code}"), IncomingReply(42, str(CHAT), "СТОП")])
    providers = ProviderSet(telegram=source)  # type: ignore[arg-type]
    assert poll_replies(shop, providers).handled == 2
    assert poll_replies(shop, providers).handled == 0
    assert telegram_links(shop, client_id) == [str(CHAT)]
    with shop(read_only=True) as uow:
        keys = list(uow.session.scalars(select(OutboxMessage.idempotency_key)))
        opt_outs = list(uow.session.scalars(select(MessageOptOut.recipient)))
    assert keys == ["bot-answer:telegram:replaying:41"] and opt_outs == [str(CHAT)]


def test_a_wrong_or_expired_code_is_answered_politely_and_links_nothing(shop: UnitOfWorkFactory, clock: Clock,
                                                                        server: FakeSmsServer) -> None:  # fmt: skip
    client_id = client(shop)
    code = telegram_link_code(shop, client_id)
    replaced = telegram_link_code(shop, client_id)  # a new code replaces the unused one
    clock.now += timedelta(hours=25)
    for text in (f"/start {replaced}", f"/start {code}", "/start ZZZZZZ", "/start"):
        server.add_update(CHAT, text)
    report = poll_replies(shop, ProviderSet(telegram=bot(server)))
    assert (report.handled, report.linked, report.answered) == (4, 0, 4)
    assert telegram_links(shop, client_id) == []
    Deliverer(shop, both(server)).run_once()
    answers = server.sent_to(str(CHAT))
    assert len(answers) == 4 and sum("не подходит" in answer for answer in answers) == 3
    assert answers[-1].startswith("Здравствуйте!")


def test_failed_or_malformed_polls_are_logged_and_lose_nothing(shop: UnitOfWorkFactory, server: FakeSmsServer,
                                                               caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    client_id = client(shop)
    server.add_update(CHAT, f"/start {telegram_link_code(shop, client_id)}")
    server.add_sms_reply("79161234567", "СТОП")
    providers = both(server)
    caplog.set_level(logging.WARNING, "autoservice_desk.services.inbound_messages")
    for failure in ("malformed", "500", "409"):  # SMSC and the bot each meet one failure per round
        server.fail_next(failure, 2)
        report = poll_replies(shop, providers)
        assert report.handled == 0 and len(report.errors) == 2
    server.state.updates.insert(0, {"no": "update_id"})  # one unreadable entry spoils the whole answer
    assert poll_replies(shop, ProviderSet(telegram=bot(server))).errors
    server.state.updates.pop(0)
    assert "polling replies from telegram failed" in caplog.text
    report = poll_replies(shop, providers)
    assert (report.handled, report.linked, report.opted_out, report.errors) == (2, 1, 1, [])


def test_only_the_desk_holding_the_delivery_lock_polls(shop: UnitOfWorkFactory, server: FakeSmsServer) -> None:
    server.add_sms_reply("79161234567", "СТОП")
    other_desk = delivery_lock_for(shop.engine)
    assert other_desk.acquire()
    runtime = MessagingRuntime(shop, lambda settings: ProviderSet(sms=smsc(server)), delivery_lock_for(shop.engine))
    try:
        assert runtime.poll_replies() is None
        other_desk.release()
        report = runtime.poll_replies()
        assert report is not None and report.opted_out == 1
    finally:
        runtime.lock.release()
        other_desk.release()


def test_only_advisors_and_managers_make_link_codes(shop: UnitOfWorkFactory) -> None:
    client_id = client(shop)
    mechanic = shop.acting_as(Actor(user_id=None, login="mech", roles=frozenset({"mechanic"})))
    with pytest.raises(PermissionDeniedError):
        telegram_link_code(mechanic, client_id)


def test_the_scheduler_polls_replies_and_sends_the_answers_straight_away(shop: UnitOfWorkFactory,
                                                                         server: FakeSmsServer) -> None:  # fmt: skip
    from autoservice_desk.services import scheduler as scheduler_module

    client_id = client(shop)
    server.add_update(CHAT, f"/start {telegram_link_code(shop, client_id)}")
    started = scheduler_module.start_scheduler(shop, None, delivery_interval_s=3600,  # type: ignore[arg-type]
                                               providers_for=lambda settings: both(server))  # fmt: skip
    try:
        assert started.scheduler.get_job(scheduler_module.REPLIES_JOB) is not None
        scheduler_module.run_replies()  # what the job runs every minute
    finally:
        started.stop()
    assert telegram_links(shop, client_id) == [str(CHAT)]
    assert [answer.split("!")[0] for answer in server.sent_to(str(CHAT))] == ["Готово"]
