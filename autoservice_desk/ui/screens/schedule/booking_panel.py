"""The side panel of the schedule: the selected booking's details and the status steps it can take next."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.bookings import BookingInfo, status_label
from autoservice_desk.services.schedule_view import BookingStatus

PANEL_WIDTH = 300
# The buttons in the order an advisor meets them during the day.
ACTIONS = (
    (BookingStatus.CONFIRMED, N_("Confirmed")),
    (BookingStatus.ARRIVED, N_("Car arrived")),
    (BookingStatus.IN_WORK, N_("In work")),
    (BookingStatus.DONE, N_("Done")),
    (BookingStatus.NO_SHOW, N_("No-show")),
    (BookingStatus.CANCELLED, N_("Cancel booking")),
)

WORK_ORDER_STATUSES = frozenset({BookingStatus.ARRIVED, BookingStatus.IN_WORK, BookingStatus.DONE})


class BookingPanel(QFrame):
    """Shows one booking; its buttons ask the screen to change the status (the panel writes nothing itself)."""

    status_requested = Signal(int, object)  # booking id, BookingStatus
    work_order_requested = Signal(int)  # booking id: open (or create) its work order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(PANEL_WIDTH)
        self.booking: BookingInfo | None = None
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(self.details.textFormat().RichText)
        self.buttons: dict[BookingStatus, QPushButton] = {}
        grid = QGridLayout()
        for number, (status, label) in enumerate(ACTIONS):
            button = QPushButton(_(label))
            button.setObjectName(f"status_{status.value}")
            button.clicked.connect(lambda _checked=False, chosen=status: self._on_action_clicked(chosen))
            grid.addWidget(button, number // 2, number % 2)
            self.buttons[status] = button
        self.work_order_button = QPushButton(_("Open work order"))
        self.work_order_button.clicked.connect(self._on_work_order_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.details)
        layout.addLayout(grid)
        layout.addWidget(self.work_order_button)
        layout.addStretch(1)
        self.clear()

    def clear(self) -> None:
        self.booking = None
        self.details.setText(escape(_("Choose a booking to see it here. Double-click a free cell to book.")))
        for button in self.buttons.values():
            button.setVisible(False)
        self.work_order_button.setVisible(False)

    def show_booking(self, info: BookingInfo, zone: ZoneInfo) -> None:
        self.booking = info
        start, end = info.starts_at.astimezone(zone), info.ends_at.astimezone(zone)
        rows = [
            (_("Client"), info.client_name),
            (_("Car"), " ".join(part for part in (info.car, info.plate) if part) or "—"),
            (_("When"), f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"),
            (_("Bay"), info.bay_name or "—"),
            (_("Mechanics"), ", ".join(info.mechanic_names) or "—"),
            (_("Status"), status_label(info.status)),
        ]
        hours_text = _("{hours} h")  # outside the f-string, so the catalog extractor sees it
        jobs = "".join(
            f"<li>{escape(job.name)} — {escape(hours_text.format(hours=format_number(job.hours.normalize())))}</li>"
            for job in info.jobs
        )
        text = "".join(f"<b>{escape(label)}:</b> {escape(value)}<br>" for label, value in rows)
        if jobs:
            text += f"<b>{escape(_('Jobs'))}:</b><ul style='margin: 0'>{jobs}</ul>"
        if info.comment:
            text += f"<b>{escape(_('Comment'))}:</b> {escape(info.comment)}"
        self.details.setText(text)
        for status, button in self.buttons.items():
            button.setVisible(status in info.next_statuses)
        # A booked car gets its work order on arrival; from then on the panel leads to it.
        self.work_order_button.setVisible(info.kind == "service" and info.status in WORK_ORDER_STATUSES)

    def _on_work_order_clicked(self) -> None:
        if self.booking is not None:
            self.work_order_requested.emit(self.booking.id)

    def _on_action_clicked(self, status: BookingStatus) -> None:
        if self.booking is not None:
            self.status_requested.emit(self.booking.id, status)
