"""Settings → Schedule resources: bays and lifts, mechanics, working hours, holidays and absences, demo cars."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QGridLayout, QGroupBox, QPushButton, QTableWidget, QWidget

from autoservice_desk.formatting import format_date
from autoservice_desk.i18n import _
from autoservice_desk.services.catalog_reference import ReferenceEntry, list_equipment, list_skills
from autoservice_desk.services.days_off import (
    AbsenceInfo,
    Holiday,
    list_absences,
    list_holidays,
    remove_absence,
    remove_holiday,
)
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.resource_lists import (
    BayInfo,
    DemoCarInfo,
    MechanicInfo,
    list_bays,
    list_demo_cars,
    list_mechanics,
    reorder_bays,
)
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.services.users import UserInfo, list_users
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.editing import EditDialog, fill_table, make_table, selected_id
from autoservice_desk.ui.screens.settings.hours_box import HoursBox
from autoservice_desk.ui.screens.settings.page import SettingsPage
from autoservice_desk.ui.screens.settings.resource_dialogs import (
    AbsenceDialog,
    BayDialog,
    DemoCarDialog,
    HolidayDialog,
    MechanicDialog,
)

TABLE_HEIGHT = 180


@dataclass(frozen=True)
class ResourcesData:
    bays: list[BayInfo]
    mechanics: list[MechanicInfo]
    equipment: list[ReferenceEntry]
    skills: list[ReferenceEntry]
    users: list[UserInfo]
    holidays: list[Holiday]
    absences: list[AbsenceInfo]
    demo_cars: list[DemoCarInfo]


def _group(title: str, parts: list[tuple[QTableWidget, list[QPushButton]]]) -> QGroupBox:
    """A box of one or more tables side by side, each with its buttons below."""
    box = QGroupBox(title)
    grid = QGridLayout(box)
    column = 0
    for table, buttons in parts:
        table.setMinimumHeight(TABLE_HEIGHT)
        grid.addWidget(table, 0, column, 1, len(buttons) + 1)
        for offset, button in enumerate(buttons):
            grid.addWidget(button, 1, column + offset)
        grid.setColumnStretch(column + len(buttons), 1)
        column += len(buttons) + 1
    return box


class ResourcesPage(SettingsPage):
    """Every change is saved at once through its dialog or button; the tables refresh after any desk's change."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, _("Schedule resources"),
            _("Bays and lifts with their equipment and mechanics with their skills are what the schedule books. "
              "A bay or mechanic works the shop's hours unless given its own, and never outside them."),
            parent,
        )  # fmt: skip
        assert context.uow_factory is not None
        self.uow_factory = context.uow_factory
        self.save_button.hide()  # each box saves its own change
        self.data = ResourcesData([], [], [], [], [], [], [], [])
        self.dialog: QWidget | None = None
        self.bays = make_table([_("Bay"), _("Group"), _("Lift"), _("Equipment"), _("On the schedule")], stretch=3)
        self.bay_buttons = [QPushButton(text) for text in (_("Add…"), _("Change…"), _("Up"), _("Down"))]
        self.mechanics = make_table([_("Mechanic"), _("Skills"), _("Login"), _("Can be booked")], stretch=1)
        self.mechanic_buttons = [QPushButton(text) for text in (_("Add…"), _("Change…"))]
        self.hours = HoursBox(context)
        self.holidays = make_table([_("Holiday"), _("Name")], stretch=1)
        self.holiday_buttons = [QPushButton(text) for text in (_("Add…"), _("Remove"))]
        self.absences = make_table([_("Mechanic"), _("From"), _("To"), _("Reason")], stretch=3)
        self.absence_buttons = [QPushButton(text) for text in (_("Add…"), _("Change…"), _("Remove"))]
        self.demo_cars = make_table([_("Demo car"), _("Plate"), _("In use")], stretch=0)
        self.demo_car_buttons = [QPushButton(text) for text in (_("Add…"), _("Change…"))]
        self.body.addWidget(_group(_("Bays and lifts"), [(self.bays, self.bay_buttons)]))
        self.body.addWidget(_group(_("Mechanics"), [(self.mechanics, self.mechanic_buttons)]))
        self.body.addWidget(self.hours)
        self.body.addWidget(_group(_("Days off"), [(self.holidays, self.holiday_buttons),
                                                   (self.absences, self.absence_buttons)]))  # fmt: skip
        self.body.addWidget(_group(_("Demo cars for test drives"), [(self.demo_cars, self.demo_car_buttons)]))
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        add, change, up, down = self.bay_buttons
        add.clicked.connect(lambda: self._open(BayDialog(self.context, None, self.data.equipment, self)))
        change.clicked.connect(self._on_change_bay_clicked)
        self.bays.doubleClicked.connect(self._on_change_bay_clicked)
        up.clicked.connect(lambda: self._move_bay(-1))
        down.clicked.connect(lambda: self._move_bay(1))
        add, change = self.mechanic_buttons
        add.clicked.connect(lambda: self._open_mechanic(None))
        change.clicked.connect(lambda: self._open_mechanic(self._chosen(self.mechanics, self.data.mechanics)))
        self.mechanics.doubleClicked.connect(
            lambda: self._open_mechanic(self._chosen(self.mechanics, self.data.mechanics))
        )
        add, remove = self.holiday_buttons
        add.clicked.connect(lambda: self._open(HolidayDialog(self.context, self._today(), self)))
        remove.clicked.connect(self._on_remove_holiday_clicked)
        add, change, remove = self.absence_buttons
        add.clicked.connect(lambda: self._open_absence(None))
        change.clicked.connect(lambda: self._open_absence(self._chosen(self.absences, self.data.absences)))
        remove.clicked.connect(self._on_remove_absence_clicked)
        add, change = self.demo_car_buttons
        add.clicked.connect(lambda: self._open(DemoCarDialog(self.context, None, self)))
        change.clicked.connect(self._on_change_demo_car_clicked)
        self.context.changes.changed.connect(self._on_changes_changed)

    def _today(self) -> date:
        return self.uow_factory.clock().date()

    # --- reading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        uow_factory, since = self.uow_factory, self._today()

        def work(state: OperationState) -> ResourcesData:
            return ResourcesData(
                list_bays(uow_factory), list_mechanics(uow_factory), list_equipment(uow_factory),
                list_skills(uow_factory), list_users(uow_factory), list_holidays(uow_factory, since),
                list_absences(uow_factory, since=since), list_demo_cars(uow_factory),
            )  # fmt: skip

        self.context.runner.run(work, self._show, self._on_failed)

    def _show(self, data: ResourcesData) -> None:
        self.data = data
        equipment = {entry.id: entry.name for entry in data.equipment}
        skills = {entry.id: entry.name for entry in data.skills}
        yes, no = _("yes"), _("no")

        def names(ids: frozenset[int], known: dict[int, str]) -> str:
            return ", ".join(sorted(known.get(item, "?") for item in ids))

        fill_table(self.bays, ((b.id, [b.name, b.group, yes if b.is_lift else "", names(b.equipment_ids, equipment),
                                       yes if b.active else no]) for b in data.bays))  # fmt: skip
        fill_table(self.mechanics, ((m.id, [m.full_name, names(m.skill_ids, skills), m.user_login or "",
                                            yes if m.active else no]) for m in data.mechanics))  # fmt: skip
        fill_table(self.holidays, ((h.day, [format_date(h.day), h.name]) for h in data.holidays))
        fill_table(self.absences, ((a.id, [a.mechanic_name, format_date(a.first_day), format_date(a.last_day),
                                           a.reason]) for a in data.absences))  # fmt: skip
        fill_table(self.demo_cars, ((c.id, [c.name, c.plate or "", yes if c.active else no]) for c in data.demo_cars))
        self.hours.set_owners(data.bays, data.mechanics)

    @staticmethod
    def _chosen(table: QTableWidget, items: list[MechanicInfo] | list[AbsenceInfo]) -> object:
        chosen = selected_id(table)
        return next((item for item in items if item.id == chosen), None)

    # --- changing -------------------------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog  # kept: tests reach the open dialog
        if isinstance(dialog, EditDialog):
            dialog.saved.connect(lambda _result: self.show_status(_("Saved.")))
        dialog.show()

    def _on_change_bay_clicked(self) -> None:
        chosen = selected_id(self.bays)
        bay = next((bay for bay in self.data.bays if bay.id == chosen), None)
        if bay is not None:
            self._open(BayDialog(self.context, bay, self.data.equipment, self))

    def _move_bay(self, offset: int) -> None:
        ids = [bay.id for bay in self.data.bays]
        chosen = selected_id(self.bays)
        if chosen not in ids:
            return
        index = ids.index(chosen)
        if 0 <= index + offset < len(ids):
            ids[index], ids[index + offset] = ids[index + offset], ids[index]
            uow_factory = self.uow_factory
            self._run(lambda: reorder_bays(uow_factory, ids))

    def _open_mechanic(self, mechanic: object) -> None:
        if mechanic is None or isinstance(mechanic, MechanicInfo):
            data = self.data
            self._open(MechanicDialog(self.context, mechanic, data.skills, data.users, self))

    def _open_absence(self, absence: object) -> None:
        if absence is None or isinstance(absence, AbsenceInfo):
            self._open(AbsenceDialog(self.context, absence, self.data.mechanics, self._today(), self))

    def _on_change_demo_car_clicked(self) -> None:
        chosen = selected_id(self.demo_cars)
        car = next((car for car in self.data.demo_cars if car.id == chosen), None)
        if car is not None:
            self._open(DemoCarDialog(self.context, car, self))

    def _run(self, call: Callable[[], object]) -> None:
        self.context.runner.run(lambda state: call(), lambda _result: self.show_status(_("Saved.")), self._on_failed)

    def _on_remove_holiday_clicked(self) -> None:
        day = selected_id(self.holidays)
        if isinstance(day, date):
            uow_factory = self.uow_factory
            self._run(lambda: remove_holiday(uow_factory, day))

    def _on_remove_absence_clicked(self) -> None:
        chosen = selected_id(self.absences)
        if isinstance(chosen, int):
            uow_factory = self.uow_factory
            self._run(lambda: remove_absence(uow_factory, chosen))

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("resources", "catalog", "user"):
            self.reload()

    def _on_failed(self, error: DomainError) -> None:
        self.show_status(str(error), error=True)
