"""Form fields with their own error label: single fields, and editable lists of rows (phones, contact persons)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.ui.busy_work import InlineMessage

INVALID_STYLE = "QLineEdit { border: 1px solid #b00020; }"


def with_error_label(widget: QWidget) -> tuple[QWidget, QLabel]:
    """*widget* over a hidden red label for its message, as one widget for a form row; returns both."""
    error = InlineMessage()
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(widget)
    box.addWidget(error)
    return holder, error


def show_field_problem(label: QLabel, edit: QWidget | None, message: str | None) -> None:
    """*message* in the field's error label (None hides it); the field's line edit, if any, outlined while wrong."""
    label.setText(message or "")
    label.setVisible(message is not None)
    if edit is not None:
        edit.setStyleSheet(INVALID_STYLE if message else "")


def show_field_problems(
    errors: Mapping[str, QLabel], edits: Mapping[str, QWidget], problems: Mapping[str, str]
) -> None:
    """Each of *problems* under its field in *errors* (the others hidden); *edits* are the fields to outline."""
    for name, label in errors.items():
        show_field_problem(label, edits.get(name), problems.get(name))


class RowList(QWidget):
    """Rows of line edits (and optionally a leading combo box), an "Add" button and one error label per row."""

    changed = Signal()

    def __init__(
        self, placeholders: Sequence[str], add_text: str, choices: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._placeholders = list(placeholders)
        self._choices = list(choices)  # (value, label) of the leading combo box, when there is one
        self._rows: list[tuple[QComboBox | None, list[QLineEdit], QLabel, QPushButton]] = []
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(add_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        layout.addLayout(add_row)
        self.add_button.clicked.connect(self._on_add_button_clicked)

    def _on_add_button_clicked(self) -> None:
        edits = self.add_row()
        edits[0].setFocus()

    def add_row(self, values: Sequence[str] = (), choice: str | None = None) -> list[QLineEdit]:
        combo = None
        if self._choices:
            combo = QComboBox()
            for value, label in self._choices:
                combo.addItem(label, value)
            if choice is not None and (index := combo.findData(choice)) >= 0:
                combo.setCurrentIndex(index)
        edits = []
        for position, placeholder in enumerate(self._placeholders):
            edit = QLineEdit(values[position] if position < len(values) else "")
            edit.setPlaceholderText(placeholder)
            edits.append(edit)
        error = InlineMessage()
        remove = QPushButton("✕")
        remove.setToolTip(_("Remove this row"))
        remove.setFixedWidth(32)
        row = len(self._rows) * 2
        column = 0
        if combo is not None:
            self._grid.addWidget(combo, row, column)
            column += 1
        for edit in edits:
            self._grid.addWidget(edit, row, column)
            column += 1
        self._grid.addWidget(remove, row, column)
        self._grid.addWidget(error, row + 1, 0, 1, column + 1)
        entry = (combo, edits, error, remove)
        self._rows.append(entry)
        remove.clicked.connect(lambda: self._remove(entry))
        self.changed.emit()
        return edits

    def _remove(self, entry: tuple[QComboBox | None, list[QLineEdit], QLabel, QPushButton]) -> None:
        kept = [row for row in self._rows if row is not entry]
        values = [(combo.currentData() if combo else None, [edit.text() for edit in edits])
                  for combo, edits, _error, _button in kept]  # fmt: skip
        self.clear()
        for choice, texts in values:
            self.add_row(texts, choice)
        self.changed.emit()

    def clear(self) -> None:
        for combo, edits, error, remove in self._rows:
            for widget in (combo, *edits, error, remove):
                if widget is not None:
                    self._grid.removeWidget(widget)
                    widget.deleteLater()
        self._rows = []

    def values(self) -> list[tuple[str | None, list[str]]]:
        """(combo value or None, texts) of every row, in order (empty rows included: the service skips them)."""
        return [(combo.currentData() if combo else None, [edit.text() for edit in edits])
                for combo, edits, _error, _remove in self._rows]  # fmt: skip

    def row_edits(self, row: int) -> list[QLineEdit]:
        return self._rows[row][1]

    def show_errors(self, problems: dict[int, str]) -> None:
        for row, (_combo, edits, error, _remove) in enumerate(self._rows):
            show_field_problem(error, edits[0], problems.get(row))

    def first_error_edit(self) -> QLineEdit | None:
        return next((edits[0] for _combo, edits, error, _remove in self._rows if not error.isHidden()), None)
