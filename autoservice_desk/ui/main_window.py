"""The main window: a navigation bar, the current screen, a status bar and the menus; nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.navigation import SCREENS, ScreenSpec
from autoservice_desk.ui.screens.base import Screen

KEY_ROLE = Qt.ItemDataRole.UserRole


class ConnectionState(Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


class MainWindow(QMainWindow):
    """Hosts the screens the acting user may open; screens are built the first time they are shown."""

    screen_changed = Signal(str)
    closed = Signal()

    def __init__(self, context: ScreenContext, screens: Sequence[ScreenSpec] = SCREENS) -> None:
        super().__init__()
        self._context = context
        self._specs = list(screens)
        self._screens: dict[str, Screen] = {}
        self.setWindowTitle(_("Autoservice desk"))
        self.setMinimumSize(QSize(800, 520))
        self._build_menus()
        self._build_body()
        self._build_status_bar()
        self._connect_signals()
        self._restore_state()
        self.set_context(context)
        self.set_connection_state(ConnectionState.CONNECTING)

    # --- building -------------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.quit_action = QAction(_("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        self.about_action = QAction(_("&About Autoservice desk"), self)
        self.about_action.setShortcut(QKeySequence("F1"))
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.about_action)
        self._screen_shortcuts = [QShortcut(QKeySequence(f"Ctrl+{n}"), self) for n in range(1, 10)]

    def _build_body(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(24, 24))
        self.navigation.setSpacing(2)
        self.navigation.setMinimumWidth(150)
        self.stack = QStackedWidget()
        self._placeholder = QLabel()
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self.stack.addWidget(self._placeholder)
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 810])
        self.setCentralWidget(self.splitter)

    def _build_status_bar(self) -> None:
        self.connection_label = QLabel()
        self.database_label = QLabel()
        self.user_label = QLabel()
        for label in (self.user_label, self.database_label, self.connection_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setContentsMargins(10, 0, 10, 0)
            label.setFrameShape(QLabel.Shape.StyledPanel)  # a visible edge between the three facts
            self.statusBar().addPermanentWidget(label)

    def _connect_signals(self) -> None:
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.navigation.currentRowChanged.connect(self._on_navigation_row_changed)
        for row, shortcut in enumerate(self._screen_shortcuts):
            shortcut.activated.connect(lambda row=row: self._on_screen_shortcut_activated(row))

    # --- state ----------------------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        state = self._context.state
        geometry = state.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 720)
        window_state = state.value("main_window/state")
        if window_state is not None:
            self.restoreState(window_state)
        splitter = state.value("main_window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _save_state(self) -> None:
        state = self._context.state
        state.setValue("main_window/geometry", self.saveGeometry())
        state.setValue("main_window/state", self.saveState())
        state.setValue("main_window/splitter", self.splitter.saveState())
        if (key := self.current_key()) is not None:
            state.setValue("main_window/screen", key)
        for screen in self._screens.values():
            screen.save_state()
        state.sync()

    # --- public API -----------------------------------------------------------------------------------------

    @property
    def context(self) -> ScreenContext:
        return self._context

    def set_context(self, context: ScreenContext) -> None:
        """Show the screens *context* allows (after a login, or offline for fixing the database settings)."""
        for screen in self._screens.values():
            screen.save_state()
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self._screens.clear()
        self._context = context
        self.navigation.blockSignals(True)
        self.navigation.clear()
        for spec in self._specs:
            if spec.available(context):
                item = QListWidgetItem(self.style().standardIcon(spec.icon), _(spec.title))
                item.setData(KEY_ROLE, spec.key)
                item.setSizeHint(QSize(0, 36))
                self.navigation.addItem(item)
        self.navigation.blockSignals(False)
        self.user_label.setText(_("User: {name}").format(name=context.actor.full_name) if context.actor else "")
        self.user_label.setVisible(context.actor is not None)
        self.set_database(context.database)
        if context.connected:
            last = str(context.state.value("main_window/screen", "") or "")
            if last not in self.navigation_keys():
                last = self.navigation_keys()[0] if self.navigation_keys() else ""
            if last:
                self.show_screen(last)
        else:
            self.stack.setCurrentWidget(self._placeholder)

    def set_database(self, description: str) -> None:
        self.database_label.setText(description)

    def set_connection_state(self, state: ConnectionState, reason: str = "") -> None:
        texts = {
            ConnectionState.CONNECTING: _("Connecting…"),
            ConnectionState.CONNECTED: _("Connected"),
            ConnectionState.DISCONNECTED: _("Disconnected"),
        }
        self.connection_label.setText(texts[state])
        self.connection_label.setToolTip(reason)
        if state is ConnectionState.CONNECTING:
            self._placeholder.setText(_("Connecting to the database…"))
        elif state is ConnectionState.CONNECTED:
            self._placeholder.setText(_("Connected. Log in to start working."))
        elif state is ConnectionState.DISCONNECTED:
            self._placeholder.setText(_("The database is not available.") + ("\n\n" + reason if reason else ""))
            self.connection_label.setText(texts[state] + (f": {reason}" if reason else ""))

    def navigation_keys(self) -> list[str]:
        return [str(self.navigation.item(row).data(KEY_ROLE)) for row in range(self.navigation.count())]

    def current_key(self) -> str | None:
        item = self.navigation.currentItem()
        return str(item.data(KEY_ROLE)) if item is not None else None

    def screen_widget(self, key: str) -> Screen | None:
        """The screen *key* if it has been built."""
        return self._screens.get(key)

    def show_screen(self, key: str, page: str | None = None) -> Screen | None:
        """Switch to screen *key* (building it on first use); None when the user may not open it."""
        keys = self.navigation_keys()
        if key not in keys:
            return None
        self.navigation.setCurrentRow(keys.index(key))  # builds and shows it through _on_navigation_row_changed
        screen = self._screens.get(key)
        if screen is not None and page:
            screen.show_page(page)
        return screen

    # --- slots ----------------------------------------------------------------------------------------------

    def _on_navigation_row_changed(self, row: int) -> None:
        if row < 0:
            self.stack.setCurrentWidget(self._placeholder)
            return
        key = str(self.navigation.item(row).data(KEY_ROLE))
        screen = self._screens.get(key)
        if screen is None:
            spec = next(spec for spec in self._specs if spec.key == key)
            screen = spec.factory(self._context)
            self._screens[key] = screen
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        self.screen_changed.emit(key)

    def _on_screen_shortcut_activated(self, row: int) -> None:
        if row < self.navigation.count():
            self.navigation.setCurrentRow(row)

    def _on_about_action_triggered(self) -> None:
        from autoservice_desk.ui.dialogs.about import AboutDialog

        dialog = AboutDialog(self._context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Qt override: keep the window and screen state for next time, then tell the application."""
        self._save_state()
        super().closeEvent(event)
        self.closed.emit()

    def sizeHint(self) -> QSize:
        """Qt override: a comfortable first size on a 1366×768 laptop."""
        return QSize(1100, 720)
