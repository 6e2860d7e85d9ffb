"""The service catalog, labour-time norms, packages, bays and mechanics with their hours, and bookings.

The capacity guard is created here too: on PostgreSQL an exclusion constraint over `booking_slots` (btree_gist,
one time range per resource, ignoring slots that no longer hold), on SQLite triggers that refuse the same overlap.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import autoservice_desk.models.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('group_name', sa.String(length=60), nullable=False),
    sa.Column('is_lift', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bays')),
    sa.UniqueConstraint('name', name=op.f('uq_bays_name'))
    )
    op.create_table('equipment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment')),
    sa.UniqueConstraint('code', name=op.f('uq_equipment_code'))
    )
    op.create_table('service_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('hourly_rate', autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_categories')),
    sa.UniqueConstraint('name', name=op.f('uq_service_categories_name'))
    )
    op.create_table('service_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('make', sa.String(length=60), nullable=True),
    sa.Column('model', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_packages')),
    sa.UniqueConstraint('name', name=op.f('uq_service_packages_name'))
    )
    op.create_table('shop_holidays',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_shop_holidays'))
    )
    op.create_table('skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skills')),
    sa.UniqueConstraint('code', name=op.f('uq_skills_code'))
    )
    op.create_table('working_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_kind', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens_minute', sa.Integer(), nullable=False),
    sa.Column('closes_minute', sa.Integer(), nullable=False),
    sa.CheckConstraint("owner_kind IN ('shop', 'bay', 'mechanic')", name=op.f('ck_working_hours_owner_kind')),
    sa.CheckConstraint('opens_minute >= 0 AND closes_minute <= 1440 AND opens_minute < closes_minute', name=op.f('ck_working_hours_span')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_working_hours_weekday')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_hours'))
    )
    with op.batch_alter_table('working_hours', schema=None) as batch_op:
        batch_op.create_index('ix_working_hours_owner', ['owner_kind', 'owner_id', 'weekday'], unique=False)

    op.create_table('bay_equipment',
    sa.Column('bay_id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bay_id'], ['bays.id'], name=op.f('fk_bay_equipment_bay_id_bays'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_bay_equipment_equipment_id_equipment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('bay_id', 'equipment_id', name=op.f('pk_bay_equipment'))
    )
    op.create_table('mechanics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mechanics_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mechanics'))
    )
    op.create_table('package_parts',
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('article', sa.String(length=60), nullable=False),
    sa.Column('brand', sa.String(length=60), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('quantity', autoservice_desk.models.types.ScaledDecimal(14, 3), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_package_parts_quantity_positive')),
    sa.ForeignKeyConstraint(['package_id'], ['service_packages.id'], name=op.f('fk_package_parts_package_id_service_packages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('package_id', 'position', name=op.f('pk_package_parts'))
    )
    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('default_hours', autoservice_desk.models.types.ScaledDecimal(6, 2), nullable=False),
    sa.Column('price_rule', sa.String(length=16), nullable=False),
    sa.Column('fixed_price', autoservice_desk.models.types.ScaledDecimal(14, 2), nullable=True),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('paid', 'warranty', 'extended')", name=op.f('ck_services_kind')),
    sa.CheckConstraint("price_rule = 'hourly' OR fixed_price IS NOT NULL", name=op.f('ck_services_fixed_price_given')),
    sa.CheckConstraint("price_rule IN ('hourly', 'fixed')", name=op.f('ck_services_price_rule')),
    sa.CheckConstraint('default_hours > 0', name=op.f('ck_services_default_hours_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['service_categories.id'], name=op.f('fk_services_category_id_service_categories')),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_services_skill_id_skills'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('code', name=op.f('uq_services_code'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_category_id'), ['category_id'], unique=False)

    op.create_table('demo_cars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('plate', sa.String(length=20), nullable=True),
    sa.Column('vehicle_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_demo_cars_vehicle_id_vehicles'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demo_cars'))
    )
    op.create_table('labour_norms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('make', sa.String(length=60), nullable=False),
    sa.Column('model', sa.String(length=100), nullable=True),
    sa.Column('year_from', sa.Integer(), nullable=True),
    sa.Column('year_to', sa.Integer(), nullable=True),
    sa.Column('engine', sa.String(length=60), nullable=True),
    sa.Column('hours', autoservice_desk.models.types.ScaledDecimal(6, 2), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.CheckConstraint('hours > 0', name=op.f('ck_labour_norms_hours_positive')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_labour_norms_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labour_norms'))
    )
    with op.batch_alter_table('labour_norms', schema=None) as batch_op:
        batch_op.create_index('ix_labour_norms_service_make', ['service_id', 'make'], unique=False)

    op.create_table('mechanic_absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mechanic_id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.CheckConstraint('first_day <= last_day', name=op.f('ck_mechanic_absences_order')),
    sa.ForeignKeyConstraint(['mechanic_id'], ['mechanics.id'], name=op.f('fk_mechanic_absences_mechanic_id_mechanics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mechanic_absences'))
    )
    with op.batch_alter_table('mechanic_absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mechanic_absences_mechanic_id'), ['mechanic_id'], unique=False)

    op.create_table('mechanic_skills',
    sa.Column('mechanic_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['mechanic_id'], ['mechanics.id'], name=op.f('fk_mechanic_skills_mechanic_id_mechanics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_mechanic_skills_skill_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('mechanic_id', 'skill_id', name=op.f('pk_mechanic_skills'))
    )
    op.create_table('package_services',
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['service_packages.id'], name=op.f('fk_package_services_package_id_service_packages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_package_services_service_id_services')),
    sa.PrimaryKeyConstraint('package_id', 'position', name=op.f('pk_package_services'))
    )
    op.create_table('service_equipment',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_service_equipment_equipment_id_equipment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_equipment_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'equipment_id', name=op.f('pk_service_equipment'))
    )
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.Integer(), nullable=True),
    sa.Column('bay_id', sa.Integer(), nullable=True),
    sa.Column('demo_car_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('service', 'test_drive')", name=op.f('ck_bookings_kind')),
    sa.CheckConstraint("status IN ('booked', 'confirmed', 'arrived', 'in_work', 'done', 'no_show', 'cancelled')", name=op.f('ck_bookings_status')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_bookings_span')),
    sa.ForeignKeyConstraint(['bay_id'], ['bays.id'], name=op.f('fk_bookings_bay_id_bays')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_bookings_client_id_clients')),
    sa.ForeignKeyConstraint(['demo_car_id'], ['demo_cars.id'], name=op.f('fk_bookings_demo_car_id_demo_cars')),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_bookings_vehicle_id_vehicles'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_client', ['client_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_bookings_starts_at', ['starts_at'], unique=False)

    op.create_table('booking_mechanics',
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('mechanic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_mechanics_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mechanic_id'], ['mechanics.id'], name=op.f('fk_booking_mechanics_mechanic_id_mechanics')),
    sa.PrimaryKeyConstraint('booking_id', 'mechanic_id', name=op.f('pk_booking_mechanics'))
    )
    op.create_table('booking_services',
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=True),
    sa.Column('hours', autoservice_desk.models.types.ScaledDecimal(6, 2), nullable=False),
    sa.CheckConstraint('hours > 0', name=op.f('ck_booking_services_hours_positive')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_services_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['service_packages.id'], name=op.f('fk_booking_services_package_id_service_packages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_services_service_id_services')),
    sa.PrimaryKeyConstraint('booking_id', 'position', name=op.f('pk_booking_services'))
    )
    op.create_table('booking_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('resource', sa.String(length=40), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('holds', sa.Boolean(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_booking_slots_span')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_slots_booking_id_bookings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_slots'))
    )
    with op.batch_alter_table('booking_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_slots_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index('ix_booking_slots_resource', ['resource', 'starts_at'], unique=False)
    _create_overlap_guard()
    _seed_catalog()


def downgrade() -> None:
    _drop_overlap_guard()
    with op.batch_alter_table('booking_slots', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_slots_resource')
        batch_op.drop_index(batch_op.f('ix_booking_slots_booking_id'))

    op.drop_table('booking_slots')
    op.drop_table('booking_services')
    op.drop_table('booking_mechanics')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_starts_at')
        batch_op.drop_index('ix_bookings_client')

    op.drop_table('bookings')
    op.drop_table('service_equipment')
    op.drop_table('package_services')
    op.drop_table('mechanic_skills')
    with op.batch_alter_table('mechanic_absences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mechanic_absences_mechanic_id'))

    op.drop_table('mechanic_absences')
    with op.batch_alter_table('labour_norms', schema=None) as batch_op:
        batch_op.drop_index('ix_labour_norms_service_make')

    op.drop_table('labour_norms')
    op.drop_table('demo_cars')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_category_id'))

    op.drop_table('services')
    op.drop_table('package_parts')
    op.drop_table('mechanics')
    op.drop_table('bay_equipment')
    with op.batch_alter_table('working_hours', schema=None) as batch_op:
        batch_op.drop_index('ix_working_hours_owner')

    op.drop_table('working_hours')
    op.drop_table('skills')
    op.drop_table('shop_holidays')
    op.drop_table('service_packages')
    op.drop_table('service_categories')
    op.drop_table('equipment')
    op.drop_table('bays')


OVERLAP_MESSAGE = "booking_overlap"  # services.booking_guard recognises this text in the SQLite error


def _create_overlap_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE booking_slots ADD CONSTRAINT ex_booking_slots_no_overlap EXCLUDE USING gist "
            "(resource WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (holds)"
        )
        return
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff' UTC text, so text comparison is time order.
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER tr_booking_slots_no_overlap_{event.lower()} BEFORE {event} ON booking_slots "
            "FOR EACH ROW WHEN NEW.holds "
            "BEGIN SELECT RAISE(ABORT, '" + OVERLAP_MESSAGE + "') WHERE EXISTS ("
            "SELECT 1 FROM booking_slots AS other WHERE other.resource = NEW.resource AND other.holds "
            "AND other.id IS NOT NEW.id AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at); END"
        )


def _drop_overlap_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE booking_slots DROP CONSTRAINT IF EXISTS ex_booking_slots_no_overlap")
        return
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS tr_booking_slots_no_overlap_{event}")


# A starting catalog a Russian shop recognises; everything is editable in Settings → Catalog.
EQUIPMENT = (
    ("lift", "Подъёмник"), ("alignment", "Стенд развал-схождения"), ("tyre_changer", "Шиномонтажный станок"),
    ("balancer", "Балансировочный станок"), ("scanner", "Диагностический сканер"), ("ac_station", "Станция заправки кондиционеров"),
    ("pit", "Смотровая яма"), ("paint_booth", "Покрасочная камера"),
)  # fmt: skip
SKILLS = (
    ("general", "Слесарный ремонт"), ("diagnostics", "Диагностика"), ("electrics", "Автоэлектрика"),
    ("body", "Кузовной ремонт"), ("tyres", "Шиномонтаж"), ("engine", "Ремонт двигателя"),
)  # fmt: skip
# name, hourly rate (roubles), services: (code, name, hours, equipment codes, skill code, fixed price or None)
CATALOG = (
    ("ТО", 2200, (
        ("TO-OIL", "Замена масла в двигателе и фильтра", "0.5", ("lift",), "general", None),
        ("TO-1", "ТО-1 (регламентное обслуживание)", "1.5", ("lift",), "general", None),
        ("TO-2", "ТО-2 (расширенное обслуживание)", "3", ("lift",), "general", None),
        ("TO-AIR", "Замена воздушного фильтра", "0.2", (), "general", None),
        ("TO-CABIN", "Замена салонного фильтра", "0.3", (), "general", None),
    )),
    ("Диагностика", 2500, (
        ("DG-COMP", "Компьютерная диагностика", "0.5", ("scanner",), "diagnostics", "1500"),
        ("DG-SUSP", "Диагностика подвески", "0.5", ("lift",), "general", None),
        ("DG-PRE", "Предпродажная диагностика", "1.5", ("lift", "scanner"), "diagnostics", None),
    )),
    ("Двигатель", 2500, (
        ("EN-BELT", "Замена ремня ГРМ", "3", ("lift",), "engine", None),
        ("EN-PLUGS", "Замена свечей зажигания", "0.6", (), "engine", None),
        ("EN-COOL", "Замена охлаждающей жидкости", "0.8", ("lift",), "general", None),
    )),
    ("Подвеска", 2200, (
        ("SU-SHOCK", "Замена амортизатора (1 шт.)", "1", ("lift",), "general", None),
        ("SU-ARM", "Замена рычага подвески", "1.2", ("lift",), "general", None),
        ("SU-ALIGN", "Развал-схождение", "1", ("alignment",), "general", "2500"),
    )),
    ("Тормоза", 2200, (
        ("BR-PADS-F", "Замена передних тормозных колодок", "0.8", ("lift",), "general", None),
        ("BR-PADS-R", "Замена задних тормозных колодок", "1", ("lift",), "general", None),
        ("BR-DISC", "Замена тормозных дисков (ось)", "1.5", ("lift",), "general", None),
        ("BR-FLUID", "Замена тормозной жидкости", "0.7", ("lift",), "general", None),
    )),
    ("Электрика", 2500, (
        ("EL-BATT", "Замена аккумулятора", "0.3", (), "electrics", None),
        ("EL-AC", "Заправка кондиционера", "0.8", ("ac_station",), "electrics", "3000"),
        ("EL-DIAG", "Поиск неисправности электрооборудования", "1", ("scanner",), "electrics", None),
    )),
    ("Шиномонтаж", 1800, (
        ("TY-SEASON", "Сезонная замена шин (4 колеса)", "1", ("tyre_changer", "balancer"), "tyres", "2800"),
        ("TY-BAL", "Балансировка колеса", "0.2", ("balancer",), "tyres", "400"),
    )),
    ("Кузовной ремонт", 2800, (
        ("BD-PAINT", "Окраска элемента", "4", ("paint_booth",), "body", None),
        ("BD-PDR", "Удаление вмятины без покраски", "1.5", (), "body", None),
    )),
    ("Мойка", 1200, (
        ("WS-FULL", "Комплексная мойка", "0.5", (), None, "1200"),
    )),
)  # fmt: skip
SHOP_HOURS = ((0, 9, 20), (1, 9, 20), (2, 9, 20), (3, 9, 20), (4, 9, 20), (5, 10, 18))


def _seed_catalog() -> None:
    from decimal import Decimal

    equipment = sa.table("equipment", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("name", sa.String))
    skills = sa.table("skills", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("name", sa.String))
    categories = sa.table(
        "service_categories", sa.column("id", sa.Integer), sa.column("name", sa.String),
        sa.column("hourly_rate", autoservice_desk.models.types.ScaledDecimal(14, 2)), sa.column("sort_order", sa.Integer),
    )  # fmt: skip
    services = sa.table(
        "services", sa.column("id", sa.Integer), sa.column("category_id", sa.Integer), sa.column("code", sa.String),
        sa.column("name", sa.String), sa.column("kind", sa.String),
        sa.column("default_hours", autoservice_desk.models.types.ScaledDecimal(6, 2)), sa.column("price_rule", sa.String),
        sa.column("fixed_price", autoservice_desk.models.types.ScaledDecimal(14, 2)), sa.column("skill_id", sa.Integer),
        sa.column("active", sa.Boolean), sa.column("version", sa.Integer),
    )  # fmt: skip
    service_equipment = sa.table("service_equipment", sa.column("service_id", sa.Integer), sa.column("equipment_id", sa.Integer))
    hours = sa.table(
        "working_hours", sa.column("owner_kind", sa.String), sa.column("owner_id", sa.Integer), sa.column("weekday", sa.Integer),
        sa.column("opens_minute", sa.Integer), sa.column("closes_minute", sa.Integer),
    )  # fmt: skip
    equipment_ids = {code: number for number, (code, _name) in enumerate(EQUIPMENT, start=1)}
    skill_ids = {code: number for number, (code, _name) in enumerate(SKILLS, start=1)}
    op.bulk_insert(equipment, [{"id": equipment_ids[code], "code": code, "name": name} for code, name in EQUIPMENT])
    op.bulk_insert(skills, [{"id": skill_ids[code], "code": code, "name": name} for code, name in SKILLS])
    category_rows: list[dict[str, object]] = []
    service_rows: list[dict[str, object]] = []
    link_rows: list[dict[str, object]] = []
    for category_id, (category, rate, items) in enumerate(CATALOG, start=1):
        category_rows.append({"id": category_id, "name": category, "hourly_rate": Decimal(rate), "sort_order": category_id})
        for code, name, default_hours, needs, skill, price in items:
            service_id = len(service_rows) + 1
            service_rows.append({
                "id": service_id, "category_id": category_id, "code": code, "name": name, "kind": "paid",
                "default_hours": Decimal(default_hours), "price_rule": "fixed" if price else "hourly",
                "fixed_price": Decimal(price) if price else None, "skill_id": skill_ids[skill] if skill else None,
                "active": True, "version": 1,
            })  # fmt: skip
            link_rows += [{"service_id": service_id, "equipment_id": equipment_ids[need]} for need in needs]
    op.bulk_insert(categories, category_rows)
    op.bulk_insert(services, service_rows)
    op.bulk_insert(service_equipment, link_rows)
    op.bulk_insert(hours, [
        {"owner_kind": "shop", "owner_id": None, "weekday": day, "opens_minute": opens * 60, "closes_minute": closes * 60}
        for day, opens, closes in SHOP_HOURS
    ])  # fmt: skip
    if op.get_bind().dialect.name == "postgresql":  # explicit ids above: move the sequences past them
        for table in ("equipment", "skills", "service_categories", "services"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
