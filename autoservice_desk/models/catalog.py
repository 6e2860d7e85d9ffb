"""The service catalog: categories with hourly rates, services, equipment and skills, labour-time norms, packages."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base, TimestampMixin
from autoservice_desk.models.types import Money, Quantity, ScaledDecimal


def Hours() -> ScaledDecimal:  # noqa: N802 - reads like a type in column declarations
    """Labour hours with two places (1.40 h)."""
    return ScaledDecimal(6, 2)


class Equipment(Base):
    """A kind of equipment a job may need and a bay may have (lift, alignment stand, tyre changer ...)."""

    __tablename__ = "equipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Skill(Base):
    """A mechanic's skill a job may need (diagnostics, electrics, body work ...)."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class ServiceCategory(Base):
    """A group of services with the hourly rate their labour is sold at."""

    __tablename__ = "service_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    hourly_rate: Mapped[Decimal] = mapped_column(Money())
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


service_equipment = Table(
    "service_equipment",
    Base.metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("equipment_id", ForeignKey("equipment.id", ondelete="CASCADE"), primary_key=True),
)


class Service(TimestampMixin, Base):
    """A job the shop sells: its kind, default duration, what it needs and how its price is made."""

    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("kind IN ('paid', 'warranty', 'extended')", name="kind"),
        CheckConstraint("price_rule IN ('hourly', 'fixed')", name="price_rule"),
        CheckConstraint("price_rule = 'hourly' OR fixed_price IS NOT NULL", name="fixed_price_given"),
        CheckConstraint("default_hours > 0", name="default_hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="paid")
    default_hours: Mapped[Decimal] = mapped_column(Hours())
    price_rule: Mapped[str] = mapped_column(String(16), default="hourly")
    fixed_price: Mapped[Decimal | None] = mapped_column(Money())
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class LabourNorm(Base):
    """Hours for a service on a make (and optionally a model, a year range and an engine)."""

    __tablename__ = "labour_norms"
    __table_args__ = (
        Index("ix_labour_norms_service_make", "service_id", "make"),
        CheckConstraint("hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    make: Mapped[str] = mapped_column(String(60))  # folded (upper case) for matching
    model: Mapped[str | None] = mapped_column(String(100))  # folded; None: every model of the make
    year_from: Mapped[int | None] = mapped_column(Integer)
    year_to: Mapped[int | None] = mapped_column(Integer)
    engine: Mapped[str | None] = mapped_column(String(60))  # folded; None: any engine
    hours: Mapped[Decimal] = mapped_column(Hours())
    source: Mapped[str | None] = mapped_column(String(200))  # the file it was imported from


class ServicePackage(TimestampMixin, Base):
    """A canned job: several services and the parts they usually take ("ТО-1 Kia Rio 1.6")."""

    __tablename__ = "service_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    make: Mapped[str | None] = mapped_column(String(60))
    model: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PackageService(Base):
    __tablename__ = "package_services"

    package_id: Mapped[int] = mapped_column(ForeignKey("service_packages.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))


class PackagePart(Base):
    """A typical part of a package by part number; the warehouse resolves it against stock later."""

    __tablename__ = "package_parts"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    package_id: Mapped[int] = mapped_column(ForeignKey("service_packages.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    article: Mapped[str] = mapped_column(String(60))
    brand: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
