"""Outbound messages: the outbox, templates, triggers and the scheduler's own tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    Unicode,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base, TimestampMixin
from autoservice_desk.models.types import Money, UTCDateTime

MESSAGE_STATUSES = ("queued", "sending", "sent", "delivered", "failed", "cancelled")
CHANNELS = ("sms", "telegram")


class OutboxMessage(TimestampMixin, Base):
    """One message to one recipient, written in the transaction of the event that causes it.

    `idempotency_key` (`booking-reminder:<booking id>:<day>`) makes enqueueing the same message twice a no-op.
    Status: queued → sending → sent → delivered, or failed / cancelled. `not_before` holds a message back (quiet
    hours, the daily limit, "tomorrow at 10"); `next_attempt_at` is when the delivery job looks at it next (after
    a transient error, with back-off). `client_ref` is what the provider knows the message by on our side (the
    client-side id where the API takes one), so a desk killed mid-send can ask the provider instead of guessing.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        Index("ix_outbox_messages_client_id", "client_id", "created_at"),
        Index("ix_outbox_messages_created_at", "created_at"),
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled')", name="status"),
        CheckConstraint("channel IN ('sms', 'telegram')", name="channel"),
        CheckConstraint("purpose IN ('service', 'marketing')", name="purpose"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    template_code: Mapped[str | None] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(16), default="service")
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    segments: Mapped[int] = mapped_column(SmallInteger, default=1)
    provider: Mapped[str | None] = mapped_column(String(30))
    client_ref: Mapped[str | None] = mapped_column(String(40))
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    provider_message_id: Mapped[str | None] = mapped_column(String(100))
    cost: Mapped[Decimal | None] = mapped_column(Money())
    last_error: Mapped[str | None] = mapped_column(Text)
    sending_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(60))


class MessageTemplate(Base):
    """The shop's own text for an event in a language and channel; without a row the built-in default is used."""

    __tablename__ = "message_templates"
    __table_args__ = (UniqueConstraint("event", "language", "channel", name="uq_message_templates_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16), default="sms")
    text: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MessageTrigger(Base):
    """Whether an automatic message (booking confirmation, reminder, car ready …) is switched on; no row: on."""

    __tablename__ = "message_triggers"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class MessagingSettings(Base):
    """The shop's messaging settings, one row (id 1) shared by every desk on the database.

    Times of day are minutes after midnight in `timezone`. The provider's secrets live in the keyring, never here.
    """

    __tablename__ = "messaging_settings"
    __table_args__ = (
        CheckConstraint("quiet_start_minute BETWEEN 0 AND 1439", name="quiet_start"),
        CheckConstraint("quiet_end_minute BETWEEN 0 AND 1439", name="quiet_end"),
        CheckConstraint("reminder_hour BETWEEN 0 AND 23", name="reminder_hour"),
        CheckConstraint("daily_limit > 0", name="daily_limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    language: Mapped[str] = mapped_column(String(8), default="ru")
    quiet_start_minute: Mapped[int] = mapped_column(Integer, default=21 * 60)
    quiet_end_minute: Mapped[int] = mapped_column(Integer, default=9 * 60)
    daily_limit: Mapped[int] = mapped_column(Integer, default=3)
    reminder_hour: Mapped[int] = mapped_column(Integer, default=12)
    sms_provider: Mapped[str] = mapped_column(String(30), default="")
    sms_base_url: Mapped[str] = mapped_column(String(300), default="")
    sms_login: Mapped[str] = mapped_column(String(100), default="")
    sms_sender: Mapped[str] = mapped_column(String(30), default="")
    telegram_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    telegram_base_url: Mapped[str] = mapped_column(String(300), default="")
    shop_name: Mapped[str] = mapped_column(String(200), default="")
    shop_phone: Mapped[str] = mapped_column(String(40), default="")
    maintenance_months: Mapped[int] = mapped_column(Integer, default=12)
    maintenance_kilometres: Mapped[int] = mapped_column(Integer, default=15_000)
    maintenance_notice_days: Mapped[int] = mapped_column(Integer, default=14)
    declined_follow_up_days: Mapped[int] = mapped_column(Integer, default=30)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class MaintenanceInterval(Base):
    """A make's scheduled-maintenance interval, overriding the shop's default months and kilometres."""

    __tablename__ = "maintenance_intervals"

    id: Mapped[int] = mapped_column(primary_key=True)
    make: Mapped[str] = mapped_column(String(60), unique=True)  # folded to upper case
    months: Mapped[int] = mapped_column(Integer)
    kilometres: Mapped[int] = mapped_column(Integer)


class MaintenanceRecord(Base):
    """A scheduled maintenance (ТО) done on a car: the date and the odometer, from a work order or by hand."""

    __tablename__ = "vehicle_maintenance"
    __table_args__ = (Index("ix_vehicle_maintenance_vehicle_id", "vehicle_id", "performed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"))
    performed_on: Mapped[date] = mapped_column(Date)
    kilometres: Mapped[int | None] = mapped_column(Integer)
    work_order_id: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MessageOptOut(Base):
    """A phone number or chat that asked for no more messages (a STOP reply, or a "stop" pressed by hand)."""

    __tablename__ = "message_opt_outs"
    __table_args__ = (UniqueConstraint("channel", "recipient", name="uq_message_opt_outs_recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str | None] = mapped_column(String(60))


class InboundCursor(Base):
    """How far the shop has read one provider account's incoming messages (the last handled reply id).

    Moved in the same transaction as the handling of each reply, so a restart neither skips nor repeats one.
    """

    __tablename__ = "message_inbound_cursors"

    source: Mapped[str] = mapped_column(String(80), primary_key=True)  # "telegram:<bot id>", "smsc:<login>"
    last_reply_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TelegramLinkCode(Base):
    """A short one-time code an advisor gives a client; "/start CODE" to the shop's bot links that chat."""

    __tablename__ = "telegram_link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(60))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    chat_id: Mapped[str | None] = mapped_column(String(32))


class AdvisorTask(Base):
    """A to-do for the service advisors ("call about maintenance"), created by triggers or by hand."""

    __tablename__ = "advisor_tasks"
    __table_args__ = (
        Index("ix_advisor_tasks_open", "status", "due_on"),
        CheckConstraint("status IN ('open', 'done', 'cancelled')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[str | None] = mapped_column(String(60))


# APScheduler's SQLAlchemyJobStore table, declared here exactly as the job store declares it, so the migration
# creates it (the store's own create(checkfirst) then finds it) and the schema check knows it. The float is the
# store's run-time timestamp, not money.
scheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
