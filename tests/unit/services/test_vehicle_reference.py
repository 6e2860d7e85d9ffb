"""The make and model list on SQLite and PostgreSQL: seeded by the migration, editable, audited."""

from __future__ import annotations

import pytest

from autoservice_desk.services.errors import ConflictError, PermissionDeniedError, ValidationError
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory
from autoservice_desk.services.vehicle_reference import add_make, add_model, list_makes, remove_entry, rename_entry
from autoservice_desk.services.vehicle_reference_seed import SEED_MAKES


def test_the_seed_is_clean() -> None:
    makes = [make for make, _models in SEED_MAKES]
    assert len(makes) >= 40 and len(set(makes)) == len(makes)
    for make, models in SEED_MAKES:
        assert make == make.strip() and models and len(set(models)) == len(models)
        assert all(model and model == model.strip() for model in models)


def test_a_new_database_holds_the_seed(uow_factory: UnitOfWorkFactory) -> None:
    makes = {entry.name: [name for _id, name in entry.models] for entry in list_makes(uow_factory)}
    assert set(makes) == {make for make, _models in SEED_MAKES}
    assert "Vesta" in makes["Lada"] and "Rio" in makes["Kia"]


def test_the_list_is_editable(uow_factory: UnitOfWorkFactory) -> None:
    make_id = add_make(uow_factory, "  Москвич-Классик ")
    model_id = add_model(uow_factory, make_id, "412")
    with pytest.raises(ConflictError):
        add_make(uow_factory, "москвич-классик")
    with pytest.raises(ConflictError):
        add_model(uow_factory, make_id, "412")
    rename_entry(uow_factory, "model", model_id, "412ИЭ")
    entry = next(entry for entry in list_makes(uow_factory) if entry.id == make_id)
    assert (entry.name, entry.models) == ("Москвич-Классик", ((model_id, "412ИЭ"),))
    remove_entry(uow_factory, "make", make_id)
    assert all(entry.id != make_id for entry in list_makes(uow_factory))
    with pytest.raises(ValidationError):
        add_make(uow_factory, "   ")


def test_a_mechanic_cannot_edit_the_list(uow_factory: UnitOfWorkFactory) -> None:
    mechanic = uow_factory.acting_as(Actor(None, "mech", roles=frozenset({"mechanic"})))
    with pytest.raises(PermissionDeniedError):
        add_make(mechanic, "Aurus")
