"""The in-process scheduler (APScheduler 3): delivery every few seconds, reminders and daily checks at set hours.

Jobs live in the app's own database (SQLAlchemyJobStore over the `apscheduler_jobs` table the migrations create),
so their next run time survives a restart: a reminder due while every desk was closed runs once when one starts
(`coalesce`, `misfire_grace_time`). Several desks may run their schedulers on one PostgreSQL database: the jobs
that queue messages are idempotent by key, and only the holder of the delivery lock sends, so each message goes
out once. The same desk polls the providers for replies (STOP, "/start CODE" to the bot) every minute.
APScheduler stores a job as a reference to a module function, so the jobs find this process's database
and providers through the one `MessagingRuntime` that `start_scheduler` installs (and `stop` removes).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import ConflictingIdError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from autoservice_desk.credentials import SecretStore
from autoservice_desk.services.delivery import Deliverer, DeliveryConfig, DeliveryReport, worker_name
from autoservice_desk.services.delivery_lock import DeliveryLock, delivery_lock_for
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.inbound_messages import PollReport, poll_replies
from autoservice_desk.services.messaging_providers import ProviderSet, build_providers
from autoservice_desk.services.messaging_settings import MessagingSettingsInfo, get_settings
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)
DELIVERY_JOB, REMINDER_JOB, DAILY_JOB = "messaging.delivery", "messaging.reminders", "messaging.daily"
REPLIES_JOB = "messaging.replies"
DELIVERY_INTERVAL_S = 15
REPLIES_INTERVAL_S = 60
REMINDER_GRACE = timedelta(hours=10)  # opened by 22:00 after a 12:00 reminder hour: still sent (quiet hours apply)
DAILY_GRACE = timedelta(hours=20)


@dataclass
class MessagingRuntime:
    """What the jobs of this process work with."""

    uow_factory: UnitOfWorkFactory
    providers_for: Callable[[MessagingSettingsInfo], ProviderSet]
    lock: DeliveryLock
    config: DeliveryConfig = field(default_factory=DeliveryConfig)
    worker: str = field(default_factory=worker_name)
    last_report: DeliveryReport | None = None
    last_poll: PollReport | None = None
    _providers: tuple[MessagingSettingsInfo, ProviderSet] | None = None
    _delivering: threading.Lock = field(default_factory=threading.Lock)

    def providers(self) -> ProviderSet:
        settings = get_settings(self.uow_factory)
        if self._providers is None or self._providers[0] != settings:  # rebuilt when another desk changes them
            self._providers = (settings, self.providers_for(settings))
        return self._providers[1]

    def deliver(self) -> DeliveryReport | None:
        """One delivery run if this process holds (or can take) the delivery lock; None when another desk does."""
        with self._delivering:
            if not self.lock.acquire():
                return None
            report = Deliverer(self.uow_factory, self.providers(), self.config, self.worker).run_once()
            self.last_report = report
            return report

    def poll_replies(self) -> PollReport | None:
        """Handle the replies people sent if this process holds the delivery lock; None when another desk does."""
        with self._delivering:  # the lock's connection is not shared between threads
            if not self.lock.acquire():
                return None
            report = poll_replies(self.uow_factory, self.providers())
            self.last_poll = report
            return report


_runtime: MessagingRuntime | None = None


def run_delivery() -> None:
    """The delivery job (referenced by name from the job store)."""
    if _runtime is not None:
        _guarded(_runtime.deliver)


def run_replies() -> None:
    """The replies job: opt-outs and Telegram links; the bot's answers go out straight after."""
    if _runtime is not None:
        runtime = _runtime

        def poll_then_answer() -> None:
            report = runtime.poll_replies()
            if report is not None and report.answered:
                runtime.deliver()

        _guarded(poll_then_answer)


def run_reminders() -> None:
    """The day-before reminder job."""
    from autoservice_desk.services.message_triggers import queue_booking_reminders

    if _runtime is not None:
        runtime = _runtime
        _guarded(lambda: queue_booking_reminders(runtime.uow_factory))


def run_daily() -> None:
    """Maintenance due and declined-recommendation follow-ups, once a day."""
    from autoservice_desk.services.maintenance_due import queue_maintenance_reminders
    from autoservice_desk.services.message_triggers import queue_declined_follow_ups

    if _runtime is not None:
        runtime = _runtime
        today = runtime.uow_factory.clock().astimezone(get_settings(runtime.uow_factory).zone).date()
        _guarded(lambda: queue_maintenance_reminders(runtime.uow_factory, today))
        _guarded(lambda: queue_declined_follow_ups(runtime.uow_factory))


def _guarded(job: Callable[[], object]) -> None:
    try:
        job()
    except DomainError as error:  # the database is away or busy: the next run tries again
        log.warning("messaging job failed: %s", error)


