"""Pieces the reference-list pages share: read-only tables keyed by id, an edit dialog saving in the background."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.formatting import babel_locale
from autoservice_desk.services.errors import DomainError, FieldErrors
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.clients.row_lists import INVALID_STYLE, with_error_label
from autoservice_desk.ui.style import ERROR_STYLE

ID_ROLE = Qt.ItemDataRole.UserRole


def decimal_text(value: Decimal | None, places: int = 2) -> str:
    """*value* for an edit field: the locale's decimal sign, no grouping (`1500,50`), which the services read back."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    return str(format_decimal(value, format="0." + "0" * places, locale=babel_locale()))


def make_table(headers: Sequence[str], stretch: int = 1) -> QTableWidget:
    """A read-only, one-row-at-a-time table; column *stretch* takes the spare width."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(table: QTableWidget, rows: Iterable[tuple[object, Sequence[str]]], keep: object = None) -> None:
    """Show *rows* of (id, cells); the row whose id is *keep* (or was selected before) stays selected."""
    selected = keep if keep is not None else selected_id(table)
    table.setRowCount(0)
    for position, (row_id, cells) in enumerate(rows):
        table.insertRow(position)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(ID_ROLE, row_id)
            table.setItem(position, column, item)
        if row_id == selected:
            table.selectRow(position)


def selected_id(table: QTableWidget) -> object:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(ID_ROLE) if item is not None else None


class CheckGrid(QWidget):
    """Checkboxes for a set of ids (equipment, skills), several to a row."""

    def __init__(self, entries: Sequence[tuple[int, str]], columns: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[int, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, (entry_id, name) in enumerate(entries):
            box = QCheckBox(name)
            self.boxes[entry_id] = box
            grid.addWidget(box, index // columns, index % columns)

    def checked(self) -> frozenset[int]:
        return frozenset(entry_id for entry_id, box in self.boxes.items() if box.isChecked())

    def set_checked(self, ids: Iterable[int]) -> None:
        wanted = set(ids)
        for entry_id, box in self.boxes.items():
            box.setChecked(entry_id in wanted)


class EditDialog(QDialog):
    """A form whose OK saves in the background and closes only when saved; each field shows its own error.

    Subclasses add rows with `add_row(key, label, widget)` (key as the service's FieldErrors names it) and
    implement `save_work()`, returning the call to run on a worker thread.
    """

    saved = Signal(object)  # whatever the save returned (usually the id)

    def __init__(self, context: ScreenContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def add_row(self, key: str, label: str, widget: QWidget) -> None:
        holder, error = with_error_label(widget)
        self.errors[key] = error
        self.widgets[key] = widget
        self.form.addRow(label, holder)

    def save_work(self) -> Callable[[], object]:
        raise NotImplementedError

    def show_problems(self, problems: dict[str, str]) -> None:
        unplaced = dict(problems)
        for key, label in self.errors.items():
            mine = [message for name, message in problems.items() if name == key or name.startswith(key + ".")]
            for name in [name for name in unplaced if name == key or name.startswith(key + ".")]:
                del unplaced[name]
            label.setText(" ".join(mine))
            label.setVisible(bool(mine))
            widget = self.widgets[key]
            if isinstance(widget, QLineEdit):
                widget.setStyleSheet(INVALID_STYLE if mine else "")
        self.general_error.setText(" ".join(unplaced.values()))
        self.general_error.setVisible(bool(unplaced))

    def accept(self) -> None:
        """QDialog override: save in the background; close only when saved."""
        work = self.save_work()
        self.show_problems({})
        self.buttons.setEnabled(False)
        self.context.runner.run(lambda state: self._run(work, state), self._on_save_succeeded, self._on_save_failed)

    @staticmethod
    def _run(work: Callable[[], object], state: OperationState) -> object:
        return work()

    def _on_save_succeeded(self, result: object) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(result)
        super().accept()

    def _on_save_failed(self, error: DomainError) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, FieldErrors):
            self.show_problems(error.problems)
        else:
            self.show_problems({"": str(error)})
