"""A table-model base whose columns come from an IntEnum with translatable titles (every list uses one)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from autoservice_desk.i18n import _

ModelIndex = QModelIndex | QPersistentModelIndex


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
