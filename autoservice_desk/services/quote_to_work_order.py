"""Taking a quote's offer into a work order: own stock as a stock line reserved at once, a supplier's offer as a
special-order line (the warehouse's purchase need). The work-order module owns the lines; this only chooses which
of its services to call and with what (services/work_order_parts.py)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from autoservice_desk.i18n import _
from autoservice_desk.models.quoting import Quote, QuoteOffer
from autoservice_desk.services import audit
from autoservice_desk.services.errors import NotFoundError, ValidationError
from autoservice_desk.services.quote_sources import OfferSource
from autoservice_desk.services.quotes import QuoteOfferInfo, ensure_part, quote_info, quote_number, require_quoter
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_parts import (
    SpecialPartInput,
    StockPartInput,
    add_special_order_part,
    add_stock_part,
)
from autoservice_desk.services.work_order_types import WorkOrderCard


def _offer(uow: UnitOfWork, quote_id: int, offer_id: int) -> QuoteOfferInfo:
    for offer in quote_info(uow, quote_id).offers:
        if offer.id == offer_id:
            return offer
    raise NotFoundError(_("The offer is no longer in the quote."))


def add_offer_to_work_order(
    uow_factory: UnitOfWorkFactory, quote_id: int, offer_id: int, work_order_id: int, version: int,
    quantity: Decimal,
) -> WorkOrderCard:  # fmt: skip
    """Put a quote's offer on a work order at the quote's sale price; returns the order's card.

    Own stock: a stock line on the offer's place, reserved there (refused when less is available now). A supplier's
    offer: a special-order line for that supplier; the part card is made from the offer when the shop has none.
    The offer is marked chosen and the quote linked to the order.
    """
    if quantity <= 0:
        raise ValidationError(_("The quantity must be above zero."), "quantity")

    def prepare(uow: UnitOfWork) -> tuple[QuoteOfferInfo, int]:
        require_quoter(uow)
        offer = _offer(uow, quote_id, offer_id)
        if offer.source is OfferSource.STOCK:
            if offer.part_id is None or offer.location_id is None:
                raise ValidationError(_("The part or its place is no longer in the warehouse."))
            return offer, offer.part_id
        part_id = ensure_part(uow, offer)
        uow.commit()
        return offer, part_id

    offer, part_id = run_in_transaction(uow_factory, prepare)
    if offer.source is OfferSource.STOCK:
        assert offer.location_id is not None
        card = add_stock_part(uow_factory, work_order_id, version, StockPartInput(
            part_id, offer.location_id, quantity, price=offer.sale_price))  # fmt: skip
    else:
        card = add_special_order_part(uow_factory, work_order_id, version, SpecialPartInput(
            part_id, quantity, price=offer.sale_price, supplier_id=offer.supplier_id,
            comment=offer.source_name))  # fmt: skip

    def mark(uow: UnitOfWork) -> None:
        uow.session.execute(update(QuoteOffer).where(QuoteOffer.id == offer_id).values(chosen=True))
        quote = uow.session.get(Quote, quote_id)
        if quote is not None and quote.work_order_id is None:
            quote.work_order_id = work_order_id
        number = quote_number(quote.year, quote.number) if quote is not None else str(quote_id)
        audit.record(uow, "quote", quote_id, "to_work_order", None, {
            "number": number, "offer_id": offer_id, "work_order_id": work_order_id, "quantity": quantity,
        })  # fmt: skip
        uow.mark_changed("quotes", quote_id)
        uow.commit()

    run_in_transaction(uow_factory, mark)
    return card
