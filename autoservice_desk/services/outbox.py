"""The outbox: messages written in the transaction of the event that causes them, and the person's view of them.

`enqueue` runs inside the caller's unit of work, so a rolled-back booking sends nothing and a committed one always
sends. It applies the rules before anything waits to go: the recipient's opt-out, the client's consent (service
messages need the service consent, marketing the marketing one), quiet hours in the shop's zone and the daily limit
per client (both postpone, never drop). The same idempotency key twice is one message.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.clients import ClientMessenger, ClientPhone
from autoservice_desk.models.messaging import MessageOptOut, OutboxMessage
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.clients import consent_in_force
from autoservice_desk.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.messaging_settings import MessagingSettingsInfo, load_settings
from autoservice_desk.services.sms_segments import count_segments
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

MESSAGE_EVENT = timeline.register_kind("message", N_("Message"))
SENDER_ROLES = ("advisor", "manager")
STATUS_LABELS = {
    "queued": N_("Queued"), "sending": N_("Sending"), "sent": N_("Sent"), "delivered": N_("Delivered"),
    "failed": N_("Failed"), "cancelled": N_("Cancelled"),
}  # fmt: skip
CHANNEL_LABELS = {"sms": N_("SMS"), "telegram": N_("Telegram")}
STOP_WORDS = frozenset({"STOP", "СТОП", "ОТПИСАТЬСЯ", "ОТПИСКА", "UNSUBSCRIBE"})
# Reasons stored in last_error of a message that was never sent; translated when shown.
NO_CONSENT = N_("Not sent: the client has not agreed to these messages.")
OPTED_OUT = N_("Not sent: the recipient asked for no more messages.")
NO_RECIPIENT = N_("Not sent: the client has no phone number or linked chat.")
MAX_DAYS_AHEAD = 7


@dataclass(frozen=True)
class MessageRequest:
    """A message to put in the outbox; *not_before* holds it back, *expires_at* drops it if still unsent then."""

    channel: str
    recipient: str
    text: str
    idempotency_key: str
    purpose: str = "service"
    client_id: int | None = None
    template_code: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    not_before: datetime | None = None
    expires_at: datetime | None = None
    immediate: bool = False  # an answer to someone who just wrote: no quiet hours, no daily limit


@dataclass(frozen=True)
class EnqueueResult:
    message_id: int
    created: bool  # False: a message with this key was already there
    status: str
    send_after: datetime | None  # when quiet hours or the daily limit moved it


@dataclass(frozen=True)
class MessageInfo:
    id: int
    created_at: datetime
    channel: str
    recipient: str
    text: str
    template_code: str | None
    purpose: str
    client_id: int | None
    entity: str | None
    entity_id: int | None
    status: str
    status_label: str
    attempts: int
    not_before: datetime | None
    next_attempt_at: datetime
    segments: int
    provider: str | None
    provider_message_id: str | None
    cost: Decimal | None
    last_error: str | None
    sent_at: datetime | None
    delivered_at: datetime | None


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def is_opted_out(uow: UnitOfWork, channel: str, recipient: str) -> bool:
    return (
        uow.session.scalar(
            select(MessageOptOut.id).where(MessageOptOut.channel == channel, MessageOptOut.recipient == recipient)
        )
        is not None
    )


def refusal(uow: UnitOfWork, channel: str, recipient: str, purpose: str, client_id: int | None) -> str | None:
    """Why a message may not go now (opt-out, no consent), or None; delivery asks again just before sending."""
    if is_opted_out(uow, channel, recipient):
        return OPTED_OUT
    if client_id is not None and not consent_in_force(uow, client_id, purpose):
        return NO_CONSENT
    return None


def client_recipient(uow: UnitOfWork, client_id: int, channel: str) -> str | None:
    """Where *channel* reaches the client: the first phone, or the chat id of a linked Telegram."""
    if channel == "sms":
        return uow.session.scalar(
            select(ClientPhone.e164).where(ClientPhone.client_id == client_id).order_by(ClientPhone.position).limit(1)
        )
    for kind, handle in uow.session.execute(
        select(ClientMessenger.kind, ClientMessenger.handle)
        .where(ClientMessenger.client_id == client_id)
        .order_by(ClientMessenger.position)
    ):
        if kind.strip().lower() == "telegram" and handle.strip().lstrip("-").isdigit():
            return handle.strip()
    return None


def _planned_count(uow: UnitOfWork, client_id: int, start: datetime, end: datetime) -> int:
    planned = func.coalesce(OutboxMessage.not_before, OutboxMessage.created_at)
    return int(uow.session.scalar(
        select(func.count()).where(
            OutboxMessage.client_id == client_id, OutboxMessage.status.not_in(("cancelled", "failed")),
            planned >= start, planned < end,
        )
    ) or 0)  # fmt: skip


def schedule_moment(
    uow: UnitOfWork, settings: MessagingSettingsInfo, client_id: int | None, wanted: datetime
) -> datetime:
    """The first moment at or after *wanted* outside quiet hours on a day the client has not hit the limit."""
    moment = settings.next_allowed(wanted)
    if client_id is None:
        return moment
    zone = settings.zone
    for _day in range(MAX_DAYS_AHEAD):
        local = moment.astimezone(zone)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if _planned_count(uow, client_id, day_start, day_start + timedelta(days=1)) < settings.daily_limit:
            return moment
        moment = settings.next_allowed(day_start + timedelta(days=1, minutes=settings.quiet_end_minute))
    return moment


def _insert(uow: UnitOfWork, values: Mapping[str, object]) -> int | None:
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    return uow.session.execute(statement.returning(OutboxMessage.id)).scalar()


def enqueue(uow: UnitOfWork, request: MessageRequest) -> EnqueueResult:
    """Put *request* in the outbox inside *uow*'s transaction (the caller commits); a known key is a no-op."""
    existing = uow.session.execute(
        select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.not_before).where(
            OutboxMessage.idempotency_key == request.idempotency_key
        )
    ).first()
    if existing is not None:
        return EnqueueResult(existing.id, False, existing.status, existing.not_before)
    if not request.text.strip():
        raise ValidationError(_("The message is empty."), "text")
    if request.channel not in CHANNEL_LABELS:
        raise ValidationError(_("Unknown channel: {channel}.").format(channel=request.channel), "channel")
    now = uow.clock()
    settings = load_settings(uow)
    reason = refusal(uow, request.channel, request.recipient, request.purpose, request.client_id)
    wanted = max(now, request.not_before or now)
    send_after = None if reason else wanted if request.immediate else schedule_moment(
        uow, settings, request.client_id, wanted)  # fmt: skip
    status = "cancelled" if reason else "queued"
    values = dict(
        idempotency_key=request.idempotency_key, channel=request.channel, recipient=request.recipient,
        text=request.text.strip(), template_code=request.template_code, purpose=request.purpose,
        client_id=request.client_id, entity=request.entity, entity_id=request.entity_id, status=status, attempts=0,
        not_before=send_after if send_after and send_after > now else None, next_attempt_at=send_after or now,
        expires_at=request.expires_at, segments=count_segments(request.text.strip()).segments, last_error=reason,
        finished_at=now if reason else None, created_by=uow.actor.login, created_at=now, updated_at=now,
    )  # fmt: skip
    message_id = _insert(uow, values)
    if message_id is None:  # another transaction inserted the same key since we looked
        return enqueue(uow, request)
    if request.client_id is not None and status == "queued":
        summary = _("{channel}: {text}").format(channel=_(CHANNEL_LABELS[request.channel]), text=request.text.strip())
        timeline.add_event(uow, request.client_id, MESSAGE_EVENT, summary, entity="outbox_message",
                           entity_id=message_id)  # fmt: skip
    uow.mark_changed("outbox", message_id)
    return EnqueueResult(message_id, True, status, values["not_before"])  # type: ignore[arg-type]


