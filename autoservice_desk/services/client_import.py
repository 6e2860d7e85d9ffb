"""Importing clients and their cars from CSV/XLSX: check every row first, then write all valid rows or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Unpack

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Client, ClientPhone, Vehicle
from autoservice_desk.services.client_forms import CleanClient, ClientForm, PhoneEntry, clean_client_form, parse_tags
from autoservice_desk.services.client_import_fields import CLIENT_FIELDS, FIELDS_BY_KEY, VEHICLE_KEYS
from autoservice_desk.services.errors import FieldErrors, ValidationError
from autoservice_desk.services.table_import import ImportCancelled as ImportCancelled  # re-exported for callers
from autoservice_desk.services.table_import import (
    ProgressOptions,
    RowProblem,
    TableImportReport,
    TablePlan,
    check_rows,
    lookup_chunks,
)
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.vehicles import CleanVehicle, VehicleForm, clean_vehicle_form

# Form field keys of the services -> the import column they came from, for the report.
_FORM_TO_COLUMN = {
    "phones.0": "phone", "phones.1": "phone2", "discount_percent": "discount", "chassis_number": "chassis_number",
}  # fmt: skip
_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
auto_mapping = CLIENT_FIELDS.auto_mapping
preview_file = CLIENT_FIELDS.preview_file
mapping_from_headers = CLIENT_FIELDS.mapping_from_headers


@dataclass(frozen=True)
class ParsedRow:
    row: int
    client: CleanClient
    vehicle: CleanVehicle | None
    mileage: int | None


@dataclass
class ImportPlan(TablePlan[ParsedRow]):
    """A checked file: the rows that can be written, what is wrong with the others, and how rows group."""

    existing_clients: dict[str, int] = field(default_factory=dict)  # E.164 -> id of a client already in the base


@dataclass(frozen=True)
class ImportReport(TableImportReport):
    """What a check or an import of clients found or did."""

    new_clients: int
    matched_clients: int  # rows that went to a client already in the base (same phone)
    vehicles: int


def check_mapping(mapping: dict[str, int]) -> None:
    has_name = any(key in mapping for key in ("full_name", "surname", "given_name", "company_name"))
    if not has_name:
        raise ValidationError(_("Choose the column with the client's name (full name, surname or company)."))


# --- Reading and checking rows ----------------------------------------------------------------------------------


_RUSSIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _date(text: str) -> date:
    if match := _RUSSIAN_DATE.fullmatch(text.strip()):  # the usual case, without strptime's cost
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("“{value}” is not a date; write it as 31.12.1980.").format(value=text))


def _split_full_name(text: str) -> tuple[str, str, str]:
    parts = text.split()
    return (parts[0] if parts else "", parts[1] if len(parts) > 1 else "", " ".join(parts[2:]))


def _client_form(values: dict[str, str], problems: dict[str, str]) -> ClientForm:
    surname, given, patronymic = values.get("surname", ""), values.get("given_name", ""), values.get("patronymic", "")
    if "full_name" in values and not (surname or given):
        surname, given, patronymic = _split_full_name(values["full_name"])
    birthday = None
    if values.get("birthday"):
        try:
            birthday = _date(values["birthday"])
        except ValidationError as error:
            problems["birthday"] = error.message
    company = values.get("company_name", "")
    phones = tuple(PhoneEntry(values[key]) for key in ("phone", "phone2") if values.get(key))
    return ClientForm(
        kind="company" if company and not (surname or given) else "person", surname=surname, given_name=given,
        patronymic=patronymic, company_name=company, inn=values.get("inn", ""), kpp=values.get("kpp", ""),
        email=values.get("email", ""), address=values.get("address", ""), birthday=birthday,
        source=values.get("source", ""), notes=values.get("notes", ""),
        discount_percent=values.get("discount", "") or "0", phones=phones, tags=parse_tags(values.get("tags", "")),
    )  # fmt: skip


def split_car(text: str) -> tuple[str, str]:
    """ "Land Rover Discovery 3" -> ("Land Rover", "Discovery 3"): the longest known make the text starts with."""
    words = text.split()
    folded = " ".join(words).casefold()
    for make in sorted(_known_makes(), key=len, reverse=True):
        if folded == make.casefold() or folded.startswith(make.casefold() + " "):
            return make, " ".join(words)[len(make) :].strip()
    return (words[0], " ".join(words[1:])) if words else ("", "")


def _known_makes() -> list[str]:
    from autoservice_desk.services.vehicle_reference_seed import SEED_MAKES

    return [make for make, _models in SEED_MAKES]


def _mileage(text: str, problems: dict[str, str]) -> int | None:
    digits = re.sub(r"[\s\u00a0]|км|km", "", text.casefold())
    if not digits:
        return None
    if not digits.isdigit() or int(digits) > 9_999_999:
        problems["mileage"] = _("The mileage is a whole number of kilometres.")
        return None
    return int(digits)


def parse_row(number: int, values: dict[str, str], today: date) -> ParsedRow | list[RowProblem]:
    """One row as clean client and car values, or the problems that stop it (each with its column)."""
    problems: dict[str, str] = {}
    form = _client_form(values, problems)
    client = vehicle = None
    try:
        client = clean_client_form(form, today=today)
    except FieldErrors as error:
        problems.update({_FORM_TO_COLUMN.get(key, key): message for key, message in error.problems.items()})
    if values.get("car") and not (values.get("make") or values.get("model")):
        values = {**values, **dict(zip(("make", "model"), split_car(values["car"]), strict=True))}
    if any(values.get(key) for key in VEHICLE_KEYS):
        car = VehicleForm(**{key: values.get(key, "") for key in VEHICLE_KEYS})
        try:
            vehicle = clean_vehicle_form(car, today=today)
        except FieldErrors as error:
            problems.update(error.problems)
    mileage = _mileage(values.get("mileage", ""), problems)
    if problems or client is None:
        return [RowProblem(number, _column_key(key), message) for key, message in problems.items()]
    return ParsedRow(number, client, vehicle, mileage)


def _column_key(key: str) -> str:
    if key in FIELDS_BY_KEY:
        return key
    if key in ("surname", "given_name", "company_name"):
        return key
    return "full_name" if key in ("kind",) else key.split(".")[0]


def _existing(uow: UnitOfWork, plan: ImportPlan) -> None:
    """Phones already in the base (their rows go to that client) and cars already in it (those rows fail)."""
    phones = sorted({phone.e164 for row in plan.rows for phone in row.client.phones})
    for chunk in lookup_chunks(phones):
        found = uow.session.execute(
            select(ClientPhone.e164, ClientPhone.client_id)
            .join(Client, Client.id == ClientPhone.client_id)
            .where(ClientPhone.e164.in_(chunk), Client.merged_into_id.is_(None))
        )
        for e164, client_id in found:
            plan.existing_clients.setdefault(e164, client_id)
    taken: set[tuple[str, str]] = set()
    for column_name, column in (("vin", Vehicle.vin), ("plate", Vehicle.plate)):
        values = sorted({getattr(row.vehicle, column_name) for row in plan.rows if row.vehicle} - {None})
        for chunk in lookup_chunks(values):
            stored = uow.session.scalars(select(column).where(column.in_(chunk)))
            taken |= {(column_name, value) for value in stored if value is not None}
    seen: set[tuple[str, str]] = set()
    kept = []
    for row in plan.rows:
        problem = _car_clash(row, taken, seen)
        if problem is None:
            kept.append(row)
        else:
            plan.problems.append(problem)
    plan.rows = kept


def _car_clash(row: ParsedRow, taken: set[tuple[str, str]], seen: set[tuple[str, str]]) -> RowProblem | None:
    if row.vehicle is None:
        return None
    keys = [(name, value) for name in ("vin", "plate") if (value := getattr(row.vehicle, name))]
    for key in keys:
        if key in taken:
            message = (
                _("A car with this VIN is already in the base.")
                if key[0] == "vin"
                else _("A car with this plate is already in the base.")
            )
            return RowProblem(row.row, key[0], message)
        if key in seen:
            message = (
                _("The same VIN is on an earlier row.")
                if key[0] == "vin"
                else _("The same plate is on an earlier row.")
            )
            return RowProblem(row.row, key[0], message)
    seen.update(keys)
    return None


def plan_import(
    uow_factory: UnitOfWorkFactory, path: Path, mapping: dict[str, int], **options: Unpack[ProgressOptions]
) -> ImportPlan:
    """Read and check every row of *path* (read-only): what would be written and what is wrong."""
    check_mapping(mapping)
    plan = ImportPlan()
    today = uow_factory.clock().date()
    check_rows(plan, path, mapping, lambda number, values: parse_row(number, values, today), **options)
    run_in_transaction(uow_factory, lambda uow: _existing(uow, plan), read_only=True)
    plan.problems.sort(key=lambda problem: problem.row)
    return plan
