"""Work orders: labour and parts lines, recommendations, the technicians' time clock.

Partial unique indexes keep one running time-clock entry and one open shift per mechanic on both dialects.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import autoservice_desk.models.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mechanic_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mechanic_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name=op.f("ck_mechanic_shifts_span")),
        sa.ForeignKeyConstraint(
            ["mechanic_id"], ["mechanics.id"], name=op.f("fk_mechanic_shifts_mechanic_id_mechanics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mechanic_shifts")),
    )
    with op.batch_alter_table("mechanic_shifts", schema=None) as batch_op:
        batch_op.create_index("ix_mechanic_shifts_mechanic", ["mechanic_id", "started_at"], unique=False)
        batch_op.create_index(
            "uq_mechanic_shifts_open",
            ["mechanic_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )

    op.create_table(
        "work_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("bay_id", sa.Integer(), nullable=True),
        sa.Column("advisor_id", sa.Integer(), nullable=True),
        sa.Column("advisor_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("mileage", sa.Integer(), nullable=True),
        sa.Column("complaint", sa.Text(), nullable=False),
        sa.Column("condition_notes", sa.Text(), nullable=False),
        sa.Column("belongings", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("discount_percent", autoservice_desk.models.types.ScaledDecimal(5, 2), nullable=False),
        sa.Column("vat_mode", sa.String(length=20), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint(
            "status IN ('new', 'diagnostics', 'awaiting_approval', 'awaiting_parts', 'in_work', 'quality_check', 'ready', 'issued', 'cancelled')",
            name=op.f("ck_work_orders_status"),
        ),
        sa.CheckConstraint(
            "vat_mode IN ('vat20', 'vat20_included', 'vat5', 'vat7', 'no_vat')", name=op.f("ck_work_orders_vat_mode")
        ),
        sa.CheckConstraint("discount_percent >= 0", name=op.f("ck_work_orders_discount_not_negative")),
        sa.CheckConstraint("mileage IS NULL OR mileage >= 0", name=op.f("ck_work_orders_mileage_not_negative")),
        sa.ForeignKeyConstraint(
            ["advisor_id"], ["users.id"], name=op.f("fk_work_orders_advisor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["bay_id"], ["bays.id"], name=op.f("fk_work_orders_bay_id_bays"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_work_orders_booking_id_bookings"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_work_orders_client_id_clients")),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_work_orders_vehicle_id_vehicles"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_work_orders_booking_id")),
        sa.UniqueConstraint("year", "number", name="uq_work_orders_number"),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index("ix_work_orders_client", ["client_id", "opened_at"], unique=False)
        batch_op.create_index("ix_work_orders_status", ["status", "planned_at"], unique=False)
        batch_op.create_index("ix_work_orders_vehicle", ["vehicle_id", "opened_at"], unique=False)

    op.create_table(
        "work_order_labour",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hours", autoservice_desk.models.types.ScaledDecimal(6, 2), nullable=False),
        sa.Column("norm_hours", autoservice_desk.models.types.ScaledDecimal(6, 2), nullable=False),
        sa.Column("hours_reason", sa.Text(), nullable=False),
        sa.Column("hourly_rate", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=False),
        sa.Column("fixed_price", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("discount_percent", autoservice_desk.models.types.ScaledDecimal(5, 2), nullable=False),
        sa.Column("mechanic_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('paid', 'warranty', 'extended')", name=op.f("ck_work_order_labour_kind")),
        sa.CheckConstraint("discount_percent >= 0", name=op.f("ck_work_order_labour_discount_not_negative")),
        sa.CheckConstraint("hours > 0", name=op.f("ck_work_order_labour_hours_positive")),
        sa.ForeignKeyConstraint(
            ["mechanic_id"],
            ["mechanics.id"],
            name=op.f("fk_work_order_labour_mechanic_id_mechanics"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_work_order_labour_service_id_services")),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_labour_work_order_id_work_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_labour")),
        sa.UniqueConstraint("work_order_id", "position", name="uq_work_order_labour_position"),
    )
    with op.batch_alter_table("work_order_labour", schema=None) as batch_op:
        batch_op.create_index("ix_work_order_labour_mechanic", ["mechanic_id"], unique=False)

    op.create_table(
        "work_order_mechanics",
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("mechanic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mechanic_id"], ["mechanics.id"], name=op.f("fk_work_order_mechanics_mechanic_id_mechanics")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_mechanics_work_order_id_work_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("work_order_id", "mechanic_id", name=op.f("pk_work_order_mechanics")),
    )
    op.create_table(
        "work_order_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=True),
        sa.Column("article", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("quantity", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("price", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=False),
        sa.Column("discount_percent", autoservice_desk.models.types.ScaledDecimal(5, 2), nullable=False),
        sa.Column("reservation_id", sa.Integer(), nullable=True),
        sa.Column("special_order_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('paid', 'warranty', 'extended')", name=op.f("ck_work_order_parts_kind")),
        sa.CheckConstraint(
            "source <> 'stock' OR (part_id IS NOT NULL AND location_id IS NOT NULL)",
            name=op.f("ck_work_order_parts_stock_place"),
        ),
        sa.CheckConstraint("source IN ('stock', 'special_order', 'own')", name=op.f("ck_work_order_parts_source")),
        sa.CheckConstraint("discount_percent >= 0", name=op.f("ck_work_order_parts_discount_not_negative")),
        sa.CheckConstraint("price >= 0", name=op.f("ck_work_order_parts_price_not_negative")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_work_order_parts_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["stock_locations.id"], name=op.f("fk_work_order_parts_location_id_stock_locations")
        ),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name=op.f("fk_work_order_parts_part_id_parts")),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["stock_reservations.id"],
            name=op.f("fk_work_order_parts_reservation_id_stock_reservations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["special_order_id"],
            ["special_orders.id"],
            name=op.f("fk_work_order_parts_special_order_id_special_orders"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_parts_work_order_id_work_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_parts")),
        sa.UniqueConstraint("work_order_id", "position", name="uq_work_order_parts_position"),
    )
    op.create_table(
        "time_clock_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mechanic_id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("labour_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('waiting_parts', 'waiting_lift', 'other', 'stopped', 'switched', 'shift_ended')",
            name=op.f("ck_time_clock_entries_end_reason"),
        ),
        sa.CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name=op.f("ck_time_clock_entries_span")),
        sa.ForeignKeyConstraint(
            ["labour_id"], ["work_order_labour.id"], name=op.f("fk_time_clock_entries_labour_id_work_order_labour")
        ),
        sa.ForeignKeyConstraint(
            ["mechanic_id"], ["mechanics.id"], name=op.f("fk_time_clock_entries_mechanic_id_mechanics")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_time_clock_entries_work_order_id_work_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_clock_entries")),
    )
    with op.batch_alter_table("time_clock_entries", schema=None) as batch_op:
        batch_op.create_index("ix_time_clock_entries_mechanic", ["mechanic_id", "started_at"], unique=False)
        batch_op.create_index("ix_time_clock_entries_work_order", ["work_order_id"], unique=False)
        batch_op.create_index(
            "uq_time_clock_entries_running",
            ["mechanic_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )

    op.create_table(
        "work_order_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("hours", autoservice_desk.models.types.ScaledDecimal(6, 2), nullable=True),
        sa.Column("price", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_work_order_id", sa.Integer(), nullable=True),
        sa.Column("labour_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('suggested', 'accepted', 'declined')", name=op.f("ck_work_order_recommendations_status")
        ),
        sa.CheckConstraint(
            "urgency IN ('urgent', 'soon', 'later')", name=op.f("ck_work_order_recommendations_urgency")
        ),
        sa.ForeignKeyConstraint(
            ["accepted_work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_recommendations_accepted_work_order_id_work_orders"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_work_order_recommendations_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["labour_id"],
            ["work_order_labour.id"],
            name=op.f("fk_work_order_recommendations_labour_id_work_order_labour"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_work_order_recommendations_service_id_services"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_work_order_recommendations_vehicle_id_vehicles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_recommendations_work_order_id_work_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_recommendations")),
    )
    with op.batch_alter_table("work_order_recommendations", schema=None) as batch_op:
        batch_op.create_index("ix_work_order_recommendations_declined", ["status", "decided_at"], unique=False)
        batch_op.create_index("ix_work_order_recommendations_vehicle", ["vehicle_id", "status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_work_order_recommendations_work_order_id"), ["work_order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("work_order_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_recommendations_work_order_id"))
        batch_op.drop_index("ix_work_order_recommendations_vehicle")
        batch_op.drop_index("ix_work_order_recommendations_declined")

    op.drop_table("work_order_recommendations")
    with op.batch_alter_table("time_clock_entries", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_time_clock_entries_running",
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.drop_index("ix_time_clock_entries_work_order")
        batch_op.drop_index("ix_time_clock_entries_mechanic")

    op.drop_table("time_clock_entries")
    op.drop_table("work_order_parts")
    op.drop_table("work_order_mechanics")
    with op.batch_alter_table("work_order_labour", schema=None) as batch_op:
        batch_op.drop_index("ix_work_order_labour_mechanic")

    op.drop_table("work_order_labour")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_work_orders_vehicle")
        batch_op.drop_index("ix_work_orders_status")
        batch_op.drop_index("ix_work_orders_client")

    op.drop_table("work_orders")
    with op.batch_alter_table("mechanic_shifts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mechanic_shifts_open",
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.drop_index("ix_mechanic_shifts_mechanic")

    op.drop_table("mechanic_shifts")
