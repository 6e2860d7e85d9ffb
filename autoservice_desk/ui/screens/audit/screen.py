"""The audit log screen: a paged table of every recorded change, refreshed when new entries are committed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.audit_model import AuditColumn, AuditModel
from autoservice_desk.ui.screens.base import Screen
from autoservice_desk.ui.style import ERROR_STYLE, TITLE_STYLE

HEADER_STATE_KEY = "audit/header"
INITIAL_WIDTHS = {AuditColumn.TIME: 140, AuditColumn.USER: 110, AuditColumn.ENTITY: 120, AuditColumn.RECORD: 70,
                  AuditColumn.ACTION: 140}  # fmt: skip


class AuditScreen(Screen):
    """Read-only; admins and managers see it (the navigation registry enforces that)."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        assert context.uow_factory is not None, "the audit log is only offered while connected"
        self.model = AuditModel(
            context.uow_factory, context.runner, context.environment.settings.get(SHOP_TIMEZONE), parent=self
        )
        title = QLabel(_("Audit log"))
        title.setStyleSheet(TITLE_STYLE)
        self.status_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setToolTip(_("Read the log again (F5)"))
        self._refresh_shortcut = QShortcut(QKeySequence("F5"), self)
        self._refresh_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        for column, width in INITIAL_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        saved = context.state.value(HEADER_STATE_KEY)
        if saved is not None:
            header.restoreState(saved)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.status_label)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        self._connect_signals()
        self.model.reload()

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self._refresh_shortcut.activated.connect(self._on_refresh_button_clicked)
        self.context.changes.changed.connect(self._on_changes_changed)
        self.model.loading_changed.connect(self._on_model_loading_changed)
        self.model.loading_failed.connect(self._on_model_loading_failed)
        self.model.rowsInserted.connect(self._update_status)
        self.model.modelReset.connect(self._update_status)

    def _on_refresh_button_clicked(self) -> None:
        self.error_label.hide()
        self.model.reload()

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("audit"):
            self.model.refresh()

    def _on_model_loading_changed(self, loading: bool) -> None:
        self._update_status()

    def _on_model_loading_failed(self, error: DomainError) -> None:
        self.error_label.setText(_("The log could not be read: {reason}").format(reason=error))
        self.error_label.show()

    def _update_status(self) -> None:
        count = self.model.rowCount()
        text = ngettext("{count} entry shown", "{count} entries shown", count).format(count=count)
        self.status_label.setText(_("Loading…") if self.model.loading and not count else text)

    def save_state(self) -> None:
        """Screen override: keep the column widths and order."""
        self.context.state.setValue(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())
