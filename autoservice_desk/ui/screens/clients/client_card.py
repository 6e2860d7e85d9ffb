"""The client card beside the list: who the client is, consents, cars, the timeline, and what can be done."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.config import SEGMENT_LOST_DAYS, SEGMENT_LOYAL_VISITS, SEGMENT_NEW_DAYS, SHOP_TIMEZONE
from autoservice_desk.formatting import format_date, format_datetime, format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.client_forms import MESSENGER_LABELS
from autoservice_desk.services.clients import CONSENT_KINDS, ClientCard, get_client, set_blocked
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.personal_data import write_personal_data
from autoservice_desk.services.segments import Segment, SegmentRules
from autoservice_desk.services.timeline import TimelineCursor, TimelineEntry, list_events
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.busy_work import InlineMessage
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.messages import show_error
from autoservice_desk.ui.screens.clients import card_dialogs
from autoservice_desk.ui.screens.clients.client_editor import ClientDialog
from autoservice_desk.ui.screens.clients.client_messages import ClientMessagesPanel
from autoservice_desk.ui.screens.clients.vehicle_editor import VehicleDialog
from autoservice_desk.ui.style import ERROR_STYLE, TITLE_STYLE

TIMELINE_PAGE = 50
SEGMENT_COLOURS = {
    Segment.NEW: "#1565c0", Segment.ACTIVE: "#2e7d32", Segment.LOYAL: "#6a1b9a", Segment.RETURNED: "#00838f",
    Segment.LOST: "#757575", Segment.BLOCKED: "#b00020",
}  # fmt: skip
VEHICLE_HEADERS = (N_("Car"), N_("Year"), N_("Plate"), N_("VIN / body"), N_("Mileage"))


def segment_rules(context: ScreenContext) -> SegmentRules:
    settings = context.environment.settings
    return SegmentRules(settings.get(SEGMENT_NEW_DAYS), settings.get(SEGMENT_LOST_DAYS),
                        settings.get(SEGMENT_LOYAL_VISITS))  # fmt: skip


class ClientCardView(QWidget):
    """Shows one client (`show_client`); every action runs a service in the background and reloads the card."""

    open_client_requested = Signal(int)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.card: ClientCard | None = None
        self._generation = 0
        self._timeline_cursor: TimelineCursor | None = None
        self.dialog: QWidget | None = None  # the dialog open now (tests reach it here)
        self.placeholder = QLabel(_("Choose a client in the list, or create one with Ctrl+N."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.name = QLabel()
        self.name.setStyleSheet(TITLE_STYLE)
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.segment = QLabel()
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.error = InlineMessage()
        self.edit_button = QPushButton(_("Edit…"))
        self.note_button = QPushButton(_("Note…"))
        self.consent_button = QPushButton(_("Consent…"))
        self.block_button = QPushButton(_("Block…"))
        self.send_button = QPushButton(_("Send message…"))
        self.more_button = QToolButton()
        self.more_button.setText(_("More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more_button)
        self.merge_action = menu.addAction(_("Merge into another card…"))
        self.export_action = menu.addAction(_("Export personal data…"))
        self.anonymise_action = menu.addAction(_("Anonymise…"))
        self.more_button.setMenu(menu)
        self.vehicles = QTableWidget(0, len(VEHICLE_HEADERS))
        self.vehicles.setHorizontalHeaderLabels([_(text) for text in VEHICLE_HEADERS])
        self.vehicles.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.vehicles.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.vehicles.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.vehicles.verticalHeader().hide()
        self.vehicles.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.vehicles.horizontalHeader().setStretchLastSection(True)
        self.vehicles.setMaximumHeight(150)
        self.add_car_button = QPushButton(_("Add car…"))
        self.edit_car_button = QPushButton(_("Car…"))
        self.mileage_button = QPushButton(_("Mileage…"))
        self.owner_button = QPushButton(_("New owner…"))
        self.timeline = QListWidget()
        self.timeline.setWordWrap(True)
        self.older_button = QPushButton(_("Show older"))
        self.messages = ClientMessagesPanel(context)
        self._build()
        self._connect_signals()
        self._show_empty()

    def _build(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.name, 1)
        header.addWidget(self.segment)
        # Two rows of three: in one row the Russian labels did not fit the card's width and were cut.
        actions = QGridLayout()
        self.more_button.setSizePolicy(QSizePolicy.Policy.Minimum, self.more_button.sizePolicy().verticalPolicy())
        for place, button in enumerate((self.edit_button, self.note_button, self.consent_button, self.send_button,
                                        self.block_button, self.more_button)):  # fmt: skip
            actions.addWidget(button, place // 3, place % 3)
        cars = QHBoxLayout()
        for button in (self.add_car_button, self.edit_car_button, self.mileage_button, self.owner_button):
            cars.addWidget(button)
        cars.addStretch(1)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(header)
        body.addLayout(actions)
        body.addWidget(self.error)
        body.addWidget(self.details)
        cars_title = QLabel(_("Cars"))
        cars_title.setStyleSheet("font-weight: 600;")
        body.addWidget(cars_title)
        body.addWidget(self.vehicles)
        body.addLayout(cars)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.timeline, 1)
        history_layout.addWidget(self.older_button)
        self.history_tabs = QTabWidget()
        self.history_tabs.addTab(history, _("History"))
        self.history_tabs.addTab(self.messages, _("Messages"))
        body.addWidget(self.history_tabs, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.body, 1)

    def _connect_signals(self) -> None:
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.note_button.clicked.connect(lambda: self._open(card_dialogs.NoteDialog(self.context, self._id(), self)))
        self.consent_button.clicked.connect(
            lambda: self._open(card_dialogs.ConsentDialog(self.context, self._id(), self))
        )
        self.block_button.clicked.connect(self._on_block_button_clicked)
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.merge_action.triggered.connect(self._on_merge_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.anonymise_action.triggered.connect(
            lambda: self._open(card_dialogs.AnonymiseDialog(self.context, self._id(), self))
        )
        self.add_car_button.clicked.connect(lambda: self._open_vehicle(None))
        self.edit_car_button.clicked.connect(lambda: self._open_vehicle(self._vehicle_id()))
        self.vehicles.doubleClicked.connect(lambda _index: self._open_vehicle(self._vehicle_id()))
        self.mileage_button.clicked.connect(self._on_mileage_button_clicked)
        self.owner_button.clicked.connect(self._on_owner_button_clicked)
        self.older_button.clicked.connect(self._load_older)
        self.vehicles.itemSelectionChanged.connect(self._update_buttons)
        self.details.linkActivated.connect(self._on_details_link_activated)

    # --- showing --------------------------------------------------------------------------------------------

    def _id(self) -> int:
        assert self.card is not None
        return self.card.id

    def _show_empty(self) -> None:
        self.card = None
        self.body.hide()
        self.placeholder.show()

    def show_client(self, client_id: int | None) -> None:
        """Load and show *client_id* in the background (None clears the card)."""
        self._generation += 1
        if client_id is None:
            self._show_empty()
            return
        generation, rules = self._generation, segment_rules(self.context)

        def work(state: OperationState) -> tuple[ClientCard, list[TimelineEntry]]:
            return get_client(self.uow_factory, client_id, rules), list_events(self.uow_factory, client_id,
                                                                              limit=TIMELINE_PAGE)  # fmt: skip

        self.setCursor(Qt.CursorShape.BusyCursor)
        self.context.runner.run(work, lambda loaded: self._on_loaded(generation, loaded),
                                lambda error: self._on_load_failed(generation, error))  # fmt: skip

    def reload(self) -> None:
        if self.card is not None:
            self.show_client(self.card.id)

    def _on_load_failed(self, generation: int, error: DomainError) -> None:
        if generation == self._generation:
            self.unsetCursor()
            self._show_empty()
            self.placeholder.setText(str(error))

    def _on_loaded(self, generation: int, loaded: tuple[ClientCard, list[TimelineEntry]]) -> None:
        if generation != self._generation:
            return
        self.unsetCursor()
        card, events = loaded
        self.card = card
        self.placeholder.hide()
        self.body.show()
        self.error.hide()
        self.name.setText(card.name)
        colour = SEGMENT_COLOURS[card.segment]
        self.segment.setText(card.segment.label)
        self.segment.setStyleSheet(f"color: white; background: {colour}; border-radius: 4px; padding: 2px 8px;")
        self.details.setText(self._details_html(card))
        self._fill_vehicles(card)
        self.timeline.clear()
        self._add_events(events)
        if self.messages.client_id != card.id:
            self.messages.show_client(card.id)
        self._update_buttons()

    def _details_html(self, card: ClientCard) -> str:
        form = card.form
        rows: list[tuple[str, str]] = []
        if card.merged_into is not None:
            link = f'<a href="client:{card.merged_into.id}">{escape(card.merged_into.name)}</a>'
            rows.append((_("Merged into"), link))
        if card.anonymised:
            rows.append((_("Personal data"), escape(_("removed on request"))))
        if card.blocked_reason:
            rows.append((_("Blocked"), f'<span style="{ERROR_STYLE}">{escape(card.blocked_reason)}</span>'))
        if form.kind == "company":
            rows += [(_("INN"), escape(form.inn)), (_("KPP"), escape(form.kpp))]
        rows.append((_("Phones"), "<br>".join(escape(shown) for _e164, shown in card.phones)))
        rows += [(_("E-mail"), escape(form.email)), (_("Address"), escape(form.address))]
        messengers = ", ".join(f"{_(MESSENGER_LABELS.get(item.kind, item.kind))}: {escape(item.handle)}"
                               for item in form.messengers)  # fmt: skip
        rows.append((_("Messengers"), messengers))
        contacts = "<br>".join(escape(", ".join(part for part in (person.name, person.position_title, person.phone,
                                                                  person.email) if part))
                               for person in form.contact_persons)  # fmt: skip
        rows.append((_("Contact persons"), contacts))
        rows += [(_("Birthday"), format_date(form.birthday) if form.birthday else ""),
                 (_("Where from"), escape(form.source)), (_("Tags"), escape(", ".join(form.tags)))]  # fmt: skip
        if form.discount_percent not in ("", "0"):
            rows.append((_("Discount"), f"{escape(form.discount_percent)} %"))
        visits = str(card.visit_count)
        if card.last_visit_on:
            visits += _(", last {day}").format(day=format_date(card.last_visit_on))
        rows.append((_("Visits"), visits))
        rows.append((_("Consents"), self._consents_html(card)))
        if form.notes:
            rows.append((_("Notes"), escape(form.notes).replace("\n", "<br>")))
        cells = "".join(f'<tr><td style="color:#555; padding-right:12px">{escape(label)}</td><td>{value}</td></tr>'
                        for label, value in rows if value)  # fmt: skip
        return f"<table>{cells}</table>"

    def _consents_html(self, card: ClientCard) -> str:
        lines = []
        for kind, label in CONSENT_KINDS.items():
            state = card.consents.get(kind)
            if state is None:
                text = _("not asked")
            elif state.granted:
                text = _("given {day} ({source})").format(day=format_date(state.given_on), source=state.source)
            else:
                text = _("withdrawn {day} ({source})").format(day=format_date(state.given_on), source=state.source)
            lines.append(f"{escape(_(label))}: {escape(text)}")
        return "<br>".join(lines)

    def _fill_vehicles(self, card: ClientCard) -> None:
        self.vehicles.setRowCount(len(card.vehicles))
        for row, car in enumerate(card.vehicles):
            mileage = _("{km} km").format(km=format_number(car.last_mileage)) if car.last_mileage is not None else ""
            identity = car.vin or car.chassis_number or ""
            cells = (f"{car.make} {car.model}", str(car.year or ""), car.plate or "", identity, mileage)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, car.id)
                self.vehicles.setItem(row, column, item)
        if card.vehicles:
            self.vehicles.selectRow(0)

    def _add_events(self, events: list[TimelineEntry]) -> None:
        zone = self.context.environment.settings.get(SHOP_TIMEZONE)
        for event in events:
            who = f" — {event.actor_login}" if event.actor_login else ""
            text = f"{format_datetime(event.occurred_at, zone)} · {event.kind_label}: {event.summary}{who}"
            self.timeline.addItem(text)
            if event.body:
                self.timeline.item(self.timeline.count() - 1).setToolTip(event.body)
        last = events[-1] if events else None
        self._timeline_cursor = TimelineCursor(last.occurred_at, last.id) if last else None
        self.older_button.setVisible(len(events) == TIMELINE_PAGE)

    def _load_older(self) -> None:
        if self.card is None or self._timeline_cursor is None:
            return
        client_id, cursor, generation = self.card.id, self._timeline_cursor, self._generation

        def work(state: OperationState) -> list[TimelineEntry]:
            return list_events(self.uow_factory, client_id, before=cursor, limit=TIMELINE_PAGE)

        self.context.runner.run(work, lambda events: self._add_events(events) if generation == self._generation
                                else None, self._show_error)  # fmt: skip

    def _update_buttons(self) -> None:
        card, actor = self.card, self.context.actor
        live = card is not None and card.merged_into is None and not card.anonymised
        editor = actor is not None and actor.has_role("advisor", "manager")
        for button in (self.edit_button, self.note_button, self.consent_button, self.block_button,
                       self.add_car_button):  # fmt: skip
            button.setEnabled(live and editor)
        has_car = self._vehicle_id() is not None
        for button in (self.edit_car_button, self.mileage_button, self.owner_button):
            button.setEnabled(live and editor and has_car)
        self.send_button.setEnabled(live and editor)
        self.block_button.setText(_("Unblock") if card is not None and card.blocked_reason else _("Block…"))
        self.merge_action.setVisible(actor is not None and actor.has_role("manager"))
        self.merge_action.setEnabled(live)
        self.anonymise_action.setVisible(actor is not None and "admin" in actor.roles)
        self.anonymise_action.setEnabled(card is not None and not card.anonymised)

    def _vehicle_id(self) -> int | None:
        items = self.vehicles.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    # --- actions --------------------------------------------------------------------------------------------

    def _show_error(self, error: DomainError) -> None:
        show_error(self, error)

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        saved = getattr(dialog, "saved", None)
        if saved is not None:
            saved.connect(self.reload)
        dialog.open()  # type: ignore[attr-defined]

    def _on_details_link_activated(self, link: str) -> None:
        if link.startswith("client:"):
            self.open_client_requested.emit(int(link.split(":", 1)[1]))

    def _on_edit_button_clicked(self) -> None:
        dialog = ClientDialog(self.context, self.card, self)
        dialog.open_existing_requested.connect(self.open_client_requested)
        self._open(dialog)

    def _open_vehicle(self, vehicle_id: int | None) -> None:
        if self.card is None or (vehicle_id is None and not self.add_car_button.isEnabled()):
            return
        dialog = VehicleDialog(self.context, self.card.id, vehicle_id, self)
        dialog.open_existing_requested.connect(self.open_client_requested)
        self._open(dialog)

    def _on_mileage_button_clicked(self) -> None:
        if (vehicle_id := self._vehicle_id()) is not None:
            self._open(card_dialogs.MileageDialog(self.context, vehicle_id, self))

    def _on_owner_button_clicked(self) -> None:
        if (vehicle_id := self._vehicle_id()) is not None:
            self._open(card_dialogs.ChangeOwnerDialog(self.context, vehicle_id, self._id(), self))

    def _on_block_button_clicked(self) -> None:
        if self.card is None:
            return
        if self.card.blocked_reason:
            client_id = self.card.id
            self.context.runner.run(lambda state: set_blocked(self.uow_factory, client_id, None),
                                    lambda _result: self.reload(), self._show_error)  # fmt: skip
        else:
            self._open(card_dialogs.BlockDialog(self.context, self.card.id, self))

    def _on_send_button_clicked(self) -> None:
        from autoservice_desk.ui.screens.messages.send_dialog import SendMessageDialog

        if self.card is not None:
            dialog = SendMessageDialog(self.context, self.card.id, self)
            dialog.sent.connect(lambda _result: self.reload())  # the message shows in the timeline
            self._open(dialog)

    def _on_merge_action_triggered(self) -> None:
        if self.card is None:
            return
        dialog = card_dialogs.MergeDialog(self.context, self.card.id, self.card.name, self)
        dialog.merged_into.connect(self.open_client_requested)
        self._open(dialog)

    def _on_export_action_triggered(self) -> None:
        if self.card is None:
            return
        suggested = str(Path.home() / f"client-{self.card.id}.json")
        dialog = QFileDialog(self, _("Export personal data"), suggested, _("JSON files (*.json)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(self.export_personal_data)
        self._open(dialog)

    def export_personal_data(self, path: str) -> None:
        client_id = self._id()
        self.context.runner.run(
            lambda state: write_personal_data(self.uow_factory, client_id, Path(path)),
            lambda _result: self.reload(), self._show_error,
        )  # fmt: skip
