"""The demo-shop generator: realistic clients, phones, cars and staff, fast enough to fill a million-client database."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from operator import itemgetter
from typing import Any, NamedTuple, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, select
from sqlalchemy.engine import URL

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.models.clients import (
    Client,
    ClientConsent,
    ClientPhone,
    ClientTag,
    MileageReading,
    Vehicle,
    VehicleOwnership,
)
from autoservice_desk.models.security import Role, User
from autoservice_desk.services import audit
from autoservice_desk.services import demo_catalog as catalog
from autoservice_desk.services.bulk_insert import DriverColumns, insert_driver_rows, reserve_ids
from autoservice_desk.services.demo_clients import ClientDraft, DemoRandom, Drafter
from autoservice_desk.services.demo_identity import MAX_VEHICLE_ID, make_plate, make_vin
from autoservice_desk.services.demo_load import batches_from_worker, is_nearly_empty, start_bulk_load, tune_sqlite
from autoservice_desk.services.errors import PermissionDeniedError, ValidationError
from autoservice_desk.services.passwords import hash_password
from autoservice_desk.services.search_terms import TERMS, client_terms
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

log = logging.getLogger(__name__)

CLIENTS = cast(Table, Client.__table__)
PHONES = cast(Table, ClientPhone.__table__)
VEHICLES = cast(Table, Vehicle.__table__)
TAGS = cast(Table, ClientTag.__table__)
CONSENTS = cast(Table, ClientConsent.__table__)
MILEAGE = cast(Table, MileageReading.__table__)
OWNERSHIPS = cast(Table, VehicleOwnership.__table__)
BULK_LOADED_TABLES = (CLIENTS, PHONES, VEHICLES, TERMS, TAGS, CONSENTS, MILEAGE, OWNERSHIPS)

ANALYZE_AFTER_CLIENTS = 10_000
# Runs of at least this many clients into a database holding at most 1/SHARE of that write in one transaction.
BULK_LOAD_MIN_CLIENTS = 50_000
BULK_LOAD_EXISTING_SHARE = 10
BULK_LOAD_IN_WORKER = True  # draft in a second process while this one writes (False: all in this process)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class DemoSize:
    """How much to generate; *batch* clients go into one statement batch and one transaction.

    Each commit rewrites much of the search-term index (a batch's terms land all over it), so at a million
    clients fewer, larger batches are cheaper; with 25,000 a million-client run stays under 300 MB of memory.
    """

    clients: int = 300
    vehicles_per_client: float = 1.3
    users: bool = True
    seed: int = 2026
    batch: int = 25_000
    shop: bool = False  # also bays, mechanics, bookings and a stocked warehouse (the app's and CLI's demo shop)
    timezone: str = "Europe/Moscow"  # the shop's, for the bookings around today


@dataclass(frozen=True)
class DemoSummary:
    """What was created; *cancelled* is True when the caller stopped it before all clients were written."""

    clients: int = 0
    phones: int = 0
    vehicles: int = 0
    users: int = 0
    cancelled: bool = False

    def describe(self) -> str:
        """One translated line: `300 clients, 377 phones, 392 cars, 9 staff accounts`."""
        parts = [
            ngettext("{count} client", "{count} clients", self.clients).format(count=self.clients),
            ngettext("{count} phone", "{count} phones", self.phones).format(count=self.phones),
            ngettext("{count} car", "{count} cars", self.vehicles).format(count=self.vehicles),
            ngettext("{count} staff account", "{count} staff accounts", self.users).format(count=self.users),
        ]
        line = ", ".join(parts)
        return _("{summary} (stopped before the end)").format(summary=line) if self.cancelled else line


# --- Writing ------------------------------------------------------------------------------------------------------


_PHONE_COLUMNS = ("id", "client_id", "e164", "position")
_VEHICLE_COLUMNS = ("id", "owner_id", "make", "model", "year", "vin", "plate", "colour")
_TERM_COLUMNS = ("kind", "term", "client_id", "vehicle_id")
_TAG_COLUMNS = ("client_id", "tag")
_CONSENT_COLUMNS = ("client_id", "kind", "granted", "given_on", "source", "recorded_at")
_READING_COLUMNS = ("vehicle_id", "read_on", "kilometres", "source", "recorded_at")
_OWNERSHIP_COLUMNS = ("vehicle_id", "client_id", "since")
_TABLES_BY_NAME = {table.name: table for table in BULK_LOADED_TABLES}


class _Batch(NamedTuple):
    """A batch's values per table, converted for the driver, in the order they are written (parents first).

    Column by column (zip(*values) gives the rows): lists of plain values pickle fastest to the writing process.
    """

    first: tuple[int, int, int]  # the first client, phone and vehicle id
    counts: tuple[int, int, int]  # clients, phones and vehicles
    tables: list[tuple[str, tuple[str, ...], list[Sequence[Any]]]]  # (table name, column names, values)


def _build_batch(
    convert: DriverColumns, drafts: list[ClientDraft], first: tuple[int, int, int], recorded_at: datetime
) -> _Batch:
    """The rows of *drafts*, numbered from *first* (client, phone, vehicle id), converted for the driver."""
    client_id, phone_id, vehicle_id = first
    keys = tuple(drafts[0].row) if drafts else ("kind",)  # every draft's row has the same keys, in one order
    pick = itemgetter(*keys)
    clients = [(number, *pick(draft.row)) for number, draft in enumerate(drafts, client_id)]
    phones: list[tuple[Any, ...]] = []
    vehicles: list[tuple[Any, ...]] = []
    terms: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    consents: list[tuple[Any, ...]] = []
    readings: list[tuple[Any, ...]] = []
    ownerships: list[tuple[Any, ...]] = []
    for client, draft in enumerate(drafts, client_id):
        for position, e164 in enumerate(draft.phones):
            phones.append((phone_id, client, e164, position))
            phone_id += 1
        owned = []
        for car, year, colour, region, car_readings in draft.vehicles:
            plate = make_plate(region, vehicle_id) if region else None
            vin = make_vin(car, year, vehicle_id)
            vehicles.append((vehicle_id, client, car.make, car.model, year, vin, plate, colour))
            ownerships.append((vehicle_id, client, draft.since))
            readings += [(vehicle_id, day, km, "demo", recorded_at) for day, km in car_readings]
            owned.append((vehicle_id, plate, vin))
            vehicle_id += 1
        tags += [(client, tag) for tag in draft.tags]
        consents += [(client, kind, granted, day, source, recorded_at) for kind, granted, day, source in draft.consents]
        found = client_terms(draft.row, draft.phones, owned, draft.tags)
        terms += [(kind, term, client, vehicle) for (kind, term), vehicle in found.items()]
    tables = (
        (CLIENTS, ("id", *keys), clients), (PHONES, _PHONE_COLUMNS, phones), (VEHICLES, _VEHICLE_COLUMNS, vehicles),
        (TERMS, _TERM_COLUMNS, terms), (TAGS, _TAG_COLUMNS, tags), (CONSENTS, _CONSENT_COLUMNS, consents),
        (MILEAGE, _READING_COLUMNS, readings), (OWNERSHIPS, _OWNERSHIP_COLUMNS, ownerships),
    )  # fmt: skip
    return _Batch(
        first,
        (len(clients), len(phones), len(vehicles)),
        [(table.name, columns, convert(table, columns, rows)) for table, columns, rows in tables if rows],
    )


def _insert_batch(uow: UnitOfWork, drafts: list[ClientDraft]) -> tuple[int, int, int]:
    """Write *drafts* with one executemany (or COPY) per table and commit; returns (clients, phones, vehicles)."""
    connection = uow.session.connection()
    if connection.dialect.name == "sqlite":
        tune_sqlite(connection)
    counts = {
        CLIENTS: len(drafts),
        PHONES: sum(len(draft.phones) for draft in drafts),
        VEHICLES: sum(len(draft.vehicles) for draft in drafts),
    }
    first = reserve_ids(connection, counts)
    first_ids = (first[CLIENTS], first[PHONES], first[VEHICLES])
    batch = _build_batch(DriverColumns(connection.dialect), drafts, first_ids, uow.clock())
    for name, columns, values in batch.tables:
        # Searchable from the moment the batch commits: the terms go in with the clients.
        insert_driver_rows(connection, _TABLES_BY_NAME[name], columns, zip(*values, strict=True))
    uow.commit()
    return batch.counts


def _staff_names(seed: int) -> dict[str, str]:
    drafter = Drafter(random.Random(f"staff-{seed}"), 0)
    names = {}
    for login, _role in catalog.DEMO_STAFF:
        surname, given, patronymic = drafter.person(patronymic_share=1)
        names[login] = " ".join(part for part in (surname, given, patronymic) if part)
    return names


def _create_users(uow_factory: UnitOfWorkFactory, seed: int) -> list[str]:
    """Create the demo staff whose logins are still free; returns the logins created."""
    logins = [login for login, _role in catalog.DEMO_STAFF]

    def existing(uow: UnitOfWork) -> set[str]:
        return set(uow.session.scalars(select(User.login).where(User.login.in_(logins))))

    if not set(logins) - run_in_transaction(uow_factory, existing, read_only=True):
        return []
    password_hash = hash_password(catalog.DEMO_PASSWORD)  # once, outside the transaction: scrypt is slow on purpose
    names = _staff_names(seed)

    def work(uow: UnitOfWork) -> list[str]:
        taken = existing(uow)
        roles = {role.code: role for role in uow.session.scalars(select(Role))}
        created = []
        for login, role in catalog.DEMO_STAFF:
            if login not in taken:
                user = User(login=login, full_name=names[login], password_hash=password_hash, roles=[roles[role]])
                uow.session.add(user)
                created.append(login)
        uow.session.flush()
        uow.mark_changed("user")
        uow.commit()
        return created

    return run_in_transaction(uow_factory, work)


@dataclass
class _Tally:
    """What the committed batches hold so far (kept outside the loop so a failure can still be audited)."""

    clients: int = 0
    phones: int = 0
    vehicles: int = 0
    stopped: bool = False


def _record_summary(uow_factory: UnitOfWorkFactory, size: DemoSize, tally: _Tally, logins: list[str]) -> None:
    def work(uow: UnitOfWork) -> None:
        after = {
            "seed": size.seed, "requested_clients": size.clients, "clients": tally.clients, "phones": tally.phones,
            "vehicles": tally.vehicles, "users": logins, "complete": tally.clients == size.clients,
        }  # fmt: skip
        audit.record(uow, "demo_data", size.seed, "generate", None, after)
        for entity in ("client", "vehicle"):
            uow.mark_changed(entity)
        uow.commit()

    if tally.clients or logins:
        run_in_transaction(uow_factory, work)


def _write_batches(
    uow_factory: UnitOfWorkFactory,
    size: DemoSize,
    tally: _Tally,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    if _suits_bulk_load(uow_factory, size):
        work = partial(_load_in_one_transaction, size=size, tally=tally, progress=progress, cancelled=cancelled)
        run_in_transaction(uow_factory, work, attempts=1)  # never again from the start once batches went in
        return
    drafter = Drafter(DemoRandom(size.seed), size.vehicles_per_client, uow_factory.clock().date())
    while tally.clients < size.clients:
        if cancelled is not None and cancelled():
            tally.stopped = True
            return
        drafts = [drafter.client() for _ in range(min(size.batch, size.clients - tally.clients))]
        clients, phones, vehicles = run_in_transaction(uow_factory, partial(_insert_batch, drafts=drafts))
        tally.clients, tally.phones, tally.vehicles = (
            tally.clients + clients, tally.phones + phones, tally.vehicles + vehicles
        )  # fmt: skip
        if progress is not None:
            progress(tally.clients, size.clients)


# --- One transaction for a large shop in an empty database --------------------------------------------------------


def _suits_bulk_load(uow_factory: UnitOfWorkFactory, size: DemoSize) -> bool:
    """A large run into a database with (almost) no clients yet: its indexes are cheaper to build at the end."""
    if size.clients < BULK_LOAD_MIN_CLIENTS:
        return False
    most = size.clients // BULK_LOAD_EXISTING_SHARE
    return run_in_transaction(
        uow_factory, lambda uow: is_nearly_empty(uow.session.connection(), CLIENTS, most), read_only=True
    )


class _Plan(NamedTuple):
    """What a bulk load's batches are made from: plain values, so a worker process can make them."""

    seed: int
    vehicles_per_client: float
    today: date
    clients: int
    batch: int
    first: tuple[int, int, int]  # the first free client, phone and vehicle id
    recorded_at: datetime
    driver: str  # the engine's driver name (sqlite, postgresql+psycopg): how values are converted


def _built_batches(plan: _Plan) -> Generator[_Batch, None, None]:
    """The batches of *plan*, numbered one after another (the load holds the tables, so no one takes an id)."""
    convert = DriverColumns(URL.create(plan.driver).get_dialect()())
    drafter = Drafter(DemoRandom(plan.seed), plan.vehicles_per_client, plan.today)
    first = plan.first
    for start in range(0, plan.clients, plan.batch):
        drafts = [drafter.client() for _ in range(min(plan.batch, plan.clients - start))]
        batch = _build_batch(convert, drafts, first, plan.recorded_at)
        first = (first[0] + batch.counts[0], first[1] + batch.counts[1], first[2] + batch.counts[2])
        yield batch


def _load_in_one_transaction(
    uow: UnitOfWork,
    size: DemoSize,
    tally: _Tally,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    """Every batch in one transaction around a bulk load (see services.demo_load), each batch in a savepoint.

    A worker process drafts the batches while this one writes them. Cancelling keeps the batches written so
    far, and so does a batch that fails: it is rolled back to its savepoint, the indexes are built for the
    others and they are committed before the error goes on. Only when that last step fails (or the process
    dies) nothing of the run stays, so *tally* counts committed rows only.
    """
    connection = uow.session.connection()
    load = start_bulk_load(connection, BULK_LOADED_TABLES)
    free = reserve_ids(connection, {CLIENTS: 0, PHONES: 0, VEHICLES: 0})  # the first free ids, nothing taken
    now = uow.clock()
    plan = _Plan(
        size.seed, size.vehicles_per_client, now.date(), size.clients, size.batch,
        (free[CLIENTS], free[PHONES], free[VEHICLES]), now, connection.engine.url.drivername,
    )  # fmt: skip
    written = _Tally()

    def finish() -> None:
        load.finish()
        uow.commit()
        tally.clients, tally.phones, tally.vehicles, tally.stopped = (
            written.clients, written.phones, written.vehicles, written.stopped
        )  # fmt: skip

    batches = batches_from_worker(_built_batches, plan) if BULK_LOAD_IN_WORKER else _built_batches(plan)
    try:
        with closing(batches):
            while written.clients < size.clients:
                if cancelled is not None and cancelled():
                    written.stopped = True
                    break
                batch = next(batches)
                with connection.begin_nested():  # SAVEPOINT: a failing batch is undone alone
                    clients, phones, vehicles = batch.counts
                    first = reserve_ids(connection, {CLIENTS: clients, PHONES: phones, VEHICLES: vehicles})
                    if (first[CLIENTS], first[PHONES], first[VEHICLES]) != batch.first:
                        raise RuntimeError(f"demo batch numbered from {batch.first}, but the free ids are {first}")
                    for name, columns, values in batch.tables:
                        table = load.target(_TABLES_BY_NAME[name])
                        insert_driver_rows(connection, table, columns, zip(*values, strict=True))
                written.clients, written.phones, written.vehicles = (
                    written.clients + clients, written.phones + phones, written.vehicles + vehicles
                )  # fmt: skip
                if progress is not None:
                    progress(written.clients, size.clients)
    except Exception:
        finish()
        raise
    finish()


def _check(uow_factory: UnitOfWorkFactory, size: DemoSize) -> None:
    if not uow_factory.actor.has_role("admin"):
        raise PermissionDeniedError(_("Only an administrator can fill the database with demo data."))
    if size.clients < 0 or size.vehicles_per_client < 0:
        raise ValidationError(_("The number of clients and cars per client cannot be negative."), "clients")
    if size.batch < 1:
        raise ValidationError(_("A batch holds at least one client."), "batch")
    top = run_in_transaction(
        uow_factory, lambda uow: int(uow.session.scalar(select(func.max(Vehicle.id))) or 0), read_only=True
    )
    most_cars = size.clients * (int(size.vehicles_per_client) + 1)
    if top + most_cars > MAX_VEHICLE_ID:  # plates and VINs are derived from vehicle ids and would repeat past it
        raise ValidationError(
            _("Demo data has distinct number plates for {limit} cars; ask for fewer clients.").format(
                limit=MAX_VEHICLE_ID
            ),
            "clients",
        )


def _vacuum_and_analyze(uow_factory: UnitOfWorkFactory) -> None:
    """Fresh PostgreSQL statistics and visibility map: the search must see the terms grew from nothing to millions.

    Autovacuum would get there in its own time; until then the first searches are planned as for a small table,
    and every index entry they read costs a visit to the table as well (nothing is marked all-visible yet: with a
    million clients, "Александр Смир" took p95 41 ms instead of 17). VACUUM cannot run inside a transaction.
    SQLite plans the searches well without statistics (see services.client_search) and has no visibility map.
    """
    if uow_factory.engine.dialect.name != "postgresql":
        return
    with uow_factory.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE) clients, client_phones, vehicles, client_search_terms")


def generate_demo_data(
    uow_factory: UnitOfWorkFactory,
    size: DemoSize,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> DemoSummary:
    """Fill the database with a demo shop: staff accounts, then clients with phones and cars, in batches.

    Every batch is its own transaction, so memory stays flat at a million clients and *progress* is told
    (clients written, clients asked for) after each one. When *cancelled* returns True the run stops before
    the next batch; the batches already committed stay. One audit row sums up what was written, even when
    the run stops early or fails part-way. Staff accounts whose login exists already are left alone.
    A large run into a database with (almost) no clients is one bulk load instead (see
    _load_in_one_transaction): the same rows, written several times faster, but the tables stay locked until
    it ends and other desks see its clients only then.
    """
    _check(uow_factory, size)
    logins = _create_users(uow_factory, size.seed) if size.users else []
    tally = _Tally()
    try:
        _write_batches(uow_factory, size, tally, progress, cancelled)
    except BaseException:
        try:
            _record_summary(uow_factory, size, tally, logins)
        except Exception:  # the batch's own error is the one worth reporting
            log.exception("could not write the demo-data audit row after a failed run")
        raise
    _record_summary(uow_factory, size, tally, logins)
    if tally.clients >= ANALYZE_AFTER_CLIENTS:
        _vacuum_and_analyze(uow_factory)
    if size.shop and not tally.stopped:
        from autoservice_desk.services.demo_shop import add_demo_shop  # the schedule and the warehouse

        add_demo_shop(uow_factory, ZoneInfo(size.timezone), size.seed)
    return DemoSummary(tally.clients, tally.phones, tally.vehicles, len(logins), tally.stopped)
