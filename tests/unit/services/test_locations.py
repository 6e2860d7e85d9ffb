"""Places on SQLite and PostgreSQL: the tree and its kinds, codes, moves, stock that keeps a place in use."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autoservice_desk.models.inventory import StockBalance
from autoservice_desk.services.errors import ConflictError, FieldErrors
from autoservice_desk.services.locations import (
    add_location,
    delete_location,
    find_location_by_code,
    get_location,
    location_tree,
    move_location,
    rename_location,
    set_default_location,
    set_location_active,
)
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.parts import create_part, get_part
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


def put_stock(uow_factory: UnitOfWorkFactory, part_id: int, location_id: int, quantity: str) -> None:
    """What a posted receipt leaves behind (the ledger's own services are tested elsewhere)."""
    with uow_factory() as uow:
        uow.session.add(StockBalance(part_id=part_id, location_id=location_id, quantity=Decimal(quantity),
                                     reserved=Decimal(0)))  # fmt: skip
        uow.commit()


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    main = add_location(uow_factory, None, "warehouse", "Основной склад")
    rack = add_location(uow_factory, main, "rack", "A")
    shelf = add_location(uow_factory, rack, "shelf", "03")
    bin_ = add_location(uow_factory, shelf, "bin", "2")
    other = add_location(uow_factory, None, "warehouse", "Шиномонтаж", code="T")
    tyre_rack = add_location(uow_factory, other, "rack", "1")
    return {"main": main, "rack": rack, "shelf": shelf, "bin": bin_, "other": other, "tyre_rack": tyre_rack}


def test_the_tree_with_codes_made_from_the_path(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    tree = location_tree(uow_factory)
    assert [(node.name, node.code) for node in tree] == [("Основной склад", ""), ("Шиномонтаж", "T")]
    rack = tree[0].children[0]
    assert (rack.code, rack.children[0].code, rack.children[0].children[0].code) == ("A", "A-03", "A-03-2")
    assert tree[1].children[0].code == "T-1"
    assert {node.warehouse_id for node in (tree[0], rack, rack.children[0].children[0])} == {shop["main"]}
    place = get_location(uow_factory, shop["bin"])
    assert place.path == "Основной склад › A › 03 › 2" and place.warehouse_id == shop["main"]
    # a scanner on another keyboard layout or a person typing: case, dashes and lookalike letters do not matter
    for typed in ("A-03-2", "a032", "А-03-2"):  # the last one with a Cyrillic А
        found = find_location_by_code(uow_factory, typed)
        assert found is not None and found.id == shop["bin"]
    assert find_location_by_code(uow_factory, "Z-99") is None


def test_kinds_names_and_codes_are_checked(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    with pytest.raises(FieldErrors) as caught:
        add_location(uow_factory, None, "shelf", "Полка")
    assert "parent_id" in caught.value.problems
    with pytest.raises(FieldErrors) as caught:
        add_location(uow_factory, shop["shelf"], "rack", "B")
    assert caught.value.problems == {"kind": "A rack cannot be inside a shelf."}
    with pytest.raises(FieldErrors) as caught:
        add_location(uow_factory, shop["rack"], "shelf", "03")
    assert "named 03" in caught.value.problems["name"]
    with pytest.raises(FieldErrors) as caught:
        add_location(uow_factory, shop["other"], "rack", "Новый", code="a-03")
    assert caught.value.problems["code"].startswith("The code A-03 is taken by Основной склад › A › 03")
    # a shelf straight on a warehouse wall, without a rack, is fine
    wall = add_location(uow_factory, shop["main"], "shelf", "Стена")
    assert get_location(uow_factory, wall).code == "СТЕНА".translate(str.maketrans("СТЕНА", "CTEHA"))


def test_rename_keeps_the_code_unless_a_new_one_is_given(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    rename_location(uow_factory, shop["shelf"], "04")
    place = get_location(uow_factory, shop["shelf"])
    assert (place.name, place.code) == ("04", "A-03")
    rename_location(uow_factory, shop["shelf"], "04", code="a-04")
    assert get_location(uow_factory, shop["shelf"]).code == "A-04"


def test_stock_keeps_a_place_in_use(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    part_id = create_part(uow_factory, PartForm(article="OC90", brand="Mahle", name="Фильтр"))
    put_stock(uow_factory, part_id, shop["bin"], "3")
    for place in ("bin", "shelf", "rack", "main"):
        with pytest.raises(ConflictError, match="holds stock"):
            set_location_active(uow_factory, shop[place], False)
    with pytest.raises(ConflictError, match="holds stock"):
        delete_location(uow_factory, shop["rack"])
    with pytest.raises(ConflictError, match="holds stock"):
        move_location(uow_factory, shop["shelf"], shop["tyre_rack"])  # to another warehouse
    assert location_tree(uow_factory)[0].children[0].children[0].children[0].stocked_parts == 1
    # within the warehouse a full shelf moves with its stock
    rack_b = add_location(uow_factory, shop["main"], "rack", "B")
    move_location(uow_factory, shop["shelf"], rack_b)
    moved = get_location(uow_factory, shop["bin"])
    assert moved.path == "Основной склад › B › 03 › 2" and moved.code == "A-03-2"


def test_empty_places_deactivate_move_and_delete(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    set_location_active(uow_factory, shop["rack"], False)
    assert not get_location(uow_factory, shop["bin"]).active  # everything inside goes out of use too
    with pytest.raises(ConflictError, match="back into use first"):
        set_location_active(uow_factory, shop["shelf"], True)
    assert [node.name for node in location_tree(uow_factory, include_inactive=False)[0].children] == []
    set_location_active(uow_factory, shop["rack"], True)
    with pytest.raises(FieldErrors, match="inside itself"):
        move_location(uow_factory, shop["rack"], shop["bin"])
    move_location(uow_factory, shop["shelf"], shop["tyre_rack"])
    assert get_location(uow_factory, shop["bin"]).warehouse_id == shop["other"]
    part_id = create_part(uow_factory, PartForm(article="OC90", brand="Mahle", name="Фильтр"))
    set_default_location(uow_factory, part_id, shop["bin"])
    assert get_part(uow_factory, part_id).default_location_code == "A-03-2"
    delete_location(uow_factory, shop["shelf"])
    assert get_part(uow_factory, part_id).default_location_id is None
    assert find_location_by_code(uow_factory, "A-03-2") is None


def test_default_place_must_be_in_use(uow_factory: UnitOfWorkFactory, shop: dict[str, int]) -> None:
    part_id = create_part(uow_factory, PartForm(article="OC90", brand="Mahle", name="Фильтр"))
    set_location_active(uow_factory, shop["tyre_rack"], False)
    with pytest.raises(ConflictError, match="not in use"):
        set_default_location(uow_factory, part_id, shop["tyre_rack"])
    set_default_location(uow_factory, part_id, shop["bin"])
    set_default_location(uow_factory, part_id, None)
    assert get_part(uow_factory, part_id).default_location_id is None
