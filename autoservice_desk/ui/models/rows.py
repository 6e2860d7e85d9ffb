"""A read-only Qt table over a short list of frozen rows, read whole and replaced: the base of the small lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from autoservice_desk.ui.models.columns import EnumColumnsModel, ModelIndex

RowT = TypeVar("RowT")
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


class RowsModel(EnumColumnsModel, Generic[RowT]):
    """Subclasses give `cells` (the texts, computed once per `set_rows`) and may colour rows or pick the id role."""

    numeric: ClassVar[frozenset[int]] = frozenset()
    id_role: ClassVar[int] = ROW_ID_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []
        self._cells: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [self.cells(row) for row in self._rows]
        self.endResetModel()

    @property
    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row(self, number: int) -> RowT:
        return self._rows[number]

    def cells(self, row: RowT) -> tuple[str, ...]:
        raise NotImplementedError

    def row_id(self, row: RowT) -> int:
        return int(getattr(row, "id"))  # noqa: B009 - most row types have an id; the others override this

    def colour(self, row: RowT) -> QColor | None:
        return None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: one table row per row."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the texts, numbers right-aligned, a colour for rows that need attention, the row's id."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.colour(self._rows[index.row()])
        if role == self.id_role:
            return self.row_id(self._rows[index.row()])
        return None
