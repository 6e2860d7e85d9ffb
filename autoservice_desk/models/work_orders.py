"""Work orders: labour and parts lines, recommendations and the technicians' time clock.

The database guards what the services also check: one work order per booking (a unique key), one running
time-clock entry and one open shift per mechanic (partial unique indexes), numbers unique per year.
A parts line's state (reserved, issued, released) is not stored: it is its reservation's status, so the
warehouse's posting is the only writer of "issued".
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base, TimestampMixin
from autoservice_desk.models.catalog import Hours
from autoservice_desk.models.clients import Percent
from autoservice_desk.models.types import Money, Quantity, UTCDateTime

WORK_ORDER_STATUSES = (
    "new", "diagnostics", "awaiting_approval", "awaiting_parts", "in_work", "quality_check", "ready", "issued",
    "cancelled",
)  # fmt: skip
LINE_KINDS = "kind IN ('paid', 'warranty', 'extended')"
# Percent columns are scaled integers on SQLite (5.00 % is 500), so only "not negative" can be checked in SQL on
# both dialects; the services refuse more than 100 %.


class WorkOrder(TimestampMixin, Base):
    """A заказ-наряд: the client's car in the shop, from intake to hand-over (or cancellation)."""

    __tablename__ = "work_orders"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(status) for status in WORK_ORDER_STATUSES)})", name="status"),
        CheckConstraint("vat_mode IN ('vat20', 'vat20_included', 'vat5', 'vat7', 'no_vat')", name="vat_mode"),
        CheckConstraint("discount_percent >= 0", name="discount_not_negative"),
        CheckConstraint("mileage IS NULL OR mileage >= 0", name="mileage_not_negative"),
        UniqueConstraint("year", "number", name="uq_work_orders_number"),
        Index("ix_work_orders_status", "status", "planned_at"),
        Index("ix_work_orders_client", "client_id", "opened_at"),
        Index("ix_work_orders_vehicle", "vehicle_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # from document_sequences "work_order"
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"), unique=True)
    bay_id: Mapped[int | None] = mapped_column(ForeignKey("bays.id", ondelete="SET NULL"))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    advisor_name: Mapped[str] = mapped_column(String(200), default="")  # as printed, kept if the user goes
    status: Mapped[str] = mapped_column(String(20), default="new")
    mileage: Mapped[int | None] = mapped_column(Integer)  # at intake, also in the car's mileage log
    complaint: Mapped[str] = mapped_column(Text, default="")  # the client's words
    condition_notes: Mapped[str] = mapped_column(Text, default="")  # the car's visible condition at intake
    belongings: Mapped[str] = mapped_column(Text, default="")  # what the client left in the car
    notes: Mapped[str] = mapped_column(Text, default="")  # internal
    discount_percent: Mapped[Decimal] = mapped_column(Percent(), default=Decimal("0.00"))  # new lines get it
    vat_mode: Mapped[str] = mapped_column(String(20), default="vat20")  # the shop's mode when it was opened
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # promised completion
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # issued or cancelled
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


work_order_mechanics = Table(
    "work_order_mechanics",
    Base.metadata,
    Column("work_order_id", ForeignKey("work_orders.id", ondelete="CASCADE"), primary_key=True),
    Column("mechanic_id", ForeignKey("mechanics.id"), primary_key=True),
)


class WorkOrderLabour(Base):
    """A job on the order: hours (from the norms, or changed with a reason), rate, discount, kind, mechanic."""

    __tablename__ = "work_order_labour"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("discount_percent >= 0", name="discount_not_negative"),
        CheckConstraint(LINE_KINDS, name="kind"),
        UniqueConstraint("work_order_id", "position", name="uq_work_order_labour_position"),
        Index("ix_work_order_labour_mechanic", "mechanic_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    name: Mapped[str] = mapped_column(String(200))  # the service's name when added
    kind: Mapped[str] = mapped_column(String(16), default="paid")
    hours: Mapped[Decimal] = mapped_column(Hours())
    norm_hours: Mapped[Decimal] = mapped_column(Hours())  # what the norms said for this car
    hours_reason: Mapped[str] = mapped_column(Text, default="")  # why hours differ from the norm
    hourly_rate: Mapped[Decimal] = mapped_column(Money())
    fixed_price: Mapped[Decimal | None] = mapped_column(Money())  # a fixed-price service: the price, not hours×rate
    discount_percent: Mapped[Decimal] = mapped_column(Percent(), default=Decimal("0.00"))
    mechanic_id: Mapped[int | None] = mapped_column(ForeignKey("mechanics.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")


class WorkOrderPart(Base):
    """A part on the order: from stock (reserved on its place), a special order, or the client's own part."""

    __tablename__ = "work_order_parts"
    __table_args__ = (
        CheckConstraint("source IN ('stock', 'special_order', 'own')", name="source"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("discount_percent >= 0", name="discount_not_negative"),
        CheckConstraint(LINE_KINDS, name="kind"),
        CheckConstraint("source <> 'stock' OR (part_id IS NOT NULL AND location_id IS NOT NULL)", name="stock_place"),
        UniqueConstraint("work_order_id", "position", name="uq_work_order_parts_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    part_id: Mapped[int | None] = mapped_column(ForeignKey("parts.id"))  # None: a client's part not in the list
    article: Mapped[str] = mapped_column(String(60), default="")
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(16), default="pcs")
    kind: Mapped[str] = mapped_column(String(16), default="paid")
    location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    price: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))  # sale price per unit
    discount_percent: Mapped[Decimal] = mapped_column(Percent(), default=Decimal("0.00"))
    reservation_id: Mapped[int | None] = mapped_column(ForeignKey("stock_reservations.id", ondelete="SET NULL"))
    special_order_id: Mapped[int | None] = mapped_column(ForeignKey("special_orders.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")


class Recommendation(Base):
    """Work the mechanic suggests; a declined one stays on the car and comes back as a reminder."""

    __tablename__ = "work_order_recommendations"
    __table_args__ = (
        CheckConstraint("status IN ('suggested', 'accepted', 'declined')", name="status"),
        CheckConstraint("urgency IN ('urgent', 'soon', 'later')", name="urgency"),
        Index("ix_work_order_recommendations_vehicle", "vehicle_id", "status"),
        Index("ix_work_order_recommendations_declined", "status", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    hours: Mapped[Decimal | None] = mapped_column(Hours())
    price: Mapped[Decimal | None] = mapped_column(Money())
    urgency: Mapped[str] = mapped_column(String(16), default="soon")
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(60), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id", ondelete="SET NULL"))
    labour_id: Mapped[int | None] = mapped_column(ForeignKey("work_order_labour.id", ondelete="SET NULL"))


class TimeClockEntry(Base):
    """A stretch of a mechanic's work on a labour line; `ended_at` NULL while it runs (one per mechanic)."""

    __tablename__ = "time_clock_entries"
    __table_args__ = (
        CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('waiting_parts', 'waiting_lift', 'other', 'stopped', 'switched', "
            "'shift_ended')",
            name="end_reason",
        ),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="span"),
        Index(
            "uq_time_clock_entries_running",
            "mechanic_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),  # fmt: skip
        Index("ix_time_clock_entries_mechanic", "mechanic_id", "started_at"),
        Index("ix_time_clock_entries_work_order", "work_order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mechanic_id: Mapped[int] = mapped_column(ForeignKey("mechanics.id"))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id", ondelete="CASCADE"))
    labour_id: Mapped[int] = mapped_column(ForeignKey("work_order_labour.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(20))  # a pause reason, stopped, switched, shift_ended
    note: Mapped[str] = mapped_column(Text, default="")


class MechanicShift(Base):
    """A mechanic's presence in the shop (clocked in for the shift); `ended_at` NULL while present."""

    __tablename__ = "mechanic_shifts"
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="span"),
        Index(
            "uq_mechanic_shifts_open",
            "mechanic_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),  # fmt: skip
        Index("ix_mechanic_shifts_mechanic", "mechanic_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mechanic_id: Mapped[int] = mapped_column(ForeignKey("mechanics.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
