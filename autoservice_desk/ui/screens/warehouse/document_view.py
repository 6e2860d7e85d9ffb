"""The stock document window's widgets and how a document is shown in them (the editor adds the behaviour)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.formatting import format_date, format_datetime, format_number
from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.stock_forms import DocumentInfo, DocumentKind, kind_label
from autoservice_desk.ui.busy_work import InlineMessage
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.document_lines_model import DocumentLinesModel, LineColumn, visible_columns
from autoservice_desk.ui.screens.warehouse.document_header import DocumentHeader
from autoservice_desk.ui.screens.warehouse.pickers import PlaceDelegate
from autoservice_desk.ui.style import ERROR_STYLE, NOTE_STYLE, TITLE_STYLE

PRICED = (DocumentKind.RECEIPT, DocumentKind.SUPPLIER_RETURN)
WIDTHS = {LineColumn.POSITION: 40, LineColumn.ARTICLE: 130, LineColumn.BRAND: 100, LineColumn.NAME: 260,
          LineColumn.FROM: 100, LineColumn.TO: 100, LineColumn.BOOK: 80, LineColumn.QUANTITY: 80,
          LineColumn.DIFFERENCE: 90, LineColumn.UNIT: 50, LineColumn.PRICE: 100, LineColumn.AMOUNT: 110}  # fmt: skip


class DocumentView(QDialog):
    """A document's title, header, lines and buttons; `show_document` puts a DocumentInfo into them."""

    def __init__(self, context: ScreenContext, document: DocumentInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.document = document
        self._changed_line_id: int | None = None
        self.resize(1100, 680)
        self.title = QLabel()
        self.title.setStyleSheet(TITLE_STYLE)
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet(NOTE_STYLE)
        self.header = DocumentHeader(context, document.kind)
        self.add_field = QLineEdit()
        self.add_field.setPlaceholderText(_("Add a part: article, name or barcode, then Enter (Ctrl+F)"))
        self.find_button = QPushButton(_("Find a part…"))
        self.from_receipt_button = QPushButton(_("Add from the receipt…"))
        self.from_receipt_button.setVisible(document.kind == DocumentKind.SUPPLIER_RETURN)
        self.remove_button = QPushButton(_("Remove line"))
        self.scan_hint = QLabel(_("Scan a part's barcode to add it, or a place's label to choose the place."))
        self.scan_hint.setStyleSheet(NOTE_STYLE)
        self.lines_model = DocumentLinesModel(self)
        self.table = QTableView()
        self.place_delegate = PlaceDelegate(self.table)
        self.total = QLabel()
        self.message = InlineMessage(ERROR_STYLE + " font-weight: 600;")
        self.reopen_button = QPushButton(_("Reopen"))
        self.reopen_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.save_button = QPushButton(_("Save"))
        self.save_button.setToolTip(_("Ctrl+S"))
        self.post_button = QPushButton(_("Post"))
        self.reverse_button = QPushButton(_("Reverse…"))
        self.delete_button = QPushButton(_("Delete draft"))
        self.close_button = QPushButton(_("Close"))
        for button in (self.find_button, self.from_receipt_button, self.remove_button, self.reopen_button,
                       self.save_button, self.post_button, self.reverse_button, self.delete_button,
                       self.close_button):  # fmt: skip
            button.setAutoDefault(False)  # Enter belongs to the fields and the scanner, never to "Post"
        self._set_up_table(document.kind)
        self._build()

    def _set_up_table(self, kind: DocumentKind) -> None:
        table = self.table
        table.setModel(self.lines_model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )  # fmt: skip
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        table.setItemDelegateForColumn(LineColumn.FROM, self.place_delegate)
        table.setItemDelegateForColumn(LineColumn.TO, self.place_delegate)
        shown = visible_columns(kind)
        header = table.horizontalHeader()
        for column in LineColumn:
            table.setColumnHidden(column, column not in shown)
            # Never narrower than the title: translations are often longer than the English ones.
            table.setColumnWidth(column, max(WIDTHS[column], header.sectionSizeHint(column)))
        header.setSectionResizeMode(LineColumn.NAME, QHeaderView.ResizeMode.Stretch)

    def _build(self) -> None:
        adding = QHBoxLayout()
        adding.addWidget(self.add_field, 1)
        adding.addWidget(self.find_button)
        adding.addWidget(self.from_receipt_button)
        adding.addWidget(self.remove_button)
        self.adding = QWidget()
        self.adding.setLayout(adding)
        adding.setContentsMargins(0, 0, 0, 0)
        notes = QHBoxLayout()
        notes.addWidget(self.message, 1)
        notes.addWidget(self.reopen_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)
        for button in (self.delete_button, self.reverse_button, self.save_button, self.post_button,
                       self.close_button):  # fmt: skip
            buttons.addWidget(button)
        footer = QHBoxLayout()
        footer.addWidget(self.scan_hint, 1)
        footer.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.header)
        layout.addWidget(self.adding)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        layout.addLayout(notes)
        layout.addLayout(buttons)

    # --- what the editor overrides ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return False

    @property
    def dirty(self) -> bool:
        return False

    # --- showing --------------------------------------------------------------------------------------------

    def show_document(self, document: DocumentInfo) -> None:
        """Show *document* (as saved); the line that changed against the one shown before is remembered."""
        before = {line.id: line.quantity for line in self.document.lines} if document.id == self.document.id else {}
        changed = [line.id for line in document.lines if before.get(line.id) != line.quantity]
        self._changed_line_id = changed[-1] if changed else None
        selected = self.selected_line_ids()
        self.document = document
        self.lines_model.set_document(document)
        self.header.set_document(document, values=not self.dirty)
        for line_id in selected[:1]:
            row = self.lines_model.row_of(line_id)
            if row is not None:
                self.table.selectRow(row)
        self._show_title(document)
        self._show_total(document)
        self.adding.setVisible(document.is_draft)
        self.scan_hint.setVisible(document.is_draft)
        self.update_buttons()

    def _show_title(self, document: DocumentInfo) -> None:
        kind, day = kind_label(document.kind), format_date(document.document_date)
        if document.display_number:
            number = document.display_number
            self.title.setText(_("{kind} {number} of {date}").format(kind=kind, number=number, date=day))
        else:
            self.title.setText(_("{kind} of {date} (draft)").format(kind=kind, date=day))
        self.setWindowTitle(self.title.text())
        notes = []
        if document.posted_at is not None:
            notes.append(_("Posted {moment} by {user}.").format(
                moment=format_datetime(document.posted_at), user=document.posted_by or ""))  # fmt: skip
        if document.reverses_id is not None:
            notes.append(_("This is a reversal of another document."))
        if document.reversed_by_id is not None:
            notes.append(_("This document has been reversed."))
        if document.is_draft:
            notes.append(_("Draft: stock changes only when it is posted."))
        self.subtitle.setText(" ".join(notes))

    def _show_total(self, document: DocumentInfo) -> None:
        count = len(document.lines)
        text = ngettext("{count} line", "{count} lines", count).format(count=count)
        if document.kind in PRICED:
            text += "   " + _("Total: {amount}").format(amount=format_number(document.total, 2))
        if document.kind == DocumentKind.COUNT:
            differing = sum(1 for line in document.lines if line.quantity != line.book_quantity)
            text += "   " + ngettext("{count} difference", "{count} differences", differing).format(count=differing)
        self.total.setText(text)

    def update_buttons(self) -> None:
        document, busy = self.document, self.busy
        draft = document.is_draft
        reversible = not draft and document.reverses_id is None and document.reversed_by_id is None
        for button, visible in ((self.save_button, draft), (self.post_button, draft), (self.delete_button, draft),
                                (self.reverse_button, reversible)):  # fmt: skip
            button.setVisible(visible)
            button.setEnabled(not busy)
        self.save_button.setEnabled(not busy and self.dirty)
        self.post_button.setEnabled(not busy and bool(document.lines))
        self.remove_button.setEnabled(draft and bool(document.lines))

    def set_progress(self, value: int | None) -> None:
        """None hides the bar; 0 shows it moving until the first report."""
        self.progress.setVisible(value is not None)
        if value is not None:
            self.progress.setRange(0, 0)

    def set_progress_value(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def show_error(self, text: str) -> None:
        self.message.show_error(text)

    def show_info(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("")
        self.message.setVisible(bool(text))

    def selected_line_ids(self) -> list[int]:
        model = self.table.selectionModel()
        rows = sorted({index.row() for index in model.selectedRows()}) if model is not None else []
        return [self.lines_model.line(row).id for row in rows if row < self.lines_model.rowCount()]

    def select_last_changed(self) -> None:
        """Select the line the last scan or addition changed, so the keeper sees where it went."""
        row = self.lines_model.row_of(self._changed_line_id) if self._changed_line_id is not None else None
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.lines_model.index(row, LineColumn.ARTICLE))
