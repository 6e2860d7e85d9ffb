"""A small read-only table of ready-made texts: titles given per table, an optional bold totals line at the end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from autoservice_desk.i18n import _
from autoservice_desk.ui.models.columns import ModelIndex

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class TextTableModel(QAbstractTableModel):
    """`set_rows(headers, rows, keys, totals)`: *headers* are N_() titles, *numeric* the right-aligned columns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[tuple[str, ...]] = []
        self._keys: list[Any] = []
        self._totals: tuple[str, ...] | None = None
        self._numeric: frozenset[int] = frozenset()

    def set_rows(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], keys: Sequence[Any] | None = None,
        totals: Sequence[str] | None = None, numeric: Sequence[int] = (),
    ) -> None:  # fmt: skip
        """Show *rows* (each one text per header); *keys* (one per row) come back from `key`."""
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = [tuple(row) for row in rows]
        self._keys = list(keys) if keys is not None else [None] * len(self._rows)
        self._totals = tuple(totals) if totals is not None else None
        self._numeric = frozenset(numeric)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows(self._headers, [])

    @property
    def row_count(self) -> int:
        """The data rows, without the totals line."""
        return len(self._rows)

    def key(self, row: int) -> Any:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def row_of(self, key: Any) -> int | None:
        return next((number for number, held in enumerate(self._keys) if held == key), None)

    def texts(self, row: int) -> tuple[str, ...]:
        """The texts of *row*; the row after the last data row is the totals line."""
        return self._rows[row] if row < len(self._rows) else self._totals or ()

    def headers(self) -> list[str]:
        return [_(title) for title in self._headers]

    def totals(self) -> tuple[str, ...] | None:
        return self._totals

    # --- Qt overrides ---------------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: the data rows and the totals line."""
        return 0 if parent.isValid() else len(self._rows) + (1 if self._totals is not None else 0)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: one column per title."""
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the titles, translated when asked."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self._headers):
                return _(self._headers[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the texts, numbers right-aligned, the totals line bold."""
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        texts = self.texts(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return texts[index.column()] if index.column() < len(texts) else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
        if role == Qt.ItemDataRole.FontRole and index.row() >= len(self._rows):
            font = QFont()
            font.setBold(True)
            return font
        if role == KEY_ROLE:
            return self.key(index.row())
        return None
