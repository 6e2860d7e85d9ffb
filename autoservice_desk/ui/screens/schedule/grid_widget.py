"""The bay-and-lift schedule grid: a painted, scrollable day or week of rows with booking blocks; it only emits signals.

The time header and the row headers stay in place while the content scrolls under them. The grid never writes
anything: a double-click, a drag or a key becomes a signal, and the owner answers with a new view (`set_view`) or
with `flash_refusal` when the service said no. Until then a dragged block snaps back to where the view has it.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QFocusEvent, QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from autoservice_desk.clock import Clock, utc_now
from autoservice_desk.services.schedule_view import ScheduleView
from autoservice_desk.ui.screens.schedule.grid_drag import (
    DragMode,
    DragTracker,
    autoscroll_step,
    drag_mode,
    is_moved,
    near_edge,
)
from autoservice_desk.ui.screens.schedule.grid_geometry import SLOT_CHOICES, Block, GridGeometry, Metrics
from autoservice_desk.ui.screens.schedule.grid_navigation import arrow_target
from autoservice_desk.ui.screens.schedule.grid_painter import GridPainter, PaintState
from autoservice_desk.ui.screens.schedule.grid_tooltip import booking_tooltip, row_tooltip

REFUSAL_SECONDS = 5.0
NOW_REFRESH_MS = 30_000  # the red line moves at least once a minute without a timer per second
AUTOSCROLL_MS = 40
ARROW_STEPS: dict[int, tuple[int, int]] = {  # (dx, dy) for the pure navigation, which knows no Qt keys
    Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1),
}  # fmt: skip


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
        self._drag = DragTracker()
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
        if self._drag.press is not None:
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
        self._drag.begin(block, geometry, pos, self._to_content(pos)[0])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Drag the ghost once the press has moved far enough; otherwise show which cursor a press would get."""
        pos = event.position().toPoint()
        if self._drag.press is None:
            self._update_cursor(pos)
            return
        if self._drag.move_to(pos, QApplication.startDragDistance()):
            self._update_ghost(pos)
            if near_edge(pos, self._content_rect()) and not self._autoscroll_timer.isActive():
                self._autoscroll_timer.start()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Drop: ask for the move if the ghost is somewhere else; the block stays until a new view comes."""
        press, ghost = self._drag.press, self._drag.ghost
        self._end_drag()
        if event.button() != Qt.MouseButton.LeftButton or press is None or ghost is None or self._geometry is None:
            return
        if not is_moved(press, ghost):
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
        if key == Qt.Key.Key_Escape and self._drag.press is not None:
            self._end_drag()
        elif key in ARROW_STEPS and self._geometry:
            self._move_selection(ARROW_STEPS[key])
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
        if not self._drag.dragging:
            self._autoscroll_timer.stop()
            return
        pos = self._drag.last_pos
        dx, dy = autoscroll_step(pos, self._content_rect())
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
            index.get(self._selected) if self._selected is not None else None, self._drag.ghost,
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

    def _move_selection(self, step: tuple[int, int]) -> None:
        geometry = self._geometry_or_fail()
        current = geometry.booking_index_by_id.get(self._selected) if self._selected is not None else None
        row = geometry.row_index_by_id.get(self._selected_row) if self._selected_row is not None else None
        target = arrow_target(geometry, current, row, step, geometry.minutes_at(self.horizontalScrollBar().value()),
                              self.verticalScrollBar().value())  # fmt: skip
        if target is None:
            return
        booking_index, row_index = target
        self._set_selection(geometry.view.bookings[booking_index].id, self._row_id(row_index))
        block = next(block for block in geometry.blocks_of(geometry.view.bookings[booking_index].id)
                     if block.row_index == row_index)  # fmt: skip
        self._ensure_visible(block)

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
        mode = drag_mode(block, self._to_content(pos)[0])
        shape = Qt.CursorShape.OpenHandCursor if mode is DragMode.MOVE else Qt.CursorShape.SizeHorCursor
        self.viewport().setCursor(QCursor(shape))

    def _update_ghost(self, pos: QPoint) -> None:
        if self._drag.press is not None and self._geometry is not None:
            self._drag.update_ghost(self._geometry, *self._to_content(pos))
            self.viewport().update()

    def _resume_press(self) -> None:
        """A new view arrived mid-drag: carry on with the booking's new data, or drop the drag if it went."""
        assert self._geometry is not None
        if not self._drag.resume(self._geometry):
            self._end_drag()
        elif self._drag.dragging:
            self._update_ghost(self._drag.last_pos)

    def _end_drag(self) -> None:
        self._autoscroll_timer.stop()
        if self._drag.end():
            self.viewport().update()

    def _tooltip_at(self, pos: QPoint) -> str:
        geometry = self._geometry
        if geometry is None:
            return ""
        if pos.x() < self._metrics.row_header_width and pos.y() >= self._metrics.header_height:
            row = geometry.row_at(self._to_content(pos)[1])
            return row_tooltip(geometry.view.rows[row]) if row is not None else ""
        block = self._block_at(pos)
        if block is None:
            return ""
        booking = geometry.view.bookings[block.booking_index]
        return booking_tooltip(booking, self.refusal_message(booking.id))
