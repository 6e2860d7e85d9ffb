"""The filters above the outbox: status, the days the messages were made on, a search by client or phone."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QButtonGroup, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.message_queries import OutboxFilter

SEARCH_DELAY_MS = 250
DEFAULT_DAYS = 30
# (status group of message_queries.STATUS_GROUPS, button title), in button order.
STATUS_BUTTONS = (
    ("queued", N_("Waiting")), ("failed", N_("Failed")), ("delivered", N_("Sent")), ("cancelled", N_("Cancelled")),
    ("", N_("All")),
)  # fmt: skip


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class OutboxFilterBar(QWidget):
    """`changed` fires (debounced for typing) whenever the filter changes."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status_buttons: dict[str, QPushButton] = {}
        self._group = QButtonGroup(self)
        for group, title in STATUS_BUTTONS:
            button = QPushButton(_(title))
            button.setCheckable(True)
            self._group.addButton(button)
            self.status_buttons[group] = button
        self.status_buttons[""].setChecked(True)
        self.first_day = QDateEdit(_qdate(today - timedelta(days=DEFAULT_DAYS)))
        self.last_day = QDateEdit(_qdate(today))
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Client or phone (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group, _title in STATUS_BUTTONS:
            layout.addWidget(self.status_buttons[group])
        layout.addSpacing(12)
        layout.addWidget(QLabel(_("From")))
        layout.addWidget(self.first_day)
        layout.addWidget(QLabel(_("to")))
        layout.addWidget(self.last_day)
        layout.addSpacing(12)
        layout.addWidget(self.search, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._group.buttonToggled.connect(lambda _button, checked: self.changed.emit() if checked else None)
        self.first_day.dateChanged.connect(self.changed)
        self.last_day.dateChanged.connect(self.changed)
        self.search.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.changed)

    def choose_status(self, group: str) -> None:
        self.status_buttons[group].setChecked(True)

    @property
    def status_group(self) -> str:
        return next((group for group, button in self.status_buttons.items() if button.isChecked()), "")

    @property
    def days(self) -> tuple[date, date]:
        first, last = self.first_day.date().toPython(), self.last_day.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return (first, last) if first <= last else (last, first)

    def current(self) -> OutboxFilter:
        first, last = self.days
        return OutboxFilter(self.status_group, first, last, self.search.text().strip().lower())
