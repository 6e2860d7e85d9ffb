"""Finding a client among a million from any fragment: ranked index prefix ranges over `client_search_terms`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    FromClause,
    Integer,
    Select,
    String,
    bindparam,
    exists,
    literal,
    not_,
    or_,
    select,
    union_all,
)

from autoservice_desk.services.search_plan import Arm, plan_query
from autoservice_desk.services.search_terms import (
    CLIENTS,
    PHONES,
    TERMS,
    VEHICLES,
    Kind,
    MatchKind,
    index_client,
    match_kind,
    terms_for_rows,
    vehicle_terms,
)
from autoservice_desk.services.text_keys import digits_only, fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

__all__ = [
    "Arm",
    "ClientHit",
    "Kind",
    "MatchKind",
    "SearchCursor",
    "index_client",
    "plan_query",
    "search_clients",
    "terms_for_rows",
]  # the service's whole surface in one place; terms live in search_terms, query plans in search_plan

MAX_LIMIT = 500
VEHICLES_SHOWN = 5


@dataclass(frozen=True)
class SearchCursor:
    """Where a page ended: pass the last hit's cursor as *after* to get the next page of the same query."""

    arm: int
    term: str
    client_id: int


@dataclass(frozen=True)
class ClientHit:
    """One client found: what the result list shows, what matched, and how well (rank 0 = exact)."""

    client_id: int
    display_name: str
    phones: tuple[str, ...]
    vehicles: tuple[str, ...]  # "Kia Rio · А123ВС77", the matched car first, at most VEHICLES_SHOWN
    matched: str  # the matched value as the card shows it: "+79123454567", "А123ВС77", "Петров"
    matched_kind: MatchKind
    rank: int
    cursor: SearchCursor | None  # None in the plain list, which pages by its own cursor
    vehicle_count: int = 0


# --- Reading the index ----------------------------------------------------------------------------------------------


# Statements are built once per shape of query plan (which arms are exact, how many extra words) and take
# every value as a bound parameter: building a statement with a dozen aliases costs more than running it.
ArmShape = tuple[bool, int]  # (exact, number of extra words)


def _in_range(column: ColumnElement[str], exact: bool, name: str) -> list[ColumnElement[bool]]:
    if exact:
        return [column == bindparam(f"low{name}")]
    return [column >= bindparam(f"low{name}"), column < bindparam(f"high{name}")]


def _probe_kind(alias: FromClause) -> ColumnElement[int]:
    """`kind + 0`: a check of one client's terms must seek (client_id, kind, term), never scan the search range.

    Without statistics SQLite prefers the primary key's (kind, term) range and filters it by client, which reads
    the whole range once per hit; an expression on `kind` keeps the primary key out of the probe on both dialects.
    """
    return alias.c.kind + 0


def _holds_words(term: ColumnElement[str], name: str, count: int) -> list[ColumnElement[bool]]:
    spaced = literal(" ") + term
    return [spaced.like(bindparam(f"also{name}_{word}"), escape="\\") for word in range(count)]


def _matches(
    shape: ArmShape, arm: int, client_id: ColumnElement[int], below: ColumnElement[str] | None = None
) -> ColumnElement[bool]:
    """The client has a term in *arm* (below *below*, when given): a better place for it than the current row."""
    other = TERMS.alias()
    exact, words = shape
    conditions = [other.c.client_id == client_id, _probe_kind(other) == bindparam(f"kind{arm}"),
                  *_in_range(other.c.term, exact, str(arm))]  # fmt: skip
    if below is not None:
        conditions.append(other.c.term < below)
    return exists().where(*conditions, *_holds_words(other.c.term, str(arm), words))


