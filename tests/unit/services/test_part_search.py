"""Searching parts on SQLite and PostgreSQL: barcode, article, brand, name words; stock summed; analogs in stock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autoservice_desk.models.inventory import StockBalance
from autoservice_desk.services import part_search
from autoservice_desk.services.crosses import add_cross
from autoservice_desk.services.locations import add_location
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.part_prices import MarkupRuleForm, add_markup_rule
from autoservice_desk.services.part_search import search_parts
from autoservice_desk.services.parts import create_part, set_part_active
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


def put_stock(
    uow_factory: UnitOfWorkFactory, part_id: int, location_id: int, quantity: str, reserved: str = "0"
) -> None:
    """What posted receipts and reservations leave behind (the ledger's own services are tested elsewhere)."""
    with uow_factory() as uow:
        uow.session.add(StockBalance(part_id=part_id, location_id=location_id, quantity=Decimal(quantity),
                                     reserved=Decimal(reserved)))  # fmt: skip
        uow.commit()


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    main = add_location(uow_factory, None, "warehouse", "Склад")
    first = add_location(uow_factory, main, "shelf", "A")
    second = add_location(uow_factory, main, "shelf", "B")

    def part(article: str, brand: str, name: str, **values: object) -> int:
        return create_part(uow_factory, PartForm(article=article, brand=brand, name=name, **values))  # type: ignore[arg-type]

    ids = {
        "oc90": part("OC 90", "Mahle", "Фильтр масляный", purchase_price="400", barcodes=("4006381333931",)),
        "oc90_knecht": part("OC90", "Knecht", "Фильтр масляный Knecht"),
        "oc905": part("OC 905", "Mahle", "Фильтр масляный OC905"),
        "w712": part("W 712/75", "Mann-Filter", "Фильтр масляный", purchase_price="500"),
        "bosch": part("0 451 103 316", "Bosch", "Фильтр масла", sale_price="777"),
        "pads": part("GDB1550", "TRW", "Колодки тормозные передние"),
        "oil": part("154D4D", "Castrol", "Масло моторное EDGE 5W-30 4 л", unit="l"),
        "coffee": part("COFFEE-1", "", "Кофе в зёрнах 1 кг"),
        "old": part("OC 90 OLD", "Mahle", "Фильтр масляный старый"),
    }
    set_part_active(uow_factory, ids["old"], False)
    put_stock(uow_factory, ids["oc90"], first, "3", reserved="1")
    put_stock(uow_factory, ids["oc90"], second, "2")
    put_stock(uow_factory, ids["w712"], first, "4", reserved="4")
    put_stock(uow_factory, ids["bosch"], second, "1")
    put_stock(uow_factory, ids["oil"], first, "12.5")
    add_cross(uow_factory, "OC 90", "Mahle", "W 712/75", "Mann-Filter")
    add_cross(uow_factory, "OC 90", "Mahle", "0451103316", "BOSCH")
    add_cross(uow_factory, "OC 90", "Mahle", "OC 90", "Knecht")  # stocked by nobody
    add_markup_rule(uow_factory, MarkupRuleForm(markup_percent="50"))
    return {**ids, "first": first, "second": second}


def test_an_exact_article_comes_first_then_articles_starting_with_it(
    uow_factory: UnitOfWorkFactory, shop: dict[str, int]
) -> None:
    hits = search_parts(uow_factory, "oc-90")
    assert [(hit.part_id, hit.match) for hit in hits[:3]] == [
        (shop["oc90_knecht"], "article"), (shop["oc90"], "article"), (shop["oc905"], "article_prefix")
    ]  # fmt: skip
    assert shop["old"] not in [hit.part_id for hit in hits]  # withdrawn
    assert shop["old"] in [hit.part_id for hit in search_parts(uow_factory, "oc-90", include_inactive=True)]
    assert [hit.part_id for hit in search_parts(uow_factory, "0451")] == [shop["bosch"]]


def test_a_hit_carries_stock_places_price_and_analogs_in_stock(
    uow_factory: UnitOfWorkFactory, shop: dict[str, int]
) -> None:
    hit = search_parts(uow_factory, "OC 90 Mahle")[0]  # one word taken for the brand
    assert (hit.part_id, hit.match) == (shop["oc90"], "article")
    assert (hit.on_hand, hit.reserved, hit.available) == (Decimal("5.000"), Decimal("1.000"), Decimal("4.000"))
    assert [(place.code, place.on_hand) for place in hit.places] == [("A", Decimal("3.000")), ("B", Decimal("2.000"))]
    assert hit.price == Decimal("600.00")  # 400 + 50 %
    # analogs in stock only (Knecht has none), most available first: Bosch has 1 free, Mann has all 4 reserved
    assert [(analog.part_id, analog.available, analog.price) for analog in hit.analogs] == [
        (shop["bosch"], Decimal("1.000"), Decimal("777.00")), (shop["w712"], Decimal("0.000"), Decimal("750.00"))
    ]  # fmt: skip
    assert search_parts(uow_factory, "OC 90 Mahle", with_analogs=False)[0].analogs == ()
    assert search_parts(uow_factory, "w712 mann")[0].part_id == shop["w712"]


def test_a_barcode_finds_its_part(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    hits = search_parts(uow_factory, " 4006381333931 ")
    assert [(hit.part_id, hit.match) for hit in hits] == [(shop["oc90"], "barcode")]


def test_name_words_fold_case_and_yo_and_match_inside_names(
    uow_factory: UnitOfWorkFactory, shop: dict[str, int]
) -> None:
    assert [hit.part_id for hit in search_parts(uow_factory, "КОФЕ ЗЕРНАХ")] == [shop["coffee"]]
    pads = search_parts(uow_factory, "колод торм")
    assert [(hit.part_id, hit.match) for hit in pads] == [(shop["pads"], "name")]
    # a word inside the name only (not at its start) is found by the substring scan
    assert [hit.part_id for hit in search_parts(uow_factory, "тормозные")] == [shop["pads"]]
    # a name word with a brand word
    assert [hit.part_id for hit in search_parts(uow_factory, "масло castrol")] == [shop["oil"]]
    oil = search_parts(uow_factory, "масло моторное")[0]
    assert (oil.fractional, oil.on_hand, oil.available) == (True, Decimal("12.500"), Decimal("12.500"))
    # names starting with the word come before names holding it further in
    filters = [hit.part_id for hit in search_parts(uow_factory, "масляный фильтр")]
    assert set(filters) == {shop["oc90"], shop["oc90_knecht"], shop["oc905"], shop["w712"]}
    assert search_parts(uow_factory, "нет такого") == []
    assert search_parts(uow_factory, "   ") == []


def test_a_brand_alone_lists_its_parts_and_limit_is_kept(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    hits = search_parts(uow_factory, "MAHLE")
    assert {hit.part_id for hit in hits} == {shop["oc90"], shop["oc905"]} and {hit.match for hit in hits} == {"brand"}
    assert len(search_parts(uow_factory, "фильтр", limit=2)) == 2


def test_like_patterns_find_what_ranges_find(
    uow_factory: UnitOfWorkFactory, shop: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PostgreSQL under a language's collation gets LIKE patterns instead of ranges: the same parts."""
    texts = ("oc-90", "OC 90 Mahle", "w712 mann", "колод торм", "масло castrol", "тормозные", "4006381333931")
    with_ranges = [[hit.part_id for hit in search_parts(uow_factory, text)] for text in texts]
    monkeypatch.setattr(part_search, "prefixes_as_ranges", lambda connection: False)
    part_search._finder_statement.cache_clear()
    assert [[hit.part_id for hit in search_parts(uow_factory, text)] for text in texts] == with_ranges
    assert all(with_ranges)
