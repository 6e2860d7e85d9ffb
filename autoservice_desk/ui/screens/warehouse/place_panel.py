"""The place tree of the stock page with its actions: add, rename, move, take out of use, print labels."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.labels import location_labels
from autoservice_desk.services.locations import LocationNode, location_tree, set_location_active
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.messages import show_error
from autoservice_desk.ui.models.location_tree_model import LocationTreeModel, PlaceColumn, place_title, walk
from autoservice_desk.ui.screens.settings.editing import EditDialog
from autoservice_desk.ui.screens.warehouse.label_files import ask_pdf_path, labels_button, pdf_work, safe_file_name
from autoservice_desk.ui.screens.warehouse.place_dialogs import (
    AddPlaceDialog,
    MovePlaceDialog,
    RenamePlaceDialog,
    place_paths,
)

EDITOR_ROLES = ("warehouse", "manager")


class PlacePanel(QWidget):
    """Choosing a place filters the parts list to it (`place_selected`); several may be chosen for labels."""

    place_selected = Signal(object)  # the place id, or None when nothing is chosen
    status_reported = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self._uow_factory = context.uow_factory
        self.model = LocationTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PlaceColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PlaceColumn.CODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PlaceColumn.PARTS, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton(_("Add…"))
        self.add_button.setToolTip(_("A rack, shelf or bin inside the chosen place; a warehouse when none is chosen"))
        self.rename_button = QPushButton(_("Rename…"))
        self.move_button = QPushButton(_("Move…"))
        self.active_button = QPushButton(_("Out of use"))
        self.labels_button, self.labels_menu = labels_button(_("Labels"), self)
        self.new_warehouse_action = QAction(_("New warehouse…"), self)
        self.dialog: QWidget | None = None  # the open dialog or box (tests reach it here)
        self._first_load = True
        self._selected_ids: list[int] = []
        self._emitted: int | None = None  # the place the page was last told of
        self._pending_select: int | None = None  # a place just added: chosen once the tree shows it
        self.can_edit = context.actor is not None and context.actor.has_role(*EDITOR_ROLES)
        self._build()
        self._connect_signals()
        self._update_buttons()

    def _build(self) -> None:
        buttons = QGridLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for position, button in enumerate((self.add_button, self.rename_button, self.move_button,
                                           self.active_button, self.labels_button)):  # fmt: skip
            buttons.addWidget(button, position // 2, position % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Places"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu_requested)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.move_button.clicked.connect(self._on_move_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.labels_menu.triggered.connect(self._on_labels_menu_triggered)
        self.new_warehouse_action.triggered.connect(lambda: self.open_add_dialog(None))

    # --- reading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        uow_factory = self._uow_factory
        self.context.runner.run(lambda _state: location_tree(uow_factory), self._on_tree_read, self._on_failed)

    def _on_tree_read(self, nodes: list[LocationNode]) -> None:
        expanded = {node.id for node in walk(self.model.roots)
                    if self.tree.isExpanded(self.model.index_of(node.id))}  # fmt: skip
        selected, current = list(self._selected_ids), self.current_id()
        selection = self.tree.selectionModel()
        selection.blockSignals(True)  # the same places come back: the parts list need not be read again
        self.model.set_nodes(nodes)
        for node in walk(nodes):
            if node.id in expanded or (self._first_load and node.kind == "warehouse"):
                self.tree.expand(self.model.index_of(node.id))
        for place_id in selected:
            index = self.model.index_of(place_id)
            if index.isValid():
                flags = QItemSelection(index, self.model.index_of(place_id, PlaceColumn.PARTS))
                selection.select(flags, selection.SelectionFlag.Select)
        if current is not None and self.model.index_of(current).isValid():
            selection.setCurrentIndex(self.model.index_of(current), selection.SelectionFlag.NoUpdate)
        selection.blockSignals(False)
        self._first_load = False
        pending, self._pending_select = self._pending_select, None
        if pending is not None and self.model.find(pending) is not None:
            self.select_place(pending)
        else:
            self._selection_updated()

    # --- selection ------------------------------------------------------------------------------------------

    def current_id(self) -> int | None:
        """The one place the parts list is filtered to: the current one, if it is chosen."""
        index = self.tree.selectionModel().currentIndex()
        node = self.model.node(index)
        if node is not None and node.id in self._selected_ids:
            return node.id
        return self._selected_ids[0] if self._selected_ids else None

    def current_node(self) -> LocationNode | None:
        current = self.current_id()
        return self.model.find(current) if current is not None else None

    def selected_ids(self) -> list[int]:
        return list(self._selected_ids)

    def select_place(self, location_id: int | None) -> None:
        """Choose *location_id* alone (None: no place), showing it in the tree."""
        selection = self.tree.selectionModel()
        if location_id is None or not self.model.index_of(location_id).isValid():
            selection.clearSelection()
            return
        index = self.model.index_of(location_id)
        self.tree.scrollTo(index)
        selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows)

    def _on_tree_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._selection_updated()

    def _selection_updated(self) -> None:
        """Note the chosen places; tell the page when the place to filter by has changed."""
        rows = self.tree.selectionModel().selectedRows(PlaceColumn.NAME)
        self._selected_ids = [index.internalId() for index in rows]
        self._update_buttons()
        now = self.current_id()
        if now != self._emitted:
            self._emitted = now
            self.place_selected.emit(now)

    def _update_buttons(self) -> None:
        node = self.current_node()
        for button in (self.rename_button, self.move_button, self.active_button):
            button.setEnabled(self.can_edit and node is not None)
        self.add_button.setEnabled(self.can_edit and (node is None or (node.active and node.kind != "bin")))
        self.labels_button.setEnabled(bool(self._selected_ids))
        self.active_button.setText(_("Back in use") if node is not None and not node.active else _("Out of use"))

    def _on_tree_context_menu_requested(self, point: QPoint) -> None:
        menu = QMenu(self)
        for button in (self.add_button, self.rename_button, self.move_button, self.active_button):
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        menu.addAction(self.new_warehouse_action)
        self.new_warehouse_action.setEnabled(self.can_edit)
        menu.addSeparator()
        menu.addMenu(self.labels_menu).setText(self.labels_button.text())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.tree.viewport().mapToGlobal(point))

    # --- changing -------------------------------------------------------------------------------------------

    def _open(self, dialog: EditDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _result: self.status_reported.emit(_("Saved.")))
        dialog.open()

    def open_add_dialog(self, parent_node: LocationNode | None) -> AddPlaceDialog:
        path = place_paths(self.model.roots).get(parent_node.id, "") if parent_node is not None else ""
        dialog = AddPlaceDialog(self.context, parent_node, path, self)
        dialog.saved.connect(self._on_add_dialog_saved)
        self._open(dialog)
        return dialog

    def _on_add_dialog_saved(self, location_id: object) -> None:
        # Chosen once the tree has been read again (the change bus asks for that).
        if isinstance(location_id, int):
            self._pending_select = location_id

    def _on_add_button_clicked(self) -> None:
        self.open_add_dialog(self.current_node())

    def _on_rename_button_clicked(self) -> None:
        node = self.current_node()
        if node is not None:
            self._open(RenamePlaceDialog(self.context, node, self))

    def _on_move_button_clicked(self) -> None:
        node = self.current_node()
        if node is not None:
            self._open(MovePlaceDialog(self.context, node, self.model.roots, self))

    def _on_active_button_clicked(self) -> None:
        node = self.current_node()
        if node is None:
            return
        if not node.active:
            self.set_active(node.id, True)
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Out of use"),
                          _("Take {place} and everything in it out of use? Nothing can be put there afterwards.")
                          .format(place=place_title(node)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.set_active(node.id, False))
        self.dialog = box
        box.open()

    def set_active(self, location_id: int, active: bool) -> None:
        uow_factory = self._uow_factory
        self.context.runner.run(
            lambda _state: set_location_active(uow_factory, location_id, active),
            lambda _result: self.status_reported.emit(_("Saved.")), self._on_failed,
        )  # fmt: skip

    def _on_labels_menu_triggered(self, action: QAction) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        node = self.model.find(ids[0])
        name = safe_file_name(_("places-{code}").format(code=node.code or node.name)) if node else "places"
        layout = str(action.data())
        self.dialog = ask_pdf_path(self, _("Save place labels"), f"{name}.pdf",
                                   lambda path: self.save_labels(ids, path, layout))  # fmt: skip

    def save_labels(self, location_ids: list[int], path: str, layout: str = "sheet") -> None:
        """Render the labels of *location_ids* to the PDF file *path* in the background."""
        uow_factory = self._uow_factory
        work = pdf_work(lambda: location_labels(uow_factory, location_ids, layout), path)
        self.context.runner.run(work, lambda saved: self.status_reported.emit(
            _("Labels saved to {path}.").format(path=saved)), self._on_failed)  # fmt: skip

    def _on_failed(self, error: DomainError) -> None:
        show_error(self, error)

