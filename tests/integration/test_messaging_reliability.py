"""Required reliability tests of the outbox: a deliverer SIGKILLed at random points sends every message exactly once;
two desks running the scheduler on one PostgreSQL database send each reminder exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fake_sms_servers import FakeSmsServer
from sqlalchemy import func, select

from autoservice_desk.models.messaging import OutboxMessage
from autoservice_desk.models.scheduling import Booking
from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.clients import create_client, record_consent
from autoservice_desk.services.messaging_settings import get_settings, update_settings
from autoservice_desk.services.outbox import MessageRequest, enqueue
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

CHILD = Path(__file__).with_name("messaging_child.py")
MESSAGES = 200
KILLS = 6


@pytest.fixture
def server() -> Iterator[FakeSmsServer]:
    fake = FakeSmsServer().start()
    fake.state.latency = 0.003  # a little time inside each request, so kills land mid-flight too
    yield fake
    fake.stop()


def _no_quiet_hours(uow_factory: UnitOfWorkFactory) -> None:
    settings = get_settings(uow_factory)
    update_settings(uow_factory, replace(settings, quiet_start_minute=0, quiet_end_minute=0, daily_limit=100))


def _child(*arguments: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(CHILD.parent), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen([sys.executable, str(CHILD), *arguments], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)  # fmt: skip


def _statuses(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    statement = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    with uow_factory(read_only=True) as uow:
        return {status: count for status, count in uow.session.execute(statement)}


@pytest.mark.slow
def test_a_deliverer_killed_at_random_points_sends_everything_once(
    uow_factory: UnitOfWorkFactory, database_url: str, server: FakeSmsServer
) -> None:
    _no_quiet_hours(uow_factory)
    with uow_factory() as uow:
        for number in range(MESSAGES):
            enqueue(uow, MessageRequest("sms", f"+7916{number:07d}", f"Сообщение {number}", f"kill:{number}"))
        uow.commit()
    randomness = random.Random(7)
    for _kill in range(KILLS):
        child = _child("deliver", database_url, server.url)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"delivering", child.communicate()[1].decode()[-2000:]
        before = server.total()
        deadline = time.monotonic() + 30
        while server.total() < before + randomness.randint(1, 40) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(randomness.uniform(0, 0.02))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert 0 < server.total() < MESSAGES, "the kills should have landed in the middle of the batch"
    final = _child("deliver", database_url, server.url)
    _out, errors = final.communicate(timeout=120)
    assert final.returncode == 0, errors.decode()[-2000:]
    assert _statuses(uow_factory) == {"sent": MESSAGES}
    assert server.duplicates() == {}
    assert server.total() == MESSAGES and len(server.keys()) == MESSAGES


@pytest.mark.slow
@pytest.mark.postgresql
@pytest.mark.parametrize("dialect", ["postgresql"])  # several desks share a PostgreSQL database
def test_two_desks_running_the_scheduler_send_each_reminder_once(
    uow_factory: UnitOfWorkFactory, database_url: str, dialect: str, server: FakeSmsServer
) -> None:
    from fake_sms_servers import SMSC_LOGIN, SMSC_PASSWORD

    from autoservice_desk.integrations.messaging import SmscProvider
    from autoservice_desk.services.delivery import Deliverer
    from autoservice_desk.services.messaging_providers import ProviderSet

    _no_quiet_hours(uow_factory)
    zone = get_settings(uow_factory).zone
    tomorrow = (datetime.now(zone) + timedelta(days=1)).date()
    bookings = []
    for number in range(15):
        client_id = create_client(uow_factory, ClientForm(surname=f"Клиент {number}",
                                                          phones=(PhoneEntry(f"+7916555{number:04d}"),)))  # fmt: skip
        record_consent(uow_factory, client_id, "service", True, date(2026, 1, 1), "signed form")
        with uow_factory() as uow:
            starts = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9 + number % 8, tzinfo=zone)
            booking = Booking(client_id=client_id, starts_at=starts, ends_at=starts + timedelta(hours=1))
            uow.session.add(booking)
            uow.commit()
            bookings.append(booking.id)
    desks = [_child("scheduler", database_url, server.url, "6") for _ in range(2)]
    for desk in desks:
        _out, errors = desk.communicate(timeout=120)
        assert desk.returncode == 0, errors.decode()[-2000:]
    # Whatever the desks had not finished when they stopped goes out from here, as a third desk would.
    provider = SmscProvider(login=SMSC_LOGIN, password=SMSC_PASSWORD, base_url=server.url)
    Deliverer(uow_factory, ProviderSet(sms=provider)).run_once()
    with uow_factory(read_only=True) as uow:
        per_booking = {booking_id: count for booking_id, count in uow.session.execute(
            select(OutboxMessage.entity_id, func.count()).where(OutboxMessage.template_code == "booking_reminder")
            .group_by(OutboxMessage.entity_id)
        )}  # fmt: skip
    assert per_booking == dict.fromkeys(bookings, 1)
    assert _statuses(uow_factory) == {"sent": len(bookings)}
    assert server.total() == len(bookings) and server.duplicates() == {}
