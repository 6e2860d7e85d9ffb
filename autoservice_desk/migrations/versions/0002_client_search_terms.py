"""Client search terms: one row per fragment a client is found by, filled for the clients already there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BACKFILL_BATCH = 20_000

# The columns the backfill reads, as they are at this revision (not the application's models, which move on).
clients = sa.table(
    "clients", sa.column("id", sa.Integer), sa.column("surname", sa.String), sa.column("given_name", sa.String),
    sa.column("patronymic", sa.String), sa.column("company_name", sa.String),
)  # fmt: skip
phones = sa.table("client_phones", sa.column("client_id", sa.Integer), sa.column("e164", sa.String))
vehicles = sa.table(
    "vehicles", sa.column("id", sa.Integer), sa.column("owner_id", sa.Integer), sa.column("plate", sa.String),
    sa.column("vin", sa.String),
)  # fmt: skip


def upgrade() -> None:
    terms = op.create_table(
        "client_search_terms",
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        # Code point order whatever the database collation: searches are prefix ranges with a Python-made bound.
        sa.Column("term", sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql"), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_search_terms_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_client_search_terms_vehicle_id_vehicles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("kind", "term", "client_id", name=op.f("pk_client_search_terms")),
        sqlite_with_rowid=False,  # the primary key is the search index: on SQLite let it be the table itself
    )
    op.create_index("ix_client_search_terms_client_id", "client_search_terms", ["client_id", "kind", "term"])
    op.create_index(
        "ix_client_search_terms_vehicle_id",
        "client_search_terms",
        ["vehicle_id"],
        sqlite_where=sa.text("vehicle_id IS NOT NULL"),
        postgresql_where=sa.text("vehicle_id IS NOT NULL"),
    )
    _backfill(terms)


def _backfill(terms: sa.Table) -> None:
    """Terms for every client already in the database, a batch of clients at a time (flat memory at a million).

    The terms are built by the application's own builder, the same code that indexes new and changed clients,
    so an upgraded shop is searched exactly like a new one.
    """
    from autoservice_desk.services.search_terms import terms_for_rows

    connection = op.get_bind()
    last_id = 0
    while True:
        batch = connection.execute(
            sa.select(clients).where(clients.c.id > last_id).order_by(clients.c.id).limit(BACKFILL_BATCH)
        ).mappings().all()  # fmt: skip
        if not batch:
            break
        first_id, last_id = batch[0]["id"], batch[-1]["id"]
        batch_phones = connection.execute(sa.select(phones).where(phones.c.client_id.between(first_id, last_id)))
        batch_cars = connection.execute(sa.select(vehicles).where(vehicles.c.owner_id.between(first_id, last_id)))
        rows = terms_for_rows(batch, batch_phones.mappings().all(), batch_cars.mappings().all())
        if rows:
            connection.execute(terms.insert(), rows)
    if connection.dialect.name == "postgresql" and last_id:
        op.execute("ANALYZE client_search_terms")  # the planner must know the table is big before the first search


def downgrade() -> None:
    op.drop_index("ix_client_search_terms_vehicle_id", table_name="client_search_terms")
    op.drop_index("ix_client_search_terms_client_id", table_name="client_search_terms")
    op.drop_table("client_search_terms")
