"""The Settings screen: database, language, shop details and (for administrators) users, one tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.base import Screen
from autoservice_desk.ui.screens.settings.database_page import DatabasePage
from autoservice_desk.ui.screens.settings.language_page import LanguagePage
from autoservice_desk.ui.screens.settings.shop_page import ShopPage

TAB_STATE_KEY = "settings/page"


class SettingsScreen(Screen):
    """Pages are keyed ("database", "language", "shop", "clients", "catalog", "resources", "messages", "users")."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, QWidget] = {
            "database": DatabasePage(context),
            "language": LanguagePage(context),
            "shop": ShopPage(context),
        }
        if context.connected:
            from autoservice_desk.ui.screens.settings.clients_page import ClientsPage

            self.pages["clients"] = ClientsPage(context)
            from autoservice_desk.ui.screens.settings.catalog_page import CatalogPage
            from autoservice_desk.ui.screens.settings.resources_page import ResourcesPage

            self.pages["catalog"] = CatalogPage(context)
            self.pages["resources"] = ResourcesPage(context)
        if context.connected and context.actor is not None and context.actor.has_role("manager"):
            from autoservice_desk.ui.screens.settings.messages_page import MessagesPage

            self.pages["messages"] = MessagesPage(context)
        if context.connected and context.is_admin:
            from autoservice_desk.ui.screens.settings.users_page import UsersPage

            self.pages["users"] = UsersPage(context)
        titles = {
            "database": _("Database"), "language": _("Language"), "shop": _("Shop details"), "clients": _("Clients"),
            "catalog": _("Catalog"), "resources": _("Schedule resources"), "users": _("Users"),
            "messages": _("Messages"),
        }  # fmt: skip
        for key, page in self.pages.items():
            page.setObjectName(key)
            self.tabs.addTab(page, titles[key])
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        last = str(context.state.value(TAB_STATE_KEY, "") or "")
        if last in self.pages:
            self.show_page(last)

    def show_page(self, page: str) -> None:
        """Screen override: switch to the tab *page*."""
        if page in self.pages:
            self.tabs.setCurrentWidget(self.pages[page])

    def current_page(self) -> str:
        return self.tabs.currentWidget().objectName()

    def save_state(self) -> None:
        """Screen override: reopen the same tab next time."""
        self.context.state.setValue(TAB_STATE_KEY, self.current_page())
