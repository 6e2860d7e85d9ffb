"""Special orders on SQLite and PostgreSQL: checks, ordering from a supplier, reserving and PartsArrived on arrival."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from warehouse_rows import add_client, add_part, add_place, add_supplier, balance, put_stock

from autoservice_desk.models.inventory import StockReservation
from autoservice_desk.services import domain_events
from autoservice_desk.services.domain_events import PartsArrived, StockReceived
from autoservice_desk.services.errors import FieldErrors, PermissionDeniedError, ValidationError
from autoservice_desk.services.purchasing import get_purchase_order
from autoservice_desk.services.special_orders import (
    cancel_special_order,
    create_special_order,
    get_special_order,
    install,
    list_special_orders,
    on_stock_received,
    order_special_orders,
)
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.stock_reports import below_minimum
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory


@pytest.fixture
def arrived() -> Iterator[list[PartsArrived]]:
    """The PartsArrived events raised while the test runs."""
    seen: list[PartsArrived] = []

    def note(_uow: object, event: PartsArrived) -> None:
        seen.append(event)

    domain_events.subscribe(PartsArrived, note)
    yield seen
    domain_events.unsubscribe(PartsArrived, note)


@pytest.fixture
def rows(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    with uow_factory() as uow:
        store = add_place(uow, "Склад")
        ids = {
            "supplier": add_supplier(uow, "Армтек"),
            "store": store,
            "shelf": add_place(uow, "A-1", store),
            "pads": add_part(uow, "PADS", price="2500", min_stock="1"),
            "oil": add_part(uow, "OIL", unit="l", fractional=True),
            "ivanov": add_client(uow, "Иванов"),
            "petrov": add_client(uow, "Петров"),
        }
        uow.commit()
    return ids


def receive(uow_factory: UnitOfWorkFactory, part_id: int, place_id: int, quantity: str, *, commit: bool = True) -> None:
    """Put stock on the place and raise StockReceived in the same transaction, as posting a receipt does."""
    with uow_factory() as uow:
        line_id = put_stock(uow, part_id, place_id, quantity)
        domain_events.raise_event(uow, StockReceived(1, ((line_id, part_id, place_id, Decimal(quantity)),)))
        if commit:
            uow.commit()


def test_a_special_order_needs_a_client_or_work_order_and_a_proper_quantity(
    uow_factory: UnitOfWorkFactory, rows: dict[str, int]
) -> None:
    with pytest.raises(FieldErrors) as caught:
        create_special_order(uow_factory, rows["pads"], "0,5")
    assert set(caught.value.problems) == {"quantity", "client_id"}
    with pytest.raises(FieldErrors) as caught:
        create_special_order(uow_factory, rows["pads"], "1", client_id=999_999, supplier_id=999_999)
    assert set(caught.value.problems) == {"client_id", "supplier_id"}
    with pytest.raises(FieldErrors) as caught:
        create_special_order(uow_factory, 999_999, "1", work_order_id=5)
    assert set(caught.value.problems) == {"part_id"}
    advisor = uow_factory.acting_as(Actor(user_id=None, login="a", roles=frozenset({"advisor"})))
    with pytest.raises(PermissionDeniedError):
        create_special_order(advisor, rows["pads"], "1", client_id=rows["ivanov"])
    special = create_special_order(uow_factory, rows["oil"], "0,75", work_order_id=12, comment=" до пятницы ")
    info = get_special_order(uow_factory, special)
    assert (info.status, info.quantity, info.work_order_id, info.comment) == (
        "needed",
        Decimal("0.750"),
        12,
        "до пятницы",
    )


def test_ordering_puts_linked_lines_on_a_draft_and_marks_them_ordered(
    uow_factory: UnitOfWorkFactory, rows: dict[str, int]
) -> None:
    first = create_special_order(uow_factory, rows["pads"], "2", client_id=rows["ivanov"])
    second = create_special_order(uow_factory, rows["oil"], "4.5", work_order_id=77)
    order_id = order_special_orders(uow_factory, rows["supplier"], [first, second])
    order = get_purchase_order(uow_factory, order_id)
    assert order.status == "draft" and order.number == 1
    assert [(line.part_id, line.quantity, line.price, line.special_order_id) for line in order.lines] == [
        (rows["pads"], Decimal("2.000"), Decimal("2500.00"), first), (rows["oil"], Decimal("4.500"), None, second)
    ]  # fmt: skip
    assert {info.status for info in list_special_orders(uow_factory)} == {"ordered"}
    assert get_special_order(uow_factory, first).supplier_id == rows["supplier"]
    with pytest.raises(FieldErrors) as caught:
        order_special_orders(uow_factory, rows["supplier"], [first])
    assert set(caught.value.problems) == {"special_order_ids"}
    # Parts bought for a client are not free stock: the minimum-stock figures do not count them as on order.
    assert [(row.part_id, row.on_order) for row in below_minimum(uow_factory)] == [(rows["pads"], Decimal("0.000"))]


def test_arrival_reserves_for_the_oldest_special_orders_and_raises_parts_arrived(
    uow_factory: UnitOfWorkFactory, rows: dict[str, int], arrived: list[PartsArrived]
) -> None:
    pads, shelf = rows["pads"], rows["shelf"]
    oldest = create_special_order(uow_factory, pads, "2", client_id=rows["ivanov"], work_order_id=5)
    newer = create_special_order(uow_factory, pads, "3", client_id=rows["petrov"])
    create_special_order(uow_factory, pads, "1", client_id=rows["petrov"])  # still needed: not waited for
    order_special_orders(uow_factory, rows["supplier"], [oldest, newer])

    receive(uow_factory, pads, shelf, "4")
    assert arrived == [PartsArrived(oldest, rows["ivanov"], 5, pads, Decimal("2.000"))]
    assert (get_special_order(uow_factory, oldest).status, get_special_order(uow_factory, oldest).reserved) == (
        "arrived", Decimal("2.000")
    )  # fmt: skip
    partly = get_special_order(uow_factory, newer)
    assert (partly.status, partly.reserved) == ("ordered", Decimal("2.000"))  # 2 of 3: still waiting
    assert balance(uow_factory, pads, shelf) == (Decimal("4.000"), Decimal("4.000"))
    with uow_factory(read_only=True) as uow:
        held = uow.session.query(StockReservation).filter_by(special_order_id=oldest).one()
        assert (held.client_id, held.work_order_id, held.location_id, held.status) == (
            rows["ivanov"],
            5,
            shelf,
            "active",
        )

    receive(uow_factory, pads, shelf, "5")  # one goes to the newer order, four stay free
    assert arrived[-1] == PartsArrived(newer, rows["petrov"], None, pads, Decimal("3.000"))
    assert get_special_order(uow_factory, newer).status == "arrived"
    assert balance(uow_factory, pads, shelf) == (Decimal("9.000"), Decimal("5.000"))


def test_nothing_is_reserved_when_the_receipt_rolls_back(
    uow_factory: UnitOfWorkFactory, rows: dict[str, int], arrived: list[PartsArrived]
) -> None:
    special = create_special_order(uow_factory, rows["oil"], "1.5", work_order_id=8)
    order_special_orders(uow_factory, rows["supplier"], [special])
    receive(uow_factory, rows["oil"], rows["shelf"], "4", commit=False)
    assert len(arrived) == 1  # raised inside the transaction ...
    assert get_special_order(uow_factory, special).status == "ordered"  # ... that never committed
    assert balance(uow_factory, rows["oil"], rows["shelf"]) == (Decimal(0), Decimal(0))


def test_cancelling_releases_what_arrived_and_unlinks_the_purchase_line(
    uow_factory: UnitOfWorkFactory, rows: dict[str, int], arrived: list[PartsArrived]
) -> None:
    waiting = create_special_order(uow_factory, rows["pads"], "1", client_id=rows["ivanov"])
    here = create_special_order(uow_factory, rows["oil"], "2", client_id=rows["petrov"])
    order_id = order_special_orders(uow_factory, rows["supplier"], [waiting, here])
    receive(uow_factory, rows["oil"], rows["shelf"], "2")
    assert balance(uow_factory, rows["oil"], rows["shelf"]) == (Decimal("2.000"), Decimal("2.000"))
    cancel_special_order(uow_factory, here)
    assert balance(uow_factory, rows["oil"], rows["shelf"]) == (Decimal("2.000"), Decimal("0.000"))
    cancel_special_order(uow_factory, waiting)
    assert [line.special_order_id for line in get_purchase_order(uow_factory, order_id).lines] == [None, None]
    assert {info.status for info in list_special_orders(uow_factory, statuses=["cancelled"])} == {"cancelled"}
    with pytest.raises(ValidationError):
        cancel_special_order(uow_factory, waiting)
    # A cancelled special order is not served by the next arrival.
    receive(uow_factory, rows["pads"], rows["shelf"], "1")
    assert len(arrived) == 1 and balance(uow_factory, rows["pads"], rows["shelf"])[1] == Decimal("0.000")


def test_posting_a_real_receipt_reserves_for_the_special_order(
    uow_factory: UnitOfWorkFactory, rows: dict[str, int], arrived: list[PartsArrived]
) -> None:
    special = create_special_order(uow_factory, rows["oil"], "1.5", client_id=rows["ivanov"])
    order_special_orders(uow_factory, rows["supplier"], [special])
    draft = create_receipt(
        uow_factory,
        rows["supplier"],
        [LineInput(rows["oil"], Decimal(4), Decimal("800.00"), to_location_id=rows["shelf"])],
    )
    post_document(uow_factory, draft.id, draft.version)
    assert arrived == [PartsArrived(special, rows["ivanov"], None, rows["oil"], Decimal("1.500"))]
    assert balance(uow_factory, rows["oil"], rows["shelf"]) == (Decimal("4.000"), Decimal("1.500"))
    assert get_special_order(uow_factory, special).status == "arrived"


def test_install_subscribes_the_handler_once() -> None:
    install()
    install()
    assert domain_events._HANDLERS[StockReceived].count(on_stock_received) == 1