def send_message(
    uow_factory: UnitOfWorkFactory, client_id: int, text: str, *, channel: str = "sms", recipient: str | None = None,
    template_code: str | None = None, purpose: str = "service",
) -> EnqueueResult:  # fmt: skip
    """A one-off message from the client card (free text or a filled template); goes by the same rules."""

    def work(uow: UnitOfWork) -> EnqueueResult:
        if not uow.actor.has_role(*SENDER_ROLES):
            raise PermissionDeniedError(_("Only an advisor or a manager can send messages to clients."))
        to = recipient or client_recipient(uow, client_id, channel)
        if not to:
            raise ValidationError(_(NO_RECIPIENT), "recipient")
        request = MessageRequest(channel, to, text, f"manual:{uuid.uuid4().hex}", purpose, client_id, template_code,
                                 "client", client_id)  # fmt: skip
        result = enqueue(uow, request)
        audit.record(uow, "outbox_message", result.message_id, "create", None, {"text": text, "to": to})
        uow.commit()
        return result

    return run_in_transaction(uow_factory, work)


def _change_status(uow_factory: UnitOfWorkFactory, message_id: int, allowed: tuple[str, ...], target: str) -> None:
    def work(uow: UnitOfWork) -> None:
        if not uow.actor.has_role(*SENDER_ROLES):
            raise PermissionDeniedError(_("Only an advisor or a manager can change messages."))
        message = uow.session.get(OutboxMessage, message_id, with_for_update=True)
        if message is None:
            raise NotFoundError(_("The message no longer exists."))
        if message.status not in allowed:
            raise ConflictError(
                _("The message is {status} now; this cannot be done.").format(status=status_label(message.status))
            )
        before = message.status
        now = uow.clock()
        message.status = target
        if target == "queued":
            message.next_attempt_at, message.not_before, message.last_error, message.finished_at = now, None, None, None
        else:
            message.finished_at = now
        audit.record(uow, "outbox_message", message_id, target, {"status": before}, {"status": target})
        uow.mark_changed("outbox", message_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def cancel_message(uow_factory: UnitOfWorkFactory, message_id: int) -> None:
    """Stop a message that has not gone yet."""
    _change_status(uow_factory, message_id, ("queued",), "cancelled")


def retry_message(uow_factory: UnitOfWorkFactory, message_id: int) -> None:
    """Send a failed or cancelled message again now (a person's decision, also for an "uncertain" one)."""
    _change_status(uow_factory, message_id, ("failed", "cancelled"), "queued")


def opt_out(
    uow_factory: UnitOfWorkFactory, channel: str, recipient: str, reason: str, client_id: int | None = None
) -> int:
    """No more messages to *recipient* on *channel*; queued ones are cancelled now. Returns how many."""

    def work(uow: UnitOfWork) -> int:
        cancelled = record_opt_out(uow, channel, recipient, reason, client_id)
        uow.commit()
        return cancelled

    return run_in_transaction(uow_factory, work)


def record_opt_out(uow: UnitOfWork, channel: str, recipient: str, reason: str, client_id: int | None) -> int:
    if not is_opted_out(uow, channel, recipient):
        uow.session.add(MessageOptOut(channel=channel, recipient=recipient, client_id=client_id, reason=reason[:200],
                                      recorded_at=uow.clock(), recorded_by=uow.actor.login))  # fmt: skip
        audit.record(uow, "message_opt_out", recipient, "create", None, {"channel": channel, "reason": reason})
    result = uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.channel == channel, OutboxMessage.recipient == recipient,
               OutboxMessage.status == "queued")
        .values(status="cancelled", last_error=OPTED_OUT, finished_at=uow.clock())
    )  # fmt: skip
    uow.mark_changed("outbox")
    return int(getattr(result, "rowcount", 0) or 0)


