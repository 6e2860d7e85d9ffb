"""The purchasing tab: a supplier card with a wrong INN refused at its field, a draft proposed from minimum stock."""

from __future__ import annotations

from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from autoservice_desk.services.locations import add_location
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.parts import create_part
from autoservice_desk.services.purchasing import get_purchase_order, list_purchase_orders
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.suppliers import SupplierForm, create_supplier, list_suppliers
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.purchasing_models import OrderColumn
from autoservice_desk.ui.screens.warehouse.purchasing_dialogs import ProposalDialog, SupplierDialog
from autoservice_desk.ui.screens.warehouse.purchasing_page import PurchasingPage
from autoservice_desk.ui.screens.warehouse.screen import TABS

D = Decimal


def settle(runner: BackgroundRunner) -> None:
    for _round in range(4):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def make_page(qtbot: QtBot, context: ScreenContext) -> PurchasingPage:
    page = PurchasingPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    settle(context.runner)
    return page


def test_the_tab_is_listed() -> None:
    assert "purchasing" in [spec.key for spec in TABS]


def test_a_wrong_inn_is_marked_at_its_field_and_a_good_card_is_saved(
    qtbot: QtBot, admin_context: ScreenContext
) -> None:
    runner, uow_factory = admin_context.runner, admin_context.uow_factory
    assert uow_factory is not None
    page = make_page(qtbot, admin_context)
    qtbot.mouseClick(page.new_supplier_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, SupplierDialog) and dialog.isVisible()
    dialog.edits["name"].setText("Armtek")
    dialog.edits["inn"].setText("7707083894")  # the check digit is wrong (…893 is right)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(runner)
    assert dialog.isVisible()
    assert dialog.errors["inn"].isVisibleTo(dialog) and dialog.errors["inn"].text()
    assert not dialog.errors["name"].isVisibleTo(dialog)
    assert list_suppliers(uow_factory) == []

    dialog.edits["inn"].setText("7707083893")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(runner)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert [info.name for info in list_suppliers(uow_factory)] == ["Armtek"]
    assert page.supplier_model.row_count == 1 and page.supplier_model.texts(0)[0] == "Armtek"


@pytest.mark.parametrize("known_supplier", [True, False])
def test_propose_from_minimum_stock_lists_the_draft(
    qtbot: QtBot, admin_context: ScreenContext, known_supplier: bool
) -> None:
    runner, uow_factory = admin_context.runner, admin_context.uow_factory
    assert uow_factory is not None
    shelf = add_location(uow_factory, add_location(uow_factory, None, "warehouse", "Main"), "shelf", "01")
    pads = create_part(uow_factory, PartForm(article="0986494104", brand="Bosch", name="Brake pads",
                                             purchase_price="1500", min_stock="5"))  # fmt: skip
    supplier = create_supplier(uow_factory, SupplierForm(name="Armtek"))
    if known_supplier:
        draft = create_receipt(uow_factory, supplier, [LineInput(pads, D(2), D("1500.00"), to_location_id=shelf)])
        post_document(uow_factory, draft.id, draft.version)
    page = make_page(qtbot, admin_context)
    assert page.orders.rowCount() == 0

    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    settle(runner)
    proposal = page.dialog
    assert isinstance(proposal, ProposalDialog) and proposal.isVisible()
    orders = list_purchase_orders(uow_factory)
    if known_supplier:
        assert len(orders) == 1 and orders[0].status == "draft" and orders[0].supplier_name == "Armtek"
        assert proposal.orders.row_count == 1 and proposal.unassigned.row_count == 0
        lines = get_purchase_order(uow_factory, orders[0].id).lines
        assert [(line.part_id, line.quantity) for line in lines] == [(pads, D(3))]
        assert page.orders.rowCount() == 1
        assert page.orders.index(0, OrderColumn.SUPPLIER).data() == "Armtek"
        assert page.orders.index(0, OrderColumn.LINES).data() == "1"
    else:
        assert orders == []
        assert proposal.orders.row_count == 0 and proposal.unassigned.row_count == 1
        assert proposal.unassigned.texts(0)[0] == "0986494104"
    proposal.close()

    if known_supplier:  # open the order and send it
        page.order_table.selectRow(0)
        qtbot.mouseClick(page.view_button, Qt.MouseButton.LeftButton)
        settle(runner)
        view = page.dialog
        assert view is not None and view.isVisible()
        view.close()
        assert page.send_button.isEnabled()
        qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
        settle(runner)
        assert list_purchase_orders(uow_factory)[0].status == "sent"
