"""Writing a checked client import: every valid row in one transaction, so a failure or a cancel leaves nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack, cast

from sqlalchemy import Table

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import (
    Client,
    ClientPhone,
    ClientTag,
    MileageReading,
    Vehicle,
    VehicleOwnership,
)
from autoservice_desk.models.timeline import TimelineEvent
from autoservice_desk.services import audit
from autoservice_desk.services.bulk_insert import bulk_insert, reserve_ids
from autoservice_desk.services.client_import import ImportPlan, ImportReport, ParsedRow, plan_import
from autoservice_desk.services.client_names import sort_key
from autoservice_desk.services.clients import require_editor
from autoservice_desk.services.search_terms import TERMS, index_client, terms_for_rows
from autoservice_desk.services.table_import import (
    Cancelled,
    ImportCancelled,
    ImportOptions,
    Progress,
    TableImportRejected,
    write_checked,
)
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

CLIENTS, PHONES, TAGS = (cast(Table, model.__table__) for model in (Client, ClientPhone, ClientTag))
VEHICLES, OWNERSHIPS = cast(Table, Vehicle.__table__), cast(Table, VehicleOwnership.__table__)
MILEAGE, TIMELINE = cast(Table, MileageReading.__table__), cast(Table, TimelineEvent.__table__)


TERMS_CHUNK = 10_000


class ImportRejected(TableImportRejected):
    """Some client rows are invalid and the person did not choose to import the valid ones only."""


@dataclass
class _Batch:
    """The rows to insert, table by table, with ids numbered on our side."""

    clients: list[dict[str, Any]] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    ownerships: list[dict[str, Any]] = field(default_factory=list)
    mileage: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    touched_existing: set[int] = field(default_factory=set)
    matched_rows: int = 0


def _owner_of(row: ParsedRow, plan: ImportPlan, new_by_phone: dict[str, int]) -> tuple[int | None, bool]:
    """(client id, is an existing client) for *row*: rows sharing a first phone are one client."""
    if not row.client.phones:
        return None, False
    first = row.client.phones[0].e164
    if first in plan.existing_clients:
        return plan.existing_clients[first], True
    return new_by_phone.get(first), False


def _build(uow: UnitOfWork, plan: ImportPlan, source_name: str) -> _Batch:
    batch = _Batch()
    owners = [_owner_of(row, plan, {}) for row in plan.rows]
    new_count = sum(1 for owner, existing in owners if not existing)  # an upper bound: file groups merge below
    first = reserve_ids(
        uow.session.connection(),
        {CLIENTS: new_count, PHONES: sum(len(row.client.phones) for row in plan.rows),
         VEHICLES: sum(1 for row in plan.rows if row.vehicle)},
    )  # fmt: skip
    next_client, next_phone, next_vehicle = first[CLIENTS], first[PHONES], first[VEHICLES]
    now, today, actor = uow.clock(), uow.clock().date(), uow.actor.user_id
    new_by_phone: dict[str, int] = {}
    summary = _("Imported from {file}").format(file=source_name)
    for row in plan.rows:
        client_id, existing = _owner_of(row, plan, new_by_phone)
        if existing:
            assert client_id is not None
            batch.touched_existing.add(client_id)
            batch.matched_rows += 1
        elif client_id is None:
            client_id, next_client = next_client, next_client + 1
            clean = row.client
            batch.clients.append(
                {"id": client_id, **clean.scalar_fields(), "version": 1, "visit_count": 0,
                 "sort_key": sort_key(clean.kind, clean.surname, clean.given_name, clean.patronymic,
                                      clean.company_name)}
            )  # fmt: skip
            for position, phone in enumerate(clean.phones):
                batch.phones.append(
                    {"id": next_phone, "client_id": client_id, "e164": phone.e164, "position": position,
                     "label": phone.label}
                )  # fmt: skip
                next_phone += 1
                new_by_phone.setdefault(phone.e164, client_id)
            batch.tags += [{"client_id": client_id, "tag": tag} for tag in clean.tags]
            batch.timeline.append(
                {"client_id": client_id, "occurred_at": now, "kind": "card", "summary": summary, "actor_id": actor}
            )
        else:
            batch.matched_rows += 1  # a further car of a client met earlier in the file
        if row.vehicle is not None:
            batch.vehicles.append({"id": next_vehicle, "owner_id": client_id, **row.vehicle.columns(), "version": 1})
            batch.ownerships.append({"vehicle_id": next_vehicle, "client_id": client_id, "since": today})
            if row.mileage is not None:
                batch.mileage.append(
                    {"vehicle_id": next_vehicle, "read_on": today, "kilometres": row.mileage, "source": "import",
                     "recorded_at": now, "recorded_by_id": actor}
                )  # fmt: skip
            next_vehicle += 1
    return batch


def _write(uow: UnitOfWork, batch: _Batch, progress: Progress | None, cancelled: Cancelled | None) -> None:
    connection = uow.session.connection()
    steps = (
        (CLIENTS, batch.clients), (PHONES, batch.phones), (TAGS, batch.tags), (VEHICLES, batch.vehicles),
        (OWNERSHIPS, batch.ownerships), (MILEAGE, batch.mileage), (TIMELINE, batch.timeline),
    )  # fmt: skip
    total = len(steps) + 2
    for done, (table, rows) in enumerate(steps, start=1):
        if cancelled is not None and cancelled():
            raise ImportCancelled
        bulk_insert(connection, table, rows)
        if progress is not None:
            progress(done, total)
    for terms in _terms_in_chunks(batch):  # a chunk at a time: a million term rows at once cost a gigabyte
        if cancelled is not None and cancelled():
            raise ImportCancelled
        bulk_insert(connection, TERMS, terms)
    if progress is not None:
        progress(total - 1, total)
    for client_id in batch.touched_existing:  # their cars joined an existing card: rebuild those cards' terms
        tags = [
            row[0]
            for row in connection.execute(
                TAGS.select().with_only_columns(TAGS.c.tag).where(TAGS.c.client_id == client_id)
            )
        ]
        index_client(uow, client_id, tags)


def _terms_in_chunks(batch: _Batch) -> Iterator[list[dict[str, Any]]]:
    """Search terms of the new clients, TERMS_CHUNK clients at a time (their ids are one contiguous range)."""
    phones, cars, tags = defaultdict(list), defaultdict(list), defaultdict(list)
    for phone in batch.phones:
        phones[phone["client_id"]].append(phone)
    for car in batch.vehicles:
        cars[car["owner_id"]].append(car)
    for tag in batch.tags:
        tags[tag["client_id"]].append((tag["client_id"], tag["tag"]))
    for start in range(0, len(batch.clients), TERMS_CHUNK):
        chunk = batch.clients[start : start + TERMS_CHUNK]
        ids = [client["id"] for client in chunk]
        yield terms_for_rows(
            chunk, [row for id_ in ids for row in phones[id_]], [row for id_ in ids for row in cars[id_]],
            [row for id_ in ids for row in tags[id_]],
        )  # fmt: skip


def report_of(plan: ImportPlan, batch: _Batch | None, written: bool) -> ImportReport:
    return ImportReport(
        total_rows=plan.total_rows, valid_rows=plan.valid_rows, invalid_rows=plan.invalid_rows,
        problems=tuple(plan.problems), new_clients=len(batch.clients) if batch else 0,
        matched_clients=batch.matched_rows if batch else 0, vehicles=len(batch.vehicles) if batch else 0,
        written=written,
    )  # fmt: skip


def import_clients(
    uow_factory: UnitOfWorkFactory, path: Path, mapping: dict[str, int], **options: Unpack[ImportOptions]
) -> ImportReport:
    """Check *path* and, unless `dry_run`, write its valid rows in one transaction (see `ImportOptions`).

    With invalid rows and without `skip_invalid` nothing is written and `ImportRejected` carries the report.
    Rows with a phone of a client already in the base add their car to that client; rows sharing a first phone
    in the file are one client with several cars. One audit row records the import; each new client's timeline
    says where it came from.
    """
    progress, cancelled = options.get("progress"), options.get("cancelled")
    plan = plan_import(uow_factory, path, mapping, progress=progress, cancelled=cancelled)

    def write(uow: UnitOfWork) -> ImportReport:
        require_editor(uow)
        batch = _build(uow, plan, path.name)
        _write(uow, batch, progress, cancelled)
        report = report_of(plan, batch, written=True)
        audit.record(
            uow, "client_import", path.name, "import", None,
            {"rows": plan.total_rows, "imported_rows": plan.valid_rows, "skipped_rows": plan.invalid_rows,
             "new_clients": report.new_clients, "vehicles": report.vehicles, "mapping": mapping},
        )  # fmt: skip
        uow.mark_changed("client")
        uow.mark_changed("vehicle")
        return report

    return write_checked(
        uow_factory, plan, lambda: report_of(plan, None, written=False), write, options, ImportRejected
    )
