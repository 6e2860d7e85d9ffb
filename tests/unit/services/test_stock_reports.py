"""Stock reports on SQLite and PostgreSQL over a small known ledger: stock and value, movements, minimum, dead."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from warehouse_rows import add_part, add_place, add_supplier, put_stock

from autoservice_desk.models.inventory import PurchaseOrder, PurchaseOrderLine
from autoservice_desk.services.stock_reports import (
    below_minimum,
    dead_stock,
    movement_summary,
    part_movements,
    stock_on_date,
    stock_totals_on_date,
)
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=UTC)


@pytest.fixture
def ledger(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    """Filters (pcs) and oil (litres) moving between two shelves of one warehouse, one more warehouse aside."""
    with uow_factory() as uow:
        store, annex = add_place(uow, "Склад"), add_place(uow, "Пристрой")
        ids = {
            "store": store, "s1": add_place(uow, "A-1", store), "s2": add_place(uow, "A-2", store),
            "annex": add_place(uow, "B-1", annex),
            "filter": add_part(uow, "FILTER", min_stock="20"), "oil": add_part(uow, "OIL", unit="l", fractional=True,
                                                                              min_stock="10"),
            "new": add_part(uow, "NEW"), "busy": add_part(uow, "BUSY"),
        }  # fmt: skip
        f, s1, s2 = ids["filter"], ids["s1"], ids["s2"]
        put_stock(uow, f, s1, "10", "100", at=at(1, 10))
        put_stock(uow, f, s1, "-4", "100", at=at(2, 1), kind="issue")
        put_stock(uow, f, s2, "5", "130", at=at(2, 15))
        put_stock(uow, f, s1, "-2", "100", at=at(3, 1), kind="transfer")
        put_stock(uow, f, s2, "2", "100", at=at(3, 1), kind="transfer")
        put_stock(uow, f, ids["annex"], "1", "90", at=at(3, 5))
        put_stock(uow, ids["oil"], s1, "20.5", "50.1234", at=at(1, 10))
        put_stock(uow, ids["oil"], s1, "-0.75", "50.1234", at=at(1, 20), kind="issue")
        put_stock(uow, ids["new"], s2, "3", "10", at=at(5, 20))  # came in recently: not dead yet
        put_stock(uow, ids["busy"], s2, "3", "10", at=at(1, 10))
        put_stock(uow, ids["busy"], s2, "-1", "10", at=at(5, 1), kind="issue")
        supplier = add_supplier(uow, "Армтек")
        order = PurchaseOrder(year=2026, number=1, supplier_id=supplier, status="sent", order_date=at(5, 1).date())
        uow.session.add(order)
        uow.session.flush()
        uow.session.add(PurchaseOrderLine(order_id=order.id, part_id=f, quantity=Decimal(3), received=Decimal(0)))
        uow.commit()
    return ids


def test_stock_on_a_date_sums_the_moves_before_it_with_their_value(
    uow_factory: UnitOfWorkFactory, ledger: dict[str, int]
) -> None:
    f, oil, s1, s2 = ledger["filter"], ledger["oil"], ledger["s1"], ledger["s2"]
    february = stock_on_date(uow_factory, at(2, 10), warehouse_id=ledger["store"])
    assert [(row.part_id, row.location_id, row.quantity, row.value) for row in february] == [
        (f, s1, Decimal("6.000"), Decimal("600.00")),
        (oil, s1, Decimal("19.750"), Decimal("989.94")),  # 19.75 l × 50.1234 = 989.93715
        (ledger["busy"], s2, Decimal("3.000"), Decimal("30.00")),
    ]
    april = stock_on_date(uow_factory, at(4, 1), warehouse_id=ledger["store"])
    assert [(row.part_id, row.location_id, row.quantity, row.value) for row in april] == [
        (f, s1, Decimal("4.000"), Decimal("400.00")),
        (f, s2, Decimal("7.000"), Decimal("850.00")),  # 5 × 130 + 2 × 100
        (oil, s1, Decimal("19.750"), Decimal("989.94")),
        (ledger["busy"], s2, Decimal("3.000"), Decimal("30.00")),
    ]
    assert april[0].location_name == "A-1" and april[0].article == "FILTER" and april[2].unit == "l"
    # The moment is exclusive, and the other warehouse counts only when no warehouse is chosen.
    assert len(stock_on_date(uow_factory, at(1, 10))) == 0
    assert len(stock_on_date(uow_factory, at(4, 1))) == 5
    first_page = stock_on_date(uow_factory, at(4, 1), warehouse_id=ledger["store"], limit=2)
    rest = stock_on_date(uow_factory, at(4, 1), warehouse_id=ledger["store"],
                         after=(first_page[-1].part_id, first_page[-1].location_id))  # fmt: skip
    assert first_page + rest == april
    totals = stock_totals_on_date(uow_factory, at(4, 1), warehouse_id=ledger["store"])
    assert (totals.positions, totals.value) == (4, Decimal("2269.94"))
    assert stock_totals_on_date(uow_factory, at(4, 1)).value == Decimal("2359.94")  # + 1 × 90 in the annex


def test_movements_of_a_part_in_a_period_with_opening_and_closing(
    uow_factory: UnitOfWorkFactory, ledger: dict[str, int]
) -> None:
    moves = part_movements(uow_factory, ledger["filter"], at(2, 1), at(3, 1))
    assert [(move.moved_at, move.quantity, move.document_kind, move.location_id) for move in moves] == [
        (at(2, 1), Decimal("-4.000"), "issue", ledger["s1"]),
        (at(2, 15), Decimal("5.000"), "receipt", ledger["s2"]),
    ]
    assert moves[1].unit_cost == Decimal("130.0000") and moves[0].document_year == 2026
    later = part_movements(
        uow_factory, ledger["filter"], at(1, 1), at(12, 31), after=(moves[1].moved_at, moves[1].move_id)
    )
    assert [move.quantity for move in later] == [Decimal("-2.000"), Decimal("2.000"), Decimal("1.000")]
    summary = movement_summary(uow_factory, ledger["filter"], at(2, 1), at(3, 2))
    assert (summary.opening, summary.incoming, summary.outgoing, summary.closing) == (
        Decimal("10.000"), Decimal("7.000"), Decimal("6.000"), Decimal("11.000")
    )  # fmt: skip


def test_below_minimum_counts_free_stock_and_shows_what_is_on_order(
    uow_factory: UnitOfWorkFactory, ledger: dict[str, int]
) -> None:
    rows = below_minimum(uow_factory)
    assert [(row.part_id, row.quantity, row.available, row.on_order, row.to_order) for row in rows] == [
        (ledger["filter"], Decimal("12.000"), Decimal("12.000"), Decimal("3.000"), Decimal("5.000")),
    ]
    assert below_minimum(uow_factory, after_part_id=ledger["filter"]) == []


def test_dead_stock_is_stock_no_issue_took_from_for_the_period(
    uow_factory: UnitOfWorkFactory, ledger: dict[str, int]
) -> None:
    june = UnitOfWorkFactory(uow_factory.engine, clock=lambda: datetime(2026, 6, 1, tzinfo=UTC))
    dead = dead_stock(june, 60)  # nothing issued since 2 April
    assert [(row.part_id, row.quantity, row.value, row.last_issue_at) for row in dead] == [
        (ledger["filter"], Decimal("12.000"), Decimal("1340.00"), at(2, 1)),
        (ledger["oil"], Decimal("19.750"), Decimal("989.94"), at(1, 20)),
    ]
    assert dead[0].first_move_at == at(1, 10)
    assert [row.part_id for row in dead_stock(june, 200)] == []  # everything was issued or came in since then
    # Ten days back NEW has been in stock twelve days, and BUSY was last issued a month ago.
    assert [row.part_id for row in dead_stock(june, 10)] == [ledger[key] for key in ("filter", "oil", "new", "busy")]
    assert [row.part_id for row in dead_stock(june, 60, after_part_id=ledger["filter"], limit=1)] == [ledger["oil"]]
