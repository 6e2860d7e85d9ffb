"""Send a one-off message to a client: a template filled for this client or free text, with the SMS counter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.message_queries import ClientContacts, client_contacts
from autoservice_desk.services.message_templates import MessageFacts, TemplateInfo, list_templates, preview
from autoservice_desk.services.messaging_settings import TRIGGERS, get_settings
from autoservice_desk.services.outbox import NO_CONSENT, OPTED_OUT, EnqueueResult, send_message
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.messages.segments import SegmentCounter
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE

Loaded = tuple[ClientContacts, list[TemplateInfo], str]


class SendMessageDialog(QDialog):
    """Opens at once and fills in when the client's contacts have been read; Send queues the message."""

    sent = Signal(object)  # the EnqueueResult

    def __init__(self, context: ScreenContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.client_id = client_id
        self.contacts: ClientContacts | None = None
        self.templates: dict[str, str] = {}
        self._preview_generation = 0
        self.setWindowTitle(_("Send a message"))
        self.setMinimumWidth(560)
        self.client = QLabel()
        self.client.setStyleSheet("font-weight: 600;")
        self.channel = QComboBox()
        self.consent = QLabel()
        self.consent.setWordWrap(True)
        self.template = QComboBox()
        self.template.addItem(_("Free text"), "")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(_("Message text"))
        self.text.setMinimumHeight(120)
        self.counter = SegmentCounter()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(_("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setEnabled(False)
        form = QFormLayout()
        form.addRow(_("Client:"), self.client)
        form.addRow(_("Send by:"), self.channel)
        form.addRow(_("Consent:"), self.consent)
        form.addRow(_("Template:"), self.template)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.counter)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._load()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._on_text_text_changed)
        self.template.currentIndexChanged.connect(self._on_template_current_index_changed)

    def _load(self) -> None:
        uow_factory, client_id = self.uow_factory, self.client_id

        def work(_state: object) -> Loaded:
            language = get_settings(uow_factory).language
            return client_contacts(uow_factory, client_id), list_templates(uow_factory), language

        self.context.runner.run(work, self._on_loaded, self._show_error)

    def _on_loaded(self, loaded: Loaded) -> None:
        contacts, templates, language = loaded
        self.contacts = contacts
        self.client.setText(contacts.name)
        self.channel.clear()
        if contacts.phone:
            self.channel.addItem(_("SMS to {phone}").format(phone=contacts.phone), "sms")
        if contacts.telegram_chat:
            self.channel.addItem(_("Telegram (chat {chat})").format(chat=contacts.telegram_chat), "telegram")
        if not contacts.phone and not contacts.telegram_chat:
            self.channel.addItem(_("No phone number or linked chat"), None)
        self.consent.setText(self._consent_text(contacts))
        self.consent.setStyleSheet(SUCCESS_STYLE if contacts.service_consent and not contacts.opted_out
                                   else ERROR_STYLE)  # fmt: skip
        self.templates = {info.event: info.text for info in templates if info.language == language and info.enabled}
        for event, label in TRIGGERS.items():
            if event in self.templates:
                self.template.addItem(_(label), event)
        self._update_send_button()
        self.text.setFocus()

    @staticmethod
    def _consent_text(contacts: ClientContacts) -> str:
        if contacts.opted_out:
            return _(OPTED_OUT)
        service = _("agreed") if contacts.service_consent else _("not agreed — the message will not be sent")
        marketing = _("agreed") if contacts.marketing_consent else _("not agreed")
        return _("Service notifications: {service}; marketing: {marketing}").format(service=service,
                                                                                   marketing=marketing)  # fmt: skip

    def _on_template_current_index_changed(self, _index: int) -> None:
        event = str(self.template.currentData() or "")
        if not event or event not in self.templates:
            return
        self._preview_generation += 1
        generation, text = self._preview_generation, self.templates[event]
        vehicle_id = self.contacts.vehicle_id if self.contacts else None
        facts = MessageFacts(self.client_id, vehicle_id)
        self.context.runner.run(
            lambda _state: preview(self.uow_factory, text, facts),
            lambda shown: self.text.setPlainText(shown.text) if generation == self._preview_generation else None,
            self._show_error,
        )  # fmt: skip

    def _on_text_text_changed(self) -> None:
        self.counter.count(self.text.toPlainText().strip())
        self._update_send_button()

    def _update_send_button(self) -> None:
        self.send_button.setEnabled(bool(self.channel.currentData()) and bool(self.text.toPlainText().strip()))

    def _show_error(self, error: DomainError) -> None:
        self.error.setText(str(error))
        self.error.show()
        self._update_send_button()

    def accept(self) -> None:
        """QDialog override: queue the message in the background; close only when it is queued."""
        channel = str(self.channel.currentData() or "")
        text = self.text.toPlainText().strip()
        if not channel or not text:
            return
        template = str(self.template.currentData() or "") or None
        uow_factory, client_id = self.uow_factory, self.client_id
        self.error.hide()
        self.send_button.setEnabled(False)
        self.context.runner.run(
            lambda _state: send_message(uow_factory, client_id, text, channel=channel, template_code=template),
            self._on_sent, self._show_error,
        )  # fmt: skip

    def _on_sent(self, result: EnqueueResult) -> None:
        if result.status == "cancelled":  # refused by the rules (consent, opt-out): kept in the outbox as such
            self._show_error(DomainError(_(OPTED_OUT) if self.contacts and self.contacts.opted_out
                                         else _(NO_CONSENT)))  # fmt: skip
            self.sent.emit(result)
            return
        self.sent.emit(result)
        super().accept()
