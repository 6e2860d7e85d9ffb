"""A read-only Qt table over a short list of frozen rows, read whole and replaced: the base of the small lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from autoservice_desk.ui.models.columns import CellsModel, ModelIndex

RowT = TypeVar("RowT")
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


class RowsModel(CellsModel[RowT]):
    """Subclasses give `cells` (the texts, computed once per `set_rows`) and may colour rows or pick the id role.

    Rows without an id set `id_role` to None; other roles come from `extra_data`.
    """

    numeric: ClassVar[frozenset[int]] = frozenset()
    id_role: ClassVar[int | None] = ROW_ID_ROLE

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [self.cells(row) for row in self._rows]
        self.endResetModel()

    def row_id(self, row: RowT) -> int:
        return int(getattr(row, "id"))  # noqa: B009 - most row types have an id; the others override this

    def colour(self, row: RowT) -> QColor | None:
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the texts, numbers right-aligned, a colour for rows that need attention, the row's id."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.colour(self._rows[index.row()])
        if self.id_role is not None and role == self.id_role:
            return self.row_id(self._rows[index.row()])
        return super().data(index, role)
