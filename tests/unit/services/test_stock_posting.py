"""Posting on SQLite and PostgreSQL: every kind, refusals that name part and place and write nothing, reversals,
the moving average, counts, returns limited to their receipt, gap-free numbers, immutable moves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from stock_shop import (
    ADVISOR,
    KEEPER,
    D,
    Shop,
    assert_ledger_consistent,
    average_cost,
    counts,
    issue,
    make_shop,
    receive,
    stock,
)

from autoservice_desk.models.inventory import Part, StockDocument, StockMove
from autoservice_desk.services import domain_events
from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.errors import ConflictError, PermissionDeniedError, ValidationError
from autoservice_desk.services.stock_documents import (
    create_issue,
    create_receipt,
    create_supplier_return,
    create_transfer,
    create_write_off,
    set_counted,
    start_count,
    update_line,
)
from autoservice_desk.services.stock_forms import DocumentKind, DocumentStatus, LineInput
from autoservice_desk.services.stock_ledger import InsufficientStockError
from autoservice_desk.services.stock_posting import post_document, reverse_document
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Shop:
    return make_shop(uow_factory)


def test_a_receipt_puts_goods_on_shelves_numbers_the_document_and_sets_prices(shop: Shop) -> None:
    received: list[domain_events.StockReceived] = []

    def on_received(_uow: object, event: domain_events.StockReceived) -> None:
        received.append(event)

    domain_events.subscribe(domain_events.StockReceived, on_received)
    try:
        posted = receive(shop, (shop.pads, shop.a032, "4", "1500.00"), (shop.oil, shop.b01, "20.5", "800.00"))
    finally:
        domain_events.unsubscribe(domain_events.StockReceived, on_received)
    assert posted.status == DocumentStatus.POSTED and posted.number == 1
    assert posted.display_number.startswith("GR-") and posted.display_number.endswith("-000001")
    assert posted.posted_by == "system" and posted.total == D("22400.00")
    assert stock(shop.uow_factory, shop.pads, shop.a032) == (D(4), D(0))
    assert stock(shop.uow_factory, shop.oil, shop.b01) == (D("20.5"), D(0))
    with shop.uow_factory(read_only=True) as uow:
        pads = uow.session.get(Part, shop.pads)
        assert pads is not None and pads.purchase_price == D("1500.00") and pads.average_cost == D("1500")
    assert len(received) == 1 and received[0].document_id == posted.id
    assert [(line[1], line[2], line[3]) for line in received[0].lines] == [
        (shop.pads, shop.a032, D(4)), (shop.oil, shop.b01, D("20.5"))
    ]  # fmt: skip
    assert_ledger_consistent(shop.uow_factory)
    assert any(
        entry.action == "post" and entry.entity == "stock_document"
        for entry in list_entries(shop.uow_factory, None, 20)
    )


def test_the_moving_average_blends_receipts_and_issues_move_at_it(shop: Shop) -> None:
    receive(shop, (shop.pads, shop.a032, "2", "100.00"))
    receive(shop, (shop.pads, shop.b01, "3", "150.00"))  # (2×100 + 3×150) / 5 = 130
    assert average_cost(shop.uow_factory, shop.pads) == D("130")
    posted = issue(shop, (shop.pads, shop.a032, "1"))
    assert average_cost(shop.uow_factory, shop.pads) == D("130")
    with shop.uow_factory(read_only=True) as uow:
        costs = list(uow.session.scalars(select(StockMove.unit_cost).where(StockMove.document_id == posted.id)))
    assert costs == [D("130")]
    receive(shop, (shop.pads, shop.a032, "1", "99.99"))  # (4×130 + 99.99) / 5 = 123.998
    assert average_cost(shop.uow_factory, shop.pads) == D("123.998")


def test_an_issue_beyond_the_stock_is_refused_naming_part_place_and_amounts_and_writes_nothing(shop: Shop) -> None:
    receive(shop, (shop.pads, shop.a032, "1", "1500.00"), (shop.filter, shop.b01, "5", "300.00"))
    before = counts(shop.uow_factory)
    draft = create_issue(
        shop.uow_factory,
        [
            LineInput(shop.filter, D(2), from_location_id=shop.b01),
            LineInput(shop.pads, D(3), from_location_id=shop.a032),
        ],
        work_order_id=12,
    )
    with pytest.raises(InsufficientStockError) as refused:
        post_document(shop.uow_factory, draft.id, draft.version)
    assert str(refused.value) == "Not enough stock of 0986494104 Колодки on A-03-2: 1 pcs available, 3 asked"
    assert (refused.value.part_id, refused.value.location_id) == (shop.pads, shop.a032)
    assert (refused.value.available, refused.value.requested) == (D(1), D(3))
    assert counts(shop.uow_factory) == before
    assert stock(shop.uow_factory, shop.filter, shop.b01) == (D(5), D(0))
    with shop.uow_factory(read_only=True) as uow:
        document = uow.session.get(StockDocument, draft.id)
        assert document is not None and document.status == "draft" and document.number is None
    assert issue(shop, (shop.filter, shop.b01, "2")).number == 1  # the refused one took no number


def test_reserved_stock_is_not_available_to_an_issue(shop: Shop) -> None:
    from autoservice_desk.services.reservations import reserve

    receive(shop, (shop.pads, shop.a032, "4", "100.00"))
    reserve(shop.uow_factory, shop.pads, shop.a032, D(3), work_order_id=5)
    with pytest.raises(InsufficientStockError, match="1 pcs available, 2 asked"):
        issue(shop, (shop.pads, shop.a032, "2"))


def test_a_transfer_moves_stock_across_warehouses_at_the_average(shop: Shop) -> None:
    receive(shop, (shop.oil, shop.b01, "10", "800.00"))
    draft = create_transfer(
        shop.uow_factory, [LineInput(shop.oil, D("2.5"), from_location_id=shop.b01, to_location_id=shop.f01)]
    )
    posted = post_document(shop.uow_factory, draft.id, draft.version)
    assert stock(shop.uow_factory, shop.oil, shop.b01) == (D("7.5"), D(0))
    assert stock(shop.uow_factory, shop.oil, shop.f01) == (D("2.5"), D(0))
    assert average_cost(shop.uow_factory, shop.oil) == D(800)
    assert posted.display_number.endswith("-000001") and posted.kind == DocumentKind.TRANSFER
    with pytest.raises(InsufficientStockError, match="on F-01: 2.5 l available, 3 asked"):
        bad = create_transfer(
            shop.uow_factory, [LineInput(shop.oil, D(3), from_location_id=shop.f01, to_location_id=shop.b01)]
        )
        post_document(shop.uow_factory, bad.id, bad.version)
    assert_ledger_consistent(shop.uow_factory)


def test_a_write_off_needs_a_reason_and_takes_stock_out(shop: Shop) -> None:
    receive(shop, (shop.filter, shop.b01, "3", "300.00"))
    with pytest.raises(ValidationError, match="reason"):
        create_write_off(shop.uow_factory, " ", [LineInput(shop.filter, D(1), from_location_id=shop.b01)])
    draft = create_write_off(
        shop.uow_factory, "Разбит при разгрузке", [LineInput(shop.filter, D(1), from_location_id=shop.b01)]
    )
    post_document(shop.uow_factory, draft.id, draft.version)
    assert stock(shop.uow_factory, shop.filter, shop.b01) == (D(2), D(0))


def test_a_count_books_gains_and_losses_and_the_sheet_covers_the_rack(shop: Shop) -> None:
    receive(shop, (shop.pads, shop.a032, "4", "100.00"), (shop.filter, shop.a033, "5", "300.00"),
            (shop.oil, shop.b01, "9", "800.00"))  # fmt: skip
    sheet = start_count(shop.uow_factory, shop.rack_a)
    assert sheet.kind == DocumentKind.COUNT and sheet.location_name == "A"
    assert [(line.part_id, line.from_location_id, line.quantity, line.book_quantity) for line in sheet.lines] == [
        (shop.pads, shop.a032, D(4), D(4)), (shop.filter, shop.a033, D(5), D(5))
    ]  # fmt: skip
    counted = set_counted(shop.uow_factory, sheet.id, sheet.version, {sheet.lines[0].id: D(6), sheet.lines[1].id: D(3)})
    posted = post_document(shop.uow_factory, counted.id, counted.version)
    assert stock(shop.uow_factory, shop.pads, shop.a032) == (D(6), D(0))
    assert stock(shop.uow_factory, shop.filter, shop.a033) == (D(3), D(0))
    assert [line.book_quantity for line in posted.lines] == [D(4), D(5)]
    with shop.uow_factory(read_only=True) as uow:
        moves = uow.session.execute(
            select(StockMove.part_id, StockMove.quantity, StockMove.unit_cost).where(StockMove.document_id == posted.id)
        ).all()
    assert sorted(moves) == sorted([(shop.pads, D(2), D(100)), (shop.filter, D(-2), D(300))])
    with pytest.raises(ValidationError, match="not part of this count"):
        other = start_count(shop.uow_factory, shop.rack_a)
        from autoservice_desk.services.stock_documents import add_lines

        add_lines(shop.uow_factory, other.id, other.version, [LineInput(shop.oil, D(1), from_location_id=shop.b01)])
    assert_ledger_consistent(shop.uow_factory)


def test_a_count_below_the_reserved_quantity_is_refused(shop: Shop) -> None:
    from autoservice_desk.services.reservations import reserve

    receive(shop, (shop.pads, shop.a032, "4", "100.00"))
    reserve(shop.uow_factory, shop.pads, shop.a032, D(3), client_id=shop.client)
    sheet = start_count(shop.uow_factory, shop.a032)
    sheet = set_counted(shop.uow_factory, sheet.id, sheet.version, {sheet.lines[0].id: D(2)})
    with pytest.raises(ConflictError, match="3 is reserved, more than the 2 counted"):
        post_document(shop.uow_factory, sheet.id, sheet.version)


def test_returns_are_limited_to_what_the_receipt_brought(shop: Shop) -> None:
    receipt = receive(shop, (shop.filter, shop.b01, "5", "300.00"), (shop.pads, shop.a032, "2", "1000.00"))
    receive(shop, (shop.filter, shop.b01, "5", "500.00"))  # average (5×300 + 5×500)/10 = 400
    first = create_supplier_return(shop.uow_factory, receipt.id, [LineInput(shop.filter, D(3))])
    assert first.lines[0].price == D("300.00") and first.lines[0].from_location_id == shop.b01
    assert first.supplier_id == shop.supplier
    post_document(shop.uow_factory, first.id, first.version)
    assert average_cost(shop.uow_factory, shop.filter) == D("442.8571")  # (10×400 − 3×300) / 7
    second = create_supplier_return(shop.uow_factory, receipt.id, [LineInput(shop.filter, D(3))])
    with pytest.raises(
        ValidationError, match="Only 2 pcs of OC90 Фильтр масляный can still be returned .* it brought 5, 3"
    ):
        post_document(shop.uow_factory, second.id, second.version)
    with pytest.raises(ValidationError, match="did not come with this receipt"):
        create_supplier_return(shop.uow_factory, receipt.id, [LineInput(shop.oil, D(1), from_location_id=shop.b01)])
    second = update_line(shop.uow_factory, second.id, second.version, second.lines[0].id, LineInput(shop.filter, D(2)))
    post_document(shop.uow_factory, second.id, second.version)
    assert stock(shop.uow_factory, shop.filter, shop.b01) == (D(5), D(0))


def test_reversing_an_issue_puts_the_goods_back_and_a_document_reverses_once(shop: Shop) -> None:
    receive(shop, (shop.pads, shop.a032, "4", "100.00"))
    posted = issue(shop, (shop.pads, shop.a032, "3"))
    with pytest.raises(ValidationError, match="reason"):
        reverse_document(shop.uow_factory, posted.id, "")
    reversal = reverse_document(shop.uow_factory, posted.id, "Выдано по ошибке")
    assert reversal.reverses_id == posted.id and reversal.kind == DocumentKind.ISSUE and reversal.number == 2
    assert reversal.status == DocumentStatus.POSTED and reversal.reason == "Выдано по ошибке"
    assert stock(shop.uow_factory, shop.pads, shop.a032) == (D(4), D(0))
    from autoservice_desk.services.stock_queries import get_document

    assert get_document(shop.uow_factory, posted.id).reversed_by_id == reversal.id
    with pytest.raises(ConflictError, match="already been reversed by GI-"):
        reverse_document(shop.uow_factory, posted.id, "ещё раз")
    with pytest.raises(ConflictError, match="A reversal cannot be reversed"):
        reverse_document(shop.uow_factory, reversal.id, "ещё раз")
    assert_ledger_consistent(shop.uow_factory)


def test_a_receipt_is_reversed_only_while_its_stock_is_there_and_restores_the_average(shop: Shop) -> None:
    receive(shop, (shop.pads, shop.a032, "2", "100.00"))
    second = receive(shop, (shop.pads, shop.a032, "2", "200.00"))
    assert average_cost(shop.uow_factory, shop.pads) == D(150)
    issue(shop, (shop.pads, shop.a032, "3"))
    before = counts(shop.uow_factory)
    with pytest.raises(
        InsufficientStockError, match="cannot be reversed. Not enough stock .* 1 pcs available, 2 asked"
    ):
        reverse_document(shop.uow_factory, second.id, "Ошибка в накладной")
    assert counts(shop.uow_factory) == before
    receive(shop, (shop.pads, shop.b01, "1", "150.00"))
    with pytest.raises(InsufficientStockError):
        reverse_document(shop.uow_factory, second.id, "Ошибка в накладной")  # the new pads are on another shelf
    fresh = receive(shop, (shop.filter, shop.b01, "2", "300.00"))
    receive(shop, (shop.filter, shop.b01, "2", "500.00"))
    reverse_document(shop.uow_factory, fresh.id, "Не тот поставщик")
    assert average_cost(shop.uow_factory, shop.filter) == D(500)
    assert stock(shop.uow_factory, shop.filter, shop.b01) == (D(2), D(0))
    assert_ledger_consistent(shop.uow_factory)


def test_a_receipt_with_returns_is_reversed_after_its_returns(shop: Shop) -> None:
    receipt = receive(shop, (shop.filter, shop.b01, "5", "300.00"))
    back = create_supplier_return(shop.uow_factory, receipt.id, [LineInput(shop.filter, D(1))])
    back = post_document(shop.uow_factory, back.id, back.version)
    with pytest.raises(ConflictError, match="reverse those returns first"):
        reverse_document(shop.uow_factory, receipt.id, "Ошибка")
    reverse_document(shop.uow_factory, back.id, "Поставщик не принял")
    reverse_document(shop.uow_factory, receipt.id, "Ошибка")
    assert stock(shop.uow_factory, shop.filter, shop.b01) == (D(0), D(0))
    with pytest.raises(ValidationError, match="has been reversed"):
        create_supplier_return(shop.uow_factory, receipt.id, [LineInput(shop.filter, D(1))])


def test_numbers_are_gap_free_per_kind_and_a_posted_document_is_frozen(shop: Shop) -> None:
    for _ in range(3):
        receive(shop, (shop.filter, shop.b01, "1", "300.00"))
    numbers = [issue(shop, (shop.filter, shop.b01, "1")).number for _ in range(2)]
    assert numbers == [1, 2]
    with shop.uow_factory(read_only=True) as uow:
        got = uow.session.scalars(
            select(StockDocument.number).where(StockDocument.kind == "receipt").order_by(StockDocument.number)
        )
        assert list(got) == [1, 2, 3]
    posted = receive(shop, (shop.filter, shop.b01, "1", "300.00"))
    with pytest.raises(ConflictError, match="posted document cannot be changed"):
        update_line(
            shop.uow_factory,
            posted.id,
            posted.version,
            posted.lines[0].id,
            LineInput(shop.filter, D(9), D(1), to_location_id=shop.b01),
        )
    with pytest.raises(ConflictError, match="already been posted"):
        post_document(shop.uow_factory, posted.id, posted.version)


def test_the_database_refuses_to_change_or_delete_a_move(shop: Shop) -> None:
    receive(shop, (shop.filter, shop.b01, "1", "300.00"))
    for statement in ("UPDATE stock_moves SET quantity = 5000", "DELETE FROM stock_moves"):
        with shop.uow_factory() as uow, pytest.raises(DBAPIError, match="stock_moves_immutable"):
            uow.session.execute(text(statement))
    assert_ledger_consistent(shop.uow_factory)


def test_advisors_prepare_issues_but_only_the_warehouse_posts(shop: Shop) -> None:
    receive(shop, (shop.filter, shop.b01, "2", "300.00"))
    advisor, keeper = shop.uow_factory.acting_as(ADVISOR), shop.uow_factory.acting_as(KEEPER)
    draft = create_issue(advisor, [LineInput(shop.filter, D(1), from_location_id=shop.b01)], client_id=shop.client)
    with pytest.raises(PermissionDeniedError):
        post_document(advisor, draft.id, draft.version)
    with pytest.raises(PermissionDeniedError):
        create_receipt(advisor, shop.supplier, [])
    posted = post_document(keeper, draft.id, draft.version)
    assert posted.posted_by == "keeper" and posted.client_id == shop.client


def test_posting_reports_progress_and_a_large_document_posts_in_one_piece(shop: Shop) -> None:
    steps: list[tuple[int, int]] = []
    lines = [LineInput(shop.filter, D(1), D("1.00"), to_location_id=shop.b01) for _ in range(1200)]
    draft = create_receipt(shop.uow_factory, None, lines)
    posted = post_document(
        shop.uow_factory, draft.id, draft.version, progress=lambda done, total: steps.append((done, total))
    )
    assert steps == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert len(posted.lines) == 1200 and stock(shop.uow_factory, shop.filter, shop.b01) == (D(1200), D(0))

    def cancel(done: int, total: int) -> None:
        if done >= 500:
            raise KeyboardInterrupt  # the keeper pressed Cancel

    second = create_receipt(shop.uow_factory, None, lines)
    with pytest.raises(KeyboardInterrupt):
        post_document(shop.uow_factory, second.id, second.version, progress=cancel)
    assert stock(shop.uow_factory, shop.filter, shop.b01) == (D(1200), D(0))
    assert_ledger_consistent(shop.uow_factory)


def test_a_quantity_with_a_fraction_of_a_piece_is_refused(shop: Shop) -> None:
    with pytest.raises(ValidationError, match="whole units"):
        create_receipt(shop.uow_factory, None, [LineInput(shop.pads, D("1.5"), D(1), to_location_id=shop.a032)])
    with pytest.raises(ValidationError, match="more than zero"):
        create_receipt(shop.uow_factory, None, [LineInput(shop.oil, D(0), D(1), to_location_id=shop.a032)])
    assert Decimal("0.001") > 0  # litres may have three places
    create_receipt(shop.uow_factory, None, [LineInput(shop.oil, D("0.125"), D(1), to_location_id=shop.a032)])
