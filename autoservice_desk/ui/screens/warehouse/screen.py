"""The Warehouse screen: tabs made on first use from one list (stock, documents, and whatever comes next)."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from autoservice_desk.i18n import N_, _
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.base import Screen

log = logging.getLogger(__name__)
TAB_STATE_KEY = "warehouse/tab"
DOCUMENTS_MODULE = "autoservice_desk.ui.screens.warehouse.documents_page"
PageFactory = Callable[[ScreenContext], QWidget]


def _stock(context: ScreenContext) -> QWidget:
    from autoservice_desk.ui.screens.warehouse.stock_page import StockPage

    return StockPage(context)


def _documents(context: ScreenContext) -> QWidget:
    module = importlib.import_module(DOCUMENTS_MODULE)
    page: QWidget = module.DocumentsPage(context)
    return page


def _page(module_name: str, class_name: str, context: ScreenContext) -> QWidget:
    """A page made from its module, imported only when its tab is first shown."""
    module = importlib.import_module(f"autoservice_desk.ui.screens.warehouse.{module_name}")
    page: QWidget = getattr(module, class_name)(context)
    return page


def _documents_available() -> bool:
    try:
        return importlib.util.find_spec(DOCUMENTS_MODULE) is not None
    except ImportError:
        return False


@dataclass(frozen=True)
class TabSpec:
    """One tab: *title* is marked with N_() and translated when shown; *available* says whether it exists yet."""

    key: str
    title: str
    factory: PageFactory
    available: Callable[[], bool] = lambda: True


# In tab order; a new tab is one more line here.
TABS: list[TabSpec] = [
    TabSpec("stock", N_("Stock"), _stock),
    TabSpec("documents", N_("Documents"), _documents, _documents_available),
    TabSpec("purchasing", N_("Purchasing"), lambda context: _page("purchasing_page", "PurchasingPage", context)),
    TabSpec("reports", N_("Reports"), lambda context: _page("reports_page", "ReportsPage", context)),
]


class WarehouseScreen(Screen):
    """Each tab's page is made the first time the tab is shown, so an unopened tab costs nothing."""

    def __init__(self, context: ScreenContext, tabs: list[TabSpec] | None = None) -> None:
        super().__init__(context)
        self.specs = [spec for spec in (tabs if tabs is not None else TABS) if spec.available()]
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, QWidget] = {}
        self._holders: dict[str, QWidget] = {}
        for spec in self.specs:
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self._holders[spec.key] = holder
            self.tabs.addTab(holder, _(spec.title))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        saved = str(context.state.value(TAB_STATE_KEY, "") or "")
        self._connect_signals()
        self.show_page(saved if saved in self._holders else self.specs[0].key if self.specs else "")

    def _connect_signals(self) -> None:
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    def _on_tabs_current_changed(self, index: int) -> None:
        if 0 <= index < len(self.specs):
            self._ensure_page(self.specs[index])

    def _ensure_page(self, spec: TabSpec) -> QWidget:
        page = self.pages.get(spec.key)
        if page is None:
            try:
                page = spec.factory(self.context)
            except Exception as error:  # noqa: BLE001 - a broken tab must not take the whole screen down
                log.exception("the %s tab could not be made", spec.key)
                page = QLabel(_("This tab could not be opened: {reason}").format(reason=error))
            self.pages[spec.key] = page
            layout = self._holders[spec.key].layout()
            assert layout is not None
            layout.addWidget(page)
        return page

    def show_page(self, page: str) -> None:
        """Screen override: bring up the tab *page* ("stock", "documents", ...)."""
        for index, spec in enumerate(self.specs):
            if spec.key == page:
                self._ensure_page(spec)
                self.tabs.setCurrentIndex(index)

    def current_page(self) -> QWidget | None:
        index = self.tabs.currentIndex()
        return self.pages.get(self.specs[index].key) if 0 <= index < len(self.specs) else None

    def save_state(self) -> None:
        """Screen override: the open tab, and whatever each opened page keeps."""
        index = self.tabs.currentIndex()
        if 0 <= index < len(self.specs):
            self.context.state.setValue(TAB_STATE_KEY, self.specs[index].key)
        for page in self.pages.values():
            save = getattr(page, "save_state", None)
            if callable(save):
                save()
