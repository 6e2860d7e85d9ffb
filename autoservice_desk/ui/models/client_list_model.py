"""The client list as a Qt table model: every client by name, or what the search finds, paged in as it scrolls."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.client_list import ListCursor, list_clients
from autoservice_desk.services.client_search import ClientHit, SearchCursor, search_clients
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.identity import format_phone
from autoservice_desk.services.search_terms import MatchKind
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner, OperationHandle, OperationState
from autoservice_desk.ui.models.columns import EnumColumnsModel, ModelIndex

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
Page = tuple[list[ClientHit], ListCursor | SearchCursor | None]


def _cells(hit: ClientHit) -> tuple[str, ...]:
    cars = ", ".join(hit.vehicles)
    if hit.vehicle_count > len(hit.vehicles):
        cars += _(" and {count} more").format(count=hit.vehicle_count - len(hit.vehicles))
    matched = f"{_(MATCH_LABELS[hit.matched_kind])}: {hit.matched}" if hit.matched else ""
    return hit.display_name, ", ".join(format_phone(phone) for phone in hit.phones), cars, matched


class ClientListModel(EnumColumnsModel):
    """`set_query("")` lists everyone by name; any other text searches. Old answers for old queries are dropped."""

    columns = ClientColumn
    headers = HEADERS

    loading_changed = Signal(bool)
    loading_failed = Signal(object)  # a DomainError

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._uow_factory = uow_factory
        self._runner = runner
        self._page_size = page_size
        self._query = ""
        self._hits: list[ClientHit] = []
        self._cells: list[tuple[str, ...]] = []
        self._cursor: ListCursor | SearchCursor | None = None
        self._exhausted = False
        self._failed = False
        self._generation = 0
        self._paging: OperationHandle | None = None

    @property
    def query(self) -> str:
        return self._query

    @property
    def loading(self) -> bool:
        return self._paging is not None

    @property
    def searching(self) -> bool:
        return len(self._query.strip()) >= MIN_QUERY

    def client_id(self, row: int) -> int:
        return self._hits[row].client_id

    def row_of(self, client_id: int) -> int | None:
        return next((row for row, hit in enumerate(self._hits) if hit.client_id == client_id), None)

    def _read(self, query: str, after: ListCursor | SearchCursor | None) -> Page:
        if len(query.strip()) >= MIN_QUERY:
            hits = search_clients(self._uow_factory, query, self._page_size, after if isinstance(after, SearchCursor)
                                  else None)  # fmt: skip
            return hits, hits[-1].cursor if len(hits) == self._page_size else None
        page = list_clients(self._uow_factory, after if isinstance(after, ListCursor) else None, self._page_size)
        return page.rows, page.next_cursor

    # --- Qt overrides ---------------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: rows read so far."""
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the cell text, the full text as a tooltip, the client id for CLIENT_ID_ROLE."""
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        if role == CLIENT_ID_ROLE:
            return self._hits[index.row()].client_id
        return None

    def canFetchMore(self, parent: ModelIndex) -> bool:
        """Qt override: more rows remain unless the last page was the last."""
        return not parent.isValid() and not self._exhausted and not self._failed and self._paging is None

    def fetchMore(self, parent: ModelIndex) -> None:
        """Qt override: read the next page in the background; its rows are appended when it arrives."""
        if not self.canFetchMore(parent):
            return
        generation, query, after = self._generation, self._query, self._cursor

        def work(state: OperationState) -> Page:
            return self._read(query, after)

        self._paging = self._runner.run(
            work, lambda page: self._on_page_read(generation, page),
            lambda error: self._on_read_failed(generation, error),
        )  # fmt: skip
        self.loading_changed.emit(True)

    # --- queries --------------------------------------------------------------------------------------------

    def set_query(self, query: str) -> None:
        """Show what *query* finds (everyone when it is shorter than two characters), from the first page."""
        self._query = query
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        if self._paging is not None:
            self._paging.cancel()
            self._paging = None
        self.beginResetModel()
        self._hits, self._cells, self._cursor = [], [], None
        self._exhausted = self._failed = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def _on_page_read(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return  # an answer to a query the person has already typed past
        hits, cursor = page
        if hits:
            self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(hits) - 1)
            self._hits.extend(hits)
            self._cells.extend(_cells(hit) for hit in hits)
            self.endInsertRows()
        self._cursor = cursor
        self._exhausted = cursor is None
        self._paging = None
        self.loading_changed.emit(False)

    def _on_read_failed(self, generation: int, error: DomainError) -> None:
        if generation != self._generation:
            return
        self._paging = None
        self._failed = True
        self.loading_changed.emit(False)
        self.loading_failed.emit(error)
