"""The garage PC: big buttons to pick the mechanic, clock in and out, start / pause / resume / stop a job, the
running timer, the mechanic's efficiency, and the garage's statuses as a board."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.mechanic_efficiency import MechanicEfficiency, mechanic_efficiency
from autoservice_desk.services.time_clock import (
    MechanicClockState,
    clock_in,
    clock_out,
    garage_clock,
    pause_work,
    resume_work,
    start_work,
    stop_work,
)
from autoservice_desk.services.work_order_queries import GarageJob, mechanic_jobs
from autoservice_desk.services.work_order_types import GARAGE_STATUSES, PAUSE_REASONS
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.work_orders.board import OrderBoard
from autoservice_desk.ui.style import ERROR_STYLE, TITLE_STYLE

BIG = 52  # px: buttons a mechanic hits with a glove on
BIG_FONT = "font-size: 13pt;"
PERIODS = (("today", N_("Today")), ("week", N_("This week")), ("month", N_("This month")))


def big_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(BIG)
    button.setStyleSheet(BIG_FONT)
    return button


def period_bounds(period: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The shop-local day, week (from Monday) or month holding *now*, as aware moments."""
    day = now.astimezone(zone).date()
    if period == "week":
        day -= timedelta(days=day.weekday())
    elif period == "month":
        day = day.replace(day=1)
    return datetime.combine(day, time(), zone), now + timedelta(seconds=1)


