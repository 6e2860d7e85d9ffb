"""The reports tab over a small ledger: below minimum, stock on a date with its totals, movements, XLSX export."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from autoservice_desk.formatting import format_number
from autoservice_desk.services.locations import add_location
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.parts import create_part
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.warehouse.reports_page import DEFAULT_DEAD_DAYS, ReportsPage
from autoservice_desk.ui.screens.warehouse.screen import TABS

D = Decimal


def settle(runner: BackgroundRunner) -> None:
    for _round in range(4):
        assert runner.wait_for_idle()
        QApplication.processEvents()


@pytest.fixture
def ledger(admin_context: ScreenContext) -> None:
    """Pads (minimum 5): 2 on A-01 and 1 on A-02; a filter (minimum 1): 10 on A-01."""
    uow_factory = admin_context.uow_factory
    assert uow_factory is not None
    rack = add_location(uow_factory, add_location(uow_factory, None, "warehouse", "Main"), "rack", "A", "A")
    shelf_1, shelf_2 = add_location(uow_factory, rack, "shelf", "01"), add_location(uow_factory, rack, "shelf", "02")
    pads = create_part(uow_factory, PartForm(article="0986494104", brand="Bosch", name="Brake pads",
                                             purchase_price="1500", min_stock="5"))  # fmt: skip
    filter_ = create_part(uow_factory, PartForm(article="OC90", brand="Knecht", name="Oil filter",
                                                purchase_price="420.50", min_stock="1"))  # fmt: skip
    supplier = create_supplier(uow_factory, SupplierForm(name="Armtek"))
    draft = create_receipt(uow_factory, supplier, [
        LineInput(pads, D(2), D("1500.00"), to_location_id=shelf_1),
        LineInput(pads, D(1), D("1500.00"), to_location_id=shelf_2),
        LineInput(filter_, D(10), D("420.50"), to_location_id=shelf_1),
    ])  # fmt: skip
    post_document(uow_factory, draft.id, draft.version)


def make_page(qtbot: QtBot, context: ScreenContext) -> ReportsPage:
    page = ReportsPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    settle(context.runner)
    return page


def show(page: ReportsPage, qtbot: QtBot) -> None:
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    settle(page.context.runner)
    assert not page.error.isVisibleTo(page), page.error.text()


def test_the_tab_is_listed() -> None:
    assert "reports" in [spec.key for spec in TABS]


def test_below_minimum(qtbot: QtBot, admin_context: ScreenContext, ledger: None) -> None:
    page = make_page(qtbot, admin_context)
    page.choose("below_minimum")
    show(page, qtbot)
    assert page.model.row_count == 1
    article, brand, _name, minimum, available, on_order, to_order = page.model.texts(0)
    assert (article, brand, minimum, available, on_order, to_order) == ("0986494104", "Bosch", "5", "3", "0", "2")
    assert page.model.totals() is None


def test_stock_on_date_with_totals_and_export(
    qtbot: QtBot, admin_context: ScreenContext, ledger: None, tmp_path: Path
) -> None:
    page = make_page(qtbot, admin_context)
    assert page.chooser.currentData() == "stock_on_date" and page.days.value() == DEFAULT_DEAD_DAYS
    show(page, qtbot)
    rows = [page.model.texts(row) for row in range(page.model.row_count)]
    assert [(row[0], row[4]) for row in rows] == [("0986494104", "2"), ("0986494104", "1"), ("OC90", "10")]
    totals = page.model.totals()
    assert totals is not None and "3" in totals[0]
    assert page.model.rowCount() == 4  # the rows and the totals line
    assert totals[5] == format_number(D("8705.00"), 2)  # 3 × 1500 + 10 × 420.50

    path = tmp_path / "stock.xlsx"
    page.export_to(str(path))
    settle(admin_context.runner)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 5 and values[1][0] == "0986494104" and values[4][5] == pytest.approx(8705.0)

    before = date.today() - timedelta(days=2)
    page.on_date.setDate(QDate(before.year, before.month, before.day))
    show(page, qtbot)
    assert page.model.row_count == 0
    totals = page.model.totals()
    assert totals is not None and "0" in totals[0]


def test_movements_of_a_part(qtbot: QtBot, admin_context: ScreenContext, ledger: None) -> None:
    page = make_page(qtbot, admin_context)
    page.choose("movements")
    page.article.setText("nothing-like-it")
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    assert page.error.isVisibleTo(page)
    page.article.setText("0986494104")
    show(page, qtbot)
    assert page.model.row_count == 2
    assert sorted(page.model.texts(row)[3] for row in range(2)) == ["1", "2"]
