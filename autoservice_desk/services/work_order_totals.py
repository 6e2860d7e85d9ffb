"""A work order's money as pure functions: line amounts, discounts, warranty apart, VAT by the shop's mode, total.

Every amount is a Decimal rounded half up to kopecks at the line (what the client sees on each printed line adds
up to the printed total). Warranty and extended-warranty lines are not charged to the client: they are summed
apart (the manufacturer or the warranty company pays them) and stay out of VAT and the total to pay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
CHARGED_KIND = "paid"


@dataclass(frozen=True)
class VatRule:
    """A `config.SHOP_VAT_MODE` choice: the rate, and whether prices already include it."""

    rate: Decimal
    included: bool


# vat20 adds 20 % on top of the prices (a shop serving companies); the simplified-system rates (5 %, 7 %) are
# charged inside the prices the client sees, as a shop on УСН quotes final prices.
VAT_RULES: dict[str, VatRule] = {
    "vat20": VatRule(Decimal(20), False),
    "vat20_included": VatRule(Decimal(20), True),
    "vat5": VatRule(Decimal(5), True),
    "vat7": VatRule(Decimal(7), True),
    "no_vat": VatRule(Decimal(0), True),
}


def money(amount: Decimal) -> Decimal:
    """*amount* rounded half up to kopecks (0.005 → 0.01)."""
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def labour_amount(hours: Decimal, hourly_rate: Decimal, fixed_price: Decimal | None = None) -> Decimal:
    """A job's price before discount: its fixed price, or hours × rate."""
    return money(fixed_price) if fixed_price is not None else money(hours * hourly_rate)


def part_amount(quantity: Decimal, price: Decimal) -> Decimal:
    return money(quantity * price)


def discount_of(gross: Decimal, percent: Decimal) -> Decimal:
    return money(gross * percent / HUNDRED)


@dataclass(frozen=True)
class LineMoney:
    gross: Decimal
    discount: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.discount


def line_money(gross: Decimal, discount_percent: Decimal) -> LineMoney:
    return LineMoney(money(gross), discount_of(gross, discount_percent))


@dataclass(frozen=True)
class TotalLine:
    """One line as the totals see it: labour or parts, its kind (paid / warranty / extended), gross and discount."""

    group: str  # labour | parts
    kind: str
    gross: Decimal
    discount_percent: Decimal = ZERO


@dataclass(frozen=True)
class WorkOrderTotals:
    """Client-charged labour and parts (before discount), the discount, VAT and the total to pay; warranty apart."""

    labour: Decimal
    parts: Decimal
    labour_discount: Decimal
    parts_discount: Decimal
    warranty: Decimal  # net of warranty lines, not charged to the client
    extended: Decimal  # net of extended-warranty lines, not charged to the client
    vat_mode: str
    vat_rate: Decimal
    vat_included: bool
    vat: Decimal

    @property
    def discount(self) -> Decimal:
        return self.labour_discount + self.parts_discount

    @property
    def labour_net(self) -> Decimal:
        return self.labour - self.labour_discount

    @property
    def parts_net(self) -> Decimal:
        return self.parts - self.parts_discount

    @property
    def net(self) -> Decimal:
        """What the client's lines come to after discounts (VAT included in it when prices include VAT)."""
        return self.labour_net + self.parts_net

    @property
    def total(self) -> Decimal:
        """The total to pay."""
        return self.net if self.vat_included else self.net + self.vat


def vat_rule(vat_mode: str) -> VatRule:
    try:
        return VAT_RULES[vat_mode]
    except KeyError:
        raise ValueError(f"unknown VAT mode {vat_mode!r}") from None


def vat_of(net: Decimal, vat_mode: str) -> Decimal:
    """VAT in *net*: extracted (net × r / (100 + r)) when prices include it, else added on top (net × r / 100)."""
    rule = vat_rule(vat_mode)
    if rule.rate == 0:
        return ZERO
    if rule.included:
        return money(net * rule.rate / (HUNDRED + rule.rate))
    return money(net * rule.rate / HUNDRED)


def compute_totals(lines: Iterable[TotalLine], vat_mode: str) -> WorkOrderTotals:
    """The order's totals from its lines under *vat_mode* (one of `config.SHOP_VAT_MODE`'s choices)."""
    sums = {key: ZERO for key in ("labour", "parts", "labour_discount", "parts_discount", "warranty", "extended")}
    for line in lines:
        amounts = line_money(line.gross, line.discount_percent)
        if line.kind == CHARGED_KIND:
            sums[line.group] += amounts.gross
            sums[f"{line.group}_discount"] += amounts.discount
        elif line.kind in ("warranty", "extended"):
            sums[line.kind] += amounts.net
        else:
            raise ValueError(f"unknown line kind {line.kind!r}")
    rule = vat_rule(vat_mode)
    net = sums["labour"] - sums["labour_discount"] + sums["parts"] - sums["parts_discount"]
    return WorkOrderTotals(
        labour=sums["labour"], parts=sums["parts"], labour_discount=sums["labour_discount"],
        parts_discount=sums["parts_discount"], warranty=sums["warranty"], extended=sums["extended"],
        vat_mode=vat_mode, vat_rate=rule.rate, vat_included=rule.included, vat=vat_of(net, vat_mode),
    )  # fmt: skip
