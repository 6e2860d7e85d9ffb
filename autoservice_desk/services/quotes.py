"""Saved quotes: a search kept with its offers as they were, for a client, a work order, a booking, a deal or
nobody; listed per client (and in the client's timeline) and per work order; an offer taken into a work order."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from autoservice_desk.i18n import N_, _, ngettext
from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import Part
from autoservice_desk.models.quoting import Quote, QuoteOffer
from autoservice_desk.models.scheduling import Booking
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.errors import NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.numbering import format_number, next_number
from autoservice_desk.services.quote_sources import Offer, OfferSource
from autoservice_desk.services.stock_forms import RESERVING_ROLES
from autoservice_desk.services.text_keys import article_key, brand_key, fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

NUMBER_PREFIX = N_("QT")  # printed before the number: "QT-2026-000012"
COMMENT_LENGTH = 2000


@dataclass(frozen=True)
class QuoteOfferInfo:
    id: int
    position: int
    source: OfferSource
    source_name: str
    analog: bool
    part_id: int | None
    location_id: int | None
    supplier_id: int | None
    brand: str
    article: str
    name: str
    quantity: Decimal | None
    delivery_days: int | None
    purchase_price: Decimal | None
    sale_price: Decimal | None
    multiplicity: int
    chosen: bool


@dataclass(frozen=True)
class QuoteSummary:
    id: int
    display_number: str
    created_at: datetime
    created_by: str
    client_id: int | None
    work_order_id: int | None
    booking_id: int | None
    deal_id: int | None
    article: str
    brand: str
    comment: str
    offer_count: int


@dataclass(frozen=True)
class QuoteInfo(QuoteSummary):
    offers: tuple[QuoteOfferInfo, ...]

    @property
    def chosen(self) -> tuple[QuoteOfferInfo, ...]:
        return tuple(offer for offer in self.offers if offer.chosen)


def quote_number(year: int, number: int) -> str:
    return format_number(_(NUMBER_PREFIX), year, number)


def require_quoter(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*RESERVING_ROLES):
        raise PermissionDeniedError(_("Only service advisors, warehouse keepers and managers can save quotes."))


def _summary(quote: Quote, count: int) -> QuoteSummary:
    return QuoteSummary(
        quote.id, quote_number(quote.year, quote.number), quote.created_at, quote.created_by, quote.client_id,
        quote.work_order_id, quote.booking_id, quote.deal_id, quote.article, quote.brand, quote.comment, count,
    )  # fmt: skip


def _offer_info(row: QuoteOffer) -> QuoteOfferInfo:
    return QuoteOfferInfo(
        row.id, row.position, OfferSource(row.source), row.source_name, row.analog, row.part_id, row.location_id,
        row.supplier_id, row.brand, row.article, row.name, row.quantity, row.delivery_days, row.purchase_price,
        row.sale_price, row.multiplicity, row.chosen,
    )  # fmt: skip


def quote_info(uow: UnitOfWork, quote_id: int) -> QuoteInfo:
    quote = uow.session.get(Quote, quote_id)
    if quote is None:
        raise NotFoundError(_("The quote no longer exists."))
    offers = tuple(_offer_info(row) for row in uow.session.scalars(
        select(QuoteOffer).where(QuoteOffer.quote_id == quote_id).order_by(QuoteOffer.position)))  # fmt: skip
    return QuoteInfo(**_summary(quote, len(offers)).__dict__, offers=offers)


def get_quote(uow_factory: UnitOfWorkFactory, quote_id: int) -> QuoteInfo:
    """A quote with its offers as they were saved."""
    return run_in_transaction(uow_factory, lambda uow: quote_info(uow, quote_id), read_only=True)


def _check_links(uow: UnitOfWork, client_id: int | None, booking_id: int | None) -> int | None:
    """The client the quote is for: the one given, else the booking's; refuses links to what no longer exists."""
    if booking_id is not None:
        booking = uow.session.get(Booking, booking_id)
        if booking is None:
            raise NotFoundError(_("The booking no longer exists."))
        client_id = client_id if client_id is not None else booking.client_id
    if client_id is not None and uow.session.get(Client, client_id) is None:
        raise NotFoundError(_("The client no longer exists."))
    return client_id


