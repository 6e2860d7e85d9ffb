"""Money, quantities and timestamps survive a round trip exactly on both dialects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, select

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.types import LocalMomentReader, Money, Quantity, UTCDateTime, naive_utc

metadata = MetaData()
ledger = Table(
    "scratch_ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("amount", Money()),
    Column("quantity", Quantity()),
    Column("at", UTCDateTime()),
)


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_database_engine(parse_database_url(database_url, Path("unused")))
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)
    engine.dispose()


def test_money_is_exact_and_sums_exactly(engine) -> None:  # type: ignore[no-untyped-def]
    amounts = [Decimal("0.10")] * 30 + [Decimal("999999999999.99"), Decimal("-0.01")]
    with engine.begin() as connection:
        connection.execute(ledger.insert(), [{"amount": amount} for amount in amounts])
    with engine.connect() as connection:
        stored = connection.execute(select(ledger.c.amount).order_by(ledger.c.id)).scalars().all()
        total = connection.execute(select(func.sum(ledger.c.amount))).scalar_one()
    assert stored == amounts
    assert all(isinstance(value, Decimal) for value in stored)
    assert total == Decimal("1000000000002.98")


def test_quantities_keep_three_places(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(ledger.insert(), [{"quantity": Decimal("1.125")}, {"quantity": Decimal("0.001")}])
    with engine.connect() as connection:
        assert connection.execute(select(func.sum(ledger.c.quantity))).scalar_one() == Decimal("1.126")


@pytest.mark.parametrize("bad", [0.1, Decimal("0.001")])
def test_floats_and_excess_precision_are_refused(engine, bad: object) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="Decimal|decimal places"), engine.begin() as connection:
        connection.execute(ledger.insert(), [{"amount": bad}])


def test_timestamps_come_back_as_utc(engine) -> None:  # type: ignore[no-untyped-def]
    moscow = timezone(timedelta(hours=3))
    moment = datetime(2026, 11, 22, 12, 30, tzinfo=moscow)
    with engine.begin() as connection:
        connection.execute(ledger.insert(), [{"at": moment}])
    with engine.connect() as connection:
        stored = connection.execute(select(ledger.c.at)).scalar_one()
    assert stored == moment
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.hour == 9 and stored.tzinfo == UTC


def test_naive_timestamps_are_refused(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="timezone-aware"), engine.begin() as connection:
        connection.execute(ledger.insert(), [{"at": datetime(2026, 1, 1)}])


def test_bulk_reads_give_the_same_local_moments_as_the_column_type(engine) -> None:  # type: ignore[no-untyped-def]
    # Around the night Berlin moves its clocks back: one wall-clock hour happens twice, and each must stay apart.
    berlin = ZoneInfo("Europe/Berlin")
    moments = [datetime(2026, 10, 25, 0, 30, tzinfo=UTC) + timedelta(minutes=15 * step) for step in range(12)]
    with engine.begin() as connection:
        connection.execute(ledger.insert(), [{"at": moment} for moment in moments + moments[:3]])
    with engine.connect() as connection:
        raw = connection.execute(select(naive_utc(ledger.c.at, connection.dialect)).order_by(ledger.c.id)).scalars()
        reader = LocalMomentReader(connection.dialect, berlin)
        local = [reader(value) for value in raw]
    assert local == [moment.astimezone(berlin) for moment in moments + moments[:3]]
    assert [moment.utcoffset() for moment in local[:4]] == [timedelta(hours=2)] * 2 + [timedelta(hours=1)] * 2
    assert all(moment.tzinfo is berlin for moment in local)
    with pytest.raises(ValueError, match="NULL"):
        reader(None)
