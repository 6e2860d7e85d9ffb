"""Asking whether a secret may be kept for this session only when the computer has no keyring."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import SecretStorageUnavailableError


def ask_session_only(parent: QWidget | None, error: SecretStorageUnavailableError) -> bool:
    """True when the person agrees to keep the secret in memory until the app closes.

    A blocking question is right here: the answer decides whether the save that asked may go on, and
    nothing else can usefully happen meanwhile.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("No safe place for the password"))
    box.setText(str(error))
    box.setInformativeText(_("Keep the password for this session only? It will not be written to any file."))
    keep = box.addButton(_("Keep for this session"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Do not save"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is keep
