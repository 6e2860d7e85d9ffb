"""Sale prices of supplier offers: the same markup rules as own parts, plus rules by supplier; client discounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autoservice_desk.services.errors import FieldErrors
from autoservice_desk.services.part_prices import (
    MarkupRuleForm,
    MarkupRuleInfo,
    MarkupRules,
    add_markup_rule,
    discounted,
    list_markup_rules,
    margin,
    offer_sale_price,
)
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

D = Decimal


def rule(rule_id: int, percent: str, *, brand: str | None = None, low: str | None = None, high: str | None = None,
         supplier: int | None = None, group: int | None = None) -> MarkupRuleInfo:  # fmt: skip
    return MarkupRuleInfo(rule_id, group, None, brand, D(low) if low else None, D(high) if high else None, D(percent),
                          supplier)  # fmt: skip


RULES = MarkupRules((
    rule(1, "40"),
    rule(2, "25", low="1000"),
    rule(3, "15", brand="BOSCH"),
    rule(4, "10", supplier=7),
    rule(5, "5", supplier=7, brand="BOSCH"),
    rule(6, "60", high="100"),
))  # fmt: skip


@pytest.mark.parametrize(("cost", "brand", "supplier", "expected"), [
    ("500", "MAHLE", None, "700.00"),  # the catch-all rule
    ("2000", "MAHLE", None, "2500.00"),  # the price band
    ("50", "MAHLE", None, "80.00"),  # cheap parts get more
    ("500", "BOSCH", None, "575.00"),  # a brand beats a band
    ("500", "MAHLE", 7, "550.00"),  # the supplier's own rule
    ("500", "BOSCH", 7, "525.00"),  # supplier and brand: the most conditions
    ("500", "MAHLE", 8, "700.00"),  # another supplier's rule does not apply
    ("333.33", "MAHLE", None, "466.66"),  # rounded half up to kopecks
])  # fmt: skip
def test_offer_sale_price(cost: str, brand: str, supplier: int | None, expected: str) -> None:
    assert offer_sale_price(D(cost), RULES, brand_key=brand, supplier_id=supplier) == D(expected)


def test_without_rules_the_default_markup() -> None:
    assert offer_sale_price(D("100"), MarkupRules(), brand_key="X", supplier_id=None) == D("130.00")


def test_discount_and_margin() -> None:
    assert discounted(D("700.00"), D("10"), D("500")) == D("630.00")
    assert discounted(D("520.00"), D("10"), D("500")) == D("500.00")  # never below cost
    assert discounted(D("450.00"), D("10"), D("500")) == D("450.00")  # a price set below cost stays
    assert discounted(D("700.00"), D("0"), D("500")) == D("700.00")
    assert margin(D("630.00"), D("500")) == D("130.00") and margin(None, D("1")) is None


def test_rules_by_supplier_are_stored(uow_factory: UnitOfWorkFactory) -> None:
    supplier = create_supplier(uow_factory, SupplierForm(name="Армтек"))
    add_markup_rule(uow_factory, MarkupRuleForm(markup_percent="12", supplier_id=supplier))
    add_markup_rule(uow_factory, MarkupRuleForm(markup_percent="30"))
    with pytest.raises(FieldErrors) as duplicate:
        add_markup_rule(uow_factory, MarkupRuleForm(markup_percent="14", supplier_id=supplier))
    assert "markup_percent" in duplicate.value.problems
    with pytest.raises(FieldErrors) as missing:
        add_markup_rule(uow_factory, MarkupRuleForm(markup_percent="14", supplier_id=supplier + 100))
    assert "supplier_id" in missing.value.problems
    rules = list_markup_rules(uow_factory)
    by_supplier = [item for item in rules.rules if item.supplier_id == supplier]
    assert [(item.supplier_name, item.markup_percent) for item in by_supplier] == [("Армтек", D("12.00"))]
    assert offer_sale_price(D("100"), rules, brand_key="X", supplier_id=supplier) == D("112.00")
    assert offer_sale_price(D("100"), rules, brand_key="X", supplier_id=None) == D("130.00")
