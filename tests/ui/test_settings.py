"""Settings: shop details validated all-or-nothing, the database URL without its password, languages, users."""

from __future__ import annotations

import tomllib
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from autoservice_desk.config import SHOP_INN, SHOP_NAME, SHOP_VAT_MODE
from autoservice_desk.credentials import SERVICE_NAME, database_secret_name
from autoservice_desk.services import users
from autoservice_desk.services.startup import Environment
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings import SettingsScreen, database_page
from autoservice_desk.ui.screens.settings.database_page import DatabasePage
from autoservice_desk.ui.screens.settings.language_page import LanguagePage
from autoservice_desk.ui.screens.settings.shop_page import ShopPage
from autoservice_desk.ui.screens.settings.user_dialogs import AddUserDialog, PasswordDialog
from autoservice_desk.ui.screens.settings.users_page import UsersPage

VALID_INN = "7707083893"  # Sberbank's: a real, valid 10-digit INN


def _screen(qtbot: QtBot, context: ScreenContext) -> SettingsScreen:
    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def _settings_file(environment: Environment) -> dict[str, object]:
    return tomllib.loads(environment.paths.settings_file.read_text(encoding="utf-8"))


def _type(qtbot: QtBot, widget: QLineEdit | QComboBox, text: str) -> None:
    edit = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    assert edit is not None
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_shop_page_has_a_field_for_every_shop_option_labelled_by_its_description(
    qtbot: QtBot, context: ScreenContext
) -> None:
    screen = _screen(qtbot, context)  # keep a reference: qtbot holds widgets only weakly
    page = screen.pages["shop"]
    assert isinstance(page, ShopPage)
    from autoservice_desk.config import SHOP_OPTIONS

    assert set(page.fields) == {option.key for option in SHOP_OPTIONS}
    vat = page.fields[SHOP_VAT_MODE.key]
    assert isinstance(vat, QComboBox) and vat.itemText(0) == "VAT 20% on top of prices"
    zones = page.fields["shop.timezone"]
    assert isinstance(zones, QComboBox) and zones.isEditable() and zones.itemText(1) == "Europe/Moscow"


def test_an_invalid_inn_saves_nothing_and_is_shown_next_to_the_field(
    qtbot: QtBot, context: ScreenContext, environment: Environment
) -> None:
    screen = _screen(qtbot, context)  # keep a reference: qtbot holds widgets only weakly
    page = screen.pages["shop"]
    assert isinstance(page, ShopPage)
    _type(qtbot, page.fields[SHOP_NAME.key], "Garage 1")
    _type(qtbot, page.fields[SHOP_INN.key], "7707083894")  # wrong check digit
    _type(qtbot, page.fields["shop.kpp"], "12")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not environment.paths.settings_file.exists()
    assert environment.settings.get(SHOP_NAME) == ""  # not even in memory
    assert page.errors[SHOP_INN.key].isVisibleTo(page) and "check digit" in page.errors[SHOP_INN.key].text()
    assert page.errors["shop.kpp"].isVisibleTo(page) and "9 digits" in page.errors["shop.kpp"].text()
    assert not page.errors[SHOP_NAME.key].isVisibleTo(page)
    assert page.status_label.text().startswith("Nothing was saved")


