"""Dialogs of the purchasing tab: a supplier card, choosing a supplier, an order's lines, a proposal's outcome."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.formatting import format_date, format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import DomainError, FieldErrors
from autoservice_desk.services.purchasing import PurchaseOrderInfo
from autoservice_desk.services.stock_reports import ShortageRow
from autoservice_desk.services.suppliers import SupplierForm, SupplierInfo, create_supplier, update_supplier
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.form import FormDialog
from autoservice_desk.ui.models.purchasing_models import order_number, order_status_text
from autoservice_desk.ui.models.text_table_model import TextTableModel
from autoservice_desk.ui.screens.clients.row_lists import show_field_problems, with_error_label

SUPPLIER_FIELDS = (
    ("name", N_("Name:")), ("inn", N_("INN:")), ("kpp", N_("KPP:")), ("contact_person", N_("Contact person:")),
    ("phone", N_("Phone:")), ("email", N_("E-mail:")), ("address", N_("Address:")),
    ("payment_days", N_("Payment terms, days:")), ("delivery_days", N_("Delivery, days:")),
)  # fmt: skip
LINE_HEADERS = (N_("Article"), N_("Brand"), N_("Name"), N_("Quantity"), N_("Received"), N_("Price"), N_("Amount"))
SHORTAGE_HEADERS = (N_("Article"), N_("Brand"), N_("Name"), N_("Minimum"), N_("Available"), N_("To order"))


def read_only_table(model: TextTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _days_text(value: int | None) -> str:
    return "" if value is None else str(value)


class SupplierDialog(FormDialog):
    """A new supplier card, or an existing one to edit; each wrong field gets its message under it."""

    saved = Signal(int)  # the supplier's id

    def __init__(self, context: ScreenContext, supplier: SupplierInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(context.runner, _("New supplier") if supplier is None else supplier.name, parent)
        assert context.uow_factory is not None
        self._uow_factory = context.uow_factory
        self.supplier = supplier
        self.edits = {name: QLineEdit() for name, _label in SUPPLIER_FIELDS}
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.active = QCheckBox(_("Offered for new orders"))
        self.errors: dict[str, QLabel] = {}
        for name, label in SUPPLIER_FIELDS:
            self._add(name, _(label), self.edits[name])
        self._add("notes", _("Notes:"), self.notes)
        if supplier is not None:
            self._add("active", "", self.active)
        self._fill(supplier)
        self.edits["name"].setFocus()

    def _add(self, name: str, label: str, widget: QWidget) -> None:
        holder, self.errors[name] = with_error_label(widget)
        self.add_field(name, label, widget, holder)

    def _fill(self, supplier: SupplierInfo | None) -> None:
        self.active.setChecked(True if supplier is None else supplier.active)
        if supplier is None:
            return
        values = {"name": supplier.name, "inn": supplier.inn or "", "kpp": supplier.kpp or "",
                  "contact_person": supplier.contact_person or "", "phone": supplier.phone or "",
                  "email": supplier.email or "", "address": supplier.address or "",
                  "payment_days": _days_text(supplier.payment_days),
                  "delivery_days": _days_text(supplier.delivery_days)}  # fmt: skip
        for name, text in values.items():
            self.edits[name].setText(text)
        self.notes.setPlainText(supplier.notes or "")

    def form_value(self) -> SupplierForm:
        texts = {name: edit.text() for name, edit in self.edits.items()}
        return SupplierForm(
            name=texts["name"], inn=texts["inn"], kpp=texts["kpp"], contact_person=texts["contact_person"],
            phone=texts["phone"], email=texts["email"], address=texts["address"],
            payment_days=texts["payment_days"], delivery_days=texts["delivery_days"],
            notes=self.notes.toPlainText(), active=self.active.isChecked(),
        )  # fmt: skip

    def accept(self) -> None:
        """FormDialog override: save in the background; the dialog closes only once the card is saved."""
        uow_factory, supplier, form = self._uow_factory, self.supplier, self.form_value()
        self.show_problems({})

        def work(_state: OperationState) -> int:
            if supplier is None:
                return create_supplier(uow_factory, form)
            update_supplier(uow_factory, supplier.id, form)
            return supplier.id

        self.submit(work, self.saved.emit)

    def show_error(self, error: DomainError | str) -> None:
        """FormDialog override: field errors go under their fields."""
        if isinstance(error, FieldErrors):
            self.show_problems(error.problems)
        else:
            super().show_error(error)

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each message under its field, line edits outlined; the first wrong field gets the focus."""
        self.clear_error()
        show_field_problems(self.errors, self.edits, problems)
        unplaced = [text for key, text in problems.items() if key not in self.errors]
        if unplaced:
            super().show_error(" ".join(unplaced))
        first = next((self._fields[name] for name in self.errors if name in problems), None)
        if first is not None:
            first.setFocus()


