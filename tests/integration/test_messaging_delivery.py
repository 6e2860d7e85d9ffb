"""Delivery against the local provider server on SQLite and PostgreSQL: sent, back-off, permanent failures, rate
limits, a provider down for an hour, a half-sent message settled after a crash, the lock, the scheduler's misfire."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_sms_servers import API_ID, SMSC_LOGIN, SMSC_PASSWORD, FakeSmsServer
from sqlalchemy import select, text

from autoservice_desk.integrations.messaging import OutgoingMessage, SmscProvider, SmsRuProvider
from autoservice_desk.models.messaging import OutboxMessage
from autoservice_desk.services.delivery import Deliverer
from autoservice_desk.services.delivery_lock import AdvisoryLock, FileLock
from autoservice_desk.services.messaging_providers import ProviderSet
from autoservice_desk.services.messaging_settings import get_settings, update_settings
from autoservice_desk.services.outbox import MessageRequest, enqueue
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
TIMEOUT = (1.0, 0.5)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def server() -> Iterator[FakeSmsServer]:
    fake = FakeSmsServer().start()
    fake.state.timeout_sleep = 1.0
    yield fake
    fake.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory, clock: Clock) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(uow_factory.engine, clock=clock)


def smsc(server: FakeSmsServer) -> ProviderSet:
    return ProviderSet(sms=SmscProvider(login=SMSC_LOGIN, password=SMSC_PASSWORD, base_url=server.url, timeout=TIMEOUT))


def smsru(server: FakeSmsServer) -> ProviderSet:
    return ProviderSet(sms=SmsRuProvider(API_ID, base_url=server.url, timeout=TIMEOUT))


def queue(uow_factory: UnitOfWorkFactory, count: int, prefix: str = "m") -> None:
    with uow_factory() as uow:
        for number in range(count):
            enqueue(uow, MessageRequest("sms", f"+7916{number:07d}", f"Сообщение {number}", f"{prefix}:{number}"))
        uow.commit()


def statuses(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    with uow_factory(read_only=True) as uow:
        rows = uow.session.execute(select(OutboxMessage.status)).scalars().all()
    return {status: rows.count(status) for status in set(rows)}


def test_queued_messages_go_out_and_their_delivery_is_polled(shop: UnitOfWorkFactory, server: FakeSmsServer,
                                                             clock: Clock) -> None:  # fmt: skip
    queue(shop, 5)
    deliverer = Deliverer(shop, smsc(server))
    report = deliverer.run_once()
    assert report.sent == 5 and statuses(shop) == {"sent": 5}
    assert server.total() == 5 and not server.duplicates()
    clock.advance(minutes=11)
    assert deliverer.run_once().delivered == 5
    with shop(read_only=True) as uow:
        costs = set(uow.session.scalars(select(OutboxMessage.cost)))
    assert statuses(shop) == {"delivered": 5} and {str(cost) for cost in costs} == {"1.50"}


def test_transient_errors_back_off_permanent_ones_fail(shop: UnitOfWorkFactory, server: FakeSmsServer,
                                                       clock: Clock) -> None:  # fmt: skip
    queue(shop, 3)
    server.fail_next("500")
    deliverer = Deliverer(shop, smsc(server))
    report = deliverer.run_once()
    assert (report.sent, report.postponed) == (0, 3)  # the batch stops: the provider is struggling
    with shop(read_only=True) as uow:
        attempts = sorted(uow.session.scalars(select(OutboxMessage.attempts)))
    assert attempts == [0, 0, 1]  # only the message that met the error spent an attempt
    assert deliverer.run_once().sent == 0  # still backing off
    clock.advance(minutes=1)
    server.fail_next("7")  # an invalid number: permanent
    report = deliverer.run_once()
    assert (report.sent, report.failed) == (2, 1) and statuses(shop) == {"sent": 2, "failed": 1}


def test_a_rate_limit_waits_as_long_as_the_provider_asks(shop: UnitOfWorkFactory, server: FakeSmsServer,
                                                         clock: Clock) -> None:  # fmt: skip
    queue(shop, 2)
    server.fail_next("9")  # SMSC: the same request too often; wait a minute
    deliverer = Deliverer(shop, smsc(server))
    assert deliverer.run_once().postponed == 2
    clock.advance(seconds=30)
    assert deliverer.run_once().sent == 0
    clock.advance(seconds=31)
    assert deliverer.run_once().sent == 2


def test_a_provider_down_for_an_hour_loses_nothing(shop: UnitOfWorkFactory, server: FakeSmsServer,
                                                   clock: Clock) -> None:  # fmt: skip
    queue(shop, 20)
    deliverer = Deliverer(shop, smsc(server))
    server.set_down(True)
    for _minute in range(60):
        deliverer.run_once()
        clock.advance(minutes=1)
    assert statuses(shop) == {"queued": 20} and server.total() == 0
    server.set_down(False)
    for _minute in range(20):  # the back-off is at most 15 minutes
        deliverer.run_once()
        clock.advance(minutes=1)
    assert set(statuses(shop)) <= {"sent", "delivered"} and sum(statuses(shop).values()) == 20
    assert server.total() == 20 and not server.duplicates()


def _claim_then_crash(uow_factory: UnitOfWorkFactory, providers: ProviderSet) -> None:
    """What a desk killed after the provider's "accepted" and before our commit leaves behind."""
    crashed = Deliverer(uow_factory, providers, worker="dead-desk")
    [claimed] = crashed._write(crashed._claim)
    assert providers.sms is not None
    providers.sms.send(OutgoingMessage(claimed.recipient, claimed.text, claimed.client_ref))


