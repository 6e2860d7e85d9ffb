"""The advisors' tasks tab: open to-dos the triggers made ("call about maintenance"), marked done from here."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.advisor_tasks import TaskInfo, close_task, list_open_tasks
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.outbox_models import AdvisorTasksModel, TaskColumn
from autoservice_desk.ui.style import ERROR_STYLE


class TasksPage(QWidget):
    """Open tasks, the most urgent first; Done closes the selected one."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.model = AdvisorTasksModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TaskColumn.DUE, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(TaskColumn.TITLE, 420)
        header.setStretchLastSection(True)
        self.done_button = QPushButton(_("Done"))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.done_button)
        actions.addWidget(self.error, 1)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.context.changes.changed.connect(self._on_changes_changed)

    def reload(self) -> None:
        self.context.runner.run(lambda _state: list_open_tasks(self.uow_factory), self.model.set_tasks,
                                self._show_error)  # fmt: skip

    def _show_error(self, error: DomainError) -> None:
        self.error.setText(str(error))
        self.error.show()

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("advisor_tasks"):
            self.reload()

    def _selected(self) -> TaskInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.task(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.done_button.setEnabled(self._selected() is not None)

    def _on_done_button_clicked(self) -> None:
        task = self._selected()
        if task is None:
            return
        task_id = task.id
        self.error.hide()
        self.context.runner.run(lambda _state: close_task(self.uow_factory, task_id), lambda _result: self.reload(),
                                self._show_error)  # fmt: skip
