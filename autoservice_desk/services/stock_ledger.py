"""The ledger's mechanics: lock parts and balances in one order, check what is available, write moves and balances."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, Integer, Table, any_, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import Part, StockBalance, StockLocation, StockMove
from autoservice_desk.models.types import Quantity
from autoservice_desk.services.errors import ConflictError, NotFoundError
from autoservice_desk.services.part_forms import unit_label
from autoservice_desk.services.stock_forms import COST_UNIT, quantity_text
from autoservice_desk.services.unit_of_work import UnitOfWork

CHUNK = 500  # ids per IN (...) and moves per progress step; far below SQLite's variable limit
Progress = Callable[[int, int], None]
K = TypeVar("K")
ZERO = Decimal(0)


class InsufficientStockError(ConflictError):
    """Less is available on a place than a document or reservation takes; the message names part, place, amounts."""

    def __init__(self, message: str, part_id: int, location_id: int, available: Decimal, requested: Decimal) -> None:
        super().__init__(message)
        self.part_id = part_id
        self.location_id = location_id
        self.available = available
        self.requested = requested


@dataclass
class PartRow:
    """The locked part: what messages name and what the average-cost update needs."""

    id: int
    article: str
    name: str
    unit: str
    fractional: bool
    average_cost: Decimal
    purchase_price: Decimal | None

    @property
    def text(self) -> str:
        return f"{self.article} {self.name}"


def member_of(
    uow: UnitOfWork, column: ColumnElement[Any] | InstrumentedAttribute[Any], ids: Sequence[int]
) -> ColumnElement[bool]:
    """`column IN (ids)`; on PostgreSQL `column = ANY(:array)`: one parameter, so the statement's text stays the
    same whatever the number of ids and the driver and server parse it once (an IN list of 200 is parsed anew)."""
    if uow.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    return column.in_(ids)


def chunks(items: Sequence[K], size: int = CHUNK) -> Iterator[Sequence[K]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def place_label(uow: UnitOfWork, location_id: int) -> str:
    """A place as the keeper reads it on the label: its code, or its name when it has none."""
    row = uow.session.execute(
        select(StockLocation.code, StockLocation.name).where(StockLocation.id == location_id)
    ).first()
    if row is None:
        return str(location_id)
    return row.code or row.name


def shortage(
    uow: UnitOfWork, part: PartRow, location_id: int, available: Decimal, requested: Decimal
) -> InsufficientStockError:
    """The refusal: `Not enough stock of 0986494104 Колодки on A-03-2: 1 pcs available, 3 asked`."""
    message = _("Not enough stock of {part} on {place}: {available} {unit} available, {asked} asked").format(
        part=part.text, place=place_label(uow, location_id), available=quantity_text(max(available, ZERO)),
        unit=unit_label(part.unit), asked=quantity_text(requested),
    )  # fmt: skip
    return InsufficientStockError(message, part.id, location_id, available, requested)


def lock_parts(uow: UnitOfWork, part_ids: Iterable[int]) -> dict[int, PartRow]:
    """Lock the parts' rows in id order (FOR NO KEY UPDATE: moves' foreign keys may still point at them)."""
    wanted = sorted(set(part_ids))
    parts: dict[int, PartRow] = {}
    for chunk in chunks(wanted):
        rows = uow.session.execute(
            select(Part.id, Part.article, Part.name, Part.unit, Part.fractional, Part.average_cost, Part.purchase_price)
            .where(member_of(uow, Part.id, chunk))
            .order_by(Part.id)
            .with_for_update(key_share=True)
        )
        for row in rows:
            parts[row.id] = PartRow(
                row.id, row.article, row.name, row.unit, row.fractional, row.average_cost, row.purchase_price
            )
    if len(parts) != len(wanted):
        raise NotFoundError(_("A part on the document no longer exists."))
    return parts


class Ledger:
    """The balances of the locked parts inside one transaction: changed as moves are planned, written at the end.

    Every planned change is checked against the balance as it stands after the changes before it, so a refusal
    comes before anything is written and names the first line that does not fit.

    Lock order, the same for every writer of stock (posting, reversing, reserving, releasing): the document row
    first (when there is one), then the parts' rows sorted by id, then their balance rows sorted by (part, place),
    then reservations by id, then the document number's sequence row. Desks that take locks in one order queue
    instead of deadlocking, and holding the part rows makes the moving average and the "what is left to return"
    checks exact on PostgreSQL's READ COMMITTED. On SQLite the writer already holds the database (BEGIN
    IMMEDIATE) and FOR UPDATE is not rendered.
    """

    def __init__(self, uow: UnitOfWork, part_ids: Iterable[int]) -> None:
        self.uow = uow
        self.parts = lock_parts(uow, part_ids)
        self.book: dict[tuple[int, int], list[Decimal]] = {}  # (part, place) → [quantity, reserved]
        for chunk in chunks(sorted(self.parts)):
            rows = uow.session.execute(
                select(StockBalance.part_id, StockBalance.location_id, StockBalance.quantity, StockBalance.reserved)
                .where(member_of(uow, StockBalance.part_id, chunk))
                .order_by(StockBalance.part_id, StockBalance.location_id)
                .with_for_update(key_share=True)
            )
            for row in rows:
                self.book[(row.part_id, row.location_id)] = [row.quantity, row.reserved]
        self._existing = frozenset(self.book)
        self._postgresql = uow.session.get_bind().dialect.name == "postgresql"
        self.on_hand_before = {part_id: ZERO for part_id in self.parts}
        for (part_id, _place), (quantity, _reserved) in self.book.items():
            self.on_hand_before[part_id] += quantity
        self._changes: dict[tuple[int, int], list[Decimal]] = {}  # (part, place) → [Δ quantity, Δ reserved]
        self.moves: list[dict[str, Any]] = []

    def part(self, part_id: int) -> PartRow:
        return self.parts[part_id]

    def quantity(self, part_id: int, location_id: int) -> Decimal:
        return self.book.get((part_id, location_id), [ZERO, ZERO])[0]

    def reserved(self, part_id: int, location_id: int) -> Decimal:
        return self.book.get((part_id, location_id), [ZERO, ZERO])[1]

    def available(self, part_id: int, location_id: int) -> Decimal:
        quantity, reserved = self.book.get((part_id, location_id), [ZERO, ZERO])
        return quantity - reserved

    def _change(self, part_id: int, location_id: int, quantity: Decimal, reserved: Decimal) -> None:
        key = (part_id, location_id)
        balance = self.book.setdefault(key, [ZERO, ZERO])
        balance[0] += quantity
        balance[1] += reserved
        change = self._changes.setdefault(key, [ZERO, ZERO])
        change[0] += quantity
        change[1] += reserved

    def move(
        self,
        line_id: int | None,
        part_id: int,
        location_id: int,
        quantity: Decimal,
        unit_cost: Decimal | None = None,
        *,
        release_reserved: Decimal = ZERO,
    ) -> None:
        """Plan a signed move (+ in, − out) at *unit_cost* (None: the part's average cost now).

        An outgoing move may take only what is not reserved, plus *release_reserved*, the part of a reservation
        the same line consumes; otherwise InsufficientStockError.
        """
        if quantity == 0:
            return
        part = self.parts[part_id]
        if quantity < 0:
            free = self.available(part_id, location_id) + release_reserved
            if -quantity > free:
                raise shortage(self.uow, part, location_id, free, -quantity)
        cost = part.average_cost if unit_cost is None else unit_cost
        self._change(part_id, location_id, quantity, -release_reserved)
        self.moves.append(
            {"line_id": line_id, "part_id": part_id, "location_id": location_id, "quantity": quantity,
             "unit_cost": cost.quantize(COST_UNIT, ROUND_HALF_UP)}
        )  # fmt: skip

    def hold(self, part_id: int, location_id: int, quantity: Decimal) -> None:
        """Reserve (+) or release (−) *quantity* on a place; a reservation may hold only what is available."""
        if quantity > 0 and quantity > self.available(part_id, location_id):
            raise shortage(self.uow, self.parts[part_id], location_id, self.available(part_id, location_id), quantity)
        self._change(part_id, location_id, ZERO, quantity)

    def new_average_costs(self) -> dict[int, Decimal]:
        """The moving average after the planned moves, for the parts whose average changes.

        average = (on hand × average + Σ quantity × unit cost) / (on hand + Σ quantity) over all places; moves
        at the average itself (issues, transfers, write-offs, count differences) leave it as it is. When nothing
        is left on hand the average stays, so the next issue of a returned part still has a cost.
        """
        value: dict[int, Decimal] = {}
        count: dict[int, Decimal] = {}
        differs: set[int] = set()
        for move in self.moves:
            part = self.parts[move["part_id"]]
            value[part.id] = value.get(part.id, ZERO) + move["quantity"] * move["unit_cost"]
            count[part.id] = count.get(part.id, ZERO) + move["quantity"]
            if move["unit_cost"] != part.average_cost:
                differs.add(part.id)
        averages = {}
        for part_id in differs:
            part = self.parts[part_id]
            on_hand = self.on_hand_before[part_id] + count[part_id]
            if on_hand <= 0:
                continue
            average = (self.on_hand_before[part_id] * part.average_cost + value[part_id]) / on_hand
            average = max(average, ZERO).quantize(COST_UNIT, ROUND_HALF_UP)
            if average != part.average_cost:
                averages[part_id] = average
        return averages

    def write(
        self,
        document_id: int,
        moved_at: datetime,
        *,
        purchase_prices: dict[int, Decimal] | None = None,
        progress: Progress | None = None,
    ) -> None:
        """Write the planned moves (in chunks, reporting progress), the balances and the parts' costs."""
        total = len(self.moves)
        moves = cast(Table, StockMove.__table__)
        for done, chunk in enumerate(chunks(self.moves), start=1):
            insert_rows(self.uow, moves, [{**move, "document_id": document_id, "moved_at": moved_at} for move in chunk])
            if progress is not None:
                progress(min(done * CHUNK, total), total)
        self.write_balances()
        self._write_costs(self.new_average_costs(), purchase_prices or {})

    def write_balances(self) -> None:
        """Apply the planned changes: relative UPDATEs of the locked rows, INSERTs of places new to a part."""
        session = self.uow.session
        changed = sorted(self._changes)
        updates = [
            {"b_part": part, "b_place": place, "b_quantity": self._changes[(part, place)][0],
             "b_reserved": self._changes[(part, place)][1]}
            for part, place in changed
            if (part, place) in self._existing and self._changes[(part, place)] != [ZERO, ZERO]
        ]  # fmt: skip
        balances = cast(Table, StockBalance.__table__)
        if updates and self._postgresql:
            _update_from_arrays(
                self.uow, "stock_balances", ("part_id", "location_id"),
                "quantity = t.quantity + v.b_quantity, reserved = t.reserved + v.b_reserved",
                {name: (kind, [row[name] for row in updates]) for name, kind in (("b_part", "integer"),
                 ("b_place", "integer"), ("b_quantity", "numeric"), ("b_reserved", "numeric"))},
            )  # fmt: skip
        elif updates:  # SQLite runs executemany in-process: no round trips to save
            session.execute(
                update(balances)
                .where(balances.c.part_id == bindparam("b_part"), balances.c.location_id == bindparam("b_place"))
                .values(
                    quantity=balances.c.quantity + bindparam("b_quantity", type_=Quantity()),
                    reserved=balances.c.reserved + bindparam("b_reserved", type_=Quantity()),
                ),
                updates,
            )
        inserts = [
            {"part_id": part, "location_id": place, "quantity": self._changes[(part, place)][0],
             "reserved": self._changes[(part, place)][1]}
            for part, place in changed if (part, place) not in self._existing
        ]  # fmt: skip
        insert_rows(self.uow, balances, inserts)
        # A place new to the part gets its row even when the document's moves there net to zero, so every
        # (part, place) with moves has a balance equal to their sum.
        self._existing = self._existing | frozenset(self._changes)
        self._changes.clear()

    def _write_costs(self, averages: dict[int, Decimal], purchase_prices: dict[int, Decimal]) -> None:
        # A Core UPDATE, not the ORM: the part's version is for its form, and a posting must not make an open
        # part card stale; the part row is locked, so nobody else changes these two columns meanwhile.
        rows = [
            {"b_id": part_id, "b_cost": averages.get(part_id, self.parts[part_id].average_cost),
             "b_price": purchase_prices.get(part_id, self.parts[part_id].purchase_price)}
            for part_id in sorted(set(averages) | set(purchase_prices))
        ]  # fmt: skip
        if not rows:
            return
        if self._postgresql:
            _update_from_arrays(
                self.uow, "parts", ("id",),
                "average_cost = v.b_cost, purchase_price = v.b_price, updated_at = CURRENT_TIMESTAMP",
                {name: (kind, [row[name] for row in rows])
                 for name, kind in (("b_id", "integer"), ("b_cost", "numeric"), ("b_price", "numeric"))},
            )  # fmt: skip
        else:
            parts = cast(Table, Part.__table__)
            self.uow.session.execute(
                update(parts)
                .where(parts.c.id == bindparam("b_id"))
                .values(average_cost=bindparam("b_cost"), purchase_price=bindparam("b_price")),
                rows,
            )
        for part_id, average in averages.items():
            self.parts[part_id].average_cost = average


def _array_type(column: Any) -> str:
    kind = column.type.__class__.__name__
    return {"ScaledDecimal": "numeric", "UTCDateTime": "timestamptz", "Integer": "integer"}.get(kind, "text")


def insert_rows(uow: UnitOfWork, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert *rows* (all with the same keys) in one statement.

    PostgreSQL gets `INSERT ... SELECT * FROM unnest(arrays)`: a short text the driver parses and the server
    prepares once, where executemany pays a round trip per row and a multi-row VALUES list is parsed anew each
    time. SQLite runs executemany inside the process, which costs no round trips.
    """
    if not rows:
        return
    names = list(rows[0])
    if uow.session.get_bind().dialect.name != "postgresql":
        uow.session.execute(insert(table), list(rows))
        return
    arrays = ", ".join(f"CAST(:{name} AS {_array_type(table.c[name])}[])" for name in names)
    columns = ", ".join(names)
    uow.session.execute(
        text(f"INSERT INTO {table.name} ({columns}) SELECT * FROM unnest({arrays})"),
        {name: [row[name] for row in rows] for name in names},
    )


def _update_from_arrays(
    uow: UnitOfWork,
    table: str,
    keys: tuple[str, ...],
    assignments: str,
    columns: dict[str, tuple[str, list[Any]]],
) -> None:
    """PostgreSQL: `UPDATE table AS t SET ... FROM unnest(arrays) AS v WHERE t.key = v.key`: all rows in one
    statement whose text never changes, so the server prepares it once (a VALUES list would be parsed each time).

    *columns* maps each name in v to (its SQL type, its values); the first len(keys) names match *keys*.
    """
    names = list(columns)
    arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, (kind, _values) in columns.items())
    matches = " AND ".join(f"t.{key} = v.{name}" for key, name in zip(keys, names, strict=False))
    uow.session.execute(
        text(f"UPDATE {table} AS t SET {assignments} FROM unnest({arrays}) AS v ({', '.join(names)}) WHERE {matches}"),
        {name: values for name, (_kind, values) in columns.items()},
    )


def on_hand(uow: UnitOfWork, part_id: int) -> Decimal:
    """What the books say is on hand of a part across all places."""
    total = uow.session.scalar(select(func.sum(StockBalance.quantity)).where(StockBalance.part_id == part_id))
    return total if total is not None else ZERO
