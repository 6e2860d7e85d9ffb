"""The main window: navigation offers only the screens that exist and the user may open; status bar; keys; state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from autoservice_desk.i18n import install_language
from autoservice_desk.services import users
from autoservice_desk.services.startup import Environment
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.context import ScreenContext, window_state
from autoservice_desk.ui.dialogs.about import AboutDialog
from autoservice_desk.ui.main_window import ConnectionState, MainWindow
from autoservice_desk.ui.navigation import SCREENS
from autoservice_desk.ui.screens.clients import ClientsScreen
from autoservice_desk.ui.screens.settings import SettingsScreen


def _window(qtbot: QtBot, context: ScreenContext) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_while_connecting_there_is_nothing_to_click(qtbot: QtBot, context: ScreenContext) -> None:
    window = _window(qtbot, context)
    assert window.navigation_keys() == []
    assert window.connection_label.text() == "Connecting…"
    assert window.database_label.text() == "SQLite: /tmp/test.sqlite3"


def test_an_admin_sees_every_existing_screen_and_the_status_bar(
    qtbot: QtBot, admin_context: ScreenContext
) -> None:
    window = _window(qtbot, admin_context)
    window.set_connection_state(ConnectionState.CONNECTED)
    expected = ["clients", "schedule", "work_orders", "quoting", "warehouse", "messages", "audit", "settings"]
    assert window.navigation_keys() == [spec.key for spec in SCREENS] == expected
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert titles == ["Clients", "Schedule", "Work orders", "Quoting", "Warehouse", "Messages", "Audit log",
                      "Settings"]  # fmt: skip
    assert window.user_label.text() == "User: Анна Смирнова"
    assert window.connection_label.text() == "Connected"
    assert isinstance(window.stack.currentWidget(), ClientsScreen)  # the first screen opens after login
    assert admin_context.runner.wait_for_idle()


def test_a_service_advisor_does_not_see_the_audit_log(
    qtbot: QtBot, admin_context: ScreenContext, uow_factory: UnitOfWorkFactory
) -> None:
    assert admin_context.uow_factory is not None
    advisor = users.create_user(admin_context.uow_factory, "olga", "Ольга", "secret2", {"advisor"})
    actor = advisor.as_actor()
    context = admin_context.with_changes(uow_factory=uow_factory.acting_as(actor), actor=actor)
    window = _window(qtbot, context)
    assert window.navigation_keys() == ["clients", "schedule", "work_orders", "quoting", "warehouse", "messages",
                                        "settings"]  # fmt: skip
    assert window.show_screen("audit") is None
    settings = window.show_screen("settings")
    assert isinstance(settings, SettingsScreen)
    assert "users" not in settings.pages  # administrators only


def test_ctrl_digits_switch_screens_and_f1_opens_about(qtbot: QtBot, admin_context: ScreenContext) -> None:
    window = _window(qtbot, admin_context)
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "settings"
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "audit"
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "messages"
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "warehouse"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "quoting"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "work_orders"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "schedule"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "clients"
    window.about_action.trigger()
    about = window.findChild(AboutDialog)
    assert about is not None and about.isVisible()
    assert about.values["Database"] == admin_context.database
    assert about.values["Data folder"] == str(admin_context.environment.paths.data_dir)
    about.close()
    assert admin_context.runner.wait_for_idle()


def test_geometry_splitter_and_screen_survive_a_restart(
    qtbot: QtBot, admin_context: ScreenContext, environment: Environment
) -> None:
    window = _window(qtbot, admin_context)
    window.resize(820, 560)  # the offscreen test screen is only 800×600 (restoring clamps to it)
    window.splitter.setSizes([260, 740])
    window.show_screen("settings")
    assert admin_context.runner.wait_for_idle()
    window.close()
    assert (environment.paths.config_dir / "window-state.ini").exists()

    again = _window(qtbot, admin_context.with_changes(state=window_state(environment)))
    assert again.current_key() == "settings"
    assert again.size().height() == 560
    assert again.splitter.sizes()[0] == 260


def test_the_window_builds_in_russian_with_the_qt_translator(
    qtbot: QtBot, qapp: QApplication, context: ScreenContext, environment: Environment
) -> None:
    from autoservice_desk.app import install_qt_translator

    install_language("ru", environment.paths.cache_dir)
    translator = install_qt_translator(qapp, "ru")
    try:
        assert translator is not None
        window = _window(qtbot, context.with_changes(reconnect=lambda: None))
        settings = window.show_screen("settings", "shop")
        assert isinstance(settings, SettingsScreen) and settings.current_page() == "shop"
        assert window.connection_label.text() and window.windowTitle()
        assert all(label.text() for label in window.statusBar().findChildren(QLabel) if label.isVisible())
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
        install_language("en", environment.paths.cache_dir)
