"""Benchmark of the delivery job: messages per minute sent to a local fake SMSC-style provider.

    .venv/bin/python bench/messaging.py --messages 2000 [--postgresql] [--latency 0.005]

Queues N messages (one transaction), then runs the delivery job (claim with row locks, send, commit each result)
until the outbox is empty, and prints the rate. The provider is the test suite's fake server on 127.0.0.1, in a
thread of this process; --latency adds that many seconds to each of its answers (a real gateway takes 50-300 ms,
and the job sends one message at a time, so the rate then is about 60 / latency per minute).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "integration"))

from bench_databases import new_database  # type: ignore[import-not-found]  # noqa: E402
from fake_sms_servers import SMSC_LOGIN, SMSC_PASSWORD, FakeSmsServer  # type: ignore[import-not-found]  # noqa: E402

from autoservice_desk.db import create_database_engine, parse_database_url  # noqa: E402
from autoservice_desk.integrations.messaging import SmscProvider  # noqa: E402
from autoservice_desk.services import schema  # noqa: E402
from autoservice_desk.services.delivery import Deliverer, DeliveryConfig  # noqa: E402
from autoservice_desk.services.messaging_providers import ProviderSet  # noqa: E402
from autoservice_desk.services.messaging_settings import get_settings, update_settings  # noqa: E402
from autoservice_desk.services.outbox import MessageRequest, enqueue  # noqa: E402
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory  # noqa: E402


def run(label: str, url: str, messages: int, latency: float, batch: int) -> None:
    target = parse_database_url(url, Path("unused"))
    engine = create_database_engine(target)
    schema.upgrade(engine, target, None)
    uow_factory = UnitOfWorkFactory(engine)
    update_settings(uow_factory, replace(get_settings(uow_factory), quiet_start_minute=0, quiet_end_minute=0))
    server = FakeSmsServer().start()
    server.state.latency = latency
    started = time.perf_counter()
    with uow_factory() as uow:
        for number in range(messages):
            enqueue(uow, MessageRequest("sms", f"+7916{number:07d}", f"Ваш автомобиль готов, заказ {number}",
                                        f"bench:{number}"))  # fmt: skip
        uow.commit()
    queued = time.perf_counter() - started
    provider = SmscProvider(login=SMSC_LOGIN, password=SMSC_PASSWORD, base_url=server.url)
    deliverer = Deliverer(uow_factory, ProviderSet(sms=provider), DeliveryConfig(batch_size=batch))
    started = time.perf_counter()
    sent = 0
    while sent < messages:
        report = deliverer.run_once()
        if not report.sent:
            raise SystemExit(f"delivery stalled after {sent}: {report.errors[:3]}")
        sent += report.sent
    elapsed = time.perf_counter() - started
    server.stop()
    engine.dispose()
    assert server.total() == messages and not server.duplicates()
    print(f"{label}: queued {messages} in {queued:.2f} s ({messages / queued:.0f}/s); "
          f"delivered in {elapsed:.2f} s = {messages / elapsed * 60:,.0f} messages per minute "
          f"(provider latency {latency * 1000:.0f} ms, batch {batch})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the fake provider takes per answer")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--postgresql", action="store_true")
    options = parser.parse_args()
    with new_database(options.postgresql, "messaging") as url:
        run("PostgreSQL" if options.postgresql else "SQLite", url, options.messages, options.latency, options.batch)


if __name__ == "__main__":
    main()
