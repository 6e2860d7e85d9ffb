"""Table-model bases: columns from an IntEnum with translatable titles, and rows kept with their texts."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from autoservice_desk.i18n import _

ModelIndex = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")


class EnumColumnsModel(QAbstractTableModel):
    """Subclasses set `columns` (an IntEnum) and `headers` (column → N_() title); rows are theirs to keep."""

    columns: ClassVar[type[IntEnum]]
    headers: ClassVar[dict[Any, str]]

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: one column per enum member."""
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the column titles, translated when asked (so a language switch needs no rebuild)."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.columns):
                return _(self.headers[self.columns(section)])
        return None


class CellsModel(EnumColumnsModel, Generic[RowT]):
    """Rows kept with their texts, formatted once as they come in (not on every repaint).

    Subclasses give `cells(row)` (one text per column) and may give tooltips and further roles.
    """

    # Whether a cell without a tooltip of its own shows its text as one (long texts are clipped in the view).
    cell_tooltips: ClassVar[bool] = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []
        self._cells: list[tuple[str, ...]] = []

    @property
    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row(self, number: int) -> RowT:
        return self._rows[number]

    def cells(self, row: RowT) -> tuple[str, ...]:
        raise NotImplementedError

    def tooltip(self, row: RowT, column: int) -> str | None:
        """The tooltip of a cell; None: the cell's own text (or none at all, without `cell_tooltips`)."""
        return None

    def extra_data(self, row: RowT, column: int, role: int) -> Any:
        """Roles other than the display text and tooltip; None by default."""
        return None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: one table row per row held."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the cell text, its tooltip, and whatever `extra_data` gives for other roles."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tooltip(self._rows[index.row()], index.column())
            if tip is not None or not self.cell_tooltips:
                return tip
            return self._cells[index.row()][index.column()]
        return self.extra_data(self._rows[index.row()], index.column(), role)

    def _insert_rows(self, position: int, rows: list[RowT]) -> None:
        """Put *rows* in at *position*, their cells formatted once here."""
        if rows:
            self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
            self._rows[position:position] = rows
            self._cells[position:position] = [self.cells(row) for row in rows]
            self.endInsertRows()
