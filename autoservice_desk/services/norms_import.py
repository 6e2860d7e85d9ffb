"""Importing labour-time norms from CSV/XLSX: every row checked first, then all valid rows in one transaction.

A norm with the same service, make, model, years and engine as one already stored gets the file's hours;
the others are added. Nothing is ever deleted by an import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack, cast

from sqlalchemy import Table, bindparam, select, update

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.catalog import Hours, LabourNorm, Service
from autoservice_desk.services import audit
from autoservice_desk.services.bulk_insert import bulk_insert
from autoservice_desk.services.catalog_reference import require_catalog_editor
from autoservice_desk.services.errors import FieldErrors, ValidationError
from autoservice_desk.services.labour_norms import CleanNorm, NormForm, NormKey, clean_norm_form
from autoservice_desk.services.table_import import (
    Cancelled,
    ImportCancelled,
    ImportField,
    ImportFields,
    ImportOptions,
    Progress,
    ProgressOptions,
    RowProblem,
    TableImportRejected,
    TableImportReport,
    TablePlan,
    check_rows,
    lookup_chunks,
    write_checked,
)
from autoservice_desk.services.text_keys import fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

NORMS = cast(Table, LabourNorm.__table__)
WRITE_CHUNK = 2000

NORM_FIELDS: tuple[ImportField, ...] = (
    ImportField("service_code", N_("Service code"), ("код", "код услуги", "код работы", "код операции", "code",
                                                     "service code", "job code", "operation code")),
    ImportField("service_name", N_("Service"), ("услуга", "работа", "наименование работы", "наименование услуги",
                                                "название работы", "вид работ", "операция", "наименование",
                                                "service", "job", "operation", "service name")),
    ImportField("make", N_("Make"), ("марка", "марка авто", "make", "brand", "car make")),
    ImportField("model", N_("Model"), ("модель", "модель авто", "model", "car model")),
    ImportField("year_from", N_("Year from"), ("год с", "год от", "с года", "год выпуска с", "год начала",
                                               "year from", "from year", "year start")),
    ImportField("year_to", N_("Year to"), ("год по", "год до", "по год", "год выпуска по", "год окончания",
                                           "year to", "to year", "year end")),
    ImportField("engine", N_("Engine"), ("двигатель", "мотор", "код двигателя", "engine", "engine code")),
    ImportField("hours", N_("Hours"), ("нормо часы", "нормочасы", "нормочас", "нч", "н ч", "часы", "норма",
                                       "норма времени", "время", "hours", "labour hours", "norm", "time")),
)  # fmt: skip
NORMS_FIELDS = ImportFields(NORM_FIELDS)
FIELDS_BY_KEY = NORMS_FIELDS.by_key
auto_mapping = NORMS_FIELDS.auto_mapping
preview_file = NORMS_FIELDS.preview_file
mapping_from_headers = NORMS_FIELDS.mapping_from_headers


class NormsImportRejected(TableImportRejected):
    """Some norm rows are invalid and the person did not choose to import the valid ones only."""


@dataclass(frozen=True)
class NormRow:
    row: int
    service_id: int
    norm: CleanNorm


@dataclass
class NormsPlan(TablePlan[NormRow]):
    existing: dict[NormKey, int] = field(default_factory=dict)  # key → id of a norm already stored


@dataclass(frozen=True)
class NormsImportReport(TableImportReport):
    """What a check or an import of norms found or did."""

    added: int
    updated: int


def check_mapping(mapping: dict[str, int]) -> None:
    if "service_code" not in mapping and "service_name" not in mapping:
        raise ValidationError(_("Choose the column with the service code or the service name."), "mapping")
    if "make" not in mapping:
        raise ValidationError(_("Choose the column with the make."), "mapping")
    if "hours" not in mapping:
        raise ValidationError(_("Choose the column with the hours."), "mapping")


def _services(uow: UnitOfWork) -> tuple[dict[str, int], dict[str, int]]:
    by_code, by_name = {}, {}
    for service_id, code, name in uow.session.execute(select(Service.id, Service.code, Service.name)):
        if code:
            by_code[code.casefold()] = service_id
        by_name[fold_text(name)] = service_id
    return by_code, by_name


def _parse(
    number: int, values: dict[str, str], services: tuple[dict[str, int], dict[str, int]], last_year: int
) -> NormRow | list[RowProblem]:
    problems: dict[str, str] = {}
    service_id = None
    if code := values.get("service_code", ""):
        service_id = services[0].get(code.casefold())
        if service_id is None:
            problems["service_code"] = _("No service with the code {code} in the catalog.").format(code=code)
    elif name := values.get("service_name", ""):
        service_id = services[1].get(fold_text(name))
        if service_id is None:
            problems["service_name"] = _("No service named “{name}” in the catalog.").format(name=name)
    else:
        column = "service_code" if "service_code" in values else "service_name"
        problems[column] = _("Enter the service code or name.")
    form = NormForm(
        values.get("make", ""), values.get("model", ""), values.get("year_from", ""), values.get("year_to", ""),
        values.get("engine", ""), values.get("hours", ""),
    )  # fmt: skip
    norm = None
    try:
        norm = clean_norm_form(form, last_year=last_year)
    except FieldErrors as error:
        problems.update(error.problems)
    if problems or norm is None or service_id is None:
        return [RowProblem(number, key, message) for key, message in problems.items()]
    return NormRow(number, service_id, norm)


def _existing(uow: UnitOfWork, service_ids: Sequence[int]) -> dict[NormKey, int]:
    found: dict[NormKey, int] = {}
    for chunk in lookup_chunks(service_ids):
        for norm in uow.session.scalars(select(LabourNorm).where(LabourNorm.service_id.in_(chunk))):
            key = (norm.service_id, norm.make, norm.model, norm.year_from, norm.year_to, norm.engine)
            found.setdefault(key, norm.id)
    return found


def plan_import(
    uow_factory: UnitOfWorkFactory, path: Path, mapping: dict[str, int], **options: Unpack[ProgressOptions]
) -> NormsPlan:
    """Read and check every row of *path* (read-only): what would be written and what is wrong."""
    check_mapping(mapping)
    plan = NormsPlan()
    services = run_in_transaction(uow_factory, _services, read_only=True)
    last_year = uow_factory.clock().year + 1
    first_row: dict[NormKey, int] = {}

    def parse(number: int, values: dict[str, str]) -> NormRow | list[RowProblem]:
        parsed = _parse(number, values, services, last_year)
        if isinstance(parsed, list):
            return parsed
        if (key := parsed.norm.key(parsed.service_id)) in first_row:
            return [RowProblem(number, "make", _("The same norm is on row {row}.").format(row=first_row[key]))]
        first_row[key] = number
        return parsed

    check_rows(plan, path, mapping, parse, **options)
    service_ids = sorted({row.service_id for row in plan.rows})
    plan.existing = run_in_transaction(uow_factory, lambda uow: _existing(uow, service_ids), read_only=True)
    plan.problems.sort(key=lambda problem: problem.row)
    return plan


def _report(plan: NormsPlan, written: bool) -> NormsImportReport:
    updated = sum(1 for row in plan.rows if row.norm.key(row.service_id) in plan.existing)
    return NormsImportReport(
        total_rows=plan.total_rows, valid_rows=plan.valid_rows, invalid_rows=plan.invalid_rows,
        problems=tuple(plan.problems), written=written, added=plan.valid_rows - updated, updated=updated,
    )  # fmt: skip


def _write(
    uow: UnitOfWork, plan: NormsPlan, source: str, progress: Progress | None, cancelled: Cancelled | None
) -> None:
    # Looked up again inside the writing transaction: another desk may have added norms since the check.
    plan.existing = _existing(uow, sorted({row.service_id for row in plan.rows}))
    updates: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for row in plan.rows:
        norm = row.norm
        if (norm_id := plan.existing.get(norm.key(row.service_id))) is not None:
            updates.append({"norm_id": norm_id, "new_hours": norm.hours, "new_source": source})
        else:
            inserts.append(
                {"service_id": row.service_id, "make": norm.make, "model": norm.model, "year_from": norm.year_from,
                 "year_to": norm.year_to, "engine": norm.engine, "hours": norm.hours, "source": source}
            )  # fmt: skip
    connection = uow.session.connection()
    statement = (
        update(NORMS)
        .where(NORMS.c.id == bindparam("norm_id"))
        .values(hours=bindparam("new_hours", type_=Hours()), source=bindparam("new_source"))
    )
    total, done = len(updates) + len(inserts), 0
    for rows, is_update in ((updates, True), (inserts, False)):
        for start in range(0, len(rows), WRITE_CHUNK):
            if cancelled is not None and cancelled():
                raise ImportCancelled
            chunk = rows[start : start + WRITE_CHUNK]
            if is_update:
                connection.execute(statement, chunk)
            else:
                bulk_insert(connection, NORMS, chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)


def import_norms(
    uow_factory: UnitOfWorkFactory, path: Path, mapping: dict[str, int], **options: Unpack[ImportOptions]
) -> NormsImportReport:
    """Check *path* and, unless `dry_run`, write its valid rows in one transaction (see `ImportOptions`).

    With invalid rows and without `skip_invalid` nothing is written and `NormsImportRejected` carries the report.
    """
    progress, cancelled = options.get("progress"), options.get("cancelled")
    plan = plan_import(uow_factory, path, mapping, progress=progress, cancelled=cancelled)

    def write(uow: UnitOfWork) -> NormsImportReport:
        require_catalog_editor(uow)
        _write(uow, plan, path.name[:200], progress, cancelled)
        report = _report(plan, written=True)
        audit.record(
            uow, "norms_import", path.name, "import", None,
            {"rows": plan.total_rows, "added": report.added, "updated": report.updated,
             "skipped_rows": plan.invalid_rows, "mapping": mapping},
        )  # fmt: skip
        uow.mark_changed("catalog")
        return report

    return write_checked(uow_factory, plan, lambda: _report(plan, written=False), write, options, NormsImportRejected)
