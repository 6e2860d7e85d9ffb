"""The client card's Messages tab: every message to this client with its status, newest first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.inbound_messages import telegram_link_code
from autoservice_desk.services.message_queries import OutboxFilter
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.messages import show_error
from autoservice_desk.ui.models.outbox_models import OutboxColumn, OutboxModel

# The card already says who and where; attempts and cost are the Messages screen's business.
HIDDEN = (OutboxColumn.CLIENT, OutboxColumn.RECIPIENT, OutboxColumn.CHANNEL, OutboxColumn.ATTEMPTS, OutboxColumn.COST)
PAGE_SIZE = 50


class ClientMessagesPanel(QWidget):
    """`show_client(id)` lists that client's messages; refreshes when the outbox changes."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.client_id: int | None = None
        zone = ZoneInfo(str(context.environment.settings.get(SHOP_TIMEZONE)))
        self.model = OutboxModel(context.uow_factory, context.runner, zone, PAGE_SIZE, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in ((OutboxColumn.TIME, 130), (OutboxColumn.EVENT, 150), (OutboxColumn.TEXT, 300)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        for column in HIDDEN:
            self.table.setColumnHidden(column, True)
        self.link_telegram_button = QPushButton(_("Link Telegram…"))
        self.link_telegram_button.setToolTip(_("A one-time code the client sends to the shop's Telegram bot; "
                                               "messages then go to their chat instead of SMS."))  # fmt: skip
        self.link_box: QMessageBox | None = None  # the code on screen (tests read it)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.link_telegram_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.context.changes.changed.connect(self._on_changes_changed)
        self.link_telegram_button.clicked.connect(self._on_link_telegram_clicked)

    def show_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.reload()

    def reload(self) -> None:
        if self.client_id is None:
            self.model.set_reader(None)
        else:
            self.model.set_filter(OutboxFilter(client_id=self.client_id))

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("outbox") and self.client_id is not None:
            self.reload()


    def _on_link_telegram_clicked(self) -> None:
        client_id, uow_factory = self.client_id, self.context.uow_factory
        if client_id is None or uow_factory is None:
            return
        self.link_telegram_button.setEnabled(False)
        self.context.runner.run(lambda _state: telegram_link_code(uow_factory, client_id),
                                self._on_link_code_made, self._on_link_code_failed)  # fmt: skip

    def _on_link_code_made(self, code: str) -> None:
        self.link_telegram_button.setEnabled(True)
        self.link_box = QMessageBox(QMessageBox.Icon.Information, _("Link Telegram"), _(
            "Ask the client to open the shop's Telegram bot and send:\n\n/start {code}\n\n"
            "The code works once, for 24 hours."
        ).format(code=code), QMessageBox.StandardButton.Ok, self)  # fmt: skip
        self.link_box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.link_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link_box.open()

    def _on_link_code_failed(self, error: DomainError) -> None:
        self.link_telegram_button.setEnabled(True)
        show_error(self, error)
