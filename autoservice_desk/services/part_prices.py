"""Markup rules (by group, brand, supplier and purchase-price band), client discounts, and the one place that makes
a sale price: of a part the shop keeps (`sale_price`) and of a supplier's offer (`offer_sale_price`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import MarkupRule, PartGroup, Supplier
from autoservice_desk.services import audit
from autoservice_desk.services.errors import FieldErrors, NotFoundError, PermissionDeniedError
from autoservice_desk.services.form_values import clean_amount, clean_text
from autoservice_desk.services.part_forms import BRAND_LENGTH, MAX_MONEY
from autoservice_desk.services.text_keys import brand_key
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

PRICE_EDITOR_ROLES = ("manager",)  # prices are the manager's; administrators always may
DEFAULT_MARKUP_PERCENT = Decimal("30.00")  # when no rule matches and the shop has no catch-all rule
MAX_PERCENT = Decimal("99999.99")  # Numeric(7, 2)
KOPECK = Decimal("0.01")
_NO_LIMIT = Decimal("Infinity")


class PricedPart(Protocol):
    """What pricing needs of a part (PartInfo and PartHit have it)."""

    @property
    def group_id(self) -> int | None: ...
    @property
    def brand_key(self) -> str: ...
    @property
    def purchase_price(self) -> Decimal | None: ...
    @property
    def sale_price(self) -> Decimal | None: ...
    @property
    def average_cost(self) -> Decimal: ...


@dataclass(frozen=True)
class MarkupRuleInfo:
    """Parts of *group_id* (or its subgroups), of *brand_key*, bought for price_from ≤ cost < price_to get the
    percent; a condition left None matches any part. A rule with *supplier_id* prices only that supplier's offers
    (its price list and online answers), never the shop's own stock."""

    id: int
    group_id: int | None
    group_name: str | None
    brand_key: str | None
    price_from: Decimal | None
    price_to: Decimal | None
    markup_percent: Decimal
    supplier_id: int | None = None
    supplier_name: str | None = None

    @property
    def conditions(self) -> int:
        return sum((self.group_id is not None, self.brand_key is not None, self.supplier_id is not None,
                    self.has_band))  # fmt: skip

    @property
    def has_band(self) -> bool:
        return self.price_from is not None or self.price_to is not None

    def band_width(self) -> Decimal:
        return (self.price_to if self.price_to is not None else _NO_LIMIT) - (self.price_from or Decimal(0))


@dataclass(frozen=True)
class MarkupRuleForm:
    group_id: int | None = None
    brand: str = ""
    price_from: str | Decimal = ""
    price_to: str | Decimal = ""
    markup_percent: str | Decimal = ""
    supplier_id: int | None = None


@dataclass(frozen=True)
class MarkupRules:
    """The shop's rules as read at one moment, with the group tree (a rule for a group covers its subgroups)."""

    rules: tuple[MarkupRuleInfo, ...] = ()
    group_parents: Mapping[int, int | None] = field(default_factory=dict)  # group id -> its parent's id
    default_percent: Decimal = DEFAULT_MARKUP_PERCENT


def _group_distance(rules: MarkupRules, part_group: int | None, rule_group: int) -> int | None:
    """0 when the part is in *rule_group*, 1 in its subgroup, ...; None when not under it at all."""
    distance, current, seen = 0, part_group, set()
    while current is not None and current not in seen:
        if current == rule_group:
            return distance
        seen.add(current)
        current = rules.group_parents.get(current)
        distance += 1
    return None


def _cost(part: PricedPart) -> Decimal | None:
    if part.purchase_price is not None:
        return part.purchase_price
    return part.average_cost if part.average_cost > 0 else None


def matching_rule(
    part: PricedPart, rules: MarkupRules, cost: Decimal | None, supplier_id: int | None = None
) -> MarkupRuleInfo | None:
    """The most specific rule for *part* bought at *cost* (from *supplier_id*, None: the shop's own stock), or None.

    More conditions win; with as many, a supplier beats a brand, a brand beats a group, a group beats a price band,
    a nearer group beats its parent's, a narrower band a wider one; rules equal in all that go by age (the older).
    """
    best: tuple[Any, ...] | None = None
    found = None
    for rule in rules.rules:
        if rule.supplier_id is not None and rule.supplier_id != supplier_id:
            continue
        distance = 0
        if rule.group_id is not None:
            matched = _group_distance(rules, part.group_id, rule.group_id)
            if matched is None:
                continue
            distance = matched
        if rule.brand_key is not None and rule.brand_key != part.brand_key:
            continue
        if rule.has_band:
            if cost is None or (rule.price_from is not None and cost < rule.price_from):
                continue
            if rule.price_to is not None and cost >= rule.price_to:
                continue
        key = (rule.conditions, rule.supplier_id is not None, rule.brand_key is not None, rule.group_id is not None,
               -distance, rule.has_band, -rule.band_width(), -rule.id)  # fmt: skip
        if best is None or key > best:
            best, found = key, rule
    return found


