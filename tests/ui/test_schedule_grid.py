"""The schedule grid: where blocks sit in a day and a week, and what a double-click, a drag, a resize or a key emits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from autoservice_desk.services.schedule_view import BookingStatus, GridBooking, GridRow, RowKind, ScheduleView
from autoservice_desk.ui.screens.schedule import grid_widget
from autoservice_desk.ui.screens.schedule.grid_geometry import MIN_SLOT_WIDTH, MIN_WEEK_SLOT_WIDTH, GridGeometry
from autoservice_desk.ui.screens.schedule.grid_widget import ScheduleGrid, booking_tooltip

ZONE_NAME = "Asia/Yekaterinburg"  # not the machine's zone, so a naive or converted datetime shows up
ZONE = ZoneInfo(ZONE_NAME)
MONDAY = date(2026, 11, 23)
LIFT_1, LIFT_2, BAY_1, BAY_2 = 11, 12, 21, 22


def at(hour: int, minute: int = 0, day: int = 0) -> datetime:
    return datetime(MONDAY.year, MONDAY.month, MONDAY.day, hour, minute, tzinfo=ZONE) + timedelta(days=day)


def booking(booking_id: int, row_id: int, start: datetime, end: datetime, **changes: object) -> GridBooking:
    values: dict[str, object] = dict(
        id=booking_id, version=1, row_ids=(row_id,), starts_at=start, ends_at=end, status=BookingStatus.BOOKED,
        client_name=f"Иванов Сергей {booking_id}", car="Kia Rio", plate="А123ВС77", jobs="ТО-1, замена колодок",
    )  # fmt: skip
    values.update(changes)
    return GridBooking(**values)  # type: ignore[arg-type]


def open_hours(days: int, *spans: tuple[int, int]) -> tuple[tuple[datetime, datetime], ...]:
    spans = spans or ((8, 20),)
    return tuple((at(start, day=day), at(end, day=day)) for day in range(days) for start, end in spans)


def make_view(bookings: tuple[GridBooking, ...], days: int = 1, bay_1_hours: tuple[tuple[int, int], ...] = ()
              ) -> ScheduleView:  # fmt: skip
    rows = (
        GridRow(LIFT_1, RowKind.BAY, "Подъёмник 1", "Подъёмники", True, open_hours(days)),
        GridRow(LIFT_2, RowKind.BAY, "Подъёмник 2", "Подъёмники", True, open_hours(days)),
        GridRow(BAY_1, RowKind.BAY, "Пост 1", "Посты", False, open_hours(days, *bay_1_hours)),
        GridRow(BAY_2, RowKind.BAY, "Пост 2", "Посты", False, open_hours(days)),
    )
    return ScheduleView(MONDAY, days, ZONE_NAME, RowKind.BAY, rows, bookings, 8, 20)


DAY_BOOKINGS = (
    booking(1, LIFT_1, at(9), at(10)),
    booking(2, LIFT_1, at(11), at(12, 30)),
    booking(3, LIFT_1, at(15), at(16)),
    booking(4, BAY_1, at(11, 30), at(13)),
    booking(5, BAY_2, at(9), at(10), is_test_drive=True),
)


@pytest.fixture
def grid(qtbot: QtBot) -> Iterator[ScheduleGrid]:
    widget = ScheduleGrid(clock=None)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.set_view(make_view(DAY_BOOKINGS))
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def centre(grid: ScheduleGrid, booking_id: int) -> QPoint:
    return grid.booking_rects(booking_id)[0].center().toPoint()


def drag(qtbot: QtBot, grid: ScheduleGrid, start: QPoint, end: QPoint) -> None:
    """Press, move in small steps as a hand does (past the drag distance), release."""
    viewport = grid.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 9):
        QTest.mouseMove(viewport, start + (end - start) * step / 8)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


# --- geometry --------------------------------------------------------------------------------------------------


def test_day_view_blocks_sit_at_their_time_under_group_headings() -> None:
    geometry = GridGeometry(make_view(DAY_BOOKINGS), 30)  # no room to stretch: 30 px a slot, one pixel a minute
    assert geometry.px_per_minute == 1 and geometry.width == 12 * 60
    assert [(line.top, line.row_index, line.title) for line in geometry.lines] == [
        (0, -1, "Подъёмники"), (24, 0, ""), (84, 1, ""), (144, -1, "Посты"), (168, 2, ""), (228, 3, "")]  # fmt: skip
    (block,) = geometry.blocks_of(2)
    assert (block.x, block.y, block.w, block.h) == (3 * 60 + 1, 24 + 3, 90 - 2, 60 - 6)
    (block,) = geometry.blocks_of(4)
    assert (block.x, block.y, block.row_index) == (3.5 * 60 + 1, 168 + 3, 2)
    assert geometry.block_at(3 * 60 + 30, 50) is geometry.blocks_of(2)[0]
    assert geometry.block_at(3 * 60 + 30, 100) is None


def test_week_view_puts_days_side_by_side_and_splits_a_booking_over_midnight() -> None:
    view = make_view((booking(1, BAY_2, at(9, day=2), at(10, day=2)),
                      booking(2, LIFT_1, at(18, day=3), at(10, day=4))), days=7)  # fmt: skip
    geometry = GridGeometry(view, 60)  # a week's hour is narrower than a day's, days 6 px apart
    hour = MIN_WEEK_SLOT_WIDTH[60]
    assert hour < MIN_SLOT_WIDTH[60]
    assert geometry.day_width == 12 * hour and geometry.day_pitch == 12 * hour + 6
    assert geometry.width == 7 * 12 * hour + 6 * 6
    (block,) = geometry.blocks_of(1)
    assert block.x == 2 * geometry.day_pitch + hour + 1 and block.w == hour - 2
    evening, morning = geometry.blocks_of(2)
    assert evening.x == 3 * geometry.day_pitch + 10 * hour + 1 and evening.cut_end and not evening.cut_start
    assert morning.x == 4 * geometry.day_pitch + 1 and morning.cut_start and not morning.cut_end
    one_pixel = timedelta(hours=1) / hour
    assert geometry.moment_at(geometry.minutes_at(morning.x + hour)) == at(9, day=4) + one_pixel


def test_overlapping_bookings_share_the_row_in_lanes() -> None:
    view = make_view((booking(1, BAY_1, at(9), at(11)), booking(2, BAY_1, at(10), at(12)),
                      booking(3, BAY_1, at(12), at(13))))  # fmt: skip
    geometry = GridGeometry(view, 30)
    first, second, third = (geometry.blocks_of(number)[0] for number in (1, 2, 3))
    assert first.h == second.h == 26 and second.y == first.y + 27  # a pixel between lanes
    assert third.h == 54  # after the overlap the row is whole again


def test_closed_time_is_known_and_shaded(grid: ScheduleGrid) -> None:
    grid.set_view(make_view(DAY_BOOKINGS, bay_1_hours=((9, 13), (14, 18))))
    geometry = grid.geometry_model
    assert geometry is not None
    row = geometry.row_index_by_id[BAY_1]
    assert [geometry.is_open(row, geometry.minutes_of(at(hour))) for hour in (8, 9, 12, 13, 14, 17, 18, 19)] == [
        False, True, True, False, True, True, False, False]  # fmt: skip
    unit = geometry.px_per_minute
    assert geometry.closed_spans[row] == [(0, 60 * unit), (300 * unit, 360 * unit), (600 * unit, 720 * unit)]
    image = grid.viewport().grab().toImage()
    base = grid.palette().color(QPalette.ColorRole.Base)
    # Points in the middle of a slot and away from blocks, so no grid line or booking is under them.
    open_point = grid.point_at(BAY_1, at(10, 15)) + QPoint(0, 20)
    closed_point = grid.point_at(BAY_1, at(13, 15)) + QPoint(0, 20)
    closed = [QColor(image.pixel(closed_point + QPoint(dx, 0))) for dx in range(6)]
    assert QColor(image.pixel(open_point)) == base
    assert all(colour != base for colour in closed)


# --- mouse -----------------------------------------------------------------------------------------------------


def test_double_click_on_free_space_offers_the_snapped_slot(qtbot: QtBot, grid: ScheduleGrid) -> None:
    with qtbot.waitSignal(grid.empty_slot_activated) as blocker:
        QTest.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                          grid.point_at(BAY_2, at(14, 50)))  # fmt: skip
    row_id, starts_at = blocker.args
    assert row_id == BAY_2 and starts_at == at(14, 30)
    assert starts_at.tzinfo is ZONE
    grid.set_slot_minutes(15)
    with qtbot.waitSignal(grid.empty_slot_activated) as blocker:
        QTest.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                          grid.point_at(LIFT_2, at(14, 50)))  # fmt: skip
    assert blocker.args == [LIFT_2, at(14, 45)]


def test_double_click_on_a_block_opens_it(qtbot: QtBot, grid: ScheduleGrid) -> None:
    with qtbot.assertNotEmitted(grid.empty_slot_activated), qtbot.waitSignal(grid.booking_activated) as blocker:
        QTest.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                          centre(grid, 4))  # fmt: skip
    assert blocker.args == [4]


def test_dragging_a_block_onto_another_row_asks_for_the_move(qtbot: QtBot, grid: ScheduleGrid) -> None:
    before = grid.booking_rects(2)
    grab = centre(grid, 2)  # 11:45 on lift 1
    target = grid.point_at(BAY_2, at(13, 50))  # two hours later, on bay 2
    with qtbot.waitSignal(grid.booking_move_requested) as blocker:
        drag(qtbot, grid, grab, QPoint(target.x(), target.y()))
    booking_id, row_id, starts_at, ends_at = blocker.args
    assert (booking_id, row_id) == (2, BAY_2)
    assert (starts_at, ends_at) == (at(13), at(14, 30))  # 13:05 snapped to the half hour, the length kept
    assert starts_at.tzinfo is ZONE and ends_at.tzinfo is ZONE
    assert grid.booking_rects(2) == before  # the block waits for the owner's new view
    assert grid.dragged_from_row() == LIFT_1
    assert grid.selected_booking_id() == 2


def test_dragging_across_days_in_the_week_view(qtbot: QtBot, grid: ScheduleGrid) -> None:
    grid.resize(1600, 600)
    grid.set_slot_minutes(60)
    grid.set_view(make_view((booking(7, LIFT_1, at(9), at(11)),), days=7))
    start = centre(grid, 7)  # Monday 10:00
    target = grid.point_at(LIFT_1, at(12, day=2))  # Wednesday noon
    with qtbot.waitSignal(grid.booking_move_requested) as blocker:
        drag(qtbot, grid, start, target)
    assert blocker.args == [7, LIFT_1, at(11, day=2), at(13, day=2)]


def test_a_tiny_wobble_is_a_click_not_a_move(qtbot: QtBot, grid: ScheduleGrid) -> None:
    point = centre(grid, 3)
    with qtbot.assertNotEmitted(grid.booking_move_requested), qtbot.waitSignal(grid.booking_selected) as blocker:
        QTest.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        QTest.mouseMove(grid.viewport(), point + QPoint(2, 1))
        QTest.mouseRelease(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           point + QPoint(2, 1))  # fmt: skip
    assert blocker.args == [3]


def test_dragging_the_edges_resizes_on_the_same_row(qtbot: QtBot, grid: ScheduleGrid) -> None:
    rect = grid.booking_rects(3)[0]  # 15:00-16:00 on lift 1
    right_edge = QPoint(int(rect.right()) - 1, int(rect.center().y()))
    target = grid.point_at(BAY_2, at(17, 40))  # the row under the mouse does not matter for a resize
    with qtbot.waitSignal(grid.booking_move_requested) as blocker:
        drag(qtbot, grid, right_edge, QPoint(target.x(), right_edge.y()))
    assert blocker.args == [3, LIFT_1, at(15), at(17, 30)]
    left_edge = QPoint(int(rect.left()) + 1, int(rect.center().y()))
    target = grid.point_at(LIFT_1, at(13, 50))
    with qtbot.waitSignal(grid.booking_move_requested) as blocker:
        drag(qtbot, grid, left_edge, QPoint(target.x(), left_edge.y()))
    assert blocker.args == [3, LIFT_1, at(14), at(16)]
    # Past the other end the booking keeps one slot rather than turning inside out.
    target = grid.point_at(LIFT_1, at(18))
    with qtbot.waitSignal(grid.booking_move_requested) as blocker:
        drag(qtbot, grid, left_edge, QPoint(target.x(), left_edge.y()))
    assert blocker.args == [3, LIFT_1, at(15, 30), at(16)]
    target = grid.point_at(LIFT_1, at(13))
    with qtbot.waitSignal(grid.booking_move_requested) as blocker:
        drag(qtbot, grid, right_edge, QPoint(target.x(), right_edge.y()))
    assert blocker.args == [3, LIFT_1, at(15), at(15, 30)]


def test_escape_drops_a_drag(qtbot: QtBot, grid: ScheduleGrid) -> None:
    start = centre(grid, 1)
    end = grid.point_at(LIFT_2, at(13))
    with qtbot.assertNotEmitted(grid.booking_move_requested):
        QTest.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        for step in range(1, 5):
            QTest.mouseMove(grid.viewport(), start + (end - start) * step / 4)
        QTest.keyClick(grid, Qt.Key.Key_Escape)
        QTest.mouseRelease(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


# --- keyboard --------------------------------------------------------------------------------------------------


def test_arrows_walk_the_bookings_and_enter_and_delete_act(qtbot: QtBot, grid: ScheduleGrid) -> None:
    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre(grid, 1))
    assert grid.selected_booking_id() == 1 and grid.hasFocus()
    walked = []
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Down,
                Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up):  # fmt: skip
        QTest.keyClick(grid, key)
        walked.append(grid.selected_booking_id())
    # Right stops at the last on the row; Down skips the empty lift 2 and picks the nearest in time (11:00-12:30
    # meets 11:30-13:00 on bay 1); from bay 1 at noon the nearest on bay 2 is the 9:00 test drive.
    assert walked == [2, 3, 3, 2, 4, 5, 5, 4]
    with qtbot.waitSignal(grid.booking_activated) as blocker:
        QTest.keyClick(grid, Qt.Key.Key_Return)
    assert blocker.args == [4]
    with qtbot.waitSignal(grid.booking_cancel_requested) as blocker:
        QTest.keyClick(grid, Qt.Key.Key_Delete)
    assert blocker.args == [4]


def test_an_arrow_with_nothing_selected_picks_a_visible_booking(qtbot: QtBot, grid: ScheduleGrid) -> None:
    with qtbot.waitSignal(grid.booking_selected) as blocker:
        QTest.keyClick(grid, Qt.Key.Key_Right)
    assert blocker.args == [1]


def test_a_click_on_free_space_clears_the_selection(qtbot: QtBot, grid: ScheduleGrid) -> None:
    assert grid.select_booking(2)
    with qtbot.waitSignal(grid.selection_cleared):
        QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         grid.point_at(BAY_2, at(17)))  # fmt: skip
    assert grid.selected_booking_id() is None
    with qtbot.assertNotEmitted(grid.booking_activated):
        QTest.keyClick(grid, Qt.Key.Key_Return)


# --- new views, refusals, now ----------------------------------------------------------------------------------


def test_a_new_view_keeps_the_selection_and_the_scroll_position(qtbot: QtBot, grid: ScheduleGrid) -> None:
    grid.resize(900, 250)  # smaller than the day: both scroll bars
    grid.set_slot_minutes(15)
    assert grid.select_booking(4)
    grid.horizontalScrollBar().setValue(140)
    grid.verticalScrollBar().setValue(30)
    moved = tuple(booking(4, BAY_2, at(12), at(13)) if item.id == 4 else item for item in DAY_BOOKINGS)
    with qtbot.assertNotEmitted(grid.selection_cleared):
        grid.set_view(make_view(moved))
    assert grid.selected_booking_id() == 4
    assert (grid.horizontalScrollBar().value(), grid.verticalScrollBar().value()) == (140, 30)
    assert grid.booking_rects(4)[0].center().toPoint().y() == grid.point_at(BAY_2, at(12)).y()
    with qtbot.waitSignal(grid.selection_cleared):
        grid.set_view(make_view(DAY_BOOKINGS[:3]))
    assert grid.selected_booking_id() is None


def test_a_refusal_shows_for_a_while(qtbot: QtBot, grid: ScheduleGrid, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid_widget, "REFUSAL_SECONDS", 0.2)
    rect = grid.booking_rects(2)[0]
    grid.flash_refusal(2, "Подъёмник 1 занят")
    assert grid.refusal_message(2) == "Подъёмник 1 занят"
    image = grid.viewport().grab().toImage()
    outline = QColor(image.pixel(int(rect.center().x()), int(rect.top()) - 1))
    assert outline.red() > 150 and outline.green() < 100  # the red frame
    qtbot.waitUntil(lambda: grid.refusal_message(2) is None, timeout=3000)


def test_the_current_time_line_is_drawn_where_now_is(grid: ScheduleGrid) -> None:
    point = grid.point_at(BAY_2, at(14, 7)) + QPoint(0, 10)
    before = QColor(grid.viewport().grab().toImage().pixel(point))
    grid.set_now(at(14, 7).astimezone(ZoneInfo("UTC")))  # any zone: the grid places it in the shop's
    after = QColor(grid.viewport().grab().toImage().pixel(point))
    assert before != after and after.red() > 200 and after.green() < 100


def test_slot_sizes_are_checked(grid: ScheduleGrid) -> None:
    with pytest.raises(ValueError):
        grid.set_slot_minutes(20)


def test_the_tooltip_tells_everything_and_escapes_names() -> None:
    text = booking_tooltip(booking(9, BAY_1, at(9), at(10, 30), client_name="<Ромашка> ООО", comment="ждёт",
                                   is_test_drive=True), "Занято")  # fmt: skip
    assert "&lt;Ромашка&gt; ООО" in text and "Kia Rio · А123ВС77" in text and "09:00–10:30" in text
    assert "Test drive" in text and "ждёт" in text and "Занято" in text and "Booked" in text
