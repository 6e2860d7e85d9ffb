"""The ABCP-platform adapter: many Russian parts suppliers run their shops on it and share its client API.

The platform's two-step search: `GET {base}/search/brands?number=…` lists the brands having the number, then
`GET {base}/search/articles?number=…&brand=…` lists the offers of one brand (its analogs too unless
`withOutAnalogs=1`). Every call carries `userlogin` and `userpsw`, the MD5 of the password in hex. Errors come as
`{"errorCode": …, "errorMessage": …}`; code 301 with HTTP 404 means "nothing found", which is an empty answer.
Delivery (`deliveryPeriod`) is counted in hours; `packing` is the pack size; a negative `availability` is a code
("in stock, count not disclosed" and the like), not a count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from autoservice_desk.i18n import _
from autoservice_desk.integrations.suppliers.base import (
    BrandHit,
    FailureReason,
    HttpAnswer,
    HttpClient,
    SupplierError,
    SupplierOffer,
    malformed,
    parse_count,
    parse_days,
    parse_money,
    parse_quantity,
    server_failure,
)

NOTHING_FOUND = 301
_LOGIN_WORDS = ("логин", "парол", "login", "password", "auth", "авториз")


def password_hash(password: str) -> str:
    """What the platform takes as `userpsw`: the MD5 of the password, lower-case hex."""
    return hashlib.md5(password.encode("utf-8")).hexdigest()  # noqa: S324 - the platform's API asks for MD5


class AbcpAdapter:
    """A supplier on the ABCP platform at *base_url* (https://idNNNN.public.api.abcp.ru, or a local test server)."""

    def __init__(
        self, base_url: str, login: str, password: str, *, timeout: float = 5.0, retries: int = 1,
        with_analogs: bool = True,
    ) -> None:  # fmt: skip
        if not base_url or not login:
            raise SupplierError(
                FailureReason.NOT_CONFIGURED, _("The supplier's address or login is not set in the settings.")
            )
        self.base_url = base_url.rstrip("/")
        self.login = login
        self.password_md5 = password_hash(password)
        self.with_analogs = with_analogs
        self.http = HttpClient(timeout, retries)

    def _call(self, method: str, params: dict[str, str]) -> Any:
        query = {"userlogin": self.login, "userpsw": self.password_md5, **params}
        answer = self.http.get(f"{self.base_url}/{method}", query)
        body = answer.body
        if isinstance(body, dict) and "errorCode" in body:
            return self._error(answer, body)
        failure = server_failure(answer)
        if failure is not None:
            raise failure
        if body is None:
            raise malformed(_("not JSON"))
        return body

    def _error(self, answer: HttpAnswer, body: dict[str, Any]) -> list[Any]:
        code, message = body.get("errorCode"), str(body.get("errorMessage") or "")
        if str(code) == str(NOTHING_FOUND):
            return []
        if answer.status in (401, 403) or any(word in message.casefold() for word in _LOGIN_WORDS):
            raise SupplierError(FailureReason.BAD_LOGIN, _("The supplier refused the login or password."))
        if answer.status >= 500:
            failure = server_failure(answer)
            assert failure is not None
            raise failure
        raise SupplierError(
            FailureReason.REFUSED,
            _("The supplier refused the request: {message} (code {code}).").format(message=message, code=code),
        )

    @staticmethod
    def _items(body: Any) -> Iterable[dict[str, Any]]:
        """The platform answers a list, or an object keyed "0", "1", …; each item must be an object."""
        items = list(body.values()) if isinstance(body, dict) else body
        if not isinstance(items, list):
            raise malformed(_("a list was expected"))
        for item in items:
            if not isinstance(item, dict):
                raise malformed(_("a list of objects was expected"))
            yield item

    def brands(self, article: str) -> list[BrandHit]:
        """The first step: the brands having a part numbered *article*."""
        hits = []
        for item in self._items(self._call("search/brands", {"number": article})):
            brand, number = item.get("brand"), item.get("number") or item.get("numberFix") or article
            if not brand:
                raise malformed(_("a brand without a name"))
            hits.append(BrandHit(str(brand), str(number), str(item.get("description") or "")))
        return hits

    def offers(self, article: str, brand: str) -> list[SupplierOffer]:
        """The second step: what the supplier offers for *article* of *brand* (and its analogs, when asked)."""
        params = {"number": article, "brand": brand, "withOutAnalogs": "0" if self.with_analogs else "1",
                  "useOnlineStocks": "1"}  # fmt: skip
        offers = []
        for item in self._items(self._call("search/articles", params)):
            try:
                offers.append(SupplierOffer(
                    brand=str(item["brand"]), article=str(item.get("number") or item.get("numberFix") or ""),
                    name=str(item.get("description") or ""), price=parse_money(item.get("price")),
                    quantity=parse_quantity(item.get("availability")),
                    delivery_days=parse_days(item.get("deliveryPeriod"), hours=True),
                    multiplicity=parse_count(item.get("packing")),
                    warehouse=str(item.get("supplierDescription") or item.get("distributorCode") or ""),
                ))  # fmt: skip
            except KeyError as error:
                raise malformed(_("no “{field}” in an offer").format(field=error.args[0])) from None
        return offers
