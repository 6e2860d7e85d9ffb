"""The header of a stock document as its kind needs it, and the places new lines and scans go to or come from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.client_search import ClientHit, search_clients
from autoservice_desk.services.clients import get_client
from autoservice_desk.services.locations import LocationInfo
from autoservice_desk.services.stock_forms import DocumentInfo, DocumentKind, DraftHeader
from autoservice_desk.services.stock_queries import get_document
from autoservice_desk.services.suppliers import SupplierInfo
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.warehouse.line_edits import PUTS_TO, TAKES_FROM, CurrentPlaces

SEARCH_DELAY_MS = 250
NO_DATE = QDate(2000, 1, 1)  # the minimum of the invoice date: shown blank, read as "no date"


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _line(widgets: Sequence[QWidget], stretch: int = 0) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    if stretch:
        row.addStretch(stretch)
    return box


class DocumentHeader(QWidget):
    """`edited` when the person changes a header field; `places()` are what the "new lines" combos say."""

    edited = Signal()
    new_supplier_requested = Signal()

    def __init__(self, context: ScreenContext, kind: DocumentKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.kind = kind
        self._filling = False
        self.document_date = QDateEdit()
        self.document_date.setCalendarPopup(True)
        self.document_date.setDisplayFormat("dd.MM.yyyy")
        self.supplier = QComboBox()
        self.supplier.setMinimumWidth(260)
        self.new_supplier_button = QPushButton(_("New…"))
        self.new_supplier_button.setAutoDefault(False)  # Enter in a field must not open the supplier form
        self.supplier_invoice = QLineEdit()
        self.invoice_date = QDateEdit()
        self.invoice_date.setCalendarPopup(True)
        self.invoice_date.setDisplayFormat("dd.MM.yyyy")
        self.invoice_date.setMinimumDate(NO_DATE)
        self.invoice_date.setSpecialValueText(" ")
        self.invoice_date.setDate(NO_DATE)
        self.client_search = QLineEdit()
        self.client_search.setPlaceholderText(_("Surname, phone or plate"))
        self.client = QComboBox()
        self.client.setMinimumWidth(240)
        self.work_order = QLineEdit()
        self.work_order.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.work_order.setMaximumWidth(120)
        self.against = QLabel()
        self.count_place = QLabel()
        self.reason = QLineEdit()
        self.source = QComboBox()
        self.target = QComboBox()
        for combo in (self.source, self.target):
            combo.setMinimumWidth(200)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._next_place_is_target = False  # a transfer's scanned places: From, then To
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        left.addRow(_("Date"), _line([self.document_date], 1))
        kind = self.kind
        if kind == DocumentKind.RECEIPT:
            left.addRow(_("Supplier"), _line([self.supplier, self.new_supplier_button]))
            left.addRow(_("Supplier's invoice"), _line([self.supplier_invoice, QLabel(_("of")), self.invoice_date]))
        elif kind == DocumentKind.ISSUE:
            left.addRow(_("Client"), _line([self.client_search, self.client]))
            left.addRow(_("Work order"), _line([self.work_order], 1))
        elif kind == DocumentKind.SUPPLIER_RETURN:
            left.addRow(_("Against receipt"), self.against)
        elif kind == DocumentKind.COUNT:
            left.addRow(_("Counted place"), self.count_place)
        right.addRow(_("Reason") if kind != DocumentKind.RECEIPT else _("Note"), self.reason)
        if kind in TAKES_FROM:
            label = _("Scan from") if kind == DocumentKind.COUNT else _("Take from")
            right.addRow(label, self.source)
        if kind in PUTS_TO:
            right.addRow(_("Put to"), self.target)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 1)
        row.addSpacing(24)
        row.addLayout(right, 1)

    def _connect_signals(self) -> None:
        for edit in (self.supplier_invoice, self.reason, self.work_order):
            edit.textEdited.connect(self._on_field_edited)
        for date_edit in (self.document_date, self.invoice_date):
            date_edit.dateChanged.connect(self._on_field_edited)
        self.supplier.currentIndexChanged.connect(self._on_field_edited)
        self.client.currentIndexChanged.connect(self._on_field_edited)
        self.new_supplier_button.clicked.connect(self.new_supplier_requested.emit)
        self.client_search.textEdited.connect(self._timer.start)
        self._timer.timeout.connect(self._on_timer_timeout)

    def _on_field_edited(self) -> None:
        if not self._filling:
            self.edited.emit()

    # --- filling --------------------------------------------------------------------------------------------

    def set_document(self, document: DocumentInfo, *, values: bool = True) -> None:
        """Show *document*'s header (only whether it can be changed when not *values*: unsaved edits stay)."""
        if values:
            self._fill(document)
        editable = document.is_draft
        for widget in (self.document_date, self.supplier, self.new_supplier_button, self.supplier_invoice,
                       self.invoice_date, self.client_search, self.client, self.work_order, self.reason,
                       self.source, self.target):  # fmt: skip
            widget.setEnabled(editable)

    def _fill(self, document: DocumentInfo) -> None:
        self._filling = True
        self.document_date.setDate(to_qdate(document.document_date))
        self._select(self.supplier, document.supplier_id, document.supplier_name)
        self.supplier_invoice.setText(document.supplier_invoice)
        self.invoice_date.setDate(to_qdate(document.supplier_invoice_date) if document.supplier_invoice_date
                                  else NO_DATE)  # fmt: skip
        self.work_order.setText(str(document.work_order_id) if document.work_order_id else "")
        self.reason.setText(document.reason)
        self.count_place.setText(document.location_name)
        self._filling = False
        if document.client_id is not None and self.client.findData(document.client_id) < 0:
            client_id = document.client_id
            self.context.runner.run(lambda _state: get_client(self.uow_factory, client_id),
                                    lambda card: self._select(self.client, card.id, card.name))  # fmt: skip
        if document.against_id is not None and not self.against.text():
            against = document.against_id
            self.context.runner.run(lambda _state: get_document(self.uow_factory, against), self._on_receipt_read)

    def _on_receipt_read(self, receipt: DocumentInfo) -> None:
        self.against.setText(f"{receipt.display_number} · {receipt.supplier_name}".strip(" ·"))

    def _select(self, combo: QComboBox, item_id: int | None, text: str) -> None:
        """Select *item_id* in *combo*, adding it when the list does not hold it (yet)."""
        filling, self._filling = self._filling, True
        if item_id is not None and combo.findData(item_id) < 0:
            combo.addItem(text, item_id)
        combo.setCurrentIndex(max(combo.findData(item_id), 0))
        self._filling = filling

    def set_suppliers(self, suppliers: Sequence[SupplierInfo], select: int | None = None) -> None:
        current = select if select is not None else self.supplier.currentData()
        filling, self._filling = self._filling, True
        self.supplier.clear()
        self.supplier.addItem(_("(no supplier)"), None)
        for supplier in suppliers:
            self.supplier.addItem(supplier.name, supplier.id)
        self.supplier.setCurrentIndex(max(self.supplier.findData(current), 0))
        self._filling = filling
        if select is not None:
            self.edited.emit()

    def set_places(self, places: Sequence[tuple[int, str]]) -> None:
        """The places to choose from for new lines: (id, label)."""
        fallback = _("(the part's place)") if self.kind != DocumentKind.COUNT else _("(the counted place)")
        for combo in (self.source, self.target):
            current = combo.currentData()
            combo.clear()
            combo.addItem(fallback if combo is self.source else _("(the part's default place)"), None)
            for place_id, label in places:
                combo.addItem(label, place_id)
            combo.setCurrentIndex(max(combo.findData(current), 0))

    # --- clients --------------------------------------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        text = self.client_search.text().strip()
        if len(text) < 2:
            return
        self.context.runner.run(lambda _state: search_clients(self.uow_factory, text, limit=20), self._show_clients)

    def _show_clients(self, hits: list[ClientHit]) -> None:
        self.client.clear()  # emits edited: choosing a client is a change to save
        self.client.addItem(_("(no client)"), None)
        for hit in hits:
            self.client.addItem(hit.display_name, hit.client_id)
        if hits:
            self.client.setCurrentIndex(1)

    # --- reading --------------------------------------------------------------------------------------------

    def header(self) -> DraftHeader:
        invoice_date = self.invoice_date.date()
        work_order = self.work_order.text().strip()
        return DraftHeader(
            document_date=from_qdate(self.document_date.date()), supplier_id=self.supplier.currentData(),
            supplier_invoice=self.supplier_invoice.text(),
            supplier_invoice_date=None if invoice_date == NO_DATE else from_qdate(invoice_date),
            client_id=self.client.currentData(), work_order_id=int(work_order) if work_order else None,
            reason=self.reason.text(),
        )  # fmt: skip

    def places(self) -> CurrentPlaces:
        return CurrentPlaces(self.source.currentData(), self.target.currentData())

    def take_scanned_place(self, place: LocationInfo) -> str:
        """A scanned place label: new lines go to (or come from) it; returns what to tell the keeper."""
        label = place.code or place.name
        if self.kind == DocumentKind.TRANSFER:
            combo = self.target if self._next_place_is_target else self.source
            self._next_place_is_target = not self._next_place_is_target
        else:
            combo = self.target if self.kind in PUTS_TO else self.source
        self._select(combo, place.id, label)
        if combo is self.target:
            return _("Scanned goods now go to {place}.").format(place=label)
        return _("Scanned goods are now taken from {place}.").format(place=label)

    def focus_first(self) -> None:
        widget = {DocumentKind.RECEIPT: self.supplier, DocumentKind.ISSUE: self.client_search}.get(self.kind)
        (widget or self.reason).setFocus(Qt.FocusReason.OtherFocusReason)
