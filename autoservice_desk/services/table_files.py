"""Reading and writing CSV and XLSX tables a row at a time: imports of any size, exports Russian Excel opens right."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ValidationError

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SNIFF_BYTES = 64 * 1024
DELIMITERS = ";,\t|"
# Russian Excel saves CSV in Windows-1251 and separates with ";"; our own exports are UTF-8 with a BOM.
ENCODINGS = ("utf-8-sig", "cp1251")
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class SourceRow:
    number: int  # the row number a person sees in Excel (the header is row 1)
    values: tuple[str, ...]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    synonyms: tuple[str, ...]


def _unreadable(path: Path, reason: object) -> ValidationError:
    return ValidationError(_("The file {name} could not be read: {reason}").format(name=path.name, reason=reason))


def cell_text(value: Any) -> str:
    """A cell as a person reads it: 79123456789 not 79123456789.0, dates as 2026-11-22."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _headers(raw: Sequence[str]) -> list[str]:
    return [text.strip() or _("Column {number}").format(number=index) for index, text in enumerate(raw, start=1)]


class TableReader:
    """An open table file; use as a context manager and iterate `iter_rows()` once."""

    format: str
    headers: list[str]

    def __init__(self, path: Path, sheet: str | None = None) -> None:
        self.path = path
        suffix = path.suffix.lower()
        if not path.is_file():
            raise ValidationError(_("The file {name} does not exist.").format(name=path))
        self._size = max(path.stat().st_size, 1)
        self._stream: IO[str] | None = None
        self._binary: IO[bytes] | None = None
        self._sheet_rows: Iterator[list[Any]] | None = None
        self._csv_rows: Iterator[list[str]] | None = None
        self._max_row = 0
        self._row = 1
        if suffix in CSV_SUFFIXES:
            self.format = "csv"
            self._open_csv()
        elif suffix in XLSX_SUFFIXES:
            self.format = "xlsx"
            self._open_xlsx(sheet)
        else:
            raise ValidationError(_("{name}: only CSV and Excel (.xlsx) files can be imported.").format(name=path.name))

    def _open_csv(self) -> None:
        self._binary = self.path.open("rb")
        sample = self._binary.read(SNIFF_BYTES)
        encoding = "utf-8-sig"
        try:
            text = sample.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            if error.start < len(sample) - 4:  # not just a character cut at the sample's end
                encoding, text = "cp1251", sample.decode("cp1251", errors="replace")
            else:
                text = sample[: error.start].decode("utf-8-sig")
        self._binary.seek(0)
        self._stream = io.TextIOWrapper(self._binary, encoding=encoding, newline="")
        try:
            dialect: Any = csv.Sniffer().sniff("\n".join(text.splitlines()[:20]), delimiters=DELIMITERS)
            delimiter = dialect.delimiter
        except csv.Error:
            first = text.splitlines()[0] if text else ""
            delimiter = max(DELIMITERS, key=first.count) if first else ";"
        self._csv_rows = csv.reader(self._stream, delimiter=delimiter)
        try:
            header = next(self._csv_rows)
        except StopIteration:
            raise _unreadable(self.path, _("the file is empty")) from None
        except (UnicodeDecodeError, csv.Error) as error:
            raise _unreadable(self.path, error) from None
        self.headers = _headers(header)

    def _open_xlsx(self, sheet: str | None) -> None:
        # calamine (Rust) reads a 100,000-row sheet in about a second; openpyxl's reader takes over half a minute.
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(self.path))
            worksheet = workbook.get_sheet_by_name(sheet) if sheet else workbook.get_sheet_by_index(0)
            self._max_row = int(worksheet.total_height or 0)
            self._sheet_rows = iter(worksheet.iter_rows())
            header = next(self._sheet_rows)
        except StopIteration:
            raise _unreadable(self.path, _("the sheet is empty")) from None
        except Exception as error:  # the reader's own error types differ by version; any of them means unreadable
            raise _unreadable(self.path, _("it is not a valid Excel workbook ({error})").format(error=error)) from None
        self.headers = _headers([cell_text(value) for value in header])

    def iter_rows(self) -> Iterator[SourceRow]:
        width = len(self.headers)
        rows: Iterator[Sequence[Any]] | None = self._csv_rows if self.format == "csv" else self._sheet_rows
        assert rows is not None
        try:
            for raw in rows:
                self._row += 1
                values = (
                    tuple(cell_text(value) for value in raw[:width])
                    if self.format == "xlsx"
                    else tuple(value.strip() for value in raw[:width])
                )
                if not any(values):
                    continue
                if len(values) < width:
                    values += ("",) * (width - len(values))
                yield SourceRow(self._row, values)
        except (UnicodeDecodeError, csv.Error) as error:
            raise _unreadable(self.path, _("row {row}: {error}").format(row=self._row, error=error)) from None

    def progress(self) -> float:
        """How far reading has got, 0..1 (by bytes for CSV, by rows for XLSX)."""
        if self.format == "csv" and self._binary is not None:
            try:
                return min(self._binary.tell() / self._size, 1.0)
            except (OSError, ValueError):
                return 0.0
        return min(self._row / self._max_row, 1.0) if self._max_row else 0.0

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        elif self._binary is not None:
            self._binary.close()
        self._stream = self._binary = None
        self._sheet_rows = None

    def __enter__(self) -> TableReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def open_table(path: Path, *, sheet: str | None = None) -> TableReader:
    """Open a CSV (encoding and delimiter detected) or XLSX file; raises `ValidationError` a person can act on."""
    return TableReader(path, sheet)


