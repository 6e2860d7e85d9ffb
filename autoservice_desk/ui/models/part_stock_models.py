"""Two short lists about the chosen part: its stock place by place, and its analogs that are in stock."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QObject, Qt

from autoservice_desk.i18n import N_
from autoservice_desk.services.part_forms import unit_label
from autoservice_desk.services.part_search import AnalogHit
from autoservice_desk.services.stock_forms import quantity_text
from autoservice_desk.services.stock_queries import BalanceInfo
from autoservice_desk.ui.models.columns import EnumColumnsModel, ModelIndex
from autoservice_desk.ui.models.stock_parts_model import PART_ID_ROLE, price_text

LOCATION_ID_ROLE = Qt.ItemDataRole.UserRole + 2
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
RowT = TypeVar("RowT")


class RowsModel(EnumColumnsModel, Generic[RowT]):
    """A short list read whole and replaced by `set_rows`; subclasses give `cells` and the numeric columns."""

    numeric: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> RowT:
        return self._rows[row]

    @property
    def rows(self) -> list[RowT]:
        return list(self._rows)

    def cells(self, row: RowT) -> tuple[str, ...]:
        raise NotImplementedError

    def row_id(self, row: RowT) -> int:
        raise NotImplementedError

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the cell text, numbers aligned right, the row's id for its id role."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric:
            return int(RIGHT.value)
        if role == self.id_role:
            return self.row_id(row)
        return None

    id_role: int = PART_ID_ROLE


class BalanceColumn(IntEnum):
    PLACE = 0
    WAREHOUSE = 1
    ON_HAND = 2
    RESERVED = 3
    AVAILABLE = 4


class BalancesModel(RowsModel[BalanceInfo]):
    """The chosen part's stock on each place that holds some (`part_balances`)."""

    columns = BalanceColumn
    headers = {
        BalanceColumn.PLACE: N_("Place"), BalanceColumn.WAREHOUSE: N_("Warehouse"),
        BalanceColumn.ON_HAND: N_("On hand"), BalanceColumn.RESERVED: N_("Reserved"),
        BalanceColumn.AVAILABLE: N_("Available"),
    }  # fmt: skip
    numeric = frozenset({BalanceColumn.ON_HAND, BalanceColumn.RESERVED, BalanceColumn.AVAILABLE})
    id_role = LOCATION_ID_ROLE

    def cells(self, row: BalanceInfo) -> tuple[str, ...]:
        return (row.location_name, row.warehouse_name, quantity_text(row.quantity), quantity_text(row.reserved),
                quantity_text(row.available))  # fmt: skip

    def row_id(self, row: BalanceInfo) -> int:
        return row.location_id


class AnalogColumn(IntEnum):
    ARTICLE = 0
    BRAND = 1
    NAME = 2
    AVAILABLE = 3
    PRICE = 4


class AnalogsModel(RowsModel[AnalogHit]):
    """Parts interchangeable with the chosen one that are in stock, most available first."""

    columns = AnalogColumn
    headers = {
        AnalogColumn.ARTICLE: N_("Article"), AnalogColumn.BRAND: N_("Brand"), AnalogColumn.NAME: N_("Name"),
        AnalogColumn.AVAILABLE: N_("Available"), AnalogColumn.PRICE: N_("Price"),
    }  # fmt: skip
    numeric = frozenset({AnalogColumn.AVAILABLE, AnalogColumn.PRICE})

    def cells(self, row: AnalogHit) -> tuple[str, ...]:
        available = f"{quantity_text(row.available)} {unit_label(row.unit)}"
        return row.article, row.brand, row.name, available, price_text(row.price)

    def row_id(self, row: AnalogHit) -> int:
        return row.part_id
