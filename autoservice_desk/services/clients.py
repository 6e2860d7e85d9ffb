"""Client cards: create, read, change, block, consents and notes, each one audited transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.clients import (
    Client,
    ClientConsent,
    ClientContactPerson,
    ClientMessenger,
    ClientPhone,
    ClientTag,
    MileageReading,
    Vehicle,
)
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.client_forms import (
    CleanClient,
    ClientForm,
    ContactPersonEntry,
    MessengerEntry,
    PhoneEntry,
    clean_client_form,
)
from autoservice_desk.services.client_names import display_name, sort_key
from autoservice_desk.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.identity import format_phone
from autoservice_desk.services.search_terms import index_client
from autoservice_desk.services.segments import Segment, SegmentRules, history_of, segment_of
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

EDITOR_ROLES = ("advisor", "manager")
CONSENT_KINDS = {"service": N_("Service notifications"), "marketing": N_("Marketing messages")}
FIELD_LABELS = {
    "kind": N_("kind"), "surname": N_("surname"), "given_name": N_("given name"), "patronymic": N_("patronymic"),
    "company_name": N_("company name"), "inn": N_("INN"), "kpp": N_("KPP"), "email": N_("e-mail"),
    "address": N_("address"), "birthday": N_("birthday"), "source": N_("source"), "notes": N_("notes"),
    "discount_percent": N_("discount"), "phones": N_("phones"), "messengers": N_("messengers"),
    "contact_persons": N_("contact persons"), "tags": N_("tags"),
}  # fmt: skip


class DuplicateClientError(ConflictError):
    """A client with one of these phones exists; the screen offers to open it instead."""

    def __init__(self, matches: tuple[ClientRef, ...]) -> None:
        names = ", ".join(match.name for match in matches)
        super().__init__(_("A client with this phone number already exists: {names}.").format(names=names))
        self.matches = matches


@dataclass(frozen=True)
class ClientRef:
    id: int
    name: str


@dataclass(frozen=True)
class ConsentState:
    kind: str
    granted: bool
    given_on: date
    source: str
    recorded_at: datetime


@dataclass(frozen=True)
class VehicleSummary:
    id: int
    make: str
    model: str
    year: int | None
    plate: str | None
    vin: str | None
    chassis_number: str | None
    colour: str | None
    last_mileage: int | None


@dataclass(frozen=True)
class ClientCard:
    """Everything the card screen shows about one client, read in one transaction."""

    id: int
    version: int
    name: str
    form: ClientForm
    phones: tuple[tuple[str, str], ...]  # (E.164, shown), in card order
    consents: dict[str, ConsentState | None]
    segment: Segment
    blocked_reason: str | None
    visit_count: int
    last_visit_on: date | None
    created_at: datetime
    vehicles: tuple[VehicleSummary, ...]
    merged_into: ClientRef | None
    anonymised: bool


def require_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*EDITOR_ROLES):
        raise PermissionDeniedError(_("Only service advisors, managers and administrators can change client cards."))


def load_client(uow: UnitOfWork, client_id: int, *, for_update: bool = False) -> Client:
    statement = select(Client).where(Client.id == client_id)
    client = uow.session.scalar(statement.with_for_update() if for_update else statement)
    if client is None:
        raise NotFoundError(_("The client no longer exists."))
    return client


def client_name(client: Client) -> str:
    """The card's name; a card without one (anonymised) is named by its number."""
    name = display_name(client.kind, client.surname, client.given_name, client.patronymic, client.company_name)
    return name or _("Client #{id}").format(id=client.id)


def clients_with_phones(uow: UnitOfWork, phones: Iterable[str], exclude_id: int | None = None) -> tuple[ClientRef, ...]:
    """Live (not merged) clients holding any of *phones*, for duplicate warnings."""
    numbers = list(phones)
    if not numbers:
        return ()
    statement = (
        select(Client).join(ClientPhone).where(ClientPhone.e164.in_(numbers), Client.merged_into_id.is_(None))
        .distinct().order_by(Client.id).limit(5)
    )  # fmt: skip
    if exclude_id is not None:
        statement = statement.where(Client.id != exclude_id)
    return tuple(ClientRef(client.id, client_name(client)) for client in uow.session.scalars(statement))


def _snapshot(client: Client) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(client, name) for name in CleanClient.scalar_field_names()}
    values["phones"] = [phone.e164 for phone in client.phones]
    values["messengers"] = [f"{item.kind}:{item.handle}" for item in client.messengers]
    values["contact_persons"] = [item.name for item in client.contact_persons]
    values["tags"] = [item.tag for item in client.tags]
    return values


def _apply(client: Client, clean: CleanClient) -> None:
    for name, value in clean.scalar_fields().items():
        setattr(client, name, value)
    client.sort_key = sort_key(clean.kind, clean.surname, clean.given_name, clean.patronymic, clean.company_name)
    client.phones = [
        ClientPhone(e164=phone.e164, label=phone.label, position=index) for index, phone in enumerate(clean.phones)
    ]
    client.messengers = [
        ClientMessenger(kind=item.kind, handle=item.handle, position=index)
        for index, item in enumerate(clean.messengers)
    ]
    client.contact_persons = [
        ClientContactPerson(
            name=item.name,
            position_title=item.position_title,
            phone_e164=item.phone_e164,
            email=item.email,
            position=index,
        )  # fmt: skip
        for index, item in enumerate(clean.contact_persons)
    ]
    client.tags = [ClientTag(tag=tag) for tag in clean.tags]


