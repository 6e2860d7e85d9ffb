"""The booking form: find the client and car, tick the jobs, see the duration from the norms, pick a slot."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, QTimeZone, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.booking_choices import BookingChoices
from autoservice_desk.services.bookings import BookingInfo, BookingRequest, JobLine, create_booking, planned_minutes
from autoservice_desk.services.client_search import ClientHit, search_clients
from autoservice_desk.services.clients import get_client
from autoservice_desk.services.free_slots import FreeSlot, find_free_slots
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.dialogs.form import FormDialog

SEARCH_DELAY_MS = 250
# Stored as these codes; shown translated.
SOURCES = (N_("phone"), N_("walk-in"), N_("website"), N_("repeat visit"))


def checked_ids(widget: QListWidget) -> tuple[int, ...]:
    return tuple(
        int(widget.item(row).data(Qt.ItemDataRole.UserRole))
        for row in range(widget.count())
        if widget.item(row).checkState() == Qt.CheckState.Checked
    )


def to_qt(moment: datetime, zone: ZoneInfo) -> QDateTime:
    """The shop's wall-clock time of *moment* for a date-time edit (kept as UTC so the PC's own zone plays no part)."""
    local = moment.astimezone(zone)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute), QTimeZone.utc())


def from_qt(value: QDateTime, zone: ZoneInfo) -> datetime:
    """The moment a date-time edit shows, read as wall-clock time in the shop's zone."""
    day, clock = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=zone)


