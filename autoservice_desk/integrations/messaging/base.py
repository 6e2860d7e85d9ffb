"""The message-provider interface, its results and errors, and the HTTP plumbing the adapters share.

An adapter makes one HTTP request per call and never retries: the outbox decides when to try again. Errors come
in kinds the delivery job acts on differently:

- `TransientProviderError`: the provider did not take the message (down, 5xx, connection refused); try later.
- `RateLimitedError`: the provider asks us to slow down (HTTP 429, "too many requests"); wait `retry_after`.
- `AccountProviderError`: the account is refused (wrong key, no money); every message waits until it is fixed.
- `UncertainSendError`: the request may have reached the provider (read timeout, a garbled answer); the message
  may or may not be out. Providers that can look a message up by our own id (`supports_lookup`) settle it that way.
- `PermanentProviderError`: this message can never go (bad number, text refused); it fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol, runtime_checkable

import requests

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0


class ProviderError(Exception):
    """A provider call failed; `str()` is a short description with the provider's own words where it gave any."""


class TransientProviderError(ProviderError):
    """The message was not taken this time; sending it again later is safe."""


class RateLimitedError(TransientProviderError):
    """The provider wants fewer requests; *retry_after* seconds when it said how long."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AccountProviderError(TransientProviderError):
    """The account is refused (key, balance, sender name): nothing will go until a person fixes it."""


class UncertainSendError(TransientProviderError):
    """The send request may have been accepted; resending blindly could send the message twice."""


class PermanentProviderError(ProviderError):
    """This message will never be accepted as it is (wrong number, forbidden text, unknown chat)."""


class DeliveryState(Enum):
    PENDING = "pending"  # accepted, on its way
    DELIVERED = "delivered"
    FAILED = "failed"  # the provider gave up (expired, unreachable number)
    NOT_FOUND = "not_found"  # the provider knows no such message


@dataclass(frozen=True)
class OutgoingMessage:
    """What to send: *recipient* is an E.164 phone (`+7…`) or a chat id; *client_ref* is our id of the message."""

    recipient: str
    text: str
    client_ref: str


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str
    cost: Decimal | None = None
    segments: int | None = None


@dataclass(frozen=True)
class StatusResult:
    state: DeliveryState
    detail: str = ""
    cost: Decimal | None = None


@dataclass(frozen=True)
class StatusCodes:
    """How an SMS gateway numbers the states of a message; a code in none of these sets means it gave up."""

    not_found: int
    pending: frozenset[int]
    delivered: frozenset[int]

    def result(self, code: int, detail: str, cost: Decimal | None, failure: str) -> StatusResult:
        """The state of *code*; *failure* is the detail kept when the message failed."""
        if code == self.not_found:
            return StatusResult(DeliveryState.NOT_FOUND, detail)
        if code in self.pending:
            return StatusResult(DeliveryState.PENDING, detail, cost)
        if code in self.delivered:
            return StatusResult(DeliveryState.DELIVERED, detail, cost)
        return StatusResult(DeliveryState.FAILED, failure, cost)


@dataclass(frozen=True)
class Balance:
    amount: Decimal
    currency: str = "RUB"


class MessageProvider(Protocol):
    """One way of sending messages (an SMS gateway account, a Telegram bot)."""

    name: str  # "smsru", "smsc", "telegram"
    channel: str  # "sms" or "telegram"
    supports_lookup: bool  # can find a message by our client_ref (exactly-once after a crash)
    supports_status: bool  # reports delivery to the handset

    def send(self, message: OutgoingMessage) -> SendResult: ...

    def status(self, provider_message_id: str, recipient: str) -> StatusResult: ...

    def lookup(self, client_ref: str, recipient: str) -> SendResult | None:
        """The message we sent as *client_ref*, or None when the provider never took it."""
        ...

    def balance(self) -> Balance | None: ...


@dataclass(frozen=True)
class IncomingReply:
    """A message someone sent to the shop; *reply_id* is the provider's increasing id of it (Telegram `update_id`,
    SMSC's incoming message id). *sender* is an E.164 phone (`+7…`) or a chat id; *text* is empty for updates
    that carry no text (a sticker, a photo): they are read past, not acted on."""

    reply_id: int
    sender: str
    text: str
    received_at: datetime | None = None


@runtime_checkable
class ReplySource(Protocol):
    """The optional capability of a provider to be asked for the messages people sent back."""

    name: str
    channel: str

    @property
    def reply_source(self) -> str:
        """Whose replies these are ("telegram:<bot id>", "smsc:<login>"): a cursor belongs to one account."""
        ...

    def fetch_replies(self, after: int | None) -> list[IncomingReply]:
        """Replies with an id above *after* (all the provider still keeps when None), oldest first."""
        ...


class HttpClient:
    """A `requests` session with timeouts that turns transport failures into provider errors."""

    def __init__(self, base_url: str, provider: str, timeout: tuple[float, float] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.provider = provider
        self.timeout = timeout or (CONNECT_TIMEOUT_S, READ_TIMEOUT_S)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "autoservice-desk"

    def request(
        self, method: str, path: str, *, sending: bool, check_status: bool = True, **kwargs: Any
    ) -> requests.Response:
        """Make the request; *sending* says a lost answer leaves the send uncertain rather than simply failed.

        Without *check_status* the caller reads 429 and 5xx answers itself (their bodies say more).
        """
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.ConnectionError as error:
            if isinstance(error, requests.ConnectTimeout) or not sending or _refused(error):
                raise TransientProviderError(f"{self.provider}: cannot connect ({_first_line(error)})") from error
            raise UncertainSendError(f"{self.provider}: connection lost ({_first_line(error)})") from error
        except requests.Timeout as error:
            kind = UncertainSendError if sending else TransientProviderError
            raise kind(f"{self.provider}: no answer in {self.timeout[1]:g} s") from error
        except requests.RequestException as error:
            raise TransientProviderError(f"{self.provider}: {_first_line(error)}") from error
        if not check_status:
            return response
        if response.status_code == 429:
            raise RateLimitedError(f"{self.provider}: too many requests (HTTP 429)", retry_after_header(response))
        if response.status_code >= 500:
            # A 5xx is the gateway saying it did not process the request; retrying is what its docs expect.
            raise TransientProviderError(f"{self.provider}: server error HTTP {response.status_code}")
        return response

    def close(self) -> None:
        self.session.close()


def parse_json(response: requests.Response, provider: str, *, sending: bool) -> Any:
    """The body as JSON with exact decimals; a garbled body is uncertain for a send, transient otherwise."""
    try:
        return json.loads(response.text, parse_float=Decimal)
    except ValueError as error:
        kind = UncertainSendError if sending else TransientProviderError
        raise kind(f"{provider}: malformed answer (HTTP {response.status_code})") from error


def retry_after_header(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def decimal_or_none(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def balance_from(answer: dict[str, Any], provider: str, currency: str = "RUB") -> Balance:
    """The `balance` of a gateway's answer to the kopeck; an answer without one is transient."""
    amount = decimal_or_none(answer.get("balance"))
    if amount is None:
        raise TransientProviderError(f"{provider}: the balance answer has no balance")
    return Balance(amount.quantize(Decimal("0.01")), currency)


def timestamp_or_none(value: object) -> datetime | None:
    """A Unix time from a provider's answer as an aware UTC datetime; None when it is not one."""
    try:
        return datetime.fromtimestamp(int(str(value)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def e164_from_digits(digits: str) -> str:
    """`79161234567` (how the Russian gateways write a sender) → `+79161234567`, the outbox's form."""
    digits = "".join(character for character in digits if character.isdigit())
    if len(digits) == 11 and digits.startswith("8"):  # a Russian number written the domestic way
        digits = "7" + digits[1:]
    return f"+{digits}" if digits else ""


def phone_digits(recipient: str) -> str:
    """`+7 912 345-67-89` → `79123456789`, the form the Russian gateways take."""
    return "".join(character for character in recipient if character.isdigit())


def _refused(error: Exception) -> bool:
    text = str(error).lower()
    return "refused" in text or "name or service not known" in text or "failed to establish" in text


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__
