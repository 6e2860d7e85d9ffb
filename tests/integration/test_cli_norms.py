"""`autoservice-desk import norms` on SQLite and PostgreSQL, as a person runs it: report, exit codes, mapping."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

ROWS = (  # written to csv_file by conftest.py
    "Код;Марка;Модель;Год с;Год по;Двигатель;Норма времени\n"
    "EN-BELT;Kia;Rio;2011;2017;1.6 G4FC;1,8\n"
    "TO-OIL;Kia;;;;;0,6\n"
    "NO-SUCH;Kia;Rio;;;;1\n"
)


def test_import_norms_reports_rows_and_refuses_invalid_ones(
    run_cli: Callable[..., tuple[int, str, str]], database_url: str, csv_file: Path
) -> None:
    code, out, err = run_cli("import", "norms", str(csv_file), "--dry-run", "--db", database_url)
    assert code == 2 and "row 4, Service code: No service with the code NO-SUCH" in out and "Dry run" in out
    code, out, err = run_cli("import", "norms", str(csv_file), "--db", database_url)
    assert code == 2 and "nothing was imported" in err and "row 4, Service code:" in out
    code, out, err = run_cli("import", "norms", str(csv_file), "--skip-invalid", "--db", database_url)
    assert code == 0 and "3 rows: 2 valid, 1 with errors." in out and "Imported 2 new norms; 0 norms updated." in out
    code, out, err = run_cli("import", "norms", str(csv_file), "--skip-invalid", "--db", database_url)
    assert code == 0 and "Imported 0 new norms; 2 norms updated." in out


def test_a_mapping_given_as_json(
    run_cli: Callable[..., tuple[int, str, str]], database_url: str, csv_file: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"service_code": "код", "make": 1, "hours": "Норма времени"}), encoding="utf-8")
    code, out, err = run_cli(
        "import", "norms", str(csv_file), "--mapping", str(mapping), "--skip-invalid", "--db", database_url
    )
    assert code == 0 and "Imported 2 new norms" in out
    code, out, err = run_cli("import", "norms", str(csv_file), "--mapping", '{"make": 1}', "--db", database_url)
    assert code == 2 and "service code or the service name" in err
    code, out, err = run_cli("import", "norms", str(csv_file), "--mapping", '{"x": 1}', "--db", database_url)
    assert code == 2 and "Unknown import field" in err