@lru_cache(maxsize=256)
def _arm_statement(shapes: tuple[ArmShape, ...], index: int, paging: bool) -> Select[tuple[str, int]]:
    hit = TERMS.alias("hit")
    exact, words = shapes[index]
    conditions = [hit.c.kind == bindparam(f"kind{index}"), *_in_range(hit.c.term, exact, str(index))]
    conditions += _holds_words(hit.c.term, str(index), words)  # row-local checks before the probes
    conditions += [not_(_matches(shape, arm, hit.c.client_id)) for arm, shape in enumerate(shapes[:index])]
    if not exact:  # several terms of one client in the range: only the first counts
        conditions.append(not_(_matches(shapes[index], index, hit.c.client_id, below=hit.c.term)))
    if paging:
        after_term, after_client = bindparam("after_term", type_=String()), bindparam("after_client", type_=Integer())
        conditions += [hit.c.term >= after_term, or_(hit.c.term > after_term, hit.c.client_id > after_client)]
    return (
        select(hit.c.term, hit.c.client_id)  # index columns only: PostgreSQL filters words without the heap
        .where(*conditions)
        .order_by(hit.c.term, hit.c.client_id)
        .limit(bindparam("limit", type_=Integer))
    )


def arm_query(
    arms: Sequence[Arm], index: int, limit: int, after: SearchCursor | None = None
) -> tuple[Select[tuple[str, int]], dict[str, object]]:
    """The clients of arm *index* in index order, each only at its best place among all arms (no duplicates).

    Every predicate is an index seek: the range on (kind, term, client_id), the "better place" checks on
    (client_id, kind, term); so a page costs about *limit* times the number of arms seeks, whatever the range holds.
    """
    parameters: dict[str, object] = {"limit": limit}
    for number, arm in enumerate(arms[: index + 1]):
        parameters.update({f"kind{number}": int(arm.kind), f"low{number}": arm.low, f"high{number}": arm.high})
        parameters.update({f"also{number}_{word}": pattern for word, pattern in enumerate(arm.also)})
    if after is not None:
        parameters.update(after_term=after.term, after_client=after.client_id)
    shapes = tuple((arm.high is None, len(arm.also)) for arm in arms[: index + 1])
    return _arm_statement(shapes, index, after is not None), parameters


@dataclass(frozen=True)
class _Found:
    arm: int
    term: str
    client_id: int


def _find(connection: Connection, arms: Sequence[Arm], limit: int, after: SearchCursor | None) -> list[_Found]:
    """Read arm after arm until the page is full: a later arm costs nothing when earlier ones filled it."""
    found: list[_Found] = []
    for index in range(after.arm if after else 0, len(arms)):
        statement, parameters = arm_query(
            arms, index, limit - len(found), after if after and after.arm == index else None
        )
        rows = connection.execute(statement, parameters)
        found += [_Found(index, row.term, row.client_id) for row in rows]
        if len(found) >= limit:
            break
    return found


def search_clients(
    uow_factory: UnitOfWorkFactory, query: str, limit: int = 50, after: SearchCursor | None = None
) -> list[ClientHit]:
    """The clients matching *query*, best first, one page of at most *limit*; [] for fewer than two characters.

    Ranked: an exact phone, plate or VIN first; then names from the surname on (alphabetical by full name);
    then phone and plate/VIN fragments; then other name words and tags (see search_plan). A page costs one
    read per index range of the plan until the page is full (usually one or two, never more than a dozen)
    plus one read of the page's names, phones and cars, whatever the number of hits. Pass the last hit's
    `cursor` as *after* for the next page.
    """
    arms = plan_query(query)
    if not arms or limit <= 0:
        return []

    def work(uow: UnitOfWork) -> list[ClientHit]:
        connection = uow.session.connection()
        found = _find(connection, arms, min(limit, MAX_LIMIT), after)
        cards = load_cards(connection, [item.client_id for item in found])
        return [_hit(arms, item, cards[item.client_id]) for item in found if item.client_id in cards]

    return run_in_transaction(uow_factory, work, read_only=True)


# --- The page's names, phones and cars in one statement ---------------------------------------------------------------


