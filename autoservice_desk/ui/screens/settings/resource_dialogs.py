"""The schedule resources' edit dialogs: a bay, a mechanic, a demo car, a holiday, a mechanic's absence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.catalog_reference import ReferenceEntry
from autoservice_desk.services.days_off import AbsenceInfo, add_absence, set_holiday, update_absence
from autoservice_desk.services.errors import FieldErrors
from autoservice_desk.services.resource_lists import (
    BayForm,
    BayInfo,
    DemoCarForm,
    DemoCarInfo,
    MechanicForm,
    MechanicInfo,
    create_bay,
    create_demo_car,
    create_mechanic,
    update_bay,
    update_demo_car,
    update_mechanic,
)
from autoservice_desk.services.users import UserInfo
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.editing import CheckGrid, EditDialog


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    return edit


def picked(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class BayDialog(EditDialog):
    """Add a bay (*bay* None) or change one: its name, group on the schedule, lift, equipment."""

    def __init__(
        self, context: ScreenContext, bay: BayInfo | None, equipment: Sequence[ReferenceEntry],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(context, _("Bay") if bay else _("New bay"), parent)
        self.bay = bay
        self.name = QLineEdit(bay.name if bay else "")
        self.group = QLineEdit(bay.group if bay else "")
        self.group.setPlaceholderText(_("for example Lifts or Body shop"))
        self.is_lift = QCheckBox(_("A car lift"))
        self.is_lift.setChecked(bay.is_lift if bay else False)
        self.equipment = CheckGrid([(entry.id, entry.name) for entry in equipment])
        self.equipment.set_checked(bay.equipment_ids if bay else ())
        self.active = QCheckBox(_("Shown on the schedule"))
        self.active.setChecked(bay.active if bay else True)
        for key, label, widget in (
            ("name", _("Name:"), self.name), ("group", _("Group:"), self.group), ("is_lift", "", self.is_lift),
            ("equipment_ids", _("Equipment:"), self.equipment), ("active", "", self.active),
        ):  # fmt: skip
            self.add_row(key, label, widget)

    def save_work(self) -> Callable[[], object]:
        uow_factory, bay = self.context.uow_factory, self.bay
        assert uow_factory is not None
        form = BayForm(self.name.text(), self.group.text(), self.is_lift.isChecked(), self.equipment.checked(),
                       self.active.isChecked())  # fmt: skip
        if bay is None:
            return lambda: create_bay(uow_factory, form)
        return lambda: update_bay(uow_factory, bay.id, form)


class MechanicDialog(EditDialog):
    """Add a mechanic (*mechanic* None) or change one: name, skills, the user account they log in with."""

    def __init__(
        self, context: ScreenContext, mechanic: MechanicInfo | None, skills: Sequence[ReferenceEntry],
        users: Sequence[UserInfo], parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(context, _("Mechanic") if mechanic else _("New mechanic"), parent)
        self.mechanic = mechanic
        self.full_name = QLineEdit(mechanic.full_name if mechanic else "")
        self.full_name.setMinimumWidth(320)
        self.skills = CheckGrid([(entry.id, entry.name) for entry in skills])
        self.skills.set_checked(mechanic.skill_ids if mechanic else ())
        self.user = QComboBox()
        self.user.addItem(_("— no account —"), None)
        for user in users:
            self.user.addItem(f"{user.login} · {user.full_name}", user.id)
        if mechanic is not None:
            self.user.setCurrentIndex(max(self.user.findData(mechanic.user_id), 0))
        self.active = QCheckBox(_("Can be booked"))
        self.active.setChecked(mechanic.active if mechanic else True)
        for key, label, widget in (
            ("full_name", _("Full name:"), self.full_name), ("skill_ids", _("Skills:"), self.skills),
            ("user_id", _("User account:"), self.user), ("active", "", self.active),
        ):  # fmt: skip
            self.add_row(key, label, widget)

    def save_work(self) -> Callable[[], object]:
        uow_factory, mechanic = self.context.uow_factory, self.mechanic
        assert uow_factory is not None
        form = MechanicForm(self.full_name.text(), self.user.currentData(), self.skills.checked(),
                            self.active.isChecked())  # fmt: skip
        if mechanic is None:
            return lambda: create_mechanic(uow_factory, form)
        return lambda: update_mechanic(uow_factory, mechanic.id, form)


class DemoCarDialog(EditDialog):
    """Add a demo car for test drives (*car* None) or change one."""

    def __init__(self, context: ScreenContext, car: DemoCarInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Demo car") if car else _("New demo car"), parent)
        self.car = car
        self.name = QLineEdit(car.name if car else "")
        self.name.setPlaceholderText(_("for example Kia K5 GT-Line, white"))
        self.name.setMinimumWidth(320)
        self.plate = QLineEdit(car.plate or "" if car else "")
        self.active = QCheckBox(_("Available for test drives"))
        self.active.setChecked(car.active if car else True)
        for key, label, widget in (
            ("name", _("Name:"), self.name), ("plate", _("Plate:"), self.plate), ("active", "", self.active),
        ):  # fmt: skip
            self.add_row(key, label, widget)

    def save_work(self) -> Callable[[], object]:
        uow_factory, car = self.context.uow_factory, self.car
        assert uow_factory is not None
        form = DemoCarForm(self.name.text(), self.plate.text(), car.vehicle_id if car else None,
                           self.active.isChecked())  # fmt: skip
        if car is None:
            return lambda: create_demo_car(uow_factory, form)
        return lambda: update_demo_car(uow_factory, car.id, form)


class HolidayDialog(EditDialog):
    """A day the whole shop is closed."""

    def __init__(self, context: ScreenContext, today: date, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Shop holiday"), parent)
        self.day = date_edit(today)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("for example New Year"))
        self.add_row("day", _("Day:"), self.day)
        self.add_row("name", _("Name:"), self.name)

    def save_work(self) -> Callable[[], object]:
        uow_factory, day, name = self.context.uow_factory, picked(self.day), self.name.text()
        assert uow_factory is not None
        return lambda: set_holiday(uow_factory, day, name)


class AbsenceDialog(EditDialog):
    """Add days a mechanic is away (*absence* None) or change them."""

    def __init__(
        self, context: ScreenContext, absence: AbsenceInfo | None, mechanics: Sequence[MechanicInfo], today: date,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(context, _("Absence") if absence else _("New absence"), parent)
        self.absence = absence
        self.mechanic = QComboBox()
        for mechanic in mechanics:
            self.mechanic.addItem(mechanic.full_name, mechanic.id)
        if absence is not None:
            self.mechanic.setCurrentIndex(max(self.mechanic.findData(absence.mechanic_id), 0))
            self.mechanic.setEnabled(False)
        self.first_day = date_edit(absence.first_day if absence else today)
        self.last_day = date_edit(absence.last_day if absence else today)
        self.reason = QLineEdit(absence.reason if absence else "")
        self.reason.setPlaceholderText(_("leave, sick day, training …"))
        for key, label, widget in (
            ("mechanic_id", _("Mechanic:"), self.mechanic), ("first_day", _("From:"), self.first_day),
            ("last_day", _("To (included):"), self.last_day), ("reason", _("Reason:"), self.reason),
        ):  # fmt: skip
            self.add_row(key, label, widget)

    def save_work(self) -> Callable[[], object]:
        uow_factory, absence, mechanic_id = self.context.uow_factory, self.absence, self.mechanic.currentData()
        first, last, reason = picked(self.first_day), picked(self.last_day), self.reason.text()
        assert uow_factory is not None
        if absence is not None:
            return lambda: update_absence(uow_factory, absence.id, first, last, reason)

        def add() -> int:
            if mechanic_id is None:
                raise FieldErrors({"mechanic_id": _("Add the mechanic first.")})
            return add_absence(uow_factory, int(mechanic_id), first, last, reason)

        return add