def opt_in(uow_factory: UnitOfWorkFactory, channel: str, recipient: str) -> None:
    def work(uow: UnitOfWork) -> None:
        row = uow.session.scalar(
            select(MessageOptOut).where(MessageOptOut.channel == channel, MessageOptOut.recipient == recipient)
        )
        if row is not None:
            audit.record(uow, "message_opt_out", recipient, "delete", {"channel": channel, "reason": row.reason})
            uow.session.delete(row)
            uow.mark_changed("outbox")
            uow.commit()

    run_in_transaction(uow_factory, work)


def is_stop_word(text: str) -> bool:
    return text.strip().strip("!.").upper() in STOP_WORDS


def record_reply(uow: UnitOfWork, channel: str, sender: str, text: str, client_id: int | None = None) -> bool:
    """*handle_reply* inside the caller's transaction (the inbound poller moves its cursor in the same one)."""
    if not is_stop_word(text):
        return False
    record_opt_out(uow, channel, sender, _("Reply: {text}").format(text=text.strip()[:60]), client_id)
    return True


def handle_reply(uow_factory: UnitOfWorkFactory, channel: str, sender: str, text: str) -> bool:
    """An incoming reply: a stop word ("STOP", "СТОП" …) opts the sender out at once. True when it did."""
    if not is_stop_word(text):
        return False

    def work(uow: UnitOfWork) -> bool:
        record_reply(uow, channel, sender, text)
        uow.commit()
        return True

    return run_in_transaction(uow_factory, work)


