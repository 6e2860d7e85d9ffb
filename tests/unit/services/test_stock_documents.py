"""Drafts and reads on SQLite and PostgreSQL: every kind's form, version-checked line edits, lists, moves, stamps."""

from __future__ import annotations

from datetime import date

import pytest
from stock_shop import D, Shop, issue, make_shop, receive

from autoservice_desk.services.errors import ConflictError, NotFoundError, ValidationError
from autoservice_desk.services.reservations import reserve
from autoservice_desk.services.stock_documents import (
    add_lines,
    create_issue,
    create_receipt,
    create_supplier_return,
    create_transfer,
    delete_draft,
    remove_line,
    returnable_lines,
    start_count,
    update_header,
    update_line,
)
from autoservice_desk.services.stock_forms import DocumentKind, DocumentStatus, DraftHeader, LineInput
from autoservice_desk.services.stock_queries import get_document, list_documents, part_moves, stock_stamp
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Shop:
    return make_shop(uow_factory)


def test_a_receipt_draft_keeps_its_header_and_lines(shop: Shop) -> None:
    draft = create_receipt(
        shop.uow_factory, shop.supplier, [LineInput(shop.pads, D(2), D("1500.00"), to_location_id=shop.a032)],
        supplier_invoice=" УТ-77 ", supplier_invoice_date=date(2026, 3, 2), document_date=date(2026, 3, 3),
    )  # fmt: skip
    assert draft.status == DocumentStatus.DRAFT and draft.number is None and draft.display_number == ""
    assert (draft.supplier_name, draft.supplier_invoice, draft.year) == ("Армтек", "УТ-77", 2026)
    line = draft.lines[0]
    assert (line.article, line.part_name, line.to_location, line.amount) == (
        "0986494104",
        "Колодки",
        "A-03-2",
        D("3000.00"),
    )
    assert draft.total == D("3000.00")


def test_lines_are_checked_for_what_each_kind_needs(shop: Shop) -> None:
    with pytest.raises(ValidationError, match="Enter the purchase price of 0986494104 Колодки"):
        create_receipt(shop.uow_factory, None, [LineInput(shop.pads, D(1), to_location_id=shop.a032)])
    with pytest.raises(ValidationError, match="Choose the place 0986494104 Колодки goes to"):
        create_receipt(shop.uow_factory, None, [LineInput(shop.pads, D(1), D(1))])
    with pytest.raises(ValidationError, match="taken from"):
        create_issue(shop.uow_factory, [LineInput(shop.pads, D(1))])
    with pytest.raises(ValidationError, match="already on"):
        create_transfer(
            shop.uow_factory, [LineInput(shop.pads, D(1), from_location_id=shop.b01, to_location_id=shop.b01)]
        )
    with pytest.raises(ValidationError, match="posted goods receipt"):
        create_supplier_return(shop.uow_factory, 999, [])
    draft = create_issue(shop.uow_factory, [LineInput(shop.pads, D(1), D(5), from_location_id=shop.a032)])
    assert draft.lines[0].price is None  # an issue moves at the average cost; a typed price is dropped


def test_line_edits_are_version_checked(shop: Shop) -> None:
    draft = create_transfer(
        shop.uow_factory, [LineInput(shop.pads, D(1), from_location_id=shop.a032, to_location_id=shop.b01)]
    )
    grown = add_lines(
        shop.uow_factory,
        draft.id,
        draft.version,
        [LineInput(shop.oil, D("0.5"), from_location_id=shop.b01, to_location_id=shop.f01)],
    )
    assert grown.version == draft.version + 1 and [line.position for line in grown.lines] == [1, 2]
    with pytest.raises(ConflictError, match="Someone else has changed this document"):
        remove_line(shop.uow_factory, draft.id, draft.version, grown.lines[0].id)
    changed = update_line(
        shop.uow_factory, grown.id, grown.version, grown.lines[0].id,
        LineInput(shop.filter, D(3), from_location_id=shop.a033, to_location_id=shop.b01),
    )  # fmt: skip
    assert (changed.lines[0].part_id, changed.lines[0].quantity, changed.lines[0].from_location) == (
        shop.filter,
        D(3),
        "A-03-3",
    )
    shorter = remove_line(shop.uow_factory, changed.id, changed.version, changed.lines[1].id)
    assert len(shorter.lines) == 1
    with pytest.raises(NotFoundError):
        remove_line(shop.uow_factory, shorter.id, shorter.version, changed.lines[1].id)
    renamed = update_header(
        shop.uow_factory, shorter.id, shorter.version, DraftHeader(date(2026, 4, 1), reason="На витрину")
    )
    assert (renamed.document_date, renamed.reason) == (date(2026, 4, 1), "На витрину")
    delete_draft(shop.uow_factory, renamed.id, renamed.version)
    with pytest.raises(NotFoundError):
        get_document(shop.uow_factory, renamed.id)


