"""The demo-shop generator on real SQLite and PostgreSQL databases: counts, realism, valid VINs/plates/phones."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import Engine, func, select, text

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.audit import AuditRecord
from autoservice_desk.models.clients import Client, ClientPhone, Vehicle
from autoservice_desk.models.security import User
from autoservice_desk.services import demo_clients, demo_data
from autoservice_desk.services.client_search import search_clients
from autoservice_desk.services.demo_catalog import CAR_MODELS, FEMALE_NAMES, MALE_NAMES, PLATE_REGIONS, SURNAMES
from autoservice_desk.services.demo_data import DemoSize, DemoSummary, generate_demo_data
from autoservice_desk.services.errors import PermissionDeniedError, ValidationError
from autoservice_desk.services.passwords import hash_password, verify_password
from autoservice_desk.services.search_terms import client_terms, terms_for_rows
from autoservice_desk.services.unit_of_work import Actor, UnitOfWork, UnitOfWorkFactory

DEMO_TABLES = ("audit_log", "user_roles", "users", "vehicles", "client_phones", "clients")


@dataclass
class DemoDatabase:
    """A database emptied of clients, cars, users and audit rows, and a factory acting as the system."""

    engine: Engine
    factory: UnitOfWorkFactory

    def reset(self) -> None:
        """Empty the demo tables again, ids restarting at 1 (as in a brand-new database)."""
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(DEMO_TABLES)} RESTART IDENTITY CASCADE"))
            else:
                for table in DEMO_TABLES:
                    connection.execute(text(f"DELETE FROM {table}"))

    def scalar(self, query: str) -> object:
        with self.engine.connect() as connection:
            return connection.execute(text(query)).scalar()

    def column(self, query: str) -> list[object]:
        with self.engine.connect() as connection:
            return list(connection.execute(text(query)).scalars())


@pytest.fixture
def demo_db(database_url: str) -> Iterator[DemoDatabase]:
    engine = create_database_engine(parse_database_url(database_url, Path("unused")))
    yield DemoDatabase(engine, UnitOfWorkFactory(engine))
    engine.dispose()


# --- Independent checks (deliberately not the generator's own helpers) --------------------------------------------

_TRANSLITERATION = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
                    **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
                    **dict(zip("STUVWXYZ", range(2, 10), strict=True))}  # fmt: skip
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_YEAR_CODE = {2000: "Y", **{2000 + n: str(n) for n in range(1, 10)},
              **dict(zip(range(2010, 2031), "ABCDEFGHJKLMNPRSTVWXY", strict=True))}  # fmt: skip
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
PLATE_RE = re.compile(r"^[АВЕКМНОРСТУХ](?!000)\d{3}[АВЕКМНОРСТУХ]{2}(\d{2,3})$")


def vin_is_valid(vin: str) -> bool:
    if not VIN_RE.match(vin):
        return False
    total = sum(_TRANSLITERATION[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True))
    expected = total % 11
    return vin[8] == ("X" if expected == 10 else str(expected))


def test_the_independent_vin_check_knows_real_vins() -> None:
    assert vin_is_valid("1M8GDM9AXKP042788")  # the textbook example, check digit X
    assert vin_is_valid("11111111111111111")
    assert not vin_is_valid("1M8GDM9A1KP042788")
    assert not vin_is_valid("1M8GDM9AXKP04278O")


def _generate(database: DemoDatabase, **size: object) -> DemoSummary:
    return generate_demo_data(database.factory, DemoSize(**size))  # type: ignore[arg-type]


# --- Tests --------------------------------------------------------------------------------------------------------


def test_counts_progress_and_one_audit_row(demo_db: DemoDatabase) -> None:
    reports: list[tuple[int, int]] = []
    summary = generate_demo_data(
        demo_db.factory, DemoSize(clients=600, batch=250), lambda done, total: reports.append((done, total))
    )
    assert reports == [(250, 600), (500, 600), (600, 600)]
    assert (summary.clients, summary.users, summary.cancelled) == (600, 9, False)
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 600
    assert summary.phones == demo_db.scalar("SELECT COUNT(*) FROM client_phones")
    assert summary.vehicles == demo_db.scalar("SELECT COUNT(*) FROM vehicles")
    assert 600 < summary.phones < 1.5 * 600
    assert 1.15 * 600 < summary.vehicles < 1.45 * 600
    with demo_db.factory() as uow:
        record = uow.session.scalars(select(AuditRecord)).one()  # one summary row, not one per client
        assert (record.entity, record.action) == ("demo_data", "generate")
        assert record.after is not None and record.after["clients"] == 600 and record.after["complete"] is True


def _first_client_vin_plate(database: DemoDatabase) -> tuple[object, ...]:
    with database.engine.connect() as connection:
        client = connection.execute(
            text("SELECT surname, given_name, patronymic, company_name, email, birthday FROM clients ORDER BY id")
        ).first()
        vehicle = connection.execute(text("SELECT vin, plate, make, model, year FROM vehicles ORDER BY id")).first()
        phone = connection.execute(text("SELECT e164 FROM client_phones ORDER BY id")).scalar()
    return (*tuple(client or ()), *tuple(vehicle or ()), phone)


def test_the_same_seed_makes_the_same_shop(demo_db: DemoDatabase) -> None:
    _generate(demo_db, clients=50, users=False, seed=7)
    first = _first_client_vin_plate(demo_db)
    demo_db.reset()
    _generate(demo_db, clients=50, users=False, seed=7)
    assert _first_client_vin_plate(demo_db) == first
    demo_db.reset()
    _generate(demo_db, clients=50, users=False, seed=8)
    assert _first_client_vin_plate(demo_db) != first


def test_every_vin_is_valid_and_matches_make_and_year(demo_db: DemoDatabase) -> None:
    _generate(demo_db, clients=1500, users=False, batch=400)
    wmis = {(car.make, car.model): car.wmi for car in CAR_MODELS}
    with demo_db.engine.connect() as connection:
        rows = connection.execute(select(Vehicle.vin, Vehicle.make, Vehicle.model, Vehicle.year)).all()
    assert rows
    for vin, make, model, year in rows:
        assert vin is not None and vin_is_valid(vin), vin
        assert vin[:3] == wmis[(make, model)], (vin, make, model)
        assert year is not None and vin[9] == _YEAR_CODE[year], (vin, year)


def test_every_plate_follows_gost(demo_db: DemoDatabase) -> None:
    _generate(demo_db, clients=1500, users=False, batch=400)
    regions = {code for group in PLATE_REGIONS for code in group.codes}
    plates = [plate for plate in demo_db.column("SELECT plate FROM vehicles") if plate is not None]
    assert len(plates) > 1500
    for plate in plates:
        match = PLATE_RE.match(str(plate))
        assert match, plate
        assert match.group(1) in regions, plate
    assert any(str(plate).endswith("77") for plate in plates)


def test_every_phone_is_a_valid_russian_mobile_in_e164(demo_db: DemoDatabase) -> None:
    _generate(demo_db, clients=1500, users=False, batch=400)
    phones = demo_db.column("SELECT e164 FROM client_phones")
    per_client = demo_db.column("SELECT COUNT(*) FROM client_phones GROUP BY client_id")
    assert set(per_client) == {1, 2}
    for e164 in phones:
        number = phonenumbers.parse(str(e164))
        assert phonenumbers.is_valid_number(number), e164
        assert phonenumbers.region_code_for_number(number) == "RU"
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE, e164
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == e164
        assert re.fullmatch(r"\+79\d{9}", str(e164))


def test_names_agree_in_gender_and_look_like_a_real_client_base(demo_db: DemoDatabase) -> None:
    _generate(demo_db, clients=2000, users=False, batch=700)
    female_names, male_names = set(FEMALE_NAMES), {name for name, _son, _daughter in MALE_NAMES}
    female_surnames = {female for _male, female in SURNAMES}
    male_surnames = {male for male, _female in SURNAMES}
    with demo_db.engine.connect() as connection:
        clients = connection.execute(
            select(Client.kind, Client.surname, Client.given_name, Client.patronymic, Client.company_name,
                   Client.email, Client.birthday)
        ).all()  # fmt: skip
    for _kind, surname, given, patronymic, _company, _email, _birthday in clients:
        if given is None:
            continue
        female = given in female_names
        assert female or given in male_names, given
        assert surname in (female_surnames if female else male_surnames), (surname, given)
        if patronymic is not None:
            assert patronymic.endswith(("овна", "евна", "ична", "инична")) == female, (given, patronymic)
            assert patronymic.endswith(("ович", "евич", "ич")) != female, (given, patronymic)
    companies = [row for row in clients if row.kind == "company"]
    assert all(row.company_name for row in companies)
    assert 0.05 < len(companies) / len(clients) < 0.11
    people = [row for row in clients if row.kind == "person"]
    assert any(row.patronymic is None for row in people) and any(row.email is None for row in people)
    assert sum(row.birthday is not None for row in people) > len(people) / 2
    emails = [row.email for row in clients if row.email]
    assert all(re.fullmatch(r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+", email) for email in emails), emails[:20]


def test_vins_and_plates_are_unique_even_across_runs(demo_db: DemoDatabase) -> None:
    _generate(demo_db, clients=1200, users=False, seed=1, batch=500)
    _generate(demo_db, clients=1200, users=False, seed=1, batch=500)  # the same seed again: ids differ
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 2400
    assert demo_db.scalar("SELECT COUNT(*) FROM vehicles") == demo_db.scalar("SELECT COUNT(DISTINCT vin) FROM vehicles")
    assert demo_db.scalar("SELECT COUNT(plate) FROM vehicles") == demo_db.scalar(
        "SELECT COUNT(DISTINCT plate) FROM vehicles"
    )


def test_cancelling_stops_between_batches_and_keeps_what_was_committed(demo_db: DemoDatabase) -> None:
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2  # let two batches through

    summary = generate_demo_data(demo_db.factory, DemoSize(clients=1000, batch=100, users=False), None, cancelled)
    assert summary.cancelled and summary.clients == 200
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 200
    assert demo_db.scalar("SELECT COUNT(DISTINCT owner_id) FROM vehicles") <= 200  # type: ignore[operator]
    with demo_db.factory() as uow:
        record = uow.session.scalars(select(AuditRecord)).one()
        assert record.after is not None and record.after["complete"] is False and record.after["clients"] == 200


def test_demo_staff_is_created_once_and_existing_logins_are_left_alone(demo_db: DemoDatabase) -> None:
    with demo_db.factory() as uow:
        uow.session.add(User(login="manager", full_name="Настоящий управляющий", password_hash=hash_password("x" * 8)))
        uow.commit()
    first = _generate(demo_db, clients=10)
    second = _generate(demo_db, clients=10)
    assert (first.users, second.users) == (8, 0)
    with demo_db.factory() as uow:
        users = {user.login: user for user in uow.session.scalars(select(User))}
        assert len(users) == 9
        assert users["manager"].full_name == "Настоящий управляющий" and not users["manager"].roles
        assert "admin" not in {role.code for user in users.values() for role in user.roles}
        assert {role.code for role in users["warehouse"].roles} == {"warehouse"}
        assert users["advisor1"].password_hash == users["mechanic1"].password_hash  # hashed once
        assert verify_password("demo123", users["advisor1"].password_hash or "")
        assert len(users["advisor1"].full_name.split()) == 3


def test_the_app_keeps_numbering_after_the_generator(demo_db: DemoDatabase) -> None:
    _generate(demo_db, clients=30, users=False)
    with demo_db.factory() as uow:
        client = Client(kind="person", surname="Новый", given_name="Клиент")
        client.phones.append(ClientPhone(e164="+79161234567"))
        uow.session.add_all([client, Vehicle(make="Lada", model="Vesta", owner=client)])
        uow.commit()
        assert client.id == 31
    _generate(demo_db, clients=30, users=False)
    assert demo_db.scalar("SELECT MAX(id) FROM clients") == 61
    with demo_db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ClientPhone)) == connection.scalar(
            select(func.count(func.distinct(ClientPhone.id)))
        )


def test_only_an_administrator_may_generate_and_sizes_are_checked(demo_db: DemoDatabase) -> None:
    advisor = demo_db.factory.acting_as(Actor(None, "advisor1", roles=frozenset({"advisor"})))
    with pytest.raises(PermissionDeniedError):
        generate_demo_data(advisor, DemoSize(clients=5))
    with pytest.raises(ValidationError):
        _generate(demo_db, clients=-1)
    with pytest.raises(ValidationError):
        _generate(demo_db, clients=5, batch=0)
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 0


def test_a_run_that_would_repeat_plates_is_refused(demo_db: DemoDatabase) -> None:
    with pytest.raises(ValidationError, match="plates"):
        _generate(demo_db, clients=2_000_000, users=False)
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 0


def test_a_failing_batch_keeps_the_committed_ones_and_still_audits_them(
    demo_db: DemoDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_insert = demo_data._insert_batch
    calls = []

    def insert_then_fail(uow: UnitOfWork, drafts: list[Any]) -> tuple[int, int, int]:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk full")
        return real_insert(uow, drafts)

    monkeypatch.setattr(demo_data, "_insert_batch", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _generate(demo_db, clients=300, batch=100, users=False)
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 100
    with demo_db.factory() as uow:
        record = uow.session.scalars(select(AuditRecord)).one()
        assert record.after is not None and record.after["clients"] == 100 and record.after["complete"] is False


# --- A large run into an empty database: one transaction, indexes built at the end ---------------------------------

# Rows as the generator makes them: ids it numbers itself, no timestamps (the clock), no serial ids of log tables.
_CONTENT_QUERIES = {
    "clients": "SELECT id, kind, surname, given_name, patronymic, company_name, email, birthday, notes, visit_count, "
    "first_visit_on, previous_visit_on, last_visit_on, sort_key, source FROM clients",
    "client_phones": "SELECT id, client_id, e164, position FROM client_phones",
    "vehicles": "SELECT id, owner_id, make, model, year, vin, plate, colour FROM vehicles",
    "client_search_terms": "SELECT kind, term, client_id, vehicle_id FROM client_search_terms",
    "client_tags": "SELECT client_id, tag FROM client_tags",
    "client_consents": "SELECT client_id, kind, granted, given_on, source FROM client_consents",
    "vehicle_mileage": "SELECT vehicle_id, read_on, kilometres, source FROM vehicle_mileage",
    "vehicle_ownerships": "SELECT vehicle_id, client_id, since, until FROM vehicle_ownerships",
}


def _content(database: DemoDatabase) -> dict[str, list[tuple[object, ...]]]:
    with database.engine.connect() as connection:
        return {
            table: sorted((tuple(row) for row in connection.execute(text(query))), key=repr)
            for table, query in _CONTENT_QUERIES.items()
        }


def _indexes_and_constraints(database: DemoDatabase) -> list[tuple[object, ...]]:
    if database.engine.dialect.name == "postgresql":
        query = (
            "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' UNION ALL "
            "SELECT 'constraint', conname, conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) || "
            "CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace"
        )
    else:
        query = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index')"
    with database.engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(text(query)))


@pytest.fixture
def bulk_from_100(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of 100 clients and more take the bulk-load path, as a million-client run does."""
    monkeypatch.setattr(demo_data, "BULK_LOAD_MIN_CLIENTS", 100)


