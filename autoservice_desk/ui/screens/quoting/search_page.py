"""The quoting search (проценка): an article, the brand step, offers streaming in source by source, filters, and
saving the result as a quote or putting an offer on a work order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import N_, _, ngettext
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.quote_to_work_order import add_offer_to_work_order
from autoservice_desk.services.quotes import QuoteInfo, save_quote
from autoservice_desk.services.quoting import BrandChoice, Offer, SourceAnswer
from autoservice_desk.services.work_order_board import WorkOrderRow
from autoservice_desk.services.work_order_types import WorkOrderCard
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.quote_offers_model import OfferColumn, QuoteOffersModel, QuoteOffersProxy, source_names
from autoservice_desk.ui.screens.quoting.dialogs import AddToWorkOrderDialog, ClientChooseDialog, SaveQuoteDialog
from autoservice_desk.ui.screens.quoting.search_runner import QuoteSearch, SearchRequest, SourceSlot
from autoservice_desk.ui.screens.quoting.status_strip import SourceStatusStrip
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE

HEADER_STATE_KEY = "quoting/offers_header"
MAX_DAYS = 365
BRAND_SOURCES = {"own_stock": N_("Own stock"), "crosses": N_("Cross-references"), "price_lists": N_("Price lists")}


class SearchPage(QWidget):
    """Enter searches; Ctrl+F goes to the article, F5 asks the suppliers again past their saved answers."""

    quote_saved = Signal(object)  # QuoteInfo

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self._uow_factory = context.uow_factory
        self.search = QuoteSearch(context.uow_factory, context.runner, context.environment.secrets, self)
        self.request: SearchRequest | None = None
        self.client: tuple[int, str] | None = None
        self.dialogs: list[QWidget] = []
        self._build_widgets()
        self._build_layout()
        self._connect_signals()
        self._update_buttons()

    def _build_widgets(self) -> None:
        self.article = QLineEdit()
        self.article.setPlaceholderText(_("Article, e.g. OC 90"))
        self.article.setClearButtonEnabled(True)
        self.search_button = QPushButton(_("Search"))
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setToolTip(_("Ask the suppliers again instead of using their saved answers (F5)"))
        self.client_label = QLabel()
        self.client_button = QPushButton(_("Client…"))
        self.client_clear = QPushButton(_("No client"))
        self.brand_prompt = QLabel(_("This article is made by several brands: choose one, or all of them."))
        self.brands = QListWidget()
        self.brands.setMaximumHeight(160)
        self.strip = SourceStatusStrip()
        self.in_stock = QCheckBox(_("In stock only"))
        self.max_days = QSpinBox()
        self.max_days.setRange(-1, MAX_DAYS)
        self.max_days.setValue(-1)
        self.max_days.setSpecialValueText(_("any"))
        self.source = QComboBox()
        self.source.addItem(_("All sources"), "")
        self.model = QuoteOffersModel(self)
        self.proxy = QuoteOffersProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTreeView()
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSortingEnabled(True)
        self.view.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the order sources answered in
        header = self.view.header()
        header.setStretchLastSection(False)
        saved = self.context.state.value(HEADER_STATE_KEY)
        if isinstance(saved, QByteArray):
            header.restoreState(saved)
        else:
            for column, width in enumerate((120, 100, 200, 170, 75, 75, 95, 95, 80)):
                self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(OfferColumn.NAME, QHeaderView.ResizeMode.Stretch)  # the rest fits the window
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton(_("Save as quote…"))
        self.save_button.setToolTip(_("Ctrl+S"))
        self.order_button = QPushButton(_("Add to work order…"))
        self._show_client()
        self._show_brand_step(False)

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Article")))
        top.addWidget(self.article, 1)
        top.addWidget(self.search_button)
        top.addWidget(self.refresh_button)
        top.addSpacing(24)
        top.addWidget(self.client_label)
        top.addWidget(self.client_button)
        top.addWidget(self.client_clear)
        filters = QHBoxLayout()
        filters.addWidget(self.in_stock)
        filters.addSpacing(12)
        filters.addWidget(QLabel(_("Delivery up to, days")))
        filters.addWidget(self.max_days)
        filters.addSpacing(12)
        filters.addWidget(QLabel(_("Source")))
        filters.addWidget(self.source)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.order_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.brand_prompt)
        layout.addWidget(self.brands)
        layout.addWidget(self.strip)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.article.returnPressed.connect(self.start_search)
        self.search_button.clicked.connect(self.start_search)
        self.refresh_button.clicked.connect(lambda: self.start_search(refresh=True))
        self.client_button.clicked.connect(self.open_client_dialog)
        self.client_clear.clicked.connect(lambda: self.set_client(None))
        self.brands.itemActivated.connect(self._on_brands_item_activated)
        self.search.brands_found.connect(self._on_search_brands_found)
        self.search.sources_announced.connect(self._on_search_sources_announced)
        self.search.answered.connect(self._on_search_answered)
        self.search.finished.connect(self._on_search_finished)
        self.search.failed.connect(self._on_search_failed)
        self.in_stock.toggled.connect(self._apply_filters)
        self.max_days.valueChanged.connect(self._apply_filters)
        self.source.currentIndexChanged.connect(self._apply_filters)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.activated.connect(self._on_view_activated)
        self.proxy.rowsInserted.connect(self._on_proxy_rows_inserted)
        self.proxy.layoutChanged.connect(self._span_groups)
        self.proxy.modelReset.connect(self._span_groups)
        self.save_button.clicked.connect(self.open_save_dialog)
        self.order_button.clicked.connect(self.open_add_dialog)
        QShortcut(QKeySequence.StandardKey.Find, self, self._on_find_shortcut)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, lambda: self.start_search(refresh=True))
        QShortcut(QKeySequence.StandardKey.Save, self, self.open_save_dialog)

    # --- searching ----------------------------------------------------------------------------------------------

    def start_search(self, refresh: bool = False) -> None:
        """The brand step for the article typed; the search follows with the brand (or every brand)."""
        article = self.article.text().strip()
        if not article:
            self.show_message(_("Enter the article."), error=True)
            self.article.setFocus()
            return
        self._refresh = refresh
        self._article = article
        self._show_brand_step(False)
        self.show_message(_("Looking up the brands of {article}…").format(article=article))
        self.search.find_brands(article, refresh)

    def _on_search_brands_found(self, generation: int, brands: list[BrandChoice]) -> None:
        if not self.search.is_current(generation):
            return
        if len(brands) <= 1:
            self.run_search(brands[0].brand if brands else None)
            return
        self.brands.clear()
        every = QListWidgetItem(_("All brands"))
        every.setData(Qt.ItemDataRole.UserRole, None)
        self.brands.addItem(every)
        for choice in brands:
            item = QListWidgetItem(" — ".join(part for part in (choice.brand, choice.name) if part))
            item.setData(Qt.ItemDataRole.UserRole, choice.brand)
            item.setToolTip(", ".join(_(BRAND_SOURCES[source]) if source in BRAND_SOURCES else source
                                      for source in choice.sources))  # fmt: skip
            self.brands.addItem(item)
        self._show_brand_step(True)
        stocked = next((row for row, choice in enumerate(brands, start=1) if "own_stock" in choice.sources), 1)
        self.brands.setCurrentRow(stocked)  # the brand on our shelves is the likeliest answer
        self.brands.setFocus()
        self.show_message(ngettext("{count} brand has this article.", "{count} brands have this article.",
                                   len(brands)).format(count=len(brands)))  # fmt: skip

    def brand_choices(self) -> list[str | None]:
        """The brand step's entries: None for "all brands", then each brand (tests and screenshots use it)."""
        return [self.brands.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.brands.count())]

    def choose_brand(self, brand: str | None) -> None:
        self._show_brand_step(False)
        self.run_search(brand)

    def _on_brands_item_activated(self, item: QListWidgetItem) -> None:
        self.choose_brand(item.data(Qt.ItemDataRole.UserRole))

    def run_search(self, brand: str | None) -> None:
        """Ask every source for the article (of *brand*); offers appear as each source answers."""
        self.request = SearchRequest(self._article, brand, self.client[0] if self.client else None,
                                     getattr(self, "_refresh", False))  # fmt: skip
        self.model.clear()
        self.strip.reset()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(_("All sources"), "")
        self.source.blockSignals(False)
        self._apply_filters()
        title = f"{self._article} {brand}" if brand else self._article
        self.show_message(_("Searching for {article}…").format(article=title))
        self.search.search(self.request)
        self._update_buttons()

    def _on_search_sources_announced(self, generation: int, slots: list[SourceSlot]) -> None:
        if self.search.is_current(generation):
            self.strip.announce(slots)

    def _on_search_answered(self, generation: int, answer: SourceAnswer) -> None:
        if not self.search.is_current(generation):
            return
        self.strip.show_answer(answer)
        self.model.add_offers(answer.offers)
        known = {self.source.itemData(row) for row in range(self.source.count())}
        for name in source_names(list(answer.offers)):
            if name not in known:
                self.source.addItem(name, name)
        self._update_buttons()

    def _on_search_finished(self, generation: int) -> None:
        if not self.search.is_current(generation):
            return
        self.strip.finish()
        count = len(self.model.offers)
        self.show_message(ngettext("{count} offer found.", "{count} offers found.", count).format(count=count))
        self._update_buttons()

    def _on_search_failed(self, generation: int, error: DomainError) -> None:
        if self.search.is_current(generation):
            self.show_message(str(error), error=True)

    # --- the view -----------------------------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        days = self.max_days.value()
        self.proxy.set_filters(in_stock_only=self.in_stock.isChecked(), max_days=days if days >= 0 else None,
                               source_name=str(self.source.currentData() or ""))  # fmt: skip
        self.view.expandAll()
        self._span_groups()

    def _on_proxy_rows_inserted(self, parent: QModelIndex, _first: int, _last: int) -> None:
        if not parent.isValid():
            self._span_groups()
        self.view.expandAll()

    def _span_groups(self) -> None:
        for row in range(self.proxy.rowCount()):
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)
        self.view.expandAll()

    def current_position(self) -> int | None:
        """The position (in the model's offers) of the offer selected in the view."""
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            return None
        return self.model.position(self.proxy.mapToSource(index))

    def select_offer(self, position: int) -> bool:
        """Select the offer at *position* (tests and screenshots)."""
        for group in range(self.model.rowCount()):
            parent = self.model.index(group, 0)
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                if self.model.position(index) == position:
                    shown = self.proxy.mapFromSource(index)
                    if not shown.isValid():
                        return False
                    self.view.setCurrentIndex(shown)
                    self.view.selectionModel().select(shown, self.view.selectionModel().SelectionFlag.ClearAndSelect
                                                      | self.view.selectionModel().SelectionFlag.Rows)  # fmt: skip
                    return True
        return False

    def _on_view_activated(self, index: QModelIndex) -> None:
        position = self.model.position(self.proxy.mapToSource(index))
        if position is not None:
            self.model.set_chosen(position, position not in self.model.chosen_positions)

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.request is not None and bool(self.model.offers))
        self.order_button.setEnabled(self.current_position() is not None)

    # --- the client ---------------------------------------------------------------------------------------------

    def open_client_dialog(self) -> ClientChooseDialog:
        dialog = ClientChooseDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda client_id, name: self.set_client((client_id, name)))
        dialog.open()
        return dialog

    def set_client(self, client: tuple[int, str] | None) -> None:
        """Prices with this client's discount from the next search; the quote is saved for them by default."""
        self.client = client
        self._show_client()

    def _show_client(self) -> None:
        self.client_label.setText(_("Client: {name}").format(name=self.client[1]) if self.client else _("No client"))
        self.client_clear.setVisible(self.client is not None)

    def _show_brand_step(self, shown: bool) -> None:
        self.brand_prompt.setVisible(shown)
        self.brands.setVisible(shown)

    # --- saving and ordering ------------------------------------------------------------------------------------

    def open_save_dialog(self) -> SaveQuoteDialog | None:
        request, offers = self.request, self.model.offers
        if request is None or not offers:
            return None
        chosen = self.model.chosen_positions
        uow_factory = self._uow_factory

        article = quoted_article(request, offers)

        def save(links: dict[str, Any]) -> QuoteInfo:
            return save_quote(uow_factory, article, offers, brand=request.brand, chosen=chosen, **links)

        dialog = SaveQuoteDialog(self.context, save, offers=len(offers), chosen=len(chosen), client=self.client,
                                 parent=self)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_quote_saved(dialog.saved_result))
        dialog.open()
        return dialog

    def _on_quote_saved(self, quote: QuoteInfo) -> None:
        self.show_message(_("Saved as quote {number}.").format(number=quote.display_number), success=True)
        self.quote_saved.emit(quote)

    def open_add_dialog(self) -> AddToWorkOrderDialog | None:
        """Put the selected offer on an open work order (the search is saved as that order's quote first)."""
        position, request, offers = self.current_position(), self.request, self.model.offers
        if position is None or request is None:
            return None
        offer = offers[position]
        uow_factory, article = self._uow_factory, quoted_article(request, offers)

        def add(order: WorkOrderRow, quantity: Decimal) -> WorkOrderCard:
            quote = save_quote(uow_factory, article, offers, brand=request.brand, client_id=order.client_id,
                               work_order_id=order.id, chosen=[position])  # fmt: skip
            saved = next(item for item in quote.offers if item.position == position + 1)
            return add_offer_to_work_order(uow_factory, quote.id, saved.id, order.id, order.version, quantity)

        dialog = AddToWorkOrderDialog(self.context, offer_text(offer), add, quantity=Decimal(offer.multiplicity),
                                      parent=self)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_added(dialog.result_card))
        dialog.open()
        return dialog

    def _on_added(self, card: WorkOrderCard) -> None:
        self.show_message(_("Added to work order {number}.").format(number=card.header.number), success=True)

    # --- helpers ------------------------------------------------------------------------------------------------

    def _on_find_shortcut(self) -> None:
        self.article.setFocus()
        self.article.selectAll()

    def show_message(self, text: str, *, error: bool = False, success: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else SUCCESS_STYLE if success else "")

    def save_state(self) -> None:
        self.context.state.setValue(HEADER_STATE_KEY, self.view.header().saveState())


def offer_text(offer: Offer) -> str:
    return " ".join(part for part in (offer.brand, offer.article, offer.name, f"({offer.source_name})") if part)


def quoted_article(request: SearchRequest, offers: list[Offer]) -> str:
    """The article as the catalogue writes it ("OC 90") when an offer of it came, else as typed ("oc-90")."""
    return next((offer.article for offer in offers if not offer.analog and offer.article), request.article)