class MessagingScheduler:
    """The running scheduler of this process; `stop()` it when the app or `jobs run` ends."""

    def __init__(self, runtime: MessagingRuntime, delivery_interval_s: float = DELIVERY_INTERVAL_S) -> None:
        self.runtime = runtime
        self.delivery_interval_s = delivery_interval_s
        engine = runtime.uow_factory.engine
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=engine)},
            executors={"default": ThreadPoolExecutor(2)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )

    def start(self) -> None:
        global _runtime
        _runtime = self.runtime
        self.scheduler.start(paused=True)  # the store is open now, so the stored jobs can be compared
        self.sync_jobs()
        self.scheduler.resume()

    def sync_jobs(self) -> None:
        """Add the jobs a database lacks and follow a changed reminder hour or zone; keeps stored run times."""
        settings = get_settings(self.runtime.uow_factory)
        wanted = {
            DELIVERY_JOB: (run_delivery, IntervalTrigger(seconds=self.delivery_interval_s), 60),
            REPLIES_JOB: (run_replies, IntervalTrigger(seconds=REPLIES_INTERVAL_S), 60),
            REMINDER_JOB: (run_reminders, CronTrigger(hour=settings.reminder_hour, timezone=settings.zone),
                           int(REMINDER_GRACE.total_seconds())),
            DAILY_JOB: (run_daily, CronTrigger(hour=settings.reminder_hour, minute=5, timezone=settings.zone),
                        int(DAILY_GRACE.total_seconds())),
        }  # fmt: skip
        for job_id, (function, trigger, grace) in wanted.items():
            job = self.scheduler.get_job(job_id)
            if job is not None and str(job.trigger) == str(trigger) and job.misfire_grace_time == grace:
                continue
            try:
                self.scheduler.add_job(function, trigger, id=job_id, replace_existing=job is not None,
                                       misfire_grace_time=grace, coalesce=True, max_instances=1)  # fmt: skip
            except ConflictingIdError:
                pass  # another desk added it a moment ago

    def run_delivery_now(self) -> None:
        """Ask for a delivery run soon (after a message was queued by hand); never blocks the caller."""
        self.scheduler.add_job(run_delivery, id=None, max_instances=1, jobstore=_memory_store(self.scheduler))

    def stop(self, *, wait: bool = True) -> None:
        """Stop the jobs; *wait* for a run in progress to finish (the headless mode does, the window does not)."""
        global _runtime
        if self.scheduler.running:
            # APScheduler 3 looks for due jobs once more after shutdown has stopped its executor, and a job it
            # finds then is lost for this run time (the submit fails, the run time moves on). Pausing first and
            # detaching the job store (its rows stay) leaves nothing for that last look to find.
            self.scheduler.pause()
            self.scheduler.remove_jobstore("default")
            self.scheduler.shutdown(wait=wait)
        self.runtime.lock.release()
        if _runtime is self.runtime:
            _runtime = None


def _memory_store(scheduler: BackgroundScheduler) -> str:
    """A memory job store for one-off runs (they must not be pickled into the shared table)."""
    from apscheduler.jobstores.memory import MemoryJobStore

    if "memory" not in scheduler._jobstores:  # noqa: SLF001 - APScheduler has no public "has job store"
        scheduler.add_jobstore(MemoryJobStore(), "memory")
    return "memory"


def start_scheduler(
    uow_factory: UnitOfWorkFactory, secrets: SecretStore, *, delivery_interval_s: float = DELIVERY_INTERVAL_S,
    config: DeliveryConfig | None = None, providers_for: Callable[[MessagingSettingsInfo], ProviderSet] | None = None,
) -> MessagingScheduler:  # fmt: skip
    """Start this process's scheduler (the composition root calls it from a background thread, not the GUI's)."""
    runtime = MessagingRuntime(
        uow_factory, providers_for or (lambda settings: build_providers(settings, secrets)),
        delivery_lock_for(uow_factory.engine), config or DeliveryConfig(),
    )  # fmt: skip
    scheduler = MessagingScheduler(runtime, delivery_interval_s)
    scheduler.start()
    return scheduler


def run_jobs_once(
    uow_factory: UnitOfWorkFactory, secrets: SecretStore, *, config: DeliveryConfig | None = None,
    providers_for: Callable[[MessagingSettingsInfo], ProviderSet] | None = None,
) -> DeliveryReport | None:  # fmt: skip
    """Handle replies, queue reminders and daily messages, then deliver once, in this thread (`jobs run-once`)."""
    from autoservice_desk.services.maintenance_due import queue_maintenance_reminders
    from autoservice_desk.services.message_triggers import queue_booking_reminders, queue_declined_follow_ups

    runtime = MessagingRuntime(
        uow_factory, providers_for or (lambda settings: build_providers(settings, secrets)),
        delivery_lock_for(uow_factory.engine), config or DeliveryConfig(),
    )  # fmt: skip
    try:
        runtime.poll_replies()  # an opt-out that came in is honoured before this delivery
        queue_booking_reminders(uow_factory)
        queue_maintenance_reminders(uow_factory, uow_factory.clock().astimezone(get_settings(uow_factory).zone).date())
        queue_declined_follow_ups(uow_factory)
        return runtime.deliver()
    finally:
        runtime.lock.release()