def test_client_terms_are_the_terms_the_search_index_builds() -> None:
    drafter = demo_clients.Drafter(demo_clients.DemoRandom(5), 1.3)
    for number in range(1, 1500):
        draft = drafter.client()
        cars = [(number * 10 + index, f"А{index:03d}ВС77", f"XTA21901{index}B1234567") for index in range(3)]
        expected = terms_for_rows(
            [{**draft.row, "id": number}],
            [{"client_id": number, "e164": e164} for e164 in draft.phones],
            [{"id": car, "owner_id": number, "plate": plate, "vin": vin} for car, plate, vin in cars],
            [(number, tag) for tag in draft.tags],
        )
        found = client_terms(draft.row, draft.phones, cars, draft.tags)
        assert sorted((kind, term, vehicle) for (kind, term), vehicle in found.items()) == sorted(
            (row["kind"], row["term"], row["vehicle_id"]) for row in expected
        )


def test_the_demo_random_draws_what_random_draws() -> None:
    library, demo = random.Random("same"), demo_clients.DemoRandom("same")
    for _ in range(5000):
        assert library.choice(CAR_MODELS) == demo.choice(CAR_MODELS)
        assert library.randint(30, 2190) == demo.randint(30, 2190)
        assert library.randrange(10**7) == demo.randrange(10**7)
        assert library.random() == demo.random()


