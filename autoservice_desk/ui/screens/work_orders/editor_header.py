"""The work-order editor's intake details: client, car, mileage, complaint, promised time, condition, belongings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.work_order_types import HeaderChanges, WorkOrderHeader
from autoservice_desk.ui.screens.schedule.booking_dialog import from_qt, to_qt

TEXT_HEIGHT = 54


def text_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(TEXT_HEIGHT)
    return box


def mileage_value(text: str) -> int | None:
    digits = "".join(text.split())
    if not digits:
        return None
    if not digits.isdigit():
        raise ValidationError(_("The mileage is a whole number of kilometres."), "mileage")
    return int(digits)


class HeaderForm(QWidget):
    """Shows the header of a card; `save_requested` when Save is pressed (the editor reads `changes()`)."""

    save_requested = Signal()

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.header: WorkOrderHeader | None = None
        self.client = QLabel()
        self.car = QLabel()
        self.advisor = QLabel()
        for label in (self.client, self.car, self.advisor):
            label.setWordWrap(True)
        self.mileage = QLineEdit()
        self.mileage.setPlaceholderText(_("km"))
        self.mileage.setMaximumWidth(140)
        self.promised = QCheckBox(_("Promised by"))
        self.planned = QDateTimeEdit()
        self.planned.setTimeZone(QTimeZone.utc())
        self.planned.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.planned.setCalendarPopup(True)
        self.complaint = text_box(_("In the client's words"))
        self.condition = text_box(_("Scratches, dents, chips …"))
        self.belongings = text_box(_("One item a line"))
        self.save_button = QPushButton(_("Save details"))
        left, right = QFormLayout(), QFormLayout()
        left.addRow(_("Client:"), self.client)
        left.addRow(_("Car:"), self.car)
        left.addRow(_("Advisor:"), self.advisor)
        mileage_row = QHBoxLayout()
        mileage_row.addWidget(self.mileage)
        mileage_row.addSpacing(16)
        mileage_row.addWidget(self.promised)
        mileage_row.addWidget(self.planned)
        mileage_row.addStretch(1)
        left.addRow(_("Mileage:"), mileage_row)
        left.addRow(_("Complaint:"), self.complaint)
        right.addRow(_("Condition:"), self.condition)
        right.addRow(_("Belongings:"), self.belongings)
        right.addRow("", self.save_button)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.promised.toggled.connect(self.planned.setEnabled)

    def show_header(self, header: WorkOrderHeader) -> None:
        self.header = header
        phone = f", {header.client_phone}" if header.client_phone else ""
        self.client.setText(header.client_name + phone)
        car = " ".join(part for part in (header.car, header.plate) if part) or _("(no car)")
        self.car.setText(car + (f" · VIN {header.vin}" if header.vin else ""))
        opened = header.opened_at.astimezone(self.zone)
        self.advisor.setText(_("{advisor}, opened {when}").format(advisor=header.advisor_name or "—",
                                                                  when=f"{opened:%d.%m.%Y %H:%M}"))  # fmt: skip
        self.mileage.setText(str(header.mileage) if header.mileage is not None else "")
        self.promised.setChecked(header.planned_at is not None)
        self.planned.setEnabled(header.planned_at is not None)
        planned = header.planned_at or header.opened_at
        self.planned.setDateTime(to_qt(planned, self.zone))
        for box, text in ((self.complaint, header.complaint), (self.condition, header.condition_notes),
                          (self.belongings, header.belongings)):  # fmt: skip
            box.setPlainText(text)
        editable = header.status.is_open
        for widget in (self.mileage, self.promised, self.complaint, self.condition, self.belongings,
                       self.save_button):  # fmt: skip
            widget.setEnabled(editable)

    def planned_at(self) -> datetime:
        value: QDateTime = self.planned.dateTime()
        return from_qt(value, self.zone)

    def changes(self, confirm_lower_mileage: bool = False) -> HeaderChanges:
        """What differs from the header shown (a ValidationError for a mileage that is not a number)."""
        header = self.header
        assert header is not None
        mileage = mileage_value(self.mileage.text())
        planned = self.planned_at() if self.promised.isChecked() else None
        return HeaderChanges(
            complaint=self.complaint.toPlainText(), mileage=mileage if mileage != header.mileage else None,
            confirm_lower_mileage=confirm_lower_mileage, planned_at=planned,
            clear_planned_at=planned is None and header.planned_at is not None,
            condition_notes=self.condition.toPlainText(), belongings=self.belongings.toPlainText(),
        )  # fmt: skip

    def _on_save_clicked(self) -> None:
        self.save_requested.emit()
