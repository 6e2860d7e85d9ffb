"""Settings → Schedule resources as a manager uses it: a lift bay with equipment, hours, a mechanic, days off."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from autoservice_desk.services.days_off import list_absences, list_holidays
from autoservice_desk.services.resource_lists import list_bays, list_demo_cars, list_mechanics
from autoservice_desk.services.resources import HoursSpan, week_hours
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.resource_dialogs import (
    AbsenceDialog,
    BayDialog,
    DemoCarDialog,
    HolidayDialog,
    MechanicDialog,
)
from autoservice_desk.ui.screens.settings.resources_page import ResourcesPage


def settle(runner: BackgroundRunner) -> None:
    for _round in range(4):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def column(table: QTableWidget, index: int) -> list[str]:
    return [table.item(row, index).text() for row in range(table.rowCount())]


def ok(dialog: BayDialog | MechanicDialog | HolidayDialog | AbsenceDialog | DemoCarDialog) -> None:
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


def test_a_manager_sets_up_bays_hours_mechanics_and_days_off(qtbot: QtBot, admin_context: ScreenContext) -> None:
    runner, uow_factory = admin_context.runner, admin_context.uow_factory
    assert uow_factory is not None
    page = ResourcesPage(admin_context)
    qtbot.addWidget(page)
    page.resize(1100, 1400)
    page.show()
    settle(runner)

    page.bay_buttons[0].click()
    bay = page.dialog
    assert isinstance(bay, BayDialog)
    qtbot.keyClicks(bay.name, "Lift 1")
    bay.group.setText("Подъёмники")
    bay.is_lift.setChecked(True)
    next(box for box in bay.equipment.boxes.values() if box.text() == "Диагностический сканер").setChecked(True)
    ok(bay)
    settle(runner)
    assert not bay.isVisible() and column(page.bays, 0) == ["Lift 1"] and column(page.bays, 2) == ["yes"]
    [stored] = list_bays(uow_factory)
    assert stored.is_lift and len(stored.equipment_ids) == 1 and stored.group == "Подъёмники"

    # The shop: a lunch break on Saturday and open on Sunday morning; a typo is pointed at, nothing saved
    hours = page.hours
    assert hours.current_owner() == ("shop", None) and hours.days[0].text() == "9:00–20:00"
    hours.days[5].setText("10-13, 14-18")
    hours.days[6].setText("10 до 14")
    hours.save_button.click()
    settle(runner)
    assert hours.errors[6].isVisible() and not hours.errors[5].isVisible()
    hours.days[6].setText("10-14")
    hours.save_button.click()
    settle(runner)
    assert HoursSpan(6, 600, 840) in week_hours(uow_factory, "shop").spans
    assert hours.days[5].text() == "10:00–13:00, 14:00–18:00"

    # The bay's own hours: mornings only on weekdays
    hours.choose("bay", stored.id)
    settle(runner)
    assert not hours.own.isChecked() and not hours.days[0].isEnabled()
    hours.own.setChecked(True)
    for day in range(7):
        hours.days[day].setText("9-14" if day < 5 else "")
    hours.save_button.click()
    settle(runner)
    own = week_hours(uow_factory, "bay", stored.id)
    assert own.own and [span.weekday for span in own.spans] == [0, 1, 2, 3, 4]

    page.mechanic_buttons[0].click()
    mechanic = page.dialog
    assert isinstance(mechanic, MechanicDialog)
    mechanic.full_name.setText("Петров Иван")
    next(box for box in mechanic.skills.boxes.values() if box.text() == "Диагностика").setChecked(True)
    mechanic.user.setCurrentIndex(1)  # the administrator's own account
    ok(mechanic)
    settle(runner)
    assert column(page.mechanics, 0) == ["Петров Иван"] and column(page.mechanics, 2) == ["admin"]
    [petrov] = list_mechanics(uow_factory)

    today = uow_factory.clock().date()
    page.holiday_buttons[0].click()
    holiday = page.dialog
    assert isinstance(holiday, HolidayDialog)
    holiday.name.setText("День шиномонтажника")
    ok(holiday)
    settle(runner)
    assert [h.day for h in list_holidays(uow_factory)] == [today]

    page.absence_buttons[0].click()
    absence = page.dialog
    assert isinstance(absence, AbsenceDialog)
    absence.last_day.setDate(absence.first_day.date().addDays(-1))  # before the first day: refused
    ok(absence)
    settle(runner)
    assert absence.isVisible() and absence.errors["last_day"].isVisible()
    absence.last_day.setDate(absence.first_day.date().addDays(6))
    absence.reason.setText("Отпуск")
    ok(absence)
    settle(runner)
    assert [(a.mechanic_id, a.last_day) for a in list_absences(uow_factory)] == [(petrov.id, today + timedelta(6))]
    assert column(page.absences, 3) == ["Отпуск"]

    page.demo_car_buttons[0].click()
    demo = page.dialog
    assert isinstance(demo, DemoCarDialog)
    demo.name.setText("Kia K5")
    qtbot.keyClicks(demo.plate, "a001aa77")
    ok(demo)
    settle(runner)
    assert [(car.name, car.plate) for car in list_demo_cars(uow_factory)] == [("Kia K5", "А001АА77")]
