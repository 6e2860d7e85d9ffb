"""Painting of the schedule grid: only what the exposed rectangle shows, from geometry computed beforehand."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPolygonF

from autoservice_desk.formatting import babel_locale
from autoservice_desk.i18n import _
from autoservice_desk.services.schedule_view import BookingStatus, GridBooking, RowKind
from autoservice_desk.ui.screens.schedule.grid_geometry import MINUTES_PER_DAY, Block, GridGeometry

TEXT_POINT_SIZE = 9.0
HOUR_POINT_SIZE = 8.0
LIFT_GLYPH = "⇕"
MIN_TEXT_WIDTH = 34  # narrower blocks would show only "…": their tooltip tells the rest
ELIDED_KEPT = 20_000
BLOCK_TEXT = QColor("#1f2328")  # blocks have light fills in every theme, so their text is always dark
MUTED_TEXT = QColor("#6b7280")
NOW_COLOUR = QColor("#e53935")
REFUSAL_COLOUR = QColor("#c62828")
TEST_DRIVE_COLOUR = QColor("#8e44ad")
LIFT_COLOUR = QColor("#2f6fbf")


@dataclass(frozen=True)
class StatusStyle:
    fill: QColor
    accent: QColor
    hatched: bool = False


STATUS_STYLES = {
    BookingStatus.BOOKED: StatusStyle(QColor("#e1ecfb"), QColor("#3d7bd9")),
    BookingStatus.CONFIRMED: StatusStyle(QColor("#d7f1ea"), QColor("#1f9e89")),
    BookingStatus.ARRIVED: StatusStyle(QColor("#fff0c2"), QColor("#c99400")),
    BookingStatus.IN_WORK: StatusStyle(QColor("#ffe1cc"), QColor("#e0701f")),
    BookingStatus.DONE: StatusStyle(QColor("#e0efd8"), QColor("#4f9a35")),
    BookingStatus.NO_SHOW: StatusStyle(QColor("#ececec"), QColor("#9e9e9e"), hatched=True),
    BookingStatus.CANCELLED: StatusStyle(QColor("#f3f3f3"), QColor("#b3b3b3"), hatched=True),
}


@dataclass(frozen=True)
class Ghost:
    """Where a dragged block would land, in grid minutes."""

    booking_index: int
    row_index: int
    start: float
    end: float
    label: str


@dataclass
class PaintState:
    """What the widget knows beyond the geometry: scroll offsets, selection, drag, now and refusals."""

    geometry: GridGeometry
    scroll_x: int
    scroll_y: int
    selected: int | None = None  # booking index
    ghost: Ghost | None = None
    now: float | None = None  # grid minutes
    refusals: dict[int, str] = field(default_factory=dict)  # booking index -> message


def day_titles(day: date) -> tuple[str, ...]:
    """Titles of a day from the longest to the shortest, in the active language; the painter takes what fits."""
    from babel.dates import format_date

    locale = babel_locale()
    titles = (format_date(day, "EEEE, d MMMM", locale=locale), format_date(day, "EEE, d MMM", locale=locale),
              format_date(day, "EEE d", locale=locale))  # fmt: skip
    return tuple(str(title)[:1].upper() + str(title)[1:] for title in titles)


class GridPainter:
    """Draws the content, the fixed time header, the fixed row headers and the corner."""

    def __init__(self, base_font: QFont) -> None:
        self.font = QFont(base_font)
        self.font.setPointSizeF(TEXT_POINT_SIZE)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.small = QFont(self.font)
        self.small.setPointSizeF(HOUR_POINT_SIZE)
        self.metrics = QFontMetrics(self.font)
        self.bold_metrics = QFontMetrics(self.bold)
        self.small_metrics = QFontMetrics(self.small)
        self.line_height = self.metrics.height()
        # By the booking's content and width, so a refresh that brings the same bookings back elides nothing.
        self._elided: dict[tuple[GridBooking, int], tuple[str, str, str]] = {}
        self._titles: dict[date, tuple[str, ...]] = {}

    def reset(self) -> None:
        """A new geometry: keep the elided texts unless they pile up (each week and slot size adds its own)."""
        if len(self._elided) > ELIDED_KEPT:
            self._elided.clear()

    # --- the whole viewport -------------------------------------------------------------------------------------

    def paint(self, painter: QPainter, viewport: QRect, exposed: QRect, palette: QPalette, state: PaintState) -> None:
        metrics = state.geometry.metrics
        left, top = metrics.row_header_width, metrics.header_height
        content = QRect(left, top, max(viewport.width() - left, 0), max(viewport.height() - top, 0))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        area = content.intersected(exposed)
        if not area.isEmpty():
            painter.save()
            painter.setClipRect(area)
            painter.translate(left - state.scroll_x, top - state.scroll_y)
            self._paint_content(painter, QRectF(area.translated(state.scroll_x - left, state.scroll_y - top)),
                                palette, state)  # fmt: skip
            painter.restore()
        strip = QRect(left, 0, content.width(), top).intersected(exposed)
        if not strip.isEmpty():
            painter.save()
            painter.setClipRect(strip)
            painter.translate(left - state.scroll_x, 0)
            self._paint_time_header(painter, strip.left() - left + state.scroll_x, strip.right() - left +
                                    state.scroll_x + 1, palette, state)  # fmt: skip
            painter.restore()
        column = QRect(0, top, left, content.height()).intersected(exposed)
        if not column.isEmpty():
            painter.save()
            painter.setClipRect(column)
            painter.translate(0, top - state.scroll_y)
            self._paint_row_headers(painter, column.top() - top + state.scroll_y, column.bottom() - top +
                                    state.scroll_y + 1, palette, state.geometry)  # fmt: skip
            painter.restore()
        if exposed.intersects(QRect(0, 0, left, top)):
            self._paint_corner(painter, QRect(0, 0, left, top), palette, state.geometry)

    # --- content ------------------------------------------------------------------------------------------------

    def _paint_content(self, painter: QPainter, visible: QRectF, palette: QPalette, state: PaintState) -> None:
        geometry = state.geometry
        x0, y0, x1, y1 = visible.left(), visible.top(), visible.right() + 1, visible.bottom() + 1
        painter.fillRect(visible, palette.color(QPalette.ColorRole.Base))
        lines = geometry.lines_between(y0, y1)
        closed_fill = _blend(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Mid), 0.18)
        closed_hatch = QBrush(_with_alpha(palette.color(QPalette.ColorRole.Mid), 70), Qt.BrushStyle.BDiagPattern)
        for line in lines:
            if line.row_index < 0:
                continue
            for a, b in geometry.closed_spans[line.row_index]:
                if b >= x0 and a <= x1:
                    span = QRectF(a, line.top, b - a, line.height)
                    painter.fillRect(span, closed_fill)
                    painter.fillRect(span, closed_hatch)
        self._paint_slot_lines(painter, x0, y0, x1, y1, palette, geometry)
        heading = _blend(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Mid), 0.35)
        separators: list[QLineF] = []
        for line in lines:
            if line.row_index < 0:
                painter.fillRect(QRectF(x0, line.top, x1 - x0, line.height), heading)
            separators.append(QLineF(x0, line.bottom - 0.5, x1, line.bottom - 0.5))
        painter.setPen(QPen(_with_alpha(palette.color(QPalette.ColorRole.Mid), 150), 1))
        painter.drawLines(separators)
        if geometry.days > 1:
            gap_colour = palette.color(QPalette.ColorRole.Mid)
            for day in range(geometry.days - 1):
                gap_x = day * geometry.day_pitch + geometry.day_width
                if gap_x <= x1 and gap_x + geometry.metrics.day_gap >= x0:
                    painter.fillRect(QRectF(gap_x, y0, geometry.metrics.day_gap, y1 - y0), gap_colour)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        outlined: list[tuple[Block, QColor]] = []
        for block in geometry.blocks_between(x0, y0, x1, y1):
            self._paint_block(painter, block, geometry.view.bookings[block.booking_index], state.ghost is not None
                              and state.ghost.booking_index == block.booking_index)  # fmt: skip
            if block.booking_index in state.refusals:
                outlined.append((block, REFUSAL_COLOUR))
            elif block.booking_index == state.selected:
                outlined.append((block, palette.color(QPalette.ColorRole.Highlight)))
        for block, colour in outlined:
            painter.setPen(QPen(colour, 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(block.x, block.y, block.w, block.h).adjusted(-1, -1, 1, 1), 5, 5)
        if state.now is not None:
            self._paint_now(painter, y0, y1, state)
        if state.ghost is not None:
            self._paint_ghost(painter, state.ghost, palette, geometry)
        for block, colour in outlined:
            if colour == REFUSAL_COLOUR:
                self._paint_refusal(painter, block, state.refusals[block.booking_index], geometry)

    def _paint_slot_lines(self, painter: QPainter, x0: float, y0: float, x1: float, y1: float, palette: QPalette,
                          geometry: GridGeometry) -> None:  # fmt: skip
        hours: list[QLineF] = []
        slots: list[QLineF] = []
        per_hour = 60 // geometry.slot_minutes
        for day in range(geometry.days):
            left = day * geometry.day_pitch
            if left > x1 or left + geometry.day_width < x0:
                continue
            first = max(math.ceil((x0 - left) / geometry.slot_width), 1)
            last = min(math.floor((x1 - left) / geometry.slot_width), geometry.day_width // geometry.slot_width - 1)
            for slot in range(first, last + 1):
                x = left + slot * geometry.slot_width - 0.5
                (hours if slot % per_hour == 0 else slots).append(QLineF(x, y0, x, y1))
        mid = palette.color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(_with_alpha(mid, 60), 1))
        painter.drawLines(slots)
        painter.setPen(QPen(_with_alpha(mid, 140), 1))
        painter.drawLines(hours)

    def _paint_block(self, painter: QPainter, block: Block, booking: GridBooking, dragged: bool) -> None:
        style = STATUS_STYLES[booking.status]
        rect = QRectF(block.x, block.y, block.w, block.h)
        if block.w < MIN_TEXT_WIDTH and not (dragged or booking.is_test_drive or style.hatched):
            # A week shows hundreds of these slivers: a frame and a stripe by three fills, without the rounded
            # antialiased outline that costs five times as much and cannot be told apart at this size.
            painter.fillRect(rect, style.accent)
            painter.fillRect(rect.adjusted(1, 1, -1, -1), style.fill)
            if not block.cut_start and block.w > 8:
                painter.fillRect(QRectF(block.x + 1.5, block.y + 2, 3, block.h - 4), style.accent)
            return
        painter.setOpacity(0.45 if dragged else 1.0)  # the original fades while its ghost is dragged
        if booking.is_test_drive:
            painter.setPen(QPen(TEST_DRIVE_COLOUR, 1.5, Qt.PenStyle.DashLine))
        else:
            painter.setPen(QPen(style.accent, 1))
        painter.setBrush(style.fill)
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        if style.hatched:
            painter.fillRect(rect.adjusted(1, 1, -1, -1), QBrush(_with_alpha(style.accent, 110),
                                                                 Qt.BrushStyle.BDiagPattern))  # fmt: skip
        if booking.is_test_drive:
            painter.fillRect(rect.adjusted(1, 1, -1, -1), QBrush(_with_alpha(TEST_DRIVE_COLOUR, 45),
                                                                 Qt.BrushStyle.FDiagPattern))  # fmt: skip
        if not block.cut_start and block.w > 8:
            # The status colour as a stripe on the left makes statuses tell apart even on tiny blocks.
            painter.fillRect(QRectF(block.x + 1.5, block.y + 2, 3, block.h - 4),
                             TEST_DRIVE_COLOUR if booking.is_test_drive else style.accent)  # fmt: skip
        if block.w >= MIN_TEXT_WIDTH:
            self._paint_block_text(painter, block, booking, style)
        painter.setOpacity(1.0)

    def _paint_block_text(self, painter: QPainter, block: Block, booking: GridBooking, style: StatusStyle) -> None:
        width = int(block.w) - 11
        texts = self._elided.get((booking, width))
        if texts is None:
            car = " · ".join(part for part in (booking.car, booking.plate) if part)
            jobs = booking.jobs
            if booking.is_test_drive:
                # The name and the car matter most; the dashed violet frame already marks a test drive.
                jobs = f"{_('Test drive')}: {jobs}" if jobs else _("Test drive")
            texts = (self.bold_metrics.elidedText(booking.client_name, Qt.TextElideMode.ElideRight, width),
                     self.metrics.elidedText(car, Qt.TextElideMode.ElideRight, width),
                     self.metrics.elidedText(jobs, Qt.TextElideMode.ElideRight, width))  # fmt: skip
            self._elided[(booking, width)] = texts
        room = int((block.h - 4) // self.line_height)
        x = block.x + 7
        baseline = block.y + 2 + self.metrics.ascent()
        painter.setPen(MUTED_TEXT if style.hatched else BLOCK_TEXT)
        for number, text in enumerate(texts[: max(room, 1 if block.h >= self.line_height else 0)]):
            painter.setFont(self.bold if number == 0 else self.font)
            painter.drawText(QPointF(x, baseline + number * self.line_height), text)

    def _paint_now(self, painter: QPainter, y0: float, y1: float, state: PaintState) -> None:
        geometry = state.geometry
        assert state.now is not None
        within = state.now % MINUTES_PER_DAY
        if not (0 <= state.now < geometry.days * MINUTES_PER_DAY and geometry.day_start <= within <= geometry.day_end):
            return
        x = round(geometry.x_of(state.now))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # a crisp line, not a pink smear
        painter.setPen(QPen(NOW_COLOUR, 2))
        painter.drawLine(QLineF(x, y0, x, min(y1, geometry.height)))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    def _paint_ghost(self, painter: QPainter, ghost: Ghost, palette: QPalette, geometry: GridGeometry) -> None:
        line = geometry.row_lines[ghost.row_index]
        style = STATUS_STYLES[geometry.view.bookings[ghost.booking_index].status]
        y = line.top + geometry.metrics.block_margin
        h = line.height - 2 * geometry.metrics.block_margin
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine))
        painter.setBrush(_with_alpha(style.fill, 200))
        for x0, x1, _cut_start, _cut_end in geometry.day_spans(ghost.start, ghost.end):
            rect = QRectF(x0 + 1, y, max(x1 - x0 - 2, 4.0), h)
            painter.drawRoundedRect(rect, 4, 4)
        first = next(geometry.day_spans(ghost.start, ghost.end), None)
        if first is not None:
            painter.setFont(self.bold)
            painter.setPen(BLOCK_TEXT)
            painter.drawText(QPointF(first[0] + 7, y + 2 + self.metrics.ascent()), ghost.label)

    def _paint_refusal(self, painter: QPainter, block: Block, message: str, geometry: GridGeometry) -> None:
        text = self.metrics.elidedText(message, Qt.TextElideMode.ElideRight, 420)
        width = self.metrics.horizontalAdvance(text) + 14
        height = self.line_height + 8
        # Below the block, or above it on the last row, so the message never hides the block it is about.
        y = block.y + block.h + 3 if block.y + block.h + height + 3 <= geometry.height else block.y - height - 3
        bubble = QRectF(block.x, y, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(REFUSAL_COLOUR)
        painter.drawRoundedRect(bubble, 4, 4)
        painter.setFont(self.font)
        painter.setPen(QColor("white"))
        painter.drawText(QPointF(bubble.left() + 7, bubble.top() + 4 + self.metrics.ascent()), text)

    # --- headers ------------------------------------------------------------------------------------------------

    def _paint_time_header(self, painter: QPainter, x0: float, x1: float, palette: QPalette,
                           state: PaintState) -> None:  # fmt: skip
        geometry = state.geometry
        height = geometry.metrics.header_height
        title_height = height // 2
        painter.fillRect(QRectF(x0, 0, x1 - x0, height), palette.color(QPalette.ColorRole.Window))
        mid = palette.color(QPalette.ColorRole.Mid)
        text = palette.color(QPalette.ColorRole.WindowText)
        per_hour = 60 // geometry.slot_minutes
        # Label every hour where it fits, else every second or third one, so narrow week columns stay readable.
        label_width = self.small_metrics.horizontalAdvance("00:00") + 8
        label_every = max(1, math.ceil(label_width / (geometry.slot_width * per_hour)))
        for day in range(geometry.days):
            left = day * geometry.day_pitch
            right = left + geometry.day_width
            if left > x1 or right < x0:
                continue
            # The title stays inside the visible part of its day, so a half-scrolled day still says which it is.
            shown_left, shown_right = max(left, x0), min(right, x1)
            title = self._fitting_title(geometry.view.first_day.toordinal() + day, shown_right - shown_left - 8)
            painter.setFont(self.bold)
            painter.setPen(text)
            painter.drawText(QRectF(shown_left + 4, 0, shown_right - shown_left - 8, title_height),
                             Qt.AlignmentFlag.AlignCenter, title)  # fmt: skip
            painter.setFont(self.small)
            slots = geometry.day_width // geometry.slot_width
            first = max(math.floor((x0 - left) / geometry.slot_width) - per_hour, 0)
            last = min(math.ceil((x1 - left) / geometry.slot_width), slots)
            for slot in range(first, last + 1):
                x = left + slot * geometry.slot_width - 0.5
                is_hour = slot % per_hour == 0
                painter.setPen(QPen(mid, 1))
                painter.drawLine(QLineF(x, height - (12 if is_hour else 5), x, height))
                if is_hour and slot < slots and (slot // per_hour) % label_every == 0 and x + label_width - 4 <= right:
                    hour = (geometry.day_start + slot * geometry.slot_minutes) // 60
                    painter.setPen(text)
                    painter.drawText(QPointF(x + 4, height - 4 - self.small_metrics.descent()), f"{hour:02d}:00")
            painter.setPen(QPen(mid, 1))
            painter.drawLine(QLineF(left, title_height + 0.5, right, title_height + 0.5))
            if day < geometry.days - 1:
                painter.fillRect(QRectF(right, 0, geometry.metrics.day_gap, height), mid)
        painter.setPen(QPen(mid, 1))
        painter.drawLine(QLineF(x0, height - 0.5, x1, height - 0.5))
        now = state.now
        if now is not None and 0 <= now < geometry.days * MINUTES_PER_DAY:
            if geometry.day_start <= now % MINUTES_PER_DAY <= geometry.day_end:
                x = geometry.x_of(now)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(NOW_COLOUR)
                painter.drawPolygon(QPolygonF([QPointF(x - 5, height - 7), QPointF(x + 5, height - 7),
                                               QPointF(x, height)]))  # fmt: skip

    def _fitting_title(self, ordinal: int, width: float) -> str:
        day = date.fromordinal(ordinal)
        titles = self._titles.get(day)
        if titles is None:
            titles = self._titles[day] = day_titles(day)
        for title in titles:
            if self.bold_metrics.horizontalAdvance(title) <= width:
                return title
        return titles[-1]

    def _paint_row_headers(self, painter: QPainter, y0: float, y1: float, palette: QPalette,
                           geometry: GridGeometry) -> None:  # fmt: skip
        width = geometry.metrics.row_header_width
        window = palette.color(QPalette.ColorRole.Window)
        heading = _blend(window, palette.color(QPalette.ColorRole.Mid), 0.35)
        text = palette.color(QPalette.ColorRole.WindowText)
        mid = palette.color(QPalette.ColorRole.Mid)
        painter.fillRect(QRectF(0, y0, width, y1 - y0), window)
        glyph_width = self.bold_metrics.horizontalAdvance(LIFT_GLYPH) + 4
        for line in geometry.lines_between(y0, y1):
            if line.row_index < 0:
                painter.fillRect(QRectF(0, line.top, width, line.height), heading)
                painter.setFont(self.bold)
                painter.setPen(text)
                title = self.bold_metrics.elidedText(line.title, Qt.TextElideMode.ElideRight, width - 16)
                painter.drawText(QRectF(8, line.top, width - 16, line.height), Qt.AlignmentFlag.AlignVCenter, title)
            else:
                row = geometry.view.rows[line.row_index]
                x = 10
                middle = line.top + (line.height + self.bold_metrics.ascent() - self.bold_metrics.descent()) / 2
                painter.setFont(self.bold)
                if row.is_lift:
                    painter.setPen(LIFT_COLOUR)
                    painter.drawText(QPointF(x, middle), LIFT_GLYPH)
                    x += glyph_width
                painter.setPen(text)
                name = self.bold_metrics.elidedText(row.name, Qt.TextElideMode.ElideRight, width - x - 8)
                painter.drawText(QPointF(x, middle), name)
            painter.setPen(QPen(mid, 1))
            painter.drawLine(QLineF(0, line.bottom - 0.5, width, line.bottom - 0.5))
        painter.drawLine(QLineF(width - 0.5, y0, width - 0.5, y1))

    def _paint_corner(self, painter: QPainter, rect: QRect, palette: QPalette, geometry: GridGeometry) -> None:
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Window))
        painter.setFont(self.bold)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        label = _("Mechanics") if geometry.view.row_kind == RowKind.MECHANIC else _("Bays and lifts")
        label = self.bold_metrics.elidedText(label, Qt.TextElideMode.ElideRight, rect.width() - 16)
        painter.drawText(QRectF(rect).adjusted(10, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, label)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(QLineF(rect.right() + 0.5, 0, rect.right() + 0.5, rect.bottom() + 1))
        painter.drawLine(QLineF(0, rect.bottom() + 0.5, rect.right() + 1, rect.bottom() + 0.5))


def _with_alpha(colour: QColor, alpha: int) -> QColor:
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


def _blend(base: QColor, other: QColor, amount: float) -> QColor:
    """*base* moved *amount* of the way towards *other*: tints that follow a light or a dark palette."""
    return QColor(round(base.red() + (other.red() - base.red()) * amount),
                  round(base.green() + (other.green() - base.green()) * amount),
                  round(base.blue() + (other.blue() - base.blue()) * amount))  # fmt: skip
