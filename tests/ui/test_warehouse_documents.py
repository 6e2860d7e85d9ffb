"""Stock documents as a keeper uses them: receive by scanning, sell over the counter, a refused issue, a transfer,
a count with a difference, a return to the supplier, another desk's posting, and the scanner told from typing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.locations import add_location
from autoservice_desk.services.part_forms import PartForm, ean_check_digit
from autoservice_desk.services.parts import create_part, find_by_barcode
from autoservice_desk.services.stock_documents import create_receipt, create_transfer, update_header
from autoservice_desk.services.stock_forms import DocumentKind, DocumentStatus, DraftHeader, LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.stock_queries import get_document, list_documents, part_balances
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.document_lines_model import DocumentLinesModel, LineColumn
from autoservice_desk.ui.models.stock_document_list_model import DocumentColumn, DocumentListModel
from autoservice_desk.ui.screens.warehouse.document_dialogs import NewPartDialog, ReasonDialog, ReturnLinesDialog
from autoservice_desk.ui.screens.warehouse.document_editor import DocumentEditor
from autoservice_desk.ui.screens.warehouse.documents_page import DocumentsPage
from autoservice_desk.ui.screens.warehouse.pickers import PlacePicker, ReceiptPicker
from autoservice_desk.ui.screens.warehouse.scanner import ScanDetector

D = Decimal


def ean13(body: str) -> str:
    return body + ean_check_digit(body)


PADS_CODE = ean13("460000000001")
FILTER_CODE = ean13("460000000002")


@dataclass(frozen=True)
class Shop:
    uow_factory: UnitOfWorkFactory
    shelf_1: int
    shelf_2: int
    pads: int
    filter: int
    supplier: int
    client: int


@pytest.fixture
def shop(admin_context: ScreenContext) -> Shop:
    uow_factory = admin_context.uow_factory
    assert uow_factory is not None
    warehouse = add_location(uow_factory, None, "warehouse", "Main")
    rack = add_location(uow_factory, warehouse, "rack", "A", "A")
    shelf_1 = add_location(uow_factory, rack, "shelf", "01")
    shelf_2 = add_location(uow_factory, rack, "shelf", "02")
    pads = create_part(uow_factory, PartForm(article="0986494104", brand="Bosch", name="Brake pads",
                                             purchase_price="1500", barcodes=(PADS_CODE,)))  # fmt: skip
    filter_ = create_part(uow_factory, PartForm(article="OC90", brand="Knecht", name="Oil filter",
                                                purchase_price="420.50", barcodes=(FILTER_CODE,)))  # fmt: skip
    supplier = create_supplier(uow_factory, SupplierForm(name="Armtek"))
    client = create_client(uow_factory, ClientForm(surname="Ivanov", given_name="Sergei"))
    return Shop(uow_factory, shelf_1, shelf_2, pads, filter_, supplier, client)


def settle(runner: BackgroundRunner) -> None:
    for _round in range(4):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def on_hand(shop: Shop, part_id: int) -> dict[str, Decimal]:
    return {balance.location_name: balance.quantity for balance in part_balances(shop.uow_factory, part_id)}


def make_page(qtbot: QtBot, context: ScreenContext) -> DocumentsPage:
    page = DocumentsPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    settle(context.runner)
    return page


def new_editor(page: DocumentsPage, qtbot: QtBot, kind: DocumentKind) -> DocumentEditor:
    qtbot.mouseClick(page.new_buttons[kind], Qt.MouseButton.LeftButton)
    settle(page.context.runner)
    editor = page.editor
    assert editor is not None and editor.isVisible() and editor.document.kind == kind
    return editor


def scan(qtbot: QtBot, target: QWidget, code: str, runner: BackgroundRunner) -> None:
    """What a keyboard-wedge scanner does: the code's keys in a burst, then Enter."""
    qtbot.keyClicks(target, code)
    qtbot.keyClick(target, Qt.Key.Key_Return)
    settle(runner)


def set_cell(editor: DocumentEditor, row: int, column: LineColumn, text: str) -> None:
    """An inline edit as the table's editor commits it."""
    assert editor.lines_model.setData(editor.lines_model.index(row, column), text)
    settle(editor.context.runner)


def post(editor: DocumentEditor, qtbot: QtBot) -> None:
    qtbot.mouseClick(editor.post_button, Qt.MouseButton.LeftButton)
    settle(editor.context.runner)


def close(editor: DocumentEditor, qtbot: QtBot) -> None:
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    settle(editor.context.runner)
    assert not shiboken6.isValid(editor) or not editor.isVisible()


