"""Saved quotes: all of them or one client's, a quote's offers as they were saved, its PDF, an offer put on a work
order."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.quote_pdf import TITLE, print_quote
from autoservice_desk.services.quote_to_work_order import add_offer_to_work_order
from autoservice_desk.services.quote_views import client_names
from autoservice_desk.services.quotes import QuoteInfo, QuoteSummary, get_quote, list_quotes
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.services.work_order_board import WorkOrderRow
from autoservice_desk.services.work_order_types import WorkOrderCard
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.quote_models import QuoteListModel, SavedOfferColumn, SavedOffersModel
from autoservice_desk.ui.models.work_order_lines_models import ROW_ID_ROLE
from autoservice_desk.ui.screens.quoting.dialogs import AddToWorkOrderDialog, ClientChooseDialog
from autoservice_desk.ui.screens.work_orders.pdf_preview import PdfPreviewDialog
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE, TITLE_STYLE

SPLITTER_STATE_KEY = "quoting/quotes_splitter"
LIST_LIMIT = 500


def table(model: QuoteListModel | SavedOffersModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class QuotesPage(QWidget):
    """Enter (or a double click) on a quote shows its offers; Print… previews its PDF."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self._uow_factory = context.uow_factory
        self.zone = ZoneInfo(str(context.environment.settings.get(SHOP_TIMEZONE)))
        self.client: tuple[int, str] | None = None
        self.quote: QuoteInfo | None = None
        self.previews: list[PdfPreviewDialog] = []
        self.quotes_model = QuoteListModel(self.zone, self)
        self.offers_model = SavedOffersModel(self)
        self.quotes = table(self.quotes_model)
        self.offers = table(self.offers_model)
        self.filter_label = QLabel()
        self.client_button = QPushButton(_("Client…"))
        self.all_button = QPushButton(_("All quotes"))
        self.title = QLabel(_("Choose a quote to see its offers."))
        self.title.setStyleSheet(TITLE_STYLE)
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.print_button = QPushButton(_("Print…"))
        self.order_button = QPushButton(_("Add to work order…"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self._build_layout()
        saved = context.state.value(SPLITTER_STATE_KEY)
        if isinstance(saved, QByteArray):
            self.splitter.restoreState(saved)
        else:
            self.splitter.setSizes([460, 820])
        self._connect_signals()
        self._show_filter()
        self._update_buttons()
        self.reload()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_label)
        top.addWidget(self.client_button)
        top.addWidget(self.all_button)
        top.addStretch(1)
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.title)
        side.addWidget(self.details)
        side.addWidget(self.offers, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.order_button)
        side.addLayout(buttons)
        self.splitter.addWidget(self.quotes)
        self.splitter.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    def _connect_signals(self) -> None:
        self.client_button.clicked.connect(self.open_client_dialog)
        self.all_button.clicked.connect(lambda: self.set_client(None))
        self.quotes.selectionModel().selectionChanged.connect(self._on_quotes_selection_changed)
        self.quotes.activated.connect(lambda index: self.open_quote(self.quotes_model.row(index.row()).id))
        self.offers.selectionModel().selectionChanged.connect(self._update_buttons)
        self.print_button.clicked.connect(self.print_current)
        self.order_button.clicked.connect(self.open_add_dialog)
        self.context.changes.changed.connect(self._on_changes_changed)

    # --- the list -----------------------------------------------------------------------------------------------

    def set_client(self, client: tuple[int, str] | None) -> None:
        """Show *client*'s quotes (None: every quote)."""
        self.client = client
        self._show_filter()
        self.reload()

    def _show_filter(self) -> None:
        self.filter_label.setText(_("Quotes of {name}").format(name=self.client[1]) if self.client
                                  else _("All quotes"))  # fmt: skip
        self.all_button.setVisible(self.client is not None)

    def open_client_dialog(self) -> ClientChooseDialog:
        dialog = ClientChooseDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda client_id, name: self.set_client((client_id, name)))
        dialog.open()
        return dialog

    def reload(self) -> None:
        """Read the quotes (newest first) in the background."""
        client_id = self.client[0] if self.client else None
        uow_factory = self._uow_factory

        def work(_state: OperationState) -> tuple[list[QuoteSummary], dict[int, str]]:
            quotes = list_quotes(uow_factory, client_id=client_id, limit=LIST_LIMIT)
            return quotes, client_names(uow_factory, (quote.client_id for quote in quotes if quote.client_id))

        self.context.runner.run(work, self._on_quotes_read, self._on_failed)

    def _on_quotes_read(self, result: tuple[list[QuoteSummary], dict[int, str]]) -> None:
        quotes, names = result
        shown = self.quote.id if self.quote is not None else None
        self.quotes_model.client_names = names
        self.quotes_model.set_rows(quotes)
        self.quotes.resizeColumnsToContents()
        for row, quote in enumerate(quotes):
            if quote.id == shown:
                self.quotes.selectRow(row)

    def quote_ids(self) -> list[int]:
        return [row.id for row in self.quotes_model.rows]

    def _on_quotes_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            quote_id = int(self.quotes_model.data(indexes[0], ROW_ID_ROLE))
            if self.quote is None or self.quote.id != quote_id:
                self.open_quote(quote_id)

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("quotes", "clients"):
            self.reload()

    # --- one quote ----------------------------------------------------------------------------------------------

    def open_quote(self, quote_id: int) -> None:
        """Show the quote's offers as they were saved (read in the background)."""
        uow_factory = self._uow_factory
        self.context.runner.run(lambda _state: get_quote(uow_factory, quote_id), self._show_quote, self._on_failed)

    def _show_quote(self, quote: QuoteInfo) -> None:
        self.quote = quote
        self.title.setText(_("Quote {number}: {article}").format(
            number=quote.display_number, article=f"{quote.article} {quote.brand}".strip()))  # fmt: skip
        summary = next((row for row in self.quotes_model.rows if row.id == quote.id), None)
        details = [self.quotes_model.linked_text(summary if summary is not None else quote)]
        if quote.comment:
            details.append(quote.comment)
        self.details.setText(" · ".join(details))
        self.offers_model.set_rows(quote.offers)
        self.offers.resizeColumnsToContents()
        self.offers.horizontalHeader().setSectionResizeMode(SavedOfferColumn.NAME, QHeaderView.ResizeMode.Stretch)
        self.message.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.print_button.setEnabled(self.quote is not None)
        self.order_button.setEnabled(self.quote is not None and bool(self.offers.selectionModel().selectedRows()))

    def print_current(self) -> None:
        """The quote's PDF, made in the background, shown in the preview (print or open it from there)."""
        quote = self.quote
        if quote is None:
            return
        uow_factory, settings = self._uow_factory, self.context.environment.settings

        def work(_state: OperationState) -> bytes:
            folder = Path(tempfile.mkdtemp(prefix="autoservice-quote-"))
            return print_quote(uow_factory, quote.id, settings, folder / "quote.pdf").read_bytes()

        self.context.runner.run(work, lambda pdf: self._show_pdf(quote, pdf), self._on_failed)

    def _show_pdf(self, quote: QuoteInfo, pdf: bytes) -> None:
        preview = PdfPreviewDialog(pdf, f"{_(TITLE)} {quote.display_number}", self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.finished.connect(lambda _result: self.previews.remove(preview) if preview in self.previews else None)
        self.previews.append(preview)
        preview.show()

    def open_add_dialog(self) -> AddToWorkOrderDialog | None:
        """Put the selected offer of the quote on an open work order (the quote's own, when it has one)."""
        quote, rows = self.quote, self.offers.selectionModel().selectedRows()
        if quote is None or not rows:
            return None
        offer = self.offers_model.row(rows[0].row())
        uow_factory = self._uow_factory

        def add(order: WorkOrderRow, quantity: Decimal) -> WorkOrderCard:
            return add_offer_to_work_order(uow_factory, quote.id, offer.id, order.id, order.version, quantity)

        text = " ".join(part for part in (offer.brand, offer.article, offer.name, f"({offer.source_name})") if part)
        dialog = AddToWorkOrderDialog(self.context, text, add, quantity=Decimal(offer.multiplicity),
                                      work_order_id=quote.work_order_id, parent=self)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_added(dialog.result_card))
        dialog.open()
        return dialog

    def _on_added(self, card: WorkOrderCard) -> None:
        self.message.setStyleSheet(SUCCESS_STYLE)
        self.message.setText(_("Added to work order {number}.").format(number=card.header.number))
        if self.quote is not None:
            self.open_quote(self.quote.id)

    def _on_failed(self, error: DomainError) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(str(error))

    def save_state(self) -> None:
        self.context.state.setValue(SPLITTER_STATE_KEY, self.splitter.saveState())