def save_quote(
    uow_factory: UnitOfWorkFactory, article: str, offers: Sequence[Offer], *, brand: str | None = None,
    client_id: int | None = None, work_order_id: int | None = None, booking_id: int | None = None,
    deal_id: int | None = None, comment: str = "", chosen: Collection[int] = (),
) -> QuoteInfo:  # fmt: skip
    """Keep a search as a quote, its *offers* copied as they are now; *chosen* are indexes into *offers*.

    Standalone when nothing is linked; a quote for a client (given, or the booking's) goes into the client's
    timeline.
    """
    if not article_key(article):
        raise ValidationError(_("Enter the article (letters and digits)."), "article")
    if len(comment) > COMMENT_LENGTH:
        raise ValidationError(_("No more than {count} characters.").format(count=COMMENT_LENGTH), "comment")

    def work(uow: UnitOfWork) -> QuoteInfo:
        require_quoter(uow)
        client = _check_links(uow, client_id, booking_id)
        now = uow.clock()
        quote = Quote(
            year=now.year, number=next_number(uow, "quote", now.year), client_id=client, work_order_id=work_order_id,
            booking_id=booking_id, deal_id=deal_id, article=article.strip()[:60], brand=(brand or "").strip()[:60],
            comment=comment.strip(), created_by=uow.actor.login, created_by_id=uow.actor.user_id, created_at=now,
        )  # fmt: skip
        uow.session.add(quote)
        uow.session.flush()
        for position, offer in enumerate(offers, start=1):
            uow.session.add(QuoteOffer(
                quote_id=quote.id, position=position, source=offer.source.value, source_name=offer.source_name[:200],
                analog=offer.analog, part_id=offer.part_id, location_id=offer.location_id,
                supplier_id=offer.supplier_id, brand=offer.brand[:60], article=offer.article[:60],
                name=offer.name[:300], quantity=offer.quantity, delivery_days=offer.delivery_days,
                purchase_price=offer.purchase_price, sale_price=offer.sale_price, multiplicity=offer.multiplicity,
                chosen=position - 1 in chosen,
            ))  # fmt: skip
        uow.session.flush()
        number = quote_number(quote.year, quote.number)
        audit.record(uow, "quote", quote.id, "create", None, {
            "number": number, "article": quote.article, "brand": quote.brand, "client_id": client,
            "work_order_id": work_order_id, "booking_id": booking_id, "deal_id": deal_id, "offers": len(offers),
        })  # fmt: skip
        if client is not None:
            summary = _("Quote {number}: {article} {brand}").format(number=number, article=quote.article,
                                                                    brand=quote.brand).strip()  # fmt: skip
            body = ngettext("{count} offer", "{count} offers", len(offers)).format(count=len(offers))
            timeline.add_event(uow, client, timeline.register_kind("quote", N_("Quote")), summary, body=body,
                               entity="quote", entity_id=quote.id)  # fmt: skip
        uow.mark_changed("quotes", quote.id)
        info = quote_info(uow, quote.id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def list_quotes(
    uow_factory: UnitOfWorkFactory, *, client_id: int | None = None, work_order_id: int | None = None,
    before: int | None = None, limit: int = 100,
) -> list[QuoteSummary]:  # fmt: skip
    """Quotes newest first (of a client, or of a work order); *before* is the last id of the previous page."""

    def work(uow: UnitOfWork) -> list[QuoteSummary]:
        counts = (select(QuoteOffer.quote_id, func.count().label("offers")).group_by(QuoteOffer.quote_id)
                  .subquery())  # fmt: skip
        query = (select(Quote, counts.c.offers).outerjoin(counts, counts.c.quote_id == Quote.id)
                 .order_by(Quote.id.desc()).limit(limit))  # fmt: skip
        if client_id is not None:
            query = query.where(Quote.client_id == client_id)
        if work_order_id is not None:
            query = query.where(Quote.work_order_id == work_order_id)
        if before is not None:
            query = query.where(Quote.id < before)
        return [_summary(quote, int(count or 0)) for quote, count in uow.session.execute(query)]

    return run_in_transaction(uow_factory, work, read_only=True)


def ensure_part(uow: UnitOfWork, offer: QuoteOfferInfo) -> int:
    """The catalogue part of a supplier's offer: the one kept under its article and brand, or a new card made from
    the offer (an advisor orders what the shop has never stocked; the warehouse completes the card later)."""
    if offer.part_id is not None and uow.session.get(Part, offer.part_id) is not None:
        return offer.part_id
    akey, bkey = article_key(offer.article), brand_key(offer.brand)
    found = uow.session.scalar(select(Part.id).where(Part.article_key == akey, Part.brand_key == bkey))
    if found is not None:
        return found
    part = Part(article=offer.article, article_key=akey, brand=offer.brand, brand_key=bkey,
                name=offer.name or offer.article, name_key=fold_text(offer.name or offer.article),
                purchase_price=offer.purchase_price, unit="pcs", fractional=False)  # fmt: skip
    uow.session.add(part)
    uow.session.flush()
    audit.record(uow, "part", part.id, "create", None, {"article": part.article, "brand": part.brand,
                                                         "name": part.name, "from": "quote"})  # fmt: skip
    uow.mark_changed("parts", part.id)
    return part.id
