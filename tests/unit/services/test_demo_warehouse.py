"""The demo warehouse on SQLite and PostgreSQL: places, parts with valid EAN-13s, crosses; searchable at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from autoservice_desk.models.inventory import CrossReference, PartBarcode, StockBalance
from autoservice_desk.services.demo_warehouse import add_demo_warehouse, draft_parts
from autoservice_desk.services.errors import PermissionDeniedError, ValidationError
from autoservice_desk.services.locations import find_location_by_code, location_tree
from autoservice_desk.services.part_forms import ean_check_digit
from autoservice_desk.services.part_search import search_parts
from autoservice_desk.services.text_keys import article_key, brand_key
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory


def test_drafts_are_unique_and_repeatable() -> None:
    drafts = list(draft_parts(20_000, seed=3))
    assert len({(article_key(draft.article), brand_key(draft.brand)) for draft in drafts}) == 20_000
    assert drafts == list(draft_parts(20_000, seed=3))
    assert {"Bosch", "Mann-Filter", "Mahle", "TRW", "Brembo", "NGK", "Castrol", "Lukoil", "Febi", "Lemförder",
            "Sachs", "Hyundai/Kia"} <= {draft.brand for draft in drafts}  # fmt: skip


def test_a_small_demo_warehouse(uow_factory: UnitOfWorkFactory) -> None:
    summary = add_demo_warehouse(uow_factory, parts=3000, seed=2)
    assert (summary.parts, summary.cross_pairs) == (3000, 6000) and summary.cross_references > 6000
    tree = location_tree(uow_factory)
    assert [node.name for node in tree] == ["Основной склад"] and len(tree[0].children) == 6
    assert find_location_by_code(uow_factory, "C-04-3") is not None
    with uow_factory(read_only=True) as uow:
        codes = list(uow.session.scalars(select(PartBarcode.barcode)))
        assert codes and all(len(code) == 13 and ean_check_digit(code[:-1]) == code[-1] for code in codes)
        assert uow.session.scalar(select(func.count()).select_from(StockBalance)) == 0  # stock only from receipts
        assert uow.session.scalar(select(func.count(func.distinct(CrossReference.group_id)))) > 100
    coffee = search_parts(uow_factory, "кофе в зернах")
    assert [hit.name for hit in coffee] == ["Кофе в зёрнах 1 кг"] and coffee[0].price is not None
    with pytest.raises(ValidationError, match="already"):
        add_demo_warehouse(uow_factory, parts=10)
    with pytest.raises(PermissionDeniedError):
        add_demo_warehouse(uow_factory.acting_as(Actor(None, "sklad", roles=frozenset({"warehouse"}))), parts=10)
