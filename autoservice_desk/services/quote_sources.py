"""The sources of a parts quote, each read on its own: own stock, cross-references, price lists (the local part,
a few index look-ups in one read-only transaction) and online suppliers (each in a thread, with a cache).

What the search shows is built here as plain `Offer` values; services/quoting.py runs the sources, streams their
answers and marks the best price and the fastest delivery.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple, cast

from sqlalchemy import Executable, Table, bindparam, delete, select
from sqlalchemy.orm import aliased

from autoservice_desk.integrations.suppliers import SupplierOffer
from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import CrossReference, Part, StockBalance, StockLocation, Supplier
from autoservice_desk.models.quoting import PriceListBatch, PriceListRow, SupplierAnswer
from autoservice_desk.services.crosses import fast_article_key
from autoservice_desk.services.part_prices import MarkupRules, discounted, margin, offer_sale_price, sale_price
from autoservice_desk.services.table_import import lookup_chunks
from autoservice_desk.services.text_keys import brand_key as make_brand_key
from autoservice_desk.services.unit_of_work import UnitOfWork

ZERO = Decimal("0.000")
MAX_ANALOG_KEYS = 400  # a cross group that large is a bad import; the look-ups stay bounded anyway
PARTS = cast(Table, Part.__table__)
CROSSES = cast(Table, CrossReference.__table__)


class OfferSource(StrEnum):
    STOCK = "stock"
    PRICE_LIST = "price_list"
    ONLINE = "online"


@dataclass(frozen=True)
class Offer:
    """One line of a quote: where it comes from, what it is, how many and how soon, what it costs us and sells for.

    *analog*: an interchangeable part of another article or brand (through the cross-references, or the supplier's
    own analogs). *best_price* / *fastest* are set on the merged list (`quoting.mark_best`).
    """

    source: OfferSource
    source_name: str  # the warehouse (own stock) or the supplier
    analog: bool
    brand: str
    article: str
    name: str
    quantity: Decimal | None  # available now; None: the supplier does not say
    delivery_days: int | None  # 0: on our shelf
    purchase_price: Decimal | None  # our cost (own stock: average cost or the last purchase price)
    sale_price: Decimal | None  # with markup and the client's discount
    margin: Decimal | None  # sale price − purchase price, roubles
    multiplicity: int = 1
    part_id: int | None = None  # the part the shop keeps under this article and brand
    location_id: int | None = None  # own stock: the place
    location: str = ""  # own stock: the bin's code
    supplier_id: int | None = None
    online_supplier_id: int | None = None
    article_key: str = ""
    brand_key: str = ""
    best_price: bool = False
    fastest: bool = False


@dataclass(frozen=True)
class Pricing:
    """What turns a cost into our price for one search: the rules, our parts' groups, the client's discount."""

    rules: MarkupRules
    discount_percent: Decimal = Decimal(0)
    groups: dict[tuple[str, str], int | None] | None = None  # (article key, brand key) -> group of our part

    def for_offer(self, cost: Decimal, article_key: str, brand_key: str, supplier_id: int | None) -> Decimal:
        group = (self.groups or {}).get((article_key, brand_key))
        price = offer_sale_price(cost, self.rules, brand_key=brand_key, supplier_id=supplier_id, group_id=group)
        return discounted(price, self.discount_percent, cost)


class LocalFindings(NamedTuple):
    own: list[Offer]
    analog_stock: list[Offer]
    analog_lists: list[Offer]
    lists: list[Offer]


# --- Statements (built once, every value bound) -----------------------------------------------------------------


@lru_cache(maxsize=8)
def _statement(kind: str) -> Executable:
    keys: Any = bindparam("keys", expanding=True)
    if kind == "stock":
        place, warehouse = aliased(StockLocation), aliased(StockLocation)
        return (
            select(Part.id, Part.article_key, Part.brand_key, Part.article, Part.brand, Part.name, Part.group_id,
                   Part.purchase_price, Part.sale_price, Part.average_cost, StockBalance.location_id, place.code,
                   place.name, warehouse.name, StockBalance.quantity, StockBalance.reserved)
            .join(StockBalance, StockBalance.part_id == Part.id)
            .join(place, place.id == StockBalance.location_id)
            .outerjoin(warehouse, warehouse.id == place.warehouse_id)
            .where(Part.article_key.in_(keys), Part.active, StockBalance.quantity > StockBalance.reserved)
            .order_by(Part.id, place.code, place.id)
        )  # fmt: skip
    if kind == "groups":
        return select(Part.article_key, Part.brand_key, Part.group_id).where(Part.article_key.in_(keys))
    if kind == "crosses":
        return select(CROSSES.c.group_id, CROSSES.c.brand_key).where(CROSSES.c.article_key == bindparam("key"))
    if kind == "members":
        return select(CROSSES.c.article_key, CROSSES.c.brand_key).where(CROSSES.c.group_id.in_(keys))
    return (
        select(PriceListRow.article_key, PriceListRow.brand_key, PriceListRow.article, PriceListRow.brand,
               PriceListRow.name, PriceListRow.quantity, PriceListRow.price, PriceListRow.delivery_days,
               PriceListRow.multiplicity, Supplier.id, Supplier.name, Supplier.delivery_days)
        .join(PriceListBatch, PriceListBatch.id == PriceListRow.batch_id)
        .join(Supplier, Supplier.id == PriceListBatch.supplier_id)
        .where(PriceListRow.article_key.in_(keys), PriceListBatch.current, Supplier.active)
    )  # fmt: skip


def _rows(uow: UnitOfWork, kind: str, keys: Sequence[Any]) -> Iterable[Any]:
    connection = uow.session.connection()
    for chunk in lookup_chunks(keys):
        yield from connection.execute(_statement(kind), {"keys": list(chunk)})


# --- The local part ---------------------------------------------------------------------------------------------


def analog_pairs(uow: UnitOfWork, article_key: str, brand_key: str | None) -> set[tuple[str, str]]:
    """(article key, brand key) interchangeable with the article (of *brand_key*, or of any brand), itself excluded."""
    connection = uow.session.connection()
    groups = {group for group, bkey in connection.execute(_statement("crosses"), {"key": article_key})
              if brand_key is None or bkey == brand_key}  # fmt: skip
    if not groups:
        return set()
    pairs = {(akey, bkey) for akey, bkey in _rows(uow, "members", sorted(groups))}
    own = {pair for pair in pairs if pair[0] == article_key and (brand_key is None or pair[1] == brand_key)}
    return set(sorted(pairs - own)[:MAX_ANALOG_KEYS])


def client_discount(uow: UnitOfWork, client_id: int | None) -> Decimal:
    if client_id is None:
        return Decimal(0)
    client = uow.session.get(Client, client_id)
    return client.discount_percent if client is not None else Decimal(0)


def part_groups(uow: UnitOfWork, article_keys: Iterable[str]) -> dict[tuple[str, str], int | None]:
    return {(akey, bkey): group for akey, bkey, group in _rows(uow, "groups", sorted(set(article_keys)))}


def _stock_offers(uow: UnitOfWork, keys: Sequence[str], wanted: Any, analog: bool, pricing: Pricing) -> list[Offer]:
    offers = []
    for row in _rows(uow, "stock", keys):
        (part_id, akey, bkey, article, brand, name, _group, purchase, manual, average, location_id, code, place,
         warehouse, quantity, reserved) = row  # fmt: skip
        if not wanted(akey, bkey):
            continue
        cost = average if average > 0 else purchase
        price = sale_price(row_part(row), pricing.rules)
        if price is not None:
            price = discounted(price, pricing.discount_percent, cost)
        offers.append(Offer(
            OfferSource.STOCK, warehouse or place, analog, brand, article, name, quantity - reserved, 0, cost, price,
            margin(price, cost), 1, part_id, location_id, code or place, None, None, akey, bkey,
        ))  # fmt: skip
    return offers


class _PricedRow(NamedTuple):
    group_id: int | None
    brand_key: str
    purchase_price: Decimal | None
    sale_price: Decimal | None
    average_cost: Decimal


def row_part(row: Sequence[Any]) -> _PricedRow:
    """A stock row seen as a part for part_prices.sale_price (manual price, markup of its cost)."""
    return _PricedRow(row[6], row[2], row[7], row[8], row[9])


def _list_offers(uow: UnitOfWork, keys: Sequence[str], pricing: Pricing) -> list[tuple[Offer, str, str]]:
    found = []
    for (akey, bkey, article, brand, name, quantity, price, days, pack, supplier_id, supplier, supplier_days) in _rows(
        uow, "lists", keys
    ):
        sale = pricing.for_offer(price, akey, bkey, supplier_id)
        offer = Offer(
            OfferSource.PRICE_LIST, supplier, False, brand, article, name, quantity,
            days if days is not None else supplier_days, price, sale, margin(sale, price), pack, None, None, "",
            supplier_id, None, akey, bkey,
        )  # fmt: skip
        found.append((offer, akey, bkey))
    return found


def local_findings(
    uow: UnitOfWork, article_key: str, brand_key: str | None, pricing: Pricing, analogs: set[tuple[str, str]]
) -> LocalFindings:
    """Own stock, analogs in stock and in price lists, and price-list offers, of one article (and brand)."""

    def main(akey: str, bkey: str) -> bool:
        return akey == article_key and (brand_key is None or bkey == brand_key)

    def is_analog(akey: str, bkey: str) -> bool:
        return (akey, bkey) in analogs

    analog_keys = sorted({akey for akey, _bkey in analogs})
    own = _stock_offers(uow, [article_key], main, False, pricing)
    analog_stock = _stock_offers(uow, analog_keys, is_analog, True, pricing) if analog_keys else []
    listed = _list_offers(uow, sorted({article_key, *analog_keys}), pricing)
    lists = [offer for offer, akey, bkey in listed if main(akey, bkey)]
    analog_lists = [_as_analog(offer) for offer, akey, bkey in listed if is_analog(akey, bkey)]
    return LocalFindings(own, analog_stock, analog_lists, lists)


def _as_analog(offer: Offer) -> Offer:
    return replace(offer, analog=True)


# --- Online suppliers: offers made into Offers, and the answer cache --------------------------------------------


def online_offers(
    found: Sequence[SupplierOffer], supplier_name: str, supplier_id: int, online_supplier_id: int,
    article_key: str, brand_key: str | None, pricing: Pricing,
) -> list[Offer]:  # fmt: skip
    """A supplier's answer as Offers; those of another article or brand than asked are the supplier's analogs."""
    offers = []
    for item in found:
        akey, bkey = fast_article_key(item.article), make_brand_key(item.brand)
        analog = akey != article_key or (brand_key is not None and bkey != brand_key)
        sale = pricing.for_offer(item.price, akey, bkey, supplier_id)
        offers.append(Offer(
            OfferSource.ONLINE, supplier_name, analog, item.brand, item.article, item.name, item.quantity,
            item.delivery_days, item.price, sale, margin(sale, item.price), item.multiplicity, None, None,
            item.warehouse, supplier_id, online_supplier_id, akey, bkey,
        ))  # fmt: skip
    return offers


def cached_answer(uow: UnitOfWork, online_supplier_id: int, query_key: str, minutes: int) -> list[Any] | None:
    """The cached payload when it is younger than *minutes*, else None."""
    if minutes <= 0:
        return None
    row = uow.session.scalar(select(SupplierAnswer).where(SupplierAnswer.online_supplier_id == online_supplier_id,
                                                          SupplierAnswer.query_key == query_key))  # fmt: skip
    if row is None or row.fetched_at < uow.clock() - timedelta(minutes=minutes):
        return None
    return list(row.payload)


def store_answer(uow: UnitOfWork, online_supplier_id: int, query_key: str, payload: list[Any]) -> None:
    """Replace the cached answer (a race with another desk ends in a conflict the caller may ignore)."""
    uow.session.execute(delete(SupplierAnswer).where(SupplierAnswer.online_supplier_id == online_supplier_id,
                                                     SupplierAnswer.query_key == query_key))  # fmt: skip
    uow.session.add(SupplierAnswer(online_supplier_id=online_supplier_id, query_key=query_key,
                                   fetched_at=uow.clock(), payload=payload))  # fmt: skip
    uow.commit()
