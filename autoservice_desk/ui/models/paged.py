"""A table model that reads its rows a page at a time in the background through a reader function."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, Signal

from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner, OperationHandle, OperationState
from autoservice_desk.ui.models.columns import CellsModel, ModelIndex

PAGE_SIZE = 100
RowT = TypeVar("RowT")
CursorT = TypeVar("CursorT")
# Reads the page after a cursor (None: the first page) on a worker thread: (rows, the next cursor or None).
PageReader = Callable[[CursorT | None], tuple[list[RowT], CursorT | None]]


def pages_before_id(
    read: Callable[[int | None, int], list[RowT]], size: int, last_id: Callable[[RowT], int] = attrgetter("id"),
) -> PageReader[int, RowT]:  # fmt: skip
    """A reader over a service that lists *size* rows before an id (`read(before, size)`, newest first).

    The next page starts before the last row's id; a page shorter than *size* is the last.
    """

    def reader(before: int | None) -> tuple[list[RowT], int | None]:
        rows = read(before, size)
        return rows, last_id(rows[-1]) if len(rows) == size else None

    return reader


class PagedTableModel(CellsModel[RowT], Generic[RowT, CursorT]):
    """Rows come from `set_reader(reader)`; a new reader (or `reload`) drops every answer to the old one.

    Subclasses give `cells(row)` (the display texts, one per column) and may add roles in `extra_data`.
    A reader given to the constructor is read only when a view (or `reload`) first asks for rows.
    """

    loading_changed = Signal(bool)
    loading_failed = Signal(object)  # a DomainError

    def __init__(
        self, runner: BackgroundRunner, parent: QObject | None = None, reader: PageReader[CursorT, RowT] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        self._reader = reader
        self._cursor: CursorT | None = None
        self._exhausted = reader is None
        self._failed = False  # stop the view from retrying a failing read in a loop; `reload` clears it
        self._generation = 0  # answers to reads started before a reload are dropped
        self._paging: OperationHandle | None = None

    @property
    def loading(self) -> bool:
        return self._paging is not None

    @property
    def more_to_read(self) -> bool:
        """Whether pages remain after those read (false once the last one came, or a read failed)."""
        return self._reader is not None and not self._exhausted and not self._failed

    # --- Qt overrides ---------------------------------------------------------------------------------------

    def canFetchMore(self, parent: ModelIndex) -> bool:
        """Qt override: more rows remain unless the last page was the last."""
        return not parent.isValid() and not self._exhausted and not self._failed and self._paging is None

    def fetchMore(self, parent: ModelIndex) -> None:
        """Qt override: read the next page in the background; its rows are appended when it arrives."""
        if not self.canFetchMore(parent) or self._reader is None:
            return
        generation, reader, after = self._generation, self._reader, self._cursor

        def work(state: OperationState) -> tuple[list[RowT], CursorT | None]:
            return reader(after)

        self._paging = self._runner.run(
            work, lambda page: self._on_page_read(generation, page),
            lambda error: self._on_read_failed(generation, error),
        )  # fmt: skip
        self.loading_changed.emit(True)

    # --- readers --------------------------------------------------------------------------------------------

    def set_reader(self, reader: PageReader[CursorT, RowT] | None) -> None:
        """Show what *reader* reads, from its first page (nothing at all for None)."""
        self._reader = reader
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        if self._paging is not None:
            self._paging.cancel()
            self._paging = None
            self.loading_changed.emit(False)
        self.beginResetModel()
        self._rows, self._cells, self._cursor = [], [], None
        self._exhausted = self._reader is None
        self._failed = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def _on_page_read(self, generation: int, page: tuple[list[RowT], CursorT | None]) -> None:
        if generation != self._generation:
            return  # an answer for a reader the person has already moved past
        rows, cursor = page
        self._cursor = cursor
        self._exhausted = cursor is None
        # Still "loading" while the rows go in: a view or tester asking for more now gets nothing twice.
        self._insert_rows(len(self._rows), rows)
        self._paging = None
        self.loading_changed.emit(self.loading)

    def _on_read_failed(self, generation: int, error: DomainError) -> None:
        if generation != self._generation:
            return
        self._paging = None
        self._failed = True
        self.loading_changed.emit(False)
        self.loading_failed.emit(error)


class ServicePagedModel(PagedTableModel[RowT, CursorT]):
    """A paged list that a service reads through the unit-of-work factory, *page_size* rows a page."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, page_size: int = PAGE_SIZE,
        parent: QObject | None = None, reader: PageReader[CursorT, RowT] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(runner, parent, reader)
        self._uow_factory = uow_factory
        self._page_size = page_size


class ZonedPagedModel(ServicePagedModel[RowT, CursorT]):
    """A service-read paged list whose times are shown in the shop's time zone."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, zone: ZoneInfo, page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(uow_factory, runner, page_size, parent)
        self._zone = zone
