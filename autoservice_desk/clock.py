"""The clock services take as a parameter, so tests can fix "now"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current moment, timezone-aware in UTC (the only kind of time the database stores)."""
    return datetime.now(UTC)
