"""The Quoting screen: the search, the saved quotes and the suppliers it asks, one tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from autoservice_desk.i18n import _
from autoservice_desk.services.quotes import QuoteInfo
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.base import Screen
from autoservice_desk.ui.screens.quoting.quotes_page import QuotesPage
from autoservice_desk.ui.screens.quoting.search_page import SearchPage
from autoservice_desk.ui.screens.quoting.suppliers_page import SuppliersPage

TAB_STATE_KEY = "quoting/tab"
PAGES = ("search", "quotes", "suppliers")


class QuotingScreen(Screen):
    """Pages "search", "quotes" and "suppliers"; a quote saved in the search shows up in the quotes tab."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        assert context.uow_factory is not None, "quoting is only offered while connected"
        self.search = SearchPage(context)
        self.quotes = QuotesPage(context)
        self.suppliers = SuppliersPage(context)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for page, title in ((self.search, _("Search")), (self.quotes, _("Quotes")),
                            (self.suppliers, _("Suppliers"))):  # fmt: skip
            self.tabs.addTab(page, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.search.quote_saved.connect(self._on_search_quote_saved)
        saved = str(context.state.value(TAB_STATE_KEY, "") or "")
        self.show_page(saved if saved in PAGES else "search")

    def _on_search_quote_saved(self, quote: QuoteInfo) -> None:
        self.quotes.reload()

    def show_page(self, page: str) -> None:
        """Screen override: "search", "quotes" or "suppliers"."""
        if page in PAGES:
            self.tabs.setCurrentIndex(PAGES.index(page))

    def save_state(self) -> None:
        """Screen override: the open tab, the result columns and the quotes splitter."""
        self.context.state.setValue(TAB_STATE_KEY, PAGES[self.tabs.currentIndex()])
        self.search.save_state()
        self.quotes.save_state()
