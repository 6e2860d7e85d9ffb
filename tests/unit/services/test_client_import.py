"""Client import on SQLite and PostgreSQL: the report, all-or-nothing, grouping by phone, known clients and cars."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.client_import import ImportCancelled, auto_mapping, mapping_from_headers, preview_file
from autoservice_desk.services.client_import_writer import ImportRejected, import_clients
from autoservice_desk.services.client_list import list_clients
from autoservice_desk.services.client_search import search_clients
from autoservice_desk.services.clients import create_client, get_client
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle, get_vehicle

HEADER = "ФИО;Телефон;E-mail;Марка;Модель;Год выпуска;Госномер;Пробег;Метки\n"
GOOD = (
    "Иванов Иван Иванович;8 (912) 345-67-89;ivanov@mail.ru;Kia;Rio;2019;a123bc77;45 000;VIP\n"
    "Петрова Анна;+7 903 111 22 33;;Lada;Vesta;2020;В777ОР199;12000;\n"
    "Иванов Иван Иванович;89123456789;;Lada;Largus;2015;Е001КХ77;;\n"
)
BAD = "Плохой;12;not-email;Kia;;1850;!!;-5;\n"


def write_csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def mapping_of(path: Path) -> dict[str, int]:
    return auto_mapping(preview_file(path).headers)


def count(uow_factory: UnitOfWorkFactory) -> int:
    return len(list_clients(uow_factory, limit=500).rows)


def test_the_mapping_is_detected_from_russian_headers(tmp_path: Path) -> None:
    preview = preview_file(write_csv(tmp_path, GOOD))
    assert preview.mapping == {
        "full_name": 0, "phone": 1, "email": 2, "make": 3, "model": 4, "year": 5, "plate": 6, "mileage": 7, "tags": 8,
    }  # fmt: skip
    assert preview.rows[1][0] == "Петрова Анна"


def test_rows_sharing_a_phone_are_one_client_with_several_cars(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path, GOOD)
    report = import_clients(uow_factory, path, mapping_of(path))
    assert (report.new_clients, report.vehicles, report.matched_clients, report.written) == (2, 3, 1, True)
    [ivanov] = search_clients(uow_factory, "иванов")
    card = get_client(uow_factory, ivanov.client_id)
    assert card.form.tags == ("VIP",) and card.form.email == "ivanov@mail.ru"
    assert sorted(car.plate or "" for car in card.vehicles) == ["А123ВС77", "Е001КХ77"]
    rio = next(car for car in card.vehicles if car.model == "Rio")
    assert get_vehicle(uow_factory, rio.id).mileage[0].kilometres == 45000
    assert [hit.client_id for hit in search_clients(uow_factory, "1112233")] != []
    assert [event.summary for event in list_events(uow_factory, ivanov.client_id)] == ["Imported from clients.csv"]


def test_invalid_rows_stop_everything_unless_skipped(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path, GOOD + BAD)
    with pytest.raises(ImportRejected) as rejected:
        import_clients(uow_factory, path, mapping_of(path))
    problems = {(problem.row, problem.column) for problem in rejected.value.report.problems}
    assert problems == {(5, "phone"), (5, "email"), (5, "model"), (5, "year"), (5, "plate"), (5, "mileage")}
    assert count(uow_factory) == 0
    report = import_clients(uow_factory, path, mapping_of(path), skip_invalid=True)
    assert (report.valid_rows, report.invalid_rows, report.new_clients) == (3, 1, 2)
    assert count(uow_factory) == 2


def test_a_dry_run_writes_nothing(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path, GOOD + BAD)
    report = import_clients(uow_factory, path, mapping_of(path), dry_run=True)
    assert (report.total_rows, report.valid_rows, report.invalid_rows, report.written) == (4, 3, 1, False)
    assert count(uow_factory) == 0


def test_known_phones_and_cars(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    known = create_client(uow_factory, ClientForm(surname="Петрова", phones=(PhoneEntry("+79031112233"),)))
    other = create_client(uow_factory, ClientForm(surname="Сидоров"))
    create_vehicle(uow_factory, other, VehicleForm(make="Kia", model="Rio", plate="А123ВС77"))
    path = write_csv(tmp_path, GOOD)
    with pytest.raises(ImportRejected) as rejected:
        import_clients(uow_factory, path, mapping_of(path))
    assert [(problem.row, problem.column) for problem in rejected.value.report.problems] == [(2, "plate")]
    report = import_clients(uow_factory, path, mapping_of(path), skip_invalid=True)
    assert (report.new_clients, report.matched_clients) == (1, 1)  # Иванов comes from his second row only
    assert [car.plate for car in get_client(uow_factory, known).vehicles] == ["В777ОР199"]
    assert [hit.client_id for hit in search_clients(uow_factory, "в777ор")] == [known]


def test_a_cancelled_import_leaves_nothing(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path, GOOD)
    calls = []

    def cancel_at_the_write() -> bool:
        calls.append(1)
        return len(calls) > 1  # let the check pass, stop while writing

    with pytest.raises(ImportCancelled):
        import_clients(uow_factory, path, mapping_of(path), cancelled=cancel_at_the_write)
    assert count(uow_factory) == 0


def test_xlsx_with_split_names(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Surname", "First name", "Phone", "Birthday", "VIN"])
    sheet.append(["Smirnov", "Oleg", 79161234567, "17.05.1980", None])
    workbook.save(path)
    report = import_clients(uow_factory, path, mapping_of(path))
    assert report.new_clients == 1
    [hit] = search_clients(uow_factory, "smirnov")
    card = get_client(uow_factory, hit.client_id)
    assert (card.form.given_name, str(card.form.birthday), card.phones[0][0]) == ("Oleg", "1980-05-17", "+79161234567")


def test_a_mapping_by_header_names(tmp_path: Path) -> None:
    headers = preview_file(write_csv(tmp_path, GOOD)).headers
    assert mapping_from_headers(headers, {"full_name": "фио", "phone": 1}) == {"full_name": 0, "phone": 1}
    with pytest.raises(ValidationError):
        mapping_from_headers(headers, {"full_name": "Имя"})
    with pytest.raises(ValidationError):
        mapping_from_headers(headers, {"shoe_size": 1})
