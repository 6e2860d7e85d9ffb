"""The demo warehouse: places, groups, markups, realistic parts with EAN-13 barcodes and cross groups, in bulk.

Stock itself is not made here: balances come only from posted receipts (the ledger's services).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import NamedTuple, cast

from sqlalchemy import Table, select, text

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import MarkupRule, Part, PartBarcode, PartGroup, StockLocation
from autoservice_desk.services import audit
from autoservice_desk.services import demo_warehouse_catalog as catalog
from autoservice_desk.services.bulk_insert import DriverColumns, insert_driver_rows, reserve_ids
from autoservice_desk.services.crosses import CrossPairs, apply, check_pair, lock_crosses, resolve
from autoservice_desk.services.demo_load import tune_sqlite
from autoservice_desk.services.errors import PermissionDeniedError, ValidationError
from autoservice_desk.services.part_forms import ean_check_digit, is_fractional
from autoservice_desk.services.text_keys import article_key, brand_key, fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

PARTS = cast(Table, Part.__table__)
BARCODES = cast(Table, PartBarcode.__table__)
WAREHOUSE_NAME = "Основной склад"
BATCH = 50_000
BARCODE_SHARE, SECOND_BARCODE_SHARE, PLACED_SHARE = 0.8, 0.1, 0.7
PART_COLUMNS = (
    "id", "article", "article_key", "brand", "brand_key", "name", "name_key", "unit", "fractional", "group_id",
    "min_stock", "purchase_price", "sale_price", "average_cost", "default_location_id", "notes", "active", "version",
)  # fmt: skip
# How often each brand is drawn: OEM numbers and the big names most.
BRAND_WEIGHTS = {
    "Hyundai/Kia": 20, "Bosch": 15, "Mann-Filter": 10, "Mahle": 8, "TRW": 8, "Febi": 8, "Lemförder": 6, "Sachs": 6,
    "Brembo": 5, "NGK": 4, "Castrol": 3, "Lukoil": 3,
}  # fmt: skip
Progress = Callable[[int, int], None]


class PartDraft(NamedTuple):
    article: str
    brand: str
    name: str
    kind: str  # a key of catalog.KINDS, or "" for a consumable
    car: str
    group: str
    unit: str
    price_kopecks: int


@dataclass(frozen=True)
class DemoWarehouseSummary:
    warehouse_id: int
    locations: int
    groups: int
    parts: int
    barcodes: int
    markup_rules: int
    cross_pairs: int
    cross_references: int


def ean13(serial: int, prefix: str = "46") -> str:
    """An EAN-13 with a right check digit: *prefix* (46: Russia), the serial, the check digit."""
    body = f"{prefix}{serial:0{12 - len(prefix)}d}"
    return body + ean_check_digit(body)


def _number(pattern: str, serial: int) -> str:
    """*pattern* with its "#" filled from *serial*: scrambled but unique while the digits suffice, longer after."""
    places = pattern.count("#")
    if serial < 10**places:
        # A multiplier prime to 10 makes this a permutation of the numbers with *places* digits.
        digits = f"{(serial * 982_451_653 + 314_159_265) % 10**places:0{places}d}"
    else:
        digits = str(serial)
    head, _hash, tail = pattern.rpartition("#")
    filled = iter(digits[: places - 1])
    return "".join(next(filled) if character == "#" else character for character in head) + digits[places - 1 :] + tail


def draft_parts(count: int, seed: int) -> Iterator[PartDraft]:
    """*count* parts: the consumables (coffee among them) first, then brand parts for the common cars."""
    generator = random.Random(f"warehouse-{seed}")
    for article, brand, name, group, unit, rubles in catalog.CONSUMABLES[:count]:
        yield PartDraft(article, brand, name, "", "", group, unit, rubles * 100)
    brands, weights = list(BRAND_WEIGHTS), list(BRAND_WEIGHTS.values())
    serials: dict[str, int] = {}
    for _index in range(max(count - len(catalog.CONSUMABLES), 0)):
        brand = generator.choices(brands, weights)[0]
        patterns, kinds = catalog.BRANDS[brand]
        pattern = generator.choice(patterns)
        serial = serials[brand + pattern] = serials.get(brand + pattern, -1) + 1
        kind_key = generator.choice(kinds)
        kind = catalog.KINDS[kind_key]
        car = generator.choice(catalog.CARS) if kind.crossed else ""
        name = f"{kind.name} {car}".strip() if brand != "Hyundai/Kia" else f"{kind.name} {car} (оригинал)"
        price = generator.randint(kind.low * 100, kind.high * 100)
        yield PartDraft(_number(pattern, serial), brand, name, kind_key, car, kind.group, kind.unit, price)


def draft_cross_pairs(parts: int, pairs: int, seed: int) -> Iterator[tuple[str, str, str, str]]:
    """About *pairs* cross pairs among the parts draft_parts(parts, seed) makes: parts of one kind for one car in
    groups of two to five, each with analogs of brands the shop does not stock, chained pair by pair."""
    slots: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for draft in draft_parts(parts, seed):
        if draft.car:
            slots.setdefault((draft.kind, draft.car), []).append((draft.article, draft.brand))
    stocked = sum(len(members) for members in slots.values())
    if not stocked or pairs <= 0:
        return
    per_part = pairs / stocked
    generator = random.Random(f"crosses-{seed}")
    serials: dict[str, int] = {}
    made, owed = 0, 0.0
    for (kind, _car), members in slots.items():
        makers = catalog.CROSS_ONLY_BRANDS[catalog.family(catalog.KINDS[kind].group)]
        start = 0
        while start < len(members) and made < pairs:
            size = generator.randint(2, 5)
            group = members[start : start + size]
            start += size
            owed += per_part * len(group) - (len(group) - 1)  # what the chain of stocked parts leaves to make
            for _extra in range(max(int(owed), 0)):
                brand, pattern = generator.choice(makers)
                serial = serials[brand] = serials.get(brand, -1) + 1
                group.append((_number(pattern, serial), brand))
            owed -= max(int(owed), 0)
            for (article_a, brand_a), (article_b, brand_b) in zip(group, group[1:], strict=False):
                yield article_a, brand_a, article_b, brand_b
                made += 1
                if made >= pairs:
                    return


# --- Writing ----------------------------------------------------------------------------------------------------


def _places(uow: UnitOfWork) -> tuple[int, list[int], int]:
    """The warehouse with its racks, shelves and bins; returns (warehouse id, bin ids, places made)."""
    warehouse = StockLocation(kind="warehouse", name=WAREHOUSE_NAME, code="", active=True)
    uow.session.add(warehouse)
    uow.session.flush()
    warehouse.warehouse_id = warehouse.id
    bins: list[StockLocation] = []
    made = 1
    for rack_name in catalog.RACKS:
        rack = StockLocation(parent_id=warehouse.id, warehouse_id=warehouse.id, kind="rack", name=rack_name,
                             code=rack_name, active=True)  # fmt: skip
        uow.session.add(rack)
        uow.session.flush()
        for shelf_number in range(1, catalog.SHELVES + 1):
            shelf_code = f"{rack_name}-{shelf_number:02}"
            shelf = StockLocation(parent_id=rack.id, warehouse_id=warehouse.id, kind="shelf",
                                  name=f"{shelf_number:02}", code=shelf_code, active=True)  # fmt: skip
            uow.session.add(shelf)
            uow.session.flush()
            for bin_number in range(1, catalog.BINS + 1):
                code = f"{shelf_code}-{bin_number}"
                bins.append(StockLocation(parent_id=shelf.id, warehouse_id=warehouse.id, kind="bin",
                                          name=str(bin_number), code=code, active=True))  # fmt: skip
            made += 1 + catalog.BINS
        made += 1
    uow.session.add_all(bins)
    uow.session.flush()
    return warehouse.id, [place.id for place in bins], made


def _groups_and_rules(uow: UnitOfWork) -> tuple[dict[str, int], int]:
    ids: dict[str, int] = {
        name: group_id for group_id, name in uow.session.execute(select(PartGroup.id, PartGroup.name))
    }
    for name, parent in catalog.GROUPS:
        if name not in ids:
            row = PartGroup(name=name, parent_id=ids.get(parent))
            uow.session.add(row)
            uow.session.flush()
            ids[name] = row.id
    for group_name, brand, low, high, percent in catalog.MARKUP_RULES:
        uow.session.add(MarkupRule(
            group_id=ids[group_name] if group_name else None, brand_key=brand_key(brand) or None,
            price_from=Decimal(low) if low is not None else None, price_to=Decimal(high) if high is not None else None,
            markup_percent=Decimal(percent),
        ))  # fmt: skip
    return ids, len(catalog.MARKUP_RULES)


def _write_parts(uow: UnitOfWork, drafts: list[PartDraft], groups: dict[str, int], bins: list[int],
                 generator: random.Random, barcode_serial: int) -> tuple[int, int]:  # fmt: skip
    """One batch of parts with their barcodes, committed; returns (barcodes written, next barcode serial)."""
    connection = uow.session.connection()
    if connection.dialect.name == "sqlite":
        tune_sqlite(connection)
    first = reserve_ids(connection, {PARTS: len(drafts)})[PARTS]
    rows, codes = [], []
    zero, no_stock = Decimal("0.0000"), Decimal("0.000")
    for offset, draft in enumerate(drafts):
        part_id = first + offset
        place = generator.choice(bins) if generator.random() < PLACED_SHARE else None
        price = Decimal(draft.price_kopecks).scaleb(-2)
        rows.append((
            part_id, draft.article, article_key(draft.article), draft.brand, brand_key(draft.brand), draft.name,
            fold_text(draft.name), draft.unit, is_fractional(draft.unit), groups[draft.group],
            Decimal(generator.choice((0, 0, 1, 2, 4))).quantize(no_stock), price, None, zero, place, None, True, 1,
        ))  # fmt: skip
        if generator.random() < BARCODE_SHARE:
            codes.append((ean13(barcode_serial), part_id))
            barcode_serial += 1
            if generator.random() < SECOND_BARCODE_SHARE:
                codes.append((ean13(barcode_serial, "20"), part_id))  # the shop's own in-store code
                barcode_serial += 1
    convert = DriverColumns(connection.dialect)
    insert_driver_rows(connection, PARTS, PART_COLUMNS, zip(*convert(PARTS, PART_COLUMNS, rows), strict=True))
    insert_driver_rows(connection, BARCODES, ("barcode", "part_id"), codes)
    uow.mark_changed("parts")
    uow.commit()
    return len(codes), barcode_serial


def _write_crosses(uow_factory: UnitOfWorkFactory, parts: int, pairs: int, seed: int) -> int:
    collected = CrossPairs()
    for article_a, brand_a, article_b, brand_b in draft_cross_pairs(parts, pairs, seed):
        _problems, keys = check_pair(article_a, brand_a, article_b, brand_b)
        collected.add(collected.node(article_a, keys[0], brand_a, keys[1]),
                      collected.node(article_b, keys[2], brand_b, keys[3]))  # fmt: skip

    def work(uow: UnitOfWork) -> int:
        lock_crosses(uow)
        resolution = resolve(uow, collected)
        apply(uow, collected, resolution)
        uow.commit()
        return resolution.added

    return run_in_transaction(uow_factory, work, attempts=1)


def add_demo_warehouse(
    uow_factory: UnitOfWorkFactory,
    parts: int = 2000,
    seed: int = 1,
    *,
    cross_pairs: int | None = None,
    progress: Progress | None = None,
) -> DemoWarehouseSummary:
    """A warehouse with racks, shelves and bins, groups, markup rules, *parts* parts with barcodes, and about
    *cross_pairs* cross pairs (twice the parts when None). Parts go in batches, each its own transaction."""
    if not uow_factory.actor.has_role("admin"):
        raise PermissionDeniedError(_("Only an administrator can fill the database with demo data."))
    if parts < 0:
        raise ValidationError(_("The number of parts cannot be negative."), "parts")
    pairs = 2 * parts if cross_pairs is None else cross_pairs

    def prepare(uow: UnitOfWork) -> tuple[int, list[int], int, dict[str, int], int]:
        if uow.session.scalar(select(StockLocation.id).where(StockLocation.name == WAREHOUSE_NAME)) is not None:
            raise ValidationError(_("The demo warehouse is in the database already."))
        warehouse, bins, places = _places(uow)
        groups, rules = _groups_and_rules(uow)
        audit.record(uow, "demo_warehouse", warehouse, "create", None, {"parts": parts, "cross_pairs": pairs})
        uow.mark_changed("locations")
        uow.commit()
        return warehouse, bins, places, groups, rules

    warehouse, bins, places, groups, rules = run_in_transaction(uow_factory, prepare, attempts=1)
    generator = random.Random(f"warehouse-places-{seed}")
    barcodes, serial, written = 0, seed * 10**7, 0
    drafts = draft_parts(parts, seed)
    while written < parts:
        batch = [draft for _index, draft in zip(range(BATCH), drafts, strict=False)]
        write = partial(_write_parts, drafts=batch, groups=groups, bins=bins, generator=generator,
                        barcode_serial=serial)  # fmt: skip
        made, serial = run_in_transaction(uow_factory, write, attempts=1)
        barcodes, written = barcodes + made, written + len(batch)
        if progress is not None:
            progress(written, parts)
    references = _write_crosses(uow_factory, parts, pairs, seed) if pairs else 0
    if uow_factory.engine.dialect.name == "postgresql":  # the planner must see the tables grew from nothing

        def analyze(uow: UnitOfWork) -> None:
            uow.session.execute(text("ANALYZE parts, part_barcodes, cross_references"))
            uow.commit()

        run_in_transaction(uow_factory, analyze)
    return DemoWarehouseSummary(warehouse, places, len(groups), parts, barcodes, rules, pairs, references)
