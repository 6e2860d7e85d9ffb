"""The demo shop's bays, lifts, mechanics, demo cars and a few weeks of bookings around today."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from autoservice_desk.models.catalog import Equipment, Service, Skill
from autoservice_desk.models.clients import Vehicle
from autoservice_desk.models.scheduling import Bay, DemoCar, Mechanic, bay_equipment, mechanic_skills
from autoservice_desk.services.bookings import BookingInfo, BookingRequest, JobLine, create_booking, set_status
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.schedule_view import BookingStatus
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

# name, group, is lift, equipment codes
BAYS = (
    ("Подъёмник 1", "Подъёмники", True, ()),
    ("Подъёмник 2", "Подъёмники", True, ()),
    ("Подъёмник 3", "Подъёмники", True, ("scanner",)),
    ("Подъёмник 4 (развал)", "Подъёмники", True, ("alignment",)),
    ("Пост диагностики", "Посты", False, ("scanner", "ac_station")),
    ("Пост 6 (яма)", "Посты", False, ("pit",)),
    ("Шиномонтаж", "Шиномонтаж", False, ("tyre_changer", "balancer")),
    ("Кузовной цех", "Кузовной цех", False, ("paint_booth",)),
)  # fmt: skip
# name, skill codes
MECHANICS = (
    ("Петров Алексей", ("general", "engine")),
    ("Смирнов Дмитрий", ("general", "diagnostics", "electrics")),
    ("Козлов Игорь", ("general", "tyres")),
    ("Волков Андрей", ("body",)),
    ("Новиков Павел", ("general", "diagnostics", "engine")),
)  # fmt: skip
DEMO_CARS = (("Kia K5 (тест-драйв)", "М001ММ77"), ("Kia Sportage (тест-драйв)", "М002ММ77"))


@dataclass(frozen=True)
class DemoResources:
    bay_ids: tuple[int, ...]
    mechanic_ids: tuple[int, ...]
    demo_car_ids: tuple[int, ...]


def add_demo_resources(uow_factory: UnitOfWorkFactory, bays: int = len(BAYS)) -> DemoResources:
    """Add the demo bays (repeating the list past its end, for benchmarks), mechanics and demo cars."""

    def work(uow: UnitOfWork) -> DemoResources:
        equipment = dict(uow.session.execute(select(Equipment.code, Equipment.id)).all())
        skills = dict(uow.session.execute(select(Skill.code, Skill.id)).all())
        bay_ids, mechanic_ids, car_ids = [], [], []
        for number in range(bays):
            name, group, lift, needs = BAYS[number % len(BAYS)]
            bay = Bay(
                name=name if number < len(BAYS) else f"{name} · {number + 1}", group_name=group, is_lift=lift,
                active=True, sort_order=number,
            )  # fmt: skip
            uow.session.add(bay)
            uow.session.flush()
            bay_ids.append(bay.id)
            codes = [*needs, "lift"] if lift else list(needs)
            for code in codes:
                uow.session.execute(bay_equipment.insert().values(bay_id=bay.id, equipment_id=equipment[code]))
        for number, (name, held) in enumerate(MECHANICS):
            mechanic = Mechanic(full_name=name, active=True, sort_order=number)
            uow.session.add(mechanic)
            uow.session.flush()
            mechanic_ids.append(mechanic.id)
            for code in held:
                uow.session.execute(mechanic_skills.insert().values(mechanic_id=mechanic.id, skill_id=skills[code]))
        for name, plate in DEMO_CARS:
            car = DemoCar(name=name, plate=plate, active=True)
            uow.session.add(car)
            uow.session.flush()
            car_ids.append(car.id)
        uow.mark_changed("resources")
        uow.commit()
        return DemoResources(tuple(bay_ids), tuple(mechanic_ids), tuple(car_ids))

    return run_in_transaction(uow_factory, work)


def add_demo_bookings(
    uow_factory: UnitOfWorkFactory, zone: ZoneInfo, around: date, days: int = 14, per_day: int = 12, seed: int = 7
) -> int:
    """Book clients' cars through the booking service (all rules apply) from a week before *around*; returns count."""
    generator = random.Random(seed)

    def cars(uow: UnitOfWork) -> list[tuple[int, int]]:
        rows = uow.session.execute(
            select(Vehicle.owner_id, Vehicle.id)
            .where(Vehicle.owner_id.is_not(None))
            .order_by(func.random())
            .limit(days * per_day)
        ).all()
        return [(owner, car) for owner, car in rows if owner is not None]

    def catalog(uow: UnitOfWork) -> tuple[list[int], list[int], list[int], list[int]]:
        services = list(uow.session.scalars(select(Service.id).where(Service.active).order_by(Service.id)))
        bays = list(uow.session.scalars(select(Bay.id).where(Bay.active).order_by(Bay.sort_order)))
        mechanics = list(uow.session.scalars(select(Mechanic.id).where(Mechanic.active).order_by(Mechanic.id)))
        demo_cars = list(uow.session.scalars(select(DemoCar.id).where(DemoCar.active).order_by(DemoCar.id)))
        return services, bays, mechanics, demo_cars

    owners = run_in_transaction(uow_factory, cars, read_only=True)
    services, bays, mechanics, demo_cars = run_in_transaction(uow_factory, catalog, read_only=True)
    if not owners or not bays:
        return 0
    made = 0
    now = datetime.now(zone)
    first = around - timedelta(days=days // 2)
    for offset in range(days):
        day = first + timedelta(days=offset)
        booked_today = 0
        for number, demo_car in enumerate(demo_cars):  # a dealer's test drives: one a day on each demo car
            client_id, _vehicle = owners[(offset * 7 + number) % len(owners)]
            start = datetime.combine(day, time(11 + 3 * number, 0), zone)
            try:
                create_booking(uow_factory, BookingRequest(client_id, None, start, demo_car_id=demo_car), zone)
                made += 1
            except DomainError:
                continue
        for attempt in range(per_day * 3):
            if booked_today == per_day:
                break
            client_id, vehicle_id = owners[(offset * per_day + attempt) % len(owners)]
            start = datetime.combine(day, time(9 + generator.randrange(9), generator.choice((0, 15, 30, 45))), zone)
            jobs = tuple(JobLine(service) for service in generator.sample(services, generator.choice((1, 1, 2))))
            request = BookingRequest(
                client_id, vehicle_id, start, jobs, bay_id=generator.choice(bays),
                mechanic_ids=(generator.choice(mechanics),) if mechanics else (), source="phone",
            )  # fmt: skip
            try:
                info = create_booking(uow_factory, request, zone)
                _advance(uow_factory, info, now, zone, generator)
            except DomainError:  # busy, wrong equipment, closed: a real advisor would pick another slot too
                continue
            made += 1
            booked_today += 1
    return made


def _advance(
    uow_factory: UnitOfWorkFactory, info: BookingInfo, now: datetime, zone: ZoneInfo, generator: random.Random
) -> None:
    """Walk a demo booking along the statuses it would have reached by *now* (past ones done, some no-shows)."""
    if info.starts_at > now + timedelta(days=1):
        steps = [BookingStatus.CONFIRMED] if generator.random() < 0.5 else []
    elif info.starts_at > now:
        steps = [BookingStatus.CONFIRMED]
    elif info.ends_at > now:
        steps = [BookingStatus.ARRIVED, BookingStatus.IN_WORK]
    elif generator.random() < 0.08:
        steps = [BookingStatus.NO_SHOW]
    else:
        steps = [BookingStatus.ARRIVED, BookingStatus.IN_WORK, BookingStatus.DONE]
    for status in steps:
        info = set_status(uow_factory, info.id, info.version, status, zone)
