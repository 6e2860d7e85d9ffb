"""The first start on an empty database: create the administrator, with a password or without one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services import users
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner, OperationState
from autoservice_desk.ui.dialogs.form import FormDialog, password_edit


class FirstRunDialog(FormDialog):
    """Creates the first administrator; "single-PC shop" makes a passwordless local admin that logs in by itself."""

    admin_created = Signal(object)  # a UserInfo

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, database: str = "",
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(runner, _("Welcome to Autoservice desk"), parent)
        self._uow_factory = uow_factory
        self.set_intro(_("This database has no users yet. Create the administrator account to start."))
        if database:
            self.add_info(_("Database:"), database)
        self.login_edit = QLineEdit("admin")
        self.full_name_edit = QLineEdit()
        self.full_name_edit.setPlaceholderText(_("e.g. Anna Smirnova"))
        self.password_edit = password_edit()
        self.repeat_edit = password_edit()
        self.no_password_check = QCheckBox(_("Single-PC shop: no password"))
        self.no_password_check.setToolTip(
            _("Anyone at this computer starts the desk as the administrator. Add a password later in Settings.")
        )
        self.add_field("login", _("Login:"), self.login_edit)
        self.add_field("full_name", _("Full name:"), self.full_name_edit)
        self.add_field("password", _("Password:"), self.password_edit)
        self.add_field("password_repeat", _("Repeat password:"), self.repeat_edit)
        self.add_field("no_password", "", self.no_password_check)
        self.ok_button.setText(_("Create administrator"))
        self.cancel_button.setText(_("Quit"))
        self.no_password_check.toggled.connect(self._on_no_password_check_toggled)  # FormDialog connected the rest
        self.full_name_edit.setFocus()

    def _on_no_password_check_toggled(self, checked: bool) -> None:
        self.password_edit.setEnabled(not checked)
        self.repeat_edit.setEnabled(not checked)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self._on_no_password_check_toggled(self.no_password_check.isChecked())

    def accept(self) -> None:
        """QDialog override: check the two passwords match, then create the admin in the background."""
        login, full_name = self.login_edit.text(), self.full_name_edit.text()
        password: str | None = None
        if not self.no_password_check.isChecked():
            password = self.password_edit.text()
            if not password:
                self.show_error(_("Enter a password, or tick \"Single-PC shop: no password\"."))
                self.password_edit.setFocus()
                return
            if password != self.repeat_edit.text():
                self.show_error(_("The two passwords differ."))
                self.repeat_edit.setFocus()
                return

        def work(state: OperationState) -> users.UserInfo:
            return users.create_first_admin(self._uow_factory, login, full_name, password)

        self.submit(work, self.admin_created.emit)
