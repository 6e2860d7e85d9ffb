"""Bookings on SQLite and PostgreSQL: norms give the duration, rules refuse with the reason, the database guards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from autoservice_desk.models.catalog import LabourNorm, Service
from autoservice_desk.models.scheduling import BookingSlot
from autoservice_desk.services import domain_events
from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.booking_rules import BookingConflictError
from autoservice_desk.services.bookings import (
    BookingRequest,
    JobLine,
    cancel_booking,
    create_booking,
    move_booking,
    planned_minutes,
    set_status,
)
from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.demo_schedule import DemoResources, add_demo_resources
from autoservice_desk.services.errors import ConflictError, ValidationError
from autoservice_desk.services.free_slots import find_free_slots
from autoservice_desk.services.schedule_grid import schedule_view
from autoservice_desk.services.schedule_view import BookingStatus, RowKind
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle

MOSCOW = ZoneInfo("Europe/Moscow")
MONDAY = date(2027, 3, 1)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), MOSCOW)


@dataclass(frozen=True)
class Shop:
    uow_factory: UnitOfWorkFactory
    resources: DemoResources
    client_id: int
    vehicle_id: int
    other_client_id: int
    services: dict[str, int]

    @property
    def lift1(self) -> int:
        return self.resources.bay_ids[0]

    @property
    def lift2(self) -> int:
        return self.resources.bay_ids[1]

    @property
    def alignment_lift(self) -> int:
        return self.resources.bay_ids[3]

    @property
    def petrov(self) -> int:  # general + engine
        return self.resources.mechanic_ids[0]

    @property
    def kozlov(self) -> int:  # general + tyres
        return self.resources.mechanic_ids[2]

    @property
    def volkov(self) -> int:  # body only
        return self.resources.mechanic_ids[3]

    def request(
        self, code: str, start: datetime, bay: int, mechanics: tuple[int, ...] = (), **extra: object
    ) -> BookingRequest:
        return BookingRequest(
            self.client_id, self.vehicle_id, start, (JobLine(self.services[code]),), bay_id=bay,
            mechanic_ids=mechanics, **extra,  # type: ignore[arg-type]
        )  # fmt: skip


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Shop:
    resources = add_demo_resources(uow_factory)
    form = ClientForm(surname="Иванов", given_name="Сергей", phones=(PhoneEntry("+79161234567"),))
    client_id = create_client(uow_factory, form)
    vehicle_id = create_vehicle(
        uow_factory, client_id, VehicleForm(make="Kia", model="Rio", year="2019", plate="А123ВС77")
    )
    other = create_client(uow_factory, ClientForm(surname="Кузнецова", given_name="Анна"))
    with uow_factory() as uow:
        services = dict(uow.session.execute(select(Service.code, Service.id)).all())
    return Shop(uow_factory, resources, client_id, vehicle_id, other, {str(k): v for k, v in services.items()})


def test_the_duration_comes_from_the_norms_for_this_car(shop: Shop) -> None:
    jobs = (JobLine(shop.services["TO-1"]),)
    assert planned_minutes(shop.uow_factory, shop.vehicle_id, jobs) == 90  # the service's default 1.5 h
    with shop.uow_factory() as uow:
        uow.session.add(LabourNorm(service_id=shop.services["TO-1"], make="KIA", model="RIO", hours=Decimal("1.4")))
        uow.commit()
    assert planned_minutes(shop.uow_factory, shop.vehicle_id, jobs) == 85  # 1.4 h = 84 min, up to the 5-minute step
    booking = create_booking(shop.uow_factory, shop.request("TO-1", at(10), shop.lift1, (shop.petrov,)), MOSCOW)
    assert booking.ends_at - booking.starts_at == timedelta(minutes=85)
    assert [(job.name, job.hours) for job in booking.jobs] == [("ТО-1 (регламентное обслуживание)", Decimal("1.40"))]


def test_a_taken_lift_is_refused_naming_the_booking_in_the_way(shop: Shop) -> None:
    first = create_booking(shop.uow_factory, shop.request("TO-1", at(10), shop.lift1), MOSCOW)
    clash = BookingRequest(
        shop.other_client_id, None, at(11), (JobLine(shop.services["BR-PADS-F"]),), bay_id=shop.lift1
    )
    with pytest.raises(BookingConflictError) as caught:
        create_booking(shop.uow_factory, clash, MOSCOW)
    assert caught.value.booking_id == first.id
    assert "Подъёмник 1" in str(caught.value) and "Иванов" in str(caught.value) and "10:00" in str(caught.value)
    # Back to back is fine: the first ends at 11:30.
    create_booking(
        shop.uow_factory, BookingRequest(shop.other_client_id, None, at(11, 30), clash.jobs, bay_id=shop.lift1), MOSCOW
    )


def test_a_busy_mechanic_is_refused_on_another_bay(shop: Shop) -> None:
    create_booking(shop.uow_factory, shop.request("TO-1", at(10), shop.lift1, (shop.petrov,)), MOSCOW)
    with pytest.raises(BookingConflictError, match="Петров"):
        create_booking(shop.uow_factory, shop.request("TO-OIL", at(10, 30), shop.lift2, (shop.petrov,)), MOSCOW)


def test_equipment_skills_and_hours_are_checked_by_the_service(shop: Shop) -> None:
    with pytest.raises(ValidationError, match="Стенд развал-схождения") as caught:
        create_booking(shop.uow_factory, shop.request("SU-ALIGN", at(10), shop.lift1), MOSCOW)
    assert caught.value.field == "bay"
    create_booking(shop.uow_factory, shop.request("SU-ALIGN", at(10), shop.alignment_lift), MOSCOW)
    with pytest.raises(ValidationError, match="Слесарный ремонт") as caught:
        create_booking(shop.uow_factory, shop.request("BR-PADS-F", at(12), shop.lift2, (shop.volkov,)), MOSCOW)
    assert caught.value.field == "mechanics"
    with pytest.raises(ValidationError, match="09:00–20:00"):
        create_booking(shop.uow_factory, shop.request("TO-1", at(19), shop.lift2), MOSCOW)
    with pytest.raises(ValidationError, match="does not work"):
        create_booking(
            shop.uow_factory, shop.request("TO-1", at(12, day=MONDAY - timedelta(days=1)), shop.lift2), MOSCOW
        )


def test_moving_goes_through_the_same_rules_and_versions(shop: Shop) -> None:
    first = create_booking(shop.uow_factory, shop.request("TO-1", at(10), shop.lift1), MOSCOW)
    second = create_booking(shop.uow_factory, shop.request("TO-OIL", at(10), shop.lift2), MOSCOW)
    with pytest.raises(BookingConflictError):
        move_booking(shop.uow_factory, second.id, second.version, at(10), at(10, 30), MOSCOW, bay_id=shop.lift1)
    moved = move_booking(shop.uow_factory, second.id, second.version, at(12), at(13), MOSCOW, bay_id=shop.lift1)
    assert (moved.bay_id, moved.starts_at, moved.ends_at) == (shop.lift1, at(12), at(13))
    with pytest.raises(ConflictError, match="in the meantime"):
        move_booking(shop.uow_factory, second.id, second.version, at(14), at(15), MOSCOW)
    # Resizing into the next booking is refused too.
    with pytest.raises(BookingConflictError):
        move_booking(shop.uow_factory, first.id, first.version, at(10), at(12, 30), MOSCOW)
    assert [entry.action for entry in list_entries(shop.uow_factory, None, 10) if entry.entity == "booking"][:1] == [
        "move"
    ]


def test_cancelling_frees_the_lift_and_statuses_follow_the_pipeline(shop: Shop) -> None:
    arrived: list[domain_events.CarArrived] = []

    def on_arrival(_uow: object, event: domain_events.CarArrived) -> None:
        arrived.append(event)

    domain_events.subscribe(domain_events.CarArrived, on_arrival)
    try:
        first = create_booking(shop.uow_factory, shop.request("TO-1", at(10), shop.lift1), MOSCOW)
        cancelled = cancel_booking(shop.uow_factory, first.id, first.version, MOSCOW, "Клиент перенёс")
        assert cancelled.status is BookingStatus.CANCELLED
        again = create_booking(shop.uow_factory, shop.request("TO-1", at(10), shop.lift1), MOSCOW)
        with pytest.raises(ConflictError):
            set_status(shop.uow_factory, cancelled.id, cancelled.version, BookingStatus.BOOKED, MOSCOW)
        came = set_status(shop.uow_factory, again.id, again.version, BookingStatus.ARRIVED, MOSCOW)
        assert [event.booking_id for event in arrived] == [again.id]
        done = set_status(shop.uow_factory, came.id, came.version, BookingStatus.DONE, MOSCOW)
        assert done.next_statuses == frozenset()
    finally:
        domain_events.unsubscribe(domain_events.CarArrived, on_arrival)
    summaries = [event.summary for event in list_events(shop.uow_factory, shop.client_id)]
    assert any("Клиент перенёс" in (event.body or "") for event in list_events(shop.uow_factory, shop.client_id))
    assert sum("Booked for 01.03.2027 10:00" in summary for summary in summaries) == 2


def test_the_database_itself_refuses_overlapping_slots(shop: Shop) -> None:
    booking = create_booking(shop.uow_factory, shop.request("TO-1", at(10), shop.lift1), MOSCOW)
    with shop.uow_factory() as uow, pytest.raises(IntegrityError):
        uow.session.add(
            BookingSlot(booking_id=booking.id, resource=f"bay:{shop.lift1}", starts_at=at(11), ends_at=at(12))
        )
        uow.session.flush()
    with shop.uow_factory() as uow:  # a slot that no longer holds does not count
        uow.session.add(
            BookingSlot(
                booking_id=booking.id, resource=f"bay:{shop.lift1}", starts_at=at(11), ends_at=at(12), holds=False
            )
        )
        uow.session.flush()


def test_the_first_free_slots_skip_what_is_taken_and_can_be_booked(shop: Shop) -> None:
    for bay in shop.resources.bay_ids[:3]:  # every ordinary lift is busy in the morning
        create_booking(
            shop.uow_factory,
            BookingRequest(shop.other_client_id, None, at(9), (JobLine(shop.services["TO-2"]),), bay_id=bay),
            MOSCOW,
        )
    jobs = (JobLine(shop.services["BR-PADS-F"]),)
    slots = find_free_slots(shop.uow_factory, shop.vehicle_id, jobs, at(8), MOSCOW)
    assert len(slots) == 5
    assert slots[0].starts_at == at(9) and slots[0].bay_id == shop.alignment_lift  # the one lift still free
    assert all(slot.is_lift for slot in slots)
    assert slots == sorted(slots, key=lambda slot: slot.starts_at)
    assert all(slot.mechanic_ids for slot in slots)
    first = slots[0]
    booked = create_booking(
        shop.uow_factory,
        BookingRequest(shop.client_id, shop.vehicle_id, first.starts_at, jobs, bay_id=first.bay_id,
                       mechanic_ids=first.mechanic_ids),
        MOSCOW,
    )  # fmt: skip
    assert booked.bay_id == shop.alignment_lift
    later = find_free_slots(shop.uow_factory, shop.vehicle_id, jobs, at(8), MOSCOW)
    assert later[0].starts_at > at(9) or later[0].bay_id != shop.alignment_lift


def test_the_week_view_has_rows_groups_and_blocks(shop: Shop) -> None:
    booking = create_booking(shop.uow_factory, shop.request("TO-1", at(10), shop.lift1, (shop.petrov,)), MOSCOW)
    view = schedule_view(shop.uow_factory, MONDAY, 7, RowKind.BAY, MOSCOW)
    assert [row.name for row in view.rows][:2] == ["Подъёмник 1", "Подъёмник 2"]
    assert {row.group for row in view.rows} >= {"Подъёмники", "Посты", "Demo cars"}
    assert (view.day_starts_hour, view.day_ends_hour) == (9, 20)
    [block] = view.bookings
    assert (block.id, block.row_ids, block.plate, block.client_name) == (
        booking.id,
        (shop.lift1,),
        "А123ВС77",
        "Иванов Сергей",
    )
    assert block.starts_at == at(10) and block.starts_at.tzinfo is not None
    by_mechanic = schedule_view(shop.uow_factory, MONDAY, 1, RowKind.MECHANIC, MOSCOW)
    assert by_mechanic.bookings[0].row_ids == (shop.petrov,)
    sunday = [row for row in view.rows if row.id == shop.lift1][0].open_periods
    assert len(sunday) == 6  # Monday to Saturday open, Sunday closed


def test_a_mechanic_cannot_book(shop: Shop) -> None:
    from autoservice_desk.services.errors import PermissionDeniedError
    from autoservice_desk.services.unit_of_work import Actor

    mechanic = shop.uow_factory.acting_as(Actor(user_id=None, login="m", roles=frozenset({"mechanic"})))
    with pytest.raises(PermissionDeniedError):
        create_booking(mechanic, shop.request("TO-1", at(10), shop.lift1), MOSCOW)
