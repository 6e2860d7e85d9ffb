"""With a Russian system locale the whole window speaks Russian: no English word left on any screen."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from autoservice_desk.config import LANGUAGE
from autoservice_desk.i18n import install_language
from autoservice_desk.services.startup import Environment
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.main_window import ConnectionState, MainWindow
from autoservice_desk.ui.screens.settings import SettingsScreen

# Words that stay Latin in a Russian interface: product and technology names, codes, the demo login.
ALLOWED = re.compile(
    r"(sqlite3?|postgresql|qt|pyside|rub|kzt|byn|uzs|eur|usd|url|admin|vin|autoservice[-_]desk|"
    r"sms(c|\.ru)?|telegram|abcp|json|api|\{\w+\}|"  # product names and template placeholders stay as they are
    r"[\w.+-]+@[\w.-]+|\S*/\S*|\w+\.\w+|f\d+|ctrl)",
    re.IGNORECASE,
)
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _english_left(text: str) -> list[str]:
    return ENGLISH_WORD.findall(ALLOWED.sub(" ", text.replace("&", "")))


def _visible_texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(index) for index in range(widget.count()))
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            texts.extend(
                str(model.headerData(column, Qt.Orientation.Horizontal) or "") for column in range(model.columnCount())
            )
    return texts


def test_a_russian_locale_gives_a_russian_window(
    qtbot: QtBot, qapp: QApplication, admin_context: ScreenContext, environment: Environment,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert install_language(environment.settings.get(LANGUAGE), environment.paths.cache_dir) == "ru"
    window = MainWindow(admin_context)
    qtbot.addWidget(window)
    window.show()
    window.set_connection_state(ConnectionState.CONNECTED)
    texts = [action.text() for action in window.menuBar().actions()]
    for menu_action in window.menuBar().actions():
        if menu_action.menu() is not None:
            texts += [action.text() for action in menu_action.menu().actions() if action.text()]  # type: ignore[union-attr]
    texts += [window.navigation.item(row).text() for row in range(window.navigation.count())]
    for key in window.navigation_keys():
        screen = window.show_screen(key)
        assert admin_context.runner.wait_for_idle()
        if isinstance(screen, SettingsScreen):
            for page in screen.pages:
                window.show_screen(key, page)
                texts += _visible_texts(window)
        else:
            texts += _visible_texts(window)
    assert admin_context.runner.wait_for_idle()
    english = {text: words for text in texts if (words := _english_left(text))}
    assert english == {}
    assert "Журнал изменений" in texts and "Настройки" in texts
