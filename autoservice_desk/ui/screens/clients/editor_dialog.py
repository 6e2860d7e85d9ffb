"""What the client and car forms share: Save runs in the background and closes the form only once it has saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QWidget

from autoservice_desk.services.errors import DomainError, FieldErrors
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.busy_work import InlineMessage
from autoservice_desk.ui.context import ScreenContext


class EditorDialog(QDialog):
    """A form saved by `_save`; wrong fields get their messages from `show_problems`, other refusals `_show_refusal`.

    The buttons are off while the service runs; `saved` carries the saved record's id.
    """

    saved = Signal(int)  # the client's or car's id
    open_existing_requested = Signal(int)  # the client who already has this phone, or the car's owner

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.errors: dict[str, QLabel] = {}
        self.general_error = InlineMessage()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.duplicate_box: QMessageBox | None = None  # the offer of the record that exists (tests reach it here)

    def accept(self) -> None:
        """QDialog override: save in the background; the dialog closes only when the service has saved."""
        self._save(allow_duplicate=False)

    def _save(self, allow_duplicate: bool) -> None:
        raise NotImplementedError

    def show_problems(self, problems: dict[str, str]) -> None:
        raise NotImplementedError

    def _save_in_background(self, work: Callable[[OperationState], int]) -> None:
        self.buttons.setEnabled(False)
        self.context.runner.run(work, self._on_save_succeeded, self._on_save_failed)

    def _on_save_succeeded(self, saved_id: int) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(saved_id)
        super().accept()

    def _on_save_failed(self, error: DomainError) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, FieldErrors):
            self.show_problems(error.problems)
        else:
            self._show_refusal(error)

    def _show_refusal(self, error: DomainError) -> None:
        """Any refusal but wrong fields: in the line above the buttons unless a form handles it (a duplicate)."""
        self.general_error.show_error(str(error))