class BookingDialog(FormDialog):
    """A new booking; the duration follows the jobs' norms for the chosen car until the advisor changes it."""

    booking_created = Signal(object)  # BookingInfo

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        runner: BackgroundRunner,
        choices: BookingChoices,
        zone: ZoneInfo,
        starts_at: datetime,
        bay_id: int | None = None,
        parent: QWidget | None = None,
        demo_car_id: int | None = None,
    ) -> None:
        title = _("New test drive") if demo_car_id is not None else _("New booking")
        super().__init__(runner, title, parent)
        self._demo_car_id = demo_car_id
        self.setMinimumWidth(620)
        self._uow_factory, self._choices, self._zone = uow_factory, choices, zone
        self._duration_from_norms = True
        self._client_ids: list[int] = []
        self.client_search = QLineEdit()
        self.client_search.setPlaceholderText(_("Surname, phone or plate"))
        self.client = QComboBox()
        self.vehicle = QComboBox()
        self.vehicle.setMinimumWidth(300)
        self.jobs = QListWidget()
        self.jobs.setMinimumHeight(160)
        self.package = QComboBox()
        self.package.addItem(_("(no package)"), None)
        for package in choices.packages:
            self.package.addItem(package.name, package.id)
        self._package_services: frozenset[int] = frozenset()
        self.job_filter = QLineEdit()
        self.job_filter.setPlaceholderText(_("Filter jobs"))
        for choice in choices.services:
            item = QListWidgetItem(f"{choice.name}  ·  {choice.detail}")
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.jobs.addItem(item)
        self.starts_at = QDateTimeEdit(to_qt(starts_at, zone))
        self.starts_at.setTimeZone(QTimeZone.utc())
        self.starts_at.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.starts_at.setCalendarPopup(True)
        self.duration = QSpinBox()
        self.duration.setRange(5, 24 * 60)
        self.duration.setSingleStep(5)
        self.duration.setValue(60)
        self.duration.setSuffix(" " + _("min"))
        self.norm_note = QLabel()
        self.bay = QComboBox()
        self.bay.setMinimumWidth(300)
        for bay in choices.bays:
            lift = " ⇕" if bay.id in choices.lift_ids else ""
            self.bay.addItem(f"{bay.name}{lift}", bay.id)
        if bay_id is not None and self.bay.findData(bay_id) >= 0:
            self.bay.setCurrentIndex(self.bay.findData(bay_id))
        self.mechanics = QListWidget()
        self.mechanics.setMaximumHeight(110)
        for mechanic in choices.mechanics:
            item = QListWidgetItem(mechanic.name)
            item.setData(Qt.ItemDataRole.UserRole, mechanic.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.mechanics.addItem(item)
        self.comment = QLineEdit()
        self.source = QComboBox()
        self.source.setEditable(True)
        for source in SOURCES:
            self.source.addItem(_(source), source)
        self.find_button = QPushButton(_("Find free slots"))
        self.slots = QListWidget()
        self.slots.hide()
        client_row = QHBoxLayout()
        client_row.addWidget(self.client_search, 2)
        client_row.addWidget(self.client, 3)
        client_box = QWidget()
        client_box.setLayout(client_row)
        client_row.setContentsMargins(0, 0, 0, 0)
        duration_row = QHBoxLayout()
        duration_row.setContentsMargins(0, 0, 0, 0)
        duration_row.addWidget(self.duration)
        duration_row.addWidget(self.norm_note, 1)
        duration_box = QWidget()
        duration_box.setLayout(duration_row)
        self.add_field("client", _("Client"), client_box)
        self.add_field("vehicle", _("Car"), self.vehicle)
        self.add_field("package", _("Package"), self.package)
        self.add_field("job_filter", "", self.job_filter)
        self.add_field("jobs", _("Jobs"), self.jobs)
        self.add_field("starts_at", _("Start"), self.starts_at)
        self.add_field("duration", _("Duration"), duration_box)
        self.add_field("bay", _("Bay"), self.bay)
        self.add_field("mechanics", _("Mechanics"), self.mechanics)
        self.add_field("comment", _("Comment"), self.comment)
        self.add_field("source", _("Source"), self.source)
        self.add_field("find", "", self.find_button)
        self.add_field("slots", "", self.slots)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._found_slots: list[FreeSlot] = []
        if demo_car_id is not None:
            self._show_as_test_drive(demo_car_id)
        self._connect_dialog_signals()

    def _show_as_test_drive(self, demo_car_id: int) -> None:
        """A test drive holds a demo car for an hour: no jobs, no bay, no mechanics."""
        names = {car.id: car.name for car in self._choices.demo_cars}
        self.add_info(_("Demo car"), names.get(demo_car_id, ""))
        for name in ("package", "job_filter", "jobs", "bay", "mechanics", "find", "slots"):
            widget = self._fields[name]
            widget.hide()
            label = self.form.labelForField(widget)
            if label is not None:
                label.hide()
        self.duration.setValue(60)

    def _connect_dialog_signals(self) -> None:
        self.client_search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.client.currentIndexChanged.connect(self._on_client_changed)
        self.vehicle.currentIndexChanged.connect(self._on_jobs_changed)
        self.jobs.itemChanged.connect(self._on_jobs_changed)
        self.package.currentIndexChanged.connect(self._on_package_changed)
        self.job_filter.textChanged.connect(self._on_job_filter_changed)
        self.duration.valueChanged.connect(self._on_duration_edited)
        self.find_button.clicked.connect(self._on_find_clicked)
        self.slots.itemActivated.connect(self._on_slot_chosen)
        self.slots.itemClicked.connect(self._on_slot_chosen)

    # --- client and car -----------------------------------------------------------------------------------------

    def _on_search_timer_timeout(self) -> None:
        text = self.client_search.text().strip()
        if len(text) < 2:
            return
        self._runner.run(lambda _state: search_clients(self._uow_factory, text, limit=20), self._show_clients)

    def _show_clients(self, hits: list[ClientHit]) -> None:
        self.client.blockSignals(True)
        self.client.clear()
        for hit in hits:
            cars = f" — {hit.vehicles[0]}" if hit.vehicles else ""
            self.client.addItem(f"{hit.display_name}{cars}", hit.client_id)
        self.client.blockSignals(False)
        self._on_client_changed()

    def set_client(self, client_id: int, name: str) -> None:
        """Start from a known client (booking from the client card)."""
        self.client.clear()
        self.client.addItem(name, client_id)
        self._on_client_changed()

    def _on_client_changed(self) -> None:
        client_id = self.client.currentData()
        self.vehicle.clear()
        if client_id is None:
            return
        self._runner.run(lambda _state: get_client(self._uow_factory, int(client_id)), self._show_vehicles)

    def _show_vehicles(self, card: object) -> None:
        self.vehicle.blockSignals(True)
        self.vehicle.clear()
        for car in getattr(card, "vehicles", ()):
            text = " ".join(part for part in (car.make, car.model, car.plate or "") if part)
            self.vehicle.addItem(text, car.id)
        self.vehicle.addItem(_("(no car)"), None)
        self.vehicle.blockSignals(False)
        self._on_jobs_changed()

    # --- jobs and duration --------------------------------------------------------------------------------------

    def _job_lines(self) -> tuple[JobLine, ...]:
        package_id = self.package.currentData()
        return tuple(
            JobLine(service_id, package_id=package_id if service_id in self._package_services else None)
            for service_id in checked_ids(self.jobs)
        )

    def _on_package_changed(self) -> None:
        """Tick the package's services (and untick the previous package's)."""
        package_id = self.package.currentData()
        chosen = next((item for item in self._choices.packages if item.id == package_id), None)
        wanted = frozenset(chosen.service_ids) if chosen else frozenset()
        self.jobs.blockSignals(True)
        for row in range(self.jobs.count()):
            item = self.jobs.item(row)
            service_id = int(item.data(Qt.ItemDataRole.UserRole))
            if service_id in wanted:
                item.setCheckState(Qt.CheckState.Checked)
            elif service_id in self._package_services:
                item.setCheckState(Qt.CheckState.Unchecked)
        self.jobs.blockSignals(False)
        self._package_services = wanted
        self._on_jobs_changed()

    def _on_job_filter_changed(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.jobs.count()):
            item = self.jobs.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _on_jobs_changed(self) -> None:
        jobs, vehicle_id = self._job_lines(), self.vehicle.currentData()
        if not jobs:
            self.norm_note.clear()
            return
        self._runner.run(
            lambda _state: planned_minutes(self._uow_factory, vehicle_id, jobs),
            self._show_norm_minutes,
            self.show_error,
        )

    def _show_norm_minutes(self, minutes: int) -> None:
        self.norm_note.setText(
            _("{hours} h from the norms for this car").format(hours=f"{minutes / 60:.2f}".rstrip("0").rstrip("."))
        )
        if self._duration_from_norms:
            self.duration.blockSignals(True)
            self.duration.setValue(minutes)
            self.duration.blockSignals(False)

    def _on_duration_edited(self) -> None:
        self._duration_from_norms = False

    # --- free slots ---------------------------------------------------------------------------------------------

    def _start(self) -> datetime:
        return from_qt(self.starts_at.dateTime(), self._zone)

    def _on_find_clicked(self) -> None:
        jobs, vehicle_id = self._job_lines(), self.vehicle.currentData()
        if not jobs:
            self.show_error(_("Tick the jobs first."))
            return
        after, minutes = self._start(), self.duration.value()
        self.clear_error()
        self._runner.run(
            lambda _state: find_free_slots(
                self._uow_factory, vehicle_id, jobs, after, self._zone, duration_minutes=minutes
            ),
            self._show_slots,
            self.show_error,
        )

    def _show_slots(self, slots: list[FreeSlot]) -> None:
        self._found_slots = slots
        self.slots.clear()
        for slot in slots:
            local = slot.starts_at.astimezone(self._zone)
            who = ", ".join(slot.mechanic_names)
            self.slots.addItem(f"{local:%d.%m %H:%M}–{slot.ends_at.astimezone(self._zone):%H:%M} · {slot.bay_name}"
                               + (f" · {who}" if who else ""))  # fmt: skip
        if not slots:
            self.slots.addItem(_("No free slot in the next two weeks."))
        self.slots.setMaximumHeight(self.slots.sizeHintForRow(0) * max(1, len(slots)) + 6)
        self.slots.show()

    def _on_slot_chosen(self, item: QListWidgetItem) -> None:
        row = self.slots.row(item)
        if row >= len(self._found_slots):
            return
        self.use_slot(self._found_slots[row])

    def use_slot(self, slot: FreeSlot) -> None:
        """Put a suggested slot into the form: start, bay and mechanics."""
        self.starts_at.setDateTime(to_qt(slot.starts_at, self._zone))
        self.bay.setCurrentIndex(max(0, self.bay.findData(slot.bay_id)))
        for row in range(self.mechanics.count()):
            item = self.mechanics.item(row)
            chosen = int(item.data(Qt.ItemDataRole.UserRole)) in slot.mechanic_ids
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    @property
    def found_slots(self) -> list[FreeSlot]:
        return list(self._found_slots)

    # --- submit -------------------------------------------------------------------------------------------------

    def accept(self) -> None:
        """QDialog override: book through the service; a refusal stays in the form with its reason."""
        client_id = self.client.currentData()
        if client_id is None:
            self.show_error(_("Find and choose the client first."))
            self.client_search.setFocus()
            return
        request = BookingRequest(
            client_id=int(client_id), vehicle_id=self.vehicle.currentData(), starts_at=self._start(),
            jobs=self._job_lines(), duration_minutes=self.duration.value(),
            bay_id=None if self._demo_car_id is not None else self.bay.currentData(),
            mechanic_ids=checked_ids(self.mechanics), demo_car_id=self._demo_car_id, comment=self.comment.text(),
            source=str(self.source.currentData() or self.source.currentText()),
        )  # fmt: skip
        self.submit(lambda _state: create_booking(self._uow_factory, request, self._zone), self._on_created)

    def _on_created(self, info: BookingInfo) -> None:
        self.booking_created.emit(info)


def default_start(now: datetime, zone: ZoneInfo) -> datetime:
    """The next whole half hour from now, in the shop's zone."""
    local = now.astimezone(zone).replace(second=0, microsecond=0)
    return local + timedelta(minutes=(30 - local.minute % 30) % 30 or 30)
