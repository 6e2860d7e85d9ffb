"""Start-up as a person sees it: the window at once, then first run, login, auto-login, or a database problem."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from autoservice_desk import app
from autoservice_desk.app import Desk
from autoservice_desk.services import audit, users
from autoservice_desk.services.startup import Environment
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.dialogs.first_run import FirstRunDialog
from autoservice_desk.ui.dialogs.login import LoginDialog
from autoservice_desk.ui.screens.settings import SettingsScreen

MakeDesk = Callable[..., Desk]
ADMIN_PASSWORD = "secret1"


@pytest.fixture
def make_desk(qtbot: QtBot, environment: Environment) -> Iterator[MakeDesk]:
    desks: list[Desk] = []

    def make(db_url: str | None, demo: bool = False) -> Desk:
        desk = Desk(environment, db_url, demo)
        qtbot.addWidget(desk.window)
        desks.append(desk)
        desk.start()
        return desk

    yield make
    for desk in desks:
        desk.window.close()
        desk.shutdown()
        desk.deleteLater()


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def _logged_in(desk: Desk) -> bool:
    return desk.window.context.connected


def test_first_run_creates_the_admin_and_logs_in(
    qtbot: QtBot, make_desk: MakeDesk, database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    desk = make_desk(database_url)
    assert desk.window.isVisible()  # shown before the database is even open
    qtbot.waitUntil(lambda: isinstance(desk.dialog, FirstRunDialog), timeout=15_000)
    dialog = desk.dialog
    assert isinstance(dialog, FirstRunDialog)
    assert desk.window.connection_label.text() == "Connected"
    qtbot.keyClicks(dialog.full_name_edit, "Anna Smirnova")  # QTest can only type Latin-1
    qtbot.keyClicks(dialog.password_edit, "secret1")
    qtbot.keyClicks(dialog.repeat_edit, "secret2")
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.error_label.text() == "The two passwords differ."
    dialog.repeat_edit.clear()
    qtbot.keyClicks(dialog.repeat_edit, "secret1")
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)  # Enter submits
    qtbot.waitUntil(lambda: _logged_in(desk), timeout=10_000)
    assert desk.dialog is None  # closed and deleted
    assert desk.window.navigation_keys() == [
        "clients", "schedule", "work_orders", "quoting", "warehouse", "messages", "audit", "settings",
    ]  # fmt: skip
    assert desk.window.user_label.text() == "User: Anna Smirnova"
    assert "SQLite" in desk.window.database_label.text() or "PostgreSQL" in desk.window.database_label.text()
    [admin] = users.list_users(uow_factory)
    assert admin.login == "admin" and admin.has_password and admin.roles == {"admin"}
    assert desk.runner.wait_for_idle()


def test_a_single_pc_shop_without_password_logs_in_by_itself_next_time(
    qtbot: QtBot, make_desk: MakeDesk, database_url: str
) -> None:
    desk = make_desk(database_url)
    qtbot.waitUntil(lambda: isinstance(desk.dialog, FirstRunDialog), timeout=15_000)
    dialog = desk.dialog
    assert isinstance(dialog, FirstRunDialog)
    dialog.no_password_check.click()
    assert not dialog.password_edit.isEnabled()
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: _logged_in(desk), timeout=10_000)
    desk.window.close()
    desk.shutdown()

    again = make_desk(database_url)
    qtbot.waitUntil(lambda: _logged_in(again), timeout=15_000)
    assert again.dialog is None
    assert again.window.context.actor is not None and again.window.context.actor.login == "admin"
    assert again.runner.wait_for_idle()


def test_login_wrong_password_stays_open_right_password_logs_in(
    qtbot: QtBot, make_desk: MakeDesk, database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    users.create_first_admin(uow_factory, "admin", "Анна Смирнова", ADMIN_PASSWORD)
    desk = make_desk(database_url)
    qtbot.waitUntil(lambda: isinstance(desk.dialog, LoginDialog), timeout=15_000)
    dialog = desk.dialog
    assert isinstance(dialog, LoginDialog)
    qtbot.keyClicks(dialog.login_edit, "admin")
    qtbot.keyClicks(dialog.password_edit, "wrong-one")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
    assert dialog.error_label.text() == "Wrong login or password."
    assert dialog.isVisible() and not _logged_in(desk)
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, ADMIN_PASSWORD)
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: _logged_in(desk), timeout=10_000)
    assert desk.dialog is None  # closed and deleted
    actor = desk.window.context.actor
    assert actor is not None and actor.login == "admin"
    # the acting user is who the audit log records from now on
    assert desk.window.context.uow_factory is not None and desk.window.context.uow_factory.actor == actor
    assert [entry.action for entry in audit.list_entries(uow_factory, None, 10)][0] == "login"
    assert desk.runner.wait_for_idle()


def test_quit_on_the_login_dialog_closes_the_window(
    qtbot: QtBot, make_desk: MakeDesk, database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    users.create_first_admin(uow_factory, "admin", "Admin", ADMIN_PASSWORD)
    desk = make_desk(database_url)
    qtbot.waitUntil(lambda: isinstance(desk.dialog, LoginDialog), timeout=15_000)
    dialog = desk.dialog
    assert isinstance(dialog, LoginDialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not desk.window.isVisible())


def test_an_unreachable_database_offers_the_settings_and_a_fixed_url_connects(
    qtbot: QtBot, make_desk: MakeDesk, tmp_path: Path, environment: Environment
) -> None:
    desk = make_desk("postgresql://nobody@127.0.0.1:1/nowhere")
    qtbot.waitUntil(lambda: isinstance(desk.dialog, QMessageBox), timeout=15_000)
    box = desk.dialog
    assert isinstance(box, QMessageBox)
    assert "127.0.0.1" in box.text() and "Traceback" not in box.text()
    assert desk.window.connection_label.text().startswith("Disconnected: ")
    [settings_button] = [button for button in box.buttons() if button.text() == "Database settings…"]
    assert [button.text() for button in box.buttons() if button is not settings_button] == ["Quit"]
    _click(qtbot, settings_button)
    qtbot.waitUntil(lambda: desk.window.current_key() == "settings")
    screen = desk.window.screen_widget("settings")
    assert isinstance(screen, SettingsScreen) and screen.current_page() == "database"
    assert desk.window.navigation_keys() == ["settings"]

    page = screen.pages["database"]
    new_file = tmp_path / "fixed.sqlite3"
    page.url_edit.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(page.url_edit, str(new_file))  # type: ignore[attr-defined]
    _click(qtbot, page.save_button)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: isinstance(desk.dialog, FirstRunDialog), timeout=15_000)
    assert "fixed.sqlite3" in desk.window.database_label.text()
    assert "fixed.sqlite3" in environment.paths.settings_file.read_text(encoding="utf-8")
    assert desk.window.connection_label.text() == "Connected"
    desk.dialog.close()  # type: ignore[union-attr]


def test_demo_flag_fills_an_empty_shop_after_the_first_admin(
    qtbot: QtBot, make_desk: MakeDesk, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "DEMO_CLIENTS", 25)
    desk = make_desk(database_url, demo=True)
    qtbot.waitUntil(lambda: isinstance(desk.dialog, FirstRunDialog), timeout=15_000)
    dialog = desk.dialog
    assert isinstance(dialog, FirstRunDialog)
    dialog.no_password_check.click()
    _click(qtbot, dialog.ok_button)
    # The demo shop walks two weeks of bookings and their work orders through the real services: a minute on a
    # busy test machine.
    qtbot.waitUntil(lambda: "Demo shop added" in desk.window.statusBar().currentMessage(), timeout=120_000)
    assert "25" in desk.window.statusBar().currentMessage()
    assert desk.runner.wait_for_idle()
    assert desk.window.connection_label.text() == "Connected"
