"""Days off: shop holidays (closed for everyone) and mechanics' absences (leave, sick days, days off)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.scheduling import Mechanic, MechanicAbsence, ShopHoliday
from autoservice_desk.services import audit
from autoservice_desk.services.errors import FieldErrors, NotFoundError
from autoservice_desk.services.form_values import clean_text
from autoservice_desk.services.resources import forget_calendar, owner_name, require_schedule_editor
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str


@dataclass(frozen=True)
class AbsenceInfo:
    id: int
    mechanic_id: int
    mechanic_name: str
    first_day: date
    last_day: date
    reason: str


def list_holidays(
    uow_factory: UnitOfWorkFactory, first_day: date | None = None, last_day: date | None = None
) -> list[Holiday]:
    def work(uow: UnitOfWork) -> list[Holiday]:
        query = select(ShopHoliday).order_by(ShopHoliday.day)
        if first_day is not None:
            query = query.where(ShopHoliday.day >= first_day)
        if last_day is not None:
            query = query.where(ShopHoliday.day <= last_day)
        return [Holiday(row.day, row.name) for row in uow.session.scalars(query)]

    return run_in_transaction(uow_factory, work, read_only=True)


def set_holiday(uow_factory: UnitOfWorkFactory, day: date, name: str = "") -> None:
    """Close the whole shop on *day* (or rename the holiday already there)."""
    problems: dict[str, str] = {}
    clean = clean_text(name, 100, "name", problems)
    if problems:
        raise FieldErrors(problems)

    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        holiday = uow.session.get(ShopHoliday, day)
        if holiday is not None and holiday.name == clean:
            return
        if holiday is None:
            uow.session.add(ShopHoliday(day=day, name=clean))
            audit.record(uow, "shop_holiday", day.isoformat(), "create", None, {"name": clean})
        else:
            audit.record(uow, "shop_holiday", day.isoformat(), "update", {"name": holiday.name}, {"name": clean})
            holiday.name = clean
        forget_calendar(uow)
        uow.mark_changed("resources")
        uow.commit()

    run_in_transaction(uow_factory, work)


def remove_holiday(uow_factory: UnitOfWorkFactory, day: date) -> None:
    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        holiday = uow.session.get(ShopHoliday, day)
        if holiday is None:
            return
        audit.record(uow, "shop_holiday", day.isoformat(), "delete", {"name": holiday.name}, None)
        uow.session.delete(holiday)
        forget_calendar(uow)
        uow.mark_changed("resources")
        uow.commit()

    run_in_transaction(uow_factory, work)


def list_absences(
    uow_factory: UnitOfWorkFactory, *, mechanic_id: int | None = None, since: date | None = None
) -> list[AbsenceInfo]:
    """Absences (of one mechanic, and ending on or after *since*), earliest first."""

    def work(uow: UnitOfWork) -> list[AbsenceInfo]:
        query = (
            select(MechanicAbsence, Mechanic.full_name)
            .join(Mechanic, Mechanic.id == MechanicAbsence.mechanic_id)
            .order_by(MechanicAbsence.first_day, Mechanic.full_name)
        )
        if mechanic_id is not None:
            query = query.where(MechanicAbsence.mechanic_id == mechanic_id)
        if since is not None:
            query = query.where(MechanicAbsence.last_day >= since)
        return [
            AbsenceInfo(row.id, row.mechanic_id, name, row.first_day, row.last_day, row.reason)
            for row, name in uow.session.execute(query)
        ]

    return run_in_transaction(uow_factory, work, read_only=True)


def _clean_absence(first_day: date | None, last_day: date | None, reason: str) -> str:
    problems: dict[str, str] = {}
    if first_day is None:
        problems["first_day"] = _("Enter the first day.")
    if last_day is None:
        problems["last_day"] = _("Enter the last day.")
    elif first_day is not None and last_day < first_day:
        problems["last_day"] = _("The last day cannot be before the first one.")
    clean = clean_text(reason, 200, "reason", problems)
    if problems:
        raise FieldErrors(problems)
    return clean


def add_absence(
    uow_factory: UnitOfWorkFactory, mechanic_id: int, first_day: date | None, last_day: date | None, reason: str = ""
) -> int:
    """Record days a mechanic is away (both ends included); bookings already on them are left for the desk to move."""
    clean = _clean_absence(first_day, last_day, reason)

    def work(uow: UnitOfWork) -> int:
        require_schedule_editor(uow)
        owner_name(uow, "mechanic", mechanic_id)
        absence = MechanicAbsence(mechanic_id=mechanic_id, first_day=first_day, last_day=last_day, reason=clean)
        uow.session.add(absence)
        uow.session.flush()
        after = {"mechanic_id": mechanic_id, "first_day": first_day, "last_day": last_day, "reason": clean}
        audit.record(uow, "mechanic_absence", absence.id, "create", None, after)
        forget_calendar(uow)
        uow.mark_changed("resources")
        uow.commit()
        return absence.id

    return run_in_transaction(uow_factory, work)


def update_absence(
    uow_factory: UnitOfWorkFactory, absence_id: int, first_day: date | None, last_day: date | None, reason: str = ""
) -> None:
    clean = _clean_absence(first_day, last_day, reason)

    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        absence = uow.session.get(MechanicAbsence, absence_id)
        if absence is None:
            raise NotFoundError(_("The absence no longer exists."))
        assert first_day is not None and last_day is not None
        before = {"first_day": absence.first_day, "last_day": absence.last_day, "reason": absence.reason}
        after = {"first_day": first_day, "last_day": last_day, "reason": clean}
        if before == after:
            return
        absence.first_day, absence.last_day, absence.reason = first_day, last_day, clean
        audit.record(uow, "mechanic_absence", absence_id, "update", before, after)
        forget_calendar(uow)
        uow.mark_changed("resources")
        uow.commit()

    run_in_transaction(uow_factory, work)


def remove_absence(uow_factory: UnitOfWorkFactory, absence_id: int) -> None:
    def work(uow: UnitOfWork) -> None:
        require_schedule_editor(uow)
        absence = uow.session.get(MechanicAbsence, absence_id)
        if absence is None:
            return
        audit.record(uow, "mechanic_absence", absence_id, "delete",
                     {"mechanic_id": absence.mechanic_id, "first_day": absence.first_day,
                      "last_day": absence.last_day, "reason": absence.reason}, None)  # fmt: skip
        uow.session.delete(absence)
        forget_calendar(uow)
        uow.mark_changed("resources")
        uow.commit()

    run_in_transaction(uow_factory, work)
