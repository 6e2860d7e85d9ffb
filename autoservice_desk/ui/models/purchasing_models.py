"""Purchase orders and special orders as paged Qt table models, newest first."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from autoservice_desk.formatting import format_date, format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services import purchasing, special_orders
from autoservice_desk.services.numbering import format_number as document_number
from autoservice_desk.services.purchasing import PurchaseOrderSummary, list_purchase_orders
from autoservice_desk.services.special_orders import SpecialOrderInfo, list_special_orders
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.models.paged import PagedTableModel

PAGE_SIZE = 100
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def order_number(year: int, number: int) -> str:
    return document_number(_(purchasing.NUMBER_PREFIX), year, number)


def order_status_text(status: str) -> str:
    return _(purchasing.STATUSES.get(status, status))


class OrderColumn(IntEnum):
    NUMBER = 0
    SUPPLIER = 1
    STATUS = 2
    DATE = 3
    EXPECTED = 4
    LINES = 5


ORDER_HEADERS = {
    OrderColumn.NUMBER: N_("Number"), OrderColumn.SUPPLIER: N_("Supplier"), OrderColumn.STATUS: N_("Status"),
    OrderColumn.DATE: N_("Date"), OrderColumn.EXPECTED: N_("Expected"), OrderColumn.LINES: N_("Lines"),
}  # fmt: skip


class PurchaseOrderListModel(PagedTableModel[PurchaseOrderSummary, int]):
    """Every purchase order, or those of `set_statuses`; the cursor is the last id read."""

    columns = OrderColumn
    headers = ORDER_HEADERS

    def __init__(self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(runner, parent)
        self._uow_factory = uow_factory
        self._page_size = page_size

    def set_statuses(self, statuses: tuple[str, ...] | None) -> None:
        """Read from the first page, only orders in *statuses* (None: all)."""
        uow_factory, size = self._uow_factory, self._page_size

        def read(before: int | None) -> tuple[list[PurchaseOrderSummary], int | None]:
            rows = list_purchase_orders(uow_factory, statuses=statuses, before_id=before, limit=size)
            return rows, rows[-1].id if len(rows) == size else None

        self.set_reader(read)

    def cells(self, row: PurchaseOrderSummary) -> tuple[str, ...]:
        """PagedTableModel override: the row's texts."""
        return (
            order_number(row.year, row.number), row.supplier_name, order_status_text(row.status),
            format_date(row.order_date), format_date(row.expected_date) if row.expected_date else "",
            str(row.line_count),
        )  # fmt: skip

    def extra_data(self, row: PurchaseOrderSummary, column: int, role: int) -> Any:
        """PagedTableModel override: the line count aligned right."""
        if role == Qt.ItemDataRole.TextAlignmentRole and column == OrderColumn.LINES:
            return RIGHT
        return None

    def row_of(self, order_id: int) -> int | None:
        return next((number for number, row in enumerate(self._rows) if row.id == order_id), None)


class SpecialColumn(IntEnum):
    PART = 0
    CLIENT = 1
    QUANTITY = 2
    STATUS = 3
    CREATED = 4


SPECIAL_HEADERS = {
    SpecialColumn.PART: N_("Part"), SpecialColumn.CLIENT: N_("For"), SpecialColumn.QUANTITY: N_("Quantity"),
    SpecialColumn.STATUS: N_("Status"), SpecialColumn.CREATED: N_("Created"),
}  # fmt: skip


def special_for(row: SpecialOrderInfo) -> str:
    if row.client_id is not None:
        return _("client #{id}").format(id=row.client_id)
    if row.work_order_id is not None:
        return _("work order #{id}").format(id=row.work_order_id)
    return ""


class SpecialOrderListModel(PagedTableModel[SpecialOrderInfo, int]):
    """Special orders, or those of `set_statuses`; the cursor is the last id read."""

    columns = SpecialColumn
    headers = SPECIAL_HEADERS

    def __init__(self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(runner, parent)
        self._uow_factory = uow_factory
        self._page_size = page_size

    def set_statuses(self, statuses: tuple[str, ...] | None) -> None:
        uow_factory, size = self._uow_factory, self._page_size

        def read(before: int | None) -> tuple[list[SpecialOrderInfo], int | None]:
            rows = list_special_orders(uow_factory, statuses=statuses, before_id=before, limit=size)
            return rows, rows[-1].id if len(rows) == size else None

        self.set_reader(read)

    def cells(self, row: SpecialOrderInfo) -> tuple[str, ...]:
        """PagedTableModel override: the row's texts."""
        part = " ".join(filter(None, (row.article, row.brand, row.name)))
        status = _(special_orders.STATUSES.get(row.status, row.status))
        return part, special_for(row), format_number(row.quantity), status, format_date(row.created_at.date())

    def extra_data(self, row: SpecialOrderInfo, column: int, role: int) -> Any:
        """PagedTableModel override: the quantity aligned right."""
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SpecialColumn.QUANTITY:
            return RIGHT
        return None