class SupplierChoiceDialog(QDialog):
    """Pick one of the active suppliers; `chosen` carries its id."""

    chosen = Signal(int)

    def __init__(self, title: str, suppliers: Sequence[SupplierInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(380)
        self.supplier = QComboBox()
        for info in suppliers:
            self.supplier.addItem(info.name, info.id)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(suppliers))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Supplier:") if suppliers else _("There are no active suppliers yet.")))
        layout.addWidget(self.supplier)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def accept(self) -> None:
        """QDialog override: tell which supplier was chosen."""
        supplier_id = self.supplier.currentData()
        super().accept()
        if supplier_id is not None:
            self.chosen.emit(int(supplier_id))


class OrderViewDialog(QDialog):
    """A purchase order's header and lines, read-only."""

    def __init__(self, order: PurchaseOrderInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order = order
        self.setWindowTitle(_("Purchase order {number}").format(number=order_number(order.year, order.number)))
        self.resize(760, 420)
        expected = format_date(order.expected_date) if order.expected_date else _("not agreed")
        self.header = QLabel(_("{supplier} · {status} · ordered {date}, expected {expected} · total {total}").format(
            supplier=order.supplier_name, status=order_status_text(order.status), date=format_date(order.order_date),
            expected=expected, total=format_number(order.total, 2)))  # fmt: skip
        self.header.setWordWrap(True)
        self.lines = TextTableModel(self)
        self.lines.set_rows(LINE_HEADERS, [
            (line.article, line.brand, line.name, format_number(line.quantity), format_number(line.received),
             format_number(line.price, 2) if line.price is not None else "",
             format_number(line.amount, 2) if line.amount is not None else "")
            for line in order.lines
        ], [line.id for line in order.lines], numeric=(3, 4, 5, 6))  # fmt: skip
        self.table = read_only_table(self.lines)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        if order.comment:
            layout.addWidget(QLabel(order.comment))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class ProposalDialog(QDialog):
    """What a proposal from minimum stock made: the draft orders, and the short parts with no known supplier."""

    def __init__(self, orders: Sequence[PurchaseOrderInfo], unassigned: Sequence[ShortageRow],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(_("Proposed from minimum stock"))
        self.resize(720, 460)
        self.orders = TextTableModel(self)
        self.orders.set_rows((N_("Number"), N_("Supplier"), N_("Lines")), [
            (order_number(order.year, order.number), order.supplier_name, str(len(order.lines))) for order in orders
        ], [order.id for order in orders], numeric=(2,))  # fmt: skip
        self.unassigned = TextTableModel(self)
        self.unassigned.set_rows(SHORTAGE_HEADERS, [
            (row.article, row.brand, row.name, format_number(row.min_stock), format_number(row.available),
             format_number(row.to_order))
            for row in unassigned
        ], [row.part_id for row in unassigned], numeric=(3, 4, 5))  # fmt: skip
        layout = QVBoxLayout(self)
        if orders:
            layout.addWidget(QLabel(_("Draft orders made (check them and send):")))
            layout.addWidget(read_only_table(self.orders), 1)
        else:
            layout.addWidget(QLabel(_("Nothing to order: no part with a known supplier is below its minimum.")))
        if unassigned:
            layout.addWidget(QLabel(_("Below the minimum, but no supplier is known (order them by hand):")))
            layout.addWidget(read_only_table(self.unassigned), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
