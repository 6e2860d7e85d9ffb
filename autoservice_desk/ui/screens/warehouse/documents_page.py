"""The Warehouse screen's documents tab: the list with filters, new documents of each kind, open, post, reverse."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.stock_documents import (
    create_issue,
    create_receipt,
    create_supplier_return,
    create_transfer,
    create_write_off,
    delete_draft,
    start_count,
)
from autoservice_desk.services.stock_forms import DocumentInfo, DocumentKind, DocumentStatus, kind_label
from autoservice_desk.services.stock_posting import post_document, reverse_document
from autoservice_desk.services.stock_queries import StockStamp, get_document, stock_stamp
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.busy_work import BusyWork, InlineMessage
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.list_table import set_up_list_table
from autoservice_desk.ui.models.stock_document_list_model import DocumentColumn, DocumentListModel
from autoservice_desk.ui.screens.warehouse.document_dialogs import ReasonDialog
from autoservice_desk.ui.screens.warehouse.document_editor import DocumentEditor
from autoservice_desk.ui.screens.warehouse.pickers import PlacePicker, ReceiptPicker

POLL_MS = 4_000  # how soon another desk's posting shows up
SEARCH_DELAY_MS = 250
HEADER_STATE_KEY = "warehouse/documents/header"
WIDTHS = {DocumentColumn.NUMBER: 150, DocumentColumn.DATE: 100, DocumentColumn.KIND: 150,
          DocumentColumn.COUNTERPARTY: 260, DocumentColumn.LINES: 60, DocumentColumn.TOTAL: 110}  # fmt: skip


class DocumentsPage(QWidget):
    """Ctrl+F finds, Enter opens the selected document; the list follows this desk's and other desks' changes."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None, "the documents are only offered while connected"
        self.context = context
        self.uow_factory = context.uow_factory
        self.model = DocumentListModel(context.uow_factory, context.runner, parent=self)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(_("All documents"), None)
        for kind in DocumentKind:
            self.kind_filter.addItem(kind_label(kind), kind.value)
        self.status_filter = QComboBox()
        for text, status in ((_("Any status"), None), (_("Drafts"), DocumentStatus.DRAFT.value),
                             (_("Posted"), DocumentStatus.POSTED.value)):  # fmt: skip
            self.status_filter.addItem(text, status)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Number, supplier, invoice or reason (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.new_buttons: dict[DocumentKind, QPushButton] = {
            DocumentKind.RECEIPT: QPushButton(_("New receipt")),
            DocumentKind.ISSUE: QPushButton(_("New issue")),
            DocumentKind.TRANSFER: QPushButton(_("New transfer")),
            DocumentKind.SUPPLIER_RETURN: QPushButton(_("Return to supplier…")),
            DocumentKind.COUNT: QPushButton(_("New count…")),
            DocumentKind.WRITE_OFF: QPushButton(_("Write-off…")),
        }
        self.open_button = QPushButton(_("Open"))
        self.post_button = QPushButton(_("Post"))
        self.reverse_button = QPushButton(_("Reverse…"))
        self.delete_button = QPushButton(_("Delete draft"))
        self.table = QTableView()
        self.status = QLabel()
        self.error = InlineMessage()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.hide()
        # Only posting shows the bar, but any failure hides it (as a failed post would).
        self.busy_work = BusyWork(context.runner, self.error, self._on_busy_work_changed)
        self._set_up_table()
        self._build()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._stamp: StockStamp | None = None
        self._reselect: int | None = None
        self.editor: DocumentEditor | None = None
        self.dialog: QWidget | None = None
        self._shortcut = QShortcut(QKeySequence("Ctrl+F"), self)
        self._shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._connect_signals()
        self.apply_filter()
        self._poll.start()

    def _set_up_table(self) -> None:
        table = set_up_list_table(self.table, self.model, row_height=self.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in WIDTHS.items():
            table.setColumnWidth(column, width)
        if (saved := self.context.state.value(HEADER_STATE_KEY)) is not None:
            header.restoreState(saved)

    def _build(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.search, 1)
        creating = QHBoxLayout()
        for button in self.new_buttons.values():
            creating.addWidget(button)
        creating.addStretch(1)
        acting = QHBoxLayout()
        for widget in (self.open_button, self.post_button, self.reverse_button, self.delete_button):
            acting.addWidget(widget)
        acting.addStretch(1)
        acting.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(creating)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(acting)
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.kind_filter.currentIndexChanged.connect(self.apply_filter)
        self.status_filter.currentIndexChanged.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        self._search_timer.timeout.connect(self.apply_filter)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._shortcut.activated.connect(self.search.setFocus)
        for kind, button in self.new_buttons.items():
            button.clicked.connect(lambda _checked=False, kind=kind: self.new_document(kind))
        self.open_button.clicked.connect(self.open_selected)
        self.post_button.clicked.connect(self.post_selected)
        self.reverse_button.clicked.connect(self._on_reverse_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.rowsInserted.connect(self._on_model_rows_inserted)
        self.model.modelReset.connect(self._update_status)
        self.model.loading_failed.connect(self._on_model_loading_failed)
        self.context.changes.changed.connect(self._on_changes_changed)

    # --- the list -------------------------------------------------------------------------------------------

    def apply_filter(self) -> None:
        """Show the documents the filters and the search field ask for, from the newest."""
        self._search_timer.stop()
        kind, status = self.kind_filter.currentData(), self.status_filter.currentData()
        self.error.hide()
        self.model.set_filter(DocumentKind(kind) if kind else None, DocumentStatus(status) if status else None,
                              self.search.text())  # fmt: skip
        self._read_stamp()

    def reload(self, select: int | None = None) -> None:
        """Read the list again, keeping *select* (or the selected document) selected."""
        self._reselect = select if select is not None else self.selected_id()
        self.model.reload()
        self._read_stamp()

    def _read_stamp(self) -> None:
        uow_factory = self.uow_factory
        self.context.runner.run(lambda _state: stock_stamp(uow_factory), self._on_stamp_read, lambda _error: None)

    def _on_stamp_read(self, stamp: StockStamp) -> None:
        if self._stamp is not None and stamp != self._stamp:
            self.reload()
        self._stamp = stamp

    def _on_poll_timeout(self) -> None:
        if self.isVisible() and not self.model.loading:
            self._read_stamp()

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("stock", "stock_document"):
            self.reload()

    def _on_model_rows_inserted(self) -> None:
        self._update_status()
        if self._reselect is not None:
            row = self.model.row_of(self._reselect)
            if row is not None:
                self.table.selectRow(row)
                self._reselect = None

    def _update_status(self) -> None:
        count = self.model.rowCount()
        if self.model.loading and not count:
            self.status.setText(_("Loading…"))
        elif not count:
            self.status.setText(_("No documents."))
        else:
            more = "+" if self.model.canFetchMore(QModelIndex()) else ""
            self.status.setText(ngettext("{count} document shown", "{count} documents shown", count).format(
                count=f"{count}{more}"))  # fmt: skip
        self._update_buttons()

    def _on_model_loading_failed(self, error: DomainError) -> None:
        self.error.show_error(_("The list could not be read: {reason}").format(reason=error))

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.document_id(rows[0].row()) if rows else None

    def select(self, document_id: int) -> None:
        row = self.model.row_of(document_id)
        if row is not None:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row(rows[0].row()) if rows else None
        draft = summary is not None and summary.status == DocumentStatus.DRAFT
        self.open_button.setEnabled(summary is not None)
        self.post_button.setEnabled(draft)
        self.delete_button.setEnabled(draft)
        self.reverse_button.setEnabled(summary is not None and not draft and summary.reverses_id is None)

    # --- new documents --------------------------------------------------------------------------------------

    def new_document(self, kind: DocumentKind) -> None:
        """Start a document of *kind*: a return asks for the receipt, a count for the place, a write-off why."""
        uow_factory = self.uow_factory
        if kind == DocumentKind.SUPPLIER_RETURN:
            picker = ReceiptPicker(self.context, self)
            picker.chosen.connect(lambda receipt_id: self._create(
                lambda: create_supplier_return(uow_factory, receipt_id)))  # fmt: skip
            self._open_dialog(picker)
        elif kind == DocumentKind.COUNT:
            places = PlacePicker(self.context, _("Count: choose the place"), self)
            places.chosen.connect(lambda place_id: self._create(lambda: start_count(uow_factory, place_id)))
            self._open_dialog(places)
        elif kind == DocumentKind.WRITE_OFF:
            reason = ReasonDialog(self.context.runner, _("New write-off"),
                                  _("Why is the stock written off (damaged, lost, used by the shop)?"),
                                  lambda text: create_write_off(uow_factory, text), self)  # fmt: skip
            reason.completed.connect(self._on_created)
            self._open_dialog(reason)
        else:
            create = {DocumentKind.RECEIPT: lambda: create_receipt(uow_factory, None),
                      DocumentKind.ISSUE: lambda: create_issue(uow_factory),
                      DocumentKind.TRANSFER: lambda: create_transfer(uow_factory)}[kind]  # fmt: skip
            self._create(create)

    def _open_dialog(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def _create(self, create: Callable[[], DocumentInfo]) -> None:
        self.error.hide()
        self.context.runner.run(lambda _state: create(), self._on_created, self.busy_work.fail)

    def _on_created(self, document: DocumentInfo) -> None:
        self.open_document(document, created=True)

    # --- acting on the selected document ----------------------------------------------------------------------

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.open_selected()

    def open_selected(self) -> None:
        document_id = self.selected_id()
        if document_id is None:
            return
        uow_factory = self.uow_factory
        self.context.runner.run(lambda _state: get_document(uow_factory, document_id),
                                lambda info: self._on_document_read(info), self.busy_work.fail)  # fmt: skip

    def _on_document_read(self, document: DocumentInfo) -> None:
        self.open_document(document)

    def open_document(self, document: DocumentInfo, created: bool = False) -> DocumentEditor:
        """Open the editor on *document* (read-only when it is posted)."""
        editor = DocumentEditor(self.context, document, self, created=created)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.finished.connect(lambda _result: self.reload(document.id))
        self.editor = editor
        editor.open()
        return editor

    def post_selected(self) -> None:
        """Post the selected draft as it was last saved, with progress below the list."""
        document_id = self.selected_id()
        if document_id is None:
            return
        uow_factory = self.uow_factory

        def work(state: OperationState) -> DocumentInfo:
            current = get_document(uow_factory, document_id)
            return post_document(uow_factory, document_id, current.version, progress=state.report)

        self.busy_work.run(work, lambda info: self.status.setText(
            _("Posted as {number}.").format(number=info.display_number)), self._on_progress)  # fmt: skip

    def _on_busy_work_changed(self, busy: bool) -> None:
        if busy:
            self.progress.setRange(0, 0)
        self.progress.setVisible(busy)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_reverse_button_clicked(self) -> None:
        document_id = self.selected_id()
        if document_id is None:
            return
        uow_factory = self.uow_factory
        dialog = ReasonDialog(self.context.runner, _("Reverse the document"),
                              _("A reversal posts the opposite moves; the document itself stays as it was."),
                              lambda reason: reverse_document(uow_factory, document_id, reason), self)  # fmt: skip
        dialog.completed.connect(lambda info: self.status.setText(
            _("Reversed by {number}.").format(number=info.display_number)))  # fmt: skip
        self._open_dialog(dialog)

    def _on_delete_button_clicked(self) -> None:
        document_id = self.selected_id()
        if document_id is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Delete the draft"), _("Delete this draft with all its lines?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)  # fmt: skip
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(lambda: self.delete_draft(document_id))
        self._open_dialog(box)

    def delete_draft(self, document_id: int) -> None:
        uow_factory = self.uow_factory

        def work(_state: OperationState) -> None:
            current = get_document(uow_factory, document_id)
            delete_draft(uow_factory, document_id, current.version)

        self.context.runner.run(work, lambda _result: None, self.busy_work.fail)

    def save_state(self) -> None:
        """Column widths (the Warehouse screen calls it when the window closes)."""
        self.context.state.setValue(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())
