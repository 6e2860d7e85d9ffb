"""Replies people send back: a stop word opts them out, "/start CODE" to the shop's bot links a client's chat.

`poll_replies` asks each configured provider that can list incoming messages (SMSC, the Telegram bot; SMS.ru
cannot) for those after the last one handled. Each reply is handled in its own transaction together with moving
that account's cursor (`message_inbound_cursors`), so a crash or a restart neither skips nor repeats one. A poll
that fails (provider down, a garbled answer) is logged and leaves the cursor where it was: the next poll asks again.

The bot's answers go through the outbox with a key per update, so each is sent once, by the delivering desk, with
the opt-out rule but without quiet hours (the person has just written). SMS replies get no answer: it would cost
the shop a message and a "you are unsubscribed" text is one more message the person asked not to get.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, delete, func, or_, select

from autoservice_desk.i18n import _
from autoservice_desk.integrations.messaging import IncomingReply, ProviderError, ReplySource
from autoservice_desk.models.clients import Client, ClientMessenger, ClientPhone
from autoservice_desk.models.messaging import InboundCursor, MessageOptOut, TelegramLinkCode
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.errors import NotFoundError, PermissionDeniedError
from autoservice_desk.services.messaging_providers import ProviderSet
from autoservice_desk.services.messaging_settings import load_settings
from autoservice_desk.services.outbox import MESSAGE_EVENT, SENDER_ROLES, MessageRequest, enqueue, record_reply
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

log = logging.getLogger(__name__)
# No 0/O, 1/I: the code is read out or copied from a printed card.
LINK_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LINK_CODE_LENGTH = 6
LINK_CODE_LIFETIME = timedelta(hours=24)
LINK_CODES_KEPT = timedelta(days=30)  # used and expired codes are cleared after this
START_COMMAND = "/start"
# What the bot answers, in the shop's messaging language (the client's, not the desk's); the shop's name follows.
BOT_TEXTS: dict[tuple[str, str], str] = {
    ("linked", "ru"): "Готово! Теперь сообщения о вашем автомобиле будут приходить сюда. Чтобы отказаться, отправьте СТОП.",  # noqa: E501 - one text per line reads best
    ("linked", "en"): "Done! Messages about your car will come here from now on. To stop them, send STOP.",
    ("wrong_code", "ru"): "К сожалению, этот код не подходит или уже устарел. Попросите, пожалуйста, новый код у мастера-приёмщика.",  # noqa: E501 - one text per line reads best
    ("wrong_code", "en"): "Sorry, this code is not valid or has expired. Please ask the service advisor for a new one.",
    ("hello", "ru"): "Здравствуйте! Чтобы получать здесь сообщения об автомобиле, отправьте код от мастера-приёмщика: /start КОД",  # noqa: E501 - one text per line reads best
    ("hello", "en"): "Hello! To get messages about your car here, send the code the service advisor gave you: /start CODE",  # noqa: E501 - one text per line reads best
}  # fmt: skip
BOT_ANSWERS = frozenset(kind for kind, _language in BOT_TEXTS)
# A code typed on a Russian keyboard: the Cyrillic letters that look like the code's Latin ones.
LOOKALIKES = str.maketrans("АВСЕНКМРТХУ", "ABCEHKMPTXY")


@dataclass
class PollReport:
    """What one poll did; *errors* are the providers' complaints (the cursor did not move past them)."""

    handled: int = 0
    opted_out: int = 0
    linked: int = 0
    answered: int = 0
    errors: list[str] = field(default_factory=list)


# --- link codes ---------------------------------------------------------------------------------------------------


def _new_code(uow: UnitOfWork) -> str:
    while True:  # 32^6 codes: a clash with a live one is rare, and then the next draw is taken
        code = "".join(secrets.choice(LINK_CODE_ALPHABET) for _position in range(LINK_CODE_LENGTH))
        if uow.session.scalar(select(TelegramLinkCode.id).where(TelegramLinkCode.code == code)) is None:
            return code


