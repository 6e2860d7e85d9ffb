"""Automatic messages: which event or schedule puts which message in the outbox, each switchable in Settings.

Event handlers run inside the transaction of the change (domain_events), so the message commits with it.
Scheduled ones (the reminder the day before) run from the scheduler and are idempotent by their keys, so any
number of desks running them at once still queue each message once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from autoservice_desk.models.inventory import Part
from autoservice_desk.models.messaging import OutboxMessage
from autoservice_desk.models.scheduling import Booking
from autoservice_desk.services import domain_events
from autoservice_desk.services.domain_events import (
    BookingCancelled,
    BookingCreated,
    BookingMoved,
    PartsArrived,
    WorkOrderStatusChanged,
)
from autoservice_desk.services.message_templates import MessageFacts, render_event
from autoservice_desk.services.messaging_settings import load_settings, trigger_enabled
from autoservice_desk.services.outbox import EnqueueResult, MessageRequest, client_recipient, enqueue
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

CANCELLED_BOOKING = "Not sent: the booking was cancelled or moved."


def queue_event_message(
    uow: UnitOfWork, event: str, key: str, facts: MessageFacts, *, entity: str | None = None,
    entity_id: int | None = None, not_before: datetime | None = None, expires_at: datetime | None = None,
    purpose: str = "service",
) -> EnqueueResult | None:  # fmt: skip
    """Queue the *event* message about *facts* unless its trigger or template is off or the client has no contact.

    A client who linked the shop's Telegram bot gets it there when Telegram is on; everyone else by SMS.
    """
    if facts.client_id is None or not trigger_enabled(uow, event):
        return None
    settings = load_settings(uow)
    channel, recipient = "sms", None
    if settings.telegram_enabled:
        recipient = client_recipient(uow, facts.client_id, "telegram")
        channel = "telegram" if recipient else "sms"
    recipient = recipient or client_recipient(uow, facts.client_id, "sms")
    if recipient is None:
        return None
    text = render_event(uow, event, facts, channel)
    if text is None:
        return None
    request = MessageRequest(channel, recipient, text, key, purpose, facts.client_id, event, entity, entity_id,
                             not_before, expires_at)  # fmt: skip
    return enqueue(uow, request)


def on_booking_created(uow: UnitOfWork, event: BookingCreated) -> None:
    booking = uow.session.get(Booking, event.booking_id)
    if booking is None or booking.starts_at <= uow.clock():
        return
    facts = MessageFacts(event.client_id, booking.vehicle_id, booking.starts_at)
    queue_event_message(uow, "booking_created", f"booking-created:{booking.id}", facts, entity="booking",
                        entity_id=booking.id, expires_at=booking.starts_at)  # fmt: skip


def _cancel_booking_messages(uow: UnitOfWork, booking_id: int) -> None:
    uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.entity == "booking", OutboxMessage.entity_id == booking_id,
               OutboxMessage.status == "queued")
        .values(status="cancelled", last_error=CANCELLED_BOOKING, finished_at=uow.clock())
    )  # fmt: skip
    uow.mark_changed("outbox")


def on_booking_cancelled(uow: UnitOfWork, event: BookingCancelled) -> None:
    _cancel_booking_messages(uow, event.booking_id)


def on_booking_moved(uow: UnitOfWork, event: BookingMoved) -> None:
    """A reminder queued for the old time must not go; the reminder job queues one for the new day."""
    _cancel_booking_messages(uow, event.booking_id)


def on_work_order_status_changed(uow: UnitOfWork, event: WorkOrderStatusChanged) -> None:
    facts = MessageFacts(event.client_id, event.vehicle_id, amount=event.amount_due, number=event.number)
    if event.status == "ready":
        queue_event_message(uow, "car_ready", f"car-ready:{event.work_order_id}", facts, entity="work_order",
                            entity_id=event.work_order_id)  # fmt: skip
    elif event.status == "issued":
        settings = load_settings(uow)
        next_day = settings.local_moment(uow.clock() + timedelta(days=1), settings.reminder_hour)
        queue_event_message(uow, "visit_follow_up", f"visit-follow-up:{event.work_order_id}", facts,
                            entity="work_order", entity_id=event.work_order_id, not_before=next_day)  # fmt: skip


def on_parts_arrived(uow: UnitOfWork, event: PartsArrived) -> None:
    part = uow.session.get(Part, event.part_id)
    facts = MessageFacts(event.client_id, part=part.name if part is not None else None)
    queue_event_message(uow, "parts_arrived", f"parts-arrived:{event.special_order_id}", facts,
                        entity="special_order", entity_id=event.special_order_id)  # fmt: skip


def queue_booking_reminders(uow_factory: UnitOfWorkFactory, now: datetime | None = None) -> int:
    """Queue the reminder for every booking that starts tomorrow (the shop's local date); returns how many new."""
    from autoservice_desk.services.bookings import bookings_starting_between
    from autoservice_desk.services.messaging_settings import get_settings

    settings = get_settings(uow_factory)
    tomorrow = settings.local_moment((now or uow_factory.clock()) + timedelta(days=1), 0)
    bookings = bookings_starting_between(uow_factory, tomorrow, tomorrow + timedelta(days=1))

    def work(uow: UnitOfWork) -> int:
        if not trigger_enabled(uow, "booking_reminder"):
            return 0
        created = 0
        for booking in bookings:
            key = f"booking-reminder:{booking.id}:{tomorrow.date().isoformat()}"
            facts = MessageFacts(booking.client_id, booking.vehicle_id, booking.starts_at)
            result = queue_event_message(uow, "booking_reminder", key, facts, entity="booking", entity_id=booking.id,
                                         expires_at=booking.starts_at)  # fmt: skip
            created += bool(result and result.created)
        uow.commit()
        return created

    return run_in_transaction(uow_factory, work) if bookings else 0


def queue_declined_follow_ups(uow_factory: UnitOfWorkFactory, now: datetime | None = None) -> int:
    """Remind clients of work they declined `declined_follow_up_days` ago: one message per work order.

    Sent as marketing (it offers work the client turned down), so it needs the marketing consent. Only answers
    from the fortnight before the due day are looked at, so switching the trigger on does not dig up years of them.
    """
    from autoservice_desk.services.messaging_settings import get_settings
    from autoservice_desk.services.recommendations import declined_recommendations_due

    moment = now or uow_factory.clock()
    settings = get_settings(uow_factory)
    due_before = moment - timedelta(days=settings.declined_follow_up_days)
    declined = declined_recommendations_due(uow_factory, due_before, declined_after=due_before - timedelta(days=14))
    by_order: dict[int, list[str]] = {}
    owners: dict[int, tuple[int, int | None]] = {}
    for item in declined:
        by_order.setdefault(item.work_order_id, []).append(item.service_name or item.text)
        owners[item.work_order_id] = (item.client_id, item.vehicle_id)

    def work(uow: UnitOfWork) -> int:
        if not trigger_enabled(uow, "declined_follow_up"):
            return 0
        created = 0
        for work_order_id, works in by_order.items():
            client_id, vehicle_id = owners[work_order_id]
            facts = MessageFacts(client_id, vehicle_id, works="; ".join(dict.fromkeys(works))[:200])
            result = queue_event_message(uow, "declined_follow_up", f"declined-follow-up:{work_order_id}", facts,
                                         entity="work_order", entity_id=work_order_id, purpose="marketing")  # fmt: skip
            created += bool(result and result.created)
        uow.commit()
        return created

    return run_in_transaction(uow_factory, work) if by_order else 0


def install() -> None:
    """Subscribe the in-transaction handlers (idempotent); called from services.event_wiring."""
    domain_events.subscribe(BookingCreated, on_booking_created)
    domain_events.subscribe(BookingCancelled, on_booking_cancelled)
    domain_events.subscribe(BookingMoved, on_booking_moved)
    domain_events.subscribe(WorkOrderStatusChanged, on_work_order_status_changed)
    domain_events.subscribe(PartsArrived, on_parts_arrived)
