"""The work-order list as a Qt table model: filtered, searched, sorted by the service, paged in."""

from __future__ import annotations

from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import N_
from autoservice_desk.services.work_order_board import WorkOrderFilter, WorkOrderRow, list_work_orders
from autoservice_desk.ui.models.paged import ZonedPagedModel
from autoservice_desk.ui.models.rows import RIGHT

WORK_ORDER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_COLOR = QColor("#b00020")


class WorkOrderColumn(IntEnum):
    NUMBER = 0
    STATUS = 1
    CLIENT = 2
    CAR = 3
    PLATE = 4
    OPENED = 5
    PROMISED = 6
    MECHANICS = 7
    ADVISOR = 8
    TOTAL = 9


HEADERS = {
    WorkOrderColumn.NUMBER: N_("Number"),
    WorkOrderColumn.STATUS: N_("Status"),
    WorkOrderColumn.CLIENT: N_("Client"),
    WorkOrderColumn.CAR: N_("Car"),
    WorkOrderColumn.PLATE: N_("Plate"),
    WorkOrderColumn.OPENED: N_("Opened"),
    WorkOrderColumn.PROMISED: N_("Promised"),
    WorkOrderColumn.MECHANICS: N_("Mechanics"),
    WorkOrderColumn.ADVISOR: N_("Advisor"),
    WorkOrderColumn.TOTAL: N_("Total"),
}
# The columns the service can sort by, and its name for each.
SORTS = {
    WorkOrderColumn.NUMBER: "number", WorkOrderColumn.CLIENT: "client", WorkOrderColumn.OPENED: "opened",
    WorkOrderColumn.PROMISED: "planned",
}  # fmt: skip


def row_cells(row: WorkOrderRow, zone: ZoneInfo) -> tuple[str, ...]:
    promised = f"{row.planned_at.astimezone(zone):%d.%m %H:%M}" if row.planned_at else ""
    return (
        row.number, row.status.label, row.client_name, row.car, row.plate,
        f"{row.opened_at.astimezone(zone):%d.%m.%Y %H:%M}", promised, ", ".join(row.mechanic_names),
        row.advisor_name, format_number(row.total, 2),
    )  # fmt: skip


class WorkOrderListModel(ZonedPagedModel[WorkOrderRow, int]):
    """`set_filter` shows the orders matching a WorkOrderFilter; `sort` asks the service for another order."""

    columns = WorkOrderColumn
    headers = HEADERS
    # Until `set_filter` and `sort` choose otherwise: every order, the newest opened first.
    chosen = WorkOrderFilter()
    sort_key = "opened"
    descending = True

    def set_filter(self, chosen: WorkOrderFilter) -> None:
        """Read from the first page with this filter and the current sort."""
        self.chosen = chosen
        uow_factory, size, sort_key, descending = self._uow_factory, self._page_size, self.sort_key, self.descending

        def read(offset: int | None) -> tuple[list[WorkOrderRow], int | None]:
            start = offset or 0
            rows = list_work_orders(uow_factory, chosen, sort=sort_key, descending=descending, offset=start,
                                    limit=size)  # fmt: skip
            return rows, start + size if len(rows) == size else None

        self.set_reader(read)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt override: sort by number, client, opening or promised time (the service sorts; others are ignored)."""
        key = SORTS.get(WorkOrderColumn(column)) if 0 <= column < len(WorkOrderColumn) else None
        if key is None:
            return
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        self.set_filter(self.chosen)

    def cells(self, row: WorkOrderRow) -> tuple[str, ...]:
        """PagedTableModel override: the row's texts, formatted once when the page arrives."""
        return row_cells(row, self._zone)

    def extra_data(self, row: WorkOrderRow, column: int, role: int) -> Any:
        """PagedTableModel override: the id, the total aligned right, overdue orders in red."""
        if role == WORK_ORDER_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == WorkOrderColumn.TOTAL:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return OVERDUE_COLOR
        return None

    def work_order_id(self, row: int) -> int:
        return self.row(row).id
