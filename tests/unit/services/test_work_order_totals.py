"""A work order's money as pure functions: rounding half up to kopecks, discounts, warranty apart, each VAT mode."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autoservice_desk.config import SHOP_VAT_MODE
from autoservice_desk.services.work_order_totals import (
    VAT_RULES,
    TotalLine,
    compute_totals,
    discount_of,
    labour_amount,
    money,
    part_amount,
    vat_of,
)

D = Decimal


def test_amounts_round_half_up_to_kopecks() -> None:
    assert money(D("0.005")) == D("0.01") and money(D("0.0049")) == D("0.00") and money(D("2.675")) == D("2.68")
    assert labour_amount(D("1.33"), D("2222.22")) == D("2955.55")  # 2955.5526
    assert labour_amount(D("3"), D("2200"), fixed_price=D("2500")) == D("2500.00")
    assert part_amount(D("4.5"), D("899.99")) == D("4049.96")  # 4049.955
    assert discount_of(D("1000.10"), D("5")) == D("50.01")  # 50.005


def test_every_vat_choice_of_the_settings_is_known() -> None:
    assert set(SHOP_VAT_MODE.choices) == set(VAT_RULES)


@pytest.mark.parametrize(
    ("mode", "vat", "total"),
    [
        ("vat20", D("2000.00"), D("12000.00")),  # on top
        ("vat20_included", D("1666.67"), D("10000.00")),  # 10000 × 20 / 120
        ("vat5", D("476.19"), D("10000.00")),
        ("vat7", D("654.21"), D("10000.00")),
        ("no_vat", D("0.00"), D("10000.00")),
    ],
)
def test_vat_by_mode(mode: str, vat: Decimal, total: Decimal) -> None:
    totals = compute_totals([TotalLine("labour", "paid", D("10000.00"))], mode)
    assert (totals.vat, totals.total) == (vat, total)
    assert vat_of(D("10000.00"), mode) == vat


def test_discounts_and_warranty_lines() -> None:
    totals = compute_totals(
        [
            TotalLine("labour", "paid", D("3300.00"), D("10")),
            TotalLine("labour", "warranty", D("2200.00")),
            TotalLine("parts", "paid", D("2000.00"), D("5")),
            TotalLine("parts", "extended", D("1500.00"), D("10")),
        ],
        "vat20_included",
    )
    assert (totals.labour, totals.parts, totals.discount) == (D("3300.00"), D("2000.00"), D("430.00"))
    assert (totals.labour_net, totals.parts_net, totals.net) == (D("2970.00"), D("1900.00"), D("4870.00"))
    assert (totals.warranty, totals.extended) == (D("2200.00"), D("1350.00"))
    assert (totals.vat, totals.total) == (D("811.67"), D("4870.00"))
    with pytest.raises(ValueError):
        compute_totals([], "vat99")
