"""Purchase orders on SQLite and PostgreSQL: numbering per year, checks, statuses, receipts, minimum-stock proposals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from warehouse_rows import add_part, add_place, add_supplier, put_stock

from autoservice_desk.models.inventory import StockBalance
from autoservice_desk.services.errors import ConflictError, FieldErrors, ValidationError
from autoservice_desk.services.purchasing import (
    OrderLineForm,
    PurchaseOrderForm,
    cancel_purchase_order,
    create_purchase_order,
    get_purchase_order,
    list_purchase_orders,
    propose_from_minimum_stock,
    receipt_draft_lines,
    receive_purchase_order_lines,
    record_receipt,
    send_purchase_order,
    update_purchase_order,
)
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

MAY_4 = date(2026, 5, 4)


def setup_rows(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    with uow_factory() as uow:
        ids = {
            "supplier": add_supplier(uow, "Армтек", delivery_days=3),
            "other": add_supplier(uow, "Emex"),
            "retired": add_supplier(uow, "Старый", active=False),
            "filter": add_part(uow, "OC90", price="450.50"),
            "oil": add_part(uow, "5W30", unit="l", fractional=True, price="820"),
        }
        uow.commit()
    return ids


def order(uow_factory: UnitOfWorkFactory, supplier: int, *lines: OrderLineForm, day: date = MAY_4) -> int:
    return create_purchase_order(uow_factory, PurchaseOrderForm(supplier_id=supplier, lines=lines), order_date=day)


def test_orders_are_numbered_per_year_priced_and_dated(uow_factory: UnitOfWorkFactory) -> None:
    ids = setup_rows(uow_factory)
    first = order(
        uow_factory, ids["supplier"], OrderLineForm(ids["filter"], "4"), OrderLineForm(ids["oil"], "2,5", "800")
    )
    second = order(uow_factory, ids["other"], OrderLineForm(ids["filter"], "1"))
    next_year = order(uow_factory, ids["other"], OrderLineForm(ids["filter"], "1"), day=date(2027, 1, 2))
    info = get_purchase_order(uow_factory, first)
    numbers = [(o.year, o.number) for o in (get_purchase_order(uow_factory, i) for i in (first, second, next_year))]
    assert numbers == [(2026, 1), (2026, 2), (2027, 1)]
    assert (info.status, info.order_date, info.expected_date) == ("draft", MAY_4, date(2026, 5, 7))  # + 3 days
    assert [(line.quantity, line.price, line.amount) for line in info.lines] == [
        (Decimal("4.000"), Decimal("450.50"), Decimal("1802.00")),  # the part's last purchase price
        (Decimal("2.500"), Decimal("800.00"), Decimal("2000.00")),
    ]
    assert info.total == Decimal("3802.00") and info.supplier_name == "Армтек"
    assert get_purchase_order(uow_factory, second).expected_date is None  # no delivery days agreed
    assert [summary.id for summary in list_purchase_orders(uow_factory)] == [next_year, second, first]
    assert [summary.id for summary in list_purchase_orders(uow_factory, before_id=second)] == [first]
    assert list_purchase_orders(uow_factory, supplier_id=ids["supplier"])[0].line_count == 2


def test_wrong_orders_name_their_fields(uow_factory: UnitOfWorkFactory) -> None:
    ids = setup_rows(uow_factory)
    with pytest.raises(FieldErrors) as caught:
        create_purchase_order(uow_factory, PurchaseOrderForm())
    assert set(caught.value.problems) == {"supplier_id", "lines"}
    with pytest.raises(FieldErrors) as caught:
        order(
            uow_factory, ids["retired"], OrderLineForm(ids["filter"], "1,5"), OrderLineForm(ids["oil"], "0"),
            OrderLineForm(ids["oil"], "1.2345"), OrderLineForm(ids["oil"], "1", "-5"), OrderLineForm(None, "1"),
        )  # fmt: skip
    assert set(caught.value.problems) == {
        "supplier_id", "lines.0.quantity", "lines.1.quantity", "lines.2.quantity", "lines.3.price", "lines.4.part_id"
    }  # fmt: skip
    assert "whole" in caught.value.problems["lines.0.quantity"]  # filters are counted in pieces
    assert list_purchase_orders(uow_factory) == []
    # A failed order gave its number back: the next one is still number 1.
    assert (
        get_purchase_order(uow_factory, order(uow_factory, ids["supplier"], OrderLineForm(ids["oil"], "1.5"))).number
        == 1
    )


def test_an_order_goes_from_draft_to_sent_to_partial_to_received(uow_factory: UnitOfWorkFactory) -> None:
    ids = setup_rows(uow_factory)
    order_id = order(uow_factory, ids["supplier"], OrderLineForm(ids["filter"], "4"), OrderLineForm(ids["oil"], "2"))
    draft = get_purchase_order(uow_factory, order_id)
    with pytest.raises(ConflictError):
        update_purchase_order(uow_factory, order_id, draft.version + 1, PurchaseOrderForm(ids["other"]))
    update_purchase_order(
        uow_factory, order_id, draft.version,
        PurchaseOrderForm(ids["supplier"], lines=(OrderLineForm(ids["filter"], "6"), OrderLineForm(ids["oil"], "2"))),
    )  # fmt: skip
    with uow_factory() as uow, pytest.raises(ValidationError):
        record_receipt(uow, get_purchase_order(uow_factory, order_id).lines[0].id, Decimal(1))  # not sent yet
    send_purchase_order(uow_factory, order_id)
    sent = get_purchase_order(uow_factory, order_id)
    assert sent.status == "sent" and sent.version > draft.version
    with pytest.raises(ValidationError):
        update_purchase_order(uow_factory, order_id, sent.version, PurchaseOrderForm(ids["other"]))
    filters, oil = sent.lines
    receive_purchase_order_lines(uow_factory, {filters.id: "6"})
    partial = get_purchase_order(uow_factory, order_id)
    assert partial.status == "partial" and partial.lines[0].outstanding == Decimal("0.000")
    with uow_factory() as uow:
        place = add_place(uow, "Склад")
        uow.commit()
    assert receipt_draft_lines(uow_factory, order_id, place) == [
        type(receipt_draft_lines(uow_factory, order_id)[0])(
            oil.id, ids["oil"], Decimal("2.000"), Decimal("820.00"), place
        )
    ]
    with pytest.raises(FieldErrors):
        receive_purchase_order_lines(uow_factory, {oil.id: "-1"})
    receive_purchase_order_lines(uow_factory, {oil.id: "2"})
    assert get_purchase_order(uow_factory, order_id).status == "received"
    with pytest.raises(ValidationError):
        cancel_purchase_order(uow_factory, order_id)


def test_the_proposal_tops_free_stock_plus_open_orders_up_to_the_minimum(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        usual, spare = add_supplier(uow, "Армтек"), add_supplier(uow, "Emex")
        store = add_place(uow, "Склад")
        first, second = add_place(uow, "A-1", store), add_place(uow, "A-2", store)
        short = add_part(uow, "SHORT", min_stock="10", price="100")  # 3 + 2 on places, 1 reserved, 2 on order
        litres = add_part(uow, "OIL", unit="l", fractional=True, min_stock="5.5")  # 2.25 l held: order 3.25 l
        halves = add_part(uow, "HALF", min_stock="2.5")  # 1 held: 1.5 missing, ordered as 2 pieces
        ordered = add_part(uow, "ORDERED", min_stock="3")  # 3 on a sent order: nothing to order
        cancelled = add_part(uow, "CANCELLED", min_stock="2")  # its only order was cancelled: 2 to order, anywhere
        enough = add_part(uow, "ENOUGH", min_stock="2")
        add_part(uow, "RETIRED", min_stock="5", active=False)
        add_part(uow, "NOMIN")
        put_stock(uow, short, first, "3", supplier_id=usual)
        put_stock(uow, short, second, "2")
        uow.session.get_one(StockBalance, (short, second)).reserved = Decimal(1)
        put_stock(uow, litres, first, "2.25", supplier_id=spare)
        put_stock(uow, halves, first, "1")
        put_stock(uow, enough, first, "2")
        uow.commit()
    order(uow_factory, usual, OrderLineForm(short, "2"))
    send_purchase_order(uow_factory, order(uow_factory, usual, OrderLineForm(ordered, "3")))
    cancel_purchase_order(uow_factory, order(uow_factory, usual, OrderLineForm(cancelled, "2")))

    proposal = propose_from_minimum_stock(uow_factory, order_date=MAY_4)
    # Each part goes to the supplier it last came from (receipt, else an order not cancelled).
    assert [(row.part_id, row.to_order) for row in proposal.unassigned] == [
        (halves, Decimal("2.000")), (cancelled, Decimal("2.000"))
    ]  # fmt: skip
    by_supplier = {get_purchase_order(uow_factory, i).supplier_id: get_purchase_order(uow_factory, i)
                   for i in proposal.order_ids}  # fmt: skip
    assert [(line.part_id, line.quantity, line.price) for line in by_supplier[usual].lines] == [
        (short, Decimal("4.000"), Decimal("100.00"))
    ]
    assert [(line.part_id, line.quantity) for line in by_supplier[spare].lines] == [(litres, Decimal("3.250"))]
    assert by_supplier[usual].status == "draft" and by_supplier[usual].order_date == MAY_4

    # The drafts count as on order: asking again proposes only what still has no supplier.
    again = propose_from_minimum_stock(uow_factory, order_date=MAY_4)
    assert again.order_ids == () and [row.part_id for row in again.unassigned] == [halves, cancelled]
    chosen = propose_from_minimum_stock(uow_factory, spare, order_date=MAY_4)
    assert [(line.part_id, line.quantity) for line in get_purchase_order(uow_factory, chosen.order_ids[0]).lines] == [
        (halves, Decimal("2.000")), (cancelled, Decimal("2.000"))
    ]  # fmt: skip
    assert propose_from_minimum_stock(uow_factory, spare).order_ids == ()
