"""Column types that keep money exact and time in UTC on both SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, DateTime, Numeric, func, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal with a fixed number of places: NUMERIC on PostgreSQL, exact scaled integers on SQLite.

    SQLite has no decimal type (NUMERIC is stored as a float), so there the value is kept as an integer
    count of the smallest unit (kopecks, thousandths); sums and comparisons in SQL stay exact.
    Values with more places than the column holds are refused: rounding is the caller's decision.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__()
        self.precision = precision
        self.scale = scale
        self._unit = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money and quantities must be Decimal, never float")
        amount = Decimal(value)
        if amount != amount.quantize(self._unit):
            raise ValueError(f"{amount} has more than {self.scale} decimal places")
        if dialect.name == "sqlite":
            return int(amount.scaleb(self.scale))
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._unit)
        return Decimal(value).quantize(self._unit)


def Money() -> ScaledDecimal:  # noqa: N802 - reads like a type in column declarations
    """Amounts of money: 14 digits, 2 after the point (kopecks)."""
    return ScaledDecimal(14, 2)


def Quantity() -> ScaledDecimal:  # noqa: N802
    """Quantities of goods: 14 digits, 3 after the point (litres, metres)."""
    return ScaledDecimal(14, 3)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time: refuses naive datetimes, stores UTC, returns timezone-aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], datetime | None]:
        """On SQLite read the stored text with the C-speed `fromisoformat` instead of the generic regex parser:
        a week's schedule reads thousands of timestamps, and the parser was a third of the time."""
        if dialect.name != "sqlite":
            return partial(self.process_result_value, dialect=dialect)
        return _utc_from_sqlite_text


class LocalMomentReader:
    """Turns driver values of `UTCDateTime` columns selected through `naive_utc` into aware moments in *zone*.

    For reads of thousands of rows: no per-row processor runs, and a week's schedule starts and ends on a few hundred
    slot boundaries, so each distinct value is converted once (the memo lives as long as the reader: one read).
    """

    def __init__(self, dialect: Dialect, zone: tzinfo) -> None:
        self._zone = zone
        self._sqlite = dialect.name == "sqlite"
        self._seen: dict[str | datetime, datetime] = {}

    def __call__(self, value: str | datetime | None) -> datetime:
        moment = self._seen.get(value)  # type: ignore[arg-type]  # None is never stored, so it is never found
        if moment is None:
            if value is None:
                raise ValueError("a moment was expected, the column held NULL")
            utc = datetime.fromisoformat(value) if isinstance(value, str) else value
            moment = self._seen[value] = utc.replace(tzinfo=UTC).astimezone(self._zone)
        return moment


def naive_utc(column: ColumnElement[datetime] | QueryableAttribute[datetime], dialect: Dialect) -> ColumnElement[Any]:
    """*column* selected as a naive UTC value straight from the driver, for `LocalMomentReader`.

    SQLite stores naive UTC text already; PostgreSQL converts in the query, because an aware datetime costs as much
    to hash for the reader's memo as to convert.
    """
    if dialect.name == "sqlite":
        return type_coerce(column, NullType())
    return type_coerce(func.timezone("UTC", column), NullType())


def _utc_from_sqlite_text(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
