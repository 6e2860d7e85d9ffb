"""CSV and XLSX reading and writing: encodings, delimiters, Excel's numbers and dates, header detection."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.table_files import FieldSpec, detect_mapping, open_table, write_table

CYRILLIC = "Фамилия;Телефон\nЁлкин;8 912 345-67-89\n"


def read_all(path: Path) -> tuple[list[str], list[tuple[int, tuple[str, ...]]]]:
    with open_table(path) as table:
        return table.headers, [(row.number, row.values) for row in table.iter_rows()]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(CYRILLIC.encode(encoding))
    assert read_all(path) == (["Фамилия", "Телефон"], [(2, ("Ёлкин", "8 912 345-67-89"))])


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_csv_delimiters_and_quoted_newlines(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "clients.csv"
    lines = [f"Name{delimiter}Notes", f'Ivanov{delimiter}"two\nlines"', f"Petrov{delimiter}short", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    headers, rows = read_all(path)
    assert headers == ["Name", "Notes"]
    assert rows == [(2, ("Ivanov", "two\nlines")), (3, ("Petrov", "short"))]  # a record is one Excel row


def test_xlsx_numbers_dates_and_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Фамилия", "Телефон", "Дата рождения", "Скидка", None])
    sheet.append(["Иванов", 79123456789.0, datetime(1980, 5, 17), 7.5, "без заголовка"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Петров", 89031112233, date(1990, 1, 2), 5])
    workbook.save(path)
    headers, rows = read_all(path)
    assert headers == ["Фамилия", "Телефон", "Дата рождения", "Скидка", "Column 5"]
    assert rows == [
        (2, ("Иванов", "79123456789", "1980-05-17", "7.5", "без заголовка")),
        (4, ("Петров", "89031112233", "1990-01-02", "5", "")),
    ]


def test_bad_files_give_a_message(tmp_path: Path) -> None:
    for name, content in (("a.xlsx", b"not a zip"), ("b.csv", b""), ("c.pdf", b"%PDF")):
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValidationError):
            open_table(tmp_path / name)
    with pytest.raises(ValidationError):
        open_table(tmp_path / "missing.csv")


def test_headers_are_detected_in_russian_and_english() -> None:
    fields = [
        FieldSpec("surname", ("фамилия", "surname", "last name")),
        FieldSpec("phone", ("телефон", "phone")),
        FieldSpec("phone2", ("телефон 2", "phone 2")),
        FieldSpec("plate", ("госномер", "plate")),
        FieldSpec("given_name", ("имя", "first name")),
    ]
    headers = ["№", "Фамилия клиента", "Телефон 2", "ТЕЛЕФОН", "Гос. номер", "First Name"]
    assert detect_mapping(headers, fields) == {"surname": 1, "phone": 3, "phone2": 2, "given_name": 5}
    assert detect_mapping(["Last name", "Phone", "Plate"], fields) == {"surname": 0, "phone": 1, "plate": 2}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_written_tables_read_back(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"export{suffix}"
    rows = [(1, "Ёлкин Пётр", Decimal("7.50"), date(2026, 1, 2)), (2, "=1+1", None, None)]
    assert write_table(path, ["№", "Клиент", "Скидка", "Дата"], rows) == 2
    headers, read = read_all(path)
    assert headers == ["№", "Клиент", "Скидка", "Дата"]
    discount = "7,50" if suffix == ".csv" else "7.5"
    assert read == [(2, ("1", "Ёлкин Пётр", discount, "2026-01-02")), (3, ("2", "=1+1", "", ""))]  # text, not a formula
    assert [item.name for item in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_failed_export_leaves_no_file(tmp_path: Path, suffix: str) -> None:
    def failing() -> Iterator[tuple[object, ...]]:
        yield ("row",)
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_table(tmp_path / f"out{suffix}", ["a"], failing())
    assert list(tmp_path.iterdir()) == []
