"""Random sequences of receipts, issues, transfers, reservations, counts and reversals checked against a model."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import Engine, func, select

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.inventory import Part, StockBalance, StockDocument, StockLocation, StockMove
from autoservice_desk.services.errors import ConflictError
from autoservice_desk.services.reservations import release, reserve
from autoservice_desk.services.stock_documents import (
    add_lines,
    create_issue,
    create_receipt,
    create_transfer,
    set_counted,
    start_count,
)
from autoservice_desk.services.stock_forms import DocumentInfo, LineInput
from autoservice_desk.services.stock_ledger import InsufficientStockError
from autoservice_desk.services.stock_posting import post_document, reverse_document
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

PARTS, PLACES = 2, 3
Key = tuple[int, int]  # (part index, place index)
quantities = st.integers(min_value=1, max_value=6)


class StockMachine(RuleBasedStateMachine):
    """The model: on hand and reserved per (part, place), each posted document's moves for reversing it."""

    def __init__(self, new_database_url: Callable[[], str]) -> None:
        super().__init__()
        self.engine: Engine = create_database_engine(parse_database_url(new_database_url(), Path("unused")))
        self.uow_factory = UnitOfWorkFactory(self.engine)
        with self.uow_factory() as uow:
            warehouse = StockLocation(kind="warehouse", name="W")
            uow.session.add(warehouse)
            uow.session.flush()
            places = [StockLocation(parent_id=warehouse.id, warehouse_id=warehouse.id, kind="shelf", name=f"S{n}",
                                    code=f"S{n}") for n in range(PLACES)]  # fmt: skip
            parts = [
                Part(article=f"P{n}", article_key=f"P{n}", name=f"Part {n}", name_key=f"part {n}") for n in range(PARTS)
            ]
            uow.session.add_all(places + parts)
            uow.session.flush()
            self.places, self.parts = [place.id for place in places], [part.id for part in parts]
            uow.commit()
        self.on_hand: dict[Key, int] = {}
        self.reserved: dict[Key, int] = {}
        self.reservations: list[tuple[int, Key, int]] = []
        self.posted: list[tuple[int, list[tuple[Key, int]]]] = []  # document id, its moves in order

    def teardown(self) -> None:
        self.engine.dispose()

    def _key(self, part: int, place: int) -> tuple[int, int]:
        return self.parts[part], self.places[place]

    def _post(self, draft: DocumentInfo, expected: list[tuple[Key, int]] | None) -> None:
        """Post *draft*; *expected* None means the model says it must be refused for lack of stock."""
        try:
            posted = post_document(self.uow_factory, draft.id, draft.version)
        except (InsufficientStockError, ConflictError):
            assert expected is None, "refused although the model has the stock"
            return
        assert expected is not None, "posted although the model lacks the stock"
        self._apply(expected)
        self.posted.append((posted.id, expected))

    def _apply(self, moves: list[tuple[Key, int]]) -> None:
        for key, quantity in moves:
            self.on_hand[key] = self.on_hand.get(key, 0) + quantity

    def _fits(self, moves: list[tuple[Key, int]]) -> bool:
        """Would these moves, in order, never take more than is free on a place?"""
        trial = dict(self.on_hand)
        for key, quantity in moves:
            trial[key] = trial.get(key, 0) + quantity
            if quantity < 0 and trial[key] < self.reserved.get(key, 0):
                return False
        return True

    @rule(part=st.integers(0, PARTS - 1), place=st.integers(0, PLACES - 1), quantity=quantities,
          price=st.integers(1, 500))  # fmt: skip
    def receipt(self, part: int, place: int, quantity: int, price: int) -> None:
        key = (part, place)
        line = LineInput(self.parts[part], Decimal(quantity), Decimal(price), to_location_id=self.places[place])
        self._post(create_receipt(self.uow_factory, None, [line]), [(key, quantity)])

    @rule(part=st.integers(0, PARTS - 1), place=st.integers(0, PLACES - 1), quantity=quantities)
    def issue(self, part: int, place: int, quantity: int) -> None:
        moves = [((part, place), -quantity)]
        line = LineInput(self.parts[part], Decimal(quantity), from_location_id=self.places[place])
        self._post(create_issue(self.uow_factory, [line]), moves if self._fits(moves) else None)

    @rule(part=st.integers(0, PARTS - 1), places=st.lists(st.integers(0, PLACES - 1), min_size=2, max_size=2,
          unique=True), quantity=quantities)  # fmt: skip
    def transfer(self, part: int, places: list[int], quantity: int) -> None:
        moves = [((part, places[0]), -quantity), ((part, places[1]), quantity)]
        line = LineInput(self.parts[part], Decimal(quantity), from_location_id=self.places[places[0]],
                         to_location_id=self.places[places[1]])  # fmt: skip
        self._post(create_transfer(self.uow_factory, [line]), moves if self._fits(moves) else None)

    @rule(part=st.integers(0, PARTS - 1), place=st.integers(0, PLACES - 1), quantity=quantities)
    def reserve(self, part: int, place: int, quantity: int) -> None:
        key = (part, place)
        free = self.on_hand.get(key, 0) - self.reserved.get(key, 0)
        try:
            held = reserve(self.uow_factory, self.parts[part], self.places[place], Decimal(quantity))
        except InsufficientStockError:
            assert quantity > free
            return
        assert quantity <= free
        self.reserved[key] = self.reserved.get(key, 0) + quantity
        self.reservations.append((held.id, key, quantity))

    @precondition(lambda self: self.reservations)
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        reservation_id, key, quantity = self.reservations.pop(data.draw(st.integers(0, len(self.reservations) - 1)))
        release(self.uow_factory, reservation_id)
        self.reserved[key] -= quantity

    @rule(place=st.integers(0, PLACES - 1), counted=st.lists(st.integers(0, 8), min_size=PARTS, max_size=PARTS))
    def count(self, place: int, counted: list[int]) -> None:
        sheet = start_count(self.uow_factory, self.places[place])
        listed = {line.part_id for line in sheet.lines}
        missing = [LineInput(part_id, Decimal(0), from_location_id=self.places[place]) for part_id in self.parts
                   if part_id not in listed]  # fmt: skip
        if missing:
            sheet = add_lines(self.uow_factory, sheet.id, sheet.version, missing)
        by_part = {part_id: index for index, part_id in enumerate(self.parts)}
        sheet = set_counted(
            self.uow_factory, sheet.id, sheet.version,
            {line.id: Decimal(counted[by_part[line.part_id]]) for line in sheet.lines},
        )  # fmt: skip
        moves = [((part, place), counted[part] - self.on_hand.get((part, place), 0)) for part in range(PARTS)]
        refused = any(counted[part] < self.reserved.get((part, place), 0) for part in range(PARTS))
        self._post(sheet, None if refused else [move for move in moves if move[1] != 0])

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        document_id, moves = self.posted.pop(data.draw(st.integers(0, len(self.posted) - 1)))
        opposite = [(key, -quantity) for key, quantity in moves]
        try:
            reverse_document(self.uow_factory, document_id, "test")
        except InsufficientStockError:
            assert not self._fits(opposite)
            self.posted.append((document_id, moves))
            return
        assert self._fits(opposite)
        self._apply(opposite)

    @invariant()
    def books_match_the_model(self) -> None:
        with self.uow_factory(read_only=True) as uow:
            balances = {
                (row.part_id, row.location_id): (row.quantity, row.reserved)
                for row in uow.session.scalars(select(StockBalance))
            }
            sums = {
                (part, place): total
                for part, place, total in uow.session.execute(
                    select(StockMove.part_id, StockMove.location_id, func.sum(StockMove.quantity)).group_by(
                        StockMove.part_id, StockMove.location_id
                    )
                )
            }
            numbers: dict[str, list[int]] = {}
            for kind, number in uow.session.execute(
                select(StockDocument.kind, StockDocument.number).where(StockDocument.status == "posted")
            ):
                numbers.setdefault(kind, []).append(number)
        for part in range(PARTS):
            for place in range(PLACES):
                key = self._key(part, place)
                quantity, reserved = balances.get(key, (Decimal(0), Decimal(0)))
                assert (quantity, reserved) == (self.on_hand.get((part, place), 0), self.reserved.get((part, place), 0))
                assert quantity >= 0 and sums.get(key, Decimal(0)) == quantity
        for issued in numbers.values():
            assert sorted(issued) == list(range(1, len(issued) + 1))


def _run(new_database_url: Callable[[], str], examples: int, steps: int) -> None:
    run_state_machine_as_test(
        lambda: StockMachine(new_database_url),
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),  # fmt: skip
    )


@pytest.mark.slow
def test_random_postings_keep_the_books_on_sqlite(sqlite_template: Path, tmp_path: Path) -> None:
    def new_database_url() -> str:
        path = tmp_path / f"{uuid.uuid4().hex}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"

    _run(new_database_url, examples=25, steps=12)


@pytest.mark.slow
@pytest.mark.postgresql
def test_random_postings_keep_the_books_on_postgresql(request: pytest.FixtureRequest) -> None:
    databases = request.getfixturevalue("postgres_databases")
    _run(lambda: databases.url(databases.migrated()), examples=6, steps=10)
