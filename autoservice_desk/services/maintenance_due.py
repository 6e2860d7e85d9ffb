"""When a car is due for scheduled maintenance (ТО), and the daily job that tells its owner and the advisors.

By time: the last maintenance plus the make's interval (or the shop's default, 12 months). By mileage: from the
car's odometer readings the average kilometres per day, projected to the next service mileage (the last service's
odometer plus the interval, or the next multiple of the interval, e.g. every 15,000 km). The earlier date wins;
the owner gets a message and the advisors a task `maintenance_notice_days` ahead of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import MileageReading, Vehicle
from autoservice_desk.models.messaging import MaintenanceInterval, MaintenanceRecord
from autoservice_desk.services import audit
from autoservice_desk.services.advisor_tasks import add_task
from autoservice_desk.services.errors import NotFoundError, ValidationError
from autoservice_desk.services.message_templates import MessageFacts
from autoservice_desk.services.messaging_settings import MessagingSettingsInfo, load_settings, trigger_enabled
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

MIN_LOG_DAYS = 14  # fewer days between readings say nothing reliable about a car's daily mileage
FORGET_OVERDUE_DAYS = 90  # a car overdue for longer than this was serviced elsewhere or sold: no message


@dataclass(frozen=True)
class CarHistory:
    """What the forecast needs about one car (read in bulk, so the daily job does not query per car)."""

    vehicle_id: int
    owner_id: int | None
    make: str
    last_service_on: date | None
    last_service_km: int | None
    first_read_on: date | None
    first_km: int | None
    last_read_on: date | None
    last_km: int | None


@dataclass(frozen=True)
class MaintenanceForecast:
    vehicle_id: int
    client_id: int | None
    due_on: date
    reason: str  # "time" or "mileage"
    km_per_day: Decimal | None
    next_service_km: int | None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def forecast(car: CarHistory, months: int, kilometres: int) -> MaintenanceForecast | None:
    """The next maintenance date of *car* by time and by projected mileage (the earlier), or None if unknown."""
    candidates: list[tuple[date, str]] = []
    if car.last_service_on is not None:
        candidates.append((add_months(car.last_service_on, months), "time"))
    km_per_day: Decimal | None = None
    next_km: int | None = None
    logged_days = (car.last_read_on - car.first_read_on).days if car.first_read_on and car.last_read_on else 0
    if (car.first_km is not None and car.last_km is not None and car.last_read_on is not None
            and logged_days >= MIN_LOG_DAYS and car.last_km > car.first_km):  # fmt: skip
        km_per_day = Decimal(car.last_km - car.first_km) / logged_days
        if car.last_service_km is not None:
            next_km = car.last_service_km + kilometres
        else:
            next_km = (car.last_km // kilometres + 1) * kilometres
        days_left = int((Decimal(max(next_km - car.last_km, 0)) / km_per_day).to_integral_value(ROUND_HALF_UP))
        candidates.append((car.last_read_on + timedelta(days=days_left), "mileage"))
        km_per_day = km_per_day.quantize(Decimal("0.1"))
    if not candidates:
        return None
    due_on, reason = min(candidates)
    return MaintenanceForecast(car.vehicle_id, car.owner_id, due_on, reason, km_per_day, next_km)


def _histories(uow: UnitOfWork) -> list[CarHistory]:
    last_service = (
        select(MaintenanceRecord.vehicle_id, func.max(MaintenanceRecord.performed_on).label("performed_on"))
        .group_by(MaintenanceRecord.vehicle_id).subquery()
    )  # fmt: skip
    service_km = (
        select(MaintenanceRecord.vehicle_id, MaintenanceRecord.performed_on, func.max(MaintenanceRecord.kilometres)
               .label("kilometres"))
        .group_by(MaintenanceRecord.vehicle_id, MaintenanceRecord.performed_on).subquery()
    )  # fmt: skip
    readings = (
        select(MileageReading.vehicle_id, func.min(MileageReading.read_on).label("first_on"),
               func.max(MileageReading.read_on).label("last_on"), func.min(MileageReading.kilometres).label("first_km"),
               func.max(MileageReading.kilometres).label("last_km"))
        .group_by(MileageReading.vehicle_id).subquery()
    )  # fmt: skip
    rows = uow.session.execute(
        select(Vehicle.id, Vehicle.owner_id, Vehicle.make, last_service.c.performed_on, service_km.c.kilometres,
               readings.c.first_on, readings.c.first_km, readings.c.last_on, readings.c.last_km)
        .outerjoin(last_service, last_service.c.vehicle_id == Vehicle.id)
        .outerjoin(service_km, (service_km.c.vehicle_id == Vehicle.id)
                   & (service_km.c.performed_on == last_service.c.performed_on))
        .outerjoin(readings, readings.c.vehicle_id == Vehicle.id)
        .where(Vehicle.owner_id.is_not(None))
        .where((last_service.c.performed_on.is_not(None)) | (readings.c.first_on.is_not(None)))
        .order_by(Vehicle.id)
    )  # fmt: skip
    return [CarHistory(*row) for row in rows]


def _intervals(uow: UnitOfWork, settings: MessagingSettingsInfo) -> dict[str, tuple[int, int]]:
    return {row.make: (row.months, row.kilometres) for row in uow.session.scalars(select(MaintenanceInterval))}


def cars_due(uow_factory: UnitOfWorkFactory, today: date, within_days: int | None = None) -> list[MaintenanceForecast]:
    """Cars whose maintenance falls within *within_days* of *today* (default: the notice period), soonest first."""

    def work(uow: UnitOfWork) -> list[MaintenanceForecast]:
        settings = load_settings(uow)
        horizon = today + timedelta(days=settings.maintenance_notice_days if within_days is None else within_days)
        intervals = _intervals(uow, settings)
        due = []
        for car in _histories(uow):
            months, kilometres = intervals.get(
                car.make.strip().upper(), (settings.maintenance_months, settings.maintenance_kilometres)
            )
            result = forecast(car, months, kilometres)
            if result and today - timedelta(days=FORGET_OVERDUE_DAYS) <= result.due_on <= horizon:
                due.append(result)
        return sorted(due, key=lambda item: (item.due_on, item.vehicle_id))

    return run_in_transaction(uow_factory, work, read_only=True)


def queue_maintenance_reminders(uow_factory: UnitOfWorkFactory, today: date) -> int:
    """Message the owners and add an advisor task for each car coming due; returns how many new messages."""
    from autoservice_desk.services.message_triggers import queue_event_message

    due = cars_due(uow_factory, today)

    def work(uow: UnitOfWork) -> int:
        if not trigger_enabled(uow, "maintenance_due"):
            return 0
        created = 0
        for item in due:
            key = f"maintenance-due:{item.vehicle_id}:{item.due_on.isoformat()}"
            facts = MessageFacts(item.client_id, item.vehicle_id, day=item.due_on)
            result = queue_event_message(uow, "maintenance_due", key, facts, entity="vehicle",
                                         entity_id=item.vehicle_id)  # fmt: skip
            created += bool(result and result.created)
            by_mileage = _("by mileage ({km} km)").format(km=item.next_service_km)
            title = _("Maintenance due on {day}: call the client").format(day=item.due_on)
            body = _("by time") if item.reason == "time" else by_mileage
            add_task(uow, "maintenance_due", title, item.due_on, body=body, client_id=item.client_id,
                     vehicle_id=item.vehicle_id, key=key)  # fmt: skip
        uow.commit()
        return created

    return run_in_transaction(uow_factory, work) if due else 0


def record_maintenance(
    uow_factory: UnitOfWorkFactory, vehicle_id: int, performed_on: date, kilometres: int | None = None,
    work_order_id: int | None = None,
) -> None:  # fmt: skip
    """Note a scheduled maintenance of the car (the work-order module calls `add_maintenance_record` in its uow)."""

    def work(uow: UnitOfWork) -> None:
        add_maintenance_record(uow, vehicle_id, performed_on, kilometres, work_order_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def add_maintenance_record(
    uow: UnitOfWork,
    vehicle_id: int,
    performed_on: date,
    kilometres: int | None = None,
    work_order_id: int | None = None,
) -> None:
    if uow.session.get(Vehicle, vehicle_id) is None:
        raise NotFoundError(_("The car no longer exists."))
    if kilometres is not None and kilometres < 0:
        raise ValidationError(_("The mileage cannot be negative."), "kilometres")
    record = MaintenanceRecord(vehicle_id=vehicle_id, performed_on=performed_on, kilometres=kilometres,
                               work_order_id=work_order_id, recorded_at=uow.clock())  # fmt: skip
    uow.session.add(record)
    uow.session.flush()
    audit.record(uow, "vehicle_maintenance", record.id, "create", None,
                 {"vehicle_id": vehicle_id, "performed_on": performed_on, "kilometres": kilometres})  # fmt: skip
    uow.mark_changed("vehicle", vehicle_id)
