"""What every online supplier adapter shares: offers and brands as plain values, failures with a reason, HTTP GET.

An adapter answers two questions, the two steps of supplier platforms: which brands have a part under this
number (`brands`), and what the supplier offers for a number of one brand (`offers`). Every failure is a
`SupplierError` whose `reason` says what kind it is (timeout, bad login, server error, malformed answer ...) and
whose `message` a person can read; the quoting service shows it beside the supplier's name.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Protocol

import requests

from autoservice_desk.i18n import _

KOPECK = Decimal("0.01")
THOUSANDTH = Decimal("0.001")
RETRIED_STATUSES = frozenset({502, 503, 504})  # a proxy or a restarting server: worth one more try
RETRY_PAUSE = 0.1  # seconds before a retry: long enough for a dropped connection, short beside the timeout


class FailureReason(StrEnum):
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    BAD_LOGIN = "bad_login"
    SERVER_ERROR = "server_error"
    REFUSED = "refused"
    MALFORMED = "malformed"
    NOT_CONFIGURED = "not_configured"


class SupplierError(Exception):
    """A supplier could not answer; `message` is translated and names the cause."""

    def __init__(self, reason: FailureReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class BrandHit:
    """A brand that has a part under the number asked (the first step)."""

    brand: str
    article: str
    name: str


@dataclass(frozen=True)
class SupplierOffer:
    """One line of a supplier's answer, as the supplier gave it (our markup is applied by the quoting service)."""

    brand: str
    article: str
    name: str
    price: Decimal  # the purchase price, roubles
    quantity: Decimal | None  # None: the supplier does not say how many
    delivery_days: int | None
    multiplicity: int = 1
    warehouse: str = ""  # the supplier's own stock or route, as it names it

    def as_json(self) -> dict[str, Any]:
        """A JSON-safe form for the answer cache (Decimals as text, so nothing is lost)."""
        return {
            "brand": self.brand, "article": self.article, "name": self.name, "price": str(self.price),
            "quantity": None if self.quantity is None else str(self.quantity), "delivery_days": self.delivery_days,
            "multiplicity": self.multiplicity, "warehouse": self.warehouse,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SupplierOffer:
        quantity = data.get("quantity")
        return cls(
            str(data["brand"]), str(data["article"]), str(data["name"]), Decimal(str(data["price"])),
            None if quantity is None else Decimal(str(quantity)), data.get("delivery_days"),
            int(data.get("multiplicity") or 1), str(data.get("warehouse") or ""),
        )  # fmt: skip


class SupplierAdapter(Protocol):
    """An online supplier; both calls raise SupplierError on any failure and may be called from any thread."""

    def brands(self, article: str) -> list[BrandHit]: ...

    def offers(self, article: str, brand: str) -> list[SupplierOffer]: ...


# --- Parsing values -------------------------------------------------------------------------------------------


def malformed(detail: str) -> SupplierError:
    return SupplierError(
        FailureReason.MALFORMED, _("The supplier's answer could not be understood ({detail}).").format(detail=detail)
    )


def parse_money(value: Any) -> Decimal:
    """A price as JSON gives it (1234.5, "1234.50", "1 234,50") in roubles and kopecks; refuses anything else."""
    if isinstance(value, bool) or value is None:
        raise malformed(_("no price"))
    try:
        text = str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        amount = Decimal(text)
    except InvalidOperation:
        raise malformed(_("price “{value}”").format(value=value)) from None
    if not amount.is_finite() or amount < 0:
        raise malformed(_("price “{value}”").format(value=value))
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def parse_quantity(value: Any) -> Decimal | None:
    """Stock as suppliers give it: a number, "10", ">10", "+"; None when it says nothing countable."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().lstrip("><=+~").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:  # ABCP's negative codes mean "in stock, count unknown" and the like
        return None
    return amount.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def parse_days(value: Any, *, hours: bool = False) -> int | None:
    """Delivery in whole days (hours rounded up to days when the supplier counts in hours)."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    days = amount / 24 if hours else amount
    return int(days.to_integral_value(rounding=ROUND_CEILING))


def parse_count(value: Any) -> int:
    """A pack size; 1 when missing or nonsense."""
    try:
        count = int(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return 1
    return max(count, 1)


# --- HTTP ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: Any  # the decoded JSON, or None when the body is not JSON
    text: str


class HttpClient:
    """GET with a timeout and a retry or two on a dropped connection or a gateway error; never on a timeout,
    which would only double the wait the advisor sees."""

    def __init__(self, timeout: float, retries: int = 1, headers: Mapping[str, str] | None = None) -> None:
        self.timeout = timeout
        self.retries = max(retries, 0)
        self.headers = {"Accept": "application/json", **(headers or {})}

    def get(self, url: str, params: Mapping[str, str] | None = None) -> HttpAnswer:
        attempt = 0
        while True:
            try:
                response = requests.get(url, params=params, headers=self.headers, timeout=self.timeout)
            except requests.Timeout:
                raise SupplierError(
                    FailureReason.TIMEOUT,
                    _("The supplier did not answer within {seconds} s.").format(seconds=f"{self.timeout:g}"),
                ) from None
            except requests.RequestException as error:
                if attempt < self.retries:
                    attempt += 1
                    time.sleep(RETRY_PAUSE)
                    continue
                raise SupplierError(
                    FailureReason.UNREACHABLE,
                    _("The supplier's server cannot be reached: {error}").format(error=type(error).__name__),
                ) from None
            if response.status_code in RETRIED_STATUSES and attempt < self.retries:
                attempt += 1
                time.sleep(RETRY_PAUSE)
                continue
            try:
                body = response.json()
            except ValueError:
                body = None
            return HttpAnswer(response.status_code, body, response.text)


def server_failure(answer: HttpAnswer) -> SupplierError | None:
    """The error an HTTP status means when it is not a success (shared by the adapters), or None."""
    if answer.status in (401, 403):
        return SupplierError(FailureReason.BAD_LOGIN, _("The supplier refused the login or password."))
    if answer.status >= 500:
        return SupplierError(
            FailureReason.SERVER_ERROR,
            _("The supplier's server failed (HTTP {status}); try again later.").format(status=answer.status),
        )
    if answer.status >= 400:
        return SupplierError(
            FailureReason.REFUSED, _("The supplier refused the request (HTTP {status}).").format(status=answer.status)
        )
    return None
