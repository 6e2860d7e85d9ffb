"""A mechanic's efficiency over a period: norm hours sold ÷ hours clocked on lines, and clocked ÷ present time.

Sold hours are the hours of the mechanic's labour lines on work orders handed over (issued) in the period,
warranty lines included (the manufacturer pays for them). Clocked and present time are the parts of the entries
and shifts that fall inside the period (a running one counts up to now). The reports module uses the same service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select

from autoservice_desk.i18n import _
from autoservice_desk.models.scheduling import Mechanic
from autoservice_desk.models.work_orders import MechanicShift, TimeClockEntry, WorkOrder, WorkOrderLabour
from autoservice_desk.services.errors import NotFoundError, ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

HOURS = Decimal("0.01")
RATIO = Decimal("0.001")


@dataclass(frozen=True)
class MechanicEfficiency:
    mechanic_id: int
    mechanic_name: str
    period_start: datetime
    period_end: datetime
    sold_hours: Decimal  # norm hours of his lines on orders issued in the period
    clocked_hours: Decimal  # on labour lines
    present_hours: Decimal  # clocked in for the shift
    work_orders: int  # issued in the period with his lines

    @property
    def efficiency(self) -> Decimal | None:
        """Sold ÷ clocked (1.25: 10 h of norms done in 8 h); None when nothing was clocked."""
        return (self.sold_hours / self.clocked_hours).quantize(RATIO, ROUND_HALF_UP) if self.clocked_hours else None

    @property
    def utilisation(self) -> Decimal | None:
        """Clocked on lines ÷ present (0.8: four fifths of the shift on jobs); None when never present."""
        return (self.clocked_hours / self.present_hours).quantize(RATIO, ROUND_HALF_UP) if self.present_hours else None


def _overlap_hours(
    spans: list[tuple[datetime, datetime | None]], start: datetime, end: datetime, now: datetime
) -> Decimal:
    seconds = 0.0
    for began, ended in spans:
        lower, upper = max(began, start), min(ended or now, end)
        if upper > lower:
            seconds += (upper - lower).total_seconds()
    return (Decimal(int(seconds)) / 3600).quantize(HOURS, ROUND_HALF_UP)


def mechanic_efficiency(
    uow_factory: UnitOfWorkFactory, mechanic_id: int, period_start: datetime, period_end: datetime
) -> MechanicEfficiency:
    """The mechanic's figures for [*period_start*, *period_end*) (timezone-aware moments)."""
    if period_start.tzinfo is None or period_end.tzinfo is None:
        raise ValueError("the period must be timezone-aware")
    if period_end <= period_start:
        raise ValidationError(_("The period must end after it starts."), "period")

    def work(uow: UnitOfWork) -> MechanicEfficiency:
        mechanic = uow.session.get(Mechanic, mechanic_id)
        if mechanic is None:
            raise NotFoundError(_("The mechanic no longer exists."))
        return _figures(uow, mechanic, period_start, period_end)

    return run_in_transaction(uow_factory, work, read_only=True)


def _figures(uow: UnitOfWork, mechanic: Mechanic, start: datetime, end: datetime) -> MechanicEfficiency:
    now = uow.clock()
    sold, orders = uow.session.execute(
        select(func.coalesce(func.sum(WorkOrderLabour.hours), 0), func.count(func.distinct(WorkOrder.id)))
        .join(WorkOrder, WorkOrder.id == WorkOrderLabour.work_order_id)
        .where(WorkOrderLabour.mechanic_id == mechanic.id, WorkOrder.status == "issued",
               WorkOrder.closed_at >= start, WorkOrder.closed_at < end)
    ).one()  # fmt: skip
    entries = uow.session.execute(
        select(TimeClockEntry.started_at, TimeClockEntry.ended_at).where(
            TimeClockEntry.mechanic_id == mechanic.id, TimeClockEntry.started_at < end,
            or_(TimeClockEntry.ended_at.is_(None), TimeClockEntry.ended_at > start),
        )
    ).all()  # fmt: skip
    shifts = uow.session.execute(
        select(MechanicShift.started_at, MechanicShift.ended_at).where(
            MechanicShift.mechanic_id == mechanic.id, MechanicShift.started_at < end,
            or_(MechanicShift.ended_at.is_(None), MechanicShift.ended_at > start),
        )
    ).all()  # fmt: skip
    return MechanicEfficiency(
        mechanic.id, mechanic.full_name, start, end, Decimal(sold).quantize(HOURS),
        _overlap_hours([(row[0], row[1]) for row in entries], start, end, now),
        _overlap_hours([(row[0], row[1]) for row in shifts], start, end, now), int(orders),
    )  # fmt: skip


def shop_efficiency(
    uow_factory: UnitOfWorkFactory, period_start: datetime, period_end: datetime
) -> list[MechanicEfficiency]:
    """Every active mechanic's figures for the period, in the schedule's order."""

    def work(uow: UnitOfWork) -> list[MechanicEfficiency]:
        mechanics = uow.session.scalars(
            select(Mechanic).where(Mechanic.active).order_by(Mechanic.sort_order, Mechanic.full_name)
        ).all()
        return [_figures(uow, mechanic, period_start, period_end) for mechanic in mechanics]

    return run_in_transaction(uow_factory, work, read_only=True)
