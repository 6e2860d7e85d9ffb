"""Layout math of the schedule grid: where lines, days, slots and booking blocks sit, in content pixels (no Qt).

Time inside the grid is "grid minutes": wall-clock minutes in the shop's zone counted from midnight of the first
shown day (day *d* at 09:00 is ``d * 1440 + 540``). Wall-clock, not elapsed, so a day always has the same width.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from autoservice_desk.services.schedule_view import ScheduleView

MINUTES_PER_DAY = 1440
SLOT_CHOICES = (15, 30, 60)
# The narrowest slot that still shows a readable hour label and a grabbable block; wider when the window allows.
MIN_SLOT_WIDTH = {15: 18, 30: 30, 60: 48}
# A week is an overview: narrower columns show more days at once; the blocks' tooltips carry the details.
MIN_WEEK_SLOT_WIDTH = {15: 10, 30: 18, 60: 30}


@dataclass(frozen=True)
class Metrics:
    """Fixed sizes in pixels; fonts are fixed in points, so these hold on every desk."""

    row_header_width: int = 180
    header_height: int = 44  # day title over hour labels
    row_height: int = 60  # three lines of 9 pt text
    group_height: int = 24
    day_gap: int = 6  # between the days of a week
    block_margin: int = 3  # free space above and below a block inside its row


@dataclass(frozen=True, slots=True)
class Line:
    """One horizontal band of the grid: a row, or a group heading when *row_index* is -1."""

    top: int
    height: int
    row_index: int
    title: str = ""

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True, slots=True)
class Block:
    """The part of one booking on one row within one day, in content pixels."""

    booking_index: int
    row_index: int
    x: float
    y: float
    w: float
    h: float
    cut_start: bool  # the booking goes on before the shown hours: no left edge to drag here
    cut_end: bool

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h


@dataclass(frozen=True, slots=True)
class Entry:
    """A booking on a row in grid minutes, for navigation and lane assignment."""

    start: float
    end: float
    booking_index: int


@dataclass(frozen=True, slots=True)
class _RowLayout:
    """A row's blocks sorted by left edge, their left edges for bisecting, and the widest block's width."""

    blocks: list[Block]
    xs: list[float]
    widest: float


class GridGeometry:
    """Everything the painter and the mouse need, computed once per view, slot size and width."""

    def __init__(
        self, view: ScheduleView, slot_minutes: int, available_width: int = 0, metrics: Metrics | None = None
    ) -> None:
        if slot_minutes not in SLOT_CHOICES:
            raise ValueError(f"slot_minutes must be one of {SLOT_CHOICES}, not {slot_minutes}")
        self.view = view
        self.metrics = metrics or Metrics()
        self.zone = ZoneInfo(view.timezone)
        self.slot_minutes = slot_minutes
        self.days = max(1, view.days)
        self.day_start = view.day_starts_hour * 60
        # A view with no open hour at all still gets one hour, so the grid never has zero width.
        self.day_end = max(view.day_ends_hour * 60, self.day_start + 60)
        self._origin = datetime.combine(view.first_day, time())
        gap = self.metrics.day_gap if self.days > 1 else 0
        self.slot_width = self.fitted_slot_width(available_width)
        self.px_per_minute = self.slot_width / slot_minutes
        self.day_width = (self.day_end - self.day_start) // slot_minutes * self.slot_width
        self.day_pitch = self.day_width + gap
        self.width = self.days * self.day_width + (self.days - 1) * gap
        self._layout_lines()
        self._layout_bookings()
        self._layout_closed()

    def fitted_slot_width(self, available_width: int) -> int:
        """Slot width for content *available_width* px wide: whole pixels keep grid lines sharp, and a day view
        stretches to fill a wide window instead of leaving it half empty."""
        gap = self.metrics.day_gap if self.days > 1 else 0
        slots = (self.day_end - self.day_start) // self.slot_minutes * self.days
        minimum = (MIN_WEEK_SLOT_WIDTH if self.days > 1 else MIN_SLOT_WIDTH)[self.slot_minutes]
        return max(minimum, (available_width - gap * (self.days - 1)) // slots)

    # --- time <-> x ---------------------------------------------------------------------------------------------

    def minutes_of(self, moment: datetime) -> float:
        """Grid minutes of an aware *moment* (converted into the shop's zone if it came in another)."""
        local = moment if moment.tzinfo is self.zone else moment.astimezone(self.zone)
        days = (local.date() - self.view.first_day).days
        return days * MINUTES_PER_DAY + local.hour * 60 + local.minute + local.second / 60

    def moment_at(self, minutes: float) -> datetime:
        """The aware wall-clock moment in the shop's zone at *minutes* grid minutes."""
        return (self._origin + timedelta(minutes=minutes)).replace(tzinfo=self.zone)

    def x_of(self, minutes: float) -> float:
        """Content x of a moment; times outside the shown hours stick to the nearest day edge."""
        day = math.floor(minutes / MINUTES_PER_DAY)
        if day < 0:
            return 0.0
        if day >= self.days:
            return float(self.width)
        within = min(max(minutes - day * MINUTES_PER_DAY, self.day_start), self.day_end)
        return day * self.day_pitch + (within - self.day_start) * self.px_per_minute

    def minutes_at(self, x: float) -> float:
        """Grid minutes at content *x*, clamped into the shown hours (the gap between days counts as closing time)."""
        day = min(max(int(x // self.day_pitch), 0), self.days - 1)
        within = min(max(x - day * self.day_pitch, 0.0), float(self.day_width))
        return day * MINUTES_PER_DAY + self.day_start + within / self.px_per_minute

    def slot_at(self, x: float) -> float | None:
        """Start of the slot under content *x*, or None in the gap between days and outside the grid."""
        if x < 0 or x >= self.width:
            return None
        day = int(x // self.day_pitch)
        within = x - day * self.day_pitch
        if within >= self.day_width:
            return None
        slot = int(within // self.slot_width)
        return day * MINUTES_PER_DAY + self.day_start + slot * self.slot_minutes

    def snap(self, minutes: float) -> int:
        """The nearest slot boundary (slots are aligned to the hour, and every slot length divides 60)."""
        return round(minutes / self.slot_minutes) * self.slot_minutes

    # --- lines --------------------------------------------------------------------------------------------------

    def _layout_lines(self) -> None:
        metrics = self.metrics
        self.lines: list[Line] = []
        self.row_lines: list[Line] = []
        self.row_index_by_id: dict[int, int] = {}
        top = 0
        group = ""
        for index, row in enumerate(self.view.rows):
            if row.group and row.group != group:
                self.lines.append(Line(top, metrics.group_height, -1, row.group))
                top += metrics.group_height
            group = row.group
            line = Line(top, metrics.row_height, index)
            self.lines.append(line)
            self.row_lines.append(line)
            self.row_index_by_id[row.id] = index
            top += metrics.row_height
        self.height = top
        self._line_tops = [line.top for line in self.lines]

    def lines_between(self, y0: float, y1: float) -> list[Line]:
        """The lines that meet content rows *y0* to *y1*."""
        first = max(bisect_right(self._line_tops, y0) - 1, 0)
        last = bisect_left(self._line_tops, y1)
        return self.lines[first:last]

    def line_at(self, y: float) -> Line | None:
        if y < 0 or y >= self.height:
            return None
        return self.lines[bisect_right(self._line_tops, y) - 1]

    def row_at(self, y: float) -> int | None:
        """Index of the row (not a heading) at content *y*, or None."""
        line = self.line_at(y)
        return line.row_index if line is not None and line.row_index >= 0 else None

    # --- bookings -----------------------------------------------------------------------------------------------

    def _layout_bookings(self) -> None:
        rows = len(self.view.rows)
        self.booking_index_by_id = {booking.id: index for index, booking in enumerate(self.view.bookings)}
        self.entries: list[list[Entry]] = [[] for _ in range(rows)]
        for index, booking in enumerate(self.view.bookings):
            start = self.minutes_of(booking.starts_at)
            end = max(self.minutes_of(booking.ends_at), start)
            for row_id in booking.row_ids:
                row = self.row_index_by_id.get(row_id)
                if row is not None:
                    self.entries[row].append(Entry(start, end, index))
        for entries in self.entries:
            entries.sort(key=lambda entry: (entry.start, entry.end))
        # Blocks are laid out per row when a row is first painted or asked about: a week of 30 bays shows a dozen
        # rows at a time, and laying out only those halves the time between a new view and its first paint.
        self._row_layouts: list[_RowLayout | None] = [None] * rows

    def _row_layout(self, row: int) -> _RowLayout:
        layout = self._row_layouts[row]
        if layout is None:
            blocks: list[Block] = []
            for entry, lane, lanes in _lanes(self.entries[row]):
                blocks.extend(self._blocks_for(entry, row, lane, lanes))
            blocks.sort(key=lambda block: block.x)
            layout = _RowLayout(blocks, [block.x for block in blocks], max((block.w for block in blocks), default=0.0))
            self._row_layouts[row] = layout
        return layout

    def blocks_of(self, booking_id: int) -> list[Block]:
        """The blocks of a booking (one per row and shown day it covers), by row then left to right."""
        index = self.booking_index_by_id.get(booking_id)
        if index is None:
            return []
        rows = sorted({self.row_index_by_id[row_id] for row_id in self.view.bookings[index].row_ids
                       if row_id in self.row_index_by_id})  # fmt: skip
        return [block for row in rows for block in self._row_layout(row).blocks if block.booking_index == index]

    def _blocks_for(self, entry: Entry, row: int, lane: int, lanes: int) -> Iterator[Block]:
        """One block per shown day the booking touches; overlapping bookings share the row height in lanes."""
        line = self.row_lines[row]
        margin = self.metrics.block_margin
        lane_height = (line.height - 2 * margin) / lanes
        y = line.top + margin + lane * lane_height
        h = lane_height - (1 if lanes > 1 else 0)
        day = math.floor(entry.start / MINUTES_PER_DAY)
        opens = day * MINUTES_PER_DAY + self.day_start
        if 0 <= day < self.days and opens <= entry.start and entry.end <= opens + self.day_end - self.day_start:
            # Nearly every booking lies inside one day's hours: skip the general splitting (set_view speed).
            x0 = day * self.day_pitch + (entry.start - opens) * self.px_per_minute
            width = (entry.end - entry.start) * self.px_per_minute
            yield Block(entry.booking_index, row, x0 + 1, y, max(width - 2, 4.0), h, False, False)
            return
        for x0, x1, cut_start, cut_end in self.day_spans(entry.start, entry.end):
            # A pixel of air on both sides keeps back-to-back bookings apart; a zero-length one stays grabbable.
            yield Block(entry.booking_index, row, x0 + 1, y, max(x1 - x0 - 2, 4.0), h, cut_start, cut_end)

    def day_spans(self, start: float, end: float) -> Iterator[tuple[float, float, bool, bool]]:
        """(x0, x1, cut at start, cut at end) of the part of [start, end) inside each shown day's hours."""
        first = max(math.floor(start / MINUTES_PER_DAY), 0)
        last = min(math.floor(end / MINUTES_PER_DAY), self.days - 1)
        for day in range(first, last + 1):
            opens = day * MINUTES_PER_DAY + self.day_start
            closes = day * MINUTES_PER_DAY + self.day_end
            shown_start, shown_end = max(start, opens), min(end, closes)
            if shown_end < shown_start or (shown_end == shown_start and end > start):
                continue  # this day's shown hours miss it
            yield self.x_of(shown_start), self.x_of(shown_end), start < opens, end > closes

    def blocks_between(self, x0: float, y0: float, x1: float, y1: float) -> Iterator[Block]:
        """The blocks that meet the content rectangle, row by row in painting order, without scanning the rest."""
        for line in self.lines_between(y0, y1):
            if line.row_index < 0:
                continue
            layout = self._row_layout(line.row_index)
            xs, blocks = layout.xs, layout.blocks
            # Sorted by left edge, so only blocks starting at most one widest block before x0 can reach into view.
            index = bisect_left(xs, x0 - layout.widest)
            while index < len(blocks) and xs[index] <= x1:
                block = blocks[index]
                if block.x + block.w >= x0:
                    yield block
                index += 1

    def block_at(self, x: float, y: float) -> Block | None:
        """The topmost block under a content point."""
        found = None
        for block in self.blocks_between(x, y, x + 1, y + 1):
            if block.contains(x, y):
                found = block
        return found

    # --- open hours ---------------------------------------------------------------------------------------------

    def _layout_closed(self) -> None:
        self.open_minutes: list[list[tuple[float, float]]] = []
        self.closed_spans: list[list[tuple[float, float]]] = []
        for row in self.view.rows:
            periods = sorted((self.minutes_of(start), self.minutes_of(end)) for start, end in row.open_periods)
            merged: list[tuple[float, float]] = []
            for start, end in periods:
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                elif end > start:
                    merged.append((start, end))
            self.open_minutes.append(merged)
            spans: list[tuple[float, float]] = []
            for day in range(self.days):
                cursor: float = day * MINUTES_PER_DAY + self.day_start
                closes = day * MINUTES_PER_DAY + self.day_end
                for start, end in merged:
                    if end <= cursor or start >= closes:
                        continue
                    if start > cursor:
                        spans.append((self.x_of(cursor), self.x_of(start)))
                    cursor = max(cursor, end)
                if cursor < closes:
                    spans.append((self.x_of(cursor), self.x_of(closes)))
            self.closed_spans.append(spans)

    def is_open(self, row_index: int, minutes: float) -> bool:
        """Whether the row works at *minutes* (grid minutes)."""
        return any(start <= minutes < end for start, end in self.open_minutes[row_index])

    # --- neighbours for the keyboard ----------------------------------------------------------------------------

    def neighbour_in_row(self, row_index: int, booking_index: int, step: int) -> int | None:
        """The booking before (*step* -1) or after (+1) *booking_index* in time on the row."""
        entries = self.entries[row_index]
        for position, entry in enumerate(entries):
            if entry.booking_index == booking_index:
                target = position + step
                return entries[target].booking_index if 0 <= target < len(entries) else None
        return None

    def nearest_in_row(self, row_index: int, minutes: float) -> int | None:
        """The booking on the row closest in time to *minutes* (one that covers it wins)."""
        best: tuple[float, int] | None = None
        for entry in self.entries[row_index]:
            distance = 0.0 if entry.start <= minutes < entry.end else min(
                abs(entry.start - minutes), abs(entry.end - minutes))  # fmt: skip
            if best is None or distance < best[0]:
                best = (distance, entry.booking_index)
        return best[1] if best is not None else None


def _lanes(entries: list[Entry]) -> Iterator[tuple[Entry, int, int]]:
    """(entry, lane, lane count) for entries sorted by start: each cluster of overlapping ones gets its own lanes."""
    cluster: list[tuple[Entry, int]] = []
    lane_ends: list[float] = []
    cluster_end = -math.inf
    for entry in entries:
        if cluster and entry.start >= cluster_end:
            yield from ((item, lane, len(lane_ends)) for item, lane in cluster)
            cluster, lane_ends = [], []
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= entry.start:
                lane_ends[lane] = entry.end
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(entry.end)
        cluster.append((entry, lane))
        cluster_end = max(cluster_end, entry.end) if len(cluster) > 1 else entry.end
    yield from ((item, lane, len(lane_ends)) for item, lane in cluster)
