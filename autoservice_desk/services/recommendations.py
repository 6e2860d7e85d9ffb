"""Recommended work: suggested on a work order, accepted (a labour line) or declined; declined work stays on the car.

About half of recommended work is declined on the day; it comes back on the car's next visit
(`open_recommendations_for_vehicle`) and as a reminder (`declined_recommendations_due`, for the messages module).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from autoservice_desk.i18n import _
from autoservice_desk.models.work_orders import Recommendation
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.catalog import price_of, service_info
from autoservice_desk.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_card import read_card, recommendations_where
from autoservice_desk.services.work_order_common import (
    EDITOR_ROLES,
    GARAGE_ROLES,
    WORK_ORDER_EVENT,
    load_open_order,
    load_order,
    order_number,
    require_open,
)
from autoservice_desk.services.work_order_lines import LabourInput, check_hours, insert_labour, norm_for
from autoservice_desk.services.work_order_types import URGENCIES, RecommendationInfo, WorkOrderCard

TEXT_LIMIT = 2000


@dataclass(frozen=True)
class RecommendationInput:
    """What the mechanic suggests; with a service, *hours* None takes the norm and *price* None hours × rate."""

    text: str
    service_id: int | None = None
    hours: Decimal | None = None
    price: Decimal | None = None
    urgency: str = "soon"  # urgent | soon | later


def _info(uow: UnitOfWork, recommendation_id: int) -> RecommendationInfo:
    found = recommendations_where(uow, [Recommendation.id == recommendation_id], 1)
    if not found:
        raise NotFoundError(_("The recommendation no longer exists."))
    return found[0]


def add_recommendation(
    uow_factory: UnitOfWorkFactory, work_order_id: int, recommendation: RecommendationInput
) -> RecommendationInfo:
    """Suggest work on the order's car (mechanics and advisors); it starts as "suggested"."""

    def work(uow: UnitOfWork) -> RecommendationInfo:
        if not uow.actor.has_role(*EDITOR_ROLES, *GARAGE_ROLES):
            raise PermissionDeniedError(_("Only mechanics, service advisors and managers can recommend work."))
        order = load_order(uow, work_order_id)
        require_open(order)
        text = recommendation.text.strip()
        if not text and recommendation.service_id is None:
            raise ValidationError(_("Describe the recommended work."), "text")
        if len(text) > TEXT_LIMIT:
            raise ValidationError(_("The text is too long (at most {limit} characters).").format(limit=TEXT_LIMIT))
        if recommendation.urgency not in URGENCIES:
            raise ValidationError(_("Choose how urgent the work is."), "urgency")
        hours, price = recommendation.hours, recommendation.price
        if recommendation.service_id is not None:
            service = service_info(uow, recommendation.service_id)
            hours = check_hours(hours if hours is not None else norm_for(uow, order, service.id))
            price = price if price is not None else price_of(service, hours)
            text = text or service.name
        if price is not None and (price < 0 or price != price.quantize(Decimal("0.01"))):
            raise ValidationError(_("The price is an amount of money from zero up."), "price")
        item = Recommendation(
            work_order_id=order.id, client_id=order.client_id, vehicle_id=order.vehicle_id, text=text,
            service_id=recommendation.service_id, hours=hours, price=price, urgency=recommendation.urgency,
            status="suggested", created_at=uow.clock(), created_by=uow.actor.login,
        )  # fmt: skip
        uow.session.add(item)
        uow.session.flush()
        audit.record(uow, "recommendation", item.id, "create", None,
                     {"work_order_id": order.id, "text": text, "price": price})  # fmt: skip
        uow.mark_changed("work_order", order.id)
        info = _info(uow, item.id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def _load(uow: UnitOfWork, recommendation_id: int) -> Recommendation:
    item = uow.session.get(Recommendation, recommendation_id, with_for_update=True)
    if item is None:
        raise NotFoundError(_("The recommendation no longer exists."))
    if item.status == "accepted":
        raise ConflictError(_("The recommended work has already been accepted."))
    return item


def decline_recommendation(uow_factory: UnitOfWorkFactory, recommendation_id: int) -> RecommendationInfo:
    """The client says not today: the work stays on the car and comes back as a reminder."""

    def work(uow: UnitOfWork) -> RecommendationInfo:
        if not uow.actor.has_role(*EDITOR_ROLES):
            raise PermissionDeniedError(_("Only service advisors and managers can record the client's answer."))
        item = _load(uow, recommendation_id)
        if item.status == "declined":
            return _info(uow, item.id)
        item.status, item.decided_at = "declined", uow.clock()
        uow.session.flush()
        audit.record(uow, "recommendation", item.id, "decline", {"status": "suggested"}, {"status": "declined"})
        timeline.add_event(
            uow, item.client_id, WORK_ORDER_EVENT, _("Recommended work declined: {text}").format(text=item.text),
            entity="work_order", entity_id=item.work_order_id,
        )  # fmt: skip
        uow.mark_changed("work_order", item.work_order_id)
        info = _info(uow, item.id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def accept_recommendation(
    uow_factory: UnitOfWorkFactory, recommendation_id: int, work_order_id: int | None = None,
    version: int | None = None,
) -> WorkOrderCard:  # fmt: skip
    """The client agrees: the work becomes a labour line on *work_order_id* (default: where it was suggested; a
    declined one is usually accepted on a later visit's order). *version* of that order is checked when given."""

    def work(uow: UnitOfWork) -> WorkOrderCard:
        item = _load(uow, recommendation_id)
        order = load_open_order(uow, work_order_id or item.work_order_id, version)
        if item.vehicle_id is not None and order.vehicle_id != item.vehicle_id:
            raise ValidationError(_("The recommendation is for another car."), "work_order")
        if item.service_id is None:
            raise ValidationError(
                _("Choose the catalog service for \u201c{text}\u201d before adding it.").format(text=item.text),
                "service",
            )
        hours = item.hours
        norm = norm_for(uow, order, item.service_id)
        reason = _("as recommended on {number}").format(number=order_number(load_order(uow, item.work_order_id)))
        line = insert_labour(uow, order, LabourInput(item.service_id, hours or norm, reason if hours != norm else ""))
        before = {"status": item.status}
        item.status, item.decided_at = "accepted", uow.clock()
        item.accepted_work_order_id, item.labour_id = order.id, line.id
        uow.session.flush()
        audit.record(uow, "recommendation", item.id, "accept", before,
                     {"status": "accepted", "work_order_id": order.id, "labour_id": line.id})  # fmt: skip
        card = read_card(uow, order.id)
        uow.commit()
        return card

    return run_in_transaction(uow_factory, work)


def open_recommendations_for_vehicle(uow_factory: UnitOfWorkFactory, vehicle_id: int) -> list[RecommendationInfo]:
    """Work suggested or declined on the car and not done yet, newest first (shown when the car comes again)."""
    return run_in_transaction(
        uow_factory,
        lambda uow: recommendations_where(
            uow, [Recommendation.vehicle_id == vehicle_id, Recommendation.status.in_(("suggested", "declined"))]
        ),
        read_only=True,
    )


def declined_recommendations_due(
    uow_factory: UnitOfWorkFactory, declined_before: datetime, *, declined_after: datetime | None = None
) -> list[RecommendationInfo]:
    """Declined work whose answer is older than *declined_before* (and newer than *declined_after*, if given):
    the messages module reminds the client of it."""
    conditions = [Recommendation.status == "declined", Recommendation.decided_at < declined_before]
    if declined_after is not None:
        conditions.append(Recommendation.decided_at >= declined_after)
    return run_in_transaction(uow_factory, lambda uow: recommendations_where(uow, conditions, 10_000), read_only=True)
