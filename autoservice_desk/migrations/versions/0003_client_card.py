"""The full client card: requisites, contacts, tags, consents, visit figures, timeline; car logs and the make list.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BACKFILL_BATCH = 20_000
NOW = sa.text("CURRENT_TIMESTAMP")

# The columns the backfills read, as they are at this revision.
clients = sa.table(
    "clients", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("surname", sa.String),
    sa.column("given_name", sa.String), sa.column("patronymic", sa.String), sa.column("company_name", sa.String),
    sa.column("sort_key", sa.String),
)  # fmt: skip

CLIENT_COLUMNS = (
    ("inn", sa.String(12)), ("kpp", sa.String(9)), ("address", sa.Text()), ("source", sa.String(100)),
    ("blocked_reason", sa.Text()), ("first_visit_on", sa.Date()), ("previous_visit_on", sa.Date()),
    ("last_visit_on", sa.Date()),
)  # fmt: skip


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _percent() -> sa.types.TypeEngine[int]:
    """models.types.ScaledDecimal(5, 2) as stored: NUMERIC on PostgreSQL, hundredths in an integer on SQLite."""
    return sa.BigInteger().with_variant(sa.Numeric(5, 2), "postgresql")


def upgrade() -> None:
    _extend_clients()
    _extend_vehicles()
    _create_contact_tables()
    _create_car_tables()
    _create_timeline()
    _backfill_sort_keys()
    _backfill_ownerships()


def _extend_clients() -> None:
    for name, type_ in CLIENT_COLUMNS:
        op.add_column("clients", sa.Column(name, type_, nullable=True))
    op.add_column("clients", sa.Column("discount_percent", _percent(), server_default="0", nullable=False))
    op.add_column("clients", sa.Column("sort_key", sa.String(200), server_default="", nullable=False))
    op.add_column("clients", sa.Column("blocked_at", _utc(), nullable=True))
    op.add_column("clients", sa.Column("visit_count", sa.Integer(), server_default="0", nullable=False))
    op.add_column("clients", sa.Column("anonymised_at", _utc(), nullable=True))
    op.add_column("clients", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with a foreign key in place as long as its default is NULL; Alembic would rebuild
        # the table (a million rows, and every foreign key pointing at it) to add the constraint separately.
        op.execute(
            "ALTER TABLE clients ADD COLUMN merged_into_id INTEGER "
            "CONSTRAINT fk_clients_merged_into_id_clients REFERENCES clients (id)"
        )
    else:
        op.add_column("clients", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_clients_merged_into_id_clients"), "clients", "clients", ["merged_into_id"], ["id"]
        )
    op.create_index("ix_clients_sort_key", "clients", ["sort_key", "id"])
    op.add_column("client_phones", sa.Column("label", sa.String(60), nullable=True))


def _extend_vehicles() -> None:
    op.add_column("vehicles", sa.Column("chassis_number", sa.String(30), nullable=True))
    op.add_column("vehicles", sa.Column("engine", sa.String(80), nullable=True))
    op.add_column("vehicles", sa.Column("notes", sa.Text(), nullable=True))
    op.add_column("vehicles", sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def _client_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["client_id"], ["clients.id"], name=op.f(f"fk_{table}_client_id_clients"), ondelete="CASCADE"
    )


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL")


def _create_contact_tables() -> None:
    op.create_table(
        "client_messengers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("handle", sa.String(120), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        _client_fk("client_messengers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_messengers")),
    )
    op.create_index("ix_client_messengers_client_id", "client_messengers", ["client_id"])
    op.create_table(
        "client_contact_persons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position_title", sa.String(120), nullable=True),
        sa.Column("phone_e164", sa.String(20), nullable=True),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        _client_fk("client_contact_persons"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_contact_persons")),
    )
    op.create_index("ix_client_contact_persons_client_id", "client_contact_persons", ["client_id"])
    op.create_table(
        "client_tags",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(60), nullable=False),
        _client_fk("client_tags"),
        sa.PrimaryKeyConstraint("client_id", "tag", name=op.f("pk_client_tags")),
    )
    op.create_index("ix_client_tags_tag", "client_tags", ["tag"])
    op.create_table(
        "client_consents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(120), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('service', 'marketing')", name=op.f("ck_client_consents_kind")),
        _client_fk("client_consents"),
        _user_fk("client_consents", "recorded_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_consents")),
    )
    op.create_index("ix_client_consents_client_id", "client_consents", ["client_id", "kind", "id"])


def _create_car_tables() -> None:
    vehicle_fk = sa.ForeignKeyConstraint(
        ["vehicle_id"], ["vehicles.id"], name=op.f("fk_vehicle_mileage_vehicle_id_vehicles"), ondelete="CASCADE"
    )
    op.create_table(
        "vehicle_mileage",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
        sa.Column("kilometres", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kilometres >= 0", name=op.f("ck_vehicle_mileage_kilometres_not_negative")),
        vehicle_fk,
        _user_fk("vehicle_mileage", "recorded_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_mileage")),
    )
    op.create_index("ix_vehicle_mileage_vehicle_id", "vehicle_mileage", ["vehicle_id", "read_on", "id"])
    op.create_table(
        "vehicle_ownerships",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_vehicle_ownerships_vehicle_id_vehicles"), ondelete="CASCADE"
        ),
        _client_fk("vehicle_ownerships"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_ownerships")),
    )
    op.create_index("ix_vehicle_ownerships_vehicle_id", "vehicle_ownerships", ["vehicle_id", "since"])
    op.create_index("ix_vehicle_ownerships_client_id", "vehicle_ownerships", ["client_id"])
    op.create_table(
        "vehicle_makes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_makes")),
        sa.UniqueConstraint("name", name=op.f("uq_vehicle_makes_name")),
    )
    op.create_table(
        "vehicle_models",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("make_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.ForeignKeyConstraint(
            ["make_id"], ["vehicle_makes.id"], name=op.f("fk_vehicle_models_make_id_vehicle_makes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_models")),
    )
    op.create_index("uq_vehicle_models_make_id_name", "vehicle_models", ["make_id", "name"], unique=True)
    _seed_makes()


def _seed_makes() -> None:
    from autoservice_desk.services.vehicle_reference_seed import SEED_MAKES

    makes = sa.table("vehicle_makes", sa.column("id", sa.Integer), sa.column("name", sa.String))
    models = sa.table(
        "vehicle_models", sa.column("make_id", sa.Integer), sa.column("name", sa.String)
    )  # fmt: skip
    op.bulk_insert(makes, [{"id": number, "name": make} for number, (make, _) in enumerate(SEED_MAKES, start=1)])
    op.bulk_insert(
        models,
        [
            {"make_id": number, "name": model}
            for number, (_, names) in enumerate(SEED_MAKES, start=1)
            for model in names
        ],
    )
    if op.get_bind().dialect.name == "postgresql":  # ids were given explicitly: move the sequence past them
        op.execute("SELECT setval('vehicle_makes_id_seq', (SELECT max(id) FROM vehicle_makes))")


def _create_timeline() -> None:
    op.create_table(
        "client_timeline",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", _utc(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("entity", sa.String(40), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        _client_fk("client_timeline"),
        _user_fk("client_timeline", "actor_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_timeline")),
    )
    op.create_index("ix_client_timeline_client_id", "client_timeline", ["client_id", "occurred_at", "id"])


def _backfill_sort_keys() -> None:
    """The list order for clients already there, computed by the application's own rule, a batch at a time."""
    from autoservice_desk.services.client_names import sort_key

    connection = op.get_bind()
    update = (
        clients.update().where(clients.c.id == sa.bindparam("client_id")).values(sort_key=sa.bindparam("key"))
    )  # fmt: skip
    last_id = 0
    while True:
        batch = connection.execute(
            sa.select(clients).where(clients.c.id > last_id).order_by(clients.c.id).limit(BACKFILL_BATCH)
        ).all()  # fmt: skip
        if not batch:
            break
        last_id = batch[-1].id
        keys = [
            {"client_id": row.id, "key": sort_key(row.kind, row.surname, row.given_name, row.patronymic, row.company_name)}
            for row in batch
        ]  # fmt: skip
        connection.execute(update, keys)


