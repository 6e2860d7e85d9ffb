"""Importing a supplier's price list from CSV/XLSX: checked rows written as a new batch, then switched in at once.

The switch is what keeps searches right while a list is replaced: the new rows go in beside the current list
under a batch that is not current yet (one transaction; a cancel or a failure leaves nothing), then one short
transaction makes the new batch current and the old one not, and only then are the old rows deleted. A search
reads the rows of current batches in one statement, so it sees the old list or the new one, never a mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Unpack, cast

from sqlalchemy import Table, select, update

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.inventory import Supplier
from autoservice_desk.models.quoting import PriceListBatch, PriceListRow
from autoservice_desk.services import audit
from autoservice_desk.services.bulk_insert import DriverColumns, insert_driver_rows
from autoservice_desk.services.crosses import fast_article_key
from autoservice_desk.services.errors import NotFoundError, ValidationError
from autoservice_desk.services.form_values import parse_decimal
from autoservice_desk.services.price_lists import drop_stale_batches, remember_mapping, require_price_list_editor
from autoservice_desk.services.table_import import (
    ImportCancelled,
    ImportField,
    ImportFields,
    ImportOptions,
    RowProblem,
    TableImportRejected,
    TableImportReport,
    TablePlan,
    check_rows,
)
from autoservice_desk.services.text_keys import brand_key
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

ROWS = cast(Table, PriceListRow.__table__)
WRITE_CHUNK = 20_000
KEY_LENGTH = 60
NAME_LENGTH = 300
MAX_PRICE = Decimal("999999999999.99")
MAX_DAYS = 365
ROW_COLUMNS = ("batch_id", "article_key", "brand_key", "article", "brand", "name", "quantity", "price",
               "delivery_days", "multiplicity")  # fmt: skip
KOPECK = Decimal("0.01")
THOUSANDTH = Decimal("0.001")

PRICE_LIST_FIELDS = ImportFields((
    ImportField("article", N_("Article"), ("артикул", "номер", "код", "каталожный номер", "номер детали", "article",
                                           "part number", "number", "code", "oem")),
    ImportField("brand", N_("Brand"), ("бренд", "производитель", "марка", "brand", "manufacturer", "maker")),
    ImportField("name", N_("Name"), ("наименование", "название", "описание", "name", "description", "title")),
    ImportField("quantity", N_("Quantity"), ("количество", "кол во", "наличие", "остаток", "quantity", "qty",
                                             "stock")),
    ImportField("price", N_("Price"), ("цена", "цена руб", "цена закупки", "стоимость", "price", "cost")),
    ImportField("delivery_days", N_("Delivery days"), ("срок", "срок поставки", "срок дней", "дней", "доставка",
                                                       "delivery", "delivery days", "days")),
    ImportField("multiplicity", N_("Multiplicity"), ("кратность", "упаковка", "мин партия", "multiplicity", "pack",
                                                     "packing")),
))  # fmt: skip
auto_mapping = PRICE_LIST_FIELDS.auto_mapping
preview_file = PRICE_LIST_FIELDS.preview_file
mapping_from_headers = PRICE_LIST_FIELDS.mapping_from_headers

Row = tuple[str, str, str, str, str, Decimal | None, Decimal, int | None, int]


class PriceListImportRejected(TableImportRejected):
    """Some rows are invalid and the person did not choose to import the valid ones only."""


@dataclass(frozen=True)
class PriceListImportReport(TableImportReport):
    supplier_id: int
    batch_id: int | None  # the batch now current; None when nothing was written
    replaced_rows: int  # rows of the list it replaced


def check_mapping(mapping: dict[str, int]) -> None:
    if "article" not in mapping or "price" not in mapping:
        raise ValidationError(_("Choose the columns with the article and with the price."), "mapping")


def _quantity(text: str) -> Decimal | None | str:
    """Stock as lists print it ("12", ">10", "10+", "+", "есть"); None when not a count; an error message."""
    stripped = text.strip().strip("<>=+~ ")
    if not stripped:
        return None
    value = parse_decimal(stripped)
    if value is None:
        return None if not any(character.isdigit() for character in stripped) else _("Not a quantity.")
    if value < 0:
        return _("The quantity cannot be negative.")
    return value.quantize(THOUSANDTH)


def parse_row(number: int, values: dict[str, str], brands: dict[str, str]) -> Row | list[RowProblem]:
    """One row checked: the values to write, or every problem found in it."""
    problems: list[RowProblem] = []
    get = values.get
    article = get("article", "")
    akey = fast_article_key(article)
    if not akey:
        problems.append(RowProblem(number, "article", _("Enter the article (letters and digits).")))
    elif len(article) > KEY_LENGTH:
        problems.append(RowProblem(number, "article", _("No more than {count} characters.").format(count=KEY_LENGTH)))
    brand = get("brand", "")
    if len(brand) > KEY_LENGTH:
        problems.append(RowProblem(number, "brand", _("No more than {count} characters.").format(count=KEY_LENGTH)))
    price = parse_decimal(get("price", ""))
    if price is None or price <= 0 or price > MAX_PRICE:
        problems.append(RowProblem(number, "price", _("The price is an amount above zero, for example 1250.50.")))
    quantity = _quantity(get("quantity", ""))
    if isinstance(quantity, str):
        problems.append(RowProblem(number, "quantity", quantity))
    days_text = get("delivery_days", "").removesuffix(".0")
    days = int(days_text) if days_text.isdigit() else None
    if days_text and (days is None or days > MAX_DAYS):
        problems.append(RowProblem(number, "delivery_days",
                                   _("Enter a number of days from 0 to {limit}.").format(limit=MAX_DAYS)))  # fmt: skip
    pack_text = get("multiplicity", "").removesuffix(".0")
    if pack_text and not (pack_text.isdigit() and int(pack_text) > 0):
        problems.append(RowProblem(number, "multiplicity", _("The multiplicity is a whole number above zero.")))
    if problems:
        return problems
    bkey = brands.get(brand)
    if bkey is None:
        bkey = brands[brand] = brand_key(brand)
    assert price is not None and not isinstance(quantity, str)
    return (akey, bkey, article, brand, get("name", "")[:NAME_LENGTH], quantity,
            price.quantize(KOPECK), days, int(pack_text) if pack_text else 1)  # fmt: skip


def plan_import(path: Path, mapping: dict[str, int], **options: Any) -> TablePlan[Row]:
    """Read and check every row of *path* (nothing is read from the database)."""
    check_mapping(mapping)
    plan: TablePlan[Row] = TablePlan()
    brands: dict[str, str] = {}  # a list names a few hundred brands half a million times
    check_rows(plan, path, mapping, lambda number, values: parse_row(number, values, brands), **options)
    plan.problems.sort(key=lambda problem: problem.row)
    return plan


def _write_batch(
    uow: UnitOfWork, supplier_id: int, file_name: str, plan: TablePlan[Row], options: ImportOptions
) -> int:
    """The new batch, not current yet, with every valid row (bulk inserts in chunks, cancel checked between)."""
    progress, cancelled = options.get("progress"), options.get("cancelled")
    batch = PriceListBatch(supplier_id=supplier_id, file_name=file_name[:255], imported_at=uow.clock(),
                           imported_by=uow.actor.login, row_count=len(plan.rows), current=False)  # fmt: skip
    uow.session.add(batch)
    uow.session.flush()
    connection = uow.session.connection()
    convert = DriverColumns(connection.dialect)
    total = len(plan.rows)
    for start in range(0, total, WRITE_CHUNK):
        if cancelled is not None and cancelled():
            raise ImportCancelled
        chunk = [(batch.id, *row) for row in plan.rows[start : start + WRITE_CHUNK]]
        insert_driver_rows(connection, ROWS, ROW_COLUMNS, zip(*convert(ROWS, ROW_COLUMNS, chunk), strict=True))
        if progress is not None:
            progress(min(start + WRITE_CHUNK, total), total)
    return batch.id


def _switch(uow: UnitOfWork, supplier_id: int, batch_id: int, audit_after: dict[str, Any]) -> int:
    """Make *batch_id* the supplier's current list; returns how many rows the list it replaces had."""
    uow.session.get(Supplier, supplier_id, with_for_update=True)  # one import of a supplier switches at a time
    old = uow.session.execute(
        select(PriceListBatch.id, PriceListBatch.row_count).where(
            PriceListBatch.supplier_id == supplier_id, PriceListBatch.current
        )
    ).all()
    uow.session.execute(update(PriceListBatch).where(PriceListBatch.supplier_id == supplier_id,
                                                     PriceListBatch.id != batch_id).values(current=False))  # fmt: skip
    uow.session.execute(update(PriceListBatch).where(PriceListBatch.id == batch_id).values(current=True))
    replaced = sum(count for _id, count in old)
    audit.record(uow, "price_list", supplier_id, "import", {"batch_ids": [batch for batch, _count in old],
                                                            "rows": replaced}, audit_after)  # fmt: skip
    uow.mark_changed("price_lists", supplier_id)
    uow.commit()
    return replaced


