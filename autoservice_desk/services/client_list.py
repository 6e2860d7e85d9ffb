"""The client list when nothing is typed: every client in name order, a page at a time by keyset."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Client
from autoservice_desk.services.client_search import MAX_LIMIT, VEHICLES_SHOWN, ClientHit, load_cards
from autoservice_desk.services.search_terms import MatchKind
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


@dataclass(frozen=True)
class ListCursor:
    """Where a page of the name-ordered list ended."""

    sort_key: str
    client_id: int


@dataclass(frozen=True)
class ListPage:
    rows: list[ClientHit]
    next_cursor: ListCursor | None  # None on the last page


def list_clients(uow_factory: UnitOfWorkFactory, after: ListCursor | None = None, limit: int = 100) -> ListPage:
    """One page of live clients (not merged away) ordered by name; a page is one index range read.

    Keyset paging on (sort_key, id) costs the same on page 1 and page 10,000, which an OFFSET would not.
    """
    limit = max(1, min(limit, MAX_LIMIT))

    def work(uow: UnitOfWork) -> ListPage:
        statement = (
            select(Client.id, Client.sort_key)
            .where(Client.merged_into_id.is_(None))
            .order_by(Client.sort_key, Client.id)
            .limit(limit)
        )
        if after is not None:
            statement = statement.where(
                or_(
                    Client.sort_key > after.sort_key,
                    and_(Client.sort_key == after.sort_key, Client.id > after.client_id),
                )
            )
        keys = uow.session.execute(statement).all()
        cards = load_cards(uow.session.connection(), [row.id for row in keys])
        rows = [
            ClientHit(
                client_id=row.id,
                display_name=(card := cards[row.id]).display_name or _("Client #{id}").format(id=row.id),
                phones=tuple(card.phones),
                vehicles=tuple(label for _id, label, _plate, _vin in card.vehicles[:VEHICLES_SHOWN]),
                matched="",
                matched_kind=MatchKind.NAME,
                rank=0,
                cursor=None,
                vehicle_count=len(card.vehicles),
            )  # fmt: skip
            for row in keys
            if row.id in cards
        ]
        last = keys[-1] if len(keys) == limit else None
        return ListPage(rows, ListCursor(last.sort_key, last.id) if last else None)

    return run_in_transaction(uow_factory, work, read_only=True)