def receive(shop: Shop, *lines: tuple[int, int, str]) -> int:
    """A posted receipt of (part, place, quantity) lines, made through the services."""
    draft = create_receipt(shop.uow_factory, shop.supplier, [
        LineInput(part, D(quantity), D("100.00"), to_location_id=place) for part, place, quantity in lines
    ])  # fmt: skip
    return post_document(shop.uow_factory, draft.id, draft.version).id


def test_receive_by_scanning_onto_a_shelf_and_post(qtbot: QtBot, admin_context: ScreenContext, shop: Shop) -> None:
    runner = admin_context.runner
    page = make_page(qtbot, admin_context)
    editor = new_editor(page, qtbot, DocumentKind.RECEIPT)
    header = editor.header
    header.supplier.setCurrentIndex(header.supplier.findData(shop.supplier))
    qtbot.keyClicks(header.supplier_invoice, "INV-77")
    assert editor.save_button.isEnabled()

    scan(qtbot, editor.table, PADS_CODE, runner)  # no place yet, and the part has no default place
    assert "goes to" in editor.message.text() and not editor.document.lines
    scan(qtbot, editor.table, "A-01", runner)  # the shelf's label
    assert header.target.currentData() == shop.shelf_1 and "A-01" in editor.message.text()
    scan(qtbot, editor.table, PADS_CODE, runner)
    scan(qtbot, editor.table, PADS_CODE, runner)
    scan(qtbot, editor.add_field, FILTER_CODE, runner)  # a scan into the search field does not stay there
    assert editor.add_field.text() == ""
    lines = editor.document.lines
    assert [(line.article, line.quantity, line.to_location) for line in lines] == [
        ("0986494104", D(2), "A-01"), ("OC90", D(1), "A-01")
    ]  # fmt: skip
    assert lines[0].price == D("1500.00")  # the part's purchase price to start with
    set_cell(editor, 0, LineColumn.PRICE, "1 450,50")
    assert editor.document.lines[0].price == D("1450.50")
    assert editor.lines_model.data(editor.lines_model.index(0, LineColumn.AMOUNT)) == "2,901.00"

    post(editor, qtbot)  # saves the header first
    posted = editor.document
    assert posted.status == DocumentStatus.POSTED and posted.display_number.startswith("GR-")
    assert posted.supplier_id == shop.supplier and posted.supplier_invoice == "INV-77"
    assert not editor.post_button.isVisible() and editor.reverse_button.isVisible()
    assert not editor.adding.isVisible()
    assert not editor.lines_model.flags(editor.lines_model.index(0, LineColumn.QUANTITY)) & Qt.ItemFlag.ItemIsEditable
    assert on_hand(shop, shop.pads) == {"A-01": D(2)} and on_hand(shop, shop.filter) == {"A-01": D(1)}
    close(editor, qtbot)
    assert page.model.data(page.model.index(0, DocumentColumn.NUMBER)) == posted.display_number
    assert page.model.data(page.model.index(0, DocumentColumn.COUNTERPARTY)) == "Armtek"


def test_a_counter_sale_to_a_client_and_an_issue_of_more_than_is_there(
    qtbot: QtBot, admin_context: ScreenContext, shop: Shop
) -> None:
    runner = admin_context.runner
    receive(shop, (shop.pads, shop.shelf_1, "2"))
    page = make_page(qtbot, admin_context)
    editor = new_editor(page, qtbot, DocumentKind.ISSUE)
    qtbot.keyClicks(editor.header.client_search, "ivan")
    qtbot.waitUntil(lambda: editor.header.client.currentData() == shop.client, timeout=5000)
    scan(qtbot, editor.table, PADS_CODE, runner)  # taken from where the pads are
    assert [(line.from_location, line.quantity) for line in editor.document.lines] == [("A-01", D(1))]
    post(editor, qtbot)
    assert editor.document.status == DocumentStatus.POSTED and editor.document.client_id == shop.client
    assert on_hand(shop, shop.pads) == {"A-01": D(1)}
    close(editor, qtbot)
    assert page.model.data(page.model.index(0, DocumentColumn.COUNTERPARTY)) == "Ivanov Sergei"

    editor = new_editor(page, qtbot, DocumentKind.ISSUE)
    scan(qtbot, editor.table, PADS_CODE, runner)
    set_cell(editor, 0, LineColumn.QUANTITY, "3")
    post(editor, qtbot)
    message = editor.message.text()
    assert "Not enough stock of 0986494104 Brake pads on A-01: 1 pcs available, 3 asked" in message
    assert "Nothing has been posted" in message
    assert editor.message.isVisible() and editor.post_button.isVisible()
    assert editor.lines_model.data(editor.lines_model.index(0, LineColumn.NAME), Qt.ItemDataRole.BackgroundRole)
    assert get_document(shop.uow_factory, editor.document.id).status == DocumentStatus.DRAFT
    assert on_hand(shop, shop.pads) == {"A-01": D(1)}  # nothing written
    close(editor, qtbot)


