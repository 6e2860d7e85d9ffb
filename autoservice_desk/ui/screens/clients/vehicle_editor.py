"""The car form: make and model from the reference list, VIN decoded as typed, plate normalised; duplicates offered."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.formatting import format_date, format_number
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.services.vehicle_reference import MakeEntry, list_makes
from autoservice_desk.services.vehicles import (
    MAX_KILOMETRES,
    DuplicateVehicleError,
    VehicleCard,
    VehicleForm,
    create_vehicle,
    describe_vin,
    get_vehicle,
    update_vehicle,
)
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.questions import open_question
from autoservice_desk.ui.screens.clients.editor_dialog import EditorDialog
from autoservice_desk.ui.screens.clients.row_lists import show_field_problems, with_error_label
from autoservice_desk.ui.style import NOTE_STYLE

TEXT_FIELDS = ("year", "vin", "chassis_number", "plate", "engine", "colour")


class VehicleDialog(EditorDialog):
    """Add a car to *owner_id* (vehicle_id None) or edit one; the history of the car is shown read-only."""

    def __init__(
        self, context: ScreenContext, owner_id: int, vehicle_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, parent)
        self.owner_id = owner_id
        self.vehicle_id = vehicle_id
        self.version = 0
        self._makes: list[MakeEntry] = []
        self.setWindowTitle(_("New car") if vehicle_id is None else _("Car"))
        self.setMinimumWidth(520)
        self.make = QComboBox()
        self.make.setEditable(True)
        self.model = QComboBox()
        self.model.setEditable(True)
        self.edits = {name: QLineEdit() for name in TEXT_FIELDS}
        self.edits["vin"].setPlaceholderText(_("17 characters; Cyrillic look-alikes are converted"))
        self.edits["plate"].setPlaceholderText(_("А123ВС77 — Latin letters are fine too"))
        self.no_vin = QCheckBox(_("No VIN (old car): chassis or body number"))
        self.vin_note = QLabel()
        self.vin_note.setWordWrap(True)
        self.vin_note.setStyleSheet(NOTE_STYLE)
        self.vin_note.hide()
        self.mileage = QSpinBox()
        self.mileage.setRange(0, MAX_KILOMETRES)
        self.mileage.setSuffix(_(" km"))
        self.mileage.setSpecialValueText(_("not recorded"))
        self.mileage.setGroupSeparatorShown(True)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history.hide()
        self.holders: dict[str, QWidget] = {}
        self._build()
        self._connect_signals()
        self._load()

    def _row(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        holder, self.errors[name] = with_error_label(widget)
        form.addRow(label, holder)
        self.holders[name] = holder

    def _build(self) -> None:
        form = self.form_layout = QFormLayout()
        self._row(form, _("VIN"), "vin", self.edits["vin"])
        form.addRow("", self.vin_note)
        form.addRow("", self.no_vin)
        self._row(form, _("Chassis/body number"), "chassis_number", self.edits["chassis_number"])
        self._row(form, _("Make"), "make", self.make)
        self._row(form, _("Model"), "model", self.model)
        self._row(form, _("Year"), "year", self.edits["year"])
        self._row(form, _("Plate"), "plate", self.edits["plate"])
        self._row(form, _("Engine"), "engine", self.edits["engine"])
        self._row(form, _("Colour"), "colour", self.edits["colour"])
        if self.vehicle_id is None:
            self._row(form, _("Mileage"), "kilometres", self.mileage)
        self._row(form, _("Notes"), "notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.history)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self._on_no_vin_toggled(False)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.make.currentTextChanged.connect(self._on_make_changed)
        self.edits["vin"].editingFinished.connect(self._on_vin_edited)
        self.no_vin.toggled.connect(self._on_no_vin_toggled)

    def _load(self) -> None:
        uow_factory, vehicle_id = self.context.uow_factory, self.vehicle_id
        assert uow_factory is not None

        def work(state: OperationState) -> tuple[list[MakeEntry], VehicleCard | None]:
            card = get_vehicle(uow_factory, vehicle_id) if vehicle_id is not None else None
            return list_makes(uow_factory), card

        self.buttons.setEnabled(False)
        self.context.runner.run(work, self._on_loaded, self._on_save_failed)

    def _on_loaded(self, loaded: tuple[list[MakeEntry], VehicleCard | None]) -> None:
        self._makes, card = loaded
        typed_make, typed_model = self.make.currentText(), self.model.currentText()
        self.make.blockSignals(True)
        self.make.clear()
        self.make.addItems(["", *(entry.name for entry in self._makes)])
        self.make.blockSignals(False)
        self.buttons.setEnabled(True)
        if card is not None:
            self.version = card.version
            form = card.form
            for name in TEXT_FIELDS:
                self.edits[name].setText(getattr(form, name))
            self.no_vin.setChecked(not form.vin and bool(form.chassis_number))
            typed_make, typed_model = form.make, form.model
            self.notes.setPlainText(form.notes)
            self._show_history(card)
        self.make.setCurrentText(typed_make)
        self._on_make_changed(typed_make)
        self.model.setCurrentText(typed_model)

    def _show_history(self, card: VehicleCard) -> None:
        lines = []
        if card.mileage:
            readings = ", ".join(
                _("{day}: {km} km").format(day=format_date(entry.read_on), km=format_number(entry.kilometres))
                for entry in card.mileage[-5:]
            )
            lines.append(_("Mileage: {readings}").format(readings=readings))
        if card.owners:
            owners = "; ".join(
                f"{entry.client.name} ({format_date(entry.since)} – {format_date(entry.until) if entry.until else '…'})"
                for entry in card.owners
            )
            lines.append(_("Owners: {owners}").format(owners=owners))
        self.history.setText("\n".join(lines))
        self.history.setVisible(bool(lines))

    def _on_make_changed(self, make: str) -> None:
        typed = self.model.currentText()
        self.model.clear()
        entry = next((entry for entry in self._makes if entry.name.casefold() == make.strip().casefold()), None)
        self.model.addItems(["", *(name for _id, name in entry.models)] if entry else [""])
        self.model.setCurrentText(typed)

    def _on_no_vin_toggled(self, checked: bool) -> None:
        self.form_layout.setRowVisible(self.holders["chassis_number"], checked)

    def _on_vin_edited(self) -> None:
        """Decode the VIN where it is typed: pre-fill make and year, say what is doubtful (pure and fast)."""
        text = self.edits["vin"].text()
        self.vin_note.hide()
        if not text.strip():
            return
        try:
            info = describe_vin(text, today=date.today())
        except ValidationError as error:
            self.show_problems({"vin": error.message})
            return
        self.show_problems({})
        self.edits["vin"].setText(info.vin)
        if info.make and not self.make.currentText().strip():
            self.make.setCurrentText(info.make)
        if info.model_year and not self.edits["year"].text().strip():
            self.edits["year"].setText(str(info.model_year))
        notes = [*info.warnings]
        if info.manufacturer:
            notes.insert(0, _("Maker: {maker}").format(maker=info.manufacturer))
        self.vin_note.setText("\n".join(notes))
        self.vin_note.setVisible(bool(notes))

    def form(self) -> VehicleForm:
        return VehicleForm(
            make=self.make.currentText(), model=self.model.currentText(), year=self.edits["year"].text(),
            vin=self.edits["vin"].text(), chassis_number=self.edits["chassis_number"].text()
            if self.no_vin.isChecked() else "", plate=self.edits["plate"].text(), engine=self.edits["engine"].text(),
            colour=self.edits["colour"].text(), notes=self.notes.toPlainText(),
        )  # fmt: skip

    def show_problems(self, problems: dict[str, str]) -> None:
        show_field_problems(self.errors, self.edits, problems)
        first = next((name for name in ("vin", "chassis_number", "make", "model", *TEXT_FIELDS) if name in problems),
                     None)  # fmt: skip
        if first in self.edits:
            self.edits[first].setFocus()
        elif first in ("make", "model"):
            (self.make if first == "make" else self.model).setFocus()

    def _save(self, allow_duplicate: bool) -> None:
        form, owner_id, vehicle_id, version = self.form(), self.owner_id, self.vehicle_id, self.version
        mileage = self.mileage.value() or None
        uow_factory = self.context.uow_factory
        assert uow_factory is not None
        self.show_problems({})
        self.general_error.hide()

        def work(state: OperationState) -> int:
            if vehicle_id is None:
                return create_vehicle(uow_factory, owner_id, form, mileage=mileage, allow_duplicate=allow_duplicate)
            update_vehicle(uow_factory, vehicle_id, version, form, allow_duplicate=allow_duplicate)
            return vehicle_id

        self._save_in_background(work)

    def _show_refusal(self, error: DomainError) -> None:
        """EditorDialog override: a car with the same VIN or plate is offered."""
        if isinstance(error, DuplicateVehicleError):
            self._offer_existing(error)
        else:
            super()._show_refusal(error)

    def _offer_existing(self, error: DuplicateVehicleError) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, _("The car may already be registered"), str(error),
                          QMessageBox.StandardButton.NoButton, self)  # fmt: skip
        open_button = None
        if error.owner is not None:
            open_button = box.addButton(_("Open the owner's card"), QMessageBox.ButtonRole.AcceptRole)
        save_button = box.addButton(_("Save anyway"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(_("Back to the form"), QMessageBox.ButtonRole.RejectRole)

        def answered(clicked: QAbstractButton) -> None:
            if open_button is not None and clicked is open_button and error.owner is not None:
                self.open_existing_requested.emit(error.owner.id)
                self.reject()
            elif clicked is save_button:
                self._save(allow_duplicate=True)

        self.duplicate_box = open_question(box, answered)
