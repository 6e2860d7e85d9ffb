"""Choosing things for a stock document: a part by search, a posted receipt, a place from the tree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.formatting import format_date
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.locations import LocationNode, location_tree
from autoservice_desk.services.part_search import PartHit, search_parts
from autoservice_desk.services.stock_forms import DocumentKind, DocumentStatus, DocumentSummary, quantity_text
from autoservice_desk.services.stock_queries import list_documents
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.location_tree_model import LOCATION_ID_ROLE, LocationTreeModel, walk
from autoservice_desk.ui.style import ERROR_STYLE

SEARCH_DELAY_MS = 250
PICK_LIMIT = 50


class SearchPicker(QDialog):
    """A search field over a result table; Enter or a double click chooses the selected row."""

    chosen = Signal(int)

    titles: tuple[str, ...] = ()  # N_() column titles
    stretch_column = 0
    min_length = 0

    def __init__(self, context: ScreenContext, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.setWindowTitle(title)
        self.resize(720, 460)
        self.search = QLineEdit()
        self.search.setPlaceholderText(prompt)
        self.search.setClearButtonEnabled(True)
        self.results = QTableWidget(0, len(self.titles))
        self.results.setHorizontalHeaderLabels([_(title) for title in self.titles])
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._ids: list[int] = []
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self._timer.timeout.connect(self.refresh)
        self.results.itemDoubleClicked.connect(self.accept)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def lookup(self, text: str) -> list[Any]:
        """Runs on a worker thread: the rows for *text*."""
        raise NotImplementedError

    def row_id(self, row: Any) -> int:
        """The id `chosen` carries for *row*."""
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[str, ...]:
        """The texts of *row*, one per column."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Search for what the field holds now (in the background)."""
        self._timer.stop()
        text = self.search.text().strip()
        if len(text) < self.min_length:
            self._show([])
            return
        self._generation += 1
        generation = self._generation
        self.context.runner.run(lambda _state: self.lookup(text), lambda rows: self._on_found(generation, rows),
                                self._on_failed)  # fmt: skip

    def _on_found(self, generation: int, rows: list[Any]) -> None:
        if generation == self._generation:
            self._show(rows)

    def _on_failed(self, error: DomainError) -> None:
        self.status.setText(str(error))
        self.status.setStyleSheet(ERROR_STYLE)

    def _show(self, rows: Sequence[Any]) -> None:
        self.results.setRowCount(len(rows))
        self._ids = []
        for number, row in enumerate(rows):
            self._ids.append(self.row_id(row))
            for column, text in enumerate(self.cells(row)):
                self.results.setItem(number, column, QTableWidgetItem(text))
        self.results.resizeColumnsToContents()
        self.results.horizontalHeader().setSectionResizeMode(self.stretch_column, QHeaderView.ResizeMode.Stretch)
        if rows:
            self.results.selectRow(0)
        self.status.setStyleSheet("")
        self.status.setText(_("Nothing found.") if not rows and self.search.text().strip() else "")

    @property
    def found_ids(self) -> list[int]:
        return list(self._ids)

    def _on_search_return_pressed(self) -> None:
        if self._timer.isActive() or not self._ids:
            self.refresh()
            return
        self.accept()

    def accept(self) -> None:
        """QDialog override: choose the selected row."""
        rows = self.results.selectionModel().selectedRows()
        if not rows:
            return
        self.chosen.emit(self._ids[rows[0].row()])
        super().accept()


class PartPicker(SearchPicker):
    """A part by article, name or barcode, with what is on hand."""

    titles = (N_("Article"), N_("Brand"), N_("Name"), N_("Available"))
    stretch_column = 2
    min_length = 2

    def __init__(self, context: ScreenContext, title: str = "", text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(context, title or _("Choose a part"), _("Article, name or barcode"), parent)
        if text:
            self.search.setText(text)
            self.refresh()

    def lookup(self, text: str) -> list[PartHit]:
        """SearchPicker override."""
        return search_parts(self.uow_factory, text, limit=PICK_LIMIT, with_analogs=False)

    def row_id(self, row: PartHit) -> int:
        """SearchPicker override."""
        return row.part_id

    def cells(self, row: PartHit) -> tuple[str, ...]:
        """SearchPicker override."""
        return row.article, row.brand, row.name, quantity_text(row.available)


class ReceiptPicker(SearchPicker):
    """A posted goods receipt to return goods against: newest first, by number, supplier or invoice."""

    titles = (N_("Number"), N_("Date"), N_("Supplier"), N_("Lines"))
    stretch_column = 2

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Return to supplier: choose the receipt"), _("Number, supplier or invoice"),
                         parent)  # fmt: skip
        self.refresh()

    def lookup(self, text: str) -> list[DocumentSummary]:
        """SearchPicker override: posted receipts that are not reversals."""
        found = list_documents(self.uow_factory, DocumentKind.RECEIPT, DocumentStatus.POSTED, text, limit=PICK_LIMIT)
        return [row for row in found if row.reverses_id is None]

    def row_id(self, row: DocumentSummary) -> int:
        """SearchPicker override."""
        return row.id

    def cells(self, row: DocumentSummary) -> tuple[str, ...]:
        """SearchPicker override."""
        return row.display_number, format_date(row.document_date), row.counterparty, str(row.line_count)


class PlacePicker(QDialog):
    """A place from the warehouse tree (a count takes a shelf, a rack or a whole warehouse)."""

    chosen = Signal(int)

    def __init__(self, context: ScreenContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        uow_factory = context.uow_factory
        self.setWindowTitle(title)
        self.resize(520, 520)
        self.model = LocationTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel(_("Loading…"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._connect_signals()
        context.runner.run(lambda _state: location_tree(uow_factory, include_inactive=False), self._on_tree_read,
                           self._on_tree_failed)  # fmt: skip

    def _connect_signals(self) -> None:
        self.tree.doubleClicked.connect(self._on_tree_double_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _on_tree_read(self, nodes: list[LocationNode]) -> None:
        self.model.set_nodes(nodes)
        self.tree.expandToDepth(1)
        self.status.setText("" if nodes else _("No places yet: add them on the Places tab."))

    def _on_tree_failed(self, error: DomainError) -> None:
        self.status.setText(str(error))
        self.status.setStyleSheet(ERROR_STYLE)

    def _on_tree_double_clicked(self, index: QModelIndex) -> None:
        self.accept()

    def select(self, location_id: int) -> None:
        index = self.model.index_of(location_id)
        self.tree.setCurrentIndex(index)

    def accept(self) -> None:
        """QDialog override: choose the current place."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        self.chosen.emit(int(self.model.data(index, LOCATION_ID_ROLE)))
        super().accept()


def place_choices(nodes: Sequence[LocationNode]) -> list[tuple[int, str]]:
    """Every place in use as (id, what a combo box shows): the label's code, or the name when it has none."""
    return [(node.id, node.code or node.name) for node in walk(nodes) if node.active]


class PlaceDelegate(QStyledItemDelegate):
    """Edits a place cell with a combo box of the places (the model's edit value is the place id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.places: list[tuple[int, str]] = []

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        """QStyledItemDelegate override: a combo box of the places."""
        combo = QComboBox(parent)
        for place_id, label in self.places:
            combo.addItem(label, place_id)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        """QStyledItemDelegate override: the line's place is selected."""
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """QStyledItemDelegate override: the chosen place's id goes to the model."""
        if isinstance(editor, QComboBox) and editor.currentData() is not None:
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
