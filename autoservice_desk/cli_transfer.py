"""The `import` and `export` commands: clients and their cars, labour-time norms, in and out of CSV/XLSX files."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import ValidationError

MAX_PROBLEMS_PRINTED = 200


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_db: Callable[..., None]) -> None:
    importing = commands.add_parser("import", help="import data from a CSV or XLSX file")
    import_kinds = importing.add_subparsers(dest="import_kind", metavar="WHAT", required=True)
    clients = import_kinds.add_parser("clients", help="clients and their cars")
    clients.add_argument("file", type=Path)
    clients.add_argument(
        "--mapping", metavar="JSON", help='columns as JSON or a JSON file: {"surname": "Фамилия", "phone": 3}'
    )
    clients.add_argument("--dry-run", action="store_true", help="check the file and print the report only")
    clients.add_argument("--skip-invalid", action="store_true", help="import the valid rows when some are invalid")
    add_db(clients)
    norms = import_kinds.add_parser("norms", help="labour-time norms (added, or updated when the same key exists)")
    norms.add_argument("file", type=Path)
    norms.add_argument(
        "--mapping", metavar="JSON", help='columns as JSON or a JSON file: {"service_code": "Код", "hours": 6}'
    )
    norms.add_argument("--dry-run", action="store_true", help="check the file and print the report only")
    norms.add_argument("--skip-invalid", action="store_true", help="import the valid rows when some are invalid")
    add_db(norms)

    exporting = commands.add_parser("export", help="export data to a CSV or XLSX file")
    export_kinds = exporting.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    export_clients = export_kinds.add_parser("clients", help="the client list")
    export_clients.add_argument("file", type=Path)
    export_clients.add_argument("--query", default="", help="only the clients this search finds")
    add_db(export_clients)


def _mapping_argument(text: str | None) -> dict[str, str | int] | None:
    if text is None:
        return None
    source = Path(text)
    try:
        raw = json.loads(source.read_text(encoding="utf-8") if source.is_file() else text)
    except (json.JSONDecodeError, OSError) as error:
        raise ValidationError(_("--mapping is not valid JSON: {error}").format(error=error)) from error
    if not isinstance(raw, dict) or not all(isinstance(value, str | int) for value in raw.values()):
        raise ValidationError(_('--mapping is an object of field: column, for example {"surname": "Фамилия"}.'))
    return {str(key): value for key, value in raw.items()}


def _print_report(report: object) -> None:
    from autoservice_desk.services.client_import import ImportReport
    from autoservice_desk.services.client_import_fields import FIELDS_BY_KEY

    assert isinstance(report, ImportReport)
    for problem in report.problems[:MAX_PROBLEMS_PRINTED]:
        column = FIELDS_BY_KEY[problem.column].label if problem.column in FIELDS_BY_KEY else problem.column
        print(_("row {row}, {column}: {message}").format(row=problem.row, column=_(column), message=problem.message))
    if len(report.problems) > MAX_PROBLEMS_PRINTED:
        print(_("… and {count} more problems").format(count=len(report.problems) - MAX_PROBLEMS_PRINTED))
    print(
        ngettext("{rows} row", "{rows} rows", report.total_rows).format(rows=report.total_rows)
        + _(": {valid} valid, {invalid} with errors.").format(valid=report.valid_rows, invalid=report.invalid_rows)
    )
    if report.written:
        print(
            ngettext("Imported {count} new client", "Imported {count} new clients", report.new_clients).format(
                count=report.new_clients
            )
            + ngettext(", {cars} car", ", {cars} cars", report.vehicles).format(cars=report.vehicles)
            + ngettext(
                "; {count} row added to a client already known.",
                "; {count} rows added to clients already known.",
                report.matched_clients,
            ).format(count=report.matched_clients)
        )


def command_import(options: argparse.Namespace) -> int:
    if options.import_kind == "norms":
        return _import_norms(options)
    from autoservice_desk.cli import environment_and_target
    from autoservice_desk.services.client_import import auto_mapping, mapping_from_headers, preview_file
    from autoservice_desk.services.client_import_writer import ImportRejected, import_clients
    from autoservice_desk.services.startup import open_database

    preview = preview_file(options.file)
    by_name = _mapping_argument(options.mapping)
    mapping = mapping_from_headers(preview.headers, by_name) if by_name is not None else auto_mapping(preview.headers)
    environment, target = environment_and_target(options)
    database = open_database(environment, target)
    try:
        try:
            report = import_clients(
                database.uow_factory, options.file, mapping, skip_invalid=options.skip_invalid,
                dry_run=options.dry_run,
            )  # fmt: skip
        except ImportRejected as rejected:
            _print_report(rejected.report)
            raise
        _print_report(report)
        if options.dry_run:
            print(_("Dry run: nothing was written."))
            return 2 if report.invalid_rows else 0
        return 0
    finally:
        database.close()


def _print_norms_report(report: object) -> None:
    from autoservice_desk.services.norms_import import FIELDS_BY_KEY, NormsImportReport

    assert isinstance(report, NormsImportReport)
    for problem in report.problems[:MAX_PROBLEMS_PRINTED]:
        column = FIELDS_BY_KEY[problem.column].label if problem.column in FIELDS_BY_KEY else problem.column
        print(_("row {row}, {column}: {message}").format(row=problem.row, column=_(column), message=problem.message))
    if len(report.problems) > MAX_PROBLEMS_PRINTED:
        print(_("… and {count} more problems").format(count=len(report.problems) - MAX_PROBLEMS_PRINTED))
    print(
        ngettext("{rows} row", "{rows} rows", report.total_rows).format(rows=report.total_rows)
        + _(": {valid} valid, {invalid} with errors.").format(valid=report.valid_rows, invalid=report.invalid_rows)
    )
    if report.written:
        print(
            ngettext("Imported {count} new norm", "Imported {count} new norms", report.added).format(count=report.added)
            + ngettext("; {count} norm updated.", "; {count} norms updated.", report.updated).format(
                count=report.updated
            )
        )


def _import_norms(options: argparse.Namespace) -> int:
    from autoservice_desk.cli import environment_and_target
    from autoservice_desk.services.norms_import import (
        NormsImportRejected,
        auto_mapping,
        import_norms,
        mapping_from_headers,
        preview_file,
    )
    from autoservice_desk.services.startup import open_database

    preview = preview_file(options.file)
    by_name = _mapping_argument(options.mapping)
    mapping = mapping_from_headers(preview.headers, by_name) if by_name is not None else auto_mapping(preview.headers)
    environment, target = environment_and_target(options)
    database = open_database(environment, target)
    try:
        try:
            report = import_norms(
                database.uow_factory, options.file, mapping, skip_invalid=options.skip_invalid,
                dry_run=options.dry_run,
            )  # fmt: skip
        except NormsImportRejected as rejected:
            _print_norms_report(rejected.report)
            raise
        _print_norms_report(report)
        if options.dry_run:
            print(_("Dry run: nothing was written."))
            return 2 if report.invalid_rows else 0
        return 0
    finally:
        database.close()


def command_export(options: argparse.Namespace) -> int:
    from autoservice_desk.cli import environment_and_target
    from autoservice_desk.services.client_export import export_clients
    from autoservice_desk.services.startup import open_database

    environment, target = environment_and_target(options)
    database = open_database(environment, target)
    try:
        count = export_clients(database.uow_factory, options.file, options.query)
    finally:
        database.close()
    print(ngettext("Exported {count} client to {path}.", "Exported {count} clients to {path}.", count).format(
        count=count, path=options.file))  # fmt: skip
    return 0
