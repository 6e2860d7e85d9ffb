"""The warehouse: parts, barcodes, markups, cross-references, places, suppliers, stock documents and the ledger.

Besides the tables' CHECKs (no negative balance, no reservation above what is there), triggers keep stock moves
immutable on both dialects: a posted move is corrected by a reversal document, never edited.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import autoservice_desk.models.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _search_key(length: int) -> sa.types.TypeEngine[str]:
    """Keys searched by prefix ranges sort by code point on PostgreSQL, whatever the database's collation."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "cross_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("article_key", _search_key(60), nullable=False),
        sa.Column("brand_key", _search_key(60), nullable=False),
        sa.Column("article", sa.String(length=60), nullable=False),
        sa.Column("brand", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cross_references")),
        sa.UniqueConstraint("article_key", "brand_key", name="uq_cross_references_article_brand"),
    )
    with op.batch_alter_table("cross_references", schema=None) as batch_op:
        batch_op.create_index("ix_cross_references_group", ["group_id"], unique=False)

    op.create_table(
        "part_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["part_groups.id"], name=op.f("fk_part_groups_parent_id_part_groups"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_part_groups_name")),
    )
    op.create_table(
        "stock_locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("warehouse_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('warehouse', 'rack', 'shelf', 'bin')", name=op.f("ck_stock_locations_kind")),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_locations_parent_id_stock_locations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_locations_warehouse_id_stock_locations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_locations")),
        sa.UniqueConstraint("parent_id", "name", name="uq_stock_locations_parent_name"),
    )
    with op.batch_alter_table("stock_locations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_locations_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("inn", sa.String(length=12), nullable=True),
        sa.Column("kpp", sa.String(length=9), nullable=True),
        sa.Column("contact_person", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("payment_days", sa.Integer(), nullable=True),
        sa.Column("delivery_days", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("name", name=op.f("uq_suppliers_name")),
    )
    op.create_table(
        "markup_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("brand_key", sa.String(length=60), nullable=True),
        sa.Column("price_from", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("price_to", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("markup_percent", autoservice_desk.models.types.ScaledDecimal(7, 2), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["part_groups.id"], name=op.f("fk_markup_rules_group_id_part_groups"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_markup_rules")),
    )
    op.create_table(
        "parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article", sa.String(length=60), nullable=False),
        sa.Column("article_key", _search_key(60), nullable=False),
        sa.Column("brand", sa.String(length=60), nullable=False),
        sa.Column("brand_key", _search_key(60), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", _search_key(300), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("fractional", sa.Boolean(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("min_stock", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("purchase_price", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("sale_price", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("average_cost", autoservice_desk.models.types.ScaledDecimal(18, 4), nullable=False),
        sa.Column("default_location_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint("min_stock >= 0", name=op.f("ck_parts_min_stock_not_negative")),
        sa.ForeignKeyConstraint(
            ["default_location_id"],
            ["stock_locations.id"],
            name=op.f("fk_parts_default_location_id_stock_locations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["part_groups.id"], name=op.f("fk_parts_group_id_part_groups"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parts")),
        sa.UniqueConstraint("article_key", "brand_key", name="uq_parts_article_brand"),
    )
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.create_index("ix_parts_article_key", ["article_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_parts_group_id"), ["group_id"], unique=False)
        batch_op.create_index("ix_parts_name_key", ["name_key"], unique=False)

    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'sent', 'partial', 'received', 'cancelled')", name=op.f("ck_purchase_orders_status")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_purchase_orders_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint("year", "number", name="uq_purchase_orders_number"),
    )
    op.create_table(
        "stock_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("supplier_invoice", sa.String(length=60), nullable=True),
        sa.Column("supplier_invoice_date", sa.Date(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("against_id", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_by", sa.String(length=60), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint(
            "kind IN ('receipt', 'issue', 'transfer', 'supplier_return', 'count', 'write_off')",
            name=op.f("ck_stock_documents_kind"),
        ),
        sa.CheckConstraint("status IN ('draft', 'posted')", name=op.f("ck_stock_documents_status")),
        sa.ForeignKeyConstraint(
            ["against_id"], ["stock_documents.id"], name=op.f("fk_stock_documents_against_id_stock_documents")
        ),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_stock_documents_client_id_clients")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["stock_locations.id"], name=op.f("fk_stock_documents_location_id_stock_locations")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["stock_documents.id"], name=op.f("fk_stock_documents_reverses_id_stock_documents")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_stock_documents_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_documents")),
        sa.UniqueConstraint("kind", "year", "number", name="uq_stock_documents_number"),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_stock_documents_reverses_id")),
    )
    with op.batch_alter_table("stock_documents", schema=None) as batch_op:
        batch_op.create_index("ix_stock_documents_kind_date", ["kind", "document_date"], unique=False)

    op.create_table(
        "part_barcodes",
        sa.Column("barcode", sa.String(length=64), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_part_barcodes_part_id_parts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("barcode", name=op.f("pk_part_barcodes")),
    )
    with op.batch_alter_table("part_barcodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_part_barcodes_part_id"), ["part_id"], unique=False)

    op.create_table(
        "special_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("quantity", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint(
            "status IN ('needed', 'ordered', 'arrived', 'issued', 'cancelled')", name=op.f("ck_special_orders_status")
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_special_orders_quantity_positive")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_special_orders_client_id_clients")),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name=op.f("fk_special_orders_part_id_parts")),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_special_orders_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_orders")),
    )
    with op.batch_alter_table("special_orders", schema=None) as batch_op:
        batch_op.create_index("ix_special_orders_status", ["status"], unique=False)

    op.create_table(
        "stock_balances",
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("reserved", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_stock_balances_quantity_not_negative")),
        sa.CheckConstraint(
            "reserved >= 0 AND reserved <= quantity", name=op.f("ck_stock_balances_reserved_within_quantity")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["stock_locations.id"], name=op.f("fk_stock_balances_location_id_stock_locations")
        ),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name=op.f("fk_stock_balances_part_id_parts")),
        sa.PrimaryKeyConstraint("part_id", "location_id", name=op.f("pk_stock_balances")),
    )
    with op.batch_alter_table("stock_balances", schema=None) as batch_op:
        batch_op.create_index("ix_stock_balances_location", ["location_id"], unique=False)

    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("quantity", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("price", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("received", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("special_order_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_purchase_order_lines_quantity_positive")),
        sa.CheckConstraint("received >= 0", name=op.f("ck_purchase_order_lines_received_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_purchase_order_lines_order_id_purchase_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name=op.f("fk_purchase_order_lines_part_id_parts")),
        sa.ForeignKeyConstraint(
            ["special_order_id"],
            ["special_orders.id"],
            name=op.f("fk_purchase_order_lines_special_order_id_special_orders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_lines")),
    )
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchase_order_lines_order_id"), ["order_id"], unique=False)

    op.create_table(
        "stock_reservations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("special_order_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint("status IN ('active', 'consumed', 'released')", name=op.f("ck_stock_reservations_status")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_stock_reservations_quantity_positive")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_stock_reservations_client_id_clients")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["stock_locations.id"], name=op.f("fk_stock_reservations_location_id_stock_locations")
        ),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name=op.f("fk_stock_reservations_part_id_parts")),
        sa.ForeignKeyConstraint(
            ["special_order_id"],
            ["special_orders.id"],
            name=op.f("fk_stock_reservations_special_order_id_special_orders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_reservations")),
    )
    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.create_index("ix_stock_reservations_part", ["part_id", "location_id", "status"], unique=False)

    op.create_table(
        "stock_document_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("quantity", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("price", autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
        sa.Column("from_location_id", sa.Integer(), nullable=True),
        sa.Column("to_location_id", sa.Integer(), nullable=True),
        sa.Column("reservation_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_stock_document_lines_quantity_not_negative")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["stock_documents.id"],
            name=op.f("fk_stock_document_lines_document_id_stock_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_document_lines_from_location_id_stock_locations"),
        ),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name=op.f("fk_stock_document_lines_part_id_parts")),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["stock_reservations.id"],
            name=op.f("fk_stock_document_lines_reservation_id_stock_reservations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_document_lines_to_location_id_stock_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_document_lines")),
        sa.UniqueConstraint("document_id", "position", name="uq_stock_document_lines_position"),
    )
    with op.batch_alter_table("stock_document_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_document_lines_document_id"), ["document_id"], unique=False)

    op.create_table(
        "stock_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
        sa.Column("unit_cost", autoservice_desk.models.types.ScaledDecimal(18, 4), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity <> 0", name=op.f("ck_stock_moves_quantity_not_zero")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["stock_documents.id"], name=op.f("fk_stock_moves_document_id_stock_documents")
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["stock_document_lines.id"], name=op.f("fk_stock_moves_line_id_stock_document_lines")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["stock_locations.id"], name=op.f("fk_stock_moves_location_id_stock_locations")
        ),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name=op.f("fk_stock_moves_part_id_parts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_moves")),
    )
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.create_index("ix_stock_moves_document", ["document_id"], unique=False)
        batch_op.create_index("ix_stock_moves_moved_at", ["moved_at"], unique=False)
        batch_op.create_index("ix_stock_moves_part_location", ["part_id", "location_id", "moved_at"], unique=False)
    _make_moves_immutable()


