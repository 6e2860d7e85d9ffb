"""A part's movement history, newest first, paged in as the list scrolls."""

from __future__ import annotations

from datetime import tzinfo
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from autoservice_desk.formatting import format_datetime, format_money
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.stock_forms import kind_label, quantity_text
from autoservice_desk.services.stock_queries import MoveInfo, part_moves
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.models.paged import PAGE_SIZE, ServicePagedModel, pages_before_id

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
INCOMING = QColor("#1b7f3a")
OUTGOING = QColor("#b00020")


class MoveColumn(IntEnum):
    WHEN = 0
    DOCUMENT = 1  # its number tells the kind (GR-, GI-, ...); the tooltip names it
    PLACE = 2
    QUANTITY = 3
    COST = 4


HEADERS = {
    MoveColumn.WHEN: N_("When"), MoveColumn.DOCUMENT: N_("Document"), MoveColumn.PLACE: N_("Place"),
    MoveColumn.QUANTITY: N_("Quantity"), MoveColumn.COST: N_("Unit cost"),
}  # fmt: skip
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class PartMovesModel(ServicePagedModel[MoveInfo, int]):
    """`show_part(id)` lists that part's moves (None: nothing); + comes in (green), − goes out (red)."""

    columns = MoveColumn
    headers = HEADERS

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, zone: tzinfo | str,
        page_size: int = PAGE_SIZE, parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(uow_factory, runner, page_size, parent)
        self._zone = zone
        self.part_id: int | None = None

    def show_part(self, part_id: int | None) -> None:
        self.part_id = part_id
        if part_id is None:
            self.set_reader(None)
            return
        uow_factory = self._uow_factory

        def read(before: int | None, limit: int) -> list[MoveInfo]:
            return part_moves(uow_factory, part_id, before, limit)

        self.set_reader(pages_before_id(read, self._page_size))

    def cells(self, row: MoveInfo) -> tuple[str, ...]:
        document = _("{number} (reversal)").format(number=row.display_number) if row.reversal else row.display_number
        sign = "+" if row.quantity > 0 else ""
        return (
            format_datetime(row.moved_at, self._zone), document, row.location_name, sign + quantity_text(row.quantity),
            format_money(row.unit_cost),
        )  # fmt: skip

    def tooltip(self, row: MoveInfo, column: int) -> str | None:
        """The kind of document over its number ("Goods receipt GR-2026-000012")."""
        if column != MoveColumn.DOCUMENT:
            return None
        kind = kind_label(row.kind)
        if row.reversal:
            kind = _("{kind}, reversal").format(kind=kind)
        return f"{kind} {row.display_number}"

    def extra_data(self, row: MoveInfo, column: int, role: int) -> Any:
        """The document id; quantities and costs aligned right, coming in green and going out red."""
        if role == DOCUMENT_ID_ROLE:
            return row.document_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (MoveColumn.QUANTITY, MoveColumn.COST):
            return int(RIGHT.value)
        if role == Qt.ItemDataRole.ForegroundRole and column == MoveColumn.QUANTITY:
            return QBrush(INCOMING if row.quantity > 0 else OUTGOING)
        return None
