"""Outbound messages: outbox, templates, triggers, scheduler job store.

Also the shop's messaging settings (one row shared by every desk), maintenance intervals and records, opt-outs,
how far incoming replies have been read, Telegram link codes, advisor tasks, and APScheduler's job table (created
here so `db check` knows it).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import autoservice_desk.models.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("template_code", sa.String(length=40), nullable=True),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("segments", sa.SmallInteger(), nullable=False),
        sa.Column("provider", sa.String(length=30), nullable=True),
        sa.Column("client_ref", sa.String(length=40), nullable=True),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("provider_message_id", sa.String(length=100), nullable=True),
        sa.Column("cost", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sending_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled')",
            name=op.f("ck_outbox_messages_status"),
        ),
        sa.CheckConstraint("channel IN ('sms', 'telegram')", name=op.f("ck_outbox_messages_channel")),
        sa.CheckConstraint("purpose IN ('service', 'marketing')", name=op.f("ck_outbox_messages_purpose")),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_messages_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_outbox_messages_client_id_clients"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_messages_idempotency_key")),
    )
    op.create_index("ix_outbox_messages_due", "outbox_messages", ["status", "next_attempt_at"], unique=False)
    op.create_index("ix_outbox_messages_client_id", "outbox_messages", ["client_id", "created_at"], unique=False)
    op.create_index("ix_outbox_messages_created_at", "outbox_messages", ["created_at"], unique=False)

    op.create_table(
        "message_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_templates")),
        sa.UniqueConstraint("event", "language", "channel", name="uq_message_templates_event"),
    )
    op.create_table(
        "message_triggers",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_message_triggers")),
    )
    op.create_table(
        "messaging_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("quiet_start_minute", sa.Integer(), nullable=False),
        sa.Column("quiet_end_minute", sa.Integer(), nullable=False),
        sa.Column("daily_limit", sa.Integer(), nullable=False),
        sa.Column("reminder_hour", sa.Integer(), nullable=False),
        sa.Column("sms_provider", sa.String(length=30), nullable=False),
        sa.Column("sms_base_url", sa.String(length=300), nullable=False),
        sa.Column("sms_login", sa.String(length=100), nullable=False),
        sa.Column("sms_sender", sa.String(length=30), nullable=False),
        sa.Column("telegram_enabled", sa.Boolean(), nullable=False),
        sa.Column("telegram_base_url", sa.String(length=300), nullable=False),
        sa.Column("shop_name", sa.String(length=200), nullable=False),
        sa.Column("shop_phone", sa.String(length=40), nullable=False),
        sa.Column("maintenance_months", sa.Integer(), nullable=False),
        sa.Column("maintenance_kilometres", sa.Integer(), nullable=False),
        sa.Column("maintenance_notice_days", sa.Integer(), nullable=False),
        sa.Column("declined_follow_up_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("quiet_start_minute BETWEEN 0 AND 1439", name=op.f("ck_messaging_settings_quiet_start")),
        sa.CheckConstraint("quiet_end_minute BETWEEN 0 AND 1439", name=op.f("ck_messaging_settings_quiet_end")),
        sa.CheckConstraint("reminder_hour BETWEEN 0 AND 23", name=op.f("ck_messaging_settings_reminder_hour")),
        sa.CheckConstraint("daily_limit > 0", name=op.f("ck_messaging_settings_daily_limit_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messaging_settings")),
    )
    op.create_table(
        "maintenance_intervals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("make", sa.String(length=60), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("kilometres", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_intervals")),
        sa.UniqueConstraint("make", name=op.f("uq_maintenance_intervals_make")),
    )
    op.create_table(
        "vehicle_maintenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("kilometres", sa.Integer(), nullable=True),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_vehicle_maintenance_vehicle_id_vehicles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_maintenance")),
    )
    op.create_index(
        "ix_vehicle_maintenance_vehicle_id", "vehicle_maintenance", ["vehicle_id", "performed_on"], unique=False
    )
    op.create_table(
        "message_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_message_opt_outs_client_id_clients"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_opt_outs")),
        sa.UniqueConstraint("channel", "recipient", name="uq_message_opt_outs_recipient"),
    )
    op.create_table(
        "message_inbound_cursors",
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("last_reply_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_message_inbound_cursors")),
    )
    op.create_table(
        "telegram_link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("chat_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_telegram_link_codes_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_telegram_link_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_telegram_link_codes_code")),
    )
    op.create_index(op.f("ix_telegram_link_codes_client_id"), "telegram_link_codes", ["client_id"], unique=False)
    op.create_table(
        "advisor_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=60), nullable=True),
        sa.CheckConstraint("status IN ('open', 'done', 'cancelled')", name=op.f("ck_advisor_tasks_status")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_advisor_tasks_client_id_clients"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_advisor_tasks_vehicle_id_vehicles"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisor_tasks")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_advisor_tasks_idempotency_key")),
    )
    op.create_index("ix_advisor_tasks_open", "advisor_tasks", ["status", "due_on"], unique=False)
    op.create_index(op.f("ix_advisor_tasks_client_id"), "advisor_tasks", ["client_id"], unique=False)
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apscheduler_jobs")),
    )
    op.create_index(op.f("ix_apscheduler_jobs_next_run_time"), "apscheduler_jobs", ["next_run_time"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_apscheduler_jobs_next_run_time"), table_name="apscheduler_jobs")
    op.drop_table("apscheduler_jobs")
    op.drop_index(op.f("ix_advisor_tasks_client_id"), table_name="advisor_tasks")
    op.drop_index("ix_advisor_tasks_open", table_name="advisor_tasks")
    op.drop_table("advisor_tasks")
    op.drop_index(op.f("ix_telegram_link_codes_client_id"), table_name="telegram_link_codes")
    op.drop_table("telegram_link_codes")
    op.drop_table("message_inbound_cursors")
    op.drop_table("message_opt_outs")
    op.drop_index("ix_vehicle_maintenance_vehicle_id", table_name="vehicle_maintenance")
    op.drop_table("vehicle_maintenance")
    op.drop_table("maintenance_intervals")
    op.drop_table("messaging_settings")
    op.drop_table("message_triggers")
    op.drop_table("message_templates")
    op.drop_index("ix_outbox_messages_created_at", table_name="outbox_messages")
    op.drop_index("ix_outbox_messages_client_id", table_name="outbox_messages")
    op.drop_index("ix_outbox_messages_due", table_name="outbox_messages")
    op.drop_table("outbox_messages")