def import_price_list(
    uow_factory: UnitOfWorkFactory, supplier_id: int, path: Path, mapping: dict[str, int],
    **options: Unpack[ImportOptions],
) -> PriceListImportReport:  # fmt: skip
    """Check *path* and, unless `dry_run`, make its valid rows *supplier_id*'s price list, replacing the old one.

    With invalid rows and without `skip_invalid` nothing is written and `PriceListImportRejected` carries the
    report. Progress goes 0..1000 while reading, then rows written of rows; `cancelled` is asked in both.
    The mapping is remembered (by header names) for the supplier's next file.
    """

    def check_supplier(uow: UnitOfWork) -> None:
        require_price_list_editor(uow)
        if uow.session.get(Supplier, supplier_id) is None:
            raise NotFoundError(_("The supplier no longer exists."))

    run_in_transaction(uow_factory, check_supplier, read_only=True)
    plan = plan_import(path, mapping, progress=options.get("progress"), cancelled=options.get("cancelled"))

    def report(batch_id: int | None, replaced: int) -> PriceListImportReport:
        return PriceListImportReport(
            total_rows=plan.total_rows, valid_rows=plan.valid_rows, invalid_rows=plan.invalid_rows,
            problems=tuple(plan.problems), written=batch_id is not None, supplier_id=supplier_id, batch_id=batch_id,
            replaced_rows=replaced,
        )  # fmt: skip

    if options.get("dry_run", False):
        return report(None, 0)
    if plan.problems and not options.get("skip_invalid", False):
        raise PriceListImportRejected(report(None, 0))

    def write(uow: UnitOfWork) -> int:
        batch_id = _write_batch(uow, supplier_id, path.name, plan, options)
        uow.commit()
        return batch_id

    batch_id = run_in_transaction(uow_factory, write, attempts=1)
    after = {"batch_id": batch_id, "file": path.name, "rows": plan.valid_rows, "skipped_rows": plan.invalid_rows}
    try:
        replaced = run_in_transaction(uow_factory, lambda uow: _switch(uow, supplier_id, batch_id, after))
    finally:
        drop_stale_batches(uow_factory, supplier_id)  # the replaced list, or ours when the switch failed
    headers = preview_file(path, rows=1).headers
    remember_mapping(uow_factory, supplier_id, {key: headers[index] for key, index in mapping.items()
                                                if index < len(headers)})  # fmt: skip
    return report(batch_id, replaced)

