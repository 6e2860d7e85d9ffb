"""The client list as a Qt table model: every client by name, or what the search finds, paged in as it scrolls."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.client_list import ListCursor, list_clients
from autoservice_desk.services.client_search import ClientHit, SearchCursor, search_clients
from autoservice_desk.services.identity import format_phone
from autoservice_desk.services.search_terms import MatchKind
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.models.paged import PageReader, ServicePagedModel

PAGE_SIZE = 100
CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MIN_QUERY = 2


class ClientColumn(IntEnum):
    NAME = 0
    PHONES = 1
    CARS = 2
    MATCHED = 3


HEADERS = {
    ClientColumn.NAME: N_("Client"),
    ClientColumn.PHONES: N_("Phones"),
    ClientColumn.CARS: N_("Cars"),
    ClientColumn.MATCHED: N_("Found by"),
}
MATCH_LABELS = {
    MatchKind.NAME: N_("name"), MatchKind.TAG: N_("tag"), MatchKind.PHONE: N_("phone"), MatchKind.PLATE: N_("plate"),
    MatchKind.VIN: N_("VIN"),
}  # fmt: skip
Cursor = ListCursor | SearchCursor


def _reader(uow_factory: UnitOfWorkFactory, query: str, size: int) -> PageReader[Cursor, ClientHit]:
    """Pages of everyone by name, or of what *query* finds once it is long enough to search by."""

    def read(after: Cursor | None) -> tuple[list[ClientHit], Cursor | None]:
        if len(query.strip()) >= MIN_QUERY:
            hits = search_clients(uow_factory, query, size, after if isinstance(after, SearchCursor) else None)
            return hits, hits[-1].cursor if len(hits) == size else None
        page = list_clients(uow_factory, after if isinstance(after, ListCursor) else None, size)
        return page.rows, page.next_cursor

    return read


class ClientListModel(ServicePagedModel[ClientHit, Cursor]):
    """`set_query("")` lists everyone by name; any other text searches. Old answers for old queries are dropped."""

    columns = ClientColumn
    headers = HEADERS

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(uow_factory, runner, page_size, parent, _reader(uow_factory, "", page_size))
        self._query = ""

    @property
    def query(self) -> str:
        return self._query

    @property
    def searching(self) -> bool:
        return len(self._query.strip()) >= MIN_QUERY

    def client_id(self, row: int) -> int:
        return self.row(row).client_id

    def row_of(self, client_id: int) -> int | None:
        return next((row for row, hit in enumerate(self._rows) if hit.client_id == client_id), None)

    def cells(self, row: ClientHit) -> tuple[str, ...]:
        """PagedTableModel override: the row's texts, formatted once when the page arrives."""
        cars = ", ".join(row.vehicles)
        if row.vehicle_count > len(row.vehicles):
            cars += _(" and {count} more").format(count=row.vehicle_count - len(row.vehicles))
        matched = f"{_(MATCH_LABELS[row.matched_kind])}: {row.matched}" if row.matched else ""
        return row.display_name, ", ".join(format_phone(phone) for phone in row.phones), cars, matched

    def extra_data(self, row: ClientHit, column: int, role: int) -> Any:
        """PagedTableModel override: the client id for CLIENT_ID_ROLE."""
        return row.client_id if role == CLIENT_ID_ROLE else None

    def set_query(self, query: str) -> None:
        """Show what *query* finds (everyone when it is shorter than two characters), from the first page."""
        self._query = query
        self.set_reader(_reader(self._uow_factory, query, self._page_size))
