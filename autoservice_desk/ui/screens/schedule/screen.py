"""The bay-and-lift schedule: a day or week grid of bays or mechanics; booking, moving, statuses, live updates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.i18n import _
from autoservice_desk.services.booking_choices import BookingChoices, booking_choices, schedule_stamp
from autoservice_desk.services.bookings import BookingInfo, cancel_booking, get_booking, move_booking, set_status
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.schedule_grid import schedule_view
from autoservice_desk.services.schedule_view import BookingStatus, RowKind, ScheduleView
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.messages import show_error
from autoservice_desk.ui.screens.base import Screen
from autoservice_desk.ui.screens.schedule.booking_dialog import BookingDialog, default_start
from autoservice_desk.ui.screens.schedule.booking_panel import BookingPanel
from autoservice_desk.ui.screens.schedule.grid_widget import ScheduleGrid
from autoservice_desk.ui.style import ERROR_STYLE

POLL_MS = 5_000  # how soon another desk's booking shows up
SLOT_CHOICES = (15, 30, 60)
DAY_SLOT_STATE_KEY = "schedule/day_slot_minutes"
WEEK_SLOT_STATE_KEY = "schedule/week_slot_minutes"


class ScheduleScreen(Screen):
    """Ctrl+N books, arrows move between bookings, Enter opens one, Delete cancels it, Ctrl+Left/Right page days."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        assert context.uow_factory is not None, "the schedule is only offered while connected"
        self._uow_factory = context.uow_factory
        self.zone = ZoneInfo(str(context.environment.settings.get(SHOP_TIMEZONE)))
        self.first_day = datetime.now(self.zone).date()
        self.days = 1
        self.row_kind = RowKind.BAY
        self.choices: BookingChoices | None = None
        self._stamp: tuple[int, int, str] | None = None
        self._loading = False
        self._scroll_to_now = True  # on the first view, and after switching day/week
        self.grid = ScheduleGrid()
        self.panel = BookingPanel()
        self.previous_button = QPushButton("◀")
        self.today_button = QPushButton(_("Today"))
        self.next_button = QPushButton("▶")
        self.period_label = QLabel()
        self.period_label.setMinimumWidth(220)
        font = self.period_label.font()
        font.setBold(True)
        self.period_label.setFont(font)
        self.day_button = QPushButton(_("Day"))
        self.week_button = QPushButton(_("Week"))
        self.bays_button = QPushButton(_("Bays"))
        self.mechanics_button = QPushButton(_("Mechanics"))
        self._span_group, self._rows_group = QButtonGroup(self), QButtonGroup(self)
        for group, buttons in ((self._span_group, (self.day_button, self.week_button)),
                               (self._rows_group, (self.bays_button, self.mechanics_button))):  # fmt: skip
            for button in buttons:
                button.setCheckable(True)
                group.addButton(button)
        self.day_button.setChecked(True)
        self.bays_button.setChecked(True)
        self.slot_minutes = QComboBox()
        for minutes in SLOT_CHOICES:
            self.slot_minutes.addItem(_("{minutes} min").format(minutes=minutes), minutes)
        saved = int(str(context.state.value(DAY_SLOT_STATE_KEY, 30) or 30))
        self.slot_minutes.setCurrentIndex(max(0, self.slot_minutes.findData(saved)))
        self.grid.set_slot_minutes(int(self.slot_minutes.currentData()))
        self.new_button = QPushButton(_("New booking"))
        self.new_button.setToolTip(_("Ctrl+N"))
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self._build_layout()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._connect_signals()
        self._poll.start()
        self.reload()
        self._load_choices()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for widget in (self.previous_button, self.today_button, self.next_button, self.period_label):
            bar.addWidget(widget)
        bar.addSpacing(12)
        for widget in (self.day_button, self.week_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        for widget in (self.bays_button, self.mechanics_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(QLabel(_("Step")))
        bar.addWidget(self.slot_minutes)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        body = QHBoxLayout()
        body.addWidget(self.grid, 1)
        body.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

    def _connect_signals(self) -> None:
        self.previous_button.clicked.connect(lambda: self._on_page(-1))
        self.next_button.clicked.connect(lambda: self._on_page(1))
        self.today_button.clicked.connect(self._on_today_clicked)
        self.day_button.toggled.connect(self._on_span_toggled)
        self.mechanics_button.toggled.connect(self._on_rows_toggled)
        self.slot_minutes.currentIndexChanged.connect(self._on_slot_minutes_changed)
        self.new_button.clicked.connect(lambda: self.open_booking_dialog(None, None))
        self.grid.empty_slot_activated.connect(self._on_grid_empty_slot_activated)
        self.grid.booking_selected.connect(self._on_grid_booking_selected)
        self.grid.selection_cleared.connect(self.panel.clear)
        self.grid.booking_activated.connect(self._on_grid_booking_activated)
        self.grid.booking_move_requested.connect(self._on_grid_booking_move_requested)
        self.grid.booking_cancel_requested.connect(self._on_grid_booking_cancel_requested)
        self.panel.status_requested.connect(self._on_panel_status_requested)
        self.panel.work_order_requested.connect(self._on_panel_work_order_requested)
        self._poll.timeout.connect(self._on_poll_timeout)
        self.context.changes.changed.connect(self._on_changes_changed)
        QShortcut(QKeySequence.StandardKey.New, self, self._on_new_shortcut)
        QShortcut(QKeySequence("Ctrl+Left"), self, lambda: self._on_page(-1))
        QShortcut(QKeySequence("Ctrl+Right"), self, lambda: self._on_page(1))

    # --- loading ------------------------------------------------------------------------------------------------

    def _range(self) -> tuple[datetime, datetime]:
        starts = datetime.combine(self.first_day, time(), self.zone)
        return starts, starts + timedelta(days=self.days)

    def reload(self) -> None:
        """Read the grid for the shown days in the background and show it when it arrives."""
        first_day, days, kind, zone = self.first_day, self.days, self.row_kind, self.zone
        starts, ends = self._range()
        self._loading = True

        def work(_state: object) -> tuple[ScheduleView, tuple[int, int, str]]:
            return schedule_view(self._uow_factory, first_day, days, kind, zone), schedule_stamp(
                self._uow_factory, starts, ends
            )

        self.context.runner.run(work, self._on_view_loaded, self._on_load_failed)
        self._show_period()

    def _on_view_loaded(self, result: tuple[ScheduleView, tuple[int, int, str]]) -> None:
        view, stamp = result
        self._loading = False
        if (view.first_day, view.days, view.row_kind) != (self.first_day, self.days, self.row_kind):
            return  # the advisor paged on while this was loading; a newer read is on its way
        self._stamp = stamp
        self.grid.set_view(view)
        if self._scroll_to_now:
            self._scroll_to_now = False
            now = datetime.now(self.zone)
            starts, ends = self._range()
            self.grid.scroll_to_time(now - timedelta(hours=1) if starts <= now < ends else starts)
        if not view.rows:
            self._show_message(_("No bays yet: add bays and mechanics in Settings → Schedule resources."))

    def _on_load_failed(self, error: DomainError) -> None:
        self._loading = False
        self._show_message(str(error))

    def _load_choices(self) -> None:
        self.context.runner.run(lambda _state: booking_choices(self._uow_factory), self._on_choices_loaded)

    def _on_choices_loaded(self, choices: BookingChoices) -> None:
        self.choices = choices

    def _on_poll_timeout(self) -> None:
        if self._loading or not self.isVisible():
            return
        starts, ends = self._range()
        self.context.runner.run(lambda _state: schedule_stamp(self._uow_factory, starts, ends), self._on_stamp_read,
                                lambda _error: None)  # fmt: skip

    def _on_stamp_read(self, stamp: tuple[int, int, str]) -> None:
        if self._stamp is not None and stamp != self._stamp and not self._loading:
            self.reload()

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("booking"):
            self.reload()
        if changes.touches("resources", "catalog"):
            self._load_choices()
            self.reload()

    # --- navigation ---------------------------------------------------------------------------------------------

    def _show_period(self) -> None:
        last = self.first_day + timedelta(days=self.days - 1)
        if self.days == 1:
            self.period_label.setText(self.first_day.strftime("%d.%m.%Y"))
        else:
            self.period_label.setText(f"{self.first_day:%d.%m} – {last:%d.%m.%Y}")

    def show_day(self, day: date, days: int | None = None) -> None:
        """Show *day* (the week from its Monday in the week view)."""
        self.days = days or self.days
        self.first_day = day - timedelta(days=day.weekday()) if self.days == 7 else day
        self.message.hide()
        self.reload()

    def _on_page(self, direction: int) -> None:
        self.show_day(self.first_day + timedelta(days=direction * self.days))

    def _on_today_clicked(self) -> None:
        self._scroll_to_now = True
        self.show_day(datetime.now(self.zone).date())

    def _on_span_toggled(self, day_checked: bool) -> None:
        # A week reads best in hours and a day in half hours; the advisor's own choice for each is remembered.
        key = DAY_SLOT_STATE_KEY if day_checked else WEEK_SLOT_STATE_KEY
        minutes = int(str(self.context.state.value(key, 30 if day_checked else 60)))
        self.days = 1 if day_checked else 7  # before the step changes, so the step is remembered for this span
        self.slot_minutes.setCurrentIndex(max(0, self.slot_minutes.findData(minutes)))
        self._scroll_to_now = True
        self.show_day(self.first_day, 1 if day_checked else 7)

    def _on_rows_toggled(self, mechanics_checked: bool) -> None:
        self.row_kind = RowKind.MECHANIC if mechanics_checked else RowKind.BAY
        self.reload()

    def _on_slot_minutes_changed(self) -> None:
        minutes = int(self.slot_minutes.currentData())
        self.grid.set_slot_minutes(minutes)
        self.context.state.setValue(DAY_SLOT_STATE_KEY if self.days == 1 else WEEK_SLOT_STATE_KEY, minutes)

    # --- booking ------------------------------------------------------------------------------------------------

    def _on_new_shortcut(self) -> None:
        self.open_booking_dialog(None, None)

    def _on_grid_empty_slot_activated(self, row_id: int, starts_at: datetime) -> None:
        bay = row_id if self.row_kind is RowKind.BAY and row_id > 0 else None
        demo_car = -row_id if self.row_kind is RowKind.BAY and row_id < 0 else None  # demo cars have negative rows
        self.open_booking_dialog(starts_at, bay, demo_car)

    def open_booking_dialog(
        self, starts_at: datetime | None, bay_id: int | None, demo_car_id: int | None = None
    ) -> BookingDialog | None:
        """Open the booking form at *starts_at* on *bay_id* (the next half hour when None); returns it for tests."""
        if self.choices is None:
            self._show_message(_("The catalog is still loading; try again in a moment."))
            return None
        start = starts_at or default_start(datetime.now(self.zone), self.zone)
        dialog = BookingDialog(
            self._uow_factory, self.context.runner, self.choices, self.zone, start, bay_id, self, demo_car_id
        )
        dialog.booking_created.connect(self._on_dialog_booking_created)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_dialog_booking_created(self, info: BookingInfo) -> None:
        self.message.hide()
        self.reload()
        self.grid.select_booking(info.id)
        self.panel.show_booking(info, self.zone)

    def _on_grid_booking_selected(self, booking_id: int) -> None:
        self.context.runner.run(lambda _state: get_booking(self._uow_factory, booking_id), self._on_booking_read,
                                lambda _error: self.panel.clear())  # fmt: skip

    def _on_booking_read(self, info: BookingInfo) -> None:
        if self.grid.selected_booking_id() == info.id:
            self.panel.show_booking(info, self.zone)

    def _on_grid_booking_activated(self, booking_id: int) -> None:
        self._on_grid_booking_selected(booking_id)
        self.panel.setFocus()

    def _on_grid_booking_move_requested(
        self, booking_id: int, row_id: int, starts_at: datetime, ends_at: datetime
    ) -> None:
        view = self.grid.view()
        block = next((item for item in view.bookings if item.id == booking_id), None) if view else None
        if block is None:
            return
        bay_id: int | None = None
        mechanic_ids: tuple[int, ...] | None = None
        if self.row_kind is RowKind.BAY and row_id > 0:
            bay_id = row_id
        elif self.row_kind is RowKind.MECHANIC and row_id not in block.row_ids:
            # Dragged from one mechanic's row to another's: that mechanic takes over from the first.
            source = self.grid.dragged_from_row()
            mechanic_ids = tuple(row_id if item == source else item for item in block.row_ids)
        version = block.version

        def work(_state: object) -> BookingInfo:
            return move_booking(
                self._uow_factory, booking_id, version, starts_at, ends_at, self.zone, bay_id=bay_id,
                mechanic_ids=mechanic_ids,
            )  # fmt: skip

        def refused(error: DomainError) -> None:
            self.grid.flash_refusal(booking_id, str(error))
            self._show_message(str(error))
            self.reload()

        self.context.runner.run(work, self._on_booking_changed, refused)

    def _on_booking_changed(self, info: BookingInfo) -> None:
        self.message.hide()
        self.reload()
        if self.grid.selected_booking_id() == info.id:
            self.panel.show_booking(info, self.zone)

    def _on_grid_booking_cancel_requested(self, booking_id: int) -> None:
        self._on_panel_status_requested(booking_id, BookingStatus.CANCELLED)

    def _on_panel_status_requested(self, booking_id: int, status: BookingStatus) -> None:
        info = self.panel.booking
        if info is None or info.id != booking_id:
            return
        if status is BookingStatus.CANCELLED:
            answer = QMessageBox.question(
                self, _("Cancel booking"),
                _("Cancel the booking of {client} at {when}?").format(
                    client=info.client_name, when=f"{info.starts_at.astimezone(self.zone):%d.%m %H:%M}"
                ),
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
            work = lambda _state: cancel_booking(self._uow_factory, info.id, info.version, self.zone)  # noqa: E731
        else:
            work = lambda _state: set_status(self._uow_factory, info.id, info.version, status, self.zone)  # noqa: E731
        self.context.runner.run(work, self._on_booking_changed, self._on_status_refused)

    def _on_panel_work_order_requested(self, booking_id: int) -> None:
        """Open the booking's work order (opened on arrival; opened now if it somehow has none)."""
        from autoservice_desk.config import SHOP_VAT_MODE
        from autoservice_desk.services.work_orders import open_from_booking, work_order_for_booking

        vat_mode = str(self.context.environment.settings.get(SHOP_VAT_MODE))

        def work(_state: object) -> int:
            found = work_order_for_booking(self._uow_factory, booking_id)
            if found is not None:
                return found
            return open_from_booking(self._uow_factory, booking_id, vat_mode=vat_mode).id

        self.context.runner.run(work, self.open_work_order, self._on_status_refused)

    def open_work_order(self, work_order_id: int) -> None:
        """Show the work order's editor over the schedule."""
        from autoservice_desk.ui.screens.work_orders.editor import WorkOrderEditor

        editor = WorkOrderEditor(self.context, work_order_id, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.show()

    def _on_status_refused(self, error: DomainError) -> None:
        show_error(self, error)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def save_state(self) -> None:
        minutes = int(self.slot_minutes.currentData())
        self.context.state.setValue(DAY_SLOT_STATE_KEY if self.days == 1 else WEEK_SLOT_STATE_KEY, minutes)
