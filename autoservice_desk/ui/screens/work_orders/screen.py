"""The Work orders screen: the advisors' board, the garage board with the time clock, the list; live updates."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
)

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.services.work_order_board import BoardColumn, WorkOrderFilter, service_board
from autoservice_desk.services.work_order_queries import BoardChoices, board_choices, board_stamp
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import OPEN_STATUSES, WorkOrderCard, WorkOrderStatus
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.work_order_list_model import WorkOrderColumn, WorkOrderListModel
from autoservice_desk.ui.screens.base import Screen
from autoservice_desk.ui.screens.work_orders.board import OrderBoard
from autoservice_desk.ui.screens.work_orders.editor import WorkOrderEditor
from autoservice_desk.ui.screens.work_orders.filters import FilterBar
from autoservice_desk.ui.screens.work_orders.garage import GarageBoard
from autoservice_desk.ui.screens.work_orders.new_order_dialog import NewWorkOrderDialog
from autoservice_desk.ui.style import ERROR_STYLE

POLL_MS = 5_000  # how soon another desk's change shows up
VIEW_STATE_KEY = "work_orders/view"
LIST_STATE_KEY = "work_orders/list_header"
BOARD, GARAGE, LIST = 0, 1, 2
DEFAULT_WIDTHS = {WorkOrderColumn.NUMBER: 130, WorkOrderColumn.CLIENT: 220, WorkOrderColumn.OPENED: 125,
                  WorkOrderColumn.MECHANICS: 160, WorkOrderColumn.ADVISOR: 140}  # fmt: skip
WATCHED = ("work_order", "time_clock", "booking", "resources", "printed_document")


class WorkOrdersScreen(Screen):
    """Ctrl+N opens a walk-in's order, Ctrl+F searches, Enter (or a double click) opens an order."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        assert context.uow_factory is not None, "work orders are only offered while connected"
        self._uow_factory = context.uow_factory
        self.zone = ZoneInfo(str(context.environment.settings.get(SHOP_TIMEZONE)))
        self.editors: list[WorkOrderEditor] = []
        self._stamp: tuple[object, ...] | None = None
        self._loading = False
        self.board_button, self.garage_button = QPushButton(_("Board")), QPushButton(_("Garage"))
        self.list_button = QPushButton(_("List"))
        self._views = QButtonGroup(self)
        for number, button in enumerate((self.board_button, self.garage_button, self.list_button)):
            button.setCheckable(True)
            self._views.addButton(button, number)
        self.filters = FilterBar()
        self.new_button = QPushButton(_("New work order"))
        self.new_button.setToolTip(_("Ctrl+N"))
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.board = OrderBoard(OPEN_STATUSES, self.zone)
        self.garage = GarageBoard(context, self.zone)
        self.list_model = WorkOrderListModel(self._uow_factory, context.runner, self.zone, parent=self)
        self.table = QTableView()
        self.table.setModel(self.list_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        saved = context.state.value(LIST_STATE_KEY)
        if isinstance(saved, QByteArray):
            self.table.horizontalHeader().restoreState(saved)
        else:
            for column, width in DEFAULT_WIDTHS.items():
                self.table.setColumnWidth(column, width)
        self.stack = QStackedWidget()
        for widget in (self.board, self.garage, self.table):
            self.stack.addWidget(widget)
        self._build_layout()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._connect_signals()
        view = int(str(context.state.value(VIEW_STATE_KEY, BOARD) or BOARD))
        self._views.button(view if view in (BOARD, GARAGE, LIST) else BOARD).setChecked(True)
        self.stack.setCurrentIndex(self._views.checkedId())
        self._poll.start()
        self._load_choices()
        self.reload()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for button in (self.board_button, self.garage_button, self.list_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.filters)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)

    def _connect_signals(self) -> None:
        self._views.idToggled.connect(self._on_views_id_toggled)
        self.filters.changed.connect(self.reload)
        self.new_button.clicked.connect(self.open_new_dialog)
        self.board.move_requested.connect(self._on_board_move_requested)
        self.board.order_activated.connect(self.open_editor)
        self.garage.board.move_requested.connect(self._on_board_move_requested)
        self.garage.board.order_activated.connect(self.open_editor)
        self.garage.changed.connect(self.reload)
        self.garage.mechanic_chosen.connect(self.reload)
        self.table.activated.connect(self._on_table_activated)
        self.list_model.loading_failed.connect(self._on_load_failed)
        self._poll.timeout.connect(self._on_poll_timeout)
        self.context.changes.changed.connect(self._on_changes_changed)
        QShortcut(QKeySequence.StandardKey.New, self, self.open_new_dialog)
        QShortcut(QKeySequence.StandardKey.Find, self, self._on_find_shortcut)

    # --- loading ------------------------------------------------------------------------------------------------

    @property
    def view(self) -> int:
        return self._views.checkedId()

    def current_filter(self) -> WorkOrderFilter:
        chosen = self.filters.current()
        if self.view == GARAGE and self.garage.mechanic_id is not None:
            chosen = replace(chosen, mechanic_id=self.garage.mechanic_id)
        return chosen

    def reload(self) -> None:
        """Read what the shown view needs in the background."""
        chosen = self.current_filter()
        if self.view == LIST:
            self.list_model.set_filter(chosen)
            return
        garage = self.view == GARAGE
        if garage:
            self.garage.reload()
        self._loading = True

        def work(_state: object) -> tuple[list[BoardColumn], tuple[object, ...]]:
            return service_board(self._uow_factory, chosen, garage=garage), board_stamp(self._uow_factory)

        self.context.runner.run(work, lambda result: self._on_board_read(garage, result), self._on_load_failed)

    def _on_board_read(self, garage: bool, result: tuple[list[BoardColumn], tuple[object, ...]]) -> None:
        columns, self._stamp = result
        self._loading = False
        (self.garage.board if garage else self.board).set_columns(columns)

    def _on_load_failed(self, error: DomainError) -> None:
        self._loading = False
        self.show_message(str(error))

    def _load_choices(self) -> None:
        self.context.runner.run(lambda _state: board_choices(self._uow_factory), self._on_choices_read,
                                lambda _error: None)  # fmt: skip

    def _on_choices_read(self, choices: BoardChoices) -> None:
        self.filters.blockSignals(True)
        self.filters.set_choices(choices)
        self.filters.blockSignals(False)

    def _on_poll_timeout(self) -> None:
        if self._loading or not self.isVisible() or self.view == LIST:
            return
        self.context.runner.run(lambda _state: board_stamp(self._uow_factory), self._on_stamp_read, lambda _e: None)

    def _on_stamp_read(self, stamp: tuple[object, ...]) -> None:
        if self._stamp is not None and stamp != self._stamp and not self._loading:
            self.reload()

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*WATCHED):
            self.reload()
        if changes.touches("resources"):
            self._load_choices()

    def _on_views_id_toggled(self, view: int, checked: bool) -> None:
        if checked:
            self.stack.setCurrentIndex(view)
            self.reload()

    # --- acting -------------------------------------------------------------------------------------------------

    def _on_board_move_requested(self, order_id: int, version: int, status: WorkOrderStatus) -> None:
        zone = self.zone
        board = self.garage.board if self.view == GARAGE else self.board

        def moved(_card: WorkOrderCard) -> None:
            board.clear_refusal(order_id)
            self.message.hide()
            self.reload()

        def refused(error: DomainError) -> None:
            board.show_refusal(order_id, str(error))
            self.show_message(str(error))
            self.reload()

        self.context.runner.run(
            lambda _state: change_status(self._uow_factory, order_id, version, status, zone), moved, refused
        )

    def open_editor(self, order_id: int) -> WorkOrderEditor:
        """Open the order in its editor (at once; the card fills in when it has been read)."""
        existing = next((editor for editor in self.editors if editor.work_order_id == order_id), None)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return existing
        editor = WorkOrderEditor(self.context, order_id, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.changed.connect(lambda _order_id: self.reload())
        editor.finished.connect(lambda _result: self.editors.remove(editor) if editor in self.editors else None)
        self.editors.append(editor)
        editor.show()
        return editor

    def open_new_dialog(self) -> NewWorkOrderDialog:
        dialog = NewWorkOrderDialog(self.context, self.zone, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._on_dialog_created)
        dialog.open()
        return dialog

    def _on_dialog_created(self, card: WorkOrderCard) -> None:
        self.reload()
        self.open_editor(card.id)

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_editor(self.list_model.work_order_id(index.row()))

    def _on_find_shortcut(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def save_state(self) -> None:
        self.context.state.setValue(VIEW_STATE_KEY, self.view)
        self.context.state.setValue(LIST_STATE_KEY, self.table.horizontalHeader().saveState())
