"""The editor's Documents tab: print the work order, the hand-over act, the completion act, the invoice; the
documents printed for the order, each reopened exactly as first printed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.print_forms import DocumentKind
from autoservice_desk.services.print_forms.data import KIND_TITLES
from autoservice_desk.services.printed_documents import PrintedDocumentInfo
from autoservice_desk.ui.models.work_order_lines_models import PrintedDocumentsModel

PRINT_ORDER = (DocumentKind.WORK_ORDER, DocumentKind.HANDOVER_ACT, DocumentKind.COMPLETION_ACT, DocumentKind.INVOICE)


class DocumentsTab(QWidget):
    """`print_requested(kind)` for a new print; `open_requested(document)` to show a stored one."""

    print_requested = Signal(object)  # DocumentKind
    open_requested = Signal(object)  # PrintedDocumentInfo

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.print_buttons: dict[DocumentKind, QPushButton] = {}
        row = QHBoxLayout()
        for kind in PRINT_ORDER:
            button = QPushButton(_(KIND_TITLES[kind]))
            button.setObjectName(f"print_{kind.value}")
            button.clicked.connect(lambda _checked=False, chosen=kind: self.print_requested.emit(chosen))
            row.addWidget(button)
            self.print_buttons[kind] = button
        row.addStretch(1)
        self.open_button = QPushButton(_("Open"))
        row.addWidget(self.open_button)
        self.model = PrintedDocumentsModel(zone, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated.connect(self._on_table_double_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)

    def set_documents(self, documents: list[PrintedDocumentInfo]) -> None:
        self.model.set_rows(documents)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.row(index.row()))

    def _on_open_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_requested.emit(self.model.row(rows[0].row()))

    def set_printable(self, open_order: bool, cancelled: bool) -> None:
        for kind, button in self.print_buttons.items():
            button.setEnabled(not (cancelled and kind in (DocumentKind.COMPLETION_ACT, DocumentKind.INVOICE)))
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