def markup_percent(part: PricedPart, rules: MarkupRules) -> Decimal:
    rule = matching_rule(part, rules, _cost(part))
    return rule.markup_percent if rule is not None else rules.default_percent


def sale_price(part: PricedPart, rules: MarkupRules) -> Decimal | None:
    """What the part sells for: its price set by hand, else its cost × (1 + markup), rounded half up to kopecks.

    The cost is the last purchase price, or the average cost of the stock when nothing was bought at a known
    price yet. None when the part has neither a manual price nor a cost: there is nothing to mark up, and a
    price of zero would sell it for free.
    """
    if part.sale_price is not None:
        return part.sale_price.quantize(KOPECK)
    cost = _cost(part)
    if cost is None:
        return None
    percent = markup_percent(part, rules)
    return (cost * (1 + percent / 100)).quantize(KOPECK, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class _OfferPart:
    """A supplier's offer seen as a part for the rules: its brand and group, bought at its price, no manual price."""

    group_id: int | None
    brand_key: str
    purchase_price: Decimal | None
    sale_price: Decimal | None = None
    average_cost: Decimal = Decimal(0)


def offer_sale_price(
    cost: Decimal, rules: MarkupRules, *, brand_key: str, supplier_id: int | None, group_id: int | None = None
) -> Decimal:
    """What a supplier's offer bought at *cost* sells for: cost × (1 + the matching rule's percent), to kopecks.

    The same rules as the shop's own parts (`sale_price`), plus the rules of that supplier; *group_id* is the
    group of the part the shop keeps under the same article and brand, when it keeps one.
    """
    offer = _OfferPart(group_id, brand_key, cost)
    rule = matching_rule(offer, rules, cost, supplier_id)
    percent = rule.markup_percent if rule is not None else rules.default_percent
    return (cost * (1 + percent / 100)).quantize(KOPECK, rounding=ROUND_HALF_UP)


def discounted(price: Decimal, discount_percent: Decimal, cost: Decimal | None) -> Decimal:
    """*price* less the client's discount, rounded half up to kopecks, but never below *cost*: a discount gives
    away margin, not money (a price set by hand below cost stays as it was set)."""
    if discount_percent <= 0:
        return price
    lowered = (price * (1 - discount_percent / 100)).quantize(KOPECK, rounding=ROUND_HALF_UP)
    if cost is None:
        return lowered
    floor = min(price, cost.quantize(KOPECK, rounding=ROUND_HALF_UP))
    return max(lowered, floor)


def margin(sale: Decimal | None, cost: Decimal | None) -> Decimal | None:
    """Sale price less cost, in roubles (None when either is unknown)."""
    if sale is None or cost is None:
        return None
    return (sale - cost).quantize(KOPECK, rounding=ROUND_HALF_UP)


# --- Reading and editing the rules ------------------------------------------------------------------------------


def load_markup_rules(uow: UnitOfWork) -> MarkupRules:
    """The rules and the group tree inside the caller's unit of work (two small tables)."""
    groups = {group_id: (name, parent) for group_id, name, parent in uow.session.execute(
        select(PartGroup.id, PartGroup.name, PartGroup.parent_id))}  # fmt: skip
    rows = list(uow.session.scalars(select(MarkupRule).order_by(MarkupRule.id)))
    supplier_ids = {row.supplier_id for row in rows if row.supplier_id is not None}
    suppliers: dict[int, str] = {}
    if supplier_ids:
        for supplier_id, name in uow.session.execute(
            select(Supplier.id, Supplier.name).where(Supplier.id.in_(supplier_ids))
        ):
            suppliers[supplier_id] = name
    rules = tuple(
        MarkupRuleInfo(row.id, row.group_id, groups[row.group_id][0] if row.group_id in groups else None,
                       row.brand_key, row.price_from, row.price_to, row.markup_percent, row.supplier_id,
                       suppliers.get(row.supplier_id) if row.supplier_id is not None else None)
        for row in rows
    )  # fmt: skip
    return MarkupRules(rules, {group_id: parent for group_id, (_name, parent) in groups.items()})


def list_markup_rules(uow_factory: UnitOfWorkFactory) -> MarkupRules:
    return run_in_transaction(uow_factory, load_markup_rules, read_only=True)


def _require_price_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*PRICE_EDITOR_ROLES):
        raise PermissionDeniedError(_("Only managers and administrators can change markups."))


