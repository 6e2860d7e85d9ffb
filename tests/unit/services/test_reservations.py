"""Reservations on SQLite and PostgreSQL: held within what is available, released, consumed by the issue naming them."""

from __future__ import annotations

import pytest
from stock_shop import ADVISOR, D, Shop, assert_ledger_consistent, make_shop, receive, stock

from autoservice_desk.models.inventory import StockReservation
from autoservice_desk.services.errors import ConflictError, PermissionDeniedError, ValidationError
from autoservice_desk.services.reservations import (
    ReservationStatus,
    get_reservation,
    list_reservations,
    release,
    reserve,
)
from autoservice_desk.services.stock_documents import create_issue
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_ledger import InsufficientStockError
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.stock_queries import part_balances
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Shop:
    made = make_shop(uow_factory)
    receive(made, (made.pads, made.a032, "4", "1500.00"), (made.oil, made.b01, "10", "800.00"))
    return made


def test_a_reservation_holds_stock_and_available_is_on_hand_minus_reserved(shop: Shop) -> None:
    held = reserve(shop.uow_factory.acting_as(ADVISOR), shop.pads, shop.a032, D(3), work_order_id=42, note="ТО-60")
    assert held.status == ReservationStatus.ACTIVE and held.location_name == "A-03-2" and held.article == "0986494104"
    assert stock(shop.uow_factory, shop.pads, shop.a032) == (D(4), D(3))
    balances = part_balances(shop.uow_factory, shop.pads)
    assert [(b.location_name, b.quantity, b.reserved, b.available, b.warehouse_name) for b in balances] == [
        ("A-03-2", D(4), D(3), D(1), "Основной")
    ]
    with pytest.raises(InsufficientStockError) as refused:
        reserve(shop.uow_factory, shop.pads, shop.a032, D(2), client_id=shop.client)
    assert str(refused.value) == "Not enough stock of 0986494104 Колодки on A-03-2: 1 pcs available, 2 asked"
    assert [item.id for item in list_reservations(shop.uow_factory, work_order_id=42)] == [held.id]
    assert list_reservations(shop.uow_factory, client_id=shop.client) == []


def test_releasing_gives_the_quantity_back_once(shop: Shop) -> None:
    held = reserve(shop.uow_factory, shop.oil, shop.b01, D("2.5"), client_id=shop.client)
    released = release(shop.uow_factory, held.id)
    assert released.status == ReservationStatus.RELEASED
    assert stock(shop.uow_factory, shop.oil, shop.b01) == (D(10), D(0))
    with pytest.raises(ConflictError, match="already been issued or released"):
        release(shop.uow_factory, held.id)
    assert list_reservations(shop.uow_factory, part_id=shop.oil) == []
    assert len(list_reservations(shop.uow_factory, part_id=shop.oil, status=None)) == 1


def test_an_issue_naming_a_reservation_consumes_it_in_the_same_transaction(shop: Shop) -> None:
    held = reserve(shop.uow_factory, shop.pads, shop.a032, D(4), work_order_id=42)
    draft = create_issue(
        shop.uow_factory, [LineInput(shop.pads, D(4), from_location_id=shop.a032, reservation_id=held.id)],
        work_order_id=42,
    )  # fmt: skip
    post_document(shop.uow_factory, draft.id, draft.version)
    assert stock(shop.uow_factory, shop.pads, shop.a032) == (D(0), D(0))
    assert get_reservation(shop.uow_factory, held.id).status == ReservationStatus.CONSUMED
    assert_ledger_consistent(shop.uow_factory)


def test_issuing_part_of_a_reservation_keeps_the_rest_reserved(shop: Shop) -> None:
    held = reserve(shop.uow_factory, shop.oil, shop.b01, D(6), work_order_id=42)
    draft = create_issue(
        shop.uow_factory, [LineInput(shop.oil, D("4.5"), from_location_id=shop.b01, reservation_id=held.id)]
    )
    post_document(shop.uow_factory, draft.id, draft.version)
    after = get_reservation(shop.uow_factory, held.id)
    assert after.status == ReservationStatus.ACTIVE and after.quantity == D("1.5")
    assert stock(shop.uow_factory, shop.oil, shop.b01) == (D("5.5"), D("1.5"))


def test_a_reservation_must_match_the_line_and_still_be_active(shop: Shop) -> None:
    held = reserve(shop.uow_factory, shop.pads, shop.a032, D(1))
    with pytest.raises(ValidationError, match="another part or place"):
        create_issue(shop.uow_factory, [LineInput(shop.oil, D(1), from_location_id=shop.b01, reservation_id=held.id)])
    draft = create_issue(
        shop.uow_factory, [LineInput(shop.pads, D(1), from_location_id=shop.a032, reservation_id=held.id)]
    )
    release(shop.uow_factory, held.id)
    with pytest.raises(ConflictError, match="already been issued or released"):
        post_document(shop.uow_factory, draft.id, draft.version)
    with shop.uow_factory(read_only=True) as uow:
        row = uow.session.get(StockReservation, held.id)
        assert row is not None and row.status == "released"


def test_reserving_needs_a_role_and_a_positive_quantity(shop: Shop) -> None:
    mechanic = shop.uow_factory.acting_as(Actor(None, "mech", roles=frozenset({"mechanic"})))
    with pytest.raises(PermissionDeniedError):
        reserve(mechanic, shop.pads, shop.a032, D(1))
    with pytest.raises(ValidationError, match="more than zero"):
        reserve(shop.uow_factory, shop.pads, shop.a032, D(0))
    with pytest.raises(InsufficientStockError, match="on F-01: 0 pcs available, 1 asked"):
        reserve(shop.uow_factory, shop.pads, shop.f01, D(1))
