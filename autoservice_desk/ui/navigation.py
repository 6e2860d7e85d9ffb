"""The screen registry: which screens exist, their titles and icons, and who may open them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QStyle

from autoservice_desk.i18n import N_
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.base import Screen

ScreenFactory = Callable[[ScreenContext], Screen]
Icon = QStyle.StandardPixmap


@dataclass(frozen=True)
class ScreenSpec:
    """One entry of the navigation bar; *title* is marked with N_() and translated when shown."""

    key: str
    title: str
    icon: QStyle.StandardPixmap
    factory: ScreenFactory
    roles: frozenset[str] = frozenset()  # empty: everyone; otherwise any of these (admin may open everything)
    offline: bool = False  # usable while the database is unreachable (to fix its settings)

    def available(self, context: ScreenContext) -> bool:
        if not context.connected:
            return self.offline and context.reconnect is not None  # nothing to click while still connecting
        if not self.roles:
            return True
        return context.actor is not None and context.actor.has_role(*self.roles)


# Factories import their screen on first use: a screen nobody opens costs nothing at start-up.
def _clients(context: ScreenContext) -> Screen:
    from autoservice_desk.ui.screens.clients import ClientsScreen

    return ClientsScreen(context)


def _schedule(context: ScreenContext) -> Screen:
    from autoservice_desk.ui.screens.schedule.screen import ScheduleScreen

    return ScheduleScreen(context)


def _work_orders(context: ScreenContext) -> Screen:
    from autoservice_desk.ui.screens.work_orders.screen import WorkOrdersScreen

    return WorkOrdersScreen(context)


def _quoting(context: ScreenContext) -> Screen:
    from autoservice_desk.ui.screens.quoting.screen import QuotingScreen

    return QuotingScreen(context)


def _warehouse(context: ScreenContext) -> Screen:
    from autoservice_desk.ui.screens.warehouse.screen import WarehouseScreen

    return WarehouseScreen(context)


def _messages(context: ScreenContext) -> Screen:
    from autoservice_desk.ui.screens.messages.screen import MessagesScreen

    return MessagesScreen(context)


def _audit(context: ScreenContext) -> Screen:
    from autoservice_desk.ui.screens.audit import AuditScreen

    return AuditScreen(context)


def _settings(context: ScreenContext) -> Screen:
    from autoservice_desk.ui.screens.settings import SettingsScreen

    return SettingsScreen(context)


# In navigation order; later issues insert Schedule, Work orders ... before the audit log.
SCREENS: list[ScreenSpec] = [
    ScreenSpec("clients", N_("Clients"), Icon.SP_DirHomeIcon, _clients),
    ScreenSpec("schedule", N_("Schedule"), Icon.SP_FileDialogListView, _schedule),
    ScreenSpec("work_orders", N_("Work orders"), Icon.SP_FileDialogContentsView, _work_orders,
               frozenset({"advisor", "manager", "mechanic"})),  # mechanics use the garage board
    ScreenSpec("quoting", N_("Quoting"), Icon.SP_FileDialogInfoView, _quoting,
               frozenset({"advisor", "warehouse", "manager"})),
    ScreenSpec("warehouse", N_("Warehouse"), Icon.SP_DriveHDIcon, _warehouse,
               frozenset({"warehouse", "manager", "advisor"})),  # advisors look stock up; services refuse their edits
    ScreenSpec("messages", N_("Messages"), Icon.SP_MessageBoxInformation, _messages,
               frozenset({"advisor", "manager"})),
    ScreenSpec("audit", N_("Audit log"), Icon.SP_FileDialogDetailedView, _audit, frozenset({"admin", "manager"})),
    ScreenSpec("settings", N_("Settings"), Icon.SP_ComputerIcon, _settings, offline=True),
]