def _clean_rule(uow: UnitOfWork, form: MarkupRuleForm, exclude_id: int | None) -> dict[str, Any]:
    problems: dict[str, str] = {}
    if form.group_id is not None and uow.session.get(PartGroup, form.group_id) is None:
        problems["group_id"] = _("The group is no longer in the list.")
    if form.supplier_id is not None and uow.session.get(Supplier, form.supplier_id) is None:
        problems["supplier_id"] = _("The supplier no longer exists.")
    brand = clean_text(form.brand, BRAND_LENGTH, "brand", problems)
    band: dict[str, Decimal | None] = {}
    for name in ("price_from", "price_to"):
        text = getattr(form, name)
        band[name] = None if isinstance(text, str) and not text.strip() else clean_amount(
            text, name, problems, places=2, maximum=MAX_MONEY, positive=False,
            message=_("The price is an amount in roubles with at most two decimal places, for example 1250.50."),
        )  # fmt: skip
    low, high = band["price_from"], band["price_to"]
    if low is not None and high is not None and low >= high and "price_to" not in problems:
        problems["price_to"] = _("The upper price of the band is above its lower price.")
    percent = clean_amount(
        form.markup_percent, "markup_percent", problems, places=2, maximum=MAX_PERCENT, positive=False,
        message=_("The markup is a percent not below zero with at most two decimal places, for example 35."),
    )  # fmt: skip
    values = {"group_id": form.group_id, "brand_key": brand_key(brand) or None, "price_from": low, "price_to": high,
              "markup_percent": percent, "supplier_id": form.supplier_id}  # fmt: skip
    for rule in uow.session.scalars(select(MarkupRule).where(MarkupRule.id != (exclude_id or 0))):
        if (rule.group_id, rule.brand_key, rule.price_from, rule.price_to, rule.supplier_id) == (
            values["group_id"],
            values["brand_key"],
            low,
            high,
            values["supplier_id"],
        ):
            problems["markup_percent"] = _(
                "A rule with the same group, brand, supplier and price band exists already."
            )
    if problems:
        raise FieldErrors(problems)
    return values


def add_markup_rule(uow_factory: UnitOfWorkFactory, form: MarkupRuleForm) -> int:
    """Add a rule; returns its id. A rule without conditions is the shop's markup for everything else."""

    def work(uow: UnitOfWork) -> int:
        _require_price_editor(uow)
        values = _clean_rule(uow, form, None)
        rule = MarkupRule(**values)
        uow.session.add(rule)
        uow.session.flush()
        audit.record(uow, "markup_rule", rule.id, "create", None, values)
        uow.mark_changed("markups", rule.id)
        uow.commit()
        return rule.id

    return run_in_transaction(uow_factory, work)


def update_markup_rule(uow_factory: UnitOfWorkFactory, rule_id: int, form: MarkupRuleForm) -> None:
    def work(uow: UnitOfWork) -> None:
        _require_price_editor(uow)
        rule = uow.session.get(MarkupRule, rule_id, with_for_update=True)
        if rule is None:
            raise NotFoundError(_("The markup rule no longer exists."))
        values = _clean_rule(uow, form, rule_id)
        before = {name: getattr(rule, name) for name in values}
        changed = {name: value for name, value in values.items() if before[name] != value}
        if not changed:
            return
        for name, value in changed.items():
            setattr(rule, name, value)
        audit.record(uow, "markup_rule", rule_id, "update", {name: before[name] for name in changed}, changed)
        uow.mark_changed("markups", rule_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def remove_markup_rule(uow_factory: UnitOfWorkFactory, rule_id: int) -> None:
    def work(uow: UnitOfWork) -> None:
        _require_price_editor(uow)
        rule = uow.session.get(MarkupRule, rule_id)
        if rule is None:
            return
        before = {"group_id": rule.group_id, "brand_key": rule.brand_key, "price_from": rule.price_from,
                  "price_to": rule.price_to, "markup_percent": rule.markup_percent,
                  "supplier_id": rule.supplier_id}  # fmt: skip
        uow.session.delete(rule)
        audit.record(uow, "markup_rule", rule_id, "delete", before, None)
        uow.mark_changed("markups", rule_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