@pytest.mark.parametrize("in_worker", [True, False], ids=["worker", "in-process"])
def test_a_bulk_load_writes_the_same_shop_and_keeps_every_index(
    demo_db: DemoDatabase, bulk_from_100: None, monkeypatch: pytest.MonkeyPatch, in_worker: bool
) -> None:
    schema_before = _indexes_and_constraints(demo_db)
    monkeypatch.setattr(demo_data, "BULK_LOAD_MIN_CLIENTS", 10**9)
    batched = _generate(demo_db, clients=700, users=False, batch=300)
    expected = _content(demo_db)
    demo_db.reset()
    monkeypatch.setattr(demo_data, "BULK_LOAD_MIN_CLIENTS", 100)
    monkeypatch.setattr(demo_data, "BULK_LOAD_IN_WORKER", in_worker)
    reports: list[tuple[int, int]] = []
    size = DemoSize(clients=700, users=False, batch=300)
    summary = generate_demo_data(demo_db.factory, size, lambda done, total: reports.append((done, total)))
    assert reports == [(300, 700), (600, 700), (700, 700)]
    assert summary == batched
    assert _content(demo_db) == expected
    assert _indexes_and_constraints(demo_db) == schema_before
    [vehicle] = demo_db.column("SELECT plate FROM vehicles WHERE plate IS NOT NULL ORDER BY id LIMIT 1")
    [phone] = demo_db.column("SELECT e164 FROM client_phones ORDER BY id DESC LIMIT 1")
    assert search_clients(demo_db.factory, str(vehicle))[0].matched == vehicle
    assert search_clients(demo_db.factory, str(phone)[-7:])


