"""Keyboard walking in the schedule grid: which booking block an arrow key selects next."""

from __future__ import annotations

from autoservice_desk.ui.screens.schedule.grid_geometry import GridGeometry


def arrow_target(geometry: GridGeometry, current: int | None, row: int | None, step: tuple[int, int],
                 left: float, top: float) -> tuple[int, int] | None:  # fmt: skip
    """The (booking index, row index) an arrow moving by *step* (dx, dy) selects, or None to stay put.

    *current* and *row* are the selected booking's index and the row index the keyboard moves from; with either
    missing the booking nearest *left* (grid minutes) on the first row below *top* (content pixels) is picked.
    Up and down go to the booking nearest the selected one's middle on the next row that has any.
    """
    if current is None or row is None:
        return first_visible_booking(geometry, left, top)
    dx, dy = step
    if dx:
        found = geometry.neighbour_in_row(row, current, dx)
        return (found, row) if found is not None else None
    entry = next(entry for entry in geometry.entries[row] if entry.booking_index == current)
    other = row + dy
    while 0 <= other < len(geometry.entries):
        found = geometry.nearest_in_row(other, (entry.start + entry.end) / 2)
        if found is not None:
            return found, other
        other += dy
    return None


def first_visible_booking(geometry: GridGeometry, left: float, top: float) -> tuple[int, int] | None:
    """With nothing selected an arrow picks the booking nearest the left edge on the first visible row."""
    for row, line in enumerate(geometry.row_lines):
        if line.bottom > top:
            found = geometry.nearest_in_row(row, left)
            if found is not None:
                return found, row
    return None
