"""The app's read-only lists: whole rows are chosen, nothing is edited in place, rows keep one height."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

SelectionMode = QAbstractItemView.SelectionMode


def set_up_list_table(
    table: QTableView,
    model: QAbstractItemModel,
    selection: SelectionMode = SelectionMode.SingleSelection,
    row_height: int | None = None,
) -> QTableView:
    """Show *model* in *table* as a plain list (alternating rows, no grid, no wrapping, no row numbers); returns it.

    *row_height* None keeps the style's default height. The columns are left to the caller: they differ by list.
    """
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    rows = table.verticalHeader()
    rows.hide()
    # A fixed row height lets the view scroll a long list (a million rows) without measuring any of them.
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    if row_height is not None:
        rows.setDefaultSectionSize(row_height)
    return table
