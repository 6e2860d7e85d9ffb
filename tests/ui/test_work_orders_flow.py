"""Work orders as the shop uses them: a booked car arrives and gets its order, labour from the norms and parts from
a shelf go on it, a mechanic clocks in and out at the garage board, "ready" is refused while a part waits to be
issued (visibly, in the editor and on the board), the documents print into a preview, and the order is closed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from work_order_ui_shop import ZONE, UiShop, make_ui_shop, settle

from autoservice_desk.services.bookings import get_booking
from autoservice_desk.services.print_forms import DocumentKind
from autoservice_desk.services.quotes import save_quote
from autoservice_desk.services.recommendations import (
    RecommendationInput,
    add_recommendation,
    decline_recommendation,
)
from autoservice_desk.services.schedule_view import BookingStatus
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_parts import StockPartInput, add_stock_part
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import OpenRequest, WorkOrderStatus
from autoservice_desk.services.work_orders import open_work_order, work_order_for_booking
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.schedule.screen import ScheduleScreen
from autoservice_desk.ui.screens.work_orders.board import CARD_MIME, encode_card
from autoservice_desk.ui.screens.work_orders.editor import WorkOrderEditor
from autoservice_desk.ui.screens.work_orders.screen import WorkOrdersScreen

D = Decimal
S = WorkOrderStatus
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def shop(admin_context: ScreenContext) -> UiShop:
    return make_ui_shop(admin_context)


def arrive(qtbot: QtBot, context: ScreenContext, shop: UiShop) -> int:
    """The car arrives (the schedule's panel), and the panel's "Open work order" opens the order made for it."""
    schedule = ScheduleScreen(context)
    qtbot.addWidget(schedule)
    schedule.show()
    settle(context.runner)
    schedule.panel.show_booking(get_booking(shop.uow_factory, shop.booking), ZONE)
    assert not schedule.panel.work_order_button.isVisibleTo(schedule.panel)
    qtbot.mouseClick(schedule.panel.buttons[BookingStatus.ARRIVED], LEFT)
    settle(context.runner)
    order_id = work_order_for_booking(shop.uow_factory, shop.booking)
    assert order_id is not None, "the arrival opened no work order"
    schedule.panel.show_booking(get_booking(shop.uow_factory, shop.booking), ZONE)
    assert schedule.panel.work_order_button.isVisibleTo(schedule.panel)
    qtbot.mouseClick(schedule.panel.work_order_button, LEFT)
    settle(context.runner)
    editor = schedule.findChild(WorkOrderEditor)
    assert editor is not None and editor.isVisible() and editor.card is not None
    assert editor.card.id == order_id
    [job] = editor.card.labour
    assert (job.service_id, job.hours, job.mechanic_id) == (shop.services["TO-1"], D("1.40"), shop.mechanic)
    editor.close()
    schedule.close()
    settle(context.runner)
    return order_id


def open_screen(qtbot: QtBot, context: ScreenContext) -> WorkOrdersScreen:
    screen = WorkOrdersScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1400, 800)
    screen.show()
    screen.board_button.click()
    settle(context.runner)
    return screen


def select_row(editor: WorkOrderEditor, table_name: str, row: int) -> None:
    getattr(editor, table_name).selectRow(row)


def test_a_booked_car_goes_from_arrival_to_handed_over(
    qtbot: QtBot, admin_context: ScreenContext, shop: UiShop
) -> None:
    runner = admin_context.runner
    order_id = arrive(qtbot, admin_context, shop)
    screen = open_screen(qtbot, admin_context)
    card = screen.board.card(order_id)
    assert card is not None and screen.board.column_of(order_id) is S.NEW
    assert "А123ВС77" in " ".join(label.text() for label in card.findChildren(type(card.refusal)))
    qtbot.keyClick(card, Qt.Key.Key_Return)
    settle(runner)
    [editor] = screen.editors
    assert editor.card is not None and editor.card.header.client_name

    # labour from the norms for this car; other hours only with a reason
    add = editor.open_add_job()
    assert add is not None
    add.select_service(shop.services["TO-AIR"])
    qtbot.mouseClick(add.ok_button, LEFT)
    settle(runner)
    air = next(line for line in editor.card.labour if line.service_id == shop.services["TO-AIR"])
    assert air.hours == air.norm_hours == D("0.30")
    select_row(editor, "labour_table", 1)
    change = editor.open_edit_job()
    assert change is not None
    change.hours.setText("0.5")
    qtbot.mouseClick(change.ok_button, LEFT)
    settle(runner)
    assert change.isVisible() and "0.3" in change.error_label.text()  # refused: the reason is missing
    change.reason.setText("rusty clips")
    qtbot.mouseClick(change.ok_button, LEFT)
    settle(runner)
    air = next(line for line in editor.card.labour if line.service_id == shop.services["TO-AIR"])
    assert (air.hours, air.hours_reason) == (D("0.50"), "rusty clips")

    # a part from the shelf, reserved at once
    part = editor.open_stock_part()
    assert part is not None
    part.set_part(shop.pads, "0986494104 Bosch Brake pads")
    settle(runner)
    assert part.place.count() == 1 and part.place.currentData() == shop.shelf
    part.quantity.setText("2")
    qtbot.mouseClick(part.ok_button, LEFT)
    settle(runner)
    [pads] = editor.card.parts
    assert (pads.state, pads.quantity, pads.price) == ("reserved", D("2.000"), D("2500.00"))

    # the mechanic clocks in, works, pauses waiting for parts, goes on, stops and clocks out
    screen.garage_button.click()
    settle(runner)
    garage = screen.garage
    qtbot.mouseClick(garage.mechanic_buttons[shop.mechanic], LEFT)
    settle(runner)
    qtbot.mouseClick(garage.clock_in_button, LEFT)
    settle(runner)
    assert garage.state is not None and garage.state.present
    row = next(row for row in garage.jobs if row.job.name == air.name)
    qtbot.mouseClick(row.start_button, LEFT)
    settle(runner)
    assert garage.state.running is not None and garage.timer_label.text().count(":") == 2
    qtbot.mouseClick(garage.pause_buttons["waiting_parts"], LEFT)
    settle(runner)
    assert garage.state.running is None and garage.state.paused is not None
    assert garage.state.paused.end_reason == "waiting_parts"
    qtbot.mouseClick(garage.resume_button, LEFT)
    settle(runner)
    assert garage.state.running is not None
    qtbot.mouseClick(garage.stop_button, LEFT)
    qtbot.mouseClick(garage.clock_out_button, LEFT)
    settle(runner)
    assert not garage.state.present and garage.state.running is None
    assert garage.efficiency.text()

    # in work; "ready" is refused while the pads are reserved but not issued, then allowed
    editor.reload()
    settle(runner)
    qtbot.mouseClick(editor.status_buttons[S.IN_WORK], LEFT)
    settle(runner)
    assert editor.card.header.status is S.IN_WORK
    qtbot.mouseClick(editor.status_buttons[S.READY], LEFT)
    settle(runner)
    assert editor.card.header.status is S.IN_WORK
    assert editor.message.isVisible() and "Brake pads" in editor.message.text()
    qtbot.mouseClick(editor.issue_button, LEFT)
    settle(runner)
    assert editor.card.parts[0].state == "issued" and editor.card.parts[0].issue_document
    qtbot.mouseClick(editor.status_buttons[S.READY], LEFT)
    settle(runner)
    assert editor.card.header.status is S.READY

    # the completion act and the invoice print into a preview and are listed on the order
    for kind in (DocumentKind.COMPLETION_ACT, DocumentKind.INVOICE):
        qtbot.mouseClick(editor.documents.print_buttons[kind], LEFT)
        settle(runner)
        preview = editor.previews[-1]
        assert preview.isVisible() and preview.page_count >= 1
        preview.close()
        settle(runner)
    titles = [row.kind for row in editor.documents.model.rows]
    assert sorted(titles) == sorted([DocumentKind.COMPLETION_ACT, DocumentKind.INVOICE])
    assert editor.documents.model.rowCount() == 2

    # handed over: the order is closed, nothing on it can be changed
    qtbot.mouseClick(editor.status_buttons[S.ISSUED], LEFT)
    settle(runner)
    assert editor.card.header.status is S.ISSUED and not editor.add_job_button.isEnabled()
    assert not editor.status_buttons
    editor.close()
    screen.board_button.click()
    settle(runner)
    assert screen.board.card(order_id) is None


def drop(column: QWidget, order_id: int, version: int, status: WorkOrderStatus) -> None:
    """What a mouse drag of the card onto *column* delivers: the drag entering it, then the drop."""
    data = QMimeData()
    data.setData(CARD_MIME, encode_card(order_id, version, status))
    enter = QDragEnterEvent(QPoint(20, 40), Qt.DropAction.MoveAction, data, LEFT, Qt.KeyboardModifier.NoModifier)
    assert QApplication.sendEvent(column, enter) and enter.isAccepted()
    event = QDropEvent(QPointF(20, 40), Qt.DropAction.MoveAction, data, LEFT, Qt.KeyboardModifier.NoModifier)
    assert QApplication.sendEvent(column, event) and event.isAccepted()


def test_a_drag_the_rules_refuse_is_shown_on_the_card(qtbot: QtBot, admin_context: ScreenContext, shop: UiShop) -> None:
    order_id = arrive(qtbot, admin_context, shop)
    card = get_work_order(shop.uow_factory, order_id)
    card = add_stock_part(shop.uow_factory, order_id, card.version, StockPartInput(shop.pads, shop.shelf, D(1)))
    card = change_status(shop.uow_factory, order_id, card.version, S.IN_WORK, ZONE)
    screen = open_screen(qtbot, admin_context)
    assert screen.board.column_of(order_id) is S.IN_WORK

    drop(screen.board.columns[S.READY], order_id, card.version, S.IN_WORK)
    settle(admin_context.runner)
    board_card = screen.board.card(order_id)
    assert board_card is not None and screen.board.column_of(order_id) is S.IN_WORK  # went back
    assert board_card.refusal.isVisibleTo(board_card) and "Brake pads" in board_card.refusal.text()
    assert screen.message.isVisibleTo(screen) and "Brake pads" in screen.message.text()

    drop(screen.board.columns[S.QUALITY_CHECK], order_id, card.version, S.IN_WORK)
    settle(admin_context.runner)
    assert screen.board.column_of(order_id) is S.QUALITY_CHECK
    moved = screen.board.card(order_id)
    assert moved is not None and not moved.refusal.isVisibleTo(moved)


def test_earlier_advice_and_the_orders_quotes_show_in_its_history(
    qtbot: QtBot, admin_context: ScreenContext, shop: UiShop
) -> None:
    earlier = open_work_order(shop.uow_factory, OpenRequest(shop.client, shop.vehicle, complaint="ТО"))
    advice = add_recommendation(shop.uow_factory, earlier.id,
                                RecommendationInput("Заменить воздушный фильтр", shop.services["TO-AIR"]))  # fmt: skip
    decline_recommendation(shop.uow_factory, advice.id)
    change_status(shop.uow_factory, earlier.id, earlier.version, S.CANCELLED, ZONE, "клиент уехал")
    today = open_work_order(shop.uow_factory, OpenRequest(shop.client, shop.vehicle, complaint="Стук"))
    save_quote(shop.uow_factory, "0986494104", [], work_order_id=today.id, comment="колодки")
    editor = WorkOrderEditor(admin_context, today.id)
    qtbot.addWidget(editor)
    editor.show()
    settle(admin_context.runner)
    history = editor.history
    assert [row.text for row in history.earlier_model.rows] == ["Заменить воздушный фильтр"]
    assert [row.comment for row in history.quotes_model.rows] == ["колодки"]
    history.earlier_table.selectRow(0)
    history.adopt_button.click()
    settle(admin_context.runner)
    assert editor.card is not None
    assert [line.service_id for line in editor.card.labour] == [shop.services["TO-AIR"]]
    assert history.earlier_model.rowCount() == 0  # agreed to: no longer pending
    history.quotes_table.selectRow(0)
    history.open_quote_button.click()
    settle(admin_context.runner)
    assert editor.previews and editor.previews[-1].isVisible()
    for preview in list(editor.previews):
        preview.close()
    editor.close()
