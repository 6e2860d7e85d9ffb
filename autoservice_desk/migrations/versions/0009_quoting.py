"""Parts quoting: supplier price lists, markup rules, online suppliers, quotes.

Markup rules get an optional supplier; price lists are batches of rows switched atomically per supplier; online
suppliers' answers are cached in the database so every desk shares them; quotes keep their offers as they were.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import autoservice_desk.models.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _search_key(length: int) -> sa.types.TypeEngine[str]:
    """Keys looked up by equality and prefix ranges sort by code point on PostgreSQL (as in 0005)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _money() -> autoservice_desk.models.types.ScaledDecimal:
    return autoservice_desk.models.types.ScaledDecimal(14, 2)


def _quantity() -> autoservice_desk.models.types.ScaledDecimal:
    return autoservice_desk.models.types.ScaledDecimal(14, 3)


def _utc() -> sa.types.TypeEngine[Any]:
    return sa.DateTime(timezone=True)


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", _utc(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", _utc(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
    ]


def _markup_supplier() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place, as 0003 adds clients.merged_into_id: a NULL-default column with its foreign key needs no rebuild.
        op.execute(
            "ALTER TABLE markup_rules ADD COLUMN supplier_id INTEGER "
            "CONSTRAINT fk_markup_rules_supplier_id_suppliers REFERENCES suppliers (id)"
        )
    else:
        op.add_column("markup_rules", sa.Column("supplier_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_markup_rules_supplier_id_suppliers"), "markup_rules", "suppliers", ["supplier_id"], ["id"]
        )


def _price_lists() -> None:
    op.create_table(
        "price_list_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("imported_at", _utc(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_price_list_batches_supplier_id_suppliers"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_list_batches")),
    )
    op.create_index("ix_price_list_batches_supplier", "price_list_batches", ["supplier_id", "current"])
    op.create_table(
        "price_list_rows",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("article_key", _search_key(60), nullable=False),
        sa.Column("brand_key", _search_key(60), nullable=False),
        sa.Column("article", sa.String(length=60), nullable=False),
        sa.Column("brand", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("quantity", _quantity(), nullable=True),
        sa.Column("price", _money(), nullable=False),
        sa.Column("delivery_days", sa.Integer(), nullable=True),
        sa.Column("multiplicity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["price_list_batches.id"], name=op.f("fk_price_list_rows_batch_id_price_list_batches"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_list_rows")),
    )
    op.create_index("ix_price_list_rows_article_key", "price_list_rows", ["article_key"])
    op.create_index("ix_price_list_rows_batch", "price_list_rows", ["batch_id"])
    op.create_table(
        "price_list_mappings",
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("columns", _json(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_price_list_mappings_supplier_id_suppliers"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("supplier_id", name=op.f("pk_price_list_mappings")),
    )


def _online_suppliers() -> None:
    op.create_table(
        "online_suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("login", sa.String(length=200), nullable=False),
        sa.Column("url_template", sa.String(length=1000), nullable=False),
        sa.Column("brands_url_template", sa.String(length=1000), nullable=False),
        sa.Column("field_mapping", _json(), nullable=True),
        sa.Column("timeout_ms", sa.Integer(), nullable=False),
        sa.Column("cache_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("kind IN ('abcp', 'json')", name=op.f("ck_online_suppliers_kind")),
        sa.CheckConstraint("timeout_ms > 0", name=op.f("ck_online_suppliers_timeout_positive")),
        sa.CheckConstraint("cache_minutes >= 0", name=op.f("ck_online_suppliers_cache_not_negative")),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_online_suppliers_supplier_id_suppliers"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_suppliers")),
        sa.UniqueConstraint("supplier_id", name=op.f("uq_online_suppliers_supplier_id")),
    )
    op.create_table(
        "supplier_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("online_supplier_id", sa.Integer(), nullable=False),
        sa.Column("query_key", sa.String(length=200), nullable=False),
        sa.Column("fetched_at", _utc(), nullable=False),
        sa.Column("payload", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["online_supplier_id"], ["online_suppliers.id"],
            name=op.f("fk_supplier_answers_online_supplier_id_online_suppliers"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_answers")),
        sa.UniqueConstraint("online_supplier_id", "query_key", name="uq_supplier_answers_query"),
    )


def _quotes() -> None:
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("article", sa.String(length=60), nullable=False),
        sa.Column("brand", sa.String(length=60), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_quotes_booking_id_bookings"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_quotes_client_id_clients"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_quotes_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.UniqueConstraint("year", "number", name="uq_quotes_number"),
    )
    op.create_index("ix_quotes_client", "quotes", ["client_id", "created_at"])
    op.create_index("ix_quotes_work_order", "quotes", ["work_order_id"])
    op.create_table(
        "quote_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("analog", sa.Boolean(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("brand", sa.String(length=60), nullable=False),
        sa.Column("article", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("quantity", _quantity(), nullable=True),
        sa.Column("delivery_days", sa.Integer(), nullable=True),
        sa.Column("purchase_price", _money(), nullable=True),
        sa.Column("sale_price", _money(), nullable=True),
        sa.Column("multiplicity", sa.Integer(), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.CheckConstraint("source IN ('stock', 'price_list', 'online')", name=op.f("ck_quote_offers_source")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["stock_locations.id"], name=op.f("fk_quote_offers_location_id_stock_locations"),
            ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_quote_offers_part_id_parts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_quote_offers_quote_id_quotes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_quote_offers_supplier_id_suppliers"),
            ondelete="SET NULL",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_offers")),
        sa.UniqueConstraint("quote_id", "position", name="uq_quote_offers_position"),
    )


def upgrade() -> None:
    _markup_supplier()
    _price_lists()
    _online_suppliers()
    _quotes()


def downgrade() -> None:
    op.drop_table("quote_offers")
    op.drop_index("ix_quotes_work_order", table_name="quotes")
    op.drop_index("ix_quotes_client", table_name="quotes")
    op.drop_table("quotes")
    op.drop_table("supplier_answers")
    op.drop_table("online_suppliers")
    op.drop_table("price_list_mappings")
    op.drop_index("ix_price_list_rows_batch", table_name="price_list_rows")
    op.drop_index("ix_price_list_rows_article_key", table_name="price_list_rows")
    op.drop_table("price_list_rows")
    op.drop_index("ix_price_list_batches_supplier", table_name="price_list_batches")
    op.drop_table("price_list_batches")
    with op.batch_alter_table("markup_rules", schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's rebuild drops it with the column (as in 0003)
            batch_op.drop_constraint(op.f("fk_markup_rules_supplier_id_suppliers"), type_="foreignkey")
        batch_op.drop_column("supplier_id")
