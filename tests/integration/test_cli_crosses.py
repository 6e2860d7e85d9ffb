"""`autoservice-desk import crosses` on SQLite and PostgreSQL, as a person runs it: report, exit codes, mapping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

ROWS = (  # written to csv_file by conftest.py
    "Артикул;Бренд;Артикул аналога;Бренд аналога\n"
    "OC 90;Mahle;W 712/75;Mann-Filter\n"
    "W712/75;MANN-FILTER;0 451 103 316;Bosch\n"
    ";Bosch;GDB1550;TRW\n"
    "GDB1550;TRW;P 85 020;Brembo\n"
)


def group_sizes(database_url: str) -> list[int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        sizes = connection.execute(
            text("SELECT COUNT(*) FROM cross_references GROUP BY group_id ORDER BY COUNT(*)")
        ).scalars()
        found = list(sizes)
    engine.dispose()
    return found


def test_import_crosses_reports_rows_and_refuses_invalid_ones(
    run_cli: Callable[..., tuple[int, str, str]], database_url: str, csv_file: Path
) -> None:
    code, out, err = run_cli("import", "crosses", str(csv_file), "--dry-run", "--db", database_url)
    assert code == 2 and "row 4, Article: Enter the article" in out and "Dry run" in out
    code, out, err = run_cli("import", "crosses", str(csv_file), "--db", database_url)
    assert code == 2 and "nothing was imported" in err
    assert group_sizes(database_url) == []
    code, out, err = run_cli("import", "crosses", str(csv_file), "--skip-invalid", "--db", database_url)
    assert code == 0 and "4 rows: 3 valid, 1 with errors." in out
    assert "Imported 5 new articles; 2 new groups of analogs; 0 groups merged into others." in out
    assert group_sizes(database_url) == [2, 3]


def test_a_mapping_given_as_json_and_a_merge(
    run_cli: Callable[..., tuple[int, str, str]], database_url: str, csv_file: Path, tmp_path: Path
) -> None:
    run_cli("import", "crosses", str(csv_file), "--skip-invalid", "--db", database_url)
    bridge = tmp_path / "bridge.csv"
    bridge.write_text("x;y;z;w\nP85020;BREMBO;OC90;mahle\n", encoding="utf-8")
    mapping = '{"article_a": 0, "brand_a": "y", "article_b": "Z", "brand_b": 3}'
    code, out, err = run_cli("import", "crosses", str(bridge), "--mapping", mapping, "--db", database_url)
    assert code == 0 and "Imported 0 new articles; 0 new groups of analogs; 1 group merged into another." in out
    assert group_sizes(database_url) == [5]
    code, out, err = run_cli("import", "crosses", str(bridge), "--mapping", '{"brand_a": 1}', "--db", database_url)
    assert code == 2 and "analog article" in err
