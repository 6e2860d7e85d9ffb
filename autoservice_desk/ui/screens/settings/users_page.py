"""Settings → Users (administrators): the accounts, adding one, setting a password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services import users
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.unit_of_work import ChangeSet, UnitOfWorkFactory
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.users_model import UserColumn, UsersModel
from autoservice_desk.ui.screens.settings.page import SettingsPage
from autoservice_desk.ui.screens.settings.user_dialogs import AddUserDialog, PasswordDialog


class UsersPage(SettingsPage):
    """The list is read in the background and again whenever a user changes (here or on another desk)."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, _("Users"), _("Who may work at the desk and in which roles. Every change is in the audit log."),
            parent, scrollable=False,
        )  # fmt: skip
        assert context.uow_factory is not None, "the users page is only offered while connected"
        self._uow_factory: UnitOfWorkFactory = context.uow_factory
        self.model = UsersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(UserColumn.FULL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(160)
        self.add_button = QPushButton(_("Add user…"))
        self.password_button = QPushButton(_("Change password…"))
        self.password_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.password_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.body.addWidget(self.table, 1)
        self.save_button.hide()  # every action here saves at once
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.password_button.clicked.connect(self._on_password_button_clicked)
        self.table.doubleClicked.connect(self._on_password_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.modelReset.connect(self._on_table_selection_changed)
        self.context.changes.changed.connect(self._on_changes_changed)

    def reload(self) -> None:
        uow_factory = self._uow_factory

        def work(state: OperationState) -> list[users.UserInfo]:
            return users.list_users(uow_factory)

        self.context.runner.run(work, self.model.set_users, self._on_reload_failed)

    def selected_user(self) -> users.UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.user(rows[0].row()) if rows else None

    def _on_reload_failed(self, error: DomainError) -> None:
        self.show_status(_("The users could not be read: {reason}").format(reason=error), error=True)

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("user"):
            self.reload()

    def _on_table_selection_changed(self) -> None:
        self.password_button.setEnabled(self.selected_user() is not None)

    def _on_add_button_clicked(self) -> None:
        dialog = AddUserDialog(self._uow_factory, self.context.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.show_status(_("The user was added.")))
        dialog.open()

    def _on_password_button_clicked(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        dialog = PasswordDialog(self._uow_factory, self.context.runner, user, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.show_status(_("The password was changed.")))
        dialog.open()
