"""`autoservice-desk import price-list` and `autoservice-desk quote` on SQLite and PostgreSQL, as a person runs them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fake_supplier_servers import running
from quoting_shop import make_json_supplier, make_shop

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

ROWS = (  # written to csv_file by conftest.py
    "Артикул;Бренд;Наименование;Цена;Срок\n"
    "OC 90;Mahle;Фильтр;380;1\n"
    "W712/75;Mann-Filter;Фильтр;;2\n"
    "GDB1550;TRW;Колодки;2500;3\n"
)


@pytest.fixture
def factory(database_url: str) -> Iterator[UnitOfWorkFactory]:
    engine = create_database_engine(parse_database_url(database_url, Path("unused")))
    yield UnitOfWorkFactory(engine)
    engine.dispose()


def test_import_price_list(
    run_cli: Callable[..., tuple[int, str, str]], database_url: str, csv_file: Path, factory: UnitOfWorkFactory
) -> None:
    create_supplier(factory, SupplierForm(name="Армтек"))
    code, out, err = run_cli("import", "price-list", "армтек", str(csv_file), "--db", database_url)
    assert code == 2 and "row 3, Price: The price is an amount above zero" in out and "nothing was imported" in err
    code, out, _err = run_cli("import", "price-list", "Армтек", str(csv_file), "--skip-invalid", "--db", database_url)
    assert code == 0 and "3 rows: 2 valid, 1 with errors." in out
    assert "Price list loaded: 2 offers (the previous list had 0)." in out
    code, _out, err = run_cli("import", "price-list", "Нет такого", str(csv_file), "--db", database_url)
    assert code == 2 and "There is no supplier" in err


def test_quote_prints_the_sources(
    run_cli: Callable[..., tuple[int, str, str]], database_url: str, factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    server = make_json_supplier()
    with running(server) as url:
        make_shop(factory, tmp_path, json_url=url)
        code, out, _err = run_cli("quote", "OC-90", "--brand", "Mahle", "--db", database_url)
        assert code == 0
        assert out.index("== Own stock") < out.index("== Analogs") < out.index("== Price lists") < out.index("ШопАПИ")
        assert "W 712/75" in out and "600.00" in out
        code, out, _err = run_cli("quote", "OC90", "--brand", "Mahle", "--json", "--db", database_url)
    assert code == 0
    data = json.loads(out)
    assert [source["kind"] for source in data["sources"]] == ["own_stock", "analogs", "price_lists", "online"]
    assert data["sources"][-1]["from_cache"] is True  # the first command's answer, cached
    best = [offer for offer in data["offers"] if offer["best_price"]]
    assert [(offer["source_name"], offer["sale_price"]) for offer in best] == [("Армтек", "456.00")]
