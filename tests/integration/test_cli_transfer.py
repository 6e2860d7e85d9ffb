"""`autoservice-desk import clients` and `export clients` on SQLite and PostgreSQL, as a person runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from autoservice_desk.services.table_files import open_table

ROWS = (  # written to csv_file by conftest.py
    "Фамилия;Имя;Тел.;Госномер;Автомобиль\n"
    "Иванов;Иван;8 912 345-67-89;А123ВС77;Land Rover Discovery 3\n"
    "Петров;Пётр;+7 903 111 22 33;;\n"
    "Сидоров;;12;;\n"
)


def test_import_reports_rows_and_refuses_invalid_ones(
    run_cli: Callable[..., tuple[int, str, str]], database_url: str, csv_file: Path, tmp_path: Path
) -> None:
    code, out, err = run_cli("import", "clients", str(csv_file), "--dry-run", "--db", database_url)
    assert code == 2 and "row 4, Phone:" in out and "Dry run" in out
    code, out, err = run_cli("import", "clients", str(csv_file), "--db", database_url)
    assert code == 2 and "nothing was imported" in err and "row 4, Phone:" in out
    code, out, err = run_cli("import", "clients", str(csv_file), "--skip-invalid", "--db", database_url)
    assert code == 0 and "Imported 2 new clients, 1 car" in out
    export = tmp_path / "all.xlsx"
    code, out, err = run_cli("export", "clients", str(export), "--db", database_url)
    assert code == 0 and "Exported 2 clients" in out
    with open_table(export) as table:
        names = sorted(row.values[1] for row in table.iter_rows())
    assert names == ["Иванов Иван", "Петров Пётр"]
    found = tmp_path / "found.csv"
    code, out, err = run_cli("export", "clients", str(found), "--query", "a123", "--db", database_url)
    assert code == 0 and "Exported 1 client" in out
    with open_table(found) as table:
        assert [row.values[3] for row in table.iter_rows()] == ["Land Rover Discovery 3 · А123ВС77"]


def test_a_mapping_given_as_json(
    run_cli: Callable[..., tuple[int, str, str]], database_url: str, csv_file: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"surname": "Фамилия", "phone": 2}), encoding="utf-8")
    code, out, err = run_cli(
        "import", "clients", str(csv_file), "--mapping", str(mapping), "--skip-invalid", "--db", database_url
    )
    assert code == 0 and "Imported 2 new clients" in out
    code, out, err = run_cli("import", "clients", str(csv_file), "--mapping", "{bad", "--db", database_url)
    assert code == 2 and "--mapping is not valid JSON" in err
    code, out, err = run_cli("import", "clients", str(tmp_path / "none.xlsx"), "--db", database_url)
    assert code == 2 and "does not exist" in err
