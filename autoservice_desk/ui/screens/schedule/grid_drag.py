"""The schedule grid's drag and resize rules: what a press grabs, where the ghost lands, when to autoscroll."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QPoint, QRectF

from autoservice_desk.ui.screens.schedule.grid_geometry import Block, GridGeometry
from autoservice_desk.ui.screens.schedule.grid_painter import Ghost

AUTOSCROLL_MARGIN = 24  # px from the content edge where a drag starts scrolling
EDGE_GRIP = 6  # px at each end of a block that resize instead of move


class DragMode(Enum):
    MOVE = "move"
    START = "start"  # the left edge
    END = "end"  # the right edge


@dataclass
class Press:
    """A left button held on a block: what was grabbed, where, and whether it has become a drag."""

    booking_id: int
    row_index: int
    mode: DragMode
    origin: QPoint  # viewport position of the press
    minutes: float  # grid minutes under the press
    start: float
    end: float
    dragging: bool = False


class DragTracker:
    """The press/ghost bookkeeping of one grid: the press held now, the ghost it drags and where the mouse was."""

    def __init__(self) -> None:
        self.press: Press | None = None
        self.ghost: Ghost | None = None
        self.last_pos = QPoint()  # viewport position of the last drag move: autoscroll goes on from there

    @property
    def dragging(self) -> bool:
        return self.press is not None and self.press.dragging

    def begin(self, block: Block, geometry: GridGeometry, origin: QPoint, x: float) -> None:
        """The left button went down at viewport *origin*, content *x*, on *block*."""
        self.press = press_on(block, geometry, origin, x)

    def move_to(self, pos: QPoint, start_distance: int) -> bool:
        """The held mouse is at *pos*: whether the press is a drag now (it becomes one *start_distance* px away)."""
        press = self.press
        assert press is not None
        if not press.dragging and (pos - press.origin).manhattanLength() >= start_distance:
            press.dragging = True
        if press.dragging:
            self.last_pos = pos
        return press.dragging

    def update_ghost(self, geometry: GridGeometry, x: float, y: float) -> None:
        """Put the ghost where the press lands with the mouse at content (*x*, *y*)."""
        assert self.press is not None
        ghost_row = self.ghost.row_index if self.ghost else self.press.row_index
        self.ghost = ghost_for(self.press, geometry, x, y, ghost_row)

    def resume(self, geometry: GridGeometry) -> bool:
        """A new view came mid-press: take the booking's new span; False when it went and the drag must end."""
        assert self.press is not None
        span = resumed_span(self.press, geometry)
        if span is None:
            return False
        self.press.start, self.press.end = span
        return True

    def end(self) -> bool:
        """Forget the press and its ghost; whether a ghost was showing (the viewport then wants a repaint)."""
        showing = self.ghost is not None
        self.press = self.ghost = None
        return showing


def drag_mode(block: Block, x: float) -> DragMode:
    """Which part of a block a press at content *x* grabs; narrow blocks keep most of their width for moving."""
    grip = min(EDGE_GRIP, block.w / 4)
    if not block.cut_end and x >= block.x + block.w - grip:
        return DragMode.END
    if not block.cut_start and x < block.x + grip:
        return DragMode.START
    return DragMode.MOVE


def press_on(block: Block, geometry: GridGeometry, origin: QPoint, x: float) -> Press:
    """The press of the left button at viewport *origin*, content *x*, on *block*: its mode and the booking's span."""
    entry = next(entry for entry in geometry.entries[block.row_index] if entry.booking_index == block.booking_index)
    booking_id = geometry.view.bookings[block.booking_index].id
    return Press(booking_id, block.row_index, drag_mode(block, x), origin, geometry.minutes_at(x),
                 entry.start, entry.end)  # fmt: skip


def ghost_for(press: Press, geometry: GridGeometry, x: float, y: float, ghost_row: int) -> Ghost:
    """Where the pressed block lands with the mouse at content (*x*, *y*), snapped to the slot; *ghost_row* is the
    row the ghost is on now (the press's row before the first ghost)."""
    delta = geometry.minutes_at(x) - press.minutes
    slot = geometry.slot_minutes
    row = press.row_index
    start: float
    end: float
    if press.mode is DragMode.MOVE:
        start = geometry.snap(press.start + delta)
        end = start + (press.end - press.start)
        found = geometry.row_at(min(max(y, 0), geometry.height - 1))
        # Over a group heading the ghost stays on the row it was on.
        row = found if found is not None else ghost_row
    elif press.mode is DragMode.END:
        start, end = press.start, max(geometry.snap(press.end + delta), press.start + slot)
    else:
        start, end = min(geometry.snap(press.start + delta), press.end - slot), press.end
    label = f"{geometry.moment_at(start):%H:%M}–{geometry.moment_at(end):%H:%M}"
    return Ghost(geometry.booking_index_by_id[press.booking_id], row, start, end, label)


def resumed_span(press: Press, geometry: GridGeometry) -> tuple[float, float] | None:
    """The pressed booking's start and end on its row in a new *geometry*; None when it is no longer there."""
    index = geometry.booking_index_by_id.get(press.booking_id)
    entries = [entry for entry in geometry.entries[press.row_index] if entry.booking_index == index] if (
        index is not None and press.row_index < len(geometry.entries)) else []  # fmt: skip
    return (entries[0].start, entries[0].end) if entries else None


def is_moved(press: Press, ghost: Ghost) -> bool:
    """Whether dropping *ghost* changes anything (a drop back in place asks for no move)."""
    return not (ghost.row_index == press.row_index and ghost.start == press.start and ghost.end == press.end)


def near_edge(pos: QPoint, content: QRectF) -> bool:
    """Whether a drag at viewport *pos* is close enough to the content's edge to start autoscrolling."""
    return not content.adjusted(AUTOSCROLL_MARGIN, AUTOSCROLL_MARGIN, -AUTOSCROLL_MARGIN,
                                -AUTOSCROLL_MARGIN).contains(pos)  # fmt: skip


def autoscroll_step(pos: QPoint, content: QRectF) -> tuple[int, int]:
    """Which way (-1, 0 or 1 on each axis) a drag at viewport *pos* scrolls the content now; (0, 0) stops it."""
    dx = -1 if pos.x() < content.left() + AUTOSCROLL_MARGIN else 1 if pos.x() > content.right() - \
        AUTOSCROLL_MARGIN else 0  # fmt: skip
    dy = -1 if pos.y() < content.top() + AUTOSCROLL_MARGIN else 1 if pos.y() > content.bottom() - \
        AUTOSCROLL_MARGIN else 0  # fmt: skip
    return dx, dy