def elapsed_text(started_at: datetime, now: datetime) -> str:
    seconds = max(int((now - started_at).total_seconds()), 0)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class JobRow(QFrame):
    """One labour line the mechanic may take, with its big Start button."""

    def __init__(self, job: GarageJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.setFrameShape(QFrame.Shape.StyledPanel)
        text = QLabel(
            f"<b>{job.number}</b> · {job.car} {job.plate}<br>{job.name} — "
            + _("{clocked} of {hours} h").format(clocked=format_number(job.clocked_hours, 2),
                                                  hours=format_number(job.hours, 2))
        )  # fmt: skip
        text.setWordWrap(True)
        self.start_button = big_button(_("Working") if job.running else _("Start"))
        self.start_button.setEnabled(not job.running)
        self.start_button.setMinimumWidth(130)
        layout = QHBoxLayout(self)
        layout.addWidget(text, 1)
        layout.addWidget(self.start_button)


class GarageBoard(QWidget):
    """Picks a mechanic and drives his time clock; `changed` after every clock action (the screen reloads)."""

    changed = Signal()
    mechanic_chosen = Signal()

    def __init__(self, context: ScreenContext, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context, self.zone, self._uow_factory = context, zone, context.uow_factory
        self.states: dict[int, MechanicClockState] = {}
        self.mechanic_id: int | None = None
        self.jobs: list[JobRow] = []
        self.mechanic_buttons: dict[int, QPushButton] = {}
        self._group = QButtonGroup(self)
        self._mechanics_row = QHBoxLayout()
        self.name = QLabel(_("Choose yourself above"))
        self.name.setStyleSheet(TITLE_STYLE)
        self.presence = QLabel()
        self.clock_in_button, self.clock_out_button = big_button(_("Clock in")), big_button(_("Clock out"))
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.timer_label = QLabel()
        self.timer_label.setStyleSheet("font-size: 26pt; font-weight: 600;")
        self.pause_buttons = {reason: big_button(_(label)) for reason, label in PAUSE_REASONS.items()}
        self.resume_button, self.stop_button = big_button(_("Resume")), big_button(_("Stop"))
        self.jobs_box = QVBoxLayout()
        self.no_jobs = QLabel(_("No jobs for this mechanic on the orders in work."))
        self.no_jobs.hide()
        self.period = QComboBox()
        for key, label in PERIODS:
            self.period.addItem(_(label), key)
        self.period.setCurrentIndex(2)
        self.efficiency = QLabel()
        self.efficiency.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE + BIG_FONT)
        self.message.hide()
        self.board = OrderBoard(GARAGE_STATUSES, zone)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._build_layout()
        self._connect_signals()
        self._ticker.start()
        self._show_state()

    def _build_layout(self) -> None:
        panel = QWidget()
        grid = QGridLayout()
        grid.addWidget(self.clock_in_button, 0, 0)
        grid.addWidget(self.clock_out_button, 0, 1)
        for column, button in enumerate(self.pause_buttons.values()):
            grid.addWidget(button, 1, column)
        grid.addWidget(self.resume_button, 2, 0)
        grid.addWidget(self.stop_button, 2, 1)
        jobs = QWidget()
        jobs_layout = QVBoxLayout(jobs)
        jobs_layout.addWidget(self.no_jobs)
        jobs_layout.addLayout(self.jobs_box)
        jobs_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(jobs)
        efficiency_row = QHBoxLayout()
        efficiency_row.addWidget(QLabel(_("Efficiency:")))
        efficiency_row.addWidget(self.period)
        efficiency_row.addWidget(self.efficiency, 1)
        layout = QVBoxLayout(panel)
        for widget in (self.name, self.presence, self.current, self.timer_label):
            layout.addWidget(widget)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(f"<b>{_('Jobs')}</b>"))
        layout.addWidget(scroll, 1)
        layout.addLayout(efficiency_row)
        splitter = QSplitter()
        splitter.addWidget(panel)
        splitter.addWidget(self.board)
        splitter.setSizes([520, 700])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._mechanics_row)
        outer.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.clock_in_button.clicked.connect(lambda: self._act(clock_in))
        self.clock_out_button.clicked.connect(lambda: self._act(clock_out))
        for reason, button in self.pause_buttons.items():
            button.clicked.connect(lambda _checked=False, chosen=reason: self._on_pause_clicked(chosen))
        self.resume_button.clicked.connect(lambda: self._act(resume_work))
        self.stop_button.clicked.connect(lambda: self._act(stop_work))
        self.period.currentIndexChanged.connect(self._load_efficiency)
        self._ticker.timeout.connect(self._on_ticker_timeout)

    # --- reading ------------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every mechanic's clock, then the chosen one's jobs and figures."""
        self.context.runner.run(lambda _state: garage_clock(self._uow_factory), self._on_clock_read, self._show_error)

    def _on_clock_read(self, states: list[MechanicClockState]) -> None:
        self.states = {state.mechanic_id: state for state in states}
        if set(self.mechanic_buttons) != set(self.states):
            self._build_mechanic_buttons(states)
        for mechanic_id, button in self.mechanic_buttons.items():
            state = self.states[mechanic_id]
            mark = "▶ " if state.running else ("● " if state.present else "")
            button.setText(mark + state.mechanic_name)
        self._show_state()
        if self.mechanic_id is not None:
            self._load_jobs()

    def _build_mechanic_buttons(self, states: list[MechanicClockState]) -> None:
        for button in self.mechanic_buttons.values():
            self._group.removeButton(button)
            button.deleteLater()
        self.mechanic_buttons = {}
        for state in states:
            button = big_button(state.mechanic_name)
            button.setCheckable(True)
            button.setObjectName(f"mechanic_{state.mechanic_id}")
            button.clicked.connect(lambda _checked=False, chosen=state.mechanic_id: self.choose(chosen))
            self._group.addButton(button)
            self._mechanics_row.addWidget(button)
            self.mechanic_buttons[state.mechanic_id] = button
        if self.mechanic_id in self.mechanic_buttons:
            self.mechanic_buttons[self.mechanic_id].setChecked(True)

    def choose(self, mechanic_id: int) -> None:
        """Show *mechanic_id*'s clock, jobs and figures."""
        self.mechanic_id = mechanic_id
        if mechanic_id in self.mechanic_buttons:
            self.mechanic_buttons[mechanic_id].setChecked(True)
        self.message.hide()
        self._show_state()
        self._load_jobs()
        self._load_efficiency()
        self.mechanic_chosen.emit()

    def _load_jobs(self) -> None:
        mechanic_id = self.mechanic_id
        if mechanic_id is None:
            return
        self.context.runner.run(lambda _state: mechanic_jobs(self._uow_factory, mechanic_id),
                                lambda jobs: self._show_jobs(mechanic_id, jobs), self._show_error)  # fmt: skip

    def _show_jobs(self, mechanic_id: int, jobs: list[GarageJob]) -> None:
        if mechanic_id != self.mechanic_id:
            return
        for row in self.jobs:
            row.deleteLater()
        self.jobs = [JobRow(job) for job in jobs]
        for row in self.jobs:
            row.start_button.clicked.connect(lambda _checked=False, line=row.job.labour_id: self.start(line))
            self.jobs_box.addWidget(row)
        self.no_jobs.setVisible(not jobs)

    def _load_efficiency(self) -> None:
        mechanic_id = self.mechanic_id
        if mechanic_id is None:
            return
        start, end = period_bounds(str(self.period.currentData()), datetime.now(UTC), self.zone)
        self.context.runner.run(lambda _state: mechanic_efficiency(self._uow_factory, mechanic_id, start, end),
                                self._show_efficiency, self._show_error)  # fmt: skip

    def _show_efficiency(self, figures: MechanicEfficiency) -> None:
        if figures.mechanic_id != self.mechanic_id:
            return
        ratio = format_number(figures.efficiency, 2) if figures.efficiency is not None else "—"
        share = f"{format_number(figures.utilisation * 100, 0)} %" if figures.utilisation is not None else "—"
        self.efficiency.setText(
            _("{ratio} (sold {sold} h ÷ clocked {clocked} h); on jobs {share} of {present} h present").format(
                ratio=ratio, sold=format_number(figures.sold_hours, 2), clocked=format_number(figures.clocked_hours, 2),
                share=share, present=format_number(figures.present_hours, 2),
            )
        )  # fmt: skip

    # --- showing ------------------------------------------------------------------------------------------------

    @property
    def state(self) -> MechanicClockState | None:
        return self.states.get(self.mechanic_id) if self.mechanic_id is not None else None

    def _show_state(self) -> None:
        state = self.state
        chosen = state is not None
        for button in (self.clock_in_button, self.clock_out_button, self.resume_button, self.stop_button,
                       *self.pause_buttons.values()):  # fmt: skip
            button.setEnabled(chosen)
        if state is None:
            self.name.setText(_("Choose yourself above"))
            self.presence.clear()
            self.current.clear()
            self.timer_label.clear()
            return
        self.name.setText(state.mechanic_name)
        if state.present_since is not None:
            since = state.present_since.astimezone(self.zone)
            self.presence.setText(_("In the shop since {time}").format(time=f"{since:%H:%M}"))
        else:
            self.presence.setText(_("Not clocked in"))
        self.clock_in_button.setEnabled(not state.present)
        self.clock_out_button.setEnabled(state.present)
        for button in self.pause_buttons.values():
            button.setEnabled(state.running is not None)
        self.resume_button.setEnabled(state.running is None and state.paused is not None)
        self.stop_button.setEnabled(state.running is not None or state.paused is not None)
        entry = state.running or state.paused
        if entry is None:
            self.current.setText(_("No job running"))
        elif state.running is not None:
            self.current.setText(_("Working on {number}: {job}").format(number=state.work_order_number,
                                                                        job=entry.labour_name))  # fmt: skip
        else:
            reason = _(PAUSE_REASONS.get(entry.end_reason or "", entry.end_reason or ""))
            self.current.setText(_("Paused ({reason}): {number}, {job}").format(
                reason=reason, number=state.work_order_number, job=entry.labour_name))  # fmt: skip
        self._on_ticker_timeout()

    def _on_ticker_timeout(self) -> None:
        state = self.state
        running = state.running if state is not None else None
        self.timer_label.setText(elapsed_text(running.started_at, datetime.now(UTC)) if running else "")

    def _show_error(self, error: DomainError) -> None:
        self.message.setText(str(error))
        self.message.show()

    # --- acting -------------------------------------------------------------------------------------------------

    def _act(self, action: Callable[..., MechanicClockState], *args: Any) -> None:
        mechanic_id = self.mechanic_id
        if mechanic_id is None:
            return
        self.message.hide()
        self.context.runner.run(lambda _state: action(self._uow_factory, mechanic_id, *args), self._on_acted,
                                self._show_error)  # fmt: skip

    def _on_acted(self, state: MechanicClockState) -> None:
        self.states[state.mechanic_id] = state
        self._show_state()
        self.reload()
        self._load_efficiency()
        self.changed.emit()

    def start(self, labour_id: int) -> None:
        self._act(start_work, labour_id)

    def _on_pause_clicked(self, reason: str) -> None:
        note = ""
        if reason == "other":
            note, ok = QInputDialog.getText(self, _("Pause"), _("Why is the work paused?"))
            if not ok:
                return
        self.pause(reason, note)

    def pause(self, reason: str, note: str = "") -> None:
        self._act(pause_work, reason, note)
