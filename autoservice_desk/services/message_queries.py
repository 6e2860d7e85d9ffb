"""What the Messages screens read: the outbox filtered and searched for a person, a client's contacts and consents
for the send dialog, and a real record to fill a template preview from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Client, ClientPhone, Vehicle
from autoservice_desk.models.messaging import OutboxMessage
from autoservice_desk.models.scheduling import Booking
from autoservice_desk.models.search import ClientSearchTerm
from autoservice_desk.services.client_names import display_name
from autoservice_desk.services.clients import consent_in_force
from autoservice_desk.services.message_templates import MessageFacts
from autoservice_desk.services.messaging_settings import load_settings
from autoservice_desk.services.outbox import MessageInfo, client_recipient, is_opted_out, message_info
from autoservice_desk.services.search_terms import Kind, next_prefix
from autoservice_desk.services.text_keys import fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

# The status filters the screen offers; "" is every message.
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "": (),
    "queued": ("queued", "sending"),
    "failed": ("failed",),
    "delivered": ("sent", "delivered"),
    "cancelled": ("cancelled",),
}


@dataclass(frozen=True)
class OutboxFilter:
    """What the Messages screen asks for; days are the shop's local dates, both inclusive."""

    status_group: str = ""
    first_day: date | None = None
    last_day: date | None = None
    search: str = ""  # a client's name or a phone number, any part of it
    client_id: int | None = None


@dataclass(frozen=True)
class OutboxRow:
    message: MessageInfo
    client_name: str


@dataclass(frozen=True)
class ClientContacts:
    """How a one-off message can reach the client, and whether the client agreed to receive it."""

    client_id: int
    name: str
    phone: str | None
    telegram_chat: str | None
    service_consent: bool
    marketing_consent: bool
    opted_out: bool  # the phone asked for no more messages
    vehicle_id: int | None  # the client's first car, for the template placeholders


def _clients_named(word: str) -> Select[int]:
    """Clients with a name word starting with *word*, through the client search index (folded in Python, so
    Cyrillic matches on SQLite too, whose lower() knows only Latin letters)."""
    folded = fold_text(word)
    return select(ClientSearchTerm.client_id).where(
        ClientSearchTerm.kind.in_((int(Kind.NAME), int(Kind.WORD))),
        ClientSearchTerm.term >= folded, ClientSearchTerm.term < next_prefix(folded),
    )  # fmt: skip


def _filtered(statement: Select[OutboxMessage, Client], chosen: OutboxFilter,
              zone: ZoneInfo) -> Select[OutboxMessage, Client]:  # fmt: skip
    if statuses := STATUS_GROUPS.get(chosen.status_group, ()):
        statement = statement.where(OutboxMessage.status.in_(statuses))
    if chosen.client_id is not None:
        statement = statement.where(OutboxMessage.client_id == chosen.client_id)
    if chosen.first_day is not None:
        start = datetime(chosen.first_day.year, chosen.first_day.month, chosen.first_day.day, tzinfo=zone)
        statement = statement.where(OutboxMessage.created_at >= start)
    if chosen.last_day is not None:
        end = datetime(chosen.last_day.year, chosen.last_day.month, chosen.last_day.day, tzinfo=zone)
        statement = statement.where(OutboxMessage.created_at < end + timedelta(days=1))
    for word in chosen.search.split():
        conditions = [OutboxMessage.client_id.in_(_clients_named(word)),
                      func.lower(OutboxMessage.text).like(f"%{word.lower()}%")]  # fmt: skip
        digits = "".join(character for character in word if character.isdigit())
        if len(digits) >= 3:
            conditions.append(OutboxMessage.recipient.like(f"%{digits}%"))
        statement = statement.where(or_(*conditions))
    return statement


