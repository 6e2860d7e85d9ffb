"""The reception desk's main screen: one search field, the paged client list, the card of the chosen client."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.client_export import export_clients
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.busy_work import InlineMessage
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.list_table import set_up_list_table
from autoservice_desk.ui.messages import show_error
from autoservice_desk.ui.models.client_list_model import MIN_QUERY, ClientColumn, ClientListModel
from autoservice_desk.ui.screens.base import Screen
from autoservice_desk.ui.screens.clients.client_card import ClientCardView
from autoservice_desk.ui.screens.clients.client_editor import ClientDialog
from autoservice_desk.ui.screens.clients.import_wizard import ImportDialog

SEARCH_DELAY_MS = 200
HEADER_STATE_KEY = "clients/header"
SPLITTER_STATE_KEY = "clients/splitter"
INITIAL_WIDTHS = {ClientColumn.NAME: 260, ClientColumn.PHONES: 150, ClientColumn.CARS: 220}


class ClientsScreen(Screen):
    """Ctrl+F finds, Ctrl+N creates, Enter opens, Esc clears the search, Down goes from the search to the list."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        assert context.uow_factory is not None, "the client list is only offered while connected"
        self.model = ClientListModel(context.uow_factory, context.runner, parent=self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Surname, phone, plate or VIN — at least 2 characters (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self.new_button = QPushButton(_("New client"))
        self.new_button.setToolTip(_("Ctrl+N"))
        self.import_button = QPushButton(_("Import…"))
        self.export_button = QPushButton(_("Export…"))
        self.status = QLabel()
        self.error = InlineMessage()
        self.table = set_up_list_table(QTableView(), self.model, row_height=self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in INITIAL_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        if (saved := context.state.value(HEADER_STATE_KEY)) is not None:
            header.restoreState(saved)
        self.card = ClientCardView(context)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self._build()
        if (saved := context.state.value(SPLITTER_STATE_KEY)) is not None:
            self.splitter.restoreState(saved)
        else:
            self.splitter.setSizes([620, 520])
        self._shortcuts = [QShortcut(QKeySequence(key), self) for key in ("Ctrl+F", "Ctrl+N")]
        for shortcut in self._shortcuts:
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.dialog: QWidget | None = None
        self._reselect: int | None = None  # the client to select again once a reloaded list shows it
        self._connect_signals()
        self.model.reload()
        self.search.setFocus()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.error)
        column.addWidget(self.table, 1)
        column.addWidget(self.status)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.new_button.clicked.connect(self.new_client)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self._shortcuts[0].activated.connect(self.focus_search)
        self._shortcuts[1].activated.connect(self.new_client)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.activated.connect(self._on_table_activated)
        self.model.loading_changed.connect(self._update_status)
        self.model.loading_failed.connect(self._on_model_loading_failed)
        self.model.rowsInserted.connect(self._on_model_rows_inserted)
        self.model.modelReset.connect(self._update_status)
        self.card.open_client_requested.connect(self.open_client)
        self.context.changes.changed.connect(self._on_changes_changed)

    # --- search ---------------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()  # typing restarts it: one query when the person pauses, not one per key

    def _on_search_timer_timeout(self) -> None:
        query = self.search.text().strip()
        if query != self.model.query:
            self.error.hide()
            self.model.set_query(query)

    def _on_search_return_pressed(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._on_search_timer_timeout()
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """QObject override: Esc clears the search field; Down moves from it into the list."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.table.setFocus()
                self.table.selectRow(max(self.table.currentIndex().row(), 0))
                return True
        return super().eventFilter(watched, event)

    def _on_model_rows_inserted(self) -> None:
        self._update_status()
        if self._reselect is not None:  # after a reload, the client whose card is open keeps its row selected
            row = self.model.row_of(self._reselect)
            if row is not None:
                self.table.selectRow(row)
            if row is not None or not self.model.canFetchMore(QModelIndex()):
                self._reselect = None
            return
        if not self.table.selectionModel().hasSelection() and self.model.searching and self.model.rowCount():
            self.table.selectRow(0)  # the best match's card shows at once, without leaving the search field

    def _update_status(self) -> None:
        count = self.model.rowCount()
        if self.model.loading and not count:
            text = _("Searching…") if self.model.searching else _("Loading…")
        elif not count and self.model.searching:
            text = _("Nothing found for “{query}”.").format(query=self.model.query)
        elif not count:
            short = 0 < len(self.model.query) < MIN_QUERY
            text = _("Type at least two characters.") if short else _("No clients yet.")
        else:
            more = "+" if self.model.canFetchMore(QModelIndex()) else ""
            text = ngettext("{count} client shown", "{count} clients shown", count).format(count=f"{count}{more}")
        self.status.setText(text)

    def _on_model_loading_failed(self, error: DomainError) -> None:
        self.error.show_error(_("The list could not be read: {reason}").format(reason=error))

    # --- the card -------------------------------------------------------------------------------------------

    def _on_table_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.card.show_client(self.model.client_id(rows[0].row()) if rows else None)

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.card.setFocus()

    def open_client(self, client_id: int) -> None:
        """Show *client_id*'s card (from a duplicate warning, a merge, a link)."""
        row = self.model.row_of(client_id)
        if row is not None:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
            self.card.show_client(client_id)

    def new_client(self) -> None:
        dialog = ClientDialog(self.context, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.open_client)
        dialog.open_existing_requested.connect(self.open_client)
        self.dialog = dialog
        dialog.open()

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("client", "vehicle"):
            selected = self.card.card.id if self.card.card is not None else None
            self._reselect = selected
            self.model.reload()
            if selected is not None:
                self.card.show_client(selected)
        elif changes.touches("timeline"):
            self.card.reload()

    # --- files ----------------------------------------------------------------------------------------------

    def _on_import_button_clicked(self) -> None:
        dialog = ImportDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _on_export_button_clicked(self) -> None:
        dialog = QFileDialog(self, _("Export the client list"), str(Path.home() / "clients.xlsx"),
                             _("Excel (*.xlsx);;CSV (*.csv)"))  # fmt: skip
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_to)
        self.dialog = dialog
        dialog.open()

    def export_to(self, path: str) -> None:
        """Export what the list shows (the current search, or everyone) to *path* in the background."""
        uow_factory, query = self.context.uow_factory, self.model.query
        assert uow_factory is not None
        self.status.setText(_("Exporting…"))

        def work(state: OperationState) -> int:
            return export_clients(uow_factory, Path(path), query, cancelled=lambda: state.cancelled)

        def done(count: int) -> None:
            self.status.setText(ngettext("Exported {count} client to {path}.", "Exported {count} clients to {path}.",
                                         count).format(count=count, path=path))  # fmt: skip

        self.context.runner.run(work, done, self._show_error)

    def _show_error(self, error: DomainError) -> None:
        show_error(self, error)

    def save_state(self) -> None:
        """Screen override: column widths and the splitter position."""
        self.context.state.setValue(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())
        self.context.state.setValue(SPLITTER_STATE_KEY, self.splitter.saveState())
