"""Finding parts: by barcode, article, brand and name words, each hit with its stock and its analogs in stock.

How it stays fast with half a million parts, using only the indexes the schema has (`ix_parts_article_key`,
`ix_parts_name_key`, the barcode primary key, `uq_parts_article_brand`):

- a barcode is one primary-key look-up; an article is an equality, then a prefix range, on `article_key`;
  "OC 90 Mahle" is also tried as article "OC90" of brand "MAHLE" (one word taken for the brand);
- name words are looked up as *prefix ranges* of `name_key`: a name that starts with one of the words
  ("фильтр масляный" finds "Фильтр масляный ..." by the range of "фильтр"), the other words then checked as
  substrings on that range. The range reads the name index alone (no table rows), and people type the noun a
  name starts with, so this answers nearly every name search. When it finds nothing, one word is taken for a
  brand ("масло castrol": the range of "масло", Castrol's rows);
- only when all that finds nothing: a single word may be a brand (its parts in article order; there is no
  brand index, so a rare brand reads the table), and words of at least `MIN_SUBSTRING` letters are looked for
  *inside* names: a scan of the name index in name order that stops after *limit* matches. A common word stops
  early; a rare one reads the whole index, about as slow as a LIKE '%x%' (see bench/warehouse_catalog.py).
  A trigram index on PostgreSQL or a word-term table like the clients' would make this an index look-up too;
  that is a schema change, so it is left for when the figures ask for it.

Prefixes are `>=`/`<` bounds, index ranges, wherever keys compare in code point order (SQLite; PostgreSQL under
the C or C.UTF-8 collation); under a language's collation `LIKE 'prefix%'` keeps results right, more slowly
(see `prefixes_as_ranges`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    func,
    select,
)

from autoservice_desk.models.inventory import CrossReference, Part, PartBarcode, StockBalance, StockLocation
from autoservice_desk.services.crosses import fast_article_key
from autoservice_desk.services.part_prices import MarkupRules, load_markup_rules, sale_price
from autoservice_desk.services.search_terms import next_prefix
from autoservice_desk.services.table_import import lookup_chunks
from autoservice_desk.services.text_keys import brand_key, fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

CODE_POINT_COLLATIONS = frozenset({"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"})
MIN_SUBSTRING = 3  # shorter words are matched as the start of a name only: "ма" is inside a third of them
MAX_BRAND_SPLITS = 4  # "OC 90 Mahle": each word in turn taken for the brand, for queries up to this many words
ZERO = Decimal("0.000")
PARTS = cast(Table, Part.__table__)
BARCODES = cast(Table, PartBarcode.__table__)
BALANCES = cast(Table, StockBalance.__table__)
PLACES = cast(Table, StockLocation.__table__)
CROSSES = cast(Table, CrossReference.__table__)


@dataclass(frozen=True)
class PlaceStock:
    """Stock of one part on one place."""

    location_id: int
    code: str
    name: str
    on_hand: Decimal
    reserved: Decimal


@dataclass(frozen=True)
class AnalogHit:
    """A part the shop keeps that is interchangeable with a hit, and is in stock."""

    part_id: int
    article: str
    brand: str
    name: str
    unit: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    price: Decimal | None  # the sale price (manual or from the markup rules); None: no price can be made


@dataclass(frozen=True)
class PartHit:
    """One part found, with its stock summed over every place; `match` says what matched.

    match: "barcode", "article" (the exact article), "article_prefix", "name", "brand".
    """

    part_id: int
    match: str
    article: str
    article_key: str
    brand: str
    brand_key: str
    name: str
    unit: str
    fractional: bool
    group_id: int | None
    active: bool
    purchase_price: Decimal | None
    sale_price: Decimal | None  # set by hand, or None
    average_cost: Decimal
    price: Decimal | None  # what it sells for: the manual price or the markup rules' one
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    places: tuple[PlaceStock, ...]
    analogs: tuple[AnalogHit, ...]


# --- Statements -------------------------------------------------------------------------------------------------
# Built once per shape and dialect with every value a bound parameter: building a statement costs more than
# running one of these index look-ups.


def prefixes_as_ranges(connection: Connection) -> bool:
    """Whether `key >= p AND key < next_prefix(p)` is exactly "starts with p" here: the keys compare in code point
    order. SQLite's BINARY does; on PostgreSQL only the C, POSIX and C.UTF-8 collations do. Under a language's
    collation (ru_RU.UTF-8) the range would miss rows, so LIKE is used there: right, but not an index range
    until the key columns get COLLATE "C" (asked for as a schema change). Asked once per connection."""
    if connection.dialect.name != "postgresql":
        return True
    known = connection.info.get("prefixes_as_ranges")
    if known is None:
        # The column's collation (or the database's), and a probe: a language's collation (ICU or libc) puts
        # "a" before "Z" and ignores the space, code point order does neither.
        found = connection.exec_driver_sql(
            "SELECT c.collname, d.datcollate, ('Z' < CAST('a' AS text)) AND ('ab' > CAST('a b' AS text)) "
            "FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
            "JOIN pg_database d ON d.datname = current_database() "
            "WHERE a.attrelid = CAST('parts' AS regclass) AND a.attname = 'name_key'"
        ).first()
        if found is None:
            known = False
        elif found[0] != "default":  # the column's own collation (COLLATE "C" in a later schema)
            known = found[0] in CODE_POINT_COLLATIONS
        else:
            known = found[1] in CODE_POINT_COLLATIONS and bool(found[2])
        connection.info["prefixes_as_ranges"] = known
    return bool(known)


def _prefix_values(name: str, prefix: str, like: bool) -> dict[str, str]:
    if like:
        return {name: prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"}
    return {f"{name}_low": prefix, f"{name}_high": next_prefix(prefix)}


def _starts_with(column: ColumnElement[str], name: str, like: bool) -> ColumnElement[bool]:
    if like:
        return column.like(bindparam(name, type_=String), escape="\\")
    return and_(column >= bindparam(f"{name}_low", type_=String), column < bindparam(f"{name}_high", type_=String))


def _contains(column: ColumnElement[str], name: str, postgresql: bool) -> ColumnElement[bool]:
    # Exact substring functions, not LIKE: keys are folded already, and SQLite's LIKE folds ASCII only.
    word = bindparam(name, type_=String)
    return (func.strpos(column, word) if postgresql else func.instr(column, word)) > 0


@lru_cache(maxsize=256)
def _finder_statement(kind: str, postgresql: bool, like: bool, active: bool, words: int = 0) -> Select[Any]:
    """The statement of one search step; *words* is how many further words it checks, *like* whether prefixes
    are LIKE patterns (see `prefixes_as_ranges`)."""
    statement = select(PARTS.c.id)
    if kind == "barcode":
        statement = statement.join(BARCODES, BARCODES.c.part_id == PARTS.c.id).where(
            BARCODES.c.barcode == bindparam("code", type_=String)
        )
    elif kind.startswith("article"):
        key = bindparam("key", type_=String)
        if kind.startswith("article_exact"):
            statement = statement.where(PARTS.c.article_key == key)
        else:
            statement = statement.where(
                _starts_with(PARTS.c.article_key, "prefix", like), PARTS.c.article_key != key
            )
        if kind.endswith("_brand"):
            statement = statement.where(_starts_with(PARTS.c.brand_key, "brand", like))
        # (article_key, brand_key) is the unique index: the range and this order come from it
        statement = statement.order_by(PARTS.c.article_key, PARTS.c.brand_key)
    elif kind == "name_equals":  # the second step of a name search on PostgreSQL (see _Finder.names_run)
        statement = statement.where(PARTS.c.name_key == bindparam("name", type_=String))
    elif kind.startswith("name_lead"):  # the other words inside the name; "_brand": and the brand starts so
        if postgresql and not kind.endswith("_brand"):
            statement = select(PARTS.c.name_key)
        statement = statement.where(_starts_with(PARTS.c.name_key, "lead", like))
        for index in range(words):
            statement = statement.where(_contains(PARTS.c.name_key, f"word{index}", postgresql))
        if kind.endswith("_brand"):
            statement = statement.where(_starts_with(PARTS.c.brand_key, "brand", like))
        statement = statement.order_by(PARTS.c.name_key)
    elif kind == "brand":
        statement = statement.where(PARTS.c.brand_key == bindparam("brand", type_=String)).order_by(PARTS.c.article_key)
    else:  # "substring": the names holding every word
        if postgresql:
            statement = select(PARTS.c.name_key)
        for index in range(words):
            statement = statement.where(_contains(PARTS.c.name_key, f"word{index}", postgresql))
        statement = statement.order_by(PARTS.c.name_key)
    if active:
        statement = statement.where(PARTS.c.active)
    return statement.limit(bindparam("limit", type_=Integer))


class _Finder:
    """The searches of one query, each adding the part ids it finds (best first) until *limit* are found."""

    def __init__(self, connection: Connection, limit: int, include_inactive: bool) -> None:
        self.connection = connection
        self.postgresql = connection.dialect.name == "postgresql"
        self.like = not prefixes_as_ranges(connection)
        self.limit = limit
        self.include_inactive = include_inactive
        self.found: dict[int, str] = {}

    @property
    def missing(self) -> int:
        return self.limit - len(self.found)

    def run(self, kind: str, match: str, values: dict[str, Any], words: int = 0) -> None:
        if self.missing <= 0:
            return
        statement = _finder_statement(kind, self.postgresql, self.like, not self.include_inactive, words)
        values["limit"] = self.missing + len(self.found)  # rows found already may come again
        for (part_id,) in self.connection.execute(statement, values):
            self.found.setdefault(part_id, match)
            if self.missing <= 0:
                return

    def names_run(self, kind: str, values: dict[str, Any], words: int) -> None:
        """Parts whose name matches, reading the name index alone.

        SQLite's name index holds the rowid, which is the id: one scan, `active` checked after loading. The
        PostgreSQL index holds no id, and reading the table row of every name passed over is what makes a scan
        slow there; so the names come from an index-only scan, then the parts of each name by equality.
        """
        if self.missing <= 0:
            return
        statement = _finder_statement(kind, self.postgresql, self.like, False, words)
        values["limit"] = self.missing + len(self.found)
        rows = self.connection.execute(statement, values)
        if not self.postgresql:
            for (part_id,) in rows:
                self.found.setdefault(part_id, "name")
                if self.missing <= 0:
                    return
            return
        for name in dict.fromkeys(name for (name,) in rows):
            self.run("name_equals", "name", {"name": name})
            if self.missing <= 0:
                return

    def barcode(self, text: str) -> None:
        code = text.strip()
        if code and len(code) <= 64:
            self.run("barcode", "barcode", {"code": code})

    def articles(self, text: str) -> None:
        """The whole text as an article, and "article brand" / "brand article" splits: exact ones, then prefixes."""
        tries: list[tuple[str, str | None]] = []
        if key := fast_article_key(text):
            tries.append((key, None))
        words = text.split()
        if 2 <= len(words) <= MAX_BRAND_SPLITS:
            for index, word in enumerate(words):
                rest = fast_article_key("".join(words[:index] + words[index + 1 :]))
                if rest and (word_brand := brand_key(word)):
                    tries.append((rest, word_brand))
        for exact in (True, False):
            for key, brand in tries:
                values = {"key": key}
                if not exact:
                    values.update(_prefix_values("prefix", key, self.like))
                if brand is not None:
                    values.update(_prefix_values("brand", brand, self.like))
                kind = ("article_exact" if exact else "article_prefix") + ("_brand" if brand is not None else "")
                self.run(kind, "article" if exact else "article_prefix", values)

    def names(self, text: str) -> None:
        """Names starting with one of the words and holding the others: an index range of each word.

        These read the name index alone (see names_run). Only when none is found, one of the words is taken for
        the brand ("масло castrol"): the same ranges, now reading each row for its brand.
        """
        words = list(dict.fromkeys(fold_text(text).split()))
        for lead in words:
            values: dict[str, Any] = _prefix_values("lead", lead, self.like)
            others = [word for word in words if word != lead]
            values.update({f"word{index}": word for index, word in enumerate(others)})
            self.names_run("name_lead", values, len(others))
        if self.found or len(words) < 2:
            return
        for brand_word in words:
            rest = [word for word in words if word != brand_word]
            if not (brand := brand_key(brand_word)):
                continue
            values = {
                **_prefix_values("lead", rest[0], self.like),
                **_prefix_values("brand", brand, self.like),
            }
            values.update({f"word{index}": word for index, word in enumerate(rest[1:])})
            self.run("name_lead_brand", "name", values, len(rest) - 1)

    def brand(self, text: str) -> None:
        """A single word that is a brand: its parts in article order (no brand index: a scan that stops early)."""
        words = text.split()
        if len(words) == 1 and any(character.isalpha() for character in text) and (key := brand_key(words[0])):
            self.run("brand", "brand", {"brand": key})

    def name_substrings(self, text: str) -> None:
        words = list(dict.fromkeys(fold_text(text).split()))
        if not any(character.isalpha() for character in text):  # a number not found as article or barcode
            return
        if words and all(len(word) >= MIN_SUBSTRING for word in words):
            values = {f"word{index}": word for index, word in enumerate(words)}
            self.names_run("substring", values, len(words))


# --- Loading the hits -------------------------------------------------------------------------------------------


class _PartRow(NamedTuple):
    id: int
    article: str
    article_key: str
    brand: str
    brand_key: str
    name: str
    unit: str
    fractional: bool
    group_id: int | None
    active: bool
    purchase_price: Decimal | None
    sale_price: Decimal | None
    average_cost: Decimal


@lru_cache(maxsize=8)
def _load_statement(kind: str) -> Select[Any]:
    ids: Any = bindparam("ids", expanding=True)
    if kind == "parts":
        return select(*(PARTS.c[name] for name in _PartRow._fields)).where(PARTS.c.id.in_(ids))
    if kind == "stock":
        return (
            select(BALANCES.c.part_id, BALANCES.c.location_id, PLACES.c.code, PLACES.c.name, BALANCES.c.quantity,
                   BALANCES.c.reserved)
            .join(PLACES, PLACES.c.id == BALANCES.c.location_id)
            .where(BALANCES.c.part_id.in_(ids), BALANCES.c.quantity > 0)
            .order_by(BALANCES.c.part_id, PLACES.c.code, PLACES.c.id)
        )  # fmt: skip
    if kind == "cross_own":
        return select(CROSSES.c.article_key, CROSSES.c.brand_key, CROSSES.c.group_id).where(
            CROSSES.c.article_key.in_(ids)
        )
    same_key = and_(PARTS.c.article_key == CROSSES.c.article_key, PARTS.c.brand_key == CROSSES.c.brand_key)
    return (
        select(CROSSES.c.group_id, PARTS.c.id).join(PARTS, same_key).where(CROSSES.c.group_id.in_(ids), PARTS.c.active)
    )


def _rows(connection: Connection, kind: str, ids: Sequence[Any]) -> Iterator[Any]:
    for chunk in lookup_chunks(ids):
        yield from connection.execute(_load_statement(kind), {"ids": list(chunk)})


def _load_parts(connection: Connection, part_ids: Sequence[int]) -> list[_PartRow]:
    return [_PartRow(*row) for row in _rows(connection, "parts", part_ids)]


def _stock(connection: Connection, part_ids: Sequence[int]) -> dict[int, list[PlaceStock]]:
    places: dict[int, list[PlaceStock]] = {}
    for part_id, location_id, code, name, quantity, reserved in _rows(connection, "stock", part_ids):
        places.setdefault(part_id, []).append(PlaceStock(location_id, code, name, quantity, reserved))
    return places


def _totals(places: Iterable[PlaceStock]) -> tuple[Decimal, Decimal, Decimal]:
    on_hand = sum((place.on_hand for place in places), ZERO)
    reserved = sum((place.reserved for place in places), ZERO)
    return on_hand, reserved, on_hand - reserved


def _analogs(connection: Connection, parts: Sequence[_PartRow], rules: MarkupRules) -> dict[int, tuple[AnalogHit, ...]]:
    """part id -> the other parts of its cross group that are in stock, most available first."""
    keys = {(part.article_key, part.brand_key): part.id for part in parts}
    group_of: dict[int, int] = {}
    for akey, bkey, group in _rows(connection, "cross_own", sorted({part.article_key for part in parts})):
        if (part_id := keys.get((akey, bkey))) is not None:
            group_of[part_id] = group
    if not group_of:
        return {}
    members: dict[int, set[int]] = {}  # group -> its active parts
    for group, part_id in _rows(connection, "cross_members", sorted(set(group_of.values()))):
        members.setdefault(group, set()).add(part_id)
    candidates = sorted({part_id for ids in members.values() for part_id in ids})
    stock = _stock(connection, candidates)
    rows = {row.id: row for row in _load_parts(connection, [part_id for part_id in candidates if part_id in stock])}
    result: dict[int, tuple[AnalogHit, ...]] = {}
    for part_id, group in group_of.items():
        hits = []
        for other in members.get(group, ()):
            if other == part_id or other not in rows:
                continue
            row = rows[other]
            on_hand, reserved, available = _totals(stock[other])
            hits.append(AnalogHit(other, row.article, row.brand, row.name, row.unit, on_hand, reserved, available,
                                  sale_price(row, rules)))  # fmt: skip
        hits.sort(key=lambda hit: (-hit.available, hit.brand, hit.article))
        result[part_id] = tuple(hits)
    return result


def find_parts(
    uow: UnitOfWork, text: str, *, limit: int = 50, with_analogs: bool = True, include_inactive: bool = False
) -> list[PartHit]:
    """search_parts() inside the caller's unit of work."""
    if not text.strip() or limit <= 0:
        return []
    connection = uow.session.connection()
    finder = _Finder(connection, limit, include_inactive)
    finder.barcode(text)
    finder.articles(text)
    finder.names(text)
    if not finder.found:  # the scans below read a whole index: only when no index range found anything
        finder.brand(text)
        finder.name_substrings(text)
    return load_hits(uow, finder.found, with_analogs=with_analogs, include_inactive=include_inactive)


