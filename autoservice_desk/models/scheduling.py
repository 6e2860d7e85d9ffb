"""Bays, lifts, mechanics, working hours and holidays, demo cars, and the bookings that occupy them.

`booking_slots` is the capacity guard: one row per resource a booking holds (its bay, each mechanic, a demo car),
keyed `bay:3`, `mechanic:5`, `demo_car:2`. The database refuses two holding slots of one resource that overlap:
an exclusion constraint on PostgreSQL, triggers on SQLite (created by the migration).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base, TimestampMixin
from autoservice_desk.models.catalog import Hours
from autoservice_desk.models.types import UTCDateTime

bay_equipment = Table(
    "bay_equipment",
    Base.metadata,
    Column("bay_id", ForeignKey("bays.id", ondelete="CASCADE"), primary_key=True),
    Column("equipment_id", ForeignKey("equipment.id", ondelete="CASCADE"), primary_key=True),
)

mechanic_skills = Table(
    "mechanic_skills",
    Base.metadata,
    Column("mechanic_id", ForeignKey("mechanics.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True),
)


class Bay(Base):
    """A working place (пост); `is_lift` marks the ones with a car lift."""

    __tablename__ = "bays"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    group_name: Mapped[str] = mapped_column(String(60), default="")
    is_lift: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Mechanic(Base):
    """A technician who can be booked; linked to a user account when they log in themselves."""

    __tablename__ = "mechanics"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class WorkingHours(Base):
    """Open hours on one weekday (0 = Monday) in minutes after local midnight.

    `owner_kind` is `shop`, `bay` or `mechanic`; a bay or mechanic without rows of its own works the shop's hours.
    A weekday without a row is a day off for that owner.
    """

    __tablename__ = "working_hours"
    __table_args__ = (
        CheckConstraint("owner_kind IN ('shop', 'bay', 'mechanic')", name="owner_kind"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens_minute >= 0 AND closes_minute <= 1440 AND opens_minute < closes_minute", name="span"),
        Index("ix_working_hours_owner", "owner_kind", "owner_id", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int | None] = mapped_column(Integer)  # None for the shop
    weekday: Mapped[int] = mapped_column(Integer)
    opens_minute: Mapped[int] = mapped_column(Integer)
    closes_minute: Mapped[int] = mapped_column(Integer)


class ShopHoliday(Base):
    """A day the whole shop is closed."""

    __tablename__ = "shop_holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")


class MechanicAbsence(Base):
    """Days a mechanic is away (day off, leave, sick), both ends included."""

    __tablename__ = "mechanic_absences"
    __table_args__ = (CheckConstraint("first_day <= last_day", name="order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mechanic_id: Mapped[int] = mapped_column(ForeignKey("mechanics.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")


class DemoCar(Base):
    """A dealer's car for test drives; a test-drive booking holds it like a bay."""

    __tablename__ = "demo_cars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    plate: Mapped[str | None] = mapped_column(String(20))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Booking(TimestampMixin, Base):
    """A client's car booked for jobs on a bay with mechanics, or a test drive of a demo car."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="span"),
        CheckConstraint("kind IN ('service', 'test_drive')", name="kind"),
        CheckConstraint(
            "status IN ('booked', 'confirmed', 'arrived', 'in_work', 'done', 'no_show', 'cancelled')", name="status"
        ),
        Index("ix_bookings_starts_at", "starts_at"),
        Index("ix_bookings_client", "client_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="service")
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    bay_id: Mapped[int | None] = mapped_column(ForeignKey("bays.id"))
    demo_car_id: Mapped[int | None] = mapped_column(ForeignKey("demo_cars.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="booked")
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(60), default="")
    created_by: Mapped[str] = mapped_column(String(60), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class BookingService(Base):
    """A job on a booking with the hours planned for it (from the norms, or as the advisor changed them)."""

    __tablename__ = "booking_services"
    __table_args__ = (CheckConstraint("hours > 0", name="hours_positive"),)

    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("service_packages.id", ondelete="SET NULL"))
    hours: Mapped[Decimal] = mapped_column(Hours())


booking_mechanics = Table(
    "booking_mechanics",
    Base.metadata,
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    Column("mechanic_id", ForeignKey("mechanics.id"), primary_key=True),
)


class BookingSlot(Base):
    """One resource held by a booking for its time; `holds` is false once the booking is cancelled or a no-show."""

    __tablename__ = "booking_slots"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="span"),
        Index("ix_booking_slots_resource", "resource", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    resource: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    holds: Mapped[bool] = mapped_column(Boolean, default=True)
