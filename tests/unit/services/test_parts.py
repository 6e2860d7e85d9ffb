"""Parts on SQLite and PostgreSQL: keys, units, named field errors, duplicates, barcodes, groups, markups, rights."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.errors import ConflictError, FieldErrors, PermissionDeniedError
from autoservice_desk.services.part_forms import PartForm, ean_check_digit
from autoservice_desk.services.part_prices import (
    MarkupRuleForm,
    MarkupRuleInfo,
    MarkupRules,
    add_markup_rule,
    list_markup_rules,
    sale_price,
)
from autoservice_desk.services.parts import (
    DuplicatePartError,
    PartInfo,
    add_barcode,
    add_part_group,
    create_part,
    find_by_barcode,
    get_part,
    list_part_groups,
    remove_part_group,
    set_part_active,
    update_part,
)
from autoservice_desk.services.unit_of_work import Actor, ChangeSet, UnitOfWorkFactory

EAN = "4006381333931"  # the GS1 textbook EAN-13


def keeper(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    return uow_factory.acting_as(Actor(None, "sklad", roles=frozenset({"warehouse"})))


def test_ean_check_digits() -> None:
    assert ean_check_digit(EAN[:-1]) == EAN[-1]
    assert ean_check_digit("400638133393") == "1"
    assert ean_check_digit("9638507") == "4"  # EAN-8 96385074


def test_a_part_is_created_with_keys_unit_and_barcodes_audited_and_announced(uow_factory: UnitOfWorkFactory) -> None:
    changes: list[ChangeSet] = []
    uow_factory.subscribe(changes.append)
    oils = add_part_group(uow_factory, "Масла")
    form = PartForm(
        article=" 0 986-494.104 ", brand="Mann-Filter", name="  Масло  Моторное Ёлка ", unit="l", group_id=oils,
        min_stock="2,5", purchase_price="1 250,50", barcodes=(EAN, "", "BOSCH-CODE128"),
    )  # fmt: skip
    part_id = create_part(keeper(uow_factory), form)
    part = get_part(uow_factory, part_id)
    assert (part.article, part.article_key, part.brand, part.brand_key) == (
        "0 986-494.104", "0986494104", "Mann-Filter", "MANNFILTER",
    )  # fmt: skip
    assert part.name == "Масло Моторное Ёлка" and part.fractional and part.group_name == "Масла"
    assert (part.min_stock, part.purchase_price, part.sale_price) == (Decimal("2.500"), Decimal("1250.50"), None)
    assert part.barcodes == ("4006381333931", "BOSCH-CODE128")
    assert find_by_barcode(uow_factory, f" {EAN} ") == part
    assert find_by_barcode(uow_factory, "4006381333948") is None
    assert changes[-1].touches("parts")
    entry = list_entries(uow_factory, None, 5)[0]
    assert (entry.entity, entry.action, entry.user_login) == ("part", "create", "sklad")
    assert entry.after is not None and entry.after["barcodes"] == ["4006381333931", "BOSCH-CODE128"]
    assert get_part(uow_factory, part_id).to_form().barcodes == part.barcodes


def test_every_bad_field_is_named(uow_factory: UnitOfWorkFactory) -> None:
    form = PartForm(
        article="--", name="", unit="barrel", min_stock="-1", purchase_price="12.345", sale_price="x",
        barcodes=("4006381333932", "a b", "OK-1", "OK-1"), group_id=999,
    )  # fmt: skip
    with pytest.raises(FieldErrors) as caught:
        create_part(uow_factory, form)
    assert set(caught.value.problems) == {
        "article", "name", "unit", "min_stock", "purchase_price", "sale_price", "barcodes.0", "barcodes.1",
        "barcodes.3", "group_id",
    }  # fmt: skip
    assert "check digit" in caught.value.problems["barcodes.0"]
    # a piece part takes whole numbers only
    with pytest.raises(FieldErrors) as caught:
        create_part(uow_factory, PartForm(article="A1", name="Фильтр", unit="pcs", min_stock="1,5"))
    assert set(caught.value.problems) == {"min_stock"}


def test_same_article_and_brand_is_refused_offering_the_existing_part(uow_factory: UnitOfWorkFactory) -> None:
    first = create_part(uow_factory, PartForm(article="OC 90", brand="Mahle", name="Фильтр масляный"))
    with pytest.raises(DuplicatePartError) as caught:
        create_part(uow_factory, PartForm(article="oc-90", brand="MAHLE", name="Другое имя"))
    assert caught.value.existing.id == first and "OC 90 Mahle" in str(caught.value)
    # the same article of another brand is another part
    other = create_part(uow_factory, PartForm(article="OC90", brand="Knecht", name="Фильтр масляный"))
    assert other != first
    with pytest.raises(DuplicatePartError):
        update_part(uow_factory, other, get_part(uow_factory, other).version,
                    PartForm(article="OC90", brand="mahle", name="x"))  # fmt: skip


def test_a_barcode_belongs_to_one_part(uow_factory: UnitOfWorkFactory) -> None:
    first = create_part(uow_factory, PartForm(article="A1", name="Первая", barcodes=(EAN,)))
    second = create_part(uow_factory, PartForm(article="A2", name="Вторая"))
    with pytest.raises(FieldErrors) as caught:
        create_part(uow_factory, PartForm(article="A3", name="Третья", barcodes=("X1", EAN)))
    assert caught.value.problems == {"barcodes.1": f"The barcode {EAN} belongs to A1 — Первая."}
    with pytest.raises(FieldErrors, match="belongs to A1"):
        add_barcode(uow_factory, second, EAN)
    add_barcode(uow_factory, second, "2000000000015")
    add_barcode(uow_factory, second, "2000000000015")  # twice is harmless
    assert get_part(uow_factory, second).barcodes == ("2000000000015",)
    found = find_by_barcode(uow_factory, "2000000000015")
    assert found is not None and found.id == second
    # moving a barcode: removed from the first part, then added to the second
    info = get_part(uow_factory, first)
    update_part(uow_factory, first, info.version, PartForm(**{**info.to_form().__dict__, "barcodes": ()}))
    update_part(uow_factory, second, get_part(uow_factory, second).version,
                PartForm(article="A2", name="Вторая", barcodes=("2000000000015", EAN)))  # fmt: skip
    assert find_by_barcode(uow_factory, EAN) == get_part(uow_factory, second)


def test_update_checks_the_version_and_only_barcode_changes_move_it(uow_factory: UnitOfWorkFactory) -> None:
    part_id = create_part(uow_factory, PartForm(article="A1", name="Колодки", purchase_price="100"))
    info = get_part(uow_factory, part_id)
    update_part(uow_factory, part_id, info.version, PartForm(**{**info.to_form().__dict__, "barcodes": ("B1",)}))
    newer = get_part(uow_factory, part_id)
    assert newer.version == info.version + 1 and newer.barcodes == ("B1",)
    with pytest.raises(ConflictError, match="Someone else"):
        update_part(uow_factory, part_id, info.version, info.to_form())
    update_part(uow_factory, part_id, newer.version, PartForm(**{**newer.to_form().__dict__, "sale_price": "250"}))
    assert get_part(uow_factory, part_id).sale_price == Decimal("250.00")
    entry = list_entries(uow_factory, None, 1)[0]
    assert entry.action == "update" and entry.before == {"sale_price": None} and entry.after == {"sale_price": "250.00"}


def test_rights_and_withdrawal(uow_factory: UnitOfWorkFactory) -> None:
    advisor = uow_factory.acting_as(Actor(None, "priemka", roles=frozenset({"advisor"})))
    with pytest.raises(PermissionDeniedError):
        create_part(advisor, PartForm(article="A1", name="Фильтр"))
    manager = uow_factory.acting_as(Actor(None, "boss", roles=frozenset({"manager"})))
    part_id = create_part(manager, PartForm(article="A1", name="Фильтр"))
    set_part_active(keeper(uow_factory), part_id, False)
    assert not get_part(uow_factory, part_id).active


def test_groups_nest_and_a_removed_group_hands_its_parts_up(uow_factory: UnitOfWorkFactory) -> None:
    filters = add_part_group(uow_factory, "Фильтры")
    oil_filters = add_part_group(uow_factory, "Фильтры масляные", filters)
    with pytest.raises(FieldErrors) as caught:
        add_part_group(uow_factory, "фильтры")
    assert "exists already" in caught.value.problems["name"]
    part_id = create_part(uow_factory, PartForm(article="A1", name="Фильтр", group_id=oil_filters))
    add_markup_rule(uow_factory, MarkupRuleForm(group_id=oil_filters, markup_percent="40"))
    with pytest.raises(ConflictError, match="markup rules"):
        remove_part_group(uow_factory, oil_filters)
    rules = list_markup_rules(uow_factory)
    from autoservice_desk.services.part_prices import remove_markup_rule

    remove_markup_rule(uow_factory, rules.rules[0].id)
    remove_part_group(uow_factory, oil_filters)
    assert get_part(uow_factory, part_id).group_id == filters
    assert [(group.name, group.part_count) for group in list_part_groups(uow_factory)] == [("Фильтры", 1)]


# --- Prices -----------------------------------------------------------------------------------------------------


def _part(**values: object) -> PartInfo:
    defaults: dict[str, object] = dict(
        id=1, version=1, article="A", article_key="A", brand="Bosch", brand_key="BOSCH", name="x", unit="pcs",
        fractional=False, group_id=None, group_name=None, min_stock=Decimal(0), purchase_price=None, sale_price=None,
        average_cost=Decimal(0), default_location_id=None, default_location_code=None, notes=None, active=True,
        barcodes=(),
    )  # fmt: skip
    defaults.update(values)
    return PartInfo(**defaults)  # type: ignore[arg-type]


def _rule(rule_id: int, percent: str, group: int | None = None, brand: str | None = None, low: str | None = None,
          high: str | None = None) -> MarkupRuleInfo:  # fmt: skip
    return MarkupRuleInfo(rule_id, group, None, brand, Decimal(low) if low else None, Decimal(high) if high else None,
                          Decimal(percent))  # fmt: skip


def test_sale_price_manual_price_wins_and_no_cost_means_no_price() -> None:
    rules = MarkupRules((_rule(1, "50"),))
    assert sale_price(_part(sale_price=Decimal("999.90"), purchase_price=Decimal("10")), rules) == Decimal("999.90")
    assert sale_price(_part(), rules) is None
    assert sale_price(_part(purchase_price=Decimal("100")), MarkupRules()) == Decimal("130.00")  # the default 30 %
    # without a purchase price the average cost of the stock is marked up
    assert sale_price(_part(average_cost=Decimal("10.0050")), rules) == Decimal("15.01")  # 15.0075 half up


def test_sale_price_bands_and_priorities() -> None:
    group_parents = {10: None, 11: 10}  # 11 (oil filters) is inside 10 (filters)
    rules = MarkupRules(
        (
            _rule(1, "25"),  # the shop's catch-all
            _rule(2, "60", low="0", high="100"),  # cheap things
            _rule(3, "40", low="100", high="1000"),
            _rule(4, "35", group=10),
            _rule(5, "45", group=11),
            _rule(6, "20", brand="BOSCH"),
            _rule(7, "15", group=10, brand="BOSCH", low="1000"),
            _rule(8, "33", low="50", high="100"),  # a narrower band than rule 2
        ),
        group_parents,
    )

    def price(cost: str, group: int | None = None, brand: str = "FEBI") -> Decimal | None:
        return sale_price(_part(purchase_price=Decimal(cost), group_id=group, brand_key=brand), rules)

    assert price("10") == Decimal("16.00")  # band 0–100: 60 %
    assert price("99.99") == Decimal("132.99")  # the narrower band 50–100 (33 %) beats 0–100
    assert price("100") == Decimal("140.00")  # the band's upper price is not in it
    assert price("5000") == Decimal("6250.00")  # no band: the catch-all 25 %
    assert price("10", group=10) == Decimal("13.50")  # a group beats a band
    assert price("10", group=11) == Decimal("14.50")  # the nearer group beats its parent
    assert price("10", group=11, brand="BOSCH") == Decimal("12.00")  # a brand beats a group
    assert price("2000", group=11, brand="BOSCH") == Decimal("2300.00")  # three conditions beat one
    assert price("999", group=11, brand="BOSCH") == Decimal("1198.80")  # below rule 7's band: the brand rule


def test_markup_rules_are_checked_and_stored(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(FieldErrors) as caught:
        add_markup_rule(uow_factory, MarkupRuleForm(price_from="500", price_to="100", markup_percent="-5"))
    assert set(caught.value.problems) == {"price_to", "markup_percent"}
    add_markup_rule(uow_factory, MarkupRuleForm(brand="Mann-Filter", price_from="0", price_to="500",
                                                markup_percent="42,5"))  # fmt: skip
    with pytest.raises(FieldErrors, match="exists already"):
        add_markup_rule(uow_factory, MarkupRuleForm(brand="MANN FILTER", price_from="0", price_to="500",
                                                    markup_percent="10"))  # fmt: skip
    keeper_only = keeper(uow_factory)
    with pytest.raises(PermissionDeniedError):
        add_markup_rule(keeper_only, MarkupRuleForm(markup_percent="10"))
    rules = list_markup_rules(uow_factory)
    assert [(rule.brand_key, rule.price_to, rule.markup_percent) for rule in rules.rules] == [
        ("MANNFILTER", Decimal("500.00"), Decimal("42.50"))
    ]
    part = _part(brand_key="MANNFILTER", purchase_price=Decimal("200"))
    assert sale_price(part, rules) == Decimal("285.00")