def reindex(uow: UnitOfWork, client: Client) -> None:
    index_client(uow, client.id, [tag.tag for tag in client.tags])


def create_client(uow_factory: UnitOfWorkFactory, form: ClientForm, *, allow_duplicate: bool = False) -> int:
    """Create a client from *form*; a phone that another client has raises `DuplicateClientError` unless allowed."""

    def work(uow: UnitOfWork) -> int:
        require_editor(uow)
        clean = clean_client_form(form, today=uow.clock().date())
        if not allow_duplicate and (matches := clients_with_phones(uow, (phone.e164 for phone in clean.phones))):
            raise DuplicateClientError(matches)
        client = Client()
        _apply(client, clean)
        uow.session.add(client)
        uow.session.flush()
        reindex(uow, client)
        audit.record(uow, "client", client.id, "create", None, _snapshot(client))
        timeline.add_event(uow, client.id, timeline.CARD_CHANGE, _("Card created"))
        uow.mark_changed("client", client.id)
        uow.commit()
        return client.id

    return run_in_transaction(uow_factory, work)


def update_client(
    uow_factory: UnitOfWorkFactory, client_id: int, version: int, form: ClientForm, *, allow_duplicate: bool = False
) -> None:
    """Save *form* over the card read at *version*; a card changed since by another desk is refused."""

    def work(uow: UnitOfWork) -> None:
        require_editor(uow)
        client = load_client(uow, client_id, for_update=True)
        if client.version != version:
            raise ConflictError(
                _("Someone else has changed this card in the meantime; reopen it and make your change again.")
            )
        if client.merged_into_id is not None or client.anonymised_at is not None:
            raise ValidationError(_("This card was merged or anonymised and can no longer be changed."))
        clean = clean_client_form(form, today=uow.clock().date())
        new_phones = {phone.e164 for phone in clean.phones} - {phone.e164 for phone in client.phones}
        if not allow_duplicate and (matches := clients_with_phones(uow, new_phones, exclude_id=client_id)):
            raise DuplicateClientError(matches)
        before = _snapshot(client)
        _apply(client, clean)
        uow.session.flush()
        after = _snapshot(client)
        changed = [name for name in after if after[name] != before[name]]
        if not changed:
            return
        reindex(uow, client)
        audit.record(
            uow, "client", client_id, "update", {name: before[name] for name in changed},
            {name: after[name] for name in changed},
        )  # fmt: skip
        fields = ", ".join(_(FIELD_LABELS[name]) for name in changed if name in FIELD_LABELS)
        timeline.add_event(uow, client_id, timeline.CARD_CHANGE, _("Changed: {fields}").format(fields=fields))
        uow.mark_changed("client", client_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def get_client(uow_factory: UnitOfWorkFactory, client_id: int, rules: SegmentRules | None = None) -> ClientCard:
    """The card of *client_id* as it is now."""

    def work(uow: UnitOfWork) -> ClientCard:
        client = load_client(uow, client_id)
        merged_into = None
        if client.merged_into_id is not None:
            survivor = uow.session.get(Client, client.merged_into_id)
            merged_into = ClientRef(client.merged_into_id, client_name(survivor) if survivor else "")
        return ClientCard(
            id=client.id, version=client.version, name=client_name(client), form=_form_of(client),
            phones=tuple((phone.e164, format_phone(phone.e164)) for phone in client.phones),
            consents=_consents(uow, client_id),
            segment=segment_of(history_of(client), uow.clock().date(), rules or SegmentRules()),
            blocked_reason=client.blocked_reason, visit_count=client.visit_count, last_visit_on=client.last_visit_on,
            created_at=client.created_at, vehicles=_vehicles(uow, client_id), merged_into=merged_into,
            anonymised=client.anonymised_at is not None,
        )  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def _form_of(client: Client) -> ClientForm:
    return ClientForm(
        kind=client.kind, surname=client.surname or "", given_name=client.given_name or "",
        patronymic=client.patronymic or "", company_name=client.company_name or "", inn=client.inn or "",
        kpp=client.kpp or "", email=client.email or "", address=client.address or "", birthday=client.birthday,
        source=client.source or "", notes=client.notes or "",
        discount_percent=_plain_number(client.discount_percent),
        phones=tuple(PhoneEntry(format_phone(phone.e164), phone.label or "") for phone in client.phones),
        messengers=tuple(MessengerEntry(item.kind, item.handle) for item in client.messengers),
        contact_persons=tuple(
            ContactPersonEntry(item.name, item.position_title or "", format_phone(item.phone_e164) if item.phone_e164
                               else "", item.email or "")
            for item in client.contact_persons
        ),
        tags=tuple(sorted((item.tag for item in client.tags), key=str.casefold)),
    )  # fmt: skip


def _plain_number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _consents(uow: UnitOfWork, client_id: int) -> dict[str, ConsentState | None]:
    latest: dict[str, ConsentState | None] = dict.fromkeys(CONSENT_KINDS)
    rows = uow.session.scalars(
        select(ClientConsent).where(ClientConsent.client_id == client_id).order_by(ClientConsent.id)
    )
    for row in rows:
        latest[row.kind] = ConsentState(row.kind, row.granted, row.given_on, row.source, row.recorded_at)
    return latest


def _vehicles(uow: UnitOfWork, client_id: int) -> tuple[VehicleSummary, ...]:
    cars = uow.session.scalars(select(Vehicle).where(Vehicle.owner_id == client_id).order_by(Vehicle.id)).all()
    mileage: dict[int, int] = {}
    if cars:
        readings = uow.session.execute(
            select(MileageReading.vehicle_id, MileageReading.kilometres)
            .where(MileageReading.vehicle_id.in_([car.id for car in cars]))
            .order_by(MileageReading.read_on, MileageReading.id)
        )
        mileage = {vehicle_id: kilometres for vehicle_id, kilometres in readings}  # the last wins
    return tuple(
        VehicleSummary(car.id, car.make, car.model, car.year, car.plate, car.vin, car.chassis_number, car.colour,
                       mileage.get(car.id))
        for car in cars
    )  # fmt: skip


def consent_in_force(uow: UnitOfWork, client_id: int, kind: str) -> bool:
    """Whether *client_id* currently agrees to *kind* messages; the messages module asks this before sending."""
    granted = uow.session.scalar(
        select(ClientConsent.granted)
        .where(ClientConsent.client_id == client_id, ClientConsent.kind == kind)
        .order_by(ClientConsent.id.desc())
        .limit(1)
    )
    return bool(granted)


def record_consent(
    uow_factory: UnitOfWorkFactory, client_id: int, kind: str, granted: bool, given_on: date, source: str
) -> None:
    """Record that the client gave or withdrew consent to *kind* messages on *given_on*, and how (*source*)."""
    if kind not in CONSENT_KINDS:
        raise ValidationError(_("Unknown kind of consent."), "kind")
    source = " ".join(source.split())
    if not source:
        raise ValidationError(_("Say how the consent was given: a signed form, a call, the website ..."), "source")

    def work(uow: UnitOfWork) -> None:
        require_editor(uow)
        client = load_client(uow, client_id, for_update=True)
        if given_on > uow.clock().date():
            raise ValidationError(_("The consent date cannot be in the future."), "given_on")
        uow.session.add(
            ClientConsent(
                client_id=client.id, kind=kind, granted=granted, given_on=given_on, source=source[:120],
                recorded_at=uow.clock(), recorded_by_id=uow.actor.user_id,
            )
        )  # fmt: skip
        details = {"kind": kind, "granted": granted, "given_on": given_on, "source": source}
        audit.record(uow, "client_consent", client_id, "grant" if granted else "withdraw", None, details)
        template = _("{kind}: consent given ({source})") if granted else _("{kind}: consent withdrawn ({source})")
        summary = template.format(kind=_(CONSENT_KINDS[kind]), source=source)
        timeline.add_event(uow, client_id, timeline.CONSENT, summary)
        uow.mark_changed("client", client_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def set_blocked(uow_factory: UnitOfWorkFactory, client_id: int, reason: str | None) -> None:
    """Block the client with *reason*, or unblock with None; blocked clients are flagged everywhere."""

    def work(uow: UnitOfWork) -> None:
        require_editor(uow)
        client = load_client(uow, client_id, for_update=True)
        before = {"blocked_reason": client.blocked_reason}
        if reason is not None:
            text = reason.strip()
            if not text:
                raise ValidationError(_("Say why the client is blocked."), "reason")
            client.blocked_at, client.blocked_reason = uow.clock(), text
            summary = _("Blocked: {reason}").format(reason=text)
        else:
            client.blocked_at, client.blocked_reason = None, None
            summary = _("Unblocked")
        audit.record(uow, "client", client_id, "block" if reason else "unblock", before, {"blocked_reason": reason})
        timeline.add_event(uow, client_id, timeline.CARD_CHANGE, summary)
        uow.mark_changed("client", client_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def add_note(uow_factory: UnitOfWorkFactory, client_id: int, text: str) -> None:
    """Add a note to the client's timeline (a call, a wish, anything worth remembering)."""
    note = text.strip()
    if not note:
        raise ValidationError(_("The note is empty."), "note")

    def work(uow: UnitOfWork) -> None:
        require_editor(uow)
        load_client(uow, client_id)
        first_line = note.splitlines()[0]
        timeline.add_event(uow, client_id, timeline.NOTE, first_line, body=note if note != first_line else None)
        uow.commit()

    run_in_transaction(uow_factory, work)


def has_clients(uow_factory: UnitOfWorkFactory) -> bool:
    """True when the database holds at least one client (an empty shop is offered demo data)."""
    return run_in_transaction(
        uow_factory, lambda uow: uow.session.scalar(select(Client.id).limit(1)) is not None, read_only=True
    )
