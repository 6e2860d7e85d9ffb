"""Maintenance due by time and by projected mileage; the daily job messages the owner and tasks the advisors once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from autoservice_desk.models.clients import MileageReading
from autoservice_desk.services import message_triggers
from autoservice_desk.services.advisor_tasks import list_open_tasks
from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.clients import create_client, record_consent
from autoservice_desk.services.maintenance_due import (
    CarHistory,
    add_months,
    cars_due,
    forecast,
    queue_maintenance_reminders,
    record_maintenance,
)
from autoservice_desk.services.messaging_settings import list_intervals, set_interval
from autoservice_desk.services.outbox import list_messages
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle

CAR = CarHistory(1, 1, "Kia", None, None, None, None, None, None)


def test_by_time_the_interval_after_the_last_service() -> None:
    result = forecast(replace(CAR, last_service_on=date(2026, 1, 31)), 12, 15_000)
    assert result is not None and (result.due_on, result.reason) == (date(2027, 1, 31), "time")
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_by_mileage_the_projection_wins_when_it_comes_first() -> None:
    car = replace(CAR, last_service_on=date(2026, 1, 1), last_service_km=30_000, first_read_on=date(2026, 1, 1),
                  first_km=30_000, last_read_on=date(2026, 3, 2), last_km=36_000)  # fmt: skip
    result = forecast(car, 12, 15_000)
    # 6,000 km in 60 days = 100 km a day; 45,000 is 9,000 km on: 90 days after 2 March.
    assert result is not None and (result.due_on, result.reason) == (date(2026, 5, 31), "mileage")
    assert result.km_per_day == Decimal("100.0") and result.next_service_km == 45_000


def test_without_a_service_record_the_next_multiple_of_the_interval() -> None:
    car = replace(CAR, first_read_on=date(2026, 1, 1), first_km=10_000, last_read_on=date(2026, 1, 21), last_km=12_000)
    result = forecast(car, 12, 15_000)
    assert result is not None and result.next_service_km == 15_000 and result.due_on == date(2026, 2, 20)
    assert forecast(replace(car, last_read_on=date(2026, 1, 5)), 12, 15_000) is None  # too short a log


def test_the_daily_job_messages_and_tasks_once(uow_factory: UnitOfWorkFactory) -> None:
    factory = UnitOfWorkFactory(uow_factory.engine, clock=lambda: datetime(2027, 3, 1, 9, tzinfo=UTC))
    message_triggers.install()
    form = ClientForm(surname="Петров", given_name="Олег", phones=(PhoneEntry("+79160000002"),))
    client_id = create_client(factory, form)
    record_consent(factory, client_id, "service", True, date(2026, 1, 1), "signed form")
    car = create_vehicle(factory, client_id, VehicleForm(make="Lada", model="Vesta", year="2020", plate="В777ОР77"))
    set_interval(factory, "lada", 6, 10_000)
    assert [(item.make, item.months) for item in list_intervals(factory)] == [("LADA", 6)]
    record_maintenance(factory, car, date(2026, 9, 10), 20_000)
    with factory() as uow:
        uow.session.add(MileageReading(vehicle_id=car, read_on=date(2026, 9, 10), kilometres=20_000,
                                       recorded_at=factory.clock()))  # fmt: skip
        uow.commit()
    [due] = cars_due(factory, date(2027, 3, 1))
    assert (due.vehicle_id, due.due_on, due.reason) == (car, date(2027, 3, 10), "time")
    assert queue_maintenance_reminders(factory, date(2027, 3, 1)) == 1
    assert queue_maintenance_reminders(factory, date(2027, 3, 1)) == 0
    [message] = list_messages(factory)
    assert "Lada Vesta В777ОР77" in message.text and "10 марта" in message.text
    [task] = list_open_tasks(factory)
    assert task.vehicle_id == car and task.due_on == date(2027, 3, 10)
