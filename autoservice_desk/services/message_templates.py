"""Message templates per event and language: built-in Russian and English defaults, the shop's own texts, rendering.

Placeholders: {client_name} {date} {time} {car} {plate} {amount} {shop_phone} {shop_name} {number} {part} {works}.
A template with an unknown placeholder or a stray brace is refused when saved; a placeholder a record has no value
for renders empty. `preview` fills a text from a real client, car and booking so the person sees what goes out.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Client, Vehicle
from autoservice_desk.models.messaging import MessageTemplate
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.messaging_settings import (
    TRIGGERS,
    MessagingSettingsInfo,
    load_settings,
    require_settings_editor,
)
from autoservice_desk.services.sms_segments import SegmentCount, count_segments
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

PLACEHOLDERS = ("client_name", "date", "time", "car", "plate", "amount", "shop_phone", "shop_name", "number", "part",
                "works")  # fmt: skip
LANGUAGES = ("ru", "en")
_BABEL = {"ru": "ru_RU", "en": "en_GB"}
# The shop sees these as the starting texts; Russian first (most clients), English for the others.
DEFAULTS: dict[tuple[str, str], str] = {
    ("booking_created", "ru"): "{client_name}, вы записаны в {shop_name} на {date} в {time}. {car} {plate}. Тел. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("booking_created", "en"): "{client_name}, you are booked at {shop_name} on {date} at {time}. {car} {plate}. Tel. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("booking_reminder", "ru"): "Напоминаем: завтра, {date} в {time}, ждём вас в {shop_name}. {car} {plate}. Тел. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("booking_reminder", "en"): "Reminder: tomorrow, {date} at {time}, we expect you at {shop_name}. {car} {plate}. Tel. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("car_ready", "ru"): "{client_name}, ваш автомобиль {car} {plate} готов. К оплате {amount}. {shop_name}, тел. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("car_ready", "en"): "{client_name}, your car {car} {plate} is ready. To pay: {amount}. {shop_name}, tel. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("parts_arrived", "ru"): "{client_name}, заказанные запчасти поступили: {part}. Ждём вас в {shop_name}, тел. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("parts_arrived", "en"): "{client_name}, the parts you ordered have arrived: {part}. {shop_name}, tel. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("visit_follow_up", "ru"): "{client_name}, спасибо, что выбрали {shop_name}! Всё ли в порядке с автомобилем? Тел. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("visit_follow_up", "en"): "{client_name}, thank you for choosing {shop_name}! Is everything fine with your car? Tel. {shop_phone}",  # noqa: E501 - one text per line reads best
    ("maintenance_due", "ru"): "{client_name}, вашему {car} {plate} скоро пора на ТО ({date}). Запись: {shop_phone}, {shop_name}",  # noqa: E501 - one text per line reads best
    ("maintenance_due", "en"): "{client_name}, your {car} {plate} is due for maintenance ({date}). Book: {shop_phone}, {shop_name}",  # noqa: E501 - one text per line reads best
    ("declined_follow_up", "ru"): "{client_name}, напоминаем о рекомендованных работах по {car} {plate}: {works}. Запись: {shop_phone}",  # noqa: E501 - one text per line reads best
    ("declined_follow_up", "en"): "{client_name}, a reminder of the recommended work on {car} {plate}: {works}. Book: {shop_phone}",  # noqa: E501 - one text per line reads best
}  # fmt: skip


@dataclass(frozen=True)
class TemplateInfo:
    event: str
    language: str
    channel: str
    text: str
    enabled: bool
    is_default: bool  # True: the built-in text (the shop has not changed it)


@dataclass(frozen=True)
class Preview:
    text: str
    segments: SegmentCount


@dataclass(frozen=True)
class MessageFacts:
    """What a message can say about one occasion; anything unknown stays None and renders empty."""

    client_id: int | None = None
    vehicle_id: int | None = None
    moment: datetime | None = None  # a booking's start: {date} {time}
    day: date | None = None  # a date without a time ({date} when there is no moment)
    amount: Decimal | None = None
    number: str | None = None
    part: str | None = None
    works: str | None = None


def check_template(text: str) -> None:
    """Refuse a text with an unknown placeholder, a placeholder with a format, or a brace without its pair."""
    try:
        fields = [(name, spec, conversion) for _literal, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]  # fmt: skip
    except ValueError as error:
        problem = _("The text has a brace without its pair: {error}").format(error=error)
        raise ValidationError(problem, "text") from error
    for name, spec, conversion in fields:
        if name not in PLACEHOLDERS or spec or conversion:
            raise ValidationError(
                _("Unknown placeholder {{{name}}}; use one of: {known}.").format(
                    name=name, known=", ".join("{" + known + "}" for known in PLACEHOLDERS)
                ), "text",
            )  # fmt: skip
    if not text.strip():
        raise ValidationError(_("The text is empty."), "text")


def _row(uow: UnitOfWork, event: str, language: str, channel: str) -> MessageTemplate | None:
    return uow.session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.event == event, MessageTemplate.language == language, MessageTemplate.channel == channel
        )
    )


def template_text(uow: UnitOfWork, event: str, language: str, channel: str = "sms") -> str | None:
    """The text for *event* in *language* (the shop's own, else the default; Russian when the language has none);
    None when the shop switched this template off."""
    row = _row(uow, event, language, channel) or (_row(uow, event, language, "sms") if channel != "sms" else None)
    if row is not None:
        return row.text if row.enabled else None
    return DEFAULTS.get((event, language)) or DEFAULTS.get((event, "ru"))


def list_templates(uow_factory: UnitOfWorkFactory, channel: str = "sms") -> list[TemplateInfo]:
    """Every event × language, the shop's text where it has one, else the default."""

    def work(uow: UnitOfWork) -> list[TemplateInfo]:
        result = []
        for event in TRIGGERS:
            for language in LANGUAGES:
                row = _row(uow, event, language, channel)
                if row is not None:
                    result.append(TemplateInfo(event, language, channel, row.text, row.enabled, False))
                else:
                    result.append(TemplateInfo(event, language, channel, DEFAULTS[(event, language)], True, True))
        return result

    return run_in_transaction(uow_factory, work, read_only=True)


def save_template(
    uow_factory: UnitOfWorkFactory, event: str, language: str, text: str, *, enabled: bool = True, channel: str = "sms"
) -> None:
    """Store the shop's text for *event* in *language*; `reset_template` goes back to the default."""
    if event not in TRIGGERS:
        raise ValidationError(_("Unknown automatic message: {code}.").format(code=event), "event")
    check_template(text)

    def work(uow: UnitOfWork) -> None:
        require_settings_editor(uow)
        row = _row(uow, event, language, channel)
        before = {"text": row.text, "enabled": row.enabled} if row else None
        if row is None:
            row = MessageTemplate(event=event, language=language, channel=channel)
            uow.session.add(row)
        row.text, row.enabled, row.updated_at = text.strip(), enabled, uow.clock()
        audit.record(uow, "message_template", f"{event}:{language}:{channel}", "update", before,
                     {"text": row.text, "enabled": enabled})  # fmt: skip
        uow.mark_changed("message_templates")
        uow.commit()

    run_in_transaction(uow_factory, work)


def reset_template(uow_factory: UnitOfWorkFactory, event: str, language: str, channel: str = "sms") -> None:
    def work(uow: UnitOfWork) -> None:
        require_settings_editor(uow)
        row = _row(uow, event, language, channel)
        if row is not None:
            audit.record(uow, "message_template", f"{event}:{language}:{channel}", "delete", {"text": row.text})
            uow.session.delete(row)
            uow.mark_changed("message_templates")
            uow.commit()

    run_in_transaction(uow_factory, work)


def placeholder_values(uow: UnitOfWork, facts: MessageFacts, settings: MessagingSettingsInfo) -> dict[str, str]:
    """The placeholders' values for *facts*, formatted for the messages' language and the shop's zone."""
    from babel.dates import format_date, format_time
    from babel.numbers import format_currency

    from autoservice_desk.services.clients import client_name

    locale = _BABEL.get(settings.language, "ru_RU")
    values = dict.fromkeys(PLACEHOLDERS, "")
    values.update(shop_name=settings.shop_name, shop_phone=settings.shop_phone, number=facts.number or "",
                  part=facts.part or "", works=facts.works or "")  # fmt: skip
    client = uow.session.get(Client, facts.client_id) if facts.client_id is not None else None
    if client is not None:
        values["client_name"] = _greeting_name(client) or client_name(client)
    vehicle = uow.session.get(Vehicle, facts.vehicle_id) if facts.vehicle_id is not None else None
    if vehicle is not None:
        values["car"] = f"{vehicle.make} {vehicle.model}".strip()
        values["plate"] = vehicle.plate or ""
    if facts.moment is not None:
        local = facts.moment.astimezone(ZoneInfo(settings.timezone))
        values["date"] = str(format_date(local.date(), format="d MMMM", locale=locale))
        values["time"] = str(format_time(local.time(), format="HH:mm", locale=locale))
    elif facts.day is not None:
        values["date"] = str(format_date(facts.day, format="d MMMM", locale=locale))
    if facts.amount is not None:
        values["amount"] = str(format_currency(facts.amount, "RUB", locale=locale))
    return values


def render(text: str, values: dict[str, str]) -> str:
    """Fill *text*'s placeholders; runs of spaces left by empty ones collapse to one."""
    filled = string.Formatter().vformat(text, (), _Missing(values))
    filled = re.sub(r"[ \t]{2,}", " ", filled)
    return re.sub(r" +([.,!?])", r"\1", filled).strip()


def render_event(uow: UnitOfWork, event: str, facts: MessageFacts, channel: str = "sms") -> str | None:
    """The message for *event* about *facts* in the shop's language, or None when its template is off."""
    settings = load_settings(uow)
    text = template_text(uow, event, settings.language, channel)
    if text is None:
        return None
    return render(text, placeholder_values(uow, facts, settings))


def preview(uow_factory: UnitOfWorkFactory, text: str, facts: MessageFacts) -> Preview:
    """*text* filled from real records (a client, a car, a booking's time) and its SMS length."""
    check_template(text)

    def work(uow: UnitOfWork) -> Preview:
        rendered = render(text, placeholder_values(uow, facts, load_settings(uow)))
        return Preview(rendered, count_segments(rendered))

    return run_in_transaction(uow_factory, work, read_only=True)


def _greeting_name(client: Client) -> str:
    """A person is greeted by first name and patronymic (Russian custom), a company by its name."""
    if client.kind == "company":
        return client.company_name or ""
    return " ".join(part for part in (client.given_name, client.patronymic) if part)


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""
