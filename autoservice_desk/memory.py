"""Garbage-collector settings for a desk whose screens read thousands of rows at a time."""

from __future__ import annotations

import gc

# CPython's default (700) runs a young collection every 700 new objects, and every tenth promotes into older
# generations that are scanned whole: reading a week of 3,000 bookings (rows, datetimes, tuples) triggered several
# full scans of everything Qt and SQLAlchemy had loaded, doubling the read's worst times. The desk allocates in
# bursts and holds few cycles, so collecting less often costs a little memory and no pauses.
YOUNG_THRESHOLD = 50_000


def tune_garbage_collection() -> None:
    """Freeze what start-up loaded (never scanned again) and collect young objects less often."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
