"""Small forms around stock documents: a reason, a new supplier, a new part for a scanned code, what to return."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.form_values import parse_decimal
from autoservice_desk.services.part_forms import UNITS, PartForm
from autoservice_desk.services.parts import PartInfo, create_part, get_parts
from autoservice_desk.services.stock_documents import Returnable, returnable_lines
from autoservice_desk.services.stock_forms import LineInput, quantity_text
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.form import FormDialog
from autoservice_desk.ui.style import ERROR_STYLE


class ReasonDialog(FormDialog):
    """Asks for a reason and runs *action(reason)* in the background; its result is `completed`."""

    completed = Signal(object)

    def __init__(
        self, runner: BackgroundRunner, title: str, intro: str, action: Callable[[str], Any],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(runner, title, parent)
        self._action = action
        self.set_intro(intro)
        self.reason = QLineEdit()
        self.add_field("reason", _("Reason"), self.reason)

    def accept(self) -> None:
        """FormDialog override: a reason is required."""
        reason = self.reason.text().strip()
        if not reason:
            self.show_error(_("Give the reason."))
            self.reason.setFocus()
            return
        self.submit(lambda _state: self._action(reason), self.completed.emit)


class SupplierDialog(FormDialog):
    """A new supplier card with the essentials; the full card is edited on the Suppliers tab."""

    supplier_created = Signal(int)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context.runner, _("New supplier"), parent)
        assert context.uow_factory is not None
        self._uow_factory = context.uow_factory
        self.name = QLineEdit()
        self.inn = QLineEdit()
        self.phone = QLineEdit()
        self.add_field("name", _("Name"), self.name)
        self.add_field("inn", _("INN"), self.inn)
        self.add_field("phone", _("Phone"), self.phone)

    def accept(self) -> None:
        """FormDialog override: create the supplier; a duplicate name or a wrong INN stays at its field."""
        form = SupplierForm(name=self.name.text(), inn=self.inn.text(), phone=self.phone.text())
        self.submit(lambda _state: create_supplier(self._uow_factory, form), self.supplier_created.emit)


class NewPartDialog(FormDialog):
    """A part for a barcode nobody knows yet: the barcode is filled in, the keeper types the rest."""

    part_created = Signal(int)

    def __init__(self, context: ScreenContext, barcode: str, parent: QWidget | None = None) -> None:
        super().__init__(context.runner, _("New part"), parent)
        assert context.uow_factory is not None
        self._uow_factory = context.uow_factory
        self.set_intro(_("The part is added to the catalog with the barcode {code}.").format(code=barcode))
        self.barcode = barcode
        self.article = QLineEdit()
        self.brand = QLineEdit()
        self.name = QLineEdit()
        self.unit = QComboBox()
        for key, label in UNITS.items():
            self.unit.addItem(_(label), key)
        self.purchase_price = QLineEdit()
        self.add_field("article", _("Article"), self.article)
        self.add_field("brand", _("Brand"), self.brand)
        self.add_field("name", _("Name"), self.name)
        self.add_field("unit", _("Unit"), self.unit)
        self.add_field("purchase_price", _("Purchase price"), self.purchase_price)

    def accept(self) -> None:
        """FormDialog override: create the part with the scanned barcode."""
        form = PartForm(
            article=self.article.text(), brand=self.brand.text(), name=self.name.text(),
            unit=str(self.unit.currentData()), purchase_price=self.purchase_price.text(), barcodes=(self.barcode,),
        )  # fmt: skip
        self.submit(lambda _state: create_part(self._uow_factory, form), self.part_created.emit)


def unknown_code_box(parent: QWidget, code: str) -> tuple[QMessageBox, QPushButton, QPushButton]:
    """The question for a code that is no part's and no place's: (box, attach button, create button)."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Unknown barcode"),
                      _("The barcode {code} belongs to no part and no place.").format(code=code),
                      QMessageBox.StandardButton.Cancel, parent)  # fmt: skip
    box.setInformativeText(_("Attach it to a part from the catalog, or create a new part with it?"))
    attach = box.addButton(_("Attach to a part…"), QMessageBox.ButtonRole.AcceptRole)
    create = box.addButton(_("Create a part…"), QMessageBox.ButtonRole.AcceptRole)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box, attach, create


class ReturnLinesDialog(QDialog):
    """What the receipt brought and may still go back; the keeper types how much of each goes back now."""

    lines_chosen = Signal(object)  # list[LineInput]

    QUANTITY_COLUMN = 5

    def __init__(self, context: ScreenContext, receipt_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        uow_factory = context.uow_factory
        self.setWindowTitle(_("Add lines from the receipt"))
        self.resize(820, 420)
        self._rows: list[tuple[Returnable, PartInfo]] = []
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [_("Article"), _("Name"), _("Received"), _("Already returned"), _("Can return"), _("Return now")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._connect_signals()

        def work(_state: object) -> list[tuple[Returnable, PartInfo]]:
            limits = returnable_lines(uow_factory, receipt_id)
            parts = {part.id: part for part in get_parts(uow_factory, [limit.part_id for limit in limits])}
            return [(limit, parts[limit.part_id]) for limit in limits if limit.part_id in parts]

        context.runner.run(work, self._on_rows_read, self._on_read_failed)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _on_rows_read(self, rows: list[tuple[Returnable, PartInfo]]) -> None:
        self._rows = rows
        self.table.setRowCount(len(rows))
        for number, (limit, part) in enumerate(rows):
            texts = (part.article, part.name, quantity_text(limit.received), quantity_text(limit.returned),
                     quantity_text(limit.left), "")  # fmt: skip
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column != self.QUANTITY_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(number, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if not rows:
            self.message.setText(_("Nothing of this receipt can go back any more."))

    def _on_read_failed(self, error: DomainError) -> None:
        self.message.setText(str(error))

    def set_quantity(self, row: int, text: str) -> None:
        item = self.table.item(row, self.QUANTITY_COLUMN)
        if item is not None:
            item.setText(text)

    def accept(self) -> None:
        """QDialog override: the typed quantities become lines (the service checks them against the receipt)."""
        lines: list[LineInput] = []
        for number, (limit, part) in enumerate(self._rows):
            item = self.table.item(number, self.QUANTITY_COLUMN)
            text = item.text().strip() if item is not None else ""
            if not text:
                continue
            quantity = parse_decimal(text)
            if quantity is None or quantity <= Decimal(0):
                self.message.setText(_("“{text}” is not a quantity ({part}).").format(text=text, part=part.article))
                return
            lines.append(LineInput(limit.part_id, quantity, from_location_id=limit.location_id))
        if not lines:
            self.message.setText(_("Type how much of which part goes back."))
            return
        self.lines_chosen.emit(lines)
        super().accept()
