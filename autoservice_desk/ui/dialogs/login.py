"""The login dialog: login and password; a wrong password is said inline and the dialog stays open."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services import users
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner, OperationState
from autoservice_desk.ui.dialogs.form import FormDialog, password_edit


class LoginDialog(FormDialog):
    """Authenticates in the background (scrypt takes a noticeable moment) and emits who logged in."""

    logged_in = Signal(object)  # an Actor

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, database: str = "", last_login: str = "",
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(runner, _("Log in"), parent)
        self._uow_factory = uow_factory
        if database:
            self.add_info(_("Database:"), database)
        self.login_edit = QLineEdit(last_login)
        self.password_edit = password_edit()
        self.add_field("login", _("Login:"), self.login_edit)
        self.add_field("password", _("Password:"), self.password_edit)
        self.ok_button.setText(_("Log in"))
        self.cancel_button.setText(_("Quit"))
        (self.password_edit if last_login else self.login_edit).setFocus()

    def accept(self) -> None:
        """QDialog override: check the password in the background; Enter lands here too."""
        login, password = self.login_edit.text(), self.password_edit.text()
        if not login.strip():
            self.show_error(_("Enter your login."))
            self.login_edit.setFocus()
            return

        def work(state: OperationState) -> Actor:
            return users.authenticate(self._uow_factory, login, password)

        self.submit(work, self._on_authentication_succeeded)

    def show_error(self, error: DomainError | str) -> None:
        super().show_error(error)
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def _on_authentication_succeeded(self, actor: Actor) -> None:
        self.logged_in.emit(actor)
