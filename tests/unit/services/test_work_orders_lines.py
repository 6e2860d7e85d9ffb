"""Labour and parts lines on SQLite and PostgreSQL: norms, reasons, reservations, issuing, special and own parts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from stock_shop import assert_ledger_consistent, receive, stock
from work_order_shop import ADVISOR, KEEPER, WorkOrderShop, shop_with_events

from autoservice_desk.models.catalog import LabourNorm
from autoservice_desk.models.inventory import StockDocument
from autoservice_desk.services.errors import ConflictError, PermissionDeniedError, ValidationError
from autoservice_desk.services.special_orders import get_special_order, order_special_orders
from autoservice_desk.services.stock_ledger import InsufficientStockError
from autoservice_desk.services.time_clock import start_work
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_issue import issue_parts
from autoservice_desk.services.work_order_lines import (
    LabourChanges,
    LabourInput,
    add_labour,
    remove_labour,
    update_labour,
)
from autoservice_desk.services.work_order_parts import (
    OwnPartInput,
    PartChanges,
    SpecialPartInput,
    StockPartInput,
    add_own_part,
    add_special_order_part,
    add_stock_part,
    remove_part,
    update_part,
)
from autoservice_desk.services.work_order_types import WorkOrderCard

D = Decimal


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    yield from shop_with_events(uow_factory)


def test_labour_hours_come_from_the_norms_and_other_hours_need_a_reason(shop: WorkOrderShop) -> None:
    with shop.uow_factory() as uow:
        uow.session.add(LabourNorm(service_id=shop.services["TO-1"], make="KIA", model="RIO", hours=D("1.4")))
        uow.commit()
    card = shop.open()
    card = add_labour(shop.uow_factory, card.id, card.version, LabourInput(shop.services["TO-1"]))
    line = card.labour[0]
    assert (line.hours, line.norm_hours, line.hourly_rate, line.amount) == (D("1.40"), D("1.40"), D("2200.00"),
                                                                           D("3080.00"))  # fmt: skip
    with pytest.raises(ValidationError, match="norm for this car is 1.40 h") as caught:
        update_labour(shop.uow_factory, card.id, card.version, line.id, LabourChanges(hours=D("2")))
    assert caught.value.field == "hours_reason"
    changes = LabourChanges(hours=D("2"), hours_reason="Прикипели болты", discount_percent=D("10"))
    card = update_labour(shop.uow_factory, card.id, card.version, line.id, changes)
    line = card.labour[0]
    assert (line.hours, line.hours_reason, line.amount, line.discount) == (D("2.00"), "Прикипели болты",
                                                                           D("4400.00"), D("440.00"))  # fmt: skip
    with pytest.raises(ValidationError):
        add_labour(shop.uow_factory, card.id, card.version, LabourInput(shop.services["TO-1"], D("1.234"), "x"))


def test_kind_and_fixed_prices_come_from_the_catalog(shop: WorkOrderShop) -> None:
    card = shop.open("BR-PADS-R", "SU-ALIGN")
    warranty, alignment = card.labour
    assert warranty.kind == "warranty" and warranty.amount == D("2200.00")
    assert alignment.fixed_price == D("2500.00") and alignment.amount == D("2500.00")
    assert card.totals.warranty == D("2200.00") and card.totals.labour == D("2500.00")
    assert card.totals.total == D("3000.00")  # the client pays the alignment plus VAT, not the warranty job


def test_a_stock_part_is_reserved_at_once_and_never_beyond_what_is_there(shop: WorkOrderShop) -> None:
    first, second = shop.open(), shop.open()
    card = add_stock_part(shop.uow_factory, first.id, first.version,
                          StockPartInput(shop.stock.pads, shop.stock.a032, D("3"), D("2000.00")))  # fmt: skip
    line = card.parts[0]
    assert (line.state, line.location_name, line.amount) == ("reserved", "A-03-2", D("6000.00"))
    assert stock(shop.uow_factory, shop.stock.pads, shop.stock.a032) == (D("4.000"), D("3.000"))
    with pytest.raises(InsufficientStockError) as caught:
        add_stock_part(shop.uow_factory, second.id, second.version,
                       StockPartInput(shop.stock.pads, shop.stock.a032, D("2"), D("2000.00")))  # fmt: skip
    assert caught.value.available == D("1.000")
    card = update_part(shop.uow_factory, card.id, card.version, line.id, PartChanges(quantity=D("1")))
    assert stock(shop.uow_factory, shop.stock.pads, shop.stock.a032) == (D("4.000"), D("1.000"))
    card = remove_part(shop.uow_factory, card.id, card.version, card.parts[0].id)
    assert card.parts == () and stock(shop.uow_factory, shop.stock.pads, shop.stock.a032) == (D("4.000"), D("0.000"))
    assert_ledger_consistent(shop.uow_factory)


def test_the_default_price_is_the_parts_sale_price(shop: WorkOrderShop) -> None:
    card = shop.open()
    card = add_stock_part(shop.uow_factory, card.id, card.version,
                          StockPartInput(shop.stock.filter, shop.stock.a033, D("1")))  # fmt: skip
    assert card.parts[0].price > D("300.00")  # the purchase price plus the markup


def test_issuing_parts_posts_a_goods_issue_naming_the_reservations(shop: WorkOrderShop) -> None:
    card = shop.open()
    card = add_stock_part(shop.uow_factory, card.id, card.version,
                          StockPartInput(shop.stock.oil, shop.stock.b01, D("4.5"), D("900.00")))  # fmt: skip
    line = card.parts[0]
    with pytest.raises(PermissionDeniedError):
        issue_parts(shop.as_(ADVISOR), card.id, [line.id])
    with shop.uow_factory() as uow:
        assert (
            uow.session.scalar(select(func.count()).select_from(StockDocument).where(StockDocument.kind == "issue"))
            == 0
        )
    document = issue_parts(shop.as_(KEEPER), card.id, [line.id])
    assert document.status == "posted" and document.work_order_id == card.id and document.client_id == shop.client_id
    assert [(item.part_id, item.quantity, item.reservation_id) for item in document.lines] == [
        (shop.stock.oil, D("4.500"), line.reservation_id)
    ]
    card = shop_card(shop, card.id)
    assert card.parts[0].state == "issued" and card.parts[0].issue_document == document.display_number
    assert stock(shop.uow_factory, shop.stock.oil, shop.stock.b01) == (D("15.500"), D("0.000"))
    with pytest.raises(ValidationError, match="Nothing of Масло is reserved"):
        issue_parts(shop.as_(KEEPER), card.id, [line.id])
    with pytest.raises(ConflictError, match="issued to the car"):
        remove_part(shop.uow_factory, card.id, card.version, line.id)
    assert_ledger_consistent(shop.uow_factory)


def test_a_special_order_line_follows_its_order_until_issued(shop: WorkOrderShop) -> None:
    card = shop.open()
    card = add_special_order_part(shop.uow_factory, card.id, card.version,
                                  SpecialPartInput(shop.stock.pads, D("2"), D("2500.00")))  # fmt: skip
    line = card.parts[0]
    assert line.state == "needed" and line.amount == D("5000.00")
    special = get_special_order(shop.uow_factory, line.special_order_id or 0)
    assert (special.work_order_id, special.client_id, special.status) == (card.id, shop.client_id, "needed")
    order_special_orders(shop.uow_factory, shop.stock.supplier, [special.id])
    receive(shop.stock, (shop.stock.pads, shop.stock.b01, "2", "1500.00"))  # arrives and is reserved for the order
    card = shop_card(shop, card.id)
    assert card.parts[0].state == "arrived"
    issue_parts(shop.as_(KEEPER), card.id, [line.id])
    card = shop_card(shop, card.id)
    assert card.parts[0].state == "issued"
    assert get_special_order(shop.uow_factory, special.id).status == "issued"


def test_removing_a_special_order_line_cancels_it_only_while_unordered(shop: WorkOrderShop) -> None:
    card = shop.open()
    card = add_special_order_part(shop.uow_factory, card.id, card.version,
                                  SpecialPartInput(shop.stock.pads, D("1"), D("2500.00")))  # fmt: skip
    card = add_special_order_part(shop.uow_factory, card.id, card.version,
                                  SpecialPartInput(shop.stock.filter, D("1"), D("400.00")))  # fmt: skip
    pads, filter_ = card.parts
    order_special_orders(shop.uow_factory, shop.stock.supplier, [filter_.special_order_id or 0])
    card = remove_part(shop.uow_factory, card.id, card.version, pads.id)
    assert get_special_order(shop.uow_factory, pads.special_order_id or 0).status == "cancelled"
    with pytest.raises(ConflictError, match="already been ordered"):
        remove_part(shop.uow_factory, card.id, card.version, filter_.id)


def test_a_clients_own_part_is_recorded_without_charge(shop: WorkOrderShop) -> None:
    card = shop.open("TO-OIL")
    card = add_own_part(shop.uow_factory, card.id, card.version, OwnPartInput("Масло Mobil 1 5W-30", D("4"), unit="l"))
    assert [(line.source, line.state, line.amount) for line in card.parts] == [("own", "own", D("0.00"))]
    assert card.totals.parts == D("0.00")
    with pytest.raises(ValidationError):
        add_own_part(shop.uow_factory, card.id, card.version, OwnPartInput(" ", D("1")))


def test_a_job_with_clocked_time_cannot_be_removed(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1", "TO-OIL")
    start_work(shop.uow_factory, shop.petrov, card.labour[0].id)
    card = shop_card(shop, card.id)
    with pytest.raises(ConflictError, match="Time has been clocked"):
        remove_labour(shop.uow_factory, card.id, card.version, card.labour[0].id)
    card = remove_labour(shop.uow_factory, card.id, card.version, card.labour[1].id)
    assert [line.name for line in card.labour] == ["ТО-1 (регламентное обслуживание)"]


def shop_card(shop: WorkOrderShop, work_order_id: int) -> WorkOrderCard:
    return get_work_order(shop.uow_factory, work_order_id)