def list_outbox(
    uow_factory: UnitOfWorkFactory, chosen: OutboxFilter, zone: ZoneInfo, *, before_id: int | None = None,
    limit: int = 100,
) -> list[OutboxRow]:  # fmt: skip
    """Messages matching *chosen*, newest first; page on with the last row's id as *before_id*.

    Each word of the search must match the start of a name word, a run of the phone's digits, or the text.
    """

    def work(uow: UnitOfWork) -> list[OutboxRow]:
        statement = select(OutboxMessage, Client).outerjoin(Client, Client.id == OutboxMessage.client_id)
        statement = _filtered(statement, chosen, zone).order_by(OutboxMessage.id.desc()).limit(limit)
        if before_id is not None:
            statement = statement.where(OutboxMessage.id < before_id)
        rows = []
        for message, client in uow.session.execute(statement):
            name = ""
            if client is not None:
                name = display_name(client.kind, client.surname, client.given_name, client.patronymic,
                                    client.company_name)  # fmt: skip
            rows.append(OutboxRow(message_info(message), name))
        return rows

    return run_in_transaction(uow_factory, work, read_only=True)


def outbox_stamp(uow_factory: UnitOfWorkFactory) -> tuple[object, ...]:
    """Changes whenever a message is added or changes status (another desk delivering): the screen's poll."""

    def work(uow: UnitOfWork) -> tuple[object, ...]:
        row = uow.session.execute(
            select(func.count(OutboxMessage.id), func.max(OutboxMessage.id), func.max(OutboxMessage.updated_at),
                   func.max(OutboxMessage.finished_at), func.max(OutboxMessage.status_checked_at))
        ).one()  # fmt: skip
        return tuple(row)

    return run_in_transaction(uow_factory, work, read_only=True)


def client_contacts(uow_factory: UnitOfWorkFactory, client_id: int) -> ClientContacts:
    """The client's phone and Telegram chat, consents and opt-out, for the send dialog."""

    def work(uow: UnitOfWork) -> ClientContacts:
        client = uow.session.get(Client, client_id)
        name = ""
        if client is not None:
            name = display_name(client.kind, client.surname, client.given_name, client.patronymic,
                                client.company_name)  # fmt: skip
        phone = client_recipient(uow, client_id, "sms")
        vehicle_id = uow.session.scalar(
            select(Vehicle.id).where(Vehicle.owner_id == client_id).order_by(Vehicle.id).limit(1)
        )
        return ClientContacts(
            client_id, name, phone, client_recipient(uow, client_id, "telegram"),
            consent_in_force(uow, client_id, "service"), consent_in_force(uow, client_id, "marketing"),
            phone is not None and is_opted_out(uow, "sms", phone), vehicle_id,
        )  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def sample_facts(uow_factory: UnitOfWorkFactory) -> MessageFacts:
    """A real record to preview templates with: the next booking (else the last one), else any client with a phone.

    The amount and the numbers are examples: a template preview must show every placeholder filled.
    """

    def work(uow: UnitOfWork) -> MessageFacts:
        now = uow.clock()
        example = MessageFacts(amount=Decimal("12450.00"), number="000123", part="0986494104 Bosch",
                               works=_("brake fluid replacement"))  # fmt: skip
        booking = uow.session.scalar(
            select(Booking).where(Booking.starts_at >= now).order_by(Booking.starts_at).limit(1)
        ) or uow.session.scalar(select(Booking).order_by(Booking.starts_at.desc()).limit(1))
        if booking is not None:
            return replace(example, client_id=booking.client_id, vehicle_id=booking.vehicle_id,
                           moment=booking.starts_at)  # fmt: skip
        client_id = uow.session.scalar(select(ClientPhone.client_id).order_by(ClientPhone.client_id).limit(1))
        vehicle_id = None
        if client_id is not None:
            vehicle_id = uow.session.scalar(select(Vehicle.id).where(Vehicle.owner_id == client_id).limit(1))
        zone = load_settings(uow).zone
        tomorrow = (now + timedelta(days=1)).astimezone(zone).replace(hour=10, minute=0, second=0, microsecond=0)
        return replace(example, client_id=client_id, vehicle_id=vehicle_id, moment=tomorrow)

    return run_in_transaction(uow_factory, work, read_only=True)
