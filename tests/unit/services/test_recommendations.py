"""Recommended work on SQLite and PostgreSQL: suggested, declined and kept on the car, accepted as a labour line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from work_order_shop import MECHANIC, WorkOrderShop, shop_with_events

from autoservice_desk.services.errors import ConflictError, PermissionDeniedError, ValidationError
from autoservice_desk.services.recommendations import (
    RecommendationInput,
    accept_recommendation,
    add_recommendation,
    decline_recommendation,
    declined_recommendations_due,
    open_recommendations_for_vehicle,
)
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_card import get_work_order

D = Decimal


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    yield from shop_with_events(uow_factory)


def test_a_declined_recommendation_stays_on_the_car_and_is_accepted_next_visit(shop: WorkOrderShop) -> None:
    first = shop.open("TO-1")
    suggested = RecommendationInput("Колодки на износе", shop.services["BR-PADS-F"], urgency="urgent")
    pads = add_recommendation(shop.as_(MECHANIC), first.id, suggested)
    assert (pads.hours, pads.price, pads.status) == (D("0.80"), D("1760.00"), "suggested")
    wipers = add_recommendation(shop.uow_factory, first.id, RecommendationInput("Заменить щётки", price=D("900")))
    with pytest.raises(PermissionDeniedError):
        decline_recommendation(shop.as_(MECHANIC), pads.id)
    declined = decline_recommendation(shop.uow_factory, pads.id)
    assert declined.status == "declined" and declined.decided_at == shop.clock.now
    assert [item.id for item in get_work_order(shop.uow_factory, first.id).recommendations] == [wipers.id, pads.id]
    shop.clock.advance(days=30)
    due = declined_recommendations_due(shop.uow_factory, shop.clock.now - timedelta(days=14))
    assert [(item.id, item.work_order_number) for item in due] == [(pads.id, "WO-2027-000001")]
    assert declined_recommendations_due(shop.uow_factory, shop.clock.now - timedelta(days=31)) == []
    assert {item.id for item in open_recommendations_for_vehicle(shop.uow_factory, shop.vehicle_id)} == {
        pads.id, wipers.id,
    }  # fmt: skip
    second = shop.open()
    card = accept_recommendation(shop.uow_factory, pads.id, second.id, second.version)
    assert [(line.name, line.hours) for line in card.labour] == [("Замена передних тормозных колодок", D("0.80"))]
    assert [item.id for item in open_recommendations_for_vehicle(shop.uow_factory, shop.vehicle_id)] == [wipers.id]
    with pytest.raises(ConflictError):
        accept_recommendation(shop.uow_factory, pads.id, second.id)
    with pytest.raises(ValidationError, match="catalog service"):
        accept_recommendation(shop.uow_factory, wipers.id, second.id)


def test_a_recommendation_needs_words_or_a_service(shop: WorkOrderShop) -> None:
    card = shop.open()
    with pytest.raises(ValidationError):
        add_recommendation(shop.uow_factory, card.id, RecommendationInput("  "))
    with pytest.raises(ValidationError):
        add_recommendation(shop.uow_factory, card.id, RecommendationInput("x", urgency="yesterday"))
