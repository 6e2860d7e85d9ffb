"""Saving labels as a PDF: choose the layout from a button's menu, the file in a dialog, render in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QPushButton, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.labels import LAYOUTS
from autoservice_desk.ui.background import OperationState


def labels_button(text: str, parent: QWidget) -> tuple[QPushButton, QMenu]:
    """A button whose menu offers each label layout; the actions carry the layout's key as data."""
    button = QPushButton(text, parent)
    menu = QMenu(button)
    for layout in LAYOUTS.values():
        action = QAction(_(layout.title), menu)
        action.setData(layout.key)
        menu.addAction(action)
    button.setMenu(menu)
    return button, menu


def ask_pdf_path(parent: QWidget, title: str, default_name: str, on_chosen: Callable[[str], None]) -> QFileDialog:
    """Open a save dialog (window-modal, not blocking) in the home folder with *default_name* filled in."""
    dialog = QFileDialog(parent, title, str(Path.home() / default_name), _("PDF (*.pdf)"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(on_chosen)
    dialog.open()
    return dialog


def pdf_work(render: Callable[[], bytes], path: str) -> Callable[[OperationState], str]:
    """The background work: render the labels and write them to *path*; returns the path."""

    def work(state: OperationState) -> str:
        content = render()
        try:
            Path(path).write_bytes(content)
        except OSError as error:
            raise DomainError(_("The file {path} could not be saved: {reason}").format(
                path=path, reason=error.strerror or error)) from error  # fmt: skip
        return path

    return work


def safe_file_name(text: str) -> str:
    """*text* fit for a file name: letters, digits, dashes."""
    kept = "".join(character if character.isalnum() or character in "-_" else "-" for character in text)
    return kept.strip("-") or "labels"
