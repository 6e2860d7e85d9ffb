"""Clients and everything on their card: phones, messengers, contact persons, tags, consents; cars and their logs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from autoservice_desk.models.base import Base, TimestampMixin
from autoservice_desk.models.types import ScaledDecimal, UTCDateTime

SORT_KEY_LENGTH = 200


def Percent() -> ScaledDecimal:  # noqa: N802 - reads like a type in column declarations
    """A percentage with two places (a discount of 7.50 %)."""
    return ScaledDecimal(5, 2)


class Client(TimestampMixin, Base):
    """A person or a company that brings cars to the shop.

    Visit figures (`visit_count`, `first_visit_on`, `previous_visit_on`, `last_visit_on`) are kept on the row by
    the modules that record visits, so the segment and the list never aggregate a million work orders.
    A merged client stays as a tombstone pointing at the card it went into; an anonymised one keeps its id for
    the documents that refer to it.
    """

    __tablename__ = "clients"
    __table_args__ = (
        Index("ix_clients_surname", "surname"),
        # The list's order: folded display name, then id, walked by keyset paging.
        Index("ix_clients_sort_key", "sort_key", "id"),
    )
    # No CHECK constraints here: adding one to an existing SQLite table rebuilds it (a million rows, and the
    # foreign keys pointing at it); the service validates kind and discount.

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")
    surname: Mapped[str | None] = mapped_column(String(100))
    given_name: Mapped[str | None] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    company_name: Mapped[str | None] = mapped_column(String(300))
    inn: Mapped[str | None] = mapped_column(String(12))
    kpp: Mapped[str | None] = mapped_column(String(9))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    birthday: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    discount_percent: Mapped[Decimal] = mapped_column(Percent(), default=Decimal("0.00"))
    sort_key: Mapped[str] = mapped_column(String(SORT_KEY_LENGTH), default="")
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    visit_count: Mapped[int] = mapped_column(Integer, default=0)
    first_visit_on: Mapped[date | None] = mapped_column(Date)
    previous_visit_on: Mapped[date | None] = mapped_column(Date)
    last_visit_on: Mapped[date | None] = mapped_column(Date)
    # No ON DELETE: SQLite does not reflect it on a column added in place, and clients are never deleted.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    phones: Mapped[list[ClientPhone]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ClientPhone.position"
    )
    messengers: Mapped[list[ClientMessenger]] = relationship(
        cascade="all, delete-orphan", order_by="ClientMessenger.position"
    )
    contact_persons: Mapped[list[ClientContactPerson]] = relationship(
        cascade="all, delete-orphan", order_by="ClientContactPerson.position"
    )
    tags: Mapped[list[ClientTag]] = relationship(cascade="all, delete-orphan", order_by="ClientTag.tag")
    vehicles: Mapped[list[Vehicle]] = relationship(back_populates="owner")


class ClientPhone(Base):
    """A client's phone number in E.164 (`+79123456789`), with an optional label ("work", "wife")."""

    __tablename__ = "client_phones"
    __table_args__ = (Index("ix_client_phones_e164", "e164"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    e164: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    label: Mapped[str | None] = mapped_column(String(60))

    client: Mapped[Client] = relationship(back_populates="phones")


class ClientMessenger(Base):
    """A messenger handle: Telegram, WhatsApp, Viber, VK, MAX (`kind` is free text from a list the screen offers)."""

    __tablename__ = "client_messengers"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    handle: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)


class ClientContactPerson(Base):
    """A person to talk to at a company client."""

    __tablename__ = "client_contact_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position_title: Mapped[str | None] = mapped_column(String(120))
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)


class ClientTag(Base):
    """A free-text tag on a client ("постоянный", "таксопарк"); search finds clients by tag."""

    __tablename__ = "client_tags"
    __table_args__ = (
        PrimaryKeyConstraint("client_id", "tag", name="pk_client_tags"),
        Index("ix_client_tags_tag", "tag"),
    )

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(60))


class ClientConsent(Base):
    """One recorded decision of a client about one kind of message; the latest per kind is in force.

    Rows are only ever added, so the history of who agreed to what, when and how stays provable.
    """

    __tablename__ = "client_consents"
    __table_args__ = (
        Index("ix_client_consents_client_id", "client_id", "kind", "id"),
        CheckConstraint("kind IN ('service', 'marketing')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    granted: Mapped[bool] = mapped_column(Boolean)
    given_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Vehicle(TimestampMixin, Base):
    """A car; `vin` is empty for old cars known only by chassis or body number; `owner_id` is the current owner."""

    __tablename__ = "vehicles"
    __table_args__ = (Index("ix_vehicles_vin", "vin"), Index("ix_vehicles_plate", "plate"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    make: Mapped[str] = mapped_column(String(60))
    model: Mapped[str] = mapped_column(String(80))
    year: Mapped[int | None] = mapped_column(SmallInteger)
    vin: Mapped[str | None] = mapped_column(String(17))
    chassis_number: Mapped[str | None] = mapped_column(String(30))
    plate: Mapped[str | None] = mapped_column(String(16))
    engine: Mapped[str | None] = mapped_column(String(80))
    colour: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    owner: Mapped[Client | None] = relationship(back_populates="vehicles")


class MileageReading(Base):
    """An odometer reading of a car on a day (from the card by hand, or from a work order at intake)."""

    __tablename__ = "vehicle_mileage"
    __table_args__ = (
        Index("ix_vehicle_mileage_vehicle_id", "vehicle_id", "read_on", "id"),
        CheckConstraint("kilometres >= 0", name="kilometres_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"))
    read_on: Mapped[date] = mapped_column(Date)
    kilometres: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(30), default="manual")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class VehicleOwnership(Base):
    """A period during which a client owned a car; the open period (`until` empty) is the current owner."""

    __tablename__ = "vehicle_ownerships"
    __table_args__ = (Index("ix_vehicle_ownerships_vehicle_id", "vehicle_id", "since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)


class VehicleMake(Base):
    """A make in the editable reference list; cars keep the make as text, so renaming never rewrites history."""

    __tablename__ = "vehicle_makes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)

    models: Mapped[list[VehicleModel]] = relationship(
        cascade="all, delete-orphan", order_by="VehicleModel.name", back_populates="make"
    )


class VehicleModel(Base):
    """A model of a make in the reference list."""

    __tablename__ = "vehicle_models"
    __table_args__ = (Index("uq_vehicle_models_make_id_name", "make_id", "name", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    make_id: Mapped[int] = mapped_column(ForeignKey("vehicle_makes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))

    make: Mapped[VehicleMake] = relationship(back_populates="models")
