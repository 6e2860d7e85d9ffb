"""What the client form holds and how it is checked: every field's problem found at once, nothing written yet."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import FieldErrors, ValidationError
from autoservice_desk.services.identity import parse_phone
from autoservice_desk.services.requisites import inn_problem

KINDS = ("person", "company")
MESSENGER_KINDS = ("telegram", "whatsapp", "viber", "vk", "max")
MESSENGER_LABELS = {
    "telegram": N_("Telegram"), "whatsapp": N_("WhatsApp"), "viber": N_("Viber"), "vk": N_("VK"), "max": N_("MAX"),
}  # fmt: skip
MAX_DISCOUNT = Decimal("100")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_TEXT_LIMITS = {
    "surname": 100, "given_name": 100, "patronymic": 100, "company_name": 300, "email": 200, "source": 100,
}  # fmt: skip
TAG_LENGTH = 60


@dataclass(frozen=True)
class PhoneEntry:
    number: str
    label: str = ""


@dataclass(frozen=True)
class MessengerEntry:
    kind: str
    handle: str


@dataclass(frozen=True)
class ContactPersonEntry:
    name: str
    position_title: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ClientForm:
    """The card's editable fields as typed (strings as they are in the form; `clean_client_form` checks them)."""

    kind: str = "person"
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""
    company_name: str = ""
    inn: str = ""
    kpp: str = ""
    email: str = ""
    address: str = ""
    birthday: date | None = None
    source: str = ""
    notes: str = ""
    discount_percent: str = "0"
    phones: tuple[PhoneEntry, ...] = ()
    messengers: tuple[MessengerEntry, ...] = ()
    contact_persons: tuple[ContactPersonEntry, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanPhone:
    e164: str
    label: str | None


@dataclass(frozen=True)
class CleanContactPerson:
    name: str
    position_title: str | None
    phone_e164: str | None
    email: str | None


@dataclass(frozen=True)
class CleanClient:
    """A checked form: stored values (E.164 phones, `None` for empty text, a Decimal discount)."""

    kind: str
    surname: str | None
    given_name: str | None
    patronymic: str | None
    company_name: str | None
    inn: str | None
    kpp: str | None
    email: str | None
    address: str | None
    birthday: date | None
    source: str | None
    notes: str | None
    discount_percent: Decimal
    phones: tuple[CleanPhone, ...] = ()
    messengers: tuple[MessengerEntry, ...] = ()
    contact_persons: tuple[CleanContactPerson, ...] = ()
    tags: tuple[str, ...] = field(default=())

    @staticmethod
    def scalar_field_names() -> tuple[str, ...]:
        return (
            "kind", "surname", "given_name", "patronymic", "company_name", "inn", "kpp", "email", "address",
            "birthday", "source", "notes", "discount_percent",
        )  # fmt: skip

    def scalar_fields(self) -> dict[str, object]:
        """The columns of the `clients` row this form sets."""
        return {name: getattr(self, name) for name in self.scalar_field_names()}


def _text(value: str) -> str | None:
    cleaned = " ".join(value.split()) if "\n" not in value else value.strip()
    return cleaned or None


def _email_problem(email: str) -> str | None:
    return None if _EMAIL.match(email) else _("“{email}” is not an e-mail address.").format(email=email)


def clean_client_form(form: ClientForm, *, today: date) -> CleanClient:
    """Check every field of *form*; raise `FieldErrors` naming each wrong field, or return the stored values."""
    problems: dict[str, str] = {}
    if form.kind not in KINDS:
        problems["kind"] = _("Choose whether the client is a person or a company.")
    texts = {name: _text(getattr(form, name)) for name in _TEXT_LIMITS}
    for name, limit in _TEXT_LIMITS.items():
        if (value := texts[name]) and len(value) > limit:
            problems[name] = _("No more than {count} characters.").format(count=limit)
    if form.kind == "company" and not texts["company_name"]:
        problems["company_name"] = _("Enter the company's name.")
    if form.kind == "person" and not (texts["surname"] or texts["given_name"] or texts["patronymic"]):
        problems["surname"] = _("Enter at least a surname or a given name.")
    inn, kpp = form.inn.strip(), form.kpp.strip()
    if inn and (problem := inn_problem(inn)):
        problems["inn"] = problem
    if kpp and not (kpp.isdigit() and len(kpp) == 9):
        problems["kpp"] = _("KPP must be 9 digits.")
    if texts["email"] and (problem := _email_problem(texts["email"])):
        problems["email"] = problem
    if form.birthday is not None and not date(1900, 1, 1) <= form.birthday <= today:
        problems["birthday"] = _("The birthday must be a past date.")
    discount = _discount(form.discount_percent, problems)
    phones = _phones(form.phones, problems)
    messengers = _messengers(form.messengers, problems)
    contacts = _contacts(form.contact_persons, problems)
    tags = _tags(form.tags, problems)
    if problems:
        raise FieldErrors(problems)
    return CleanClient(
        kind=form.kind, **texts, inn=inn or None, kpp=kpp or None, address=_text(form.address),
        birthday=form.birthday, notes=form.notes.strip() or None, discount_percent=discount, phones=phones,
        messengers=messengers, contact_persons=contacts, tags=tags,
    )  # fmt: skip


def _discount(text: str, problems: dict[str, str]) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ".").rstrip("%").strip() or "0")
    except InvalidOperation:
        problems["discount_percent"] = _("The discount is a number of per cent, for example 5 or 7.5.")
        return Decimal("0.00")
    if not value.is_finite() or not Decimal(0) <= value <= MAX_DISCOUNT or value != value.quantize(Decimal("0.01")):
        problems["discount_percent"] = _("The discount is from 0 to 100 per cent, at most two decimal places.")
        return Decimal("0.00")
    return value.quantize(Decimal("0.01"))


