"""The Work orders screen's other ways in: a walk-in's new order (Ctrl+N), the list with search and Enter, filters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from work_order_ui_shop import UiShop, make_ui_shop, settle

from autoservice_desk.services.work_order_types import OpenRequest, WorkOrderStatus
from autoservice_desk.services.work_orders import open_work_order
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.work_orders.new_order_dialog import NewWorkOrderDialog
from autoservice_desk.ui.screens.work_orders.screen import WorkOrdersScreen


@pytest.fixture
def shop(admin_context: ScreenContext) -> UiShop:
    return make_ui_shop(admin_context)


@pytest.fixture
def screen(qtbot: QtBot, admin_context: ScreenContext, shop: UiShop) -> WorkOrdersScreen:
    widget = WorkOrdersScreen(admin_context)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    widget.board_button.click()
    settle(admin_context.runner)
    return widget


def test_a_walk_in_gets_an_order_that_opens_in_the_editor(
    qtbot: QtBot, screen: WorkOrdersScreen, admin_context: ScreenContext
) -> None:
    qtbot.keyClick(screen, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = screen.findChild(NewWorkOrderDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    assert dialog.error_label.isVisible()  # no client chosen yet
    qtbot.keyClicks(dialog.client_search, "ivan")
    dialog._timer.timeout.emit()
    settle(admin_context.runner)
    assert dialog.client.count() == 1 and dialog.vehicle.count() == 2
    dialog.complaint.setPlainText("Скрипят тормоза")
    dialog.mileage.setText("52 000")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    [editor] = screen.editors
    assert editor.card is not None
    assert (editor.card.header.complaint, editor.card.header.mileage) == ("Скрипят тормоза", 52000)
    assert editor.card.header.plate == "А123ВС77"
    assert screen.board.column_of(editor.card.id) is WorkOrderStatus.NEW
    editor.close()


def test_the_list_searches_and_enter_opens(
    qtbot: QtBot, screen: WorkOrdersScreen, admin_context: ScreenContext, shop: UiShop
) -> None:
    first = open_work_order(shop.uow_factory, OpenRequest(shop.client, shop.vehicle))
    second = open_work_order(shop.uow_factory, OpenRequest(shop.client, shop.vehicle))
    screen.list_button.click()
    settle(admin_context.runner)
    assert screen.list_model.rowCount() == 2
    qtbot.keyClick(screen, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert screen.filters.search.hasFocus()
    screen.filters.search.setText(second.header.number)
    screen.filters._timer.timeout.emit()
    settle(admin_context.runner)
    assert screen.list_model.rowCount() == 1 and screen.list_model.work_order_id(0) == second.id
    screen.table.setFocus()
    screen.table.setCurrentIndex(screen.list_model.index(0, 0))
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    settle(admin_context.runner)
    [editor] = screen.editors
    assert editor.card is not None and editor.card.id == second.id != first.id
    editor.close()


def test_the_board_filters_by_mechanic(screen: WorkOrdersScreen, admin_context: ScreenContext, shop: UiShop) -> None:
    assigned = open_work_order(shop.uow_factory, OpenRequest(shop.client, shop.vehicle, mechanic_ids=(shop.mechanic,)))
    other = open_work_order(shop.uow_factory, OpenRequest(shop.client, shop.vehicle))
    settle(admin_context.runner)
    assert screen.board.card(assigned.id) is not None and screen.board.card(other.id) is not None
    screen.filters.mechanic.setCurrentIndex(screen.filters.mechanic.findData(shop.mechanic))
    settle(admin_context.runner)
    assert screen.board.card(assigned.id) is not None and screen.board.card(other.id) is None
    card = screen.board.card(assigned.id)
    assert card is not None and "Ivanov" in " ".join(label.text() for label in card.findChildren(type(card.refusal)))
