"""The warehouse keeper's stock browser: the place tree, one search over the parts, the chosen part's stock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.part_search import PartHit
from autoservice_desk.services.stock_browse import BrowseCursor, part_hit, parts_on_location, search_on_location
from autoservice_desk.services.stock_queries import StockStamp, stock_stamp
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.busy_work import InlineMessage
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.list_table import set_up_list_table
from autoservice_desk.ui.models.location_tree_model import place_title
from autoservice_desk.ui.models.stock_parts_model import PartColumn, StockPartsModel
from autoservice_desk.ui.screens.warehouse.label_files import labels_button
from autoservice_desk.ui.screens.warehouse.part_actions import PartActions
from autoservice_desk.ui.screens.warehouse.part_panel import PartDetails
from autoservice_desk.ui.screens.warehouse.place_panel import EDITOR_ROLES, PlacePanel
from autoservice_desk.ui.screens.warehouse.search_scanner import SearchScanFilter

SEARCH_DELAY_MS = 200
POLL_MS = 5_000  # how soon another desk's posting shows up
HEADER_STATE_KEY = "warehouse/stock/header"
SPLITTER_STATE_KEY = "warehouse/stock/splitter"
RIGHT_STATE_KEY = "warehouse/stock/right"
INITIAL_WIDTHS = {PartColumn.ARTICLE: 100, PartColumn.BRAND: 90, PartColumn.PRICE: 104, PartColumn.PLACES: 100}
RELOADING_CHANGES = ("stock", "part", "parts", "crosses", "markups", "part_groups", "locations")
Page = tuple[list[PartHit], BrowseCursor | None]


class StockPage(PartActions, QWidget):
    """Ctrl+F finds, Ctrl+N adds a part, Enter opens the chosen one, Esc clears the search; a scan finds its part."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None, "the warehouse is only offered while connected"
        self.context = context
        self._uow_factory = context.uow_factory
        self.can_edit = context.actor is not None and context.actor.has_role(*EDITOR_ROLES)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Article, brand, name or barcode — or scan a label (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.scanner = SearchScanFilter(self.search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self.new_button = QPushButton(_("New part"))
        self.new_button.setToolTip(_("Ctrl+N"))
        self.edit_button = QPushButton(_("Open part"))
        self.edit_button.setToolTip(_("Enter"))
        self.labels_button, self.labels_menu = labels_button(_("Part labels"), self)
        self.default_place_button = QPushButton(_("Default place…"))
        self.default_place_button.setToolTip(_("Where the part is put away: receipts suggest this place"))
        self.filter_label = QLabel()
        self.all_button = QPushButton(_("Show all parts"))
        self.status = QLabel()
        self.error = InlineMessage()
        self.model = StockPartsModel(context.runner, self)
        self.table = self._make_table()
        self.places = PlacePanel(context)
        self.details = PartDetails(context)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self._build()
        self._shortcuts = [QShortcut(QKeySequence(key), self) for key in ("Ctrl+F", "Ctrl+N")]
        for shortcut in self._shortcuts:
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._query = ""
        self._location: int | None = None
        self._reselect: int | None = None  # the part to choose again once the re-read list shows it
        self._enter_list = False  # Enter was pressed in the search before its answer came
        self._stamp: StockStamp | None = None
        self.dialog: QWidget | None = None  # the open dialog or box (tests reach it here)
        self._connect_signals()
        self._update_buttons()
        self.places.reload()
        self._apply_filter()
        self._read_stamp()
        self._poll.start()

    def _make_table(self) -> QTableView:
        table = set_up_list_table(QTableView(), self.model, row_height=self.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(PartColumn.NAME, QHeaderView.ResizeMode.Stretch)  # names are long, the rest short
        metrics = header.fontMetrics()
        for column in PartColumn:
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            table.setColumnWidth(column, max(metrics.horizontalAdvance(title) + 16, INITIAL_WIDTHS.get(column, 48)))
        if (saved := self.context.state.value(HEADER_STATE_KEY)) is not None:
            header.restoreState(saved)
        return table

    def _build(self) -> None:
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_label, 1)
        filter_row.addWidget(self.all_button)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        for button in (self.new_button, self.edit_button, self.labels_button, self.default_place_button):
            bar.addWidget(button)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addLayout(filter_row)
        column.addWidget(self.error)
        column.addWidget(self.table, 1)
        column.addLayout(bar)
        self.right.addWidget(top)
        self.right.addWidget(self.details)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.splitter.addWidget(self.places)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        for splitter, key, sizes in ((self.splitter, SPLITTER_STATE_KEY, [250, 950]),
                                     (self.right, RIGHT_STATE_KEY, [420, 300])):  # fmt: skip
            if (saved := self.context.state.value(key)) is not None:
                splitter.restoreState(saved)
            else:
                splitter.setSizes(sizes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.scanner.scanned.connect(self._on_scanner_scanned)
        self.new_button.clicked.connect(lambda: self.open_part_dialog(None))
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.labels_menu.triggered.connect(self._on_labels_menu_triggered)
        self.default_place_button.clicked.connect(self._on_default_place_button_clicked)
        self.all_button.clicked.connect(lambda: self.places.select_place(None))
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.activated.connect(self._on_table_activated)
        self.model.loading_changed.connect(self._on_model_loading_changed)
        self.model.loading_failed.connect(self._on_model_loading_failed)
        self.model.rowsInserted.connect(self._on_model_rows_inserted)
        self.model.modelReset.connect(self._on_model_reset)
        self.places.place_selected.connect(self._on_places_place_selected)
        self.places.status_reported.connect(self.status.setText)
        self.details.analog_activated.connect(self.open_part)
        self._shortcuts[0].activated.connect(self.focus_search)
        self._shortcuts[1].activated.connect(lambda: self.open_part_dialog(None))
        self._poll.timeout.connect(self._on_poll_timeout)
        self.context.changes.changed.connect(self._on_changes_changed)

    # --- the list -------------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _apply_filter(self) -> None:
        """Read the list again for the search text and the chosen place."""
        uow_factory, text, location = self._uow_factory, self.search.text().strip(), self._location
        self._query = text
        self.error.hide()
        node = self.places.model.find(location) if location is not None else None
        self.filter_label.setText(_("Parts on {place}").format(place=place_title(node)) if node else "")
        self.filter_label.setVisible(node is not None)
        self.all_button.setVisible(node is not None)

        def read(after: BrowseCursor | None) -> Page:
            if text:
                return search_on_location(uow_factory, text, location), None
            page = parts_on_location(uow_factory, location, after)
            return page.hits, page.next_cursor

        self.model.set_reader(read)

    def refresh(self) -> None:
        """Read the list and the chosen part again, keeping the part chosen (after a change here or elsewhere)."""
        self._reselect = self.selected_part_id()
        self.model.reload()

    def selected_hit(self) -> PartHit | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def selected_part_id(self) -> int | None:
        hit = self.selected_hit()
        return hit.part_id if hit is not None else None

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()  # typing restarts it: one read when the keeper pauses, not one per key

    def _on_search_timer_timeout(self) -> None:
        if self.search.text().strip() != self._query:
            self._apply_filter()

    def _on_search_return_pressed(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._on_search_timer_timeout()
        if self.model.loading:
            self._enter_list = True  # once the rows are there
        elif self.model.rowCount():
            self._go_to_list()

    def _go_to_list(self) -> None:
        self._enter_list = False
        self.table.setFocus()
        self.table.selectRow(max(self.table.currentIndex().row(), 0))

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

    def _on_places_place_selected(self, location_id: int | None) -> None:
        self._location = location_id
        self._apply_filter()

    def _on_model_reset(self) -> None:
        if self._reselect is None:
            self.details.show_part(None)
        self._update_status()

    def _on_model_rows_inserted(self) -> None:
        if self._reselect is not None:
            row = self.model.row_of(self._reselect)
            if row is not None:
                self._reselect = None
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        elif self._query and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)  # the best match shows at once, without leaving the search field

    def _on_model_loading_changed(self, loading: bool) -> None:
        if not loading and self._reselect is not None and not self.model.more_to_read:
            self._reselect = None  # the part chosen before is no longer in the list
            self.details.show_part(None)
        if not loading and self._enter_list:
            self._enter_list = False
            if self.model.rowCount():
                self._go_to_list()
        self._update_status()

    def _update_status(self) -> None:
        count = self.model.rowCount()
        if self.model.loading and not count:
            text = _("Searching…") if self._query else _("Loading…")
        elif not count and self._query:
            text = _("Nothing found for “{query}”.").format(query=self._query)
        elif not count:
            text = _("Nothing lies here.") if self._location is not None else _("No parts yet.")
        else:
            more = "+" if self.model.more_to_read else ""
            text = ngettext("{count} part shown", "{count} parts shown", count).format(count=f"{count}{more}")
        self.status.setText(text)

    def _on_model_loading_failed(self, error: DomainError) -> None:
        self.error.show_error(_("The list could not be read: {reason}").format(reason=error))

    def _on_table_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        hit = self.selected_hit()
        if hit is not None or self._reselect is None:
            self.details.show_part(hit)
        self._update_buttons()

    def _on_table_activated(self, index: QModelIndex) -> None:
        self._on_edit_button_clicked()

    def _update_buttons(self) -> None:
        chosen = self.selected_hit() is not None
        self.new_button.setEnabled(self.can_edit)
        self.edit_button.setEnabled(chosen)
        self.labels_button.setEnabled(chosen)
        self.default_place_button.setEnabled(self.can_edit and chosen)

    # --- showing one part -----------------------------------------------------------------------------------

    def open_part(self, part_id: int) -> None:
        """Show *part_id* in the list (found by its article, whatever place was chosen) and choose it."""
        uow_factory = self._uow_factory
        self.context.runner.run(lambda _state: part_hit(uow_factory, part_id), self._on_part_hit_read,
                                self._show_error)  # fmt: skip

    def _on_part_hit_read(self, hit: PartHit | None) -> None:
        if hit is not None:
            self._show_found(hit.part_id, hit.article)

    def _show_found(self, part_id: int, text: str) -> None:
        self.places.blockSignals(True)  # one read of the list below, not one for the place and one for the text
        self.places.select_place(None)
        self.places.blockSignals(False)
        self._location = None
        self._search_timer.stop()
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self.search.selectAll()  # the next scan replaces it
        self._reselect = part_id
        self._apply_filter()

    # --- another desk's changes -----------------------------------------------------------------------------

    def _read_stamp(self) -> None:
        self.context.runner.run(lambda _state: stock_stamp(self._uow_factory), self._on_stamp_read,
                                lambda _error: None)  # fmt: skip

    def _on_poll_timeout(self) -> None:
        if self.isVisible() and not self.model.loading:
            self._read_stamp()

    def _on_stamp_read(self, stamp: StockStamp) -> None:
        changed = self._stamp is not None and stamp != self._stamp
        self._stamp = stamp
        if changed:
            self.refresh()
            self.places.reload()  # the counts of stocked parts

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("locations"):
            self.places.reload()
        if changes.touches(*RELOADING_CHANGES):
            self.refresh()
            self._read_stamp()  # this desk's own change is no news when the poll comes

    def showEvent(self, event: QShowEvent) -> None:
        """QWidget override: coming back to the page looks for other desks' changes at once."""
        super().showEvent(event)
        if self._stamp is not None:
            self._on_poll_timeout()

    def save_state(self) -> None:
        self.context.state.setValue(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())
        self.context.state.setValue(SPLITTER_STATE_KEY, self.splitter.saveState())
        self.context.state.setValue(RIGHT_STATE_KEY, self.right.saveState())
