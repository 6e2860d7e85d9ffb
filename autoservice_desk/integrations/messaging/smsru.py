"""SMS.ru-style gateway: `sms/send`, `sms/status`, `my/balance` with an `api_id`, answers as JSON (`json=1`).

Every answer carries a top-level `status` ("OK"/"ERROR") and `status_code` (100 is success); `sms/send` also has a
per-number entry with its own code and the `sms_id`. Money comes as JSON numbers, read here as exact decimals.

Exactly-once: the API has no client-side message id and no way to find a message by anything of ours, so a
message whose send answer was lost (the desk killed mid-request, a read timeout, a garbled answer) cannot be
settled by asking. The outbox treats those as "uncertain" and does not resend them on its own (at most once).

Replies: SMS.ru has no call to ask for the messages people send back; it only pushes them (and statuses) to a
callback URL on a public web server, which a desk behind the shop's router cannot be. So this adapter has no
`fetch_replies`: with SMS.ru a "СТОП" reply is not seen, and opt-outs are entered by hand.
"""

from __future__ import annotations

from typing import Any

from autoservice_desk.integrations.messaging.base import (
    AccountProviderError,
    Balance,
    HttpClient,
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
    int_or_none,
    parse_json,
    phone_digits,
)

DEFAULT_BASE_URL = "https://sms.ru"
SUCCESS = 100
ACCOUNT_CODES = frozenset({200, 201, 204, 300, 301, 302})  # key, money, sender name, token, login, unconfirmed
RATE_CODES = frozenset({206, 230, 231, 232})  # daily limits and "the same text too often"
TRANSIENT_CODES = frozenset({220, 500, 501})  # "service temporarily unavailable", internal errors
PENDING_CODES = frozenset({100, 101, 102})
DELIVERED_CODES = frozenset({103, 110})
NOT_FOUND_CODE = -1
STATUS_CODES = StatusCodes(NOT_FOUND_CODE, PENDING_CODES, DELIVERED_CODES)
RATE_LIMIT_PAUSE_S = 3600.0


def error_for(code: int, text: str) -> ProviderError:
    """The error kind of an SMS.ru status code (its published list of codes)."""
    message = f"sms.ru {code}: {text}".strip()
    if code in ACCOUNT_CODES:
        return AccountProviderError(message)
    if code in RATE_CODES:
        return RateLimitedError(message, RATE_LIMIT_PAUSE_S if code in (206, 230, 232) else 60.0)
    if code in TRANSIENT_CODES:
        return TransientProviderError(message)
    return PermanentProviderError(message)


class SmsRuProvider:
    """An SMS.ru account (api_id); *sender* is an approved sender name or empty for the default."""

    name = "smsru"
    channel = "sms"
    supports_lookup = False
    supports_status = True

    def __init__(self, api_id: str, *, sender: str = "", base_url: str = "", timeout: tuple[float, float] | None = None,
                 test: bool = False) -> None:  # fmt: skip
        self._api_id = api_id
        self._sender = sender
        self._test = test
        self._http = HttpClient(base_url or DEFAULT_BASE_URL, "sms.ru", timeout)

    def _call(self, path: str, params: dict[str, str], *, sending: bool) -> dict[str, Any]:
        data = {"api_id": self._api_id, "json": "1", **params}
        response = self._http.request("POST", path, sending=sending, data=data)
        answer = parse_json(response, "sms.ru", sending=sending)
        if not isinstance(answer, dict) or "status" not in answer:
            kind = UncertainSendError if sending else TransientProviderError
            raise kind("sms.ru: an answer without a status")
        if answer["status"] != "OK":
            raise error_for(int(answer.get("status_code") or 0), str(answer.get("status_text", "")))
        return answer

    def send(self, message: OutgoingMessage) -> SendResult:
        phone = phone_digits(message.recipient)
        params = {"to": phone, "msg": message.text}
        if self._sender:
            params["from"] = self._sender
        if self._test:
            params["test"] = "1"
        answer = self._call("sms/send", params, sending=True)
        entry = (answer.get("sms") or {}).get(phone)
        if not isinstance(entry, dict):
            raise UncertainSendError("sms.ru: the answer does not mention the number")
        if entry.get("status") != "OK":
            raise error_for(int(entry.get("status_code") or 0), str(entry.get("status_text", "")))
        sms_id = str(entry.get("sms_id") or "")
        if not sms_id:
            raise UncertainSendError("sms.ru: accepted without an sms_id")
        return SendResult(sms_id, decimal_or_none(entry.get("cost")), int_or_none(entry.get("sms")))

    def status(self, provider_message_id: str, recipient: str) -> StatusResult:
        answer = self._call("sms/status", {"sms_id": provider_message_id}, sending=False)
        entry = (answer.get("sms") or {}).get(provider_message_id)
        if not isinstance(entry, dict):
            raise TransientProviderError("sms.ru: the status answer does not mention the message")
        code = int(entry.get("status_code") or 0)
        text = str(entry.get("status_text", ""))
        return STATUS_CODES.result(code, text, decimal_or_none(entry.get("cost")), f"{code}: {text}")

    def lookup(self, client_ref: str, recipient: str) -> SendResult | None:
        raise NotImplementedError("sms.ru cannot find a message by the sender's own id")

    def balance(self) -> Balance | None:
        return balance_from(self._call("my/balance", {}, sending=False), "sms.ru")

    def close(self) -> None:
        self._http.close()
