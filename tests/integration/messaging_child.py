"""A delivering desk for the reliability tests, run as its own process (so it can be killed or run twice).

python messaging_child.py deliver DB_URL SERVER_URL     # deliver until nothing is left, then exit 0
python messaging_child.py scheduler DB_URL SERVER_URL SECONDS   # run the real scheduler for SECONDS
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fake_sms_servers import SMSC_LOGIN, SMSC_PASSWORD  # type: ignore[import-not-found]
from sqlalchemy import func, select

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.integrations.messaging import SmscProvider
from autoservice_desk.models.messaging import OutboxMessage
from autoservice_desk.services import event_wiring
from autoservice_desk.services.delivery import Deliverer, DeliveryConfig
from autoservice_desk.services.delivery_lock import delivery_lock_for
from autoservice_desk.services.messaging_providers import ProviderSet
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

CONFIG = DeliveryConfig(batch_size=20, stale_after=timedelta(seconds=1), first_backoff=timedelta(seconds=0.2),
                        max_backoff=timedelta(seconds=1))  # fmt: skip


def providers(server_url: str) -> ProviderSet:
    return ProviderSet(sms=SmscProvider(login=SMSC_LOGIN, password=SMSC_PASSWORD, base_url=server_url))


def unfinished(uow_factory: UnitOfWorkFactory) -> int:
    with uow_factory(read_only=True) as uow:
        return int(uow.session.scalar(
            select(func.count()).where(OutboxMessage.status.in_(("queued", "sending")))
        ) or 0)  # fmt: skip


def deliver(uow_factory: UnitOfWorkFactory, server_url: str) -> None:
    lock = delivery_lock_for(uow_factory.engine)
    while not lock.acquire():
        time.sleep(0.05)
    print("delivering", flush=True)
    deliverer = Deliverer(uow_factory, providers(server_url), CONFIG)
    while unfinished(uow_factory):
        if not deliverer.run_once().busy:
            time.sleep(0.1)  # half-sent ones wait until they are stale
    lock.release()


def scheduler(uow_factory: UnitOfWorkFactory, server_url: str, seconds: float) -> None:
    from autoservice_desk.services import scheduler as jobs

    running = jobs.start_scheduler(uow_factory, None, delivery_interval_s=0.3, config=CONFIG,  # type: ignore[arg-type]
                                   providers_for=lambda settings: providers(server_url))  # fmt: skip
    print("started", flush=True)
    # Both desks fire the reminder job at once, as when both start after the reminder hour passed, and again.
    running.scheduler.modify_job(jobs.REMINDER_JOB, next_run_time=datetime.now(UTC))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        jobs.run_reminders()
        time.sleep(0.25)
    running.stop()


def main() -> None:
    mode, url, server_url = sys.argv[1:4]
    engine = create_database_engine(parse_database_url(url, Path("unused")))
    event_wiring.install()
    uow_factory = UnitOfWorkFactory(engine)
    if mode == "deliver":
        deliver(uow_factory, server_url)
    else:
        scheduler(uow_factory, server_url, float(sys.argv[4]))
    engine.dispose()


if __name__ == "__main__":
    main()