def list_messages(
    uow_factory: UnitOfWorkFactory, *, statuses: tuple[str, ...] = (), client_id: int | None = None,
    since: datetime | None = None, before_id: int | None = None, limit: int = 200,
) -> list[MessageInfo]:  # fmt: skip
    """Messages newest first, filtered by status, client and date; page on with *before_id*."""

    def work(uow: UnitOfWork) -> list[MessageInfo]:
        statement = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        if statuses:
            statement = statement.where(OutboxMessage.status.in_(statuses))
        if client_id is not None:
            statement = statement.where(OutboxMessage.client_id == client_id)
        if since is not None:
            statement = statement.where(OutboxMessage.created_at >= since)
        if before_id is not None:
            statement = statement.where(OutboxMessage.id < before_id)
        return [message_info(row) for row in uow.session.scalars(statement)]

    return run_in_transaction(uow_factory, work, read_only=True)


def get_message(uow_factory: UnitOfWorkFactory, message_id: int) -> MessageInfo:
    def work(uow: UnitOfWork) -> MessageInfo:
        row = uow.session.get(OutboxMessage, message_id)
        if row is None:
            raise NotFoundError(_("The message no longer exists."))
        return message_info(row)

    return run_in_transaction(uow_factory, work, read_only=True)


@dataclass(frozen=True)
class DayTotals:
    """One local day of the outbox: messages by status, SMS parts and what the provider charged."""

    day: date
    by_status: dict[str, int]
    segments: int
    cost: Decimal


def daily_totals(uow_factory: UnitOfWorkFactory, first_day: date, last_day: date, zone: ZoneInfo) -> list[DayTotals]:
    """Totals per day (of creation, in *zone*) from *first_day* to *last_day* inclusive, days without any left out."""

    def work(uow: UnitOfWork) -> list[DayTotals]:
        start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=zone)
        end = datetime(last_day.year, last_day.month, last_day.day, tzinfo=zone) + timedelta(days=1)
        rows = uow.session.execute(
            select(OutboxMessage.created_at, OutboxMessage.status, OutboxMessage.segments, OutboxMessage.cost).where(
                OutboxMessage.created_at >= start, OutboxMessage.created_at < end
            )
        )
        days: dict[date, tuple[Counter[str], list[int], list[Decimal]]] = {}
        for created_at, status, segments, cost in rows:
            counts, parts, costs = days.setdefault(created_at.astimezone(zone).date(), (Counter(), [], []))
            counts[status] += 1
            if status in ("sent", "delivered"):
                parts.append(segments)
                costs.append(cost or Decimal("0.00"))
        return [
            DayTotals(day, dict(counts), sum(parts), sum(costs, Decimal("0.00")))
            for day, (counts, parts, costs) in sorted(days.items())
        ]

    return run_in_transaction(uow_factory, work, read_only=True)


def message_info(row: OutboxMessage) -> MessageInfo:
    return MessageInfo(
        row.id, row.created_at, row.channel, row.recipient, row.text, row.template_code, row.purpose, row.client_id,
        row.entity, row.entity_id, row.status, status_label(row.status), row.attempts, row.not_before,
        row.next_attempt_at, row.segments, row.provider, row.provider_message_id, row.cost,
        _(row.last_error) if row.last_error else None, row.sent_at, row.delivered_at,
    )  # fmt: skip
