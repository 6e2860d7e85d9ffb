"""Telegram Bot API `sendMessage` to the chat of a client who linked the shop's bot (recipient = numeric chat id).

Answers are `{"ok": true, "result": {...}}` or `{"ok": false, "error_code": N, "description": "...",
"parameters": {"retry_after": S}}`. 429 is flood control (wait `retry_after`), 403 means the user blocked the bot,
400 "chat not found" a wrong id, 401 a wrong token.

Exactly-once: the Bot API has no idempotency key and no way to list what the bot sent, and it reports no delivery;
a message whose answer was lost is "uncertain" and the outbox does not resend it on its own (at most once).

Replies: `getUpdates` with `offset` = the last handled `update_id` + 1 returns what people wrote to the bot since
(an update counts as confirmed once asked for with a higher offset; Telegram keeps unconfirmed ones for 24 hours).
The caller keeps the last handled id in its database, so a restart neither loses nor repeats an update. It does
not work while a webhook is set for the bot (409 Conflict).
"""

from __future__ import annotations

from typing import Any

from autoservice_desk.integrations.messaging.base import (
    AccountProviderError,
    Balance,
    HttpClient,
    IncomingReply,
    OutgoingMessage,
    PermanentProviderError,
    RateLimitedError,
    SendResult,
    StatusResult,
    TransientProviderError,
    UncertainSendError,
    parse_json,
    retry_after_header,
    timestamp_or_none,
)

DEFAULT_BASE_URL = "https://api.telegram.org"
MAX_TEXT_LENGTH = 4096
UPDATES_BATCH = 100  # the most getUpdates returns at once


class TelegramProvider:
    """A Telegram bot, by its token (from @BotFather)."""

    name = "telegram"
    channel = "telegram"
    supports_lookup = False
    supports_status = False

    def __init__(self, token: str, *, base_url: str = "", timeout: tuple[float, float] | None = None) -> None:
        self._token = token
        self._http = HttpClient(base_url or DEFAULT_BASE_URL, "telegram", timeout)

    def _call(self, method: str, payload: dict[str, Any], *, sending: bool) -> Any:
        # The 429 and 4xx answers carry JSON we need, so read the body before the status code decides.
        response = self._http.request(
            "POST", f"bot{self._token}/{method}", sending=sending, check_status=False, json=payload
        )
        if response.status_code >= 500:
            raise TransientProviderError(f"telegram: server error HTTP {response.status_code}")
        if response.status_code == 429 and not response.text.strip().startswith("{"):
            raise RateLimitedError("telegram: too many requests (HTTP 429)", retry_after_header(response))
        answer = parse_json(response, "telegram", sending=sending)
        if not isinstance(answer, dict) or "ok" not in answer:
            kind = UncertainSendError if sending else TransientProviderError
            raise kind("telegram: an answer without ok")
        if answer["ok"] is True:
            return answer.get("result")
        code = int(answer.get("error_code") or response.status_code)
        description = f"telegram {code}: {answer.get('description', '')}"
        if code == 429:
            retry_after = (answer.get("parameters") or {}).get("retry_after")
            raise RateLimitedError(description, float(retry_after) if retry_after is not None else None)
        if code == 401:
            raise AccountProviderError(description)
        if code >= 500:
            raise TransientProviderError(description)
        raise PermanentProviderError(description)  # 400 chat not found / bad text, 403 blocked by the user

    def send(self, message: OutgoingMessage) -> SendResult:
        if not message.recipient.lstrip("-").isdigit():
            raise PermanentProviderError("telegram: the recipient is not a chat id")
        result = self._call(
            "sendMessage", {"chat_id": int(message.recipient), "text": message.text[:MAX_TEXT_LENGTH]}, sending=True
        )
        if not isinstance(result, dict) or "message_id" not in result:
            raise UncertainSendError("telegram: accepted without a message_id")
        return SendResult(str(result["message_id"]), None, 1)

    def status(self, provider_message_id: str, recipient: str) -> StatusResult:
        raise NotImplementedError("the Bot API reports no delivery")

    def lookup(self, client_ref: str, recipient: str) -> SendResult | None:
        raise NotImplementedError("the Bot API cannot find a sent message")

    def balance(self) -> Balance | None:
        """Telegram is free; checks the token instead (getMe) and returns None."""
        self._call("getMe", {}, sending=False)
        return None

    @property
    def reply_source(self) -> str:
        # The bot's id is the token's part before the colon: update ids count per bot, so does the cursor.
        return f"telegram:{self._token.partition(':')[0]}"

    def fetch_replies(self, after: int | None) -> list[IncomingReply]:
        """Messages people sent to the bot after the update *after* (every unconfirmed one when None)."""
        payload: dict[str, Any] = {"timeout": 0, "limit": UPDATES_BATCH, "allowed_updates": ["message"]}
        if after is not None:
            payload["offset"] = after + 1
        result = self._call("getUpdates", payload, sending=False)
        if not isinstance(result, list):
            raise TransientProviderError("telegram: getUpdates did not return a list")
        return sorted((_incoming(update) for update in result), key=lambda reply: reply.reply_id)

    def close(self) -> None:
        self._http.close()


def _incoming(update: object) -> IncomingReply:
    """An Update as a reply; one without an update_id spoils the answer (asked for again on the next poll)."""
    update_id = update.get("update_id") if isinstance(update, dict) else None
    if not isinstance(update, dict) or not isinstance(update_id, int) or isinstance(update_id, bool):
        raise TransientProviderError("telegram: an update without an update_id")
    message = update.get("message")
    message = message if isinstance(message, dict) else {}
    chat = message.get("chat")
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    text = message.get("text")
    return IncomingReply(update_id, str(chat_id) if isinstance(chat_id, int) else "",
                         text if isinstance(text, str) else "", timestamp_or_none(message.get("date")))  # fmt: skip
