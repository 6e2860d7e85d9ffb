"""A dialog with a form whose OK runs a service in the background and shows its error inline."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.ui.background import BackgroundRunner, OperationState
from autoservice_desk.ui.style import ERROR_STYLE

T = TypeVar("T")


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class FormDialog(QDialog):
    """Enter submits, Esc closes; while the service runs the form is disabled; an error keeps the dialog open."""

    def __init__(self, runner: BackgroundRunner, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._fields: dict[str, QWidget] = {}
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def cancel_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Cancel)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def add_info(self, label: str, text: str) -> QLabel:
        """A read-only row (which database this is about), selectable so it can be copied."""
        value = QLabel(text)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(label, value)
        return value

    def add_field(self, name: str, label: str, widget: QWidget, row: QWidget | None = None) -> None:
        """Add a form row; *name* is the service's ValidationError.field, so its error focuses this widget.

        *row* is what the form shows in the row when that is more than the widget (e.g. the widget over its own
        error label).
        """
        widget.setObjectName(name)
        self._fields[name] = widget
        self.form.addRow(label, row if row is not None else widget)

    def show_error(self, error: DomainError | str) -> None:
        self.error_label.setText(str(error))
        self.error_label.show()
        field = self._fields.get(error.field or "") if isinstance(error, ValidationError) else None
        if field is not None:
            field.setFocus()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def set_busy(self, busy: bool) -> None:
        for widget in (*self._fields.values(), self.ok_button):
            widget.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def submit(self, work: Callable[[OperationState], T], on_success: Callable[[T], None]) -> None:
        """Run *work* in the background; on success call *on_success* and close, on error show it inline."""
        self.clear_error()
        self.set_busy(True)

        def succeeded(result: T) -> None:
            self.set_busy(False)
            on_success(result)
            super(FormDialog, self).accept()

        def failed(error: DomainError) -> None:
            self.set_busy(False)
            self.show_error(error)

        self._runner.run(work, succeeded, failed)

    def accept(self) -> None:
        """QDialog override: subclasses validate and call `submit`; the dialog closes only when it succeeds."""
        raise NotImplementedError
