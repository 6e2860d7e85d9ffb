"""Browsing the stock: the parts on a place (or the whole catalog) a page at a time, a search narrowed to a place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, select, tuple_

from autoservice_desk.models.inventory import Part, StockBalance, StockLocation
from autoservice_desk.services.part_search import PartHit, find_parts, load_hits
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

PAGE_SIZE = 100
# A search on a place looks at this many catalog hits and keeps those with stock there: a place holds few of the
# parts a word finds, and the search has no place condition of its own.
PLACE_SEARCH_WINDOW = 300


@dataclass(frozen=True)
class BrowseCursor:
    """Where the next page starts: after this (article key, brand key), which is unique."""

    article_key: str
    brand_key: str


@dataclass(frozen=True)
class PartsPage:
    hits: list[PartHit]
    next_cursor: BrowseCursor | None  # None: this was the last page


def place_subtree(uow: UnitOfWork, location_id: int) -> list[int]:
    """*location_id* and every place inside it (the place table is a few thousand rows at most)."""
    children: dict[int, list[int]] = {}
    for place_id, parent_id in uow.session.execute(select(StockLocation.id, StockLocation.parent_id)):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(place_id)
    found, stack = [], [location_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, ()))
    return found


def parts_on_location(
    uow_factory: UnitOfWorkFactory,
    location_id: int | None,
    after: BrowseCursor | None = None,
    limit: int = PAGE_SIZE,
    *,
    with_analogs: bool = True,
) -> PartsPage:
    """Parts with stock on *location_id* or on any place inside it, in article order, *limit* at a time.

    *location_id* None pages through the whole catalog (stocked or not, withdrawn parts left out). On a place,
    withdrawn parts that still lie there are listed too: they are on the shelf all the same.
    """

    def work(uow: UnitOfWork) -> PartsPage:
        statement = select(Part.id, Part.article_key, Part.brand_key)
        if location_id is None:
            statement = statement.where(Part.active)
        else:
            places = place_subtree(uow, location_id)
            statement = statement.where(
                exists().where(
                    and_(StockBalance.part_id == Part.id, StockBalance.location_id.in_(places),
                         StockBalance.quantity > 0)
                )
            )  # fmt: skip
        if after is not None:
            statement = statement.where(tuple_(Part.article_key, Part.brand_key) > (after.article_key, after.brand_key))
        rows = uow.session.execute(statement.order_by(Part.article_key, Part.brand_key).limit(limit)).all()
        hits = load_hits(uow, {row.id: "place" for row in rows}, with_analogs=with_analogs,
                         include_inactive=location_id is not None)  # fmt: skip
        cursor = BrowseCursor(rows[-1].article_key, rows[-1].brand_key) if len(rows) == limit else None
        return PartsPage(hits, cursor)

    return run_in_transaction(uow_factory, work, read_only=True)


def search_on_location(
    uow_factory: UnitOfWorkFactory, text: str, location_id: int | None, limit: int = 50
) -> list[PartHit]:
    """search_parts() (see part_search) narrowed to the parts with stock on *location_id* or inside it."""

    def work(uow: UnitOfWork) -> list[PartHit]:
        if location_id is None:
            return find_parts(uow, text, limit=limit)
        places = set(place_subtree(uow, location_id))
        window = find_parts(uow, text, limit=PLACE_SEARCH_WINDOW, with_analogs=False, include_inactive=True)
        kept = [hit for hit in window if any(place.location_id in places for place in hit.places)][:limit]
        return load_hits(uow, {hit.part_id: hit.match for hit in kept}, include_inactive=True)

    return run_in_transaction(uow_factory, work, read_only=True)


def part_hit(uow_factory: UnitOfWorkFactory, part_id: int) -> PartHit | None:
    """One part as a search shows it (withdrawn or not), or None when it is gone."""

    def work(uow: UnitOfWork) -> PartHit | None:
        hits = load_hits(uow, {part_id: "id"}, include_inactive=True)
        return hits[0] if hits else None

    return run_in_transaction(uow_factory, work, read_only=True)