def test_a_whole_warehouse_count_lists_every_place_in_it_only(shop: Shop) -> None:
    receive(
        shop,
        (shop.pads, shop.a032, "1", "10.00"),
        (shop.filter, shop.b01, "2", "10.00"),
        (shop.oil, shop.f01, "3", "10.00"),
    )
    sheet = start_count(shop.uow_factory, shop.main)
    assert {(line.part_id, line.from_location_id) for line in sheet.lines} == {
        (shop.pads, shop.a032),
        (shop.filter, shop.b01),
    }
    with pytest.raises(ValidationError, match="already on the count sheet"):
        add_lines(shop.uow_factory, sheet.id, sheet.version, [LineInput(shop.pads, D(1), from_location_id=shop.a032)])
    found = add_lines(
        shop.uow_factory, sheet.id, sheet.version, [LineInput(shop.oil, D("0.75"), from_location_id=shop.a033)]
    )
    assert found.lines[-1].book_quantity == D(0)  # found on a shelf where the books have none


def test_returnable_lines_show_what_a_receipt_can_still_give_back(shop: Shop) -> None:
    receipt = receive(shop, (shop.pads, shop.a032, "2", "1000.00"), (shop.pads, shop.b01, "2", "1100.00"))
    [only] = returnable_lines(shop.uow_factory, receipt.id)
    assert (only.part_id, only.received, only.returned, only.left, only.price) == (
        shop.pads,
        D(4),
        D(0),
        D(4),
        D("1050.00"),
    )


def test_the_documents_list_pages_newest_first_and_finds_by_number_and_supplier(shop: Shop) -> None:
    first = receive(shop, (shop.filter, shop.b01, "5", "300.00"))
    issue(shop, (shop.filter, shop.b01, "1"))
    draft = create_issue(
        shop.uow_factory, [LineInput(shop.filter, D(1), from_location_id=shop.b01)], client_id=shop.client
    )
    listed = list_documents(shop.uow_factory)
    assert [item.id for item in listed] == [draft.id, first.id + 1, first.id]
    assert listed[0].counterparty == "Иванов" and listed[1].counterparty == "Work order 7"
    assert (listed[2].counterparty, listed[2].line_count, listed[2].total) == ("Армтек", 1, D("1500.00"))
    assert [item.id for item in list_documents(shop.uow_factory, before=listed[0].id, limit=1)] == [listed[1].id]
    assert [item.id for item in list_documents(shop.uow_factory, kind=DocumentKind.RECEIPT)] == [first.id]
    assert [item.id for item in list_documents(shop.uow_factory, status=DocumentStatus.DRAFT)] == [draft.id]
    assert [item.id for item in list_documents(shop.uow_factory, text="Армтек")] == [first.id]
    assert {item.id for item in list_documents(shop.uow_factory, text=first.display_number)} == {first.id, first.id + 1}


def test_part_moves_page_newest_first_and_the_stamp_changes_with_stock(shop: Shop) -> None:
    before = stock_stamp(shop.uow_factory)
    receive(shop, (shop.filter, shop.b01, "5", "300.00"))
    after_receipt = stock_stamp(shop.uow_factory)
    assert after_receipt != before and after_receipt.last_move_id > before.last_move_id
    issue(shop, (shop.filter, shop.b01, "2"))
    moves = part_moves(shop.uow_factory, shop.filter)
    assert [(move.kind, move.quantity, move.location_name) for move in moves] == [
        (DocumentKind.ISSUE, D(-2), "B-01"), (DocumentKind.RECEIPT, D(5), "B-01")
    ]  # fmt: skip
    assert part_moves(shop.uow_factory, shop.filter, before=moves[0].id) == moves[1:]
    stamp = stock_stamp(shop.uow_factory)
    reserve(shop.uow_factory, shop.filter, shop.b01, D(1))
    assert stock_stamp(shop.uow_factory) != stamp
