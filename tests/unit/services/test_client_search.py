"""Client search on SQLite and PostgreSQL: every kind of fragment, ranking, paging, cost per page, upkeep, backfill."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, event, select, text

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.models.clients import Client, ClientPhone, Vehicle
from autoservice_desk.models.search import ClientSearchTerm
from autoservice_desk.services import schema
from autoservice_desk.services.client_search import (
    ClientHit,
    Kind,
    MatchKind,
    arm_query,
    index_client,
    plan_query,
    search_clients,
    terms_for_rows,
)
from autoservice_desk.services.demo_data import DemoSize, generate_demo_data
from autoservice_desk.services.search_terms import next_prefix
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

PETROV_VIN = "Z94CB41AACR123456"


def add_client(
    uow_factory: UnitOfWorkFactory,
    surname: str | None = None,
    given_name: str | None = None,
    patronymic: str | None = None,
    company_name: str | None = None,
    phones: Sequence[str] = (),
    cars: Sequence[tuple[str, str, str | None, str | None]] = (),
    tags: Sequence[str] = (),
) -> int:
    """A client with phones and cars (make, model, plate, VIN) written as the client card will write them."""

    def work(uow: UnitOfWork) -> int:
        client = Client(
            kind="company" if company_name else "person", surname=surname, given_name=given_name,
            patronymic=patronymic, company_name=company_name,
            phones=[ClientPhone(e164=phone, position=position) for position, phone in enumerate(phones)],
        )  # fmt: skip
        uow.session.add(client)
        uow.session.flush()
        for make, model, plate, vin in cars:
            uow.session.add(Vehicle(owner_id=client.id, make=make, model=model, plate=plate, vin=vin))
        index_client(uow, client.id, tags)
        uow.commit()
        return client.id

    return run_in_transaction(uow_factory, work)


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    return {
        "petrov": add_client(
            uow_factory, "Петров", "Сергей", "Иванович", phones=["+79123454567"],
            cars=[("Kia", "Rio", "А123ВС77", PETROV_VIN)], tags=["Постоянный клиент"],
        ),
        "semyonova": add_client(
            uow_factory, "Семёнова", "Алёна", "Петровна", phones=["+79031112233", "+74951230099"],
            cars=[("Lada", "Vesta", "К777ОР199", "XTAGFL110KY654321"), ("Lada", "Niva", None, None)],
        ),
        "company": add_client(
            uow_factory, company_name="ООО «Волга-Трейд»", phones=["+78432001020"],
            cars=[("Ford", "Transit", "Е001КХ116", "Z6FXXXESGXKR99887")],
        ),
        "petrovsky": add_client(uow_factory, "Петровский", "Ян", phones=["+79219876543"]),
    }  # fmt: skip


def names(hits: list[ClientHit]) -> list[str]:
    return [hit.display_name for hit in hits]


@pytest.mark.parametrize(
    ("query", "who", "kind"),
    [
        ("петров", "petrov", MatchKind.NAME), ("ПЕТРОВ", "petrov", MatchKind.NAME), ("Пет", "petrov", MatchKind.NAME),
        ("семенова", "semyonova", MatchKind.NAME), ("СЕМЁН", "semyonova", MatchKind.NAME),
        ("алена", "semyonova", MatchKind.NAME), ("иванович", "petrov", MatchKind.NAME),
        ("трейд", "company", MatchKind.NAME), ("волга", "company", MatchKind.NAME),
        ("Волга-Трейд", "company", MatchKind.NAME), ("петров серг", "petrov", MatchKind.NAME),
        ("сергей петров", "petrov", MatchKind.NAME), ("Алёна Семёнова", "semyonova", MatchKind.NAME),
        ("постоянный", "petrov", MatchKind.TAG),
        ("4567", "petrov", MatchKind.PHONE), ("45-67", "petrov", MatchKind.PHONE),
        ("345 45 67", "petrov", MatchKind.PHONE),
        ("8 (912) 345-45-67", "petrov", MatchKind.PHONE), ("+7 912 345 45 67", "petrov", MatchKind.PHONE),
        ("9123454567", "petrov", MatchKind.PHONE), ("8912345", "petrov", MatchKind.PHONE),
        ("a123bc77", "petrov", MatchKind.PLATE), ("А123ВС77", "petrov", MatchKind.PLATE),
        ("а 123 вс 77", "petrov", MatchKind.PLATE), ("a123", "petrov", MatchKind.PLATE),
        ("123", "petrov", MatchKind.PLATE),
        ("123 вс", "petrov", MatchKind.PLATE), ("e001kx", "company", MatchKind.PLATE),
        ("123456", "petrov", MatchKind.VIN), ("R123456", "petrov", MatchKind.VIN), ("z94cb41", "petrov", MatchKind.VIN),
        ("Z94СВ41ААСR123456", "petrov", MatchKind.VIN), ("ХТАGFL", "semyonova", MatchKind.VIN),
        ("654321", "semyonova", MatchKind.VIN),
    ],
)  # fmt: skip
def test_each_kind_of_fragment_finds_the_client(
    uow_factory: UnitOfWorkFactory, shop: dict[str, int], query: str, who: str, kind: MatchKind
) -> None:
    hits = search_clients(uow_factory, query)
    assert hits and hits[0].client_id == shop[who], (query, names(hits))
    assert hits[0].matched_kind is kind
    assert len({hit.client_id for hit in hits}) == len(hits)


def test_a_hit_carries_what_the_list_shows(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    [hit] = search_clients(uow_factory, "a123bc77")
    assert (hit.display_name, hit.phones, hit.matched, hit.rank) == ("Петров Сергей Иванович", ("+79123454567",),
                                                                      "А123ВС77", 0)  # fmt: skip
    assert hit.vehicles == ("Kia Rio · А123ВС77",) and hit.vehicle_count == 1
    [hit] = search_clients(uow_factory, "654321")
    assert hit.vehicles == ("Lada Vesta · К777ОР199", "Lada Niva") and hit.matched == "XTAGFL110KY654321"
    [hit] = search_clients(uow_factory, "230099")
    assert hit.matched == "+74951230099" and hit.phones == ("+79031112233", "+74951230099")
    assert search_clients(uow_factory, "трейд")[0].matched == "Трейд"


@pytest.mark.parametrize("query", ["", "   ", "п", "7", "-", "ООО"])
def test_blank_one_character_and_meaningless_queries_find_nothing(
    uow_factory: UnitOfWorkFactory, shop: dict[str, int], query: str
) -> None:
    assert search_clients(uow_factory, query) == []


def test_an_exact_plate_comes_before_a_name_and_a_surname_before_a_patronymic(
    uow_factory: UnitOfWorkFactory, shop: dict[str, int]
) -> None:
    named_like_the_plate = add_client(uow_factory, company_name="А123ВС77 Логистик")
    hits = search_clients(uow_factory, "А123ВС77")
    assert [hit.client_id for hit in hits] == [shop["petrov"], named_like_the_plate]
    assert [hit.rank for hit in hits] == [0, 3]
    hits = search_clients(uow_factory, "петров")  # surnames alphabetically by full name, then Семёнова Петровна
    assert [hit.client_id for hit in hits] == [shop["petrov"], shop["petrovsky"], shop["semyonova"]]
    assert [hit.rank for hit in hits] == [1, 1, 3]
    hits = search_clients(uow_factory, "89123454567")
    assert hits[0].client_id == shop["petrov"] and hits[0].rank == 0


def test_pages_follow_each_other_without_gaps_or_repeats(uow_factory: UnitOfWorkFactory) -> None:
    ids = {add_client(uow_factory, "Кузнецов", given, phones=[f"+7900{n:07d}"]) for n, given in
           enumerate(["Иван", "Пётр", "Олег", "Кузьма", "Антон"] * 5)}  # fmt: skip
    ids |= {add_client(uow_factory, "Смирнов", "Кузьма", "Кузьмич") for _ in range(4)}
    pages: list[list[ClientHit]] = [search_clients(uow_factory, "куз", limit=7)]
    while pages[-1]:  # 25 Кузнецовs by surname, then the Смирновs by given name (Кузьма) or patronymic (Кузьмич)
        pages.append(search_clients(uow_factory, "куз", limit=7, after=pages[-1][-1].cursor))
    found = [hit.client_id for page in pages for hit in page]
    assert [len(page) for page in pages] == [7, 7, 7, 7, 1, 0]
    assert len(found) == len(set(found)) == 29 and set(found) == ids
    assert found[:25] == [hit.client_id for hit in search_clients(uow_factory, "куз", limit=25)]
    assert {hit.rank for page in pages[:3] for hit in page} == {1} and {hit.rank for hit in pages[4]} == {3}


def count_statements(engine: Engine) -> list[str]:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


def test_a_page_costs_a_constant_number_of_statements(uow_factory: UnitOfWorkFactory) -> None:
    add_client(uow_factory, "Орлова", "Анна", phones=["+79990000001"], cars=[("Kia", "Rio", "В001ВВ77", None)])
    for n in range(60):
        add_client(uow_factory, "Орлов", f"Игорь{n}", phones=[f"+7999100{n:04d}", f"+7999200{n:04d}"],
                   cars=[("Kia", "Rio", f"О{n:03d}ОО77", None), ("Lada", "Vesta", f"Т{n:03d}ТТ77", None)])  # fmt: skip
    statements = count_statements(uow_factory.engine)
    assert len(search_clients(uow_factory, "орлова")) == 1
    one = len(statements)
    statements.clear()
    hits = search_clients(uow_factory, "орл", limit=50)
    assert len(hits) == 50 and all(len(hit.phones) == 2 and hit.vehicle_count == 2 for hit in hits[1:])
    # (BEGIN on SQLite), one read per index range the plan needs until the page is full, one for the page's cards
    assert len(statements) <= one <= len(plan_query("орлова")) + 2


def test_index_client_replaces_the_old_terms(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    def change(uow: UnitOfWork) -> None:
        client = uow.session.get_one(Client, shop["petrov"])
        client.surname = "Сидоров"
        client.phones = [ClientPhone(e164="+79161112233", position=0)]
        for vehicle in uow.session.scalars(select(Vehicle).where(Vehicle.owner_id == client.id)):
            vehicle.owner_id = shop["semyonova"]  # the car was sold
        index_client(uow, shop["petrov"])
        index_client(uow, shop["semyonova"])
        uow.commit()

    run_in_transaction(uow_factory, change)
    assert shop["petrov"] not in {hit.client_id for hit in search_clients(uow_factory, "петров")}
    assert search_clients(uow_factory, "4567") == [] and search_clients(uow_factory, "постоянный") == []
    assert [hit.client_id for hit in search_clients(uow_factory, "сидоров")] == [shop["petrov"]]
    assert {hit.client_id for hit in search_clients(uow_factory, "2233")} == {shop["petrov"], shop["semyonova"]}
    assert [hit.client_id for hit in search_clients(uow_factory, "a123bc77")] == [shop["semyonova"]]

    def delete(uow: UnitOfWork) -> None:
        uow.session.delete(uow.session.get_one(Client, shop["semyonova"]))
        index_client(uow, shop["semyonova"])
        uow.commit()

    run_in_transaction(uow_factory, delete)
    assert search_clients(uow_factory, "семенова") == [] and search_clients(uow_factory, "a123bc77") == []


def test_terms_of_a_client() -> None:
    client = {"id": 1, "surname": "Семёнов-Тян-Шанский", "given_name": "Пётр", "patronymic": None,
              "company_name": "ИП Семёнов П."}  # fmt: skip
    phones = [{"client_id": 1, "e164": "+79123456789"}]
    vehicles = [{"id": 5, "owner_id": 1, "plate": "a123bc777", "vin": "xta21099043456789"},
                {"id": 6, "owner_id": None, "plate": "В001ВВ77", "vin": None}]  # fmt: skip
    terms = {(row["kind"], row["term"], row["vehicle_id"]) for row in terms_for_rows([client], phones, vehicles)}
    assert terms == {
        (Kind.NAME, "семенов тян шанский петр", None), (Kind.NAME, "семенов п", None),
        (Kind.WORD, "тян шанский петр семенов", None), (Kind.WORD, "шанский петр семенов тян", None),
        (Kind.WORD, "петр семенов тян шанский", None),
        (Kind.PHONE_TAIL, "98765432197", None), (Kind.PHONE_START, "9123456789", None),
        (Kind.PLATE, "А123ВС777", 5), (Kind.PLATE_TAIL, "123ВС777", 5),
        (Kind.VIN, "XTA21099043456789", 5), (Kind.VIN_TAIL, "98765434099012ATX", 5),
    }  # fmt: skip


def test_query_plans() -> None:
    assert plan_query("") == plan_query(" я ") == []
    assert [arm.kind for arm in plan_query("45")] == [Kind.PLATE_TAIL]
    assert [arm.kind for arm in plan_query("4567")] == [Kind.PHONE_TAIL, Kind.VIN_TAIL, Kind.PLATE]
    full = plan_query("8 (912) 345-67-89")
    assert (full[0].kind, full[0].low, full[0].high) == (Kind.PHONE_TAIL, "98765432197", None)
    assert [arm.kind for arm in plan_query("Иванов")] == [Kind.NAME, Kind.WORD, Kind.TAG]
    assert [arm.kind for arm in plan_query("XTA")] == [Kind.NAME, Kind.WORD, Kind.TAG, Kind.VIN]
    assert next_prefix("ива") == "ивб" and next_prefix("9") == ":"


def test_demo_data_is_searchable(uow_factory: UnitOfWorkFactory) -> None:
    generate_demo_data(uow_factory, DemoSize(clients=40, users=False))

    def first(uow: UnitOfWork) -> tuple[int, str, str, str]:
        vehicle = uow.session.scalars(select(Vehicle).where(Vehicle.plate.is_not(None)).limit(1)).one()
        phone = uow.session.scalars(select(ClientPhone).where(ClientPhone.client_id == vehicle.owner_id)).first()
        assert vehicle.owner_id is not None and vehicle.vin is not None and phone is not None
        return vehicle.owner_id, vehicle.plate or "", vehicle.vin, phone.e164

    client_id, plate, vin, phone = run_in_transaction(uow_factory, first, read_only=True)
    for query in (plate, vin[-6:], phone[-5:], phone):
        assert client_id in {hit.client_id for hit in search_clients(uow_factory, query)}, query


@pytest.mark.postgresql
def test_postgresql_reads_the_prefix_range_from_the_index(postgres_databases: Any) -> None:
    engine = create_database_engine(parse_database_url(postgres_databases.url(postgres_databases.migrated()), Path()))
    statement, parameters = arm_query(plan_query("ива"), 0, 50)
    sql = str(statement.params(parameters).compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole otherwise
        plan = "\n".join(connection.exec_driver_sql("EXPLAIN " + sql).scalars())
    engine.dispose()
    # The column's "C" collation lets the range be an index condition whatever the database's collation is.
    assert re.search(r"Index (Only )?Scan using pk_client_search_terms on client_search_terms hit", plan), plan
    condition = "Index Cond: ((kind = 1) AND (term >= 'ива'::text) AND (term < 'ивб'::text))"
    assert condition in plan.replace("(term)::text", "term"), plan


# --- The migration fills the terms of an existing shop ----------------------------------------------------------------


@pytest.fixture
def shop_at_0001(empty_database_url: str) -> Iterator[tuple[Engine, str]]:
    engine = create_database_engine(parse_database_url(empty_database_url, Path("unused")))
    with engine.begin() as connection:
        command.upgrade(schema.alembic_config(connection), "0001")
    yield engine, empty_database_url
    engine.dispose()


def test_the_upgrade_indexes_the_clients_already_there(shop_at_0001: tuple[Engine, str]) -> None:
    engine, url = shop_at_0001
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clients (id, kind, surname, given_name, company_name) VALUES "
                "(1, 'person', 'Ёлкин', 'Фёдор', NULL), (2, 'company', NULL, NULL, 'ООО «Ромашка»')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO client_phones (id, client_id, e164, position) VALUES "
                "(1, 1, '+79161234567', 0), (2, 2, '+73432109876', 0)"
            )
        )
        connection.execute(text("INSERT INTO vehicles (id, owner_id, make, model, plate, vin) VALUES "
                                "(1, 2, 'Ford', 'Transit', 'Х555ХХ96', 'WF0XXXTTGXKA12345')"))  # fmt: skip
    schema.upgrade(engine, parse_database_url(url, Path("unused")), None)
    factory = UnitOfWorkFactory(engine)
    assert [hit.client_id for hit in search_clients(factory, "елкин")] == [1]
    assert [hit.client_id for hit in search_clients(factory, "4567")] == [1]
    assert [hit.client_id for hit in search_clients(factory, "ромаш")] == [2]
    assert [hit.client_id for hit in search_clients(factory, "x555xx96")] == [2]
    assert [hit.client_id for hit in search_clients(factory, "A12345")] == [2]
    with engine.connect() as connection:
        assert connection.scalar(select(ClientSearchTerm.client_id).limit(1)) is not None