def test_move_between_shelves(qtbot: QtBot, admin_context: ScreenContext, shop: Shop) -> None:
    runner = admin_context.runner
    receive(shop, (shop.pads, shop.shelf_1, "3"))
    page = make_page(qtbot, admin_context)
    editor = new_editor(page, qtbot, DocumentKind.TRANSFER)
    scan(qtbot, editor.table, "A-01", runner)  # from
    scan(qtbot, editor.table, "A-02", runner)  # to
    scan(qtbot, editor.table, PADS_CODE, runner)
    scan(qtbot, editor.table, PADS_CODE, runner)
    assert [(line.from_location, line.to_location, line.quantity) for line in editor.document.lines] == [
        ("A-01", "A-02", D(2))
    ]
    post(editor, qtbot)
    assert editor.document.status == DocumentStatus.POSTED
    assert on_hand(shop, shop.pads) == {"A-01": D(1), "A-02": D(2)}
    close(editor, qtbot)


def test_count_a_shelf_with_a_difference(
    qtbot: QtBot, admin_context: ScreenContext, shop: Shop, qtmodeltester: ModelTester
) -> None:
    receive(shop, (shop.pads, shop.shelf_2, "4"), (shop.filter, shop.shelf_2, "2"))
    page = make_page(qtbot, admin_context)
    qtbot.mouseClick(page.new_buttons[DocumentKind.COUNT], Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    picker = page.dialog
    assert isinstance(picker, PlacePicker)
    picker.select(shop.shelf_2)
    picker.accept()
    settle(admin_context.runner)
    editor = page.editor
    assert editor is not None and editor.document.kind == DocumentKind.COUNT
    model = editor.lines_model
    qtmodeltester.check(model)
    assert [(line.article, line.book_quantity, line.quantity) for line in editor.document.lines] == [
        ("0986494104", D(4), D(4)), ("OC90", D(2), D(2))
    ]  # fmt: skip
    assert model.headerData(LineColumn.QUANTITY, Qt.Orientation.Horizontal) == "Counted"
    set_cell(editor, 0, LineColumn.QUANTITY, "3")  # one set of pads is missing
    assert model.data(model.index(0, LineColumn.DIFFERENCE)) == "−1"
    assert model.data(model.index(0, LineColumn.DIFFERENCE), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(1, LineColumn.DIFFERENCE), Qt.ItemDataRole.BackgroundRole) is None
    assert "1 difference" in editor.total.text()
    post(editor, qtbot)
    assert editor.document.status == DocumentStatus.POSTED
    assert on_hand(shop, shop.pads) == {"A-02": D(3)} and on_hand(shop, shop.filter) == {"A-02": D(2)}
    close(editor, qtbot)


def test_return_to_the_supplier_against_the_receipt(qtbot: QtBot, admin_context: ScreenContext, shop: Shop) -> None:
    receipt_id = receive(shop, (shop.pads, shop.shelf_1, "5"), (shop.filter, shop.shelf_1, "2"))
    page = make_page(qtbot, admin_context)
    qtbot.mouseClick(page.new_buttons[DocumentKind.SUPPLIER_RETURN], Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    picker = page.dialog
    assert isinstance(picker, ReceiptPicker) and picker.found_ids == [receipt_id]
    picker.accept()
    settle(admin_context.runner)
    editor = page.editor
    assert editor is not None and editor.document.against_id == receipt_id
    assert editor.header.against.text().startswith("GR-") and "Armtek" in editor.header.against.text()
    qtbot.mouseClick(editor.from_receipt_button, Qt.MouseButton.LeftButton)
    settle(admin_context.runner)
    lines = editor.dialog
    assert isinstance(lines, ReturnLinesDialog) and lines.table.rowCount() == 2
    lines.set_quantity(0, "2")
    lines.accept()
    settle(admin_context.runner)
    assert [(line.article, line.quantity, line.price) for line in editor.document.lines] == [
        ("0986494104", D(2), D("100.00"))
    ]
    post(editor, qtbot)
    assert editor.document.status == DocumentStatus.POSTED and editor.document.supplier_id == shop.supplier
    assert on_hand(shop, shop.pads) == {"A-01": D(3)}
    close(editor, qtbot)


def test_another_desks_posting_shows_without_a_refresh(
    qtbot: QtBot, admin_context: ScreenContext, shop: Shop, qtmodeltester: ModelTester
) -> None:
    page = make_page(qtbot, admin_context)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 0
    page._poll.setInterval(50)  # every few seconds at the desk
    assert admin_context.actor is not None
    other_desk = UnitOfWorkFactory(shop.uow_factory.engine).acting_as(admin_context.actor)  # not on this bus
    line = LineInput(shop.pads, D(1), D("9.99"), to_location_id=shop.shelf_1)
    draft = create_receipt(other_desk, shop.supplier, [line])
    post_document(other_desk, draft.id, draft.version)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    settle(admin_context.runner)
    qtmodeltester.check(page.model)
    assert page.model.data(page.model.index(0, DocumentColumn.TOTAL)) == "9.99"


def test_the_list_pages_and_filters(
    uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, admin_context: ScreenContext, shop: Shop,
    qtmodeltester: ModelTester,
) -> None:  # fmt: skip
    for _number in range(5):
        receive(shop, (shop.pads, shop.shelf_1, "1"))
    create_receipt(shop.uow_factory, None)
    model = DocumentListModel(shop.uow_factory, runner, page_size=2)
    qtmodeltester.check(model)
    model.set_filter(None, None, "")
    settle(runner)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        settle(runner)
    assert model.rowCount() == 6
    assert model.data(model.index(0, DocumentColumn.STATUS)) == "Draft"
    model.set_filter(DocumentKind.RECEIPT, DocumentStatus.POSTED, "")
    settle(runner)
    model.fetchMore(QModelIndex())
    settle(runner)
    model.fetchMore(QModelIndex())
    settle(runner)
    assert model.rowCount() == 5
    posted = list_documents(shop.uow_factory, status=DocumentStatus.POSTED)
    assert [row.id for row in model.rows] == [row.id for row in posted]
    qtmodeltester.check(model)


def test_lines_model_shows_a_receipt(qtmodeltester: ModelTester, admin_context: ScreenContext, shop: Shop) -> None:
    draft = create_receipt(shop.uow_factory, shop.supplier, [
        LineInput(shop.pads, D(2), D("10.00"), to_location_id=shop.shelf_1),
        LineInput(shop.filter, D(1), D("5.50"), to_location_id=shop.shelf_2),
    ])  # fmt: skip
    model = DocumentLinesModel()
    qtmodeltester.check(model)
    model.set_document(draft)
    qtmodeltester.check(model)
    edits: list[tuple[int, LineInput]] = []
    model.line_edited.connect(lambda line_id, line: edits.append((line_id, line)))
    assert model.setData(model.index(1, LineColumn.QUANTITY), "4")
    assert model.setData(model.index(1, LineColumn.TO), shop.shelf_1)
    assert not model.setData(model.index(1, LineColumn.QUANTITY), "four")
    assert [(line.quantity, line.to_location_id) for _id, line in edits] == [(D(4), shop.shelf_2), (D(1), shop.shelf_1)]
    assert model.headerData(LineColumn.TO, Qt.Orientation.Horizontal) == "Place"


# --- the scanner ---------------------------------------------------------------------------------------------------


def test_the_detector_tells_a_scan_from_typing() -> None:
    detector = ScanDetector(min_length=6, max_gap_ms=50)
    for step, character in enumerate("4600000000017"):
        assert detector.key_typed(character, 1000 + step * 8) == (step == 0)
    assert detector.enter_pressed(1000 + 13 * 8) == "4600000000017"
    for step, character in enumerate("oc90 filter"):  # a person: 120 ms a key
        detector.key_typed(character, 5000 + step * 120)
    assert detector.enter_pressed(5000 + 11 * 120) is None
    for step, character in enumerate("12345"):  # fast but too short
        detector.key_typed(character, 9000 + step * 5)
    assert detector.enter_pressed(9030) is None
    for step, character in enumerate("460000000001"):  # a fast burst, then a pause before Enter
        detector.key_typed(character, 12000 + step * 5)
    assert detector.enter_pressed(12000 + 12 * 5 + 400) is None


def test_typing_in_a_field_is_left_alone(qtbot: QtBot, admin_context: ScreenContext, shop: Shop) -> None:
    draft = create_receipt(shop.uow_factory, shop.supplier)
    editor = DocumentEditor(admin_context, draft)
    qtbot.addWidget(editor)
    editor.show()
    settle(admin_context.runner)
    scanned: list[str] = []
    editor.scanner.scanned.connect(scanned.append)
    field = editor.header.supplier_invoice
    for character in "INV-5":  # a person types: pauses between keys
        qtbot.keyClick(field, character)
        qtbot.wait(70)
    qtbot.wait(70)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == "INV-5" and scanned == []
    qtbot.keyClicks(field, "A-02")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    settle(admin_context.runner)
    assert scanned == ["A-02"] and field.text() == "INV-5"
    assert editor.header.target.currentData() == shop.shelf_2
    editor.reject()  # the invoice number was typed and not saved: asked about
    box = editor.dialog
    assert isinstance(box, QMessageBox) and box.isVisible() and editor.isVisible()
    box.button(QMessageBox.StandardButton.Discard).click()
    settle(admin_context.runner)
    assert not editor.isVisible()
    assert get_document(shop.uow_factory, draft.id).supplier_invoice == ""


def test_an_unknown_barcode_becomes_a_new_part(qtbot: QtBot, admin_context: ScreenContext, shop: Shop) -> None:
    runner = admin_context.runner
    page = make_page(qtbot, admin_context)
    editor = new_editor(page, qtbot, DocumentKind.RECEIPT)
    scan(qtbot, editor.table, "A-02", runner)
    code = ean13("460000000099")
    scan(qtbot, editor.table, code, runner)
    box = editor.dialog
    assert isinstance(box, QMessageBox) and code in box.text()
    [create] = [button for button in box.buttons() if button.text() == "Create a part…"]
    create.click()
    settle(runner)
    form = editor.dialog
    assert isinstance(form, NewPartDialog)
    qtbot.keyClicks(form.article, "W712")
    form.name.setText("Масляный фильтр")  # offscreen Qt types no Cyrillic
    qtbot.keyClicks(form.purchase_price, "350")
    form.accept()
    settle(runner)
    part = find_by_barcode(shop.uow_factory, code)
    assert part is not None and part.article == "W712"
    assert [(line.part_id, line.quantity, line.price, line.to_location) for line in editor.document.lines] == [
        (part.id, D(1), D("350.00"), "A-02")
    ]
    close(editor, qtbot)


def test_a_posted_document_opens_read_only_and_is_reversed(
    qtbot: QtBot, admin_context: ScreenContext, shop: Shop
) -> None:
    runner = admin_context.runner
    receipt_id = receive(shop, (shop.pads, shop.shelf_1, "2"))
    page = make_page(qtbot, admin_context)
    page.select(receipt_id)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter opens
    settle(runner)
    editor = page.editor
    assert editor is not None and editor.document.id == receipt_id
    assert not editor.adding.isVisible() and not editor.save_button.isVisible() and editor.reverse_button.isVisible()
    assert not editor.header.supplier.isEnabled()
    qtbot.mouseClick(editor.reverse_button, Qt.MouseButton.LeftButton)
    reason = editor.dialog
    assert isinstance(reason, ReasonDialog)
    reason.accept()  # no reason yet: asked for one
    assert reason.isVisible() and reason.error_label.isVisible()
    qtbot.keyClicks(reason.reason, "Wrong supplier")
    reason.accept()
    settle(runner)
    assert not reason.isVisible() if shiboken6.isValid(reason) else True
    assert editor.document.reversed_by_id is not None and not editor.reverse_button.isVisible()
    assert "Reversed by GR-" in editor.message.text()
    assert on_hand(shop, shop.pads) == {}
    close(editor, qtbot)
    assert page.model.rowCount() == 2
    assert page.model.data(page.model.index(0, DocumentColumn.STATUS)) == "Posted (reversal)"


def test_a_save_over_another_desks_change_is_refused_until_reopened(
    qtbot: QtBot, admin_context: ScreenContext, shop: Shop
) -> None:
    runner = admin_context.runner
    draft = create_transfer(shop.uow_factory)
    editor = DocumentEditor(admin_context, draft)
    qtbot.addWidget(editor)
    editor.show()
    settle(runner)
    update_header(shop.uow_factory, draft.id, draft.version, DraftHeader(reason="Re-shelving"))  # another desk
    qtbot.keyClicks(editor.header.reason, "Mine")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(runner)
    assert "Someone else has changed this document" in editor.message.text()
    assert "Reopen" in editor.message.text() and editor.reopen_button.isVisible()
    assert get_document(shop.uow_factory, draft.id).reason == "Re-shelving"
    qtbot.mouseClick(editor.reopen_button, Qt.MouseButton.LeftButton)
    settle(runner)
    assert editor.header.reason.text() == "Re-shelving" and not editor.dirty
    editor.header.reason.setText("Mine")
    editor.header.reason.textEdited.emit("Mine")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(runner)
    assert get_document(shop.uow_factory, draft.id).reason == "Mine" and editor.message.text() == "Saved."
    close(editor, qtbot)
