"""SMSC.ru-style gateway: `send.php`, `status.php`, `balance.php` with login + password or an API key, `fmt=3` JSON.

An error answer is `{"error": "...", "error_code": N}`; success of a send is `{"id": …, "cnt": …, "cost": …,
"balance": …}` (with `cost=3`). Status codes of a message: -3 not found, -1 waiting, 0 handed to the operator,
1 delivered, 2 read, 3 expired, 20+ undeliverable.

Exactly-once: `send.php` takes the client's own message `id` (we pass the outbox row's `client_ref`), and
`status.php` finds a message by phone + that id. A desk killed between "accepted" and "we wrote sent" asks for it
on restart: found means it went out (marked sent, not sent again); "not found" (-3) means it never arrived.

Replies: `get.php?get_answers=1` lists the SMS people sent to the account's numbers (`id`, `phone` of the sender,
`message`, `received`, `to_phone`), `after_id` skipping those already read and `hour` bounding the period
(at most 168 hours: a desk that is away longer than a week misses what came before).
"""

from __future__ import annotations

import hashlib
from typing import Any

from autoservice_desk.integrations.messaging.base import (
    AccountProviderError,
    Balance,
    HttpClient,
    IncomingReply,
    OutgoingMessage,
    PermanentProviderError,
    ProviderError,
    RateLimitedError,
    SendResult,
    StatusCodes,
    StatusResult,
    TransientProviderError,
    UncertainSendError,
    balance_from,
    decimal_or_none,
    e164_from_digits,
    int_or_none,
    parse_json,
    phone_digits,
    timestamp_or_none,
)

DEFAULT_BASE_URL = "https://smsc.ru/sys"
ACCOUNT_CODES = frozenset({2, 3})  # wrong login/password or API key, not enough money
RATE_CODES = {4: 60.0, 9: 60.0}  # IP blocked for a while after errors; the same request repeated within a minute
NOT_FOUND_STATUS = -3
PENDING_STATUSES = frozenset({-1, 0})
DELIVERED_STATUSES = frozenset({1, 2, 4})
STATUS_CODES = StatusCodes(NOT_FOUND_STATUS, PENDING_STATUSES, DELIVERED_STATUSES)
REPLY_HOURS = 168  # the longest period get_answers takes
REPLY_BATCH = 100


def error_for(code: int, text: str) -> ProviderError:
    """The error kind of an SMSC error code (its published list for send.php and status.php)."""
    message = f"smsc {code}: {text}".strip()
    if code in ACCOUNT_CODES:
        return AccountProviderError(message)
    if code in RATE_CODES:
        return RateLimitedError(message, RATE_CODES[code])
    return PermanentProviderError(message)  # 1 parameters, 5 date, 6 forbidden, 7 phone format, 8 undeliverable


class SmscProvider:
    """An SMSC account: *login* + *password*, or an *api_key* (then the login is not sent)."""

    name = "smsc"
    channel = "sms"
    supports_lookup = True
    supports_status = True

    def __init__(self, *, login: str = "", password: str = "", api_key: str = "", sender: str = "",
                 base_url: str = "", timeout: tuple[float, float] | None = None) -> None:  # fmt: skip
        if not api_key and not (login and password):
            raise ValueError("SMSC needs a login and password or an API key")
        self._auth = {"apikey": api_key} if api_key else {"login": login, "psw": password}
        # Whose replies: the login, or a digest of the API key (the key itself is a secret and stays out of the DB).
        self._account = login or hashlib.sha256(api_key.encode()).hexdigest()[:12]
        self._sender = sender
        self._http = HttpClient(base_url or DEFAULT_BASE_URL, "smsc", timeout)

    def _answer(self, script: str, params: dict[str, str], *, sending: bool) -> Any:
        data = {**self._auth, "fmt": "3", "charset": "utf-8", **params}
        response = self._http.request("POST", script, sending=sending, data=data)
        answer = parse_json(response, "smsc", sending=sending)
        if isinstance(answer, dict) and ("error_code" in answer or "error" in answer):
            raise error_for(int(answer.get("error_code") or 0), str(answer.get("error", "")))
        return answer

    def _call(self, script: str, params: dict[str, str], *, sending: bool) -> dict[str, Any]:
        answer = self._answer(script, params, sending=sending)
        if not isinstance(answer, dict):
            kind = UncertainSendError if sending else TransientProviderError
            raise kind("smsc: the answer is not a JSON object")
        return answer

    def send(self, message: OutgoingMessage) -> SendResult:
        params = {"phones": phone_digits(message.recipient), "mes": message.text, "id": message.client_ref,
                  "cost": "3"}  # fmt: skip
        if self._sender:
            params["sender"] = self._sender
        answer = self._call("send.php", params, sending=True)
        if "id" not in answer:
            raise UncertainSendError("smsc: accepted without an id")
        return SendResult(str(answer["id"]), decimal_or_none(answer.get("cost")), int_or_none(answer.get("cnt")))

    def _status_answer(self, message_id: str, recipient: str) -> dict[str, Any]:
        return self._call("status.php", {"phone": phone_digits(recipient), "id": message_id, "all": "1"},
                          sending=False)  # fmt: skip

    def status(self, provider_message_id: str, recipient: str) -> StatusResult:
        answer = self._status_answer(provider_message_id, recipient)
        code = int(answer.get("status", NOT_FOUND_STATUS))
        detail = str(answer.get("status_name") or code)
        failure = f"{code}: {detail} (err {answer.get('err', '')})"
        return STATUS_CODES.result(code, detail, decimal_or_none(answer.get("cost")), failure)

    def lookup(self, client_ref: str, recipient: str) -> SendResult | None:
        answer = self._status_answer(client_ref, recipient)
        if int(answer.get("status", NOT_FOUND_STATUS)) == NOT_FOUND_STATUS:
            return None
        return SendResult(client_ref, decimal_or_none(answer.get("cost")), int_or_none(answer.get("sms_cnt")))

    def balance(self) -> Balance | None:
        answer = self._call("balance.php", {"cur": "1"}, sending=False)
        return balance_from(answer, "smsc", str(answer.get("currency") or "RUB"))

    @property
    def reply_source(self) -> str:
        return f"smsc:{self._account}"

    def fetch_replies(self, after: int | None) -> list[IncomingReply]:
        """SMS people sent to the account's numbers after the incoming id *after* (the last week when None)."""
        params = {"get_answers": "1", "hour": str(REPLY_HOURS), "cnt": str(REPLY_BATCH)}
        if after is not None:
            params["after_id"] = str(after)
        answer = self._answer("get.php", params, sending=False)
        if not isinstance(answer, list):
            raise TransientProviderError("smsc: the incoming messages answer is not a list")
        replies = [_incoming(item) for item in answer]
        return sorted((reply for reply in replies if after is None or reply.reply_id > after),
                      key=lambda reply: reply.reply_id)  # fmt: skip

    def close(self) -> None:
        self._http.close()


def _incoming(item: object) -> IncomingReply:
    """One entry of get_answers; without a usable id the whole answer is refused (and asked for again later)."""
    reply_id = int_or_none(item.get("id")) if isinstance(item, dict) else None
    if not isinstance(item, dict) or reply_id is None:
        raise TransientProviderError("smsc: an incoming message without an id")
    text = item.get("message")
    return IncomingReply(reply_id, e164_from_digits(str(item.get("phone") or "")),
                         text if isinstance(text, str) else "", timestamp_or_none(item.get("received")))  # fmt: skip
