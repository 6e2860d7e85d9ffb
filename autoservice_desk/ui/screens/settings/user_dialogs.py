"""Dialogs of Settings → Users: add a user with roles, set a user's password."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services import users
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner, OperationState
from autoservice_desk.ui.dialogs.form import FormDialog, password_edit


class AddUserDialog(FormDialog):
    """Login, full name, password twice and at least one role; the service checks the rest."""

    def __init__(self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, _("Add user"), parent)
        self._uow_factory = uow_factory
        self.login_edit = QLineEdit()
        self.full_name_edit = QLineEdit()
        self.password_edit = password_edit()
        self.repeat_edit = password_edit()
        roles = QWidget()
        grid = QGridLayout(roles)
        grid.setContentsMargins(0, 0, 0, 0)
        self.role_checks: dict[str, QCheckBox] = {}
        for number, (code, name) in enumerate(users.ROLE_NAMES.items()):
            check = QCheckBox(_(name))
            check.setObjectName(f"role_{code}")
            self.role_checks[code] = check
            grid.addWidget(check, number // 2, number % 2)
        self.role_checks["advisor"].setChecked(True)
        self.add_field("login", _("Login:"), self.login_edit)
        self.add_field("full_name", _("Full name:"), self.full_name_edit)
        self.add_field("password", _("Password:"), self.password_edit)
        self.add_field("password_repeat", _("Repeat password:"), self.repeat_edit)
        self.add_field("roles", _("Roles:"), roles)
        self.ok_button.setText(_("Add"))
        self.login_edit.setFocus()

    def accept(self) -> None:
        """QDialog override: create the account in the background; errors stay in the dialog."""
        if self.password_edit.text() != self.repeat_edit.text():
            self.show_error(_("The two passwords differ."))
            self.repeat_edit.setFocus()
            return
        login, full_name, password = self.login_edit.text(), self.full_name_edit.text(), self.password_edit.text()
        roles = {code for code, check in self.role_checks.items() if check.isChecked()}

        def work(state: OperationState) -> users.UserInfo:
            return users.create_user(self._uow_factory, login, full_name, password, roles)

        self.submit(work, lambda info: None)


class PasswordDialog(FormDialog):
    """A new password for *user*, typed twice."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, user: users.UserInfo,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(runner, _("Change password"), parent)
        self._uow_factory = uow_factory
        self._user = user
        self.set_intro(_("New password for {name} ({login}).").format(name=user.full_name, login=user.login))
        self.password_edit = password_edit()
        self.repeat_edit = password_edit()
        self.add_field("password", _("New password:"), self.password_edit)
        self.add_field("password_repeat", _("Repeat password:"), self.repeat_edit)
        self.ok_button.setText(_("Change password"))
        self.password_edit.setFocus()

    def accept(self) -> None:
        """QDialog override: set the password in the background."""
        if self.password_edit.text() != self.repeat_edit.text():
            self.show_error(_("The two passwords differ."))
            self.repeat_edit.setFocus()
            return
        user_id, password = self._user.id, self.password_edit.text()

        def work(state: OperationState) -> None:
            users.set_password(self._uow_factory, user_id, password)

        self.submit(work, lambda result: None)
