"""Showing a domain error to a person: one translated sentence in a message box, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    DatabaseUnavailableError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    SchemaTooNewError,
    SecretStorageUnavailableError,
    ValidationError,
)


def error_title(error: DomainError) -> str:
    """A short window title for the kind of *error*."""
    titles: list[tuple[type[DomainError], str]] = [
        (ValidationError, _("Please check the input")),
        (PermissionDeniedError, _("Not allowed")),
        (NotFoundError, _("Not found")),
        (ConflictError, _("Changed by someone else")),
        (AuthenticationError, _("Login failed")),
        (DatabaseUnavailableError, _("Database unavailable")),
        (SchemaTooNewError, _("Newer database")),
        (SecretStorageUnavailableError, _("No safe place for the password")),
        (ConfigurationError, _("Settings problem")),
    ]
    return next((title for kind, title in titles if isinstance(error, kind)), _("Cannot complete the action"))


def show_error(parent: QWidget | None, error: DomainError, title: str | None = None) -> QMessageBox:
    """Show *error* window-modally without blocking; the box deletes itself when closed."""
    box = QMessageBox(QMessageBox.Icon.Warning, title or error_title(error), str(error), QMessageBox.StandardButton.Ok,
                      parent)  # fmt: skip
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box