def _backfill_ownerships() -> None:
    """Each owned car gets its current ownership, starting the day the car was entered."""
    since = "date(created_at)" if op.get_bind().dialect.name == "sqlite" else "created_at::date"
    op.execute(
        "INSERT INTO vehicle_ownerships (vehicle_id, client_id, since) "
        f"SELECT id, owner_id, {since} FROM vehicles WHERE owner_id IS NOT NULL"
    )


def downgrade() -> None:
    for table in (
        "client_timeline", "vehicle_models", "vehicle_makes", "vehicle_ownerships", "vehicle_mileage",
        "client_consents", "client_tags", "client_contact_persons", "client_messengers",
    ):  # fmt: skip
        op.drop_table(table)
    with op.batch_alter_table("vehicles") as batch:
        for column in ("chassis_number", "engine", "notes", "version"):
            batch.drop_column(column)
    with op.batch_alter_table("client_phones") as batch:
        batch.drop_column("label")
    op.drop_index("ix_clients_sort_key", table_name="clients")
    with op.batch_alter_table("clients") as batch:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's rebuild drops it with the column (it has no name there)
            batch.drop_constraint(op.f("fk_clients_merged_into_id_clients"), type_="foreignkey")
        for column in (
            *(name for name, _ in CLIENT_COLUMNS), "discount_percent", "sort_key", "blocked_at", "visit_count",
            "anonymised_at", "version", "merged_into_id",
        ):  # fmt: skip
            batch.drop_column(column)
