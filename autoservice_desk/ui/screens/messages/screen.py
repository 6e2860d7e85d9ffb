"""The Messages screen: the outbox with its totals, and the advisors' tasks (maintenance due and the like)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.i18n import _
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.base import Screen
from autoservice_desk.ui.screens.messages.outbox_page import OutboxPage
from autoservice_desk.ui.screens.messages.tasks_page import TasksPage

TAB_STATE_KEY = "messages/tab"


class MessagesScreen(Screen):
    """Two tabs: "outbox" and "tasks" (`show_page` opens one by name)."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        assert context.uow_factory is not None, "messages are only offered while connected"
        self.zone = ZoneInfo(str(context.environment.settings.get(SHOP_TIMEZONE)))
        self.outbox = OutboxPage(context, self.zone)
        self.tasks = TasksPage(context)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.outbox, _("Outbox"))
        self.tabs.addTab(self.tasks, _("Advisor tasks"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.show_page(str(context.state.value(TAB_STATE_KEY, "outbox") or "outbox"))

    def show_page(self, page: str) -> None:
        """Screen override: "outbox" or "tasks"."""
        self.tabs.setCurrentWidget(self.tasks if page == "tasks" else self.outbox)

    def save_state(self) -> None:
        """Screen override: the tab, the columns and the splitter."""
        self.context.state.setValue(TAB_STATE_KEY, "tasks" if self.tabs.currentWidget() is self.tasks else "outbox")
        self.outbox.save_state()
