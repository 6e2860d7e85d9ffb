"""Settings → Catalog as a manager uses it: a service with a fixed price, a norm, an import of norms, a package."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from autoservice_desk.services.catalog import list_services
from autoservice_desk.services.labour_norms import list_norms
from autoservice_desk.services.service_packages import list_packages
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.catalog_dialogs import NormDialog, ServiceDialog
from autoservice_desk.ui.screens.settings.catalog_page import CatalogPage
from autoservice_desk.ui.screens.settings.norms_import_dialog import NormsImportDialog
from autoservice_desk.ui.screens.settings.package_dialog import PackageDialog


def settle(runner: BackgroundRunner) -> None:
    for _round in range(4):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def column(table: QTableWidget, index: int) -> list[str]:
    return [table.item(row, index).text() for row in range(table.rowCount())]


def open_page(qtbot: QtBot, context: ScreenContext) -> CatalogPage:
    page = CatalogPage(context)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    settle(context.runner)
    return page


def test_a_manager_adds_a_service_with_a_fixed_price_and_a_norm(qtbot: QtBot, admin_context: ScreenContext) -> None:
    page = open_page(qtbot, admin_context)
    assert page.services.rowCount() == 26 and "ТО" in column(page.categories, 0)
    page.service_buttons[0].click()
    dialog = page.dialog
    assert isinstance(dialog, ServiceDialog)
    dialog.name.setText("Хранение шин")  # keyClicks types ASCII only
    qtbot.keyClicks(dialog.code, "TY-STORE")
    dialog.category.setCurrentIndex(dialog.category.findText("Шиномонтаж"))
    qtbot.keyClicks(dialog.hours, "0,3")
    dialog.price_rule.setCurrentIndex(dialog.price_rule.findData("fixed"))
    assert dialog.fixed_price.isEnabled()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # no price yet: refused, named, still open
    settle(admin_context.runner)
    assert dialog.isVisible() and dialog.errors["fixed_price"].isVisible()
    qtbot.keyClicks(dialog.fixed_price, "1500")
    next(box for box in dialog.equipment.boxes.values() if box.text() == "Балансировочный станок").setChecked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    settle(admin_context.runner)
    assert not dialog.isVisible()
    assert admin_context.uow_factory is not None
    [stored] = list_services(admin_context.uow_factory, "TY-STORE")
    assert (stored.fixed_price, stored.default_hours) == (Decimal("1500.00"), Decimal("0.30"))
    assert len(stored.equipment_ids) == 1

    page.search.setText("хранение")
    assert column(page.services, 0) == ["TY-STORE"]
    page.services.selectRow(0)
    settle(admin_context.runner)
    assert "Хранение шин" in page.norms_title.text() and page.norms_table.rowCount() == 0
    page.norm_buttons[0].click()
    norm = page.dialog
    assert isinstance(norm, NormDialog)
    qtbot.keyClicks(norm.make, "Kia")
    qtbot.keyClicks(norm.model, "Rio")
    qtbot.keyClicks(norm.year_from, "2011")
    qtbot.keyClicks(norm.hours, "0,4")
    norm.buttons.button(norm.buttons.StandardButton.Ok).click()
    settle(admin_context.runner)
    assert column(page.norms_table, 0) == ["KIA"] and column(page.norms_table, 2) == ["2011–…"]
    assert list_norms(admin_context.uow_factory, stored.id)[0].hours == Decimal("0.40")


def test_norms_are_imported_through_the_dialog(qtbot: QtBot, admin_context: ScreenContext, tmp_path: Path) -> None:
    page = open_page(qtbot, admin_context)
    path = tmp_path / "norms.csv"
    path.write_text("Код;Марка;Модель;Часы\nEN-BELT;Kia;Rio;2,2\nNO-SUCH;Kia;Rio;1\n", encoding="cp1251")
    page.norm_buttons[3].click()
    dialog = page.dialog
    assert isinstance(dialog, NormsImportDialog)
    dialog.load_file(path)
    settle(admin_context.runner)
    assert dialog.mapping() == {"service_code": 0, "make": 1, "model": 2, "hours": 3}
    dialog.check()
    settle(admin_context.runner)
    assert dialog.problems.rowCount() == 1 and dialog.problems.item(0, 0).text() == "3"
    assert dialog.import_button.text() == "Import 1 valid row"
    dialog.run_import()
    settle(admin_context.runner)
    assert "1 new norms" in dialog.summary.text()
    assert admin_context.uow_factory is not None
    belt = list_services(admin_context.uow_factory, "EN-BELT")[0]
    assert [n.hours for n in list_norms(admin_context.uow_factory, belt.id)] == [Decimal("2.20")]
    dialog.close_button.click()


def test_a_package_is_put_together(qtbot: QtBot, admin_context: ScreenContext) -> None:
    page = open_page(qtbot, admin_context)
    page.package_buttons[0].click()
    dialog = page.dialog
    assert isinstance(dialog, PackageDialog)
    dialog.name.setText("ТО-1 Kia Rio")
    qtbot.keyClicks(dialog.make, "Kia")
    choice = dialog.services.choice
    for code in ("TO-OIL", "TO-AIR"):
        choice.setCurrentIndex(next(row for row in range(choice.count()) if choice.itemText(row).startswith(code)))
        dialog.services.add_button.click()
    dialog.parts.add_button.click()
    for index, text in enumerate(("26300-35505", "Kia", "Фильтр масляный")):
        dialog.parts.table.item(0, index).setText(text)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    settle(admin_context.runner)
    assert not dialog.isVisible()
    assert column(page.packages, 0) == ["ТО-1 Kia Rio"]
    assert admin_context.uow_factory is not None
    [package] = list_packages(admin_context.uow_factory)
    assert len(package.service_ids) == 2 and package.parts[0].quantity == Decimal("1.000")