def _phones(entries: tuple[PhoneEntry, ...], problems: dict[str, str]) -> tuple[CleanPhone, ...]:
    cleaned: list[CleanPhone] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if not entry.number.strip():
            continue
        try:
            e164 = parse_phone(entry.number)
        except ValidationError as error:
            problems[f"phones.{index}"] = error.message
            continue
        if e164 in seen:
            problems[f"phones.{index}"] = _("This number is already on the card.")
            continue
        seen.add(e164)
        cleaned.append(CleanPhone(e164, _text(entry.label)))
    return tuple(cleaned)


def _messengers(entries: tuple[MessengerEntry, ...], problems: dict[str, str]) -> tuple[MessengerEntry, ...]:
    cleaned = []
    for index, entry in enumerate(entries):
        handle = entry.handle.strip()
        if not handle:
            continue
        if entry.kind not in MESSENGER_KINDS:
            problems[f"messengers.{index}"] = _("Choose the messenger.")
        elif len(handle) > 120:
            problems[f"messengers.{index}"] = _("No more than {count} characters.").format(count=120)
        else:
            cleaned.append(MessengerEntry(entry.kind, handle))
    return tuple(cleaned)


def _contacts(entries: tuple[ContactPersonEntry, ...], problems: dict[str, str]) -> tuple[CleanContactPerson, ...]:
    cleaned = []
    for index, entry in enumerate(entries):
        name = _text(entry.name)
        if not name:
            if entry.phone.strip() or entry.email.strip():
                problems[f"contact_persons.{index}"] = _("Enter the contact person's name.")
            continue
        phone = None
        if entry.phone.strip():
            try:
                phone = parse_phone(entry.phone)
            except ValidationError as error:
                problems[f"contact_persons.{index}"] = error.message
        email = _text(entry.email)
        if email and (problem := _email_problem(email)):
            problems[f"contact_persons.{index}"] = problem
        cleaned.append(CleanContactPerson(name, _text(entry.position_title), phone, email))
    return tuple(cleaned)


def _tags(tags: tuple[str, ...], problems: dict[str, str]) -> tuple[str, ...]:
    cleaned: dict[str, str] = {}
    for tag in tags:
        text = " ".join(tag.split())
        if not text:
            continue
        if len(text) > TAG_LENGTH:
            problems["tags"] = _("A tag is at most {count} characters.").format(count=TAG_LENGTH)
            continue
        cleaned.setdefault(text.casefold(), text)
    return tuple(sorted(cleaned.values(), key=str.casefold))


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed in one field, separated by commas or semicolons."""
    return tuple(part.strip() for part in re.split(r"[,;]", text) if part.strip())


def with_phones(form: ClientForm, *numbers: str) -> ClientForm:
    return replace(form, phones=tuple(PhoneEntry(number) for number in numbers))