def load_hits(
    uow: UnitOfWork, found: Mapping[int, str], *, with_analogs: bool = True, include_inactive: bool = False
) -> list[PartHit]:
    """The hits of the parts *found* (part id -> what matched), in that order, with their stock and analogs."""
    connection = uow.session.connection()
    parts = {part.id: part for part in _load_parts(connection, list(found))}
    ordered = [parts[part_id] for part_id in found if part_id in parts]
    if not include_inactive:
        ordered = [part for part in ordered if part.active]
    rules = load_markup_rules(uow)
    stock = _stock(connection, [part.id for part in ordered])
    analogs = _analogs(connection, ordered, rules) if with_analogs and ordered else {}
    hits = []
    for part in ordered:
        places = stock.get(part.id, [])
        on_hand, reserved, available = _totals(places)
        hits.append(PartHit(
            part.id, found[part.id], part.article, part.article_key, part.brand, part.brand_key, part.name,
            part.unit, part.fractional, part.group_id, part.active, part.purchase_price, part.sale_price,
            part.average_cost, sale_price(part, rules), on_hand, reserved, available, tuple(places),
            analogs.get(part.id, ()),
        ))  # fmt: skip
    return hits


def search_parts(
    uow_factory: UnitOfWorkFactory,
    text: str,
    *,
    limit: int = 50,
    with_analogs: bool = True,
    include_inactive: bool = False,
) -> list[PartHit]:
    """Parts matching *text*, best first: the barcode, the exact article, articles starting with it, then names
    holding every word (see the module's notes); each with its stock and, when *with_analogs*, the interchangeable
    parts that are in stock. Withdrawn parts only with *include_inactive*."""
    return run_in_transaction(
        uow_factory,
        lambda uow: find_parts(uow, text, limit=limit, with_analogs=with_analogs, include_inactive=include_inactive),
        read_only=True,
    )
