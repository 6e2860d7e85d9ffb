"""Purchase orders and special orders as paged Qt table models, newest first."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any, TypeVar

from PySide6.QtCore import Qt

from autoservice_desk.formatting import format_date, format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services import purchasing, special_orders
from autoservice_desk.services.numbering import format_number as document_number
from autoservice_desk.services.purchasing import PurchaseOrderSummary, list_purchase_orders
from autoservice_desk.services.special_orders import SpecialOrderInfo, list_special_orders
from autoservice_desk.ui.models.paged import ServicePagedModel, pages_before_id
from autoservice_desk.ui.models.rows import RIGHT

RowT = TypeVar("RowT")


def order_number(year: int, number: int) -> str:
    return document_number(_(purchasing.NUMBER_PREFIX), year, number)


def order_status_text(status: str) -> str:
    return _(purchasing.STATUSES.get(status, status))


class _ByStatusModel(ServicePagedModel[RowT, int]):
    """A list the Purchasing page narrows by status, newest first; the cursor is the last id read."""

    # The service that lists the rows (`statuses`, `before_id`, `limit`): a staticmethod in each subclass.
    list_rows: Callable[..., list[RowT]]

    def set_statuses(self, statuses: tuple[str, ...] | None) -> None:
        """Read from the first page, only rows in *statuses* (None: all)."""
        uow_factory, list_rows = self._uow_factory, self.list_rows

        def read(before: int | None, limit: int) -> list[RowT]:
            return list_rows(uow_factory, statuses=statuses, before_id=before, limit=limit)

        self.set_reader(pages_before_id(read, self._page_size))


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


class PurchaseOrderListModel(_ByStatusModel[PurchaseOrderSummary]):
    """Every purchase order, or those of `set_statuses`; the cursor is the last id read."""

    columns = OrderColumn
    headers = ORDER_HEADERS
    list_rows = staticmethod(list_purchase_orders)

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


class SpecialOrderListModel(_ByStatusModel[SpecialOrderInfo]):
    """Special orders, or those of `set_statuses`; the cursor is the last id read."""

    columns = SpecialColumn
    headers = SPECIAL_HEADERS
    list_rows = staticmethod(list_special_orders)

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
