"""What every import from a CSV/XLSX file shares: fields and mapping, the checked row loop, the report, the write."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypedDict, TypeVar, Unpack

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.table_files import FieldSpec, detect_mapping, open_table
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
PREVIEW_ROWS = 20
LOOKUP_CHUNK = 900  # below SQLite's default limit of bound parameters
CANCEL_EVERY = 500  # rows read between two looks at the cancel flag
PROGRESS_EVERY = 1000  # rows read between two progress reports
RowT = TypeVar("RowT")
ReportT = TypeVar("ReportT", bound="TableImportReport")
ReportT_co = TypeVar("ReportT_co", bound="TableImportReport", covariant=True)
T = TypeVar("T")


class ImportCancelled(Exception):
    """The person stopped the import; nothing was written."""


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str  # N_(), translated when shown
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number as the spreadsheet shows it
    column: str  # the import field key
    message: str


@dataclass(frozen=True)
class Preview:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    mapping: dict[str, int]
    format: str


class ImportFields:
    """The fields one kind of import understands: labels for the screen, synonyms to guess the columns by."""

    def __init__(self, fields: Sequence[ImportField]) -> None:
        self.fields = tuple(fields)
        self.by_key = {spec.key: spec for spec in self.fields}
        self._specs = [FieldSpec(spec.key, spec.synonyms) for spec in self.fields]

    def title(self, key: str) -> str:
        """The translated label of field *key*, or the key itself when it is not a field."""
        spec = self.by_key.get(key)
        return _(spec.label) if spec else key

    def auto_mapping(self, headers: Sequence[str]) -> dict[str, int]:
        """Which column holds which field, guessed from common Russian and English headers."""
        return detect_mapping(headers, self._specs)

    def preview_file(self, path: Path, rows: int = PREVIEW_ROWS) -> Preview:
        """The headers, the first *rows* rows and the guessed mapping of a file (fast: reads only the start)."""
        with open_table(path) as table:
            sample = []
            for source in table.iter_rows():
                sample.append(source.values)
                if len(sample) >= rows:
                    break
            return Preview(tuple(table.headers), tuple(sample), self.auto_mapping(table.headers), table.format)

    def mapping_from_headers(self, headers: Sequence[str], by_name: dict[str, str | int]) -> dict[str, int]:
        """A mapping given as {field: header name or 0-based column number} (the CLI's --mapping JSON)."""
        mapping: dict[str, int] = {}
        folded = [header.strip().casefold() for header in headers]
        for key, column in by_name.items():
            if key not in self.by_key:
                raise ValidationError(_("Unknown import field “{field}”.").format(field=key), "mapping")
            if isinstance(column, int) and 0 <= column < len(headers):
                mapping[key] = column
            elif isinstance(column, str) and column.strip().casefold() in folded:
                mapping[key] = folded.index(column.strip().casefold())
            else:
                raise ValidationError(_("The file has no column “{column}”.").format(column=column), "mapping")
        return mapping


@dataclass
class TablePlan(Generic[RowT]):
    """A checked file: the rows that can be written and what is wrong with the others."""

    total_rows: int = 0
    rows: list[RowT] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def invalid_rows(self) -> int:
        return len({problem.row for problem in self.problems})

    @property
    def valid_rows(self) -> int:
        return len(self.rows)


class ProgressOptions(TypedDict, total=False):
    """How a long import reports how far it is and learns that it should stop."""

    progress: Progress | None
    cancelled: Cancelled | None  # asked now and then; True stops the import with ImportCancelled


class ImportOptions(ProgressOptions, total=False):
    """How an import runs (every `import_…` service takes these as keywords)."""

    skip_invalid: bool  # write the valid rows when some are invalid (otherwise nothing is written)
    dry_run: bool  # check only and return the report


def check_rows(
    plan: TablePlan[RowT],
    path: Path,
    mapping: dict[str, int],
    parse: Callable[[int, dict[str, str]], RowT | list[RowProblem]],
    **options: Unpack[ProgressOptions],
) -> None:
    """Read every non-empty row of *path* into *plan*: *parse* gives a row to write or the problems that stop it.

    *parse* gets the spreadsheet's row number and {field: stripped text}; empty rows are neither parsed nor counted.
    """
    progress, cancelled = options.get("progress"), options.get("cancelled")
    with open_table(path) as table:
        for source in table.iter_rows():
            if cancelled is not None and plan.total_rows % CANCEL_EVERY == 0 and cancelled():
                raise ImportCancelled
            values = {key: source.values[index].strip() for key, index in mapping.items() if index < len(source.values)}
            if not any(values.values()):
                continue
            plan.total_rows += 1
            parsed = parse(source.number, values)
            if isinstance(parsed, list):
                plan.problems.extend(parsed)
            else:
                plan.rows.append(parsed)
            if progress is not None and plan.total_rows % PROGRESS_EVERY == 0:
                progress(int(table.progress() * 1000), 1000)


def lookup_chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """*items* in slices small enough for one `IN (...)` on every database."""
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


@dataclass(frozen=True)
class TableImportReport:
    """What a check or an import found or did (frozen: it crosses to the screen); each import adds its counts."""

    total_rows: int
    valid_rows: int
    invalid_rows: int
    problems: tuple[RowProblem, ...]
    written: bool


class TableImportRejected(ValidationError):
    """Some rows are invalid and the person did not choose to import the valid ones only."""

    def __init__(self, report: TableImportReport) -> None:
        message = ngettext(
            "{count} row has errors; nothing was imported. Fix the file or import the valid rows only.",
            "{count} rows have errors; nothing was imported. Fix the file or import the valid rows only.",
            report.invalid_rows,
        )
        super().__init__(message.format(count=report.invalid_rows))
        self.report = report


class ImportService(Protocol[ReportT_co]):
    """An `import_…` service: check *path* read through *mapping* and, unless `dry_run`, write it."""

    def __call__(
        self, uow_factory: UnitOfWorkFactory, path: Path, mapping: dict[str, int], /, **options: Unpack[ImportOptions]
    ) -> ReportT_co: ...


def write_checked(
    uow_factory: UnitOfWorkFactory,
    plan: TablePlan[Any],
    unwritten: Callable[[], ReportT],
    write: Callable[[UnitOfWork], ReportT],
    options: ImportOptions,
    rejected: Callable[[ReportT], TableImportRejected],
) -> ReportT:
    """The end of every import: a dry run only reports, invalid rows without `skip_invalid` are *rejected*.

    Otherwise *write* runs in one transaction that commits when it returns; a cancel (`ImportCancelled`) or any
    failure while writing rolls the whole import back. *unwritten* is the report of the plan with nothing written.
    """
    if options.get("dry_run", False):
        return unwritten()
    if plan.problems and not options.get("skip_invalid", False):
        raise rejected(unwritten())

    def work(uow: UnitOfWork) -> ReportT:
        report = write(uow)
        uow.commit()
        return report

    return run_in_transaction(uow_factory, work, attempts=1)