def downgrade() -> None:
    _drop_immutability()
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_moves_part_location")
        batch_op.drop_index("ix_stock_moves_moved_at")
        batch_op.drop_index("ix_stock_moves_document")

    op.drop_table("stock_moves")
    with op.batch_alter_table("stock_document_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_document_lines_document_id"))

    op.drop_table("stock_document_lines")
    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_reservations_part")

    op.drop_table("stock_reservations")
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_lines_order_id"))

    op.drop_table("purchase_order_lines")
    with op.batch_alter_table("stock_balances", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_balances_location")

    op.drop_table("stock_balances")
    with op.batch_alter_table("special_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_special_orders_status")

    op.drop_table("special_orders")
    with op.batch_alter_table("part_barcodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_part_barcodes_part_id"))

    op.drop_table("part_barcodes")
    with op.batch_alter_table("stock_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_documents_kind_date")

    op.drop_table("stock_documents")
    op.drop_table("purchase_orders")
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.drop_index("ix_parts_name_key")
        batch_op.drop_index(batch_op.f("ix_parts_group_id"))
        batch_op.drop_index("ix_parts_article_key")

    op.drop_table("parts")
    op.drop_table("markup_rules")
    op.drop_table("suppliers")
    with op.batch_alter_table("stock_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_locations_parent_id"))

    op.drop_table("stock_locations")
    op.drop_table("part_groups")
    with op.batch_alter_table("cross_references", schema=None) as batch_op:
        batch_op.drop_index("ix_cross_references_group")

    op.drop_table("cross_references")


def _make_moves_immutable() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION stock_moves_are_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'stock_moves_immutable'; END $$"
        )
        op.execute(
            "CREATE TRIGGER tr_stock_moves_immutable BEFORE UPDATE OR DELETE ON stock_moves "
            "FOR EACH ROW EXECUTE FUNCTION stock_moves_are_immutable()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER tr_stock_moves_no_{event.lower()} BEFORE {event} ON stock_moves "
            "BEGIN SELECT RAISE(ABORT, 'stock_moves_immutable'); END"
        )


def _drop_immutability() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tr_stock_moves_immutable ON stock_moves")
        op.execute("DROP FUNCTION IF EXISTS stock_moves_are_immutable()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS tr_stock_moves_no_{event}")
