"""The Warehouse → Stock page as a keeper uses it: parts, places, a scanner, stock arriving from other desks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from autoservice_desk.services import users
from autoservice_desk.services.crosses import add_cross
from autoservice_desk.services.locations import add_location, location_tree
from autoservice_desk.services.part_forms import PartForm, ean_check_digit
from autoservice_desk.services.part_search import PartHit, search_parts
from autoservice_desk.services.parts import create_part, find_by_barcode, get_part
from autoservice_desk.services.stock_browse import BrowseCursor, parts_on_location
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.stock_queries import part_balances
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.location_tree_model import LocationTreeModel, PlaceColumn
from autoservice_desk.ui.models.part_moves_model import MoveColumn, PartMovesModel
from autoservice_desk.ui.models.part_stock_models import AnalogColumn, AnalogsModel, BalanceColumn, BalancesModel
from autoservice_desk.ui.models.stock_parts_model import PART_ID_ROLE, PartColumn, StockPartsModel
from autoservice_desk.ui.screens.warehouse.part_dialog import PartDialog
from autoservice_desk.ui.screens.warehouse.place_dialogs import AddPlaceDialog, DefaultPlaceDialog
from autoservice_desk.ui.screens.warehouse.screen import TabSpec, WarehouseScreen
from autoservice_desk.ui.screens.warehouse.stock_page import StockPage


def ean13(serial: str) -> str:
    body = serial.rjust(12, "0")
    return body + ean_check_digit(body)


FILTER_CODE = ean13("460123456789")


def settle(runner: BackgroundRunner) -> None:
    for _round in range(4):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def factory(context: ScreenContext) -> UnitOfWorkFactory:
    assert context.uow_factory is not None
    return context.uow_factory


def receive(uow_factory: UnitOfWorkFactory, part_id: int, place_id: int, quantity: str, price: str = "250") -> None:
    draft = create_receipt(uow_factory, None, [LineInput(part_id, Decimal(quantity), Decimal(price),
                                                         to_location_id=place_id)])  # fmt: skip
    post_document(uow_factory, draft.id, draft.version)


def make_page(qtbot: QtBot, context: ScreenContext) -> StockPage:
    page = StockPage(context)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    settle(context.runner)
    return page


def add_shelf(uow_factory: UnitOfWorkFactory) -> tuple[int, int, int]:
    """(warehouse, rack A, shelf A-01) made through the service."""
    warehouse = add_location(uow_factory, None, "warehouse", "Main")
    rack = add_location(uow_factory, warehouse, "rack", "A", "A")
    return warehouse, rack, add_location(uow_factory, rack, "shelf", "01")


def closed(widget: QWidget) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


def hit_ids(page: StockPage) -> list[int]:
    return [hit.part_id for hit in page.model.rows]


def test_a_part_with_a_barcode_is_created_through_the_dialog_and_a_bad_price_is_marked(
    qtbot: QtBot, admin_context: ScreenContext
) -> None:
    uow_factory = factory(admin_context)
    page = make_page(qtbot, admin_context)
    assert page.status.text() == "No parts yet."
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    dialog = page.dialog
    assert isinstance(dialog, PartDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.edits["article"], "OC 90")
    qtbot.keyClicks(dialog.edits["brand"], "Mahle")
    dialog.edits["name"].setText("Фильтр масляный")  # offscreen Qt types no Cyrillic
    qtbot.keyClicks(dialog.edits["purchase_price"], "12.34.5")
    qtbot.keyClicks(dialog.barcodes.row_edits(0)[0], FILTER_CODE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    assert dialog.isVisible()
    assert dialog.errors["purchase_price"].isVisible()
    assert "price" in dialog.errors["purchase_price"].text()
    assert not dialog.errors["article"].isVisible()
    assert search_parts(uow_factory, "OC90") == []  # nothing saved

    dialog.edits["purchase_price"].setText("250.50")
    qtbot.keyClick(dialog.edits["purchase_price"], Qt.Key.Key_Return)  # Enter saves
    settle(admin_context.runner)
    assert closed(dialog)
    found = find_by_barcode(uow_factory, FILTER_CODE)
    assert found is not None and (found.article, found.brand, found.name) == ("OC 90", "Mahle", "Фильтр масляный")
    assert found.purchase_price == Decimal("250.50")
    assert page.search.text() == "OC 90"  # the new part is shown and chosen
    assert page.selected_part_id() == found.id
    assert page.details.title.text() == "OC 90 · Mahle · Фильтр масляный"


def test_the_same_article_and_brand_offer_the_part_that_exists(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = factory(admin_context)
    existing = create_part(uow_factory, PartForm(article="OC90", brand="MAHLE", name="Filter"))
    page = make_page(qtbot, admin_context)
    page.open_part_dialog(None)
    settle(admin_context.runner)
    dialog = page.dialog
    assert isinstance(dialog, PartDialog)
    qtbot.keyClicks(dialog.edits["article"], "oc-90")
    qtbot.keyClicks(dialog.edits["brand"], "mahle")
    qtbot.keyClicks(dialog.edits["name"], "Oil filter")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    box = dialog.duplicate_box
    assert box is not None and box.isVisible()
    open_button = next(button for button in box.buttons() if button.text() == "Open that part")
    qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.selected_part_id() == existing, timeout=5000)
    settle(admin_context.runner)
    assert closed(dialog)


def test_places_are_built_in_the_tree_and_a_scanned_part_shows_its_shelf_stock(
    qtbot: QtBot, admin_context: ScreenContext
) -> None:
    uow_factory = factory(admin_context)
    part = create_part(uow_factory, PartForm(article="OC90", brand="Mahle", name="Filter", barcodes=(FILTER_CODE,)))
    create_part(uow_factory, PartForm(article="GDB1330", brand="TRW", name="Pads"))
    page = make_page(qtbot, admin_context)
    tree = page.places

    def add(parent_id: int | None, name: str, code: str = "") -> int:
        dialog = tree.open_add_dialog(tree.model.find(parent_id) if parent_id is not None else None)
        assert isinstance(dialog, AddPlaceDialog) and dialog.isVisible()
        qtbot.keyClicks(dialog.name, name)
        qtbot.keyClicks(dialog.code, code)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        settle(admin_context.runner)
        assert closed(dialog)
        chosen = tree.current_id()
        assert chosen is not None and tree.model.find(chosen) is not None
        return chosen

    warehouse = add(None, "Main")
    rack = add(warehouse, "A", "A")
    shelf = add(rack, "01")
    node = tree.model.find(shelf)
    assert node is not None and (node.kind, node.code) == ("shelf", "A-01")
    assert tree.model.data(tree.model.index_of(shelf)) == "Shelf 01"
    assert page.filter_label.text() == "Parts on Shelf 01" and page.status.text() == "Nothing lies here."

    receive(uow_factory, part, shelf, "5")  # the ledger, as the documents tab would post it
    settle(admin_context.runner)
    assert hit_ids(page) == [part]  # only what lies on the shelf
    assert tree.model.data(tree.model.index_of(warehouse, PlaceColumn.PARTS)) == "1"
    qtbot.mouseClick(page.all_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    assert len(hit_ids(page)) == 2 and tree.current_id() is None

    page.search.setFocus()
    qtbot.keyClicks(page.search, FILTER_CODE)  # a scanner: the digits at once, then Enter
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    settle(admin_context.runner)
    assert page.selected_part_id() == part
    assert page.model.data(page.model.index(0, PartColumn.ON_HAND)) == "5"
    assert page.model.data(page.model.index(0, PartColumn.PLACES)) == "A-01: 5"
    assert page.details.balances.rowCount() == 1
    balances = page.details.balances
    assert balances.data(balances.index(0, BalanceColumn.PLACE)) == "A-01"
    assert balances.data(balances.index(0, BalanceColumn.AVAILABLE)) == "5"
    moves = page.details.moves
    assert moves.rowCount() == 1 and moves.data(moves.index(0, MoveColumn.QUANTITY)) == "+5"

    page.search.clear()
    qtbot.keyClicks(page.search, "A-01")  # a shelf label scanned: its place is chosen
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    settle(admin_context.runner)
    assert tree.current_id() == shelf and hit_ids(page) == [part]


def test_another_desks_receipt_appears_by_itself(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = factory(admin_context)
    part = create_part(uow_factory, PartForm(article="OC90", brand="Mahle", name="Filter"))
    _warehouse, _rack, shelf = add_shelf(uow_factory)
    page = make_page(qtbot, admin_context)
    page._poll.setInterval(50)  # the desk polls every few seconds; the test need not wait that long
    page.open_part(part)
    settle(admin_context.runner)
    assert page.selected_part_id() == part and page.details.balances.rowCount() == 0
    other_desk = UnitOfWorkFactory(uow_factory.engine, admin_context.actor)  # heard only through the database
    receive(other_desk, part, shelf, "3")
    qtbot.waitUntil(lambda: page.details.balances.rowCount() == 1, timeout=5000)
    settle(admin_context.runner)
    assert page.selected_part_id() == part  # still chosen after the list was read again
    assert page.model.data(page.model.index(0, PartColumn.AVAILABLE)) == "3"


def test_an_unknown_scan_is_attached_to_the_chosen_part(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = factory(admin_context)
    part = create_part(uow_factory, PartForm(article="GDB1330", brand="TRW", name="Pads"))
    page = make_page(qtbot, admin_context)
    page.table.selectRow(0)
    assert page.selected_part_id() == part
    code = ean13("460000000042")
    page.search.setFocus()
    qtbot.keyClicks(page.search, code)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    settle(admin_context.runner)
    box = page.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    attach = next(button for button in box.buttons() if button.text() == "Attach to GDB1330 TRW")
    qtbot.mouseClick(attach, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_by_barcode(uow_factory, code) is not None, timeout=5000)
    settle(admin_context.runner)
    assert page.selected_part_id() == part and page.search.text() == code


def test_a_person_typing_digits_and_enter_searches_not_scans(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = factory(admin_context)
    part = create_part(uow_factory, PartForm(article="0986494104", brand="Bosch", name="Pads"))
    page = make_page(qtbot, admin_context)
    scans: list[str] = []
    page.scanner.scanned.connect(scans.append)
    page.search.setFocus()
    qtbot.keyClicks(page.search, "09864", delay=70)  # a person: well over 50 ms a key
    qtbot.wait(70)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    settle(admin_context.runner)
    assert scans == [] and page.dialog is None
    assert hit_ids(page) == [part] and page.table.hasFocus()


def test_labels_are_saved_as_pdf_and_the_default_place_is_set(
    qtbot: QtBot, admin_context: ScreenContext, tmp_path: Path
) -> None:
    uow_factory = factory(admin_context)
    part = create_part(uow_factory, PartForm(article="OC90", brand="Mahle", name="Filter", barcodes=(FILTER_CODE,)))
    _warehouse, rack, shelf = add_shelf(uow_factory)
    page = make_page(qtbot, admin_context)
    page.table.selectRow(0)
    qtbot.mouseClick(page.default_place_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    dialog = page.dialog
    assert isinstance(dialog, DefaultPlaceDialog) and dialog.isVisible()
    dialog.place.setCurrentIndex(dialog.place.findData(shelf))
    assert dialog.place.currentText() == "Main › Rack A › Shelf 01 (A-01)"
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    assert closed(dialog) and get_part(uow_factory, part).default_location_code == "A-01"

    places_pdf, part_pdf = tmp_path / "places.pdf", tmp_path / "part.pdf"
    page.places.save_labels([rack, shelf], str(places_pdf))
    settle(admin_context.runner)
    page.save_part_labels([part, part], str(part_pdf), "single")
    settle(admin_context.runner)
    assert places_pdf.read_bytes().startswith(b"%PDF") and part_pdf.read_bytes().startswith(b"%PDF")
    assert page.status.text() == f"Labels saved to {part_pdf}."


def test_an_advisor_looks_stock_up_but_edits_nothing(
    qtbot: QtBot, admin_context: ScreenContext, uow_factory: UnitOfWorkFactory
) -> None:
    create_part(factory(admin_context), PartForm(article="OC90", brand="Mahle", name="Filter"))
    advisor = users.create_user(factory(admin_context), "olga", "Olga", "secret2", {"advisor"})
    actor = advisor.as_actor()
    context = admin_context.with_changes(uow_factory=uow_factory.acting_as(actor), actor=actor)
    page = make_page(qtbot, context)
    page.table.selectRow(0)
    assert page.edit_button.isEnabled() and page.labels_button.isEnabled()
    assert not page.new_button.isEnabled() and not page.places.add_button.isEnabled()


def test_the_screen_makes_its_tabs_when_first_shown(qtbot: QtBot, admin_context: ScreenContext) -> None:
    made: list[str] = []

    def later(context: ScreenContext) -> QPushButton:
        made.append("later")
        return QPushButton("later")

    tabs = [
        TabSpec("stock", "Stock", lambda context: StockPage(context)),
        TabSpec("later", "Later", later),
        TabSpec("missing", "Missing", later, lambda: False),
    ]
    screen = WarehouseScreen(admin_context, tabs)
    qtbot.addWidget(screen)
    assert [screen.tabs.tabText(index) for index in range(screen.tabs.count())] == ["Stock", "Later"]
    assert isinstance(screen.current_page(), StockPage) and made == []
    screen.show_page("later")
    assert made == ["later"] and screen.tabs.currentIndex() == 1
    screen.save_state()
    assert admin_context.state.value("warehouse/tab") == "later"
    settle(admin_context.runner)


# --- models -----------------------------------------------------------------------------------------------------


def test_the_table_models_pass_qts_tester(
    qtbot: QtBot, admin_context: ScreenContext, runner: BackgroundRunner, qtmodeltester: ModelTester
) -> None:
    uow_factory = factory(admin_context)
    ids = [create_part(uow_factory, PartForm(article=f"A{number:03d}", brand="Febi", name=f"Part {number}"))
           for number in range(7)]  # fmt: skip
    warehouse, rack, shelf = add_shelf(uow_factory)
    receive(uow_factory, ids[0], shelf, "2")
    receive(uow_factory, ids[0], warehouse, "1.000")
    receive(uow_factory, ids[1], shelf, "4")
    add_cross(uow_factory, "A000", "Febi", "A001", "Febi")

    parts = StockPartsModel(runner)
    qtmodeltester.check(parts)

    def read(after: BrowseCursor | None) -> tuple[list[PartHit], BrowseCursor | None]:
        page = parts_on_location(uow_factory, None, after, 3)
        return page.hits, page.next_cursor

    parts.set_reader(read)
    assert runner.wait_for_idle()
    assert parts.rowCount() == 3 and parts.canFetchMore(QModelIndex())
    while parts.canFetchMore(QModelIndex()):
        parts.fetchMore(QModelIndex())
        assert runner.wait_for_idle()
    assert parts.rowCount() == 7
    assert parts.data(parts.index(0, PartColumn.ARTICLE)) == "A000"
    assert parts.data(parts.index(0, PartColumn.ON_HAND)) == "3"
    assert parts.data(parts.index(0, 0), PART_ID_ROLE) == ids[0]
    qtmodeltester.check(parts)

    moves = PartMovesModel(uow_factory, runner, "Europe/Moscow", page_size=1)
    moves.show_part(ids[0])
    assert runner.wait_for_idle()
    moves.fetchMore(QModelIndex())
    assert runner.wait_for_idle()
    assert moves.rowCount() == 2
    qtmodeltester.check(moves)

    balances, analogs = BalancesModel(), AnalogsModel()
    balances.set_rows(part_balances(uow_factory, ids[0]))
    analogs.set_rows(parts.row(0).analogs)
    assert balances.rowCount() == 2 and analogs.rowCount() == 1
    assert analogs.data(analogs.index(0, AnalogColumn.ARTICLE)) == "A001"
    qtmodeltester.check(balances)
    qtmodeltester.check(analogs)

    tree = LocationTreeModel()
    tree.set_nodes(location_tree(uow_factory))
    qtmodeltester.check(tree)
    assert tree.rowCount() == 1 and tree.data(tree.index_of(shelf, PlaceColumn.CODE)) == "A-01"
    assert tree.parent(tree.index_of(shelf)).internalId() == rack
    assert tree.data(tree.index_of(warehouse, PlaceColumn.PARTS)) == "3"  # part lines on it and inside it