def test_only_a_nearly_empty_database_gets_a_bulk_load(
    demo_db: DemoDatabase, bulk_from_100: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[object] = []
    original = demo_data.start_bulk_load
    monkeypatch.setattr(demo_data, "start_bulk_load", lambda *args: loads.append(args) or original(*args))
    _generate(demo_db, clients=50, users=False)  # under the threshold: batch by batch
    assert not loads
    _generate(demo_db, clients=400, users=False)  # 50 clients are more than a tenth of 400: batch by batch
    assert not loads
    _generate(demo_db, clients=5000, users=False, batch=2000)  # 450 are less than a tenth of 5000
    assert len(loads) == 1
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 5450
    assert demo_db.scalar("SELECT COUNT(DISTINCT client_id) FROM client_search_terms") == 5450


def test_cancelling_a_bulk_load_keeps_the_written_batches_and_the_indexes(
    demo_db: DemoDatabase, bulk_from_100: None
) -> None:
    schema_before = _indexes_and_constraints(demo_db)
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    summary = generate_demo_data(demo_db.factory, DemoSize(clients=1000, batch=100, users=False), None, cancelled)
    assert summary.cancelled and summary.clients == 200
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 200
    assert demo_db.scalar("SELECT COUNT(DISTINCT client_id) FROM client_search_terms") == 200
    assert _indexes_and_constraints(demo_db) == schema_before
    with demo_db.factory() as uow:
        record = uow.session.scalars(select(AuditRecord)).one()
        assert record.after is not None and record.after["complete"] is False and record.after["clients"] == 200


def test_a_failing_bulk_batch_keeps_the_ones_before_it_with_their_indexes(
    demo_db: DemoDatabase, bulk_from_100: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema_before = _indexes_and_constraints(demo_db)
    real_insert = demo_data.insert_driver_rows
    client_batches = []

    def insert_then_fail(connection: Any, table: Any, columns: Any, rows: Any) -> None:
        if table.name == "clients":
            client_batches.append(1)
        real_insert(connection, table, columns, rows)
        if len(client_batches) > 1 and table.name == "vehicles":  # half-way through the second batch
            raise RuntimeError("disk full")

    monkeypatch.setattr(demo_data, "insert_driver_rows", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _generate(demo_db, clients=300, batch=100, users=False)
    assert demo_db.scalar("SELECT COUNT(*) FROM clients") == 100
    assert demo_db.scalar("SELECT MAX(owner_id) FROM vehicles") == 100
    assert demo_db.scalar("SELECT COUNT(DISTINCT client_id) FROM client_search_terms") == 100
    assert _indexes_and_constraints(demo_db) == schema_before
    with demo_db.factory() as uow:
        record = uow.session.scalars(select(AuditRecord)).one()
        assert record.after is not None and record.after["clients"] == 100 and record.after["complete"] is False


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_a_large_run_leaves_postgresql_vacuumed_for_index_only_searches(
    demo_db: DemoDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without VACUUM nothing is marked all-visible until autovacuum comes by (a minute or more after the run).
    monkeypatch.setattr(demo_data, "ANALYZE_AFTER_CLIENTS", 200)
    _generate(demo_db, clients=200, users=False)
    visible = demo_db.scalar("SELECT relallvisible FROM pg_class WHERE relname = 'client_search_terms'")
    pages = demo_db.scalar("SELECT relpages FROM pg_class WHERE relname = 'client_search_terms'")
    assert isinstance(visible, int) and isinstance(pages, int) and 0 < visible == pages
