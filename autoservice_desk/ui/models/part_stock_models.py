"""Two short lists about the chosen part: its stock place by place, and its analogs that are in stock."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

from autoservice_desk.i18n import N_
from autoservice_desk.services.part_forms import unit_label
from autoservice_desk.services.part_search import AnalogHit
from autoservice_desk.services.stock_forms import quantity_text
from autoservice_desk.services.stock_queries import BalanceInfo
from autoservice_desk.ui.models.rows import RowsModel
from autoservice_desk.ui.models.stock_parts_model import PART_ID_ROLE, price_text

LOCATION_ID_ROLE = Qt.ItemDataRole.UserRole + 2


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
    id_role = PART_ID_ROLE

    def cells(self, row: AnalogHit) -> tuple[str, ...]:
        available = f"{quantity_text(row.available)} {unit_label(row.unit)}"
        return row.article, row.brand, row.name, available, price_text(row.price)

    def row_id(self, row: AnalogHit) -> int:
        return row.part_id
