"""Importing suppliers' price lists on SQLite and PostgreSQL: rows checked, bad rows reported, the old list replaced
at once, a cancelled import leaving the old list searchable, the mapping remembered, XLSX and CSV alike."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from autoservice_desk.models.quoting import PriceListBatch, PriceListRow
from autoservice_desk.services.price_list_import import (
    PriceListImportRejected,
    auto_mapping,
    import_price_list,
    preview_file,
)
from autoservice_desk.services.price_lists import (
    list_price_lists,
    mapping_for_headers,
    remove_price_list,
    saved_mapping,
)
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.services.table_import import ImportCancelled
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory

D = Decimal
GOOD = "Артикул;Производитель;Наименование;Наличие;Цена;Срок;Кратность\n" \
       "OC 90;Mahle;Фильтр масляный;12;380,50;1;1\n" \
       "0 451-103.316;Bosch;Фильтр;>50;1 300;2;\n" \
       "GDB1550;TRW;Колодки;;2500;;2\n"  # fmt: skip


def _rows(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str, Decimal | None, Decimal, int | None, int]]:
    with uow_factory(read_only=True) as uow:
        return sorted((tuple(row) for row in uow.session.execute(
            select(PriceListRow.article_key, PriceListRow.brand_key, PriceListRow.quantity, PriceListRow.price,
                   PriceListRow.delivery_days, PriceListRow.multiplicity)
            .join(PriceListBatch, PriceListBatch.id == PriceListRow.batch_id).where(PriceListBatch.current)
        )), key=lambda row: (row[0], row[1], str(row[2])))  # fmt: skip


def _all_rows(uow_factory: UnitOfWorkFactory) -> int:
    with uow_factory(read_only=True) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(PriceListRow)) or 0)


@pytest.fixture
def supplier(uow_factory: UnitOfWorkFactory) -> int:
    return create_supplier(uow_factory, SupplierForm(name="Армтек"))


def _file(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="cp1251")
    return path


def test_import_reads_a_russian_excel_csv(uow_factory: UnitOfWorkFactory, supplier: int, tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD)
    mapping = auto_mapping(preview_file(path).headers)
    assert set(mapping) == {"article", "brand", "name", "quantity", "price", "delivery_days", "multiplicity"}
    report = import_price_list(uow_factory, supplier, path, mapping)
    assert (report.total_rows, report.valid_rows, report.invalid_rows, report.written) == (3, 3, 0, True)
    assert _rows(uow_factory) == [
        ("0451103316", "BOSCH", D("50.000"), D("1300.00"), 2, 1),
        ("GDB1550", "TRW", None, D("2500.00"), None, 2),
        ("OC90", "MAHLE", D("12.000"), D("380.50"), 1, 1),
    ]
    (listed,) = list_price_lists(uow_factory)
    assert (listed.supplier_name, listed.row_count, listed.file_name) == ("Армтек", 3, "list.csv")


def test_bad_rows_are_reported_with_their_numbers(
    uow_factory: UnitOfWorkFactory, supplier: int, tmp_path: Path
) -> None:
    path = _file(tmp_path, GOOD + "---;X;Без артикула;1;100;1;1\nW712;Mann;Фильтр;-3;-5;900;0\n")
    mapping = auto_mapping(preview_file(path).headers)
    with pytest.raises(PriceListImportRejected) as rejected:
        import_price_list(uow_factory, supplier, path, mapping)
    problems = {(problem.row, problem.column) for problem in rejected.value.report.problems}
    assert problems == {(5, "article"), (6, "quantity"), (6, "price"), (6, "delivery_days"), (6, "multiplicity")}
    assert _all_rows(uow_factory) == 0  # nothing written
    report = import_price_list(uow_factory, supplier, path, mapping, skip_invalid=True)
    assert (report.valid_rows, report.invalid_rows) == (3, 2)
    assert len(_rows(uow_factory)) == 3


def test_a_new_list_replaces_the_old_one_whole(uow_factory: UnitOfWorkFactory, supplier: int, tmp_path: Path) -> None:
    first = _file(tmp_path, GOOD)
    import_price_list(uow_factory, supplier, first, auto_mapping(preview_file(first).headers))
    second = _file(tmp_path, "Артикул;Бренд;Цена\nOC90;Mahle;399\n", "new.csv")
    report = import_price_list(uow_factory, supplier, second, auto_mapping(preview_file(second).headers))
    assert report.replaced_rows == 3
    assert _rows(uow_factory) == [("OC90", "MAHLE", None, D("399.00"), None, 1)]
    assert _all_rows(uow_factory) == 1  # the old batch's rows are gone too
    other = create_supplier(uow_factory, SupplierForm(name="Автоклик"))
    import_price_list(uow_factory, other, first, auto_mapping(preview_file(first).headers))
    assert len(_rows(uow_factory)) == 4  # each supplier's list is its own


def test_a_cancelled_import_leaves_the_old_list(uow_factory: UnitOfWorkFactory, supplier: int, tmp_path: Path) -> None:
    first = _file(tmp_path, GOOD)
    mapping = auto_mapping(preview_file(first).headers)
    import_price_list(uow_factory, supplier, first, mapping)
    big = _file(tmp_path, "Артикул;Бренд;Цена\n" + "".join(f"A{index};B;{index + 1}\n" for index in range(30_000)),
                "big.csv")  # fmt: skip
    calls = []

    def cancel_while_writing() -> bool:
        calls.append(1)
        return len(calls) > 61  # reading asks every 500 rows (60 times); the writing then stops at once

    with pytest.raises(ImportCancelled):
        import_price_list(uow_factory, supplier, big, {"article": 0, "brand": 1, "price": 2},
                          cancelled=cancel_while_writing)  # fmt: skip
    assert len(_rows(uow_factory)) == 3 and _all_rows(uow_factory) == 3


def test_the_mapping_is_remembered_by_header(uow_factory: UnitOfWorkFactory, supplier: int, tmp_path: Path) -> None:
    path = _file(tmp_path, "Код;Что;Сколько стоит\nOC90;Фильтр;100\n")
    import_price_list(uow_factory, supplier, path, {"article": 0, "name": 1, "price": 2})
    saved = saved_mapping(uow_factory, supplier)
    assert saved == {"article": "Код", "name": "Что", "price": "Сколько стоит"}
    # the next file has the columns in another order
    assert mapping_for_headers(saved, ["Сколько стоит", "Код", "Что"], {}) == {"price": 0, "article": 1, "name": 2}


def test_xlsx_import_and_removal(uow_factory: UnitOfWorkFactory, supplier: int, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Article", "Brand", "Price", "Qty"])
    sheet.append(["OC90", "Mahle", 380.5, 3])
    workbook.save(path)
    import_price_list(uow_factory, supplier, path, auto_mapping(preview_file(path).headers))
    assert _rows(uow_factory) == [("OC90", "MAHLE", D("3.000"), D("380.50"), None, 1)]
    assert remove_price_list(uow_factory, supplier) == 1
    assert _all_rows(uow_factory) == 0 and list_price_lists(uow_factory) == []


def test_only_the_warehouse_and_managers_load_lists(
    uow_factory: UnitOfWorkFactory, supplier: int, tmp_path: Path
) -> None:
    from autoservice_desk.services.errors import PermissionDeniedError

    advisor = uow_factory.acting_as(Actor(None, "advisor", roles=frozenset({"advisor"})))
    path = _file(tmp_path, GOOD)
    with pytest.raises(PermissionDeniedError):
        import_price_list(advisor, supplier, path, auto_mapping(preview_file(path).headers))
