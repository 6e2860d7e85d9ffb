"""A generic JSON-over-HTTP supplier: a URL template and a field mapping say where the offers are in its answer.

The templates take `{base_url}`, `{article}` and `{brand}` (URL-encoded), e.g.
`{base_url}/api/v1/offers?code={article}&maker={brand}`. The mapping names a dotted path for each field, relative
to one item of the list found at `items` ("" or missing: the answer itself is the list):

    {"items": "data.offers", "brand": "maker", "article": "code", "name": "title", "price": "price.value",
     "quantity": "stock", "delivery_days": "days", "delivery_hours": "", "multiplicity": "pack",
     "warehouse": "store", "brands_items": "brands", "brands_brand": "name", "brands_name": "title",
     "auth_header": "X-Api-Key"}

An API key (from the keyring) goes in `auth_header` ("Authorization" gets a "Bearer " prefix).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from autoservice_desk.i18n import _
from autoservice_desk.integrations.suppliers.base import (
    BrandHit,
    FailureReason,
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

DEFAULT_MAPPING = {
    "items": "", "brand": "brand", "article": "article", "name": "name", "price": "price", "quantity": "quantity",
    "delivery_days": "delivery_days", "multiplicity": "multiplicity", "warehouse": "warehouse",
    "brands_items": "", "brands_brand": "brand", "brands_name": "name",
}  # fmt: skip
_MISSING = object()


def pick(data: Any, path: str, default: Any = _MISSING) -> Any:
    """The value at dotted *path* in *data* ("" is *data* itself; list items by number: "offers.0.price")."""
    value = data
    for step in filter(None, path.split(".")):
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        elif default is not _MISSING:
            return default
        else:
            raise malformed(_("no “{path}”").format(path=path))
    return value


def fill_template(template: str, base_url: str, article: str, brand: str = "") -> str:
    try:
        return template.format(base_url=base_url.rstrip("/"), article=quote(article, safe=""),
                               brand=quote(brand, safe=""))  # fmt: skip
    except (KeyError, IndexError, ValueError) as error:
        raise SupplierError(
            FailureReason.NOT_CONFIGURED,
            _("The supplier's URL template is wrong: {error}").format(error=error),
        ) from None


class JsonAdapter:
    """A supplier answering JSON at *url_template*; *mapping* as in the module's notes (defaults filled in)."""

    def __init__(
        self, base_url: str, url_template: str, mapping: Mapping[str, str] | None = None, *,
        brands_url_template: str = "", api_key: str | None = None, timeout: float = 5.0, retries: int = 1,
    ) -> None:  # fmt: skip
        if not url_template:
            raise SupplierError(FailureReason.NOT_CONFIGURED, _("The supplier's URL template is not set."))
        self.base_url = base_url
        self.url_template = url_template
        self.brands_url_template = brands_url_template
        self.mapping = {**DEFAULT_MAPPING, **(mapping or {})}
        headers = {}
        if api_key:
            header = self.mapping.get("auth_header") or "Authorization"
            headers[header] = f"Bearer {api_key}" if header.casefold() == "authorization" else api_key
        self.http = HttpClient(timeout, retries, headers)

    def _list(self, url: str, items_path: str) -> list[Any]:
        answer = self.http.get(url)
        failure = server_failure(answer)
        if failure is not None:
            raise failure
        if answer.body is None:
            raise malformed(_("not JSON"))
        items = pick(answer.body, items_path)
        if not isinstance(items, list):
            raise malformed(_("a list was expected at “{path}”").format(path=items_path or "/"))
        return items

    def brands(self, article: str) -> list[BrandHit]:
        """Brands from `brands_url_template`; without one, the brands seen among the offers for the bare number."""
        if not self.brands_url_template:
            seen: dict[str, BrandHit] = {}
            for offer in self._offers(fill_template(self.url_template, self.base_url, article)):
                seen.setdefault(offer.brand.casefold(), BrandHit(offer.brand, offer.article, offer.name))
            return list(seen.values())
        hits = []
        url = fill_template(self.brands_url_template, self.base_url, article)
        for item in self._list(url, self.mapping["brands_items"]):
            brand = pick(item, self.mapping["brands_brand"])
            name = pick(item, self.mapping["brands_name"], "")
            hits.append(BrandHit(str(brand), article, str(name or "")))
        return hits

    def offers(self, article: str, brand: str) -> list[SupplierOffer]:
        return self._offers(fill_template(self.url_template, self.base_url, article, brand))

    def _offers(self, url: str) -> list[SupplierOffer]:
        field = self.mapping
        offers = []
        for item in self._list(url, field["items"]):
            hours = field.get("delivery_hours")
            offers.append(SupplierOffer(
                brand=str(pick(item, field["brand"])), article=str(pick(item, field["article"])),
                name=str(pick(item, field["name"], "") or ""), price=parse_money(pick(item, field["price"])),
                quantity=parse_quantity(pick(item, field["quantity"], None)),
                delivery_days=(parse_days(pick(item, hours, None), hours=True) if hours
                               else parse_days(pick(item, field["delivery_days"], None))),
                multiplicity=parse_count(pick(item, field["multiplicity"], 1)),
                warehouse=str(pick(item, field["warehouse"], "") or ""),
            ))  # fmt: skip
        return offers
