"""Settings → Messages, the provider part: which SMS gateway and Telegram bot, their keys, balance and a test."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.formatting import format_money
from autoservice_desk.i18n import _
from autoservice_desk.integrations.messaging import Balance, SendResult
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.messaging_providers import SECRET_NAMES, provider_balance, send_test_message
from autoservice_desk.services.messaging_settings import SMS_PROVIDERS, MessagingSettingsInfo
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE

# The secret fields: keyring kind (messaging_providers.SECRET_NAMES), label, the provider whose row shows it.
SECRETS = (("smsru", "smsru"), ("smsc", "smsc"), ("smsc_api_key", "smsc"), ("telegram", "telegram"))
DEFAULT_URLS = {"smsru": "https://sms.ru", "smsc": "https://smsc.ru/sys", "telegram": "https://api.telegram.org"}


class ProviderBox(QWidget):
    """The provider fields; `apply(settings)` copies them into the settings, `secrets()` gives the typed keys."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        assert context.uow_factory is not None
        self.uow_factory = context.uow_factory
        self.sms_provider = QComboBox()
        for code, label in SMS_PROVIDERS.items():
            self.sms_provider.addItem(_(label), code)
        self.sms_base_url = QLineEdit()
        self.sms_login = QLineEdit()
        self.sms_sender = QLineEdit()
        self.sms_sender.setPlaceholderText(_("As registered with the provider"))
        self.secret_edits: dict[str, QLineEdit] = {}
        for kind, _provider in SECRETS:
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setObjectName(f"secret_{kind}")
            self.secret_edits[kind] = edit
        self.telegram_enabled = QCheckBox(_("Send to clients who linked the shop's Telegram bot"))
        self.telegram_base_url = QLineEdit()
        self.balance = QLabel()
        self.balance_button = QPushButton(_("Check balance"))
        self.test_recipient = QLineEdit()
        self.test_recipient.setPlaceholderText(_("+7 900 000-00-00 or a Telegram chat id"))
        self.test_channel = QComboBox()
        self.test_channel.addItem(_("SMS"), "sms")
        self.test_channel.addItem(_("Telegram"), "telegram")
        self.test_text = QLineEdit(_("Test message from the service desk"))
        self.test_button = QPushButton(_("Send a test message"))
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        sms = QGroupBox(_("SMS gateway"))
        self.sms_form = QFormLayout(sms)
        self.sms_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sms_form.addRow(_("Provider:"), self.sms_provider)
        self.sms_form.addRow(_("Address of the API:"), self.sms_base_url)
        self.sms_form.addRow(_("Login:"), self.sms_login)
        self.sms_form.addRow(_("API key (api_id):"), self.secret_edits["smsru"])
        self.sms_form.addRow(_("Password:"), self.secret_edits["smsc"])
        self.sms_form.addRow(_("or API key:"), self.secret_edits["smsc_api_key"])
        self.sms_form.addRow(_("Sender name:"), self.sms_sender)
        self.balance_row = QWidget()
        balance = QHBoxLayout(self.balance_row)
        balance.setContentsMargins(0, 0, 0, 0)
        balance.addWidget(self.balance, 1)
        balance.addWidget(self.balance_button)
        self.sms_form.addRow(_("Balance:"), self.balance_row)
        telegram = QGroupBox(_("Telegram bot"))
        telegram_form = QFormLayout(telegram)
        telegram_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        telegram_form.addRow(self.telegram_enabled)
        telegram_form.addRow(_("Bot token:"), self.secret_edits["telegram"])
        telegram_form.addRow(_("Address of the API:"), self.telegram_base_url)
        test = QGroupBox(_("Test message"))
        test_form = QFormLayout(test)
        test_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        to = QHBoxLayout()
        to.addWidget(self.test_recipient, 1)
        to.addWidget(self.test_channel)
        test_form.addRow(_("To:"), to)
        test_form.addRow(_("Text:"), self.test_text)
        run = QHBoxLayout()
        run.addWidget(self.test_button)
        run.addWidget(self.test_result, 1)
        test_form.addRow(run)
        note = QLabel(_("The test uses the saved settings and goes out at once, past the outbox and its rules."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        test_form.addRow(note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(sms)
        layout.addWidget(telegram)
        layout.addWidget(test)

    def _connect_signals(self) -> None:
        self.sms_provider.currentIndexChanged.connect(self._on_sms_provider_current_index_changed)
        self.balance_button.clicked.connect(self.check_balance)
        self.test_button.clicked.connect(self.send_test)

    # --- showing ------------------------------------------------------------------------------------------------

    def show_settings(self, settings: MessagingSettingsInfo) -> None:
        self.sms_provider.setCurrentIndex(max(self.sms_provider.findData(settings.sms_provider), 0))
        self.sms_base_url.setText(settings.sms_base_url)
        self.sms_login.setText(settings.sms_login)
        self.sms_sender.setText(settings.sms_sender)
        self.telegram_enabled.setChecked(settings.telegram_enabled)
        self.telegram_base_url.setText(settings.telegram_base_url)
        self.telegram_base_url.setPlaceholderText(DEFAULT_URLS["telegram"])
        self.show_secret_state()
        self._on_sms_provider_current_index_changed()

    def show_secret_state(self) -> None:
        """Say in each key field whether a key is stored (the key itself is never shown)."""
        secrets = self.context.environment.secrets
        for kind, edit in self.secret_edits.items():
            edit.clear()
            stored = bool(secrets.get(SECRET_NAMES[kind]))
            edit.setPlaceholderText(_("Stored in the system keyring; type to replace") if stored
                                    else _("Not set"))  # fmt: skip

    def _on_sms_provider_current_index_changed(self, _index: int = 0) -> None:
        code = str(self.sms_provider.currentData() or "")
        shown = {"smsru": (self.secret_edits["smsru"],),
                 "smsc": (self.sms_login, self.secret_edits["smsc"], self.secret_edits["smsc_api_key"])}  # fmt: skip
        for widget in (self.sms_login, self.secret_edits["smsru"], self.secret_edits["smsc"],
                       self.secret_edits["smsc_api_key"]):  # fmt: skip
            self.sms_form.setRowVisible(widget, widget in shown.get(code, ()))
        for row in (self.sms_base_url, self.sms_sender, self.balance_row):
            self.sms_form.setRowVisible(row, bool(code))
        self.sms_base_url.setPlaceholderText(DEFAULT_URLS.get(code, ""))

    def apply(self, settings: MessagingSettingsInfo) -> MessagingSettingsInfo:
        return replace(
            settings, sms_provider=str(self.sms_provider.currentData() or ""),
            sms_base_url=self.sms_base_url.text().strip(), sms_login=self.sms_login.text().strip(),
            sms_sender=self.sms_sender.text().strip(), telegram_enabled=self.telegram_enabled.isChecked(),
            telegram_base_url=self.telegram_base_url.text().strip(),
        )  # fmt: skip

    def typed_secrets(self) -> dict[str, str]:
        """The keys typed now, by keyring kind (an empty field keeps the stored key)."""
        return {kind: edit.text().strip() for kind, edit in self.secret_edits.items() if edit.text().strip()}

    # --- background calls ---------------------------------------------------------------------------------------

    def check_balance(self) -> None:
        """Ask the saved provider for the account balance, in the background."""
        if not self.sms_provider.currentData():
            self.balance.setText("")
            return
        uow_factory, secrets = self.uow_factory, self.context.environment.secrets
        self.balance_button.setEnabled(False)
        self.balance.setStyleSheet("")
        self.balance.setText(_("Asking the provider…"))
        self.context.runner.run(lambda _state: provider_balance(uow_factory, secrets), self._on_balance_read,
                                self._on_balance_failed)  # fmt: skip

    def _on_balance_read(self, balance: Balance | None) -> None:
        self.balance_button.setEnabled(True)
        if balance is None:
            self.balance.setText(_("The provider does not report a balance."))
            return
        currency = "RUB" if balance.currency in ("RUB", "RUR") else balance.currency
        self.balance.setText(format_money(balance.amount, currency))

    def _on_balance_failed(self, error: DomainError) -> None:
        self.balance_button.setEnabled(True)
        self.balance.setStyleSheet(ERROR_STYLE)
        self.balance.setText(str(error))

    def send_test(self) -> None:
        """Send the test text to the recipient through the saved provider, in the background."""
        uow_factory, secrets = self.uow_factory, self.context.environment.secrets
        recipient, text = self.test_recipient.text(), self.test_text.text()
        channel = str(self.test_channel.currentData())
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(_("Sending…"))
        self.context.runner.run(lambda _state: send_test_message(uow_factory, secrets, recipient, text, channel),
                                self._on_test_sent, self._on_test_failed)  # fmt: skip

    def _on_test_sent(self, result: SendResult) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(SUCCESS_STYLE)
        text = _("Sent: the provider took it as {id}.").format(id=result.provider_message_id)
        if result.cost is not None:
            text += " " + _("Cost: {cost}.").format(cost=format_money(result.cost))
        self.test_result.setText(text)

    def _on_test_failed(self, error: DomainError) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(ERROR_STYLE)
        self.test_result.setText(str(error))