def test_valid_shop_details_are_written_to_the_toml(
    qtbot: QtBot, context: ScreenContext, environment: Environment
) -> None:
    screen = _screen(qtbot, context)  # keep a reference: qtbot holds widgets only weakly
    page = screen.pages["shop"]
    assert isinstance(page, ShopPage)
    _type(qtbot, page.fields[SHOP_NAME.key], "Garage 1")
    _type(qtbot, page.fields[SHOP_INN.key], VALID_INN)
    _type(qtbot, page.fields["shop.timezone"], "Asia/Yekaterinburg")
    vat = page.fields[SHOP_VAT_MODE.key]
    assert isinstance(vat, QComboBox)
    vat.setCurrentIndex(vat.findData("no_vat"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = _settings_file(environment)["shop"]
    assert isinstance(saved, dict)
    assert saved["name"] == "Garage 1" and saved["inn"] == VALID_INN
    assert saved["timezone"] == "Asia/Yekaterinburg" and saved["vat_mode"] == "no_vat"
    assert Environment.load().settings.get(SHOP_INN) == VALID_INN
    assert page.status_label.text() == "Saved."


def test_language_page_saves_the_choice(qtbot: QtBot, context: ScreenContext, environment: Environment) -> None:
    screen = _screen(qtbot, context)  # keep a reference: qtbot holds widgets only weakly
    page = screen.pages["language"]
    assert isinstance(page, LanguagePage)
    assert [page.language_combo.itemText(i) for i in range(3)] == ["Automatic (the system's language)", "Русский",
                                                                    "English"]  # fmt: skip
    page.language_combo.setCurrentIndex(page.language_combo.findData("ru"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert _settings_file(environment)["ui"] == {"language": "ru"}
    assert "restart" in page.note_label.text()


def _postgresql_form(qtbot: QtBot, page: DatabasePage) -> None:
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("postgresql"))
    _type(qtbot, page.host_edit, "db.shop.local")
    _type(qtbot, page.database_edit, "shop")
    _type(qtbot, page.user_edit, "desk")
    _type(qtbot, page.password_edit, "pa$$word")


def test_database_url_is_saved_without_the_password_which_goes_to_the_keyring(
    qtbot: QtBot, context: ScreenContext, environment: Environment
) -> None:
    screen = _screen(qtbot, context)  # keep a reference: qtbot holds widgets only weakly
    page = screen.pages["database"]
    assert isinstance(page, DatabasePage)
    _postgresql_form(qtbot, page)
    assert page.url_edit.text() == "postgresql://desk@db.shop.local:5432/shop"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    text = environment.paths.settings_file.read_text(encoding="utf-8")
    assert "pa$$word" not in text
    assert _settings_file(environment)["database"] == {"url": "postgresql+psycopg://desk@db.shop.local:5432/shop"}
    name = database_secret_name("desk", "db.shop.local", 5432, "shop")
    assert keyring.get_password(SERVICE_NAME, name) == "pa$$word"
    assert "restart" in page.status_label.text()


def test_without_a_keyring_the_password_is_kept_for_the_session_only_when_agreed(
    qtbot: QtBot, context: ScreenContext, environment: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    answers = iter([False, True])
    monkeypatch.setattr(database_page, "ask_session_only", lambda parent, error: next(answers))
    screen = _screen(qtbot, context)  # keep a reference: qtbot holds widgets only weakly
    page = screen.pages["database"]
    assert isinstance(page, DatabasePage)
    _postgresql_form(qtbot, page)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # "Do not save"
    assert not environment.paths.settings_file.exists()
    assert page.status_label.text() == "Nothing was saved."
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # "Keep for this session"
    assert environment.secrets.session_only
    assert environment.secrets.get(database_secret_name("desk", "db.shop.local", 5432, "shop")) == "pa$$word"
    assert "pa$$word" not in environment.paths.settings_file.read_text(encoding="utf-8")


def test_the_url_field_and_the_separate_fields_follow_each_other(qtbot: QtBot, context: ScreenContext) -> None:
    screen = _screen(qtbot, context)  # keep a reference: qtbot holds widgets only weakly
    page = screen.pages["database"]
    assert isinstance(page, DatabasePage)
    assert page.kind_combo.currentData() == "sqlite" and page.url_edit.text() == ""
    assert not page.host_edit.isVisibleTo(page) and page.path_edit.isVisibleTo(page)
    _type(qtbot, page.url_edit, "postgresql://anna@server:6432/cars")
    assert page.kind_combo.currentData() == "postgresql"
    assert (page.host_edit.text(), page.port_spin.value(), page.database_edit.text()) == ("server", 6432, "cars")
    assert page.host_edit.isVisibleTo(page) and not page.path_edit.isVisibleTo(page)
    _type(qtbot, page.url_edit, "mysql://x@y/z")
    assert page.url_error.isVisibleTo(page) and "not supported" in page.url_error.text()


def test_test_connection_reports_the_schema_or_the_reason(
    qtbot: QtBot, context: ScreenContext, database_url: str
) -> None:
    screen = _screen(qtbot, context)  # keep a reference: qtbot holds widgets only weakly
    page = screen.pages["database"]
    assert isinstance(page, DatabasePage)
    _type(qtbot, page.url_edit, database_url)
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=10_000)
    assert page.test_result.text().startswith("The connection works.") and "up to date" in page.test_result.text()
    _type(qtbot, page.url_edit, "postgresql://nobody@127.0.0.1:1/nowhere")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=10_000)
    assert "127.0.0.1" in page.test_result.text()


def test_admin_adds_a_user_and_changes_a_password(
    qtbot: QtBot, admin_context: ScreenContext, tmp_path: Path
) -> None:
    screen = _screen(qtbot, admin_context)
    page = screen.pages["users"]
    assert isinstance(page, UsersPage)
    runner = admin_context.runner
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.add_button.click()
    dialog = page.findChild(AddUserDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.login_edit, "olga")
    qtbot.keyClicks(dialog.full_name_edit, "Olga Petrova")
    qtbot.keyClicks(dialog.password_edit, "123")
    qtbot.keyClicks(dialog.repeat_edit, "123")
    dialog.role_checks["warehouse"].setChecked(True)
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
    assert "at least 6 characters" in dialog.error_label.text()
    for edit in (dialog.password_edit, dialog.repeat_edit):
        edit.clear()
        qtbot.keyClicks(edit, "secret2")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)  # refreshed through the change bus
    assert runner.wait_for_idle()
    olga = next(user for user in users.list_users(admin_context.uow_factory) if user.login == "olga")  # type: ignore[arg-type]
    assert olga.roles == {"advisor", "warehouse"} and olga.full_name == "Olga Petrova"

    page.table.selectRow(next(row for row in range(2) if page.model.user(row) == olga))
    assert page.password_button.isEnabled()
    page.password_button.click()
    password_dialog = page.findChild(PasswordDialog)
    assert password_dialog is not None
    qtbot.keyClicks(password_dialog.password_edit, "newsecret")
    qtbot.keyClicks(password_dialog.repeat_edit, "newsecret")
    qtbot.mouseClick(password_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status_label.text() == "The password was changed.", timeout=10_000)
    assert admin_context.uow_factory is not None
    assert users.authenticate(admin_context.uow_factory, "olga", "newsecret").login == "olga"
    assert runner.wait_for_idle()


def test_users_model(qtmodeltester: ModelTester, admin_context: ScreenContext) -> None:
    from autoservice_desk.ui.models.users_model import UserColumn, UsersModel

    assert admin_context.uow_factory is not None
    model = UsersModel()
    model.set_users(users.list_users(admin_context.uow_factory))
    qtmodeltester.check(model)
    assert model.data(model.index(0, UserColumn.ROLES)) == "Administrator"
    assert model.data(model.index(0, UserColumn.PASSWORD)) == "Set"
