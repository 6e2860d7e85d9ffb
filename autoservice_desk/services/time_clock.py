"""The technicians' time clock (УРВ): presence in the shift, and start / pause / resume / stop on a labour line.

A mechanic runs at most one entry at a time (a partial unique index guards it across desks). Starting work on
another line while one runs pauses the running one with the reason "switched" instead of refusing: at a shared
garage PC the mechanic presses "start" on the next job, and a refusal would only make him go back and press
"stop" first. Starting work clocks the mechanic in if he forgot; clocking out stops what he was doing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.scheduling import Mechanic
from autoservice_desk.models.work_orders import MechanicShift, TimeClockEntry, WorkOrderLabour
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_card import hours_between
from autoservice_desk.services.work_order_common import load_order, order_number
from autoservice_desk.services.work_order_types import (
    CLOCKABLE_STATUSES,
    PAUSE_REASONS,
    ClockEntryInfo,
    WorkOrderStatus,
)

CLOCK_ROLES = ("mechanic", "advisor", "manager")
RESUMABLE = frozenset({*PAUSE_REASONS, "switched", "shift_ended"})  # the job waits to be taken up again


@dataclass(frozen=True)
class MechanicClockState:
    """Where a mechanic stands: present since when, what runs, what is paused (the garage board's big buttons)."""

    mechanic_id: int
    mechanic_name: str
    present_since: datetime | None
    running: ClockEntryInfo | None
    paused: ClockEntryInfo | None  # the last entry, when it ended with a pause reason and nothing runs
    work_order_number: str  # of the running or paused entry

    @property
    def present(self) -> bool:
        return self.present_since is not None


def _require_clock_user(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*CLOCK_ROLES):
        raise PermissionDeniedError(_("Only mechanics, service advisors and managers can use the time clock."))


def _mechanic(uow: UnitOfWork, mechanic_id: int) -> Mechanic:
    mechanic = uow.session.get(Mechanic, mechanic_id, with_for_update=True)  # one desk at a time per mechanic
    if mechanic is None or not mechanic.active:
        raise NotFoundError(_("The mechanic no longer works here."))
    return mechanic


def _running(uow: UnitOfWork, mechanic_id: int) -> TimeClockEntry | None:
    return uow.session.scalar(
        select(TimeClockEntry).where(TimeClockEntry.mechanic_id == mechanic_id, TimeClockEntry.ended_at.is_(None))
    )


def _shift(uow: UnitOfWork, mechanic_id: int) -> MechanicShift | None:
    return uow.session.scalar(
        select(MechanicShift).where(MechanicShift.mechanic_id == mechanic_id, MechanicShift.ended_at.is_(None))
    )


def _end(uow: UnitOfWork, entry: TimeClockEntry, reason: str, note: str = "") -> None:
    entry.ended_at, entry.end_reason = max(uow.clock(), entry.started_at), reason
    if note.strip():
        entry.note = note.strip()
    after = {"mechanic_id": entry.mechanic_id, "labour_id": entry.labour_id, "ended_at": entry.ended_at}
    audit.record(uow, "time_clock", entry.id, f"end:{reason}", None, after)


def _start(uow: UnitOfWork, mechanic_id: int, labour_id: int) -> None:
    line = uow.session.get(WorkOrderLabour, labour_id)
    if line is None:
        raise NotFoundError(_("The job is no longer on the work order."))
    order = load_order(uow, line.work_order_id, for_update=True)  # waits for a status change on another desk
    status = WorkOrderStatus(order.status)
    if status not in CLOCKABLE_STATUSES:
        raise ConflictError(
            _("Work order {number} is {status}; time cannot be clocked on it.").format(
                number=order_number(order), status=status.label.lower()
            )
        )
    if _shift(uow, mechanic_id) is None:
        _clock_in(uow, mechanic_id)
    entry = TimeClockEntry(mechanic_id=mechanic_id, work_order_id=order.id, labour_id=line.id,
                           started_at=uow.clock(), note="")  # fmt: skip
    uow.session.add(entry)
    uow.session.flush()
    audit.record(uow, "time_clock", entry.id, "start", None,
                 {"mechanic_id": mechanic_id, "labour_id": line.id, "started_at": entry.started_at})  # fmt: skip
    uow.mark_changed("work_order", order.id)


def _clock_in(uow: UnitOfWork, mechanic_id: int) -> None:
    shift = MechanicShift(mechanic_id=mechanic_id, started_at=uow.clock())
    uow.session.add(shift)
    uow.session.flush()
    audit.record(uow, "mechanic_shift", shift.id, "clock_in", None, {"mechanic_id": mechanic_id})


def _use_case(uow_factory: UnitOfWorkFactory, mechanic_id: int, change: object) -> MechanicClockState:
    def work(uow: UnitOfWork) -> MechanicClockState:
        _require_clock_user(uow)
        _mechanic(uow, mechanic_id)
        change(uow)  # type: ignore[operator]
        uow.session.flush()
        uow.mark_changed("time_clock", mechanic_id)
        state = _state(uow, mechanic_id)
        uow.commit()
        return state

    return run_in_transaction(uow_factory, work)


def clock_in(uow_factory: UnitOfWorkFactory, mechanic_id: int) -> MechanicClockState:
    """The mechanic is in the shop (nothing changes if he already is)."""

    def change(uow: UnitOfWork) -> None:
        if _shift(uow, mechanic_id) is None:
            _clock_in(uow, mechanic_id)

    return _use_case(uow_factory, mechanic_id, change)


def clock_out(uow_factory: UnitOfWorkFactory, mechanic_id: int) -> MechanicClockState:
    """The mechanic leaves: the job he is on is paused ("end of shift") and the shift closed."""

    def change(uow: UnitOfWork) -> None:
        running = _running(uow, mechanic_id)
        if running is not None:
            _end(uow, running, "shift_ended")
        shift = _shift(uow, mechanic_id)
        if shift is None:
            raise ConflictError(_("The mechanic is not clocked in."))
        shift.ended_at = max(uow.clock(), shift.started_at)
        audit.record(uow, "mechanic_shift", shift.id, "clock_out", None, {"mechanic_id": mechanic_id})

    return _use_case(uow_factory, mechanic_id, change)


def start_work(uow_factory: UnitOfWorkFactory, mechanic_id: int, labour_id: int) -> MechanicClockState:
    """Start the clock on a labour line; whatever else the mechanic was running is paused ("switched")."""

    def change(uow: UnitOfWork) -> None:
        running = _running(uow, mechanic_id)
        if running is not None:
            if running.labour_id == labour_id:
                return
            _end(uow, running, "switched")
            uow.session.flush()  # the running entry ends before the new one starts (the unique index sees it)
        _start(uow, mechanic_id, labour_id)

    return _use_case(uow_factory, mechanic_id, change)


def pause_work(uow_factory: UnitOfWorkFactory, mechanic_id: int, reason: str, note: str = "") -> MechanicClockState:
    """Pause the running entry with *reason* (waiting_parts, waiting_lift, other: *note* says what)."""

    def change(uow: UnitOfWork) -> None:
        if reason not in PAUSE_REASONS:
            raise ValidationError(_("Choose why the work is paused."), "reason")
        if reason == "other" and not note.strip():
            raise ValidationError(_("Say why the work is paused."), "note")
        running = _running(uow, mechanic_id)
        if running is None:
            raise ConflictError(_("The mechanic is not working on anything to pause."))
        _end(uow, running, reason, note)

    return _use_case(uow_factory, mechanic_id, change)


def resume_work(uow_factory: UnitOfWorkFactory, mechanic_id: int) -> MechanicClockState:
    """Go on with the job paused last."""

    def change(uow: UnitOfWork) -> None:
        if _running(uow, mechanic_id) is not None:
            raise ConflictError(_("The mechanic is already working on a job."))
        paused = _last_paused(uow, mechanic_id)
        if paused is None:
            raise ConflictError(_("There is no paused job to resume."))
        _start(uow, mechanic_id, paused.labour_id)

    return _use_case(uow_factory, mechanic_id, change)


def stop_work(uow_factory: UnitOfWorkFactory, mechanic_id: int) -> MechanicClockState:
    """The job (or this mechanic's part of it) is done: the running entry is stopped."""

    def change(uow: UnitOfWork) -> None:
        running = _running(uow, mechanic_id)
        if running is not None:
            _end(uow, running, "stopped")
            return
        paused = _last_paused(uow, mechanic_id)
        if paused is None:
            raise ConflictError(_("The mechanic is not working on anything to stop."))
        # A paused job that will not be resumed no longer waits; the pause's reason stays in the note.
        paused.note = " ".join(filter(None, (paused.note, f"({paused.end_reason})")))
        paused.end_reason = "stopped"

    return _use_case(uow_factory, mechanic_id, change)


def _last_paused(uow: UnitOfWork, mechanic_id: int) -> TimeClockEntry | None:
    last = uow.session.scalar(
        select(TimeClockEntry).where(TimeClockEntry.mechanic_id == mechanic_id)
        .order_by(TimeClockEntry.started_at.desc(), TimeClockEntry.id.desc()).limit(1)
    )  # fmt: skip
    return last if last is not None and last.end_reason in RESUMABLE else None


def mechanic_state(uow_factory: UnitOfWorkFactory, mechanic_id: int) -> MechanicClockState:
    return run_in_transaction(uow_factory, lambda uow: _state(uow, mechanic_id), read_only=True)


def garage_clock(uow_factory: UnitOfWorkFactory) -> list[MechanicClockState]:
    """Every active mechanic's state, in the schedule's order (the garage PC's screen)."""

    def work(uow: UnitOfWork) -> list[MechanicClockState]:
        ids = uow.session.scalars(
            select(Mechanic.id).where(Mechanic.active).order_by(Mechanic.sort_order, Mechanic.full_name)
        ).all()
        return [_state(uow, mechanic_id) for mechanic_id in ids]

    return run_in_transaction(uow_factory, work, read_only=True)


def _state(uow: UnitOfWork, mechanic_id: int) -> MechanicClockState:
    mechanic = uow.session.get(Mechanic, mechanic_id)
    if mechanic is None:
        raise NotFoundError(_("The mechanic no longer works here."))
    shift = _shift(uow, mechanic_id)
    running = _running(uow, mechanic_id)
    paused = _last_paused(uow, mechanic_id) if running is None else None
    current = running or paused
    number = ""
    if current is not None:
        number = order_number(load_order(uow, current.work_order_id))
    return MechanicClockState(
        mechanic.id, mechanic.full_name, shift.started_at if shift else None,
        _entry_info(uow, running, mechanic.full_name), _entry_info(uow, paused, mechanic.full_name), number,
    )  # fmt: skip


def _entry_info(uow: UnitOfWork, entry: TimeClockEntry | None, mechanic_name: str) -> ClockEntryInfo | None:
    if entry is None:
        return None
    line = uow.session.get(WorkOrderLabour, entry.labour_id)
    return ClockEntryInfo(
        entry.id, entry.mechanic_id, mechanic_name, entry.work_order_id, entry.labour_id, line.name if line else "",
        entry.started_at, entry.ended_at, entry.end_reason, entry.note,
        hours_between(entry.started_at, entry.ended_at, uow.clock()),
    )  # fmt: skip
