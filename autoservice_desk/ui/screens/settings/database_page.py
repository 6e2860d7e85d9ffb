"""Settings → Database: a SQLite file or a PostgreSQL server, a connection test, the password to the keyring."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from autoservice_desk.config import DATABASE_URL
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError, SecretStorageUnavailableError, ValidationError
from autoservice_desk.services.preferences import (
    DatabaseUrlParts,
    compose_database_url,
    database_url_parts,
    save_database_settings,
)
from autoservice_desk.services.startup import check_connection
from autoservice_desk.ui.background import OperationHandle, OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.secret_prompt import ask_session_only
from autoservice_desk.ui.screens.settings.page import SettingsPage
from autoservice_desk.ui.style import ERROR_STYLE

SQLITE, POSTGRESQL = "sqlite", "postgresql"


class DatabasePage(SettingsPage):
    """Edits `database.url`; the URL field and the separate fields stay in step both ways."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, _("Database"),
            _("One computer: keep the data in a SQLite file here. Several desks: point every desk at one "
              "PostgreSQL server. The password is kept in the system keyring, never in the settings file."),
            parent,
        )  # fmt: skip
        environment = context.environment
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(_("SQLite file on this computer"), SQLITE)
        self.kind_combo.addItem(_("PostgreSQL server (several desks)"), POSTGRESQL)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(str(environment.paths.default_database))
        self.browse_button = QPushButton(_("Browse…"))
        self.host_edit = QLineEdit()
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.database_edit = QLineEdit()
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(_("leave empty to keep the stored password"))
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName(DATABASE_URL.key)
        self.url_edit.setPlaceholderText(_("empty: the SQLite file in the data folder"))
        self.url_error = QLabel()
        self.url_error.setStyleSheet(ERROR_STYLE)
        self.url_error.setWordWrap(True)
        self.url_error.hide()
        self.test_button = QPushButton(_("Test connection"))
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)

        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.addRow(_("Kind:"), self.kind_combo)
        self.form.addRow(_("File:"), path_row)
        for label, widget in ((_("Server:"), self.host_edit), (_("Port:"), self.port_spin),
                              (_("Database name:"), self.database_edit), (_("User:"), self.user_edit),
                              (_("Password:"), self.password_edit)):  # fmt: skip
            self.form.addRow(label, widget)
        self.form.addRow(_("URL:"), self.url_edit)
        self.form.addRow("", self.url_error)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        self.form.addRow("", test_row)
        self.body.addLayout(self.form)
        in_use = context.database or _("not connected")
        self.set_note(_("In use now: {database}. A new database is used after the app restarts.").format(
            database=in_use) if context.reconnect is None else _("Save to connect to the new database."))
        self._test: OperationHandle | None = None
        self._load(environment.settings.get(DATABASE_URL))
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        for edit in (self.path_edit, self.host_edit, self.database_edit, self.user_edit):
            edit.textEdited.connect(self._on_field_edited)
        self.port_spin.valueChanged.connect(self._on_field_edited)
        self.url_edit.textEdited.connect(self._on_url_edit_edited)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)

    # --- the form -------------------------------------------------------------------------------------------

    def _load(self, raw_url: str) -> None:
        try:
            parts = database_url_parts(self.context.environment, raw_url)
        except ValidationError as error:
            parts = DatabaseUrlParts(SQLITE)
            self._show_url_error(str(error))
        self._show_parts(parts)
        self.url_edit.setText(compose_database_url(parts))

    def _show_parts(self, parts: DatabaseUrlParts) -> None:
        widgets: list[QWidget] = [self.kind_combo, self.port_spin]
        for widget in widgets:
            widget.blockSignals(True)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(parts.kind))
        self.path_edit.setText(parts.path)
        self.host_edit.setText(parts.host)
        self.port_spin.setValue(parts.port)
        self.database_edit.setText(parts.database)
        self.user_edit.setText(parts.user)
        for widget in widgets:
            widget.blockSignals(False)
        self._show_kind(parts.kind)

    def _show_kind(self, kind: str) -> None:
        sqlite = kind == SQLITE
        self.form.setRowVisible(1, sqlite)
        for row in range(2, 7):
            self.form.setRowVisible(row, not sqlite)

    def parts(self) -> DatabaseUrlParts:
        return DatabaseUrlParts(
            str(self.kind_combo.currentData()), self.path_edit.text().strip(), self.host_edit.text().strip(),
            self.port_spin.value(), self.database_edit.text().strip(), self.user_edit.text().strip(),
        )  # fmt: skip

    def _show_url_error(self, text: str) -> None:
        self.url_error.setText(text)
        self.url_error.setVisible(bool(text))

    def _on_kind_combo_changed(self, index: int) -> None:
        self._show_kind(str(self.kind_combo.currentData()))
        self._on_field_edited()

    def _on_field_edited(self) -> None:
        self._show_url_error("")
        self.url_edit.setText(compose_database_url(self.parts()))

    def _on_url_edit_edited(self, text: str) -> None:
        try:
            parts = database_url_parts(self.context.environment, text)
        except ValidationError as error:
            self._show_url_error(str(error))
            return
        self._show_url_error("")
        self._show_parts(parts)

    def _on_browse_button_clicked(self) -> None:
        start = self.path_edit.text() or str(self.context.environment.paths.default_database)
        path, _filter = QFileDialog.getSaveFileName(
            self, _("SQLite database file"), start, _("SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        if path:
            self.path_edit.setText(path)
            self._on_field_edited()

    # --- test and save --------------------------------------------------------------------------------------

    def _on_test_button_clicked(self) -> None:
        if self._test is not None and not self._test.finished:
            return
        url = compose_database_url(self.parts(), self.password_edit.text() or None)
        environment = self.context.environment
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(_("Connecting…"))

        def work(state: OperationState) -> str:
            return check_connection(environment, url)

        self._test = self.context.runner.run(work, self._on_test_succeeded, self._on_test_failed)

    def _on_test_succeeded(self, description: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet("")
        self.test_result.setText(_("The connection works. {schema}").format(schema=description))

    def _on_test_failed(self, error: DomainError) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(ERROR_STYLE)
        self.test_result.setText(str(error))

    def _on_save_button_clicked(self) -> None:
        """Writes a small local file and asks the keyring; both are quick, so this runs on the GUI thread."""
        environment = self.context.environment
        url, password = self.url_edit.text(), self.password_edit.text() or None
        try:
            try:
                description = save_database_settings(environment, url, password)
            except SecretStorageUnavailableError as error:
                if not ask_session_only(self, error):
                    self.show_status(_("Nothing was saved."), error=True)
                    return
                environment.secrets.allow_session_only()
                description = save_database_settings(environment, url, password)
        except DomainError as error:
            if isinstance(error, ValidationError) and error.field == DATABASE_URL.key:
                self._show_url_error(str(error))
            self.show_status(_("Nothing was saved: {reason}").format(reason=error), error=True)
            return
        self.password_edit.clear()
        if self.context.reconnect is not None:
            self.show_status(_("Saved. Connecting to {database}…").format(database=description))
            self.context.reconnect()
        else:
            self.show_status(_("Saved: {database}. It is used after the app restarts.").format(database=description))