@dataclass
class CardLines:
    display_name: str
    name_parts: tuple[str, ...]
    phones: list[str]
    vehicles: list[tuple[int, str, str | None, str | None]]  # (id, label, plate, vin)


@lru_cache(maxsize=1)
def _cards_statement() -> CompoundSelect:
    clients, phones, cars = CLIENTS.c, PHONES.c, VEHICLES.c
    ids = bindparam("ids", expanding=True, type_=Integer())
    nothing = literal(None, CLIENTS.c.surname.type)
    return union_all(
        select(literal(0).label("part"), clients.id.label("owner"), clients.id.label("item"),
               clients.surname.label("a"), clients.given_name.label("b"), clients.patronymic.label("c"),
               clients.company_name.label("d"))
        .where(clients.id.in_(ids)),
        select(literal(1), phones.client_id, phones.position, phones.e164, nothing, nothing, nothing)
        .where(phones.client_id.in_(ids)),
        select(literal(2), cars.owner_id, cars.id, cars.make, cars.model, cars.plate, cars.vin)
        .where(cars.owner_id.in_(ids)),
    )  # fmt: skip


def load_cards(connection: Connection, client_ids: Iterable[int]) -> dict[int, CardLines]:
    """Clients, phones and cars of the page as one UNION ALL (one round trip, no query per client)."""
    ids = sorted(set(client_ids))
    if not ids:
        return {}
    rows = connection.execute(_cards_statement(), {"ids": ids})
    cards: dict[int, CardLines] = {}
    for row in sorted(rows, key=lambda row: (row.part, row.owner, row.item)):
        if row.part == 0:
            person = " ".join(part for part in (row.a, row.b, row.c) if part)
            cards[row.owner] = CardLines(row.d or person, (row.a or "", row.b or "", row.c or "", row.d or ""), [], [])
        elif row.part == 1:
            cards[row.owner].phones.append(row.a)
        else:
            number = row.c or row.d
            label = " ".join(part for part in (row.a, row.b) if part) + (f" · {number}" if number else "")
            cards[row.owner].vehicles.append((row.item, label, row.c, row.d))
    return cards


def _hit(arms: Sequence[Arm], item: _Found, card: CardLines) -> ClientHit:
    arm = arms[item.arm]
    matched_car = next((car for car in card.vehicles if (arm.kind, item.term) in vehicle_terms(car[2], car[3])), None)
    vehicles = sorted(card.vehicles, key=lambda car: car is not matched_car)  # the matched car first
    return ClientHit(
        client_id=item.client_id,
        display_name=card.display_name,
        phones=tuple(card.phones),
        vehicles=tuple(label for _id, label, _plate, _vin in vehicles[:VEHICLES_SHOWN]),
        matched=_matched_value(arm.kind, item.term, card, matched_car),
        matched_kind=match_kind(arm.kind),
        rank=arm.rank,
        cursor=SearchCursor(item.arm, item.term, item.client_id),
        vehicle_count=len(vehicles),
    )


def _matched_value(kind: Kind, term: str, card: CardLines, car: tuple[int, str, str | None, str | None] | None) -> str:
    """The matched term as the card shows it (terms are folded, reversed or trimmed for the index)."""
    if kind is Kind.NAME:
        return card.display_name
    if kind is Kind.WORD:  # the word the rotation starts with, as the card spells it
        first = term.split(" ", 1)[0]
        words = (word for part in card.name_parts for word in re.findall(r"\w+", part))
        return next((word for word in words if fold_text(word) == first), first)
    if kind in (Kind.PHONE_TAIL, Kind.PHONE_START):
        digits = term[::-1] if kind is Kind.PHONE_TAIL else term
        return next((phone for phone in card.phones if digits_only(phone).endswith(digits)), digits)
    if car is not None:
        return (car[2] if kind in (Kind.PLATE, Kind.PLATE_TAIL) else car[3]) or term
    return term
