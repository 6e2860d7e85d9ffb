"""A walk-in's work order: find the client and the car, the complaint, the mileage and when the car is promised."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer, QTimeZone, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QHBoxLayout, QLineEdit, QMessageBox, QWidget

from autoservice_desk.config import SHOP_VAT_MODE
from autoservice_desk.i18n import _
from autoservice_desk.services.client_search import ClientHit, search_clients
from autoservice_desk.services.clients import get_client
from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.services.vehicles import LowerMileageError
from autoservice_desk.services.work_order_types import OpenRequest, WorkOrderCard
from autoservice_desk.services.work_orders import open_work_order
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.form import FormDialog
from autoservice_desk.ui.screens.schedule.booking_dialog import default_start, from_qt, to_qt
from autoservice_desk.ui.screens.work_orders.editor_header import mileage_value, text_box

SEARCH_DELAY_MS = 250
PROMISE_HOURS = 3  # the default promise for a walk-in, the advisor changes it


class NewWorkOrderDialog(FormDialog):
    """`created(card)` once the order is opened (the screen then opens it in the editor)."""

    created = Signal(object)  # WorkOrderCard

    def __init__(self, context: ScreenContext, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(context.runner, _("New work order"), parent)
        assert context.uow_factory is not None
        self.context, self.zone, self._uow_factory = context, zone, context.uow_factory
        self.setMinimumWidth(620)
        self.client_search = QLineEdit()
        self.client_search.setPlaceholderText(_("Surname, phone or plate"))
        self.client = QComboBox()
        self.client.setMinimumWidth(300)
        client_row = QHBoxLayout()
        client_row.setContentsMargins(0, 0, 0, 0)
        client_row.addWidget(self.client_search, 2)
        client_row.addWidget(self.client, 3)
        client_box = QWidget()
        client_box.setLayout(client_row)
        self.vehicle = QComboBox()
        self.complaint = text_box(_("In the client's words"))
        self.mileage = QLineEdit()
        self.mileage.setPlaceholderText(_("km"))
        self.promised = QCheckBox(_("Promised by"))
        self.promised.setChecked(True)
        self.planned = QDateTimeEdit(to_qt(default_start(datetime.now(zone), zone) + timedelta(hours=PROMISE_HOURS),
                                           zone))  # fmt: skip
        self.planned.setTimeZone(QTimeZone.utc())
        self.planned.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.planned.setCalendarPopup(True)
        promised_row = QHBoxLayout()
        promised_row.setContentsMargins(0, 0, 0, 0)
        promised_row.addWidget(self.promised)
        promised_row.addWidget(self.planned, 1)
        promised_box = QWidget()
        promised_box.setLayout(promised_row)
        self.condition = text_box(_("Scratches, dents, chips …"))
        self.belongings = text_box(_("One item a line"))
        self.add_field("client", _("Client"), client_box)
        self.add_field("vehicle", _("Car"), self.vehicle)
        self.add_field("complaint", _("Complaint"), self.complaint)
        self.add_field("mileage", _("Mileage"), self.mileage)
        self.add_field("planned_at", _("Promised"), promised_box)
        self.add_field("condition", _("Condition"), self.condition)
        self.add_field("belongings", _("Belongings"), self.belongings)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self.client_search.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self._on_search_timer_timeout)
        self.client.currentIndexChanged.connect(self._on_client_changed)
        self.promised.toggled.connect(self.planned.setEnabled)

    def _on_search_timer_timeout(self) -> None:
        text = self.client_search.text().strip()
        if len(text) >= 2:
            self._runner.run(lambda _state: search_clients(self._uow_factory, text, limit=20), self._show_clients)

    def _show_clients(self, hits: list[ClientHit]) -> None:
        self.client.blockSignals(True)
        self.client.clear()
        for hit in hits:
            cars = f" — {hit.vehicles[0]}" if hit.vehicles else ""
            self.client.addItem(f"{hit.display_name}{cars}", hit.client_id)
        self.client.blockSignals(False)
        self._on_client_changed()

    def _on_client_changed(self) -> None:
        client_id = self.client.currentData()
        self.vehicle.clear()
        if client_id is not None:
            self._runner.run(lambda _state: get_client(self._uow_factory, int(client_id)), self._show_vehicles)

    def _show_vehicles(self, card: object) -> None:
        self.vehicle.clear()
        for car in getattr(card, "vehicles", ()):
            self.vehicle.addItem(" ".join(part for part in (car.make, car.model, car.plate or "") if part), car.id)
        self.vehicle.addItem(_("(no car)"), None)

    def request(self, confirm_lower: bool = False) -> OpenRequest:
        client_id = self.client.currentData()
        if client_id is None:
            raise ValidationError(_("Find and choose the client first."), "client")
        return OpenRequest(
            int(client_id), self.vehicle.currentData(), complaint=self.complaint.toPlainText(),
            mileage=mileage_value(self.mileage.text()), confirm_lower_mileage=confirm_lower,
            planned_at=from_qt(self.planned.dateTime(), self.zone) if self.promised.isChecked() else None,
            condition_notes=self.condition.toPlainText(), belongings=self.belongings.toPlainText(),
        )  # fmt: skip

    def accept(self, confirm_lower: bool = False) -> None:
        """FormDialog override: open the order; a lower mileage than last time is asked about first."""
        try:
            request = self.request(confirm_lower)
        except ValidationError as error:
            self.show_error(error)
            return
        vat_mode = str(self.context.environment.settings.get(SHOP_VAT_MODE))
        self.clear_error()
        self.set_busy(True)

        def failed(error: DomainError) -> None:
            self.set_busy(False)
            if isinstance(error, LowerMileageError) and not confirm_lower:
                if QMessageBox.question(self, _("Lower mileage"), str(error)) == QMessageBox.StandardButton.Yes:
                    self.accept(True)
                    return
            self.show_error(error)

        def opened(card: WorkOrderCard) -> None:
            self.set_busy(False)
            self.created.emit(card)
            self.done(FormDialog.DialogCode.Accepted)

        self._runner.run(lambda _state: open_work_order(self._uow_factory, request, vat_mode=vat_mode), opened, failed)
