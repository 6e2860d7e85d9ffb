"""Clients, their phones and their vehicles (the foundation's minimum; the client-card issue extends it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from autoservice_desk.models.base import Base, TimestampMixin


class Client(TimestampMixin, Base):
    """A person or a company that brings cars to the shop."""

    __tablename__ = "clients"
    __table_args__ = (Index("ix_clients_surname", "surname"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")  # "person" | "company"
    surname: Mapped[str | None] = mapped_column(String(100))
    given_name: Mapped[str | None] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    company_name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    birthday: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    phones: Mapped[list[ClientPhone]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ClientPhone.position"
    )
    vehicles: Mapped[list[Vehicle]] = relationship(back_populates="owner")


class ClientPhone(Base):
    """A client's phone number in E.164 (`+79123456789`)."""

    __tablename__ = "client_phones"
    __table_args__ = (Index("ix_client_phones_e164", "e164"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    e164: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    client: Mapped[Client] = relationship(back_populates="phones")


class Vehicle(TimestampMixin, Base):
    """A car; `vin` is empty for old cars known only by chassis or body number."""

    __tablename__ = "vehicles"
    __table_args__ = (Index("ix_vehicles_vin", "vin"), Index("ix_vehicles_plate", "plate"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    make: Mapped[str] = mapped_column(String(60))
    model: Mapped[str] = mapped_column(String(80))
    year: Mapped[int | None] = mapped_column(SmallInteger)
    vin: Mapped[str | None] = mapped_column(String(17))
    plate: Mapped[str | None] = mapped_column(String(16))
    colour: Mapped[str | None] = mapped_column(String(40))

    owner: Mapped[Client | None] = relationship(back_populates="vehicles")
