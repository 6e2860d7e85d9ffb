"""The outbox tab: every message with its status, Retry and Cancel for the chosen ones, and the totals per day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.message_queries import outbox_stamp
from autoservice_desk.services.outbox import DayTotals, cancel_message, daily_totals, retry_message
from autoservice_desk.services.unit_of_work import ChangeSet, UnitOfWorkFactory
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.outbox_models import (
    STATUS_ROLE,
    DayTotalsModel,
    OutboxColumn,
    OutboxModel,
)
from autoservice_desk.ui.screens.messages.filters import OutboxFilterBar
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE

POLL_MS = 10_000  # the delivery job runs every 15 s; this shows its work (and another desk's) soon enough
HEADER_STATE_KEY = "messages/outbox_header"
SPLITTER_STATE_KEY = "messages/outbox_splitter"
RETRYABLE = ("failed", "cancelled")
CANCELLABLE = ("queued",)


class OutboxPage(QWidget):
    """Ctrl+F searches; Retry and Cancel act on every selected message the action applies to."""

    def __init__(self, context: ScreenContext, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory: UnitOfWorkFactory = context.uow_factory
        self.zone = zone
        self._stamp: tuple[object, ...] | None = None
        self.filters = OutboxFilterBar(datetime.now(zone).date())
        self.retry_button = QPushButton(_("Send again"))
        self.retry_button.setToolTip(_("Queue the selected failed or cancelled messages again"))
        self.cancel_button = QPushButton(_("Cancel sending"))
        self.cancel_button.setToolTip(_("Stop the selected messages that have not gone yet"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.model = OutboxModel(self.uow_factory, context.runner, zone, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        widths = {OutboxColumn.TIME: 235, OutboxColumn.CLIENT: 200, OutboxColumn.RECIPIENT: 120,
                  OutboxColumn.CHANNEL: 80, OutboxColumn.EVENT: 200, OutboxColumn.TEXT: 320,
                  OutboxColumn.STATUS: 100, OutboxColumn.ATTEMPTS: 70, OutboxColumn.ERROR: 220,
                  OutboxColumn.COST: 90}  # fmt: skip
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(OutboxColumn.TEXT, QHeaderView.ResizeMode.Interactive)
        saved = context.state.value(HEADER_STATE_KEY)
        if isinstance(saved, QByteArray):
            header.restoreState(saved)
        self.totals_model = DayTotalsModel(self)
        self.totals = QTableView()
        self.totals.setModel(self.totals_model)
        self.totals.verticalHeader().hide()
        self.totals.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.totals.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.totals.horizontalHeader().setStretchLastSection(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        totals_box = QWidget()
        totals_layout = QVBoxLayout(totals_box)
        totals_layout.setContentsMargins(0, 4, 0, 0)
        title = QLabel(_("Totals per day"))
        title.setStyleSheet("font-weight: 600;")
        totals_layout.addWidget(title)
        totals_layout.addWidget(self.totals)
        self.splitter.addWidget(totals_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([600, 150])
        saved = context.state.value(SPLITTER_STATE_KEY)
        if isinstance(saved, QByteArray):
            self.splitter.restoreState(saved)
        self._build_layout()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._connect_signals()
        self._poll.start()
        self.reload()

    def _build_layout(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.retry_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.message, 1)
        actions.addStretch(1)  # the buttons keep their size while the message is hidden
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)

    def _connect_signals(self) -> None:
        self.filters.changed.connect(self.reload)
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.loading_failed.connect(self._on_model_loading_failed)
        self._poll.timeout.connect(self._on_poll_timeout)
        self.context.changes.changed.connect(self._on_changes_changed)
        QShortcut(QKeySequence.StandardKey.Find, self, self._on_find_shortcut)

    # --- loading ------------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the messages and the totals of the chosen days again, in the background."""
        self.model.set_filter(self.filters.current())
        first, last = self.filters.days
        uow_factory, zone = self.uow_factory, self.zone

        def work(_state: object) -> tuple[list[DayTotals], tuple[object, ...]]:
            return daily_totals(uow_factory, first, last, zone), outbox_stamp(uow_factory)

        self.context.runner.run(work, self._on_totals_read, self._on_model_loading_failed)

    def _on_totals_read(self, result: tuple[list[DayTotals], tuple[object, ...]]) -> None:
        days, self._stamp = result
        self.totals_model.set_days(days)

    def _on_model_loading_failed(self, error: DomainError) -> None:
        self.show_message(str(error), error=True)

    def _on_poll_timeout(self) -> None:
        if not self.isVisible() or self.model.loading:
            return
        self.context.runner.run(lambda _state: outbox_stamp(self.uow_factory), self._on_stamp_read, lambda _e: None)

    def _on_stamp_read(self, stamp: tuple[object, ...]) -> None:
        if self._stamp is not None and stamp != self._stamp:
            self.reload()

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("outbox"):
            self.reload()

    def _on_find_shortcut(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # --- acting -------------------------------------------------------------------------------------------------

    def selected(self, statuses: tuple[str, ...] = ()) -> list[int]:
        """The ids of the selected messages (in one of *statuses* when given)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [
            self.model.message_id(row) for row in rows
            if not statuses or self.model.index(row, 0).data(STATUS_ROLE) in statuses
        ]  # fmt: skip

    def _update_buttons(self) -> None:
        actor = self.context.actor
        sender = actor is not None and actor.has_role("advisor", "manager")
        self.retry_button.setEnabled(sender and bool(self.selected(RETRYABLE)))
        self.cancel_button.setEnabled(sender and bool(self.selected(CANCELLABLE)))

    def retry_selected(self) -> None:
        self._act(self.selected(RETRYABLE), retry_message,
                  lambda done: ngettext("{count} message queued again.", "{count} messages queued again.",
                                        done).format(count=done))  # fmt: skip

    def cancel_selected(self) -> None:
        self._act(self.selected(CANCELLABLE), cancel_message,
                  lambda done: ngettext("{count} message cancelled.", "{count} messages cancelled.",
                                        done).format(count=done))  # fmt: skip

    def _act(self, ids: list[int], action: Callable[[UnitOfWorkFactory, int], None],
             summary: Callable[[int], str]) -> None:  # fmt: skip
        """Run *action* on each message; one refused (sent meanwhile by another desk) does not stop the rest."""
        if not ids:
            return
        uow_factory = self.uow_factory

        def work(_state: object) -> tuple[int, list[str]]:
            done, problems = 0, []
            for message_id in ids:
                try:
                    action(uow_factory, message_id)
                    done += 1
                except DomainError as error:
                    problems.append(str(error))
            return done, problems

        def finished(result: tuple[int, list[str]]) -> None:
            done, problems = result
            text = summary(done)
            if problems:
                text += " " + _("Not done: {reasons}").format(reasons="; ".join(dict.fromkeys(problems)))
            self.show_message(text, error=bool(problems))
            self.reload()

        self.retry_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.context.runner.run(work, finished, lambda error: self.show_message(str(error), error=True))

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else SUCCESS_STYLE)
        self.message.setText(text)
        self.message.show()

    def save_state(self) -> None:
        self.context.state.setValue(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())
        self.context.state.setValue(SPLITTER_STATE_KEY, self.splitter.saveState())
