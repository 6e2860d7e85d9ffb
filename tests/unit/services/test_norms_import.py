"""Importing norms on SQLite and PostgreSQL: report rows as the spreadsheet numbers them, all or nothing, cancel."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from autoservice_desk.services import norms_import
from autoservice_desk.services.catalog import list_services
from autoservice_desk.services.client_import import ImportCancelled
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.labour_norms import NormForm, add_norm, list_norms, norm_hours
from autoservice_desk.services.norms_import import (
    NormsImportRejected,
    auto_mapping,
    import_norms,
    mapping_from_headers,
    preview_file,
)
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

GOOD = (
    "Код работы;Марка;Модель;Год с;Год по;Двигатель;Нормо-часы\n"
    "EN-BELT;Kia;Rio;2011;2017;1.6 G4FC;1,8\n"
    "en-belt;Kia;Rio;;;;2,2\n"
    "BR-PADS-F;Лада;Веста;;;;0,6\n"
)
BAD = GOOD + (
    "NO-SUCH;Kia;Rio;;;;1\n"  # row 5: unknown code
    ";;;;;;\n"  # an empty row is skipped, not counted
    "TO-1;;Rio;2020;2010;;ноль\n"  # row 7: no make, years reversed, hours not a number
    "EN-BELT;KIA;RIO;;;;3\n"  # row 8: the same norm as row 3
)


def write_csv(tmp_path: Path, text: str, name: str = "norms.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="cp1251")  # what Russian Excel saves
    return path


def mapping_of(path: Path) -> dict[str, int]:
    return preview_file(path).mapping


def service_id(uow_factory: UnitOfWorkFactory, code: str) -> int:
    return list_services(uow_factory, code)[0].id


def all_norms(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str | None, Decimal]]:
    found = []
    for service in list_services(uow_factory):
        found += [(n.make, n.model, n.hours) for n in list_norms(uow_factory, service.id)]
    return sorted(found, key=str)


def test_the_mapping_is_detected_from_russian_and_english_headers(tmp_path: Path) -> None:
    assert mapping_of(write_csv(tmp_path, GOOD)) == {
        "service_code": 0, "make": 1, "model": 2, "year_from": 3, "year_to": 4, "engine": 5, "hours": 6,
    }  # fmt: skip
    english = ["Service", "Make", "Model", "Year from", "Year to", "Engine code", "Labour hours"]
    assert auto_mapping(english) == {
        "service_name": 0, "make": 1, "model": 2, "year_from": 3, "year_to": 4, "engine": 5, "hours": 6,
    }  # fmt: skip
    assert mapping_from_headers(english, {"service_name": "service", "hours": 6}) == {"service_name": 0, "hours": 6}
    with pytest.raises(ValidationError):
        mapping_from_headers(english, {"hours": "Часы"})


def test_a_file_adds_new_norms_and_updates_same_key_ones(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    belt = service_id(uow_factory, "EN-BELT")
    add_norm(uow_factory, belt, NormForm("KIA", "RIO", hours="2.9"))  # the file's row 3 has the same key
    add_norm(uow_factory, belt, NormForm("Kia", hours="2.7"))  # not in the file: kept as it is
    steps: list[tuple[int, int]] = []
    report = import_norms(uow_factory, write_csv(tmp_path, GOOD), mapping_of(write_csv(tmp_path, GOOD)),
                          progress=lambda done, total: steps.append((done, total)))  # fmt: skip
    assert (report.total_rows, report.valid_rows, report.added, report.updated, report.written) == (3, 3, 2, 1, True)
    assert steps and steps[-1][0] == steps[-1][1]
    assert [(n.model, n.engine, n.hours, n.source) for n in list_norms(uow_factory, belt)] == [
        (None, None, Decimal("2.70"), None),
        ("RIO", None, Decimal("2.20"), "norms.csv"),
        ("RIO", "1.6 G4FC", Decimal("1.80"), "norms.csv"),
    ]
    with uow_factory(read_only=True) as uow:
        assert norm_hours(uow, belt, "Kia", "Rio", 2012, "1.6 G4FC").hours == Decimal("1.80")
    again = import_norms(uow_factory, write_csv(tmp_path, GOOD), mapping_of(write_csv(tmp_path, GOOD)))
    assert (again.added, again.updated) == (0, 3)  # importing the same file twice changes nothing more


def test_invalid_rows_stop_everything_unless_skipped(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path, BAD)
    with pytest.raises(NormsImportRejected) as caught:
        import_norms(uow_factory, path, mapping_of(path))
    report = caught.value.report
    assert (report.total_rows, report.valid_rows, report.invalid_rows, report.written) == (6, 3, 3, False)
    assert [(p.row, p.column) for p in report.problems] == [
        (5, "service_code"), (7, "make"), (7, "year_to"), (7, "hours"), (8, "make"),
    ]  # fmt: skip
    assert "row 3" in report.problems[-1].message
    assert all_norms(uow_factory) == []
    skipped = import_norms(uow_factory, path, mapping_of(path), skip_invalid=True)
    assert (skipped.added, skipped.invalid_rows, skipped.written) == (3, 3, True)
    assert len(all_norms(uow_factory)) == 3


def test_a_dry_run_reports_and_writes_nothing(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path, BAD)
    report = import_norms(uow_factory, path, mapping_of(path), dry_run=True)
    assert (report.valid_rows, report.invalid_rows, report.added, report.written) == (3, 3, 3, False)
    assert all_norms(uow_factory) == []


def test_services_are_found_by_name_when_the_file_has_no_codes(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Наименование работы;Марка;Часы\nзамена ремня грм;Kia;2,5\nМойка ракеты;Kia;1\n")
    with pytest.raises(NormsImportRejected) as caught:
        import_norms(uow_factory, path, mapping_of(path))
    assert [(p.row, p.column) for p in caught.value.report.problems] == [(3, "service_name")]
    import_norms(uow_factory, path, mapping_of(path), skip_invalid=True)
    assert all_norms(uow_factory) == [("KIA", None, Decimal("2.50"))]


def test_xlsx_with_numeric_cells(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Code", "Make", "Model", "Year from", "Hours"])
    sheet.append(["TO-1", "Toyota", "Camry", 2018, 1.7])
    sheet.append(["TO-2", "Toyota", "Camry", 2018.0, 3])
    path = tmp_path / "norms.xlsx"
    workbook.save(path)
    report = import_norms(uow_factory, path, mapping_of(path))
    assert report.added == 2
    assert list_norms(uow_factory, service_id(uow_factory, "TO-1"))[0].year_from == 2018
    assert all_norms(uow_factory) == [("TOYOTA", "CAMRY", Decimal("1.70")), ("TOYOTA", "CAMRY", Decimal("3.00"))]


def test_a_mapping_without_service_make_or_hours_is_refused(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path, GOOD)
    for missing in ("service_code", "make", "hours"):
        mapping = {key: index for key, index in mapping_of(path).items() if key != missing}
        with pytest.raises(ValidationError):
            import_norms(uow_factory, path, mapping)


def test_a_cancelled_import_leaves_nothing(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    belt = service_id(uow_factory, "EN-BELT")
    add_norm(uow_factory, belt, NormForm("KIA", "RIO", hours="2.9"))
    path = write_csv(tmp_path, GOOD)
    calls: list[int] = []

    def cancel_at_the_insert() -> bool:
        calls.append(1)
        return len(calls) > 2  # the check passes, the update chunk runs, the insert chunk is stopped

    with pytest.raises(ImportCancelled):
        import_norms(uow_factory, path, mapping_of(path), cancelled=cancel_at_the_insert)
    assert len(calls) == 3
    assert all_norms(uow_factory) == [("KIA", "RIO", Decimal("2.90"))]  # the update was rolled back too


def test_a_failure_while_writing_leaves_nothing(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    belt = service_id(uow_factory, "EN-BELT")
    add_norm(uow_factory, belt, NormForm("KIA", "RIO", hours="2.9"))

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(norms_import, "bulk_insert", broken)
    path = write_csv(tmp_path, GOOD)
    with pytest.raises(OSError):
        import_norms(uow_factory, path, mapping_of(path))
    assert all_norms(uow_factory) == [("KIA", "RIO", Decimal("2.90"))]