def test_a_half_sent_message_is_found_at_the_provider_not_sent_again(shop: UnitOfWorkFactory, server: FakeSmsServer,
                                                                      clock: Clock) -> None:  # fmt: skip
    queue(shop, 1)
    _claim_then_crash(shop, smsc(server))
    clock.advance(minutes=2)
    report = Deliverer(shop, smsc(server)).run_once()
    assert (report.settled, report.sent) == (1, 0)
    assert statuses(shop) == {"sent": 1} and server.total() == 1


def test_a_claim_the_provider_never_saw_is_sent_after_the_crash(shop: UnitOfWorkFactory, server: FakeSmsServer,
                                                                 clock: Clock) -> None:  # fmt: skip
    queue(shop, 1)
    crashed = Deliverer(shop, smsc(server), worker="dead-desk")
    crashed._write(crashed._claim)
    clock.advance(minutes=2)
    report = Deliverer(shop, smsc(server)).run_once()
    assert (report.settled, report.sent) == (1, 1) and server.total() == 1


def test_without_lookup_a_half_sent_message_is_failed_as_uncertain(shop: UnitOfWorkFactory, server: FakeSmsServer,
                                                                    clock: Clock) -> None:  # fmt: skip
    queue(shop, 1)
    _claim_then_crash(shop, smsru(server))
    clock.advance(minutes=2)
    Deliverer(shop, smsru(server)).run_once()
    assert statuses(shop) == {"failed": 1} and server.total() == 1  # at most once: a person decides


def test_an_expired_or_opted_out_message_is_not_sent(shop: UnitOfWorkFactory, server: FakeSmsServer) -> None:
    with shop() as uow:
        enqueue(uow, MessageRequest("sms", "+79160000001", "x", "old", expires_at=START + timedelta(minutes=1)))
        uow.commit()
    settings = get_settings(shop)
    update_settings(shop, replace(settings, quiet_start_minute=0, quiet_end_minute=0))
    shop.clock.advance(minutes=5)  # type: ignore[attr-defined]
    Deliverer(shop, smsc(server)).run_once()
    assert statuses(shop) == {"cancelled": 1} and server.total() == 0


def test_one_file_lock_holder_at_a_time(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / "db.delivery-lock"), FileLock(tmp_path / "db.delivery-lock")
    assert first.acquire() and first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.postgresql
@pytest.mark.parametrize("dialect", ["postgresql"])  # the advisory lock is PostgreSQL's
def test_one_advisory_lock_holder_and_a_take_over(uow_factory: UnitOfWorkFactory, dialect: str) -> None:
    first, second = AdvisoryLock(uow_factory.engine), AdvisoryLock(uow_factory.engine)
    assert first.acquire()
    assert not second.acquire()
    assert first._connection is not None
    backend = first._connection.execute(text("SELECT pg_backend_pid()")).scalar()
    with uow_factory.engine.connect() as killer:  # the holder's connection dies, as with a killed desk
        killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        # Termination is a signal: the backend (and its lock) goes a moment later, not when the call returns.
        for _attempt in range(100):
            gone = killer.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": backend})
            if gone.scalar() == 0:
                break
            time.sleep(0.05)
    assert second.acquire()
    assert not first.acquire()  # it notices the lost connection and finds the lock taken
    second.release()


def test_a_reminder_due_while_closed_goes_out_once_on_start(uow_factory: UnitOfWorkFactory, server: FakeSmsServer,
                                                            tmp_path: Path) -> None:  # fmt: skip
    from autoservice_desk.services import scheduler as scheduler_module
    from autoservice_desk.services.scheduler import REMINDER_JOB, start_scheduler

    runs: list[str] = []
    original = scheduler_module.run_reminders
    start = start_scheduler(uow_factory, None, delivery_interval_s=3600,  # type: ignore[arg-type]
                            providers_for=lambda settings: smsc(server))  # fmt: skip
    start.scheduler.pause()  # as if every desk was closed at the reminder hour two hours ago
    start.scheduler.modify_job(REMINDER_JOB, next_run_time=datetime.now(UTC) - timedelta(hours=2))
    start.stop()
    scheduler_module.run_reminders = lambda: runs.append("reminders")  # type: ignore[assignment]
    try:
        started = start_scheduler(uow_factory, None, delivery_interval_s=3600,  # type: ignore[arg-type]
                                  providers_for=lambda settings: smsc(server))  # fmt: skip
        deadline = time.monotonic() + 20
        while not runs and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        started.stop()
    finally:
        scheduler_module.run_reminders = original  # type: ignore[assignment]
    assert runs == ["reminders"]  # once, not once per missed day
    job = started.scheduler  # the stored run time moved on to the next reminder hour
    with uow_factory.engine.connect() as connection:
        next_run = connection.execute(text("SELECT next_run_time FROM apscheduler_jobs WHERE id = :id"),
                                      {"id": REMINDER_JOB}).scalar()  # fmt: skip
    assert next_run > time.time() and job is not None
