"""The bay-and-lift schedule grid: a painted, scrollable day or week of rows with booking blocks; it only emits signals.

The time header and the row headers stay in place while the content scrolls under them. The grid never writes
anything: a double-click, a drag or a key becomes a signal, and the owner answers with a new view (`set_view`) or
with `flash_refusal` when the service said no. Until then a dragged block snaps back to where the view has it.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QFocusEvent, QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from autoservice_desk.clock import Clock, utc_now
from autoservice_desk.formatting import format_date
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.schedule_view import BookingStatus, GridBooking, ScheduleView
from autoservice_desk.ui.screens.schedule.grid_geometry import SLOT_CHOICES, Block, GridGeometry, Metrics
from autoservice_desk.ui.screens.schedule.grid_painter import Ghost, GridPainter, PaintState

REFUSAL_SECONDS = 5.0
NOW_REFRESH_MS = 30_000  # the red line moves at least once a minute without a timer per second
AUTOSCROLL_MS = 40
AUTOSCROLL_MARGIN = 24  # px from the content edge where a drag starts scrolling
EDGE_GRIP = 6  # px at each end of a block that resize instead of move

STATUS_LABELS = {
    BookingStatus.BOOKED: N_("Booked"), BookingStatus.CONFIRMED: N_("Confirmed"), BookingStatus.ARRIVED: N_("Arrived"),
    BookingStatus.IN_WORK: N_("In work"), BookingStatus.DONE: N_("Done"), BookingStatus.NO_SHOW: N_("No-show"),
    BookingStatus.CANCELLED: N_("Cancelled"),
}  # fmt: skip


class DragMode(Enum):
    MOVE = "move"
    START = "start"  # the left edge
    END = "end"  # the right edge


@dataclass
class _Press:
    """A left button held on a block: what was grabbed, where, and whether it has become a drag."""

    booking_id: int
    row_index: int
    mode: DragMode
    origin: QPoint  # viewport position of the press
    minutes: float  # grid minutes under the press
    start: float
    end: float
    dragging: bool = False


class ScheduleGrid(QAbstractScrollArea):
    """Rows (bays, lifts or mechanics) down, time across, bookings as blocks coloured by status.

    Signals (the grid changes nothing itself):

    - ``empty_slot_activated(row_id, starts_at)``: a double-click on free space; *starts_at* is the slot's start.
    - ``booking_activated(booking_id)``: a double-click on a block, or Enter on the selected one.
    - ``booking_selected(booking_id)`` / ``selection_cleared()``: the selection changed by mouse or keyboard.
    - ``booking_move_requested(booking_id, row_id, new_starts_at, new_ends_at)``: a block dropped elsewhere or
      resized by an edge (same row); times snapped to the slot. With a booking on several rows (mechanics),
      *row_id* is where the dragged part was dropped and `dragged_from_row()` where it was taken from.
    - ``booking_cancel_requested(booking_id)``: Delete on the selected block.

    Every datetime emitted is aware, in the view's time zone.
    """

    empty_slot_activated = Signal(int, object)
    booking_activated = Signal(int)
    booking_selected = Signal(int)
    selection_cleared = Signal()
    booking_move_requested = Signal(int, int, object, object)
    booking_cancel_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, clock: Clock | None = utc_now,
                 metrics: Metrics | None = None) -> None:  # fmt: skip
        """*clock* drives the current-time line (None: only `set_now` moves it, as tests want)."""
        super().__init__(parent)
        self._metrics = metrics or Metrics()
        self._clock = clock
        self._view: ScheduleView | None = None
        self._geometry: GridGeometry | None = None
        self._slot_minutes = 30
        self._painter = GridPainter(self.font())
        self._selected: int | None = None  # booking id
        self._selected_row: int | None = None  # row id the keyboard moves from (a booking may be on several)
        self._now: datetime | None = None
        self._refusals: dict[int, tuple[str, float]] = {}  # booking id -> (message, monotonic deadline)
        self._press: _Press | None = None
        self._ghost: Ghost | None = None
        self._last_drag_pos = QPoint()
        self._drag_source_row: int | None = None  # row id the last drag started on, for multi-row bookings
        self._now_timer = QTimer(self)
        self._now_timer.setInterval(NOW_REFRESH_MS)
        self._refusal_timer = QTimer(self)
        self._refusal_timer.setSingleShot(True)
        self._autoscroll_timer = QTimer(self)
        self._autoscroll_timer.setInterval(AUTOSCROLL_MS)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        # Every pixel is painted, so Qt need not clear the background first.
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._connect_signals()
        if clock is not None:
            self._now_timer.start()

    def _connect_signals(self) -> None:
        self._now_timer.timeout.connect(self._on_now_timer_timeout)
        self._refusal_timer.timeout.connect(self._on_refusal_timer_timeout)
        self._autoscroll_timer.timeout.connect(self._on_autoscroll_timer_timeout)

    # --- public API ---------------------------------------------------------------------------------------------

    def view(self) -> ScheduleView | None:
        return self._view

    @property
    def geometry_model(self) -> GridGeometry | None:
        """The layout in content pixels (tests and the screen read block positions from it)."""
        return self._geometry

    def set_view(self, view: ScheduleView) -> None:
        """Show *view*; the selection stays when its booking is still there, and so does the scroll position."""
        self._view = view
        if self._clock is not None and self._now is None:
            self._now = self._clock()
        self._rebuild()
        if self._selected is not None and self._selected not in self._geometry_or_fail().booking_index_by_id:
            self._selected = self._selected_row = None
            self.selection_cleared.emit()
        self._refusals = {key: value for key, value in self._refusals.items() if key in self._geometry_or_fail()
                          .booking_index_by_id}  # fmt: skip
        if self._press is not None:
            self._resume_press()

    def slot_minutes(self) -> int:
        return self._slot_minutes

    def set_slot_minutes(self, minutes: int) -> None:
        """Columns of 15, 30 or 60 minutes; the time at the left edge stays at the left edge."""
        if minutes not in SLOT_CHOICES:
            raise ValueError(f"slot minutes must be one of {SLOT_CHOICES}")
        if minutes == self._slot_minutes:
            return
        left = self._geometry.minutes_at(self.horizontalScrollBar().value()) if self._geometry else None
        self._slot_minutes = minutes
        self._rebuild()
        if left is not None and self._geometry is not None:
            self.horizontalScrollBar().setValue(round(self._geometry.x_of(left)))

    def set_now(self, now: datetime | None) -> None:
        """Move the red current-time line (None hides it)."""
        self._now = now
        self.viewport().update()

    def selected_booking_id(self) -> int | None:
        return self._selected

    def select_booking(self, booking_id: int | None) -> bool:
        """Select a booking shown in the view (None clears) and scroll it into sight; False when it is not shown."""
        if booking_id is None:
            self._set_selection(None, None)
            return True
        blocks = self._geometry.blocks_of(booking_id) if self._geometry else None
        if not blocks:
            return False
        self._set_selection(booking_id, self._row_id(blocks[0].row_index))
        self._ensure_visible(blocks[0])
        return True

    def flash_refusal(self, booking_id: int, message: str) -> None:
        """Outline the booking in red with *message* beside it for a few seconds (the service refused a change)."""
        self._refusals[booking_id] = (message, time.monotonic() + REFUSAL_SECONDS)
        blocks = self._geometry.blocks_of(booking_id) if self._geometry else None
        if blocks:
            self._ensure_visible(blocks[0])
        self._refusal_timer.start(int(REFUSAL_SECONDS * 1000))
        self.viewport().update()

    def dragged_from_row(self) -> int | None:
        """The row id the last dragged block was taken from (a booking on several mechanics' rows needs it to know
        whose place the drop takes); valid while `booking_move_requested` is handled and until the next press."""
        return self._drag_source_row

    def refusal_message(self, booking_id: int) -> str | None:
        refusal = self._refusals.get(booking_id)
        return refusal[0] if refusal else None

    def scroll_to_time(self, at: datetime) -> None:
        """Scroll so that *at* is near the left edge (an hour of context before it)."""
        if self._geometry is not None:
            self.horizontalScrollBar().setValue(round(self._geometry.x_of(self._geometry.minutes_of(at) - 60)))

    def booking_rects(self, booking_id: int) -> list[QRectF]:
        """Where the booking's blocks are now, in viewport coordinates (empty when not in the view)."""
        if self._geometry is None:
            return []
        origin = self._content_origin()
        return [QRectF(block.x, block.y, block.w, block.h).translated(origin)
                for block in self._geometry.blocks_of(booking_id)]  # fmt: skip

    def point_at(self, row_id: int, at: datetime) -> QPoint:
        """The viewport point of *at* on the middle of a row: where to click or drop."""
        geometry = self._geometry_or_fail()
        line = geometry.row_lines[geometry.row_index_by_id[row_id]]
        point = QPointF(geometry.x_of(geometry.minutes_of(at)), line.top + line.height / 2) + self._content_origin()
        return point.toPoint()

    # --- Qt overrides -------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint only the exposed part of the viewport, from the geometry built by `set_view`."""
        painter = QPainter(self.viewport())
        if self._geometry is None:
            painter.fillRect(event.rect(), self.palette().color(self.viewport().backgroundRole()))
            return
        self._painter.paint(painter, self.viewport().rect(), event.rect(), self.palette(), self._paint_state())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Stretch the day view to a wider window; rebuild only when the slot width really changes."""
        super().resizeEvent(event)
        if self._geometry is not None and self._fitted_slot_width() != self._geometry.slot_width:
            left = self._geometry.minutes_at(self.horizontalScrollBar().value())
            self._rebuild()
            self.horizontalScrollBar().setValue(round(self._geometry_or_fail().x_of(left)))
        else:
            self._update_scrollbars()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Headers stay put while the content moves, so the whole viewport is repainted, not scrolled."""
        self.viewport().update()

    def viewportEvent(self, event: QEvent) -> bool:
        """Tooltips: the full booking under the mouse, or the row's name."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A left click selects the block under it (or clears the selection) and may start a drag."""
        if event.button() != Qt.MouseButton.LeftButton or self._geometry is None:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position().toPoint()
        block = self._block_at(pos)
        if block is None:
            self._set_selection(None, None)
            return
        geometry = self._geometry
        booking_id = geometry.view.bookings[block.booking_index].id
        self._set_selection(booking_id, self._row_id(block.row_index))
        self._drag_source_row = None
        entry = next(entry for entry in geometry.entries[block.row_index] if entry.booking_index == block.booking_index)
        x, _y = self._to_content(pos)
        self._press = _Press(booking_id, block.row_index, _drag_mode(block, x), pos, geometry.minutes_at(x),
                             entry.start, entry.end)  # fmt: skip

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Drag the ghost once the press has moved far enough; otherwise show which cursor a press would get."""
        pos = event.position().toPoint()
        press = self._press
        if press is None:
            self._update_cursor(pos)
            return
        if not press.dragging and (pos - press.origin).manhattanLength() >= QApplication.startDragDistance():
            press.dragging = True
        if press.dragging:
            self._last_drag_pos = pos
            self._update_ghost(pos)
            near_edge = not self._content_rect().adjusted(AUTOSCROLL_MARGIN, AUTOSCROLL_MARGIN, -AUTOSCROLL_MARGIN,
                                                          -AUTOSCROLL_MARGIN).contains(pos)  # fmt: skip
            if near_edge and not self._autoscroll_timer.isActive():
                self._autoscroll_timer.start()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Drop: ask for the move if the ghost is somewhere else; the block stays until a new view comes."""
        press, ghost = self._press, self._ghost
        self._end_drag()
        if event.button() != Qt.MouseButton.LeftButton or press is None or ghost is None or self._geometry is None:
            return
        if ghost.row_index == press.row_index and ghost.start == press.start and ghost.end == press.end:
            return
        geometry = self._geometry
        self._drag_source_row = self._row_id(press.row_index)
        self.booking_move_requested.emit(press.booking_id, self._row_id(ghost.row_index),
                                         geometry.moment_at(ghost.start), geometry.moment_at(ghost.end))  # fmt: skip

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Open the block under the mouse, or offer a new booking in the free slot under it."""
        if event.button() != Qt.MouseButton.LeftButton or self._geometry is None:
            return
        self._end_drag()
        pos = event.position().toPoint()
        if not self._content_rect().contains(pos):
            return
        block = self._block_at(pos)
        if block is not None:
            self.booking_activated.emit(self._geometry.view.bookings[block.booking_index].id)
            return
        x, y = self._to_content(pos)
        row, slot = self._geometry.row_at(y), self._geometry.slot_at(x)
        if row is not None and slot is not None:
            self.empty_slot_activated.emit(self._row_id(row), self._geometry.moment_at(slot))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows walk the bookings, Enter opens, Delete asks to cancel, Escape drops a drag; the rest scrolls."""
        key = event.key()
        if key == Qt.Key.Key_Escape and self._press is not None:
            self._end_drag()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down) and self._geometry:
            self._move_selection(key)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected is not None:
            self.booking_activated.emit(self._selected)
        elif key == Qt.Key.Key_Delete and self._selected is not None:
            self.booking_cancel_requested.emit(self._selected)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """A drag does not survive losing focus (a dialog popped up over it)."""
        self._end_drag()
        super().focusOutEvent(event)

    # --- slots --------------------------------------------------------------------------------------------------

    def _on_now_timer_timeout(self) -> None:
        if self._clock is not None:
            self.set_now(self._clock())

    def _on_refusal_timer_timeout(self) -> None:
        moment = time.monotonic()
        self._refusals = {key: value for key, value in self._refusals.items() if value[1] > moment + 0.05}
        if self._refusals:
            soonest = min(deadline for _message, deadline in self._refusals.values())
            self._refusal_timer.start(max(int((soonest - moment) * 1000), 1))
        self.viewport().update()

    def _on_autoscroll_timer_timeout(self) -> None:
        if self._press is None or not self._press.dragging:
            self._autoscroll_timer.stop()
            return
        pos, content = self._last_drag_pos, self._content_rect()
        dx = -1 if pos.x() < content.left() + AUTOSCROLL_MARGIN else 1 if pos.x() > content.right() - \
            AUTOSCROLL_MARGIN else 0  # fmt: skip
        dy = -1 if pos.y() < content.top() + AUTOSCROLL_MARGIN else 1 if pos.y() > content.bottom() - \
            AUTOSCROLL_MARGIN else 0  # fmt: skip
        if not dx and not dy:
            self._autoscroll_timer.stop()
            return
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        horizontal.setValue(horizontal.value() + dx * horizontal.singleStep())
        vertical.setValue(vertical.value() + dy * vertical.singleStep())
        self._update_ghost(pos)

    # --- internals ----------------------------------------------------------------------------------------------

    def _geometry_or_fail(self) -> GridGeometry:
        if self._geometry is None:
            raise RuntimeError("the schedule grid has no view yet")
        return self._geometry

    def _rebuild(self) -> None:
        if self._view is None:
            return
        self._geometry = GridGeometry(self._view, self._slot_minutes, self._available_width(), self._metrics)
        self._painter.reset()
        self._update_scrollbars()
        self.viewport().update()

    def _available_width(self) -> int:
        return max(self.viewport().width() - self._metrics.row_header_width, 0)

    def _fitted_slot_width(self) -> int:
        return self._geometry_or_fail().fitted_slot_width(self._available_width())

    def _update_scrollbars(self) -> None:
        geometry = self._geometry
        content = self._content_rect().toRect()
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        width = geometry.width if geometry else 0
        height = geometry.height if geometry else 0
        horizontal.setRange(0, max(width - content.width(), 0))
        horizontal.setPageStep(max(content.width(), 1))
        horizontal.setSingleStep(geometry.slot_width if geometry else 20)
        vertical.setRange(0, max(height - content.height(), 0))
        vertical.setPageStep(max(content.height(), 1))
        vertical.setSingleStep(self._metrics.row_height // 3)

    def _content_rect(self) -> QRectF:
        viewport = self.viewport().rect()
        left, top = self._metrics.row_header_width, self._metrics.header_height
        return QRectF(left, top, max(viewport.width() - left, 0), max(viewport.height() - top, 0))

    def _content_origin(self) -> QPointF:
        """Viewport position of the content's (0, 0)."""
        return QPointF(self._metrics.row_header_width - self.horizontalScrollBar().value(),
                       self._metrics.header_height - self.verticalScrollBar().value())  # fmt: skip

    def _to_content(self, pos: QPoint) -> tuple[float, float]:
        origin = self._content_origin()
        return pos.x() - origin.x(), pos.y() - origin.y()

    def _block_at(self, pos: QPoint) -> Block | None:
        if self._geometry is None or not self._content_rect().contains(pos):
            return None
        return self._geometry.block_at(*self._to_content(pos))

    def _row_id(self, row_index: int) -> int:
        return self._geometry_or_fail().view.rows[row_index].id

    def _paint_state(self) -> PaintState:
        geometry = self._geometry_or_fail()
        index = geometry.booking_index_by_id
        return PaintState(
            geometry, self.horizontalScrollBar().value(), self.verticalScrollBar().value(),
            index.get(self._selected) if self._selected is not None else None, self._ghost,
            geometry.minutes_of(self._now) if self._now is not None else None,
            {index[key]: message for key, (message, _deadline) in self._refusals.items() if key in index},
        )  # fmt: skip

    def _set_selection(self, booking_id: int | None, row_id: int | None) -> None:
        changed = booking_id != self._selected
        self._selected, self._selected_row = booking_id, row_id
        if changed:
            if booking_id is None:
                self.selection_cleared.emit()
            else:
                self.booking_selected.emit(booking_id)
        self.viewport().update()

    def _move_selection(self, key: int) -> None:
        geometry = self._geometry_or_fail()
        target: tuple[int, int] | None = None  # (booking index, row index)
        current = geometry.booking_index_by_id.get(self._selected) if self._selected is not None else None
        row = geometry.row_index_by_id.get(self._selected_row) if self._selected_row is not None else None
        if current is None or row is None:
            target = self._first_visible_booking()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            found = geometry.neighbour_in_row(row, current, -1 if key == Qt.Key.Key_Left else 1)
            target = (found, row) if found is not None else None
        else:
            entry = next(entry for entry in geometry.entries[row] if entry.booking_index == current)
            step = -1 if key == Qt.Key.Key_Up else 1
            other = row + step
            while 0 <= other < len(geometry.entries) and target is None:
                found = geometry.nearest_in_row(other, (entry.start + entry.end) / 2)
                target = (found, other) if found is not None else None
                other += step
        if target is None:
            return
        booking_index, row_index = target
        self._set_selection(geometry.view.bookings[booking_index].id, self._row_id(row_index))
        block = next(block for block in geometry.blocks_of(geometry.view.bookings[booking_index].id)
                     if block.row_index == row_index)  # fmt: skip
        self._ensure_visible(block)

    def _first_visible_booking(self) -> tuple[int, int] | None:
        """With nothing selected an arrow picks the booking nearest the left edge on the first visible row."""
        geometry = self._geometry_or_fail()
        left = geometry.minutes_at(self.horizontalScrollBar().value())
        top = self.verticalScrollBar().value()
        for row, line in enumerate(geometry.row_lines):
            if line.bottom > top:
                found = geometry.nearest_in_row(row, left)
                if found is not None:
                    return found, row
        return None

    def _ensure_visible(self, block: Block) -> None:
        content = self._content_rect()
        for bar, start, size, room in (
            (self.horizontalScrollBar(), block.x, block.w, content.width()),
            (self.verticalScrollBar(), block.y, block.h, content.height()),
        ):
            value = bar.value()
            if start < value + 8:
                bar.setValue(int(start) - 8)
            elif start + size > value + room - 8:
                bar.setValue(int(min(start - 8, start + size - room + 8)))

    def _update_cursor(self, pos: QPoint) -> None:
        block = self._block_at(pos)
        if block is None:
            self.viewport().unsetCursor()
            return
        mode = _drag_mode(block, self._to_content(pos)[0])
        shape = Qt.CursorShape.OpenHandCursor if mode is DragMode.MOVE else Qt.CursorShape.SizeHorCursor
        self.viewport().setCursor(QCursor(shape))

    def _update_ghost(self, pos: QPoint) -> None:
        press, geometry = self._press, self._geometry
        if press is None or geometry is None:
            return
        x, y = self._to_content(pos)
        delta = geometry.minutes_at(x) - press.minutes
        slot = geometry.slot_minutes
        row = press.row_index
        start: float
        end: float
        if press.mode is DragMode.MOVE:
            start = geometry.snap(press.start + delta)
            end = start + (press.end - press.start)
            y = min(max(y, 0), geometry.height - 1)
            found = geometry.row_at(y)
            # Over a group heading the ghost stays on the row it was on.
            row = found if found is not None else (self._ghost.row_index if self._ghost else press.row_index)
        elif press.mode is DragMode.END:
            start, end = press.start, max(geometry.snap(press.end + delta), press.start + slot)
        else:
            start, end = min(geometry.snap(press.start + delta), press.end - slot), press.end
        label = f"{geometry.moment_at(start):%H:%M}–{geometry.moment_at(end):%H:%M}"
        self._ghost = Ghost(geometry.booking_index_by_id[press.booking_id], row, start, end, label)
        self.viewport().update()

    def _resume_press(self) -> None:
        """A new view arrived mid-drag: carry on with the booking's new data, or drop the drag if it went."""
        press, geometry = self._press, self._geometry
        assert press is not None and geometry is not None
        index = geometry.booking_index_by_id.get(press.booking_id)
        entries = [entry for entry in geometry.entries[press.row_index] if entry.booking_index == index] if (
            index is not None and press.row_index < len(geometry.entries)) else []  # fmt: skip
        if not entries:
            self._end_drag()
            return
        press.start, press.end = entries[0].start, entries[0].end
        if press.dragging:
            self._update_ghost(self._last_drag_pos)

    def _end_drag(self) -> None:
        self._press = None
        self._autoscroll_timer.stop()
        if self._ghost is not None:
            self._ghost = None
            self.viewport().update()

    def _tooltip_at(self, pos: QPoint) -> str:
        geometry = self._geometry
        if geometry is None:
            return ""
        if pos.x() < self._metrics.row_header_width and pos.y() >= self._metrics.header_height:
            row = geometry.row_at(self._to_content(pos)[1])
            if row is None:
                return ""
            grid_row = geometry.view.rows[row]
            return html.escape(grid_row.name) + (f"<br>{html.escape(_('Lift'))}" if grid_row.is_lift else "")
        block = self._block_at(pos)
        if block is None:
            return ""
        booking = geometry.view.bookings[block.booking_index]
        return booking_tooltip(booking, self.refusal_message(booking.id))


def booking_tooltip(booking: GridBooking, refusal: str | None = None) -> str:
    """Everything about a booking as tooltip rich text (all data escaped: names may hold "<")."""
    start, end = booking.starts_at, booking.ends_at
    when = f"{format_date(start.date())}, {start:%H:%M}–{end:%H:%M}"
    if end.date() != start.date():
        when = f"{format_date(start.date())} {start:%H:%M} – {format_date(end.date())} {end:%H:%M}"
    lines = [f"<b>{html.escape(booking.client_name)}</b>",
             html.escape(" · ".join(part for part in (booking.car, booking.plate) if part)),
             html.escape(booking.jobs), html.escape(when),
             html.escape(_("Status: {status}").format(status=_(STATUS_LABELS[booking.status])))]  # fmt: skip
    if booking.is_test_drive:
        lines.append(f"<i>{html.escape(_('Test drive'))}</i>")
    if booking.comment:
        lines.append(html.escape(booking.comment))
    if refusal:
        lines.append(f"<span style='color:#c62828'>{html.escape(refusal)}</span>")
    return "<br>".join(line for line in lines if line)


def _drag_mode(block: Block, x: float) -> DragMode:
    """Which part of a block a press at content *x* grabs; narrow blocks keep most of their width for moving."""
    grip = min(EDGE_GRIP, block.w / 4)
    if not block.cut_end and x >= block.x + block.w - grip:
        return DragMode.END
    if not block.cut_start and x < block.x + grip:
        return DragMode.START
    return DragMode.MOVE