def telegram_link_code(uow_factory: UnitOfWorkFactory, client_id: int) -> str:
    """A one-time code (valid 24 hours) the client sends to the shop's bot as "/start CODE" to get messages there.

    A new code replaces the client's unused one. The screen shows it (or `t.me/<bot>?start=CODE` as a link or QR).
    """

    def work(uow: UnitOfWork) -> str:
        if not uow.actor.has_role(*SENDER_ROLES):
            raise PermissionDeniedError(_("Only an advisor or a manager can link a client's Telegram."))
        if uow.session.get(Client, client_id) is None:
            raise NotFoundError(_("The client no longer exists."))
        now = uow.clock()
        uow.session.execute(
            delete(TelegramLinkCode).where(or_(
                and_(TelegramLinkCode.client_id == client_id, TelegramLinkCode.used_at.is_(None)),
                TelegramLinkCode.expires_at < now - LINK_CODES_KEPT,
            ))
        )  # fmt: skip
        code = _new_code(uow)
        expires_at = now + LINK_CODE_LIFETIME
        uow.session.add(TelegramLinkCode(code=code, client_id=client_id, created_at=now, expires_at=expires_at,
                                         created_by=uow.actor.login))  # fmt: skip
        audit.record(uow, "client", client_id, "telegram_link_code", None, {"expires_at": expires_at.isoformat()})
        uow.mark_changed("client", client_id)
        uow.commit()
        return code

    return run_in_transaction(uow_factory, work)


# --- polling ------------------------------------------------------------------------------------------------------


def poll_replies(uow_factory: UnitOfWorkFactory, providers: ProviderSet) -> PollReport:
    """Fetch and handle what people sent back to every provider that can tell; only the delivering desk calls it."""
    report = PollReport()
    for provider in providers.all():
        if isinstance(provider, ReplySource):
            try:
                _poll_source(uow_factory, provider, report)
            except ProviderError as error:  # the cursor stays: the same replies are asked for next time
                log.warning("polling replies from %s failed: %s", provider.name, error)
                report.errors.append(str(error))
    return report


def _last_handled(uow: UnitOfWork, source: str) -> int | None:
    return uow.session.scalar(select(InboundCursor.last_reply_id).where(InboundCursor.source == source))


def _poll_source(uow_factory: UnitOfWorkFactory, source: ReplySource, report: PollReport) -> None:
    after = run_in_transaction(uow_factory, lambda uow: _last_handled(uow, source.reply_source), read_only=True)
    for reply in source.fetch_replies(after):

        def work(uow: UnitOfWork, reply: IncomingReply = reply) -> str | None:
            outcome = _handle(uow, source, reply)
            uow.commit()
            return outcome

        outcome = run_in_transaction(uow_factory, work)
        if outcome == "seen":
            continue
        report.handled += 1
        report.opted_out += outcome == "opted_out"
        report.linked += outcome == "linked"
        report.answered += outcome in BOT_ANSWERS


def _handle(uow: UnitOfWork, source: ReplySource, reply: IncomingReply) -> str | None:
    """Act on *reply* and move the cursor past it; "seen" when an earlier run already did."""
    cursor = uow.session.get(InboundCursor, source.reply_source, with_for_update=True)
    if cursor is not None and reply.reply_id <= cursor.last_reply_id:
        return "seen"
    if cursor is None:
        cursor = InboundCursor(source=source.reply_source, last_reply_id=reply.reply_id, updated_at=uow.clock())
        uow.session.add(cursor)
    cursor.last_reply_id, cursor.updated_at = reply.reply_id, uow.clock()
    text = reply.text.strip()
    if not text or not reply.sender:
        return None  # a sticker, a photo, a service update: read past it
    command, *payload = text.split(maxsplit=1)
    if source.channel == "telegram" and command.split("@")[0].lower() == START_COMMAND:  # "/start@shop_bot CODE" too
        outcome = _link(uow, reply.sender, payload[0] if payload else "")
        _answer(uow, source, reply, outcome)
        return outcome
    client_id = _client_of(uow, source.channel, reply.sender)
    if not record_reply(uow, source.channel, reply.sender, text.lstrip("/"), client_id):
        return None
    if client_id is not None:
        timeline.add_event(uow, client_id, MESSAGE_EVENT, _("Asked for no more messages: {text}").format(text=text),
                           entity="client", entity_id=client_id)  # fmt: skip
    return "opted_out"


