"""The delivery job: settle messages a crash left half-sent, send the due ones, poll delivery status.

Each message goes queued → sending (committed, row locked while claimed: FOR UPDATE SKIP LOCKED on PostgreSQL,
BEGIN IMMEDIATE on SQLite) → the provider call → sent (committed). A desk killed between the provider's "accepted"
and our commit leaves the row in "sending"; the next run settles it before anything is sent again:

- a provider that finds a message by our own id (SMSC: `id`) is asked; found → sent, not found → queued again;
- one that cannot (SMS.ru, Telegram) gets the message marked failed as "uncertain", never resent on its own:
  a person checks and retries. So: exactly once with SMSC, at most once with the others.

Transient errors put the message back with exponential back-off (and stop the batch: the provider is down, no
point hammering it); a message waits up to `give_up_after` before it fails. Permanent errors fail it at once.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import and_, func, or_, select, update

from autoservice_desk.i18n import N_
from autoservice_desk.integrations.messaging import (
    DeliveryState,
    MessageProvider,
    OutgoingMessage,
    PermanentProviderError,
    ProviderError,
    RateLimitedError,
    SendResult,
    UncertainSendError,
)
from autoservice_desk.models.messaging import OutboxMessage
from autoservice_desk.services.messaging_providers import ProviderSet
from autoservice_desk.services.outbox import refusal
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

log = logging.getLogger(__name__)
T = TypeVar("T")
UNCERTAIN = N_(
    "The desk stopped while the provider was taking this message; it may or may not have gone out. "
    "Check with the client before sending it again."
)
EXPIRED = N_("Not sent: it was no longer useful (its time had passed).")


@dataclass(frozen=True)
class DeliveryConfig:
    batch_size: int = 50
    stale_after: timedelta = timedelta(seconds=60)  # longer than a provider call can take
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(minutes=15)
    give_up_after: timedelta = timedelta(days=2)
    poll_every: timedelta = timedelta(minutes=10)
    poll_for: timedelta = timedelta(days=2)


@dataclass
class DeliveryReport:
    settled: int = 0
    sent: int = 0
    postponed: int = 0
    failed: int = 0
    cancelled: int = 0
    delivered: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.settled or self.sent or self.failed or self.cancelled)


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: str
    recipient: str
    text: str
    client_ref: str
    attempts: int


def worker_name() -> str:
    """Who claims a message: host, process and a random tag (a restarted process is someone else)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Deliverer:
    """Runs delivery for one process; only the holder of the delivery lock should call `run_once`."""

    def __init__(self, uow_factory: UnitOfWorkFactory, providers: ProviderSet, config: DeliveryConfig | None = None,
                 worker: str | None = None) -> None:  # fmt: skip
        self.uow_factory = uow_factory
        self.providers = providers
        self.config = config or DeliveryConfig()
        self.worker = worker or worker_name()

    def run_once(self) -> DeliveryReport:
        """Settle, send what is due, poll statuses; returns what happened."""
        report = DeliveryReport()
        self.settle_unfinished(report)
        self.send_due(report)
        self.poll_statuses(report)
        return report

    def _write(self, work: Callable[[UnitOfWork], T]) -> T:
        def committed(uow: UnitOfWork) -> T:
            result = work(uow)
            uow.commit()
            return result

        return run_in_transaction(self.uow_factory, committed)

    def _backoff(self, attempts: int) -> timedelta:
        seconds = self.config.first_backoff.total_seconds() * 2 ** max(attempts - 1, 0)
        seconds = min(seconds, self.config.max_backoff.total_seconds())
        return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # jitter: desks do not retry in step

    # --- settling what a crash left ---------------------------------------------------------------------------

    def settle_unfinished(self, report: DeliveryReport) -> None:
        now = self.uow_factory.clock()
        stale = now - self.config.stale_after
        with self.uow_factory(read_only=True) as uow:
            rows = uow.session.execute(
                select(OutboxMessage.id, OutboxMessage.provider, OutboxMessage.client_ref, OutboxMessage.recipient)
                .where(OutboxMessage.status == "sending", OutboxMessage.next_attempt_at <= now)
                .where(or_(OutboxMessage.claimed_by.is_(None),
                           and_(OutboxMessage.claimed_by != self.worker, OutboxMessage.sending_started_at < stale)))
                .order_by(OutboxMessage.id).limit(self.config.batch_size)
            ).all()  # fmt: skip
        for message_id, provider_name, client_ref, recipient in rows:
            provider = self.providers.by_name(provider_name)
            if provider is None:
                continue  # the provider was switched since; it stays until that provider is back
            if not provider.supports_lookup:
                self._finish(message_id, "failed", error=UNCERTAIN)
                report.failed += 1
                continue
            try:
                found = provider.lookup(client_ref or str(message_id), recipient)
            except ProviderError as error:
                self._set(message_id, next_attempt_at=self.uow_factory.clock() + self._backoff(1),
                          last_error=str(error), claimed_by=None)  # fmt: skip
                report.errors.append(str(error))
                continue
            if found is not None:
                self._mark_sent(message_id, provider, found)
            else:
                self._set(message_id, status="queued", next_attempt_at=self.uow_factory.clock(), claimed_by=None)
            report.settled += 1

    # --- sending ----------------------------------------------------------------------------------------------

    def _claim(self, uow: UnitOfWork) -> list[Claimed]:
        now = uow.clock()
        rows = uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now,
                   OutboxMessage.channel.in_(self.providers.channels))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(self.config.batch_size)
            .with_for_update(skip_locked=True)
        ).all()  # fmt: skip
        claimed = []
        for row in rows:
            reason = EXPIRED if row.expires_at is not None and row.expires_at <= now else refusal(
                uow, row.channel, row.recipient, row.purpose, row.client_id)  # fmt: skip
            if reason:
                row.status, row.last_error, row.finished_at = "cancelled", reason, now
                continue
            provider = self.providers.for_channel(row.channel)
            assert provider is not None
            row.status, row.attempts, row.sending_started_at = "sending", row.attempts + 1, now
            row.claimed_by, row.provider, row.client_ref = self.worker, provider.name, row.client_ref or str(row.id)
            claimed.append(Claimed(row.id, row.channel, row.recipient, row.text, row.client_ref, row.attempts))
        uow.mark_changed("outbox")
        return claimed

    def send_due(self, report: DeliveryReport) -> None:
        claimed = self._write(self._claim)
        stopped: set[str] = set()
        for index, message in enumerate(claimed):
            provider = self.providers.for_channel(message.channel)
            assert provider is not None
            if message.channel in stopped:
                continue
            try:
                result = provider.send(OutgoingMessage(message.recipient, message.text, message.client_ref))
            except PermanentProviderError as error:
                self._finish(message.id, "failed", error=str(error))
                report.failed += 1
            except UncertainSendError as error:
                report.errors.append(str(error))
                if provider.supports_lookup:  # settled by asking on a later run
                    self._set(message.id, claimed_by=None, last_error=str(error),
                              next_attempt_at=self.uow_factory.clock() + self.config.stale_after)  # fmt: skip
                else:
                    self._finish(message.id, "failed", error=UNCERTAIN)
                    report.failed += 1
            except ProviderError as error:  # transient, rate-limited, account: wait and stop this channel's batch
                report.errors.append(str(error))
                delay = self._delay(error, message.attempts)
                later = [other for other in claimed[index:] if other.channel == message.channel]
                report.postponed += self._postpone(later, delay, str(error), first=message.id)
                report.failed += self._give_up_old(later)
                stopped.add(message.channel)
            else:
                self._mark_sent(message.id, provider, result)
                report.sent += 1

    def _delay(self, error: ProviderError, attempts: int) -> timedelta:
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return timedelta(seconds=error.retry_after)
        return self._backoff(attempts)

    def _postpone(self, messages: list[Claimed], delay: timedelta, error: str, first: int) -> int:
        def work(uow: UnitOfWork) -> int:
            for message in messages:
                # Only the message that met the error spent an attempt; the rest were never tried.
                row = uow.session.get(OutboxMessage, message.id)
                if row is None or row.status != "sending":
                    continue
                row.status, row.next_attempt_at, row.claimed_by = "queued", uow.clock() + delay, None
                if message.id == first:
                    row.last_error = error
                else:
                    row.attempts = max(row.attempts - 1, 0)
            uow.mark_changed("outbox")
            return len(messages)

        return self._write(work)

    def _give_up_old(self, messages: list[Claimed]) -> int:
        def work(uow: UnitOfWork) -> int:
            limit = uow.clock() - self.config.give_up_after
            ids = [message.id for message in messages]
            result = uow.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "queued", OutboxMessage.created_at < limit)
                .values(status="failed", finished_at=uow.clock())
            )
            return int(getattr(result, "rowcount", 0) or 0)

        return self._write(work) if messages else 0

    # --- writing outcomes -------------------------------------------------------------------------------------

    @staticmethod
    def _update(uow: UnitOfWork, message_id: int, **values: object) -> None:
        uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
        uow.mark_changed("outbox", message_id)

    def _mark_sent(self, message_id: int, provider: MessageProvider, result: SendResult) -> None:
        def work(uow: UnitOfWork) -> None:
            now = uow.clock()
            values: dict[str, object] = dict(
                status="sent", provider=provider.name, provider_message_id=result.provider_message_id, sent_at=now,
                claimed_by=None, last_error=None, cost=result.cost,
            )  # fmt: skip
            if result.segments:
                values["segments"] = result.segments
            self._update(uow, message_id, **values)

        self._write(work)

    def _set(self, message_id: int, **values: object) -> None:
        def work(uow: UnitOfWork) -> None:
            self._update(uow, message_id, **values)

        self._write(work)

    def _finish(self, message_id: int, status: str, *, error: str) -> None:
        self._set(message_id, status=status, last_error=error, claimed_by=None, finished_at=self.uow_factory.clock())

    # --- delivery status --------------------------------------------------------------------------------------

    def poll_statuses(self, report: DeliveryReport) -> None:
        names = [provider.name for provider in self.providers.all() if provider.supports_status]
        if not names:
            return
        now = self.uow_factory.clock()
        with self.uow_factory(read_only=True) as uow:
            rows = uow.session.execute(
                select(OutboxMessage.id, OutboxMessage.provider, OutboxMessage.provider_message_id,
                       OutboxMessage.recipient)
                .where(OutboxMessage.status == "sent", OutboxMessage.provider.in_(names),
                       OutboxMessage.sent_at > now - self.config.poll_for)
                .where(func.coalesce(OutboxMessage.status_checked_at, OutboxMessage.sent_at)
                       < now - self.config.poll_every)
                .order_by(OutboxMessage.id).limit(self.config.batch_size)
            ).all()  # fmt: skip
        for message_id, provider_name, provider_id, recipient in rows:
            provider = self.providers.by_name(provider_name)
            if provider is None or not provider_id:
                continue
            try:
                status = provider.status(provider_id, recipient)
            except ProviderError as error:
                report.errors.append(str(error))
                break  # the provider is struggling; ask again next time
            values: dict[str, object] = {"status_checked_at": now}
            if status.cost is not None:
                values["cost"] = status.cost
            if status.state is DeliveryState.DELIVERED:
                values.update(status="delivered", delivered_at=now, finished_at=now)
                report.delivered += 1
            elif status.state is DeliveryState.FAILED:
                values.update(status="failed", last_error=status.detail, finished_at=now)
                report.failed += 1
            self._set(message_id, **values)
