"""The warehouse's parts list: what a search finds or what lies on a place, with stock, price and places."""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from autoservice_desk.formatting import format_money
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.part_forms import unit_label
from autoservice_desk.services.part_search import PartHit, PlaceStock
from autoservice_desk.services.stock_browse import BrowseCursor
from autoservice_desk.services.stock_forms import quantity_text
from autoservice_desk.ui.models.paged import PagedTableModel

PART_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PLACES_SHOWN = 3  # more places than this are summed up as "+N"
MUTED = QColor("#808080")
SHORT = QColor("#b00020")


class PartColumn(IntEnum):
    ARTICLE = 0
    BRAND = 1
    NAME = 2
    ON_HAND = 3
    RESERVED = 4
    AVAILABLE = 5
    UNIT = 6
    PRICE = 7
    PLACES = 8


HEADERS = {
    PartColumn.ARTICLE: N_("Article"), PartColumn.BRAND: N_("Brand"), PartColumn.NAME: N_("Name"),
    PartColumn.ON_HAND: N_("On hand"), PartColumn.RESERVED: N_("Reserved"), PartColumn.AVAILABLE: N_("Available"),
    PartColumn.UNIT: N_("Unit"), PartColumn.PRICE: N_("Price"), PartColumn.PLACES: N_("Places"),
}  # fmt: skip
NUMERIC = frozenset({PartColumn.ON_HAND, PartColumn.RESERVED, PartColumn.AVAILABLE, PartColumn.PRICE})
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def price_text(price: Decimal | None) -> str:
    return format_money(price) if price is not None else "—"


def places_text(places: tuple[PlaceStock, ...]) -> str:
    """`A-01-1: 5, B-02: 3 +2` — the first few places with their quantities."""
    shown = ", ".join(f"{place.code or place.name}: {quantity_text(place.on_hand)}" for place in places[:PLACES_SHOWN])
    if len(places) > PLACES_SHOWN:
        shown += " " + _("+{count}").format(count=len(places) - PLACES_SHOWN)
    return shown


class StockPartsModel(PagedTableModel[PartHit, BrowseCursor]):
    """One row per part; withdrawn parts greyed, parts with nothing available marked in the Available column."""

    columns = PartColumn
    headers = HEADERS

    def cells(self, row: PartHit) -> tuple[str, ...]:
        name = row.name if row.active else _("{name} (withdrawn)").format(name=row.name)
        return (
            row.article, row.brand, name, quantity_text(row.on_hand), quantity_text(row.reserved),
            quantity_text(row.available), unit_label(row.unit), price_text(row.price), places_text(row.places),
        )  # fmt: skip

    def extra_data(self, row: PartHit, column: int, role: int) -> Any:
        """The part id, numbers aligned right, withdrawn parts grey, nothing available in red."""
        if role == PART_ID_ROLE:
            return row.part_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(RIGHT.value)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.active:
                return QBrush(MUTED)
            if column == PartColumn.AVAILABLE and row.available <= 0:
                return QBrush(SHORT)
        return None

    def part_id(self, row: int) -> int:
        return self.row(row).part_id

    def row_of(self, part_id: int) -> int | None:
        return next((index for index, hit in enumerate(self._rows) if hit.part_id == part_id), None)
