"""The Schedule screen as an advisor uses it: book by double-click, drag onto a busy lift and a free one, free slots."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.models.catalog import LabourNorm
from autoservice_desk.services.bookings import BookingRequest, JobLine, create_booking, get_booking
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.demo_schedule import DemoResources, add_demo_resources
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.schedule.booking_dialog import BookingDialog
from autoservice_desk.ui.screens.schedule.screen import ScheduleScreen

MONDAY = date(2027, 3, 1)


def settle(runner: BackgroundRunner) -> None:
    for _round in range(4):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(MONDAY, time(hour, minute), ZoneInfo("Europe/Moscow"))


@pytest.fixture
def shop(admin_context: ScreenContext) -> tuple[UnitOfWorkFactory, DemoResources, int, int]:
    admin_context.environment.settings.set(SHOP_TIMEZONE, "Europe/Moscow")
    uow_factory = admin_context.uow_factory
    assert uow_factory is not None
    resources = add_demo_resources(uow_factory)
    client = create_client(uow_factory, ClientForm(surname="Ivanov", given_name="Sergei"))
    car = create_vehicle(uow_factory, client, VehicleForm(make="Kia", model="Rio", year="2019", plate="А123ВС77"))
    with uow_factory() as uow:
        from sqlalchemy import select

        from autoservice_desk.models.catalog import Service

        service_id = uow.session.scalar(select(Service.id).where(Service.code == "TO-1"))
        uow.session.add(LabourNorm(service_id=service_id, make="KIA", model="RIO", hours=Decimal("1.4")))
        uow.commit()
    return uow_factory, resources, client, car


def make_screen(qtbot: QtBot, context: ScreenContext) -> ScheduleScreen:
    screen = ScheduleScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1500, 800)
    screen.show()
    settle(context.runner)
    screen.show_day(MONDAY)
    settle(context.runner)
    return screen


def open_dialog(screen: ScheduleScreen, qtbot: QtBot, row_id: int, moment: datetime) -> BookingDialog:
    point = screen.grid.point_at(row_id, moment) + QPoint(3, 0)
    qtbot.mouseDClick(screen.grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
    dialog = screen.findChild(BookingDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def fill_dialog(dialog: BookingDialog, qtbot: QtBot, runner: BackgroundRunner, job_code_name: str) -> None:
    qtbot.keyClicks(dialog.client_search, "ivan")
    qtbot.waitUntil(lambda: dialog.client.count() == 1, timeout=5000)
    qtbot.waitUntil(lambda: dialog.vehicle.count() == 2, timeout=5000)  # the Rio and "no car"
    settle(runner)
    item = next(
        dialog.jobs.item(row) for row in range(dialog.jobs.count()) if job_code_name in dialog.jobs.item(row).text()
    )
    item.setCheckState(Qt.CheckState.Checked)
    settle(runner)


def drag(qtbot: QtBot, screen: ScheduleScreen, booking_id: int, row_id: int, moment: datetime) -> None:
    viewport = screen.grid.viewport()
    start = screen.grid.booking_rects(booking_id)[0].center().toPoint()
    target = screen.grid.point_at(row_id, moment)
    target.setX(target.x() + (start.x() - screen.grid.point_at(row_id, at(10)).x()))  # keep the grab offset
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(viewport, start + (target - start) * step / 5)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=target)


def test_book_by_double_click_with_the_norm_then_drag_to_a_busy_and_a_free_lift(
    qtbot: QtBot, admin_context: ScreenContext, shop: tuple[UnitOfWorkFactory, DemoResources, int, int]
) -> None:
    uow_factory, resources, client, car = shop
    lift1, lift2, lift3 = resources.bay_ids[:3]
    create_booking(uow_factory, BookingRequest(client, None, at(10), (JobLine(1),), bay_id=lift2), admin_context_zone())
    screen = make_screen(qtbot, admin_context)
    dialog = open_dialog(screen, qtbot, lift1, at(10))
    assert dialog.starts_at.text() == "01.03.2027 10:00"  # the shop's clock, whatever the PC's zone
    fill_dialog(dialog, qtbot, admin_context.runner, "ТО-1")
    assert dialog.duration.value() == 85  # 1.4 h from the norm for a Kia Rio
    assert "1.4" in dialog.norm_note.text()
    dialog.accept()
    settle(admin_context.runner)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # booked and closed
    view = screen.grid.view()
    assert view is not None
    mine = next(block for block in view.bookings if block.row_ids == (lift1,))
    assert (mine.starts_at, mine.ends_at) == (at(10), at(11, 25)) and mine.plate == "А123ВС77"

    drag(qtbot, screen, mine.id, lift2, at(10))
    settle(admin_context.runner)
    assert screen.message.isVisible() and "Подъёмник 2" in screen.message.text()
    assert screen.grid.refusal_message(mine.id)
    assert get_booking(uow_factory, mine.id).bay_id == lift1

    drag(qtbot, screen, mine.id, lift3, at(10))
    settle(admin_context.runner)
    assert get_booking(uow_factory, mine.id).bay_id == lift3
    assert not screen.message.isVisible()


def test_find_free_slot_books_the_first_suggestion(
    qtbot: QtBot, admin_context: ScreenContext, shop: tuple[UnitOfWorkFactory, DemoResources, int, int]
) -> None:
    uow_factory, resources, client, car = shop
    screen = make_screen(qtbot, admin_context)
    dialog = open_dialog(screen, qtbot, resources.bay_ids[0], at(9))
    fill_dialog(dialog, qtbot, admin_context.runner, "Замена передних тормозных колодок")
    qtbot.mouseClick(dialog.find_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    assert len(dialog.found_slots) == 5
    first = dialog.found_slots[0]
    qtbot.mouseClick(
        dialog.slots.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.slots.visualItemRect(dialog.slots.item(0)).center(),
    )
    dialog.accept()
    settle(admin_context.runner)
    view = screen.grid.view()
    assert view is not None
    [booked] = view.bookings
    assert (booked.starts_at, booked.row_ids) == (first.starts_at, (first.bay_id,))
    assert get_booking(uow_factory, booked.id).mechanic_ids == first.mechanic_ids


def admin_context_zone() -> ZoneInfo:
    return ZoneInfo("Europe/Moscow")


def test_another_desks_booking_appears_without_a_refresh(
    qtbot: QtBot, admin_context: ScreenContext, shop: tuple[UnitOfWorkFactory, DemoResources, int, int]
) -> None:
    uow_factory, resources, client, car = shop
    screen = make_screen(qtbot, admin_context)
    screen._poll.setInterval(50)  # the desk polls every few seconds; the test need not wait that long
    other_desk = UnitOfWorkFactory(uow_factory.engine)  # its commits reach this desk only through the database
    create_booking(
        other_desk,
        BookingRequest(client, car, at(12), (JobLine(1),), bay_id=resources.bay_ids[1]),
        admin_context_zone(),
    )

    def shown() -> bool:
        view = screen.grid.view()
        return view is not None and len(view.bookings) == 1

    qtbot.waitUntil(shown, timeout=5000)
    settle(admin_context.runner)
