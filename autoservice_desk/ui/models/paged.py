"""A table model that reads its rows a page at a time in the background through a reader function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from autoservice_desk.services.errors import DomainError
from autoservice_desk.ui.background import BackgroundRunner, OperationHandle, OperationState
from autoservice_desk.ui.models.columns import EnumColumnsModel, ModelIndex

RowT = TypeVar("RowT")
CursorT = TypeVar("CursorT")
# Reads the page after a cursor (None: the first page) on a worker thread: (rows, the next cursor or None).
PageReader = Callable[[CursorT | None], tuple[list[RowT], CursorT | None]]


class PagedTableModel(EnumColumnsModel, Generic[RowT, CursorT]):
    """Rows come from `set_reader(reader)`; a new reader (or `reload`) drops every answer to the old one.

    Subclasses give `cells(row)` (the display texts, one per column) and may add roles in `extra_data`.
    """

    loading_changed = Signal(bool)
    loading_failed = Signal(object)  # a DomainError

    def __init__(self, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._reader: PageReader[CursorT, RowT] | None = None
        self._rows: list[RowT] = []
        self._cells: list[tuple[str, ...]] = []
        self._cursor: CursorT | None = None
        self._exhausted = True
        self._failed = False
        self._generation = 0
        self._paging: OperationHandle | None = None

    @property
    def loading(self) -> bool:
        return self._paging is not None

    @property
    def more_to_read(self) -> bool:
        """Whether pages remain after those read (false once the last one came, or a read failed)."""
        return self._reader is not None and not self._exhausted and not self._failed

    @property
    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row(self, row: int) -> RowT:
        return self._rows[row]

    def cells(self, row: RowT) -> tuple[str, ...]:
        raise NotImplementedError

    def tooltip(self, row: RowT, column: int) -> str | None:
        """The tooltip of a cell; None: the cell's own text."""
        return None

    def extra_data(self, row: RowT, column: int, role: int) -> Any:
        """Roles other than the display text and tooltip; None by default."""
        return None

    # --- Qt overrides ---------------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: rows read so far."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the cell text, its tooltip, and whatever `extra_data` gives for other roles."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tooltip(self._rows[index.row()], index.column())
            return tip if tip is not None else self._cells[index.row()][index.column()]
        return self.extra_data(self._rows[index.row()], index.column(), role)

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
        if rows:  # still "loading" while the rows go in: a view or tester asking for more now gets nothing twice
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self._cells.extend(self.cells(row) for row in rows)
            self.endInsertRows()
        self._paging = None
        self.loading_changed.emit(False)

    def _on_read_failed(self, generation: int, error: DomainError) -> None:
        if generation != self._generation:
            return
        self._paging = None
        self._failed = True
        self.loading_changed.emit(False)
        self.loading_failed.emit(error)
