"""The Warehouse screen's purchasing tab: suppliers, purchase orders (proposed from minimum stock), special orders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import N_, _, ngettext
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.purchasing import (
    OPEN_STATUSES,
    PurchaseOrderInfo,
    cancel_purchase_order,
    get_purchase_order,
    propose_from_minimum_stock,
    send_purchase_order,
)
from autoservice_desk.services.special_orders import order_special_orders
from autoservice_desk.services.stock_reports import ShortageRow
from autoservice_desk.services.suppliers import SupplierInfo, get_supplier, list_suppliers
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.busy_work import BusyWork, InlineMessage
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.list_table import SelectionMode, set_up_list_table
from autoservice_desk.ui.models.purchasing_models import PurchaseOrderListModel, SpecialOrderListModel, order_number
from autoservice_desk.ui.models.text_table_model import TextTableModel
from autoservice_desk.ui.screens.warehouse.purchasing_dialogs import (
    OrderViewDialog,
    ProposalDialog,
    SupplierChoiceDialog,
    SupplierDialog,
)

SUPPLIER_HEADERS = (N_("Supplier"), N_("INN"), N_("Phone"), N_("Delivery, days"))
Filters = tuple[tuple[str, tuple[str, ...] | None], ...]
ORDER_FILTERS: Filters = ((N_("Open orders"), OPEN_STATUSES), (N_("All orders"), None))
SPECIAL_FILTERS: Filters = (
    (N_("Needed"), ("needed",)),
    (N_("Waiting"), ("needed", "ordered", "arrived")),
    (N_("All"), None),
)


def list_table(model: Any, multi: bool = False) -> QTableView:
    table = set_up_list_table(QTableView(), model, SelectionMode.ExtendedSelection if multi
                              else SelectionMode.SingleSelection)  # fmt: skip
    table.horizontalHeader().setStretchLastSection(True)
    return table


def boxed(title: str, *parts: QWidget | QHBoxLayout) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for part in parts:
        if isinstance(part, QHBoxLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part, 1 if isinstance(part, QTableView) else 0)
    return box


def button_row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


class PurchasingPage(QWidget):
    """Suppliers on the left; purchase orders and special orders on the right; every service call in the background."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None, "purchasing is only offered while connected"
        self.context = context
        self.uow_factory = context.uow_factory
        self.suppliers: list[SupplierInfo] = []
        self.supplier_model = TextTableModel(self)
        self.supplier_model.set_rows(SUPPLIER_HEADERS, [])
        self.orders = PurchaseOrderListModel(context.uow_factory, context.runner, parent=self)
        self.specials = SpecialOrderListModel(context.uow_factory, context.runner, parent=self)
        self.supplier_table = list_table(self.supplier_model)
        self.order_table = list_table(self.orders)
        self.special_table = list_table(self.specials, multi=True)
        self.new_supplier_button = QPushButton(_("New supplier…"))
        self.edit_supplier_button = QPushButton(_("Edit…"))
        self.order_filter = QComboBox()
        for text, statuses in ORDER_FILTERS:
            self.order_filter.addItem(_(text), statuses)
        self.propose_button = QPushButton(_("Propose from minimum stock"))
        self.view_button = QPushButton(_("Open"))
        self.send_button = QPushButton(_("Send"))
        self.cancel_button = QPushButton(_("Cancel order"))
        self.special_filter = QComboBox()
        for text, statuses in SPECIAL_FILTERS:
            self.special_filter.addItem(_(text), statuses)
        self.order_specials_button = QPushButton(_("Order from supplier…"))
        self.status = QLabel()
        self.error = InlineMessage()
        self.dialog: QWidget | None = None
        self.busy_work = BusyWork(context.runner, self.error, lambda _busy: self._update_buttons())
        self._build()
        self._connect_signals()
        self.reload_suppliers()
        self.orders.set_statuses(self.order_filter.currentData())
        self.specials.set_statuses(self.special_filter.currentData())
        self._update_buttons()

    def _build(self) -> None:
        suppliers = boxed(_("Suppliers"), self.supplier_table,
                          button_row(self.new_supplier_button, self.edit_supplier_button))  # fmt: skip
        orders = boxed(_("Purchase orders"), button_row(self.order_filter, self.propose_button), self.order_table,
                       button_row(self.view_button, self.send_button, self.cancel_button))  # fmt: skip
        specials = boxed(_("Special orders"), button_row(self.special_filter), self.special_table,
                         button_row(self.order_specials_button))  # fmt: skip
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(orders)
        right.addWidget(specials)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(suppliers)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.new_supplier_button.clicked.connect(self._on_new_supplier_button_clicked)
        self.edit_supplier_button.clicked.connect(self._on_edit_supplier_button_clicked)
        self.supplier_table.activated.connect(self._on_supplier_table_activated)
        self.supplier_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.order_filter.currentIndexChanged.connect(self._on_order_filter_changed)
        self.special_filter.currentIndexChanged.connect(self._on_special_filter_changed)
        self.propose_button.clicked.connect(self.propose)
        self.view_button.clicked.connect(self.open_selected_order)
        self.order_table.activated.connect(self._on_order_table_activated)
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.order_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.special_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.order_specials_button.clicked.connect(self._on_order_specials_button_clicked)
        for model in (self.orders, self.specials):
            model.modelReset.connect(self._update_buttons)
            model.loading_failed.connect(self._on_model_loading_failed)
        self.context.changes.changed.connect(self._on_changes_changed)

    # --- reading --------------------------------------------------------------------------------------------

    def reload_suppliers(self) -> None:
        uow_factory = self.uow_factory
        self.context.runner.run(lambda _state: list_suppliers(uow_factory), self._on_suppliers_read,
                                self.busy_work.fail)  # fmt: skip

    def _on_suppliers_read(self, suppliers: list[SupplierInfo]) -> None:
        selected = self.selected_supplier_id()
        self.suppliers = suppliers
        self.supplier_model.set_rows(SUPPLIER_HEADERS, [
            (info.name if info.active else _("{name} (inactive)").format(name=info.name), info.inn or "",
             info.phone or "", "" if info.delivery_days is None else str(info.delivery_days))
            for info in suppliers
        ], [info.id for info in suppliers], numeric=(3,))  # fmt: skip
        if selected is not None and (row := self.supplier_model.row_of(selected)) is not None:
            self.supplier_table.selectRow(row)
        self._update_buttons()

    def _on_order_filter_changed(self) -> None:
        self.orders.set_statuses(self.order_filter.currentData())

    def _on_special_filter_changed(self) -> None:
        self.specials.set_statuses(self.special_filter.currentData())

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("suppliers"):
            self.reload_suppliers()
        if changes.touches("purchase_orders", "special_orders", "stock"):
            self.orders.reload()
            self.specials.reload()

    def _on_model_loading_failed(self, error: DomainError) -> None:
        self.error.show_error(_("The list could not be read: {reason}").format(reason=error))

    # --- selection ------------------------------------------------------------------------------------------

    def selected_supplier_id(self) -> int | None:
        rows = self.supplier_table.selectionModel().selectedRows()
        key = self.supplier_model.key(rows[0].row()) if rows else None
        return int(key) if key is not None else None

    def selected_order_id(self) -> int | None:
        rows = self.order_table.selectionModel().selectedRows()
        return self.orders.row(rows[0].row()).id if rows else None

    def selected_special_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.special_table.selectionModel().selectedRows())
        return [self.specials.row(row).id for row in rows if self.specials.row(row).status == "needed"]

    def _update_buttons(self) -> None:
        rows = self.order_table.selectionModel().selectedRows()
        order = self.orders.row(rows[0].row()) if rows else None
        idle = not self.busy_work.busy
        self.edit_supplier_button.setEnabled(self.selected_supplier_id() is not None)
        self.propose_button.setEnabled(idle)
        self.view_button.setEnabled(order is not None)
        self.send_button.setEnabled(idle and order is not None and order.status == "draft")
        self.cancel_button.setEnabled(idle and order is not None and order.status in OPEN_STATUSES)
        self.order_specials_button.setEnabled(idle and bool(self.selected_special_ids()))

    # --- suppliers ------------------------------------------------------------------------------------------

    def _open_dialog(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def _on_new_supplier_button_clicked(self) -> None:
        self.open_supplier(None)

    def _on_edit_supplier_button_clicked(self) -> None:
        self._edit_selected_supplier()

    def _on_supplier_table_activated(self, index: QModelIndex) -> None:
        self._edit_selected_supplier()

    def _edit_selected_supplier(self) -> None:
        supplier_id = self.selected_supplier_id()
        if supplier_id is None:
            return
        uow_factory = self.uow_factory
        self.busy_work.run(lambda _state: get_supplier(uow_factory, supplier_id), self.open_supplier)

    def open_supplier(self, supplier: SupplierInfo | None) -> SupplierDialog:
        """The supplier card (a new one for None); the list is read again once it is saved."""
        dialog = SupplierDialog(self.context, supplier, self)
        dialog.saved.connect(self._on_supplier_saved)
        self._open_dialog(dialog)
        return dialog

    def _on_supplier_saved(self, supplier_id: int) -> None:
        self.status.setText(_("The supplier is saved."))
        self.reload_suppliers()

    # --- purchase orders ------------------------------------------------------------------------------------

    def propose(self) -> None:
        """Make draft orders for every part below its minimum (in the background), then show what was made."""
        uow_factory = self.uow_factory

        def work(_state: OperationState) -> tuple[list[PurchaseOrderInfo], tuple[ShortageRow, ...]]:
            proposal = propose_from_minimum_stock(uow_factory)
            return [get_purchase_order(uow_factory, order_id) for order_id in proposal.order_ids], proposal.unassigned

        self.status.setText(_("Looking for parts below their minimum…"))
        self.busy_work.run(work, self._on_proposed)

    def _on_proposed(self, result: tuple[list[PurchaseOrderInfo], tuple[ShortageRow, ...]]) -> None:
        orders, unassigned = result
        self.status.setText(ngettext("{count} draft order made.", "{count} draft orders made.", len(orders)).format(
            count=len(orders)))  # fmt: skip
        self.orders.reload()
        self._open_dialog(ProposalDialog(orders, unassigned, self))

    def _on_order_table_activated(self, index: QModelIndex) -> None:
        self.open_selected_order()

    def open_selected_order(self) -> None:
        order_id = self.selected_order_id()
        if order_id is None:
            return
        uow_factory = self.uow_factory
        self.busy_work.run(lambda _state: get_purchase_order(uow_factory, order_id), self._on_order_read)

    def _on_order_read(self, order: PurchaseOrderInfo) -> None:
        self._open_dialog(OrderViewDialog(order, self))

    def _on_send_button_clicked(self) -> None:
        self._change_order(send_purchase_order, _("Order {number} is sent."))

    def _on_cancel_button_clicked(self) -> None:
        self._change_order(cancel_purchase_order, _("Order {number} is cancelled."))

    def _change_order(self, change: Callable[[Any, int], None], done: str) -> None:
        rows = self.order_table.selectionModel().selectedRows()
        if not rows:
            return
        summary = self.orders.row(rows[0].row())
        uow_factory = self.uow_factory
        self.busy_work.run(lambda _state: change(uow_factory, summary.id), lambda _result: self._on_order_changed(
            done.format(number=order_number(summary.year, summary.number))))  # fmt: skip

    def _on_order_changed(self, text: str) -> None:
        self.status.setText(text)
        self.orders.reload()
        self.specials.reload()

    # --- special orders -------------------------------------------------------------------------------------

    def _on_order_specials_button_clicked(self) -> None:
        ids = self.selected_special_ids()
        if not ids:
            return
        dialog = SupplierChoiceDialog(_("Order from supplier"), [info for info in self.suppliers if info.active], self)
        dialog.chosen.connect(lambda supplier_id: self.order_specials(supplier_id, ids))
        self._open_dialog(dialog)

    def order_specials(self, supplier_id: int, special_ids: list[int]) -> None:
        """Put the needed special orders on a new draft order to *supplier_id*."""
        uow_factory = self.uow_factory
        self.busy_work.run(lambda _state: order_special_orders(uow_factory, supplier_id, special_ids),
                           self._on_specials_ordered)  # fmt: skip

    def _on_specials_ordered(self, order_id: int) -> None:
        self.status.setText(_("A draft purchase order is made for the special orders."))
        self.orders.reload()
        self.specials.reload()
