"""The `import` and `export` commands: clients and their cars, labour-time norms, crosses; CSV/XLSX files."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import ValidationError

if TYPE_CHECKING:  # the services load only when a command runs, to keep `--help` quick
    from autoservice_desk.services.client_import import ImportReport
    from autoservice_desk.services.cross_import import CrossImportReport
    from autoservice_desk.services.norms_import import NormsImportReport
    from autoservice_desk.services.table_import import ImportFields, ImportService, TableImportReport

MAX_PROBLEMS_PRINTED = 200
ReportT = TypeVar("ReportT", bound="TableImportReport")
# `import WHAT FILE`: what, its help, and an example of its --mapping.
IMPORT_KINDS = (
    ("clients", "clients and their cars", '{"surname": "Фамилия", "phone": 3}'),
    ("norms", "labour-time norms (added, or updated when the same key exists)", '{"service_code": "Код", "hours": 6}'),
    (
        "crosses",
        "cross-references: two article+brand pairs per row, joined into groups of analogs",
        '{"article_a": "Артикул", "brand_a": 1, "article_b": 2, "brand_b": 3}',
    ),
)


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_db: Callable[..., None]) -> None:
    importing = commands.add_parser("import", help="import data from a CSV or XLSX file")
    import_kinds = importing.add_subparsers(dest="import_kind", metavar="WHAT", required=True)
    for name, help_text, mapping_example in IMPORT_KINDS:
        kind = import_kinds.add_parser(name, help=help_text)
        kind.add_argument("file", type=Path)
        kind.add_argument("--mapping", metavar="JSON", help=f"columns as JSON or a JSON file: {mapping_example}")
        kind.add_argument("--dry-run", action="store_true", help="check the file and print the report only")
        kind.add_argument("--skip-invalid", action="store_true", help="import the valid rows when some are invalid")
        add_db(kind)
    from autoservice_desk import cli_quoting

    cli_quoting.add_import_parser(import_kinds, add_db)

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


def _print_report(report: TableImportReport, fields: ImportFields) -> None:
    """The problems (the first MAX_PROBLEMS_PRINTED) and the row counts, as every import prints them."""
    for problem in report.problems[:MAX_PROBLEMS_PRINTED]:
        column = fields.by_key[problem.column].label if problem.column in fields.by_key else problem.column
        print(_("row {row}, {column}: {message}").format(row=problem.row, column=_(column), message=problem.message))
    if len(report.problems) > MAX_PROBLEMS_PRINTED:
        print(_("… and {count} more problems").format(count=len(report.problems) - MAX_PROBLEMS_PRINTED))
    print(
        ngettext("{rows} row", "{rows} rows", report.total_rows).format(rows=report.total_rows)
        + _(": {valid} valid, {invalid} with errors.").format(valid=report.valid_rows, invalid=report.invalid_rows)
    )


def _clients_written(report: ImportReport) -> str:
    return (
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


def _norms_written(report: NormsImportReport) -> str:
    return ngettext("Imported {count} new norm", "Imported {count} new norms", report.added).format(
        count=report.added
    ) + ngettext("; {count} norm updated.", "; {count} norms updated.", report.updated).format(count=report.updated)


def _crosses_written(report: CrossImportReport) -> str:
    return (
        ngettext("Imported {count} new article", "Imported {count} new articles", report.added).format(
            count=report.added
        )
        + ngettext("; {count} new group of analogs", "; {count} new groups of analogs", report.groups_created).format(
            count=report.groups_created
        )
        + ngettext("; {count} group merged into another.", "; {count} groups merged into others.",
                   report.groups_merged).format(count=report.groups_merged)
    )  # fmt: skip


def command_import(options: argparse.Namespace) -> int:
    if options.import_kind == "price-list":
        from autoservice_desk.cli_quoting import command_import_price_list

        return command_import_price_list(options)
    if options.import_kind == "crosses":
        from autoservice_desk.services.cross_import import CROSS_FIELDS, import_crosses

        return _run_import(options, CROSS_FIELDS, import_crosses, _crosses_written)
    if options.import_kind == "norms":
        from autoservice_desk.services.norms_import import NORMS_FIELDS, import_norms

        return _run_import(options, NORMS_FIELDS, import_norms, _norms_written)
    from autoservice_desk.services.client_import_fields import CLIENT_FIELDS
    from autoservice_desk.services.client_import_writer import import_clients

    return _run_import(options, CLIENT_FIELDS, import_clients, _clients_written)


def _run_import(
    options: argparse.Namespace,
    fields: ImportFields,
    run: ImportService[ReportT],
    written: Callable[[ReportT], str],
) -> int:
    """`import WHAT FILE [--mapping JSON] [--dry-run] [--skip-invalid]`: 0 when done, 2 when rows have errors."""
    from autoservice_desk.cli import environment_and_target
    from autoservice_desk.services.startup import open_database
    from autoservice_desk.services.table_import import TableImportRejected

    preview = fields.preview_file(options.file)
    by_name = _mapping_argument(options.mapping)
    mapping = (
        fields.mapping_from_headers(preview.headers, by_name) if by_name is not None
        else fields.auto_mapping(preview.headers)
    )  # fmt: skip
    environment, target = environment_and_target(options)
    database = open_database(environment, target)
    try:
        try:
            report = run(
                database.uow_factory, options.file, mapping, skip_invalid=options.skip_invalid,
                dry_run=options.dry_run,
            )  # fmt: skip
        except TableImportRejected as rejected:
            _print_report(rejected.report, fields)
            raise
        _print_report(report, fields)
        if report.written:
            print(written(report))
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
