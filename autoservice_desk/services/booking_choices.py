"""What the booking form offers: active services by category, bays, mechanics, demo cars; and a change stamp."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select

from autoservice_desk.models.catalog import Service, ServiceCategory
from autoservice_desk.models.scheduling import Bay, Booking, DemoCar, Mechanic
from autoservice_desk.services.schedule_grid import grouped_in_order
from autoservice_desk.services.service_packages import list_packages
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    detail: str = ""  # the category of a service, the group of a bay


@dataclass(frozen=True)
class PackageChoice:
    """A canned job: ticking it ticks its services."""

    id: int
    name: str
    service_ids: tuple[int, ...]


@dataclass(frozen=True)
class BookingChoices:
    services: tuple[Choice, ...]
    bays: tuple[Choice, ...]
    lift_ids: frozenset[int]
    mechanics: tuple[Choice, ...]
    demo_cars: tuple[Choice, ...]
    packages: tuple[PackageChoice, ...] = ()


def booking_choices(uow_factory: UnitOfWorkFactory) -> BookingChoices:
    """Everything the booking form lists, in the order the catalog and the resources are kept."""

    def work(uow: UnitOfWork) -> BookingChoices:
        services = uow.session.execute(
            select(Service.id, Service.name, ServiceCategory.name)
            .join(ServiceCategory, ServiceCategory.id == Service.category_id)
            .where(Service.active)
            .order_by(ServiceCategory.sort_order, ServiceCategory.name, Service.name)
        ).all()
        bays = grouped_in_order(list(uow.session.scalars(select(Bay).where(Bay.active).order_by(Bay.sort_order))))
        mechanics = uow.session.execute(
            select(Mechanic.id, Mechanic.full_name)
            .where(Mechanic.active)
            .order_by(Mechanic.sort_order, Mechanic.full_name)
        ).all()
        cars = uow.session.execute(select(DemoCar.id, DemoCar.name).where(DemoCar.active).order_by(DemoCar.name)).all()
        return BookingChoices(
            tuple(Choice(id_, name, category) for id_, name, category in services),
            tuple(Choice(bay.id, bay.name, bay.group_name) for bay in bays),
            frozenset(bay.id for bay in bays if bay.is_lift),
            tuple(Choice(id_, name) for id_, name in mechanics),
            tuple(Choice(id_, name) for id_, name in cars),
        )

    choices = run_in_transaction(uow_factory, work, read_only=True)
    packages = tuple(
        PackageChoice(package.id, package.name, package.service_ids)
        for package in list_packages(uow_factory, active_only=True)
    )
    return replace(choices, packages=packages)


def schedule_stamp(uow_factory: UnitOfWorkFactory, starts: datetime, ends: datetime) -> tuple[int, int, str]:
    """A cheap fingerprint of the bookings touching [starts, ends): when it changes, another desk changed them."""

    def work(uow: UnitOfWork) -> tuple[int, int, str]:
        count, version_sum, last_change = uow.session.execute(
            select(func.count(), func.coalesce(func.sum(Booking.version), 0), func.max(Booking.updated_at)).where(
                Booking.starts_at < ends, Booking.ends_at > starts
            )
        ).one()
        return int(count), int(version_sum), str(last_change)

    return run_in_transaction(uow_factory, work, read_only=True)
