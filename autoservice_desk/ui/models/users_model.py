"""The desk's user accounts as a Qt table model (a short list: read whole, no paging)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.users import ROLE_NAMES, UserInfo
from autoservice_desk.ui.models.columns import EnumColumnsModel, ModelIndex

USER_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class UserColumn(IntEnum):
    LOGIN = 0
    FULL_NAME = 1
    ROLES = 2
    STATUS = 3
    PASSWORD = 4


HEADERS = {
    UserColumn.LOGIN: N_("Login"),
    UserColumn.FULL_NAME: N_("Full name"),
    UserColumn.ROLES: N_("Roles"),
    UserColumn.STATUS: N_("Status"),
    UserColumn.PASSWORD: N_("Password"),
}


def role_names(roles: frozenset[str]) -> str:
    return ", ".join(_(ROLE_NAMES[role]) if role in ROLE_NAMES else role for role in sorted(roles))


class UsersModel(EnumColumnsModel):
    """Rows are `UserInfo` results; `set_users` replaces them after each read."""

    columns = UserColumn
    headers = HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._users: list[UserInfo] = []

    def set_users(self, users: list[UserInfo]) -> None:
        self.beginResetModel()
        self._users = list(users)
        self.endResetModel()

    def user(self, row: int) -> UserInfo | None:
        return self._users[row] if 0 <= row < len(self._users) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override."""
        return 0 if parent.isValid() else len(self._users)


    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the cell text; the user id for USER_ID_ROLE; inactive accounts greyed out."""
        user = self.user(index.row()) if index.isValid() else None
        if user is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            column = UserColumn(index.column())
            if column is UserColumn.LOGIN:
                return user.login
            if column is UserColumn.FULL_NAME:
                return user.full_name
            if column is UserColumn.ROLES:
                return role_names(user.roles)
            if column is UserColumn.STATUS:
                return _("Active") if user.is_active else _("Disabled")
            return _("Set") if user.has_password else _("None")
        if role == Qt.ItemDataRole.ForegroundRole and not user.is_active:
            from PySide6.QtGui import QPalette
            from PySide6.QtWidgets import QApplication

            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == USER_ID_ROLE:
            return user.id
        return None