def _client_of(uow: UnitOfWork, channel: str, sender: str) -> int | None:
    if channel == "sms":
        statement = select(ClientPhone.client_id).where(ClientPhone.e164 == sender).order_by(ClientPhone.id)
    else:
        statement = (
            select(ClientMessenger.client_id)
            .where(func.lower(ClientMessenger.kind) == "telegram", ClientMessenger.handle == sender)
            .order_by(ClientMessenger.id)
        )
    return uow.session.scalar(statement.limit(1))


# --- linking a chat -----------------------------------------------------------------------------------------------


def _link(uow: UnitOfWork, chat_id: str, payload: str) -> str:
    """Link *chat_id* to the client whose code *payload* is: "linked", "wrong_code" or "hello" (no code)."""
    code = payload.strip().upper().translate(LOOKALIKES)
    if not code:
        return "hello"
    row = uow.session.scalar(select(TelegramLinkCode).where(TelegramLinkCode.code == code).with_for_update())
    now = uow.clock()
    if row is not None and row.used_at is not None and row.chat_id == chat_id:
        return "linked"  # the same person sent the code again: tell them again, change nothing
    if row is None or row.used_at is not None or row.expires_at <= now:
        return "wrong_code"
    row.used_at, row.chat_id = now, chat_id
    _attach_chat(uow, row.client_id, chat_id)
    return "linked"


def _attach_chat(uow: UnitOfWork, client_id: int, chat_id: str) -> None:
    """Make *chat_id* the client's Telegram (where `outbox.client_recipient` looks); a chat linked before goes."""
    messengers = list(uow.session.scalars(
        select(ClientMessenger).where(ClientMessenger.client_id == client_id).order_by(ClientMessenger.position)
    ))  # fmt: skip
    linked = [m for m in messengers if m.kind.strip().lower() == "telegram" and m.handle.strip().lstrip("-").isdigit()]
    if [m.handle.strip() for m in linked] != [chat_id]:
        for messenger in linked:
            uow.session.delete(messenger)
        position = max((m.position for m in messengers), default=-1) + 1
        uow.session.add(ClientMessenger(client_id=client_id, kind="telegram", handle=chat_id, position=position))
        audit.record(uow, "client", client_id, "telegram_link", {"chats": [m.handle for m in linked]},
                     {"chat_id": chat_id})  # fmt: skip
    opt_out = uow.session.scalar(
        select(MessageOptOut).where(MessageOptOut.channel == "telegram", MessageOptOut.recipient == chat_id)
    )
    if opt_out is not None:  # linking again is a new, explicit "yes" from the person
        audit.record(uow, "message_opt_out", chat_id, "delete", {"channel": "telegram", "reason": opt_out.reason})
        uow.session.delete(opt_out)
    timeline.add_event(uow, client_id, MESSAGE_EVENT, _("Telegram linked: messages go to the client's chat."),
                       entity="client", entity_id=client_id)  # fmt: skip
    uow.mark_changed("client", client_id)


def _answer(uow: UnitOfWork, source: ReplySource, reply: IncomingReply, outcome: str) -> None:
    settings = load_settings(uow)
    language = settings.language if (outcome, settings.language) in BOT_TEXTS else "ru"
    text = BOT_TEXTS[(outcome, language)]
    if settings.shop_name.strip():
        text = f"{text}\n{settings.shop_name.strip()}"
    key = f"bot-answer:{source.reply_source}:{reply.reply_id}"
    enqueue(uow, MessageRequest("telegram", reply.sender, text, key, template_code=f"bot_{outcome}", immediate=True))