def fold_header(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold().replace("ё", "е")).split())


def detect_mapping(headers: Sequence[str], fields: Sequence[FieldSpec]) -> dict[str, int]:
    """field key -> column index, from header synonyms; exact matches first, then headers containing a synonym."""
    folded = [fold_header(header) for header in headers]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for spec in fields:
            if spec.key in mapping:
                continue
            for synonym in (fold_header(synonym) for synonym in spec.synonyms):
                index = next(
                    (index for index, header in enumerate(folded) if index not in used and synonym and
                     (header == synonym if exact else re.search(rf"\b{re.escape(synonym)}\b", header))),
                    None,
                )  # fmt: skip
                if index is not None:
                    mapping[spec.key] = index
                    used.add(index)
                    break
    return mapping


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):  # Russian Excel reads "7,50" as a number and "7.50" as text or a date
        return str(value).replace(".", ",")
    return value


def _xlsx_value(sheet: Any, value: object) -> object:
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula: a client named "=HYPERLINK(...)" stays a name
        return cell
    if isinstance(value, Decimal):
        return float(value) if value == value.quantize(Decimal("0.01")) else str(value)
    return value


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a CSV (UTF-8 with BOM, ";": what Russian Excel opens without a wizard) or an XLSX; returns rows.

    The file is written beside *path* under a temporary name and renamed, so a failed export leaves no half file.
    """
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise ValidationError(_("Export to a .csv or .xlsx file."))
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=suffix)
    except OSError as error:
        raise ValidationError(
            _("The file {path} could not be written: {reason}").format(path=path, reason=error.strerror or error)
        ) from error
    count = 0
    try:
        if suffix in CSV_SUFFIXES:
            with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream, delimiter=";")
                writer.writerow(headers)
                for row in rows:
                    writer.writerow([_csv_value(value) for value in row])
                    count += 1
        else:
            os.close(handle)
            import openpyxl

            workbook = openpyxl.Workbook(write_only=True)
            sheet = workbook.create_sheet()
            sheet.append(list(headers))
            try:
                for row in rows:
                    sheet.append([_xlsx_value(sheet, value) for value in row])
                    count += 1
            finally:  # saving also closes the sheet's stream; a failed export's file is removed below
                workbook.save(temporary)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ValidationError(
            _("The file {path} could not be written: {reason}").format(path=path, reason=error.strerror or error)
        ) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
