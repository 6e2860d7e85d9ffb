"""A quote printed for the client: the shop's header, the part asked for, the offers with our price and delivery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from autoservice_desk.config import Settings
from autoservice_desk.i18n import N_, _
from autoservice_desk.models.clients import Client
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.print_forms.data import ShopDetails
from autoservice_desk.services.print_forms.layout import (
    GRID,
    HEADER_FILL,
    WIDTH,
    build_pdf,
    details_table,
    document_title,
    money,
    para,
    quantity,
    shop_header,
    styles,
)
from autoservice_desk.services.quotes import QuoteInfo, QuoteOfferInfo, quote_info
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

TITLE = N_("Parts quote")


def _when(offer: QuoteOfferInfo) -> str:
    if offer.delivery_days == 0:
        return _("in stock")
    if offer.delivery_days is None:
        return _("on request")
    return _("{days} d.").format(days=offer.delivery_days)


def _offers_table(offers: tuple[QuoteOfferInfo, ...]) -> Table:
    style = styles()
    headers = [_("No."), _("Brand"), _("Article"), _("Name"), _("Available"), _("Delivery"), _("Price")]
    # Wide enough for «Производитель» and «Доступно» in the bold header without breaking the word.
    widths = [8 * mm, 30 * mm, 28 * mm, 0, 20 * mm, 18 * mm, 24 * mm]
    widths[3] = WIDTH - sum(widths)
    data: list[list[Any]] = [[para(text, style.cell_head) for text in headers]]
    for index, offer in enumerate(offers, start=1):
        name = offer.name + (" " + _("(analog)") if offer.analog else "")
        data.append([
            para(str(index), style.cell_right), para(offer.brand, style.cell), para(offer.article, style.cell),
            para(name, style.cell),
            para(quantity(offer.quantity) if offer.quantity is not None else "—", style.cell_right),
            para(_when(offer), style.cell_right),
            para(money(offer.sale_price) if offer.sale_price is not None else "—", style.cell_right),
        ])  # fmt: skip
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))  # fmt: skip
    return table


def render_quote(quote: QuoteInfo, shop: ShopDetails, client: str = "") -> bytes:
    """The quote's PDF: the chosen offers, or every offer when none was chosen. Our purchase prices and the
    suppliers' names stay off the page: the client sees brand, article, name, availability, delivery and price."""
    offers = quote.chosen or quote.offers
    story: list[Flowable] = [*shop_header(shop), Spacer(1, 3 * mm)]
    story += document_title(_(TITLE), quote.display_number, quote.created_at.date())
    story.append(details_table([(_("Client"), client), (_("Part asked for"), f"{quote.article} {quote.brand}".strip()),
                                (_("Comment"), quote.comment)]))  # fmt: skip
    story += [Spacer(1, 3 * mm), _offers_table(offers), Spacer(1, 3 * mm),
              para(_("Prices and availability are valid on the day of the quote."), styles().small)]  # fmt: skip
    return build_pdf(story, title=f"{_(TITLE)} {quote.display_number}", author=shop.name)


def print_quote(uow_factory: UnitOfWorkFactory, quote_id: int, settings: Settings | ShopDetails, path: Path) -> Path:
    """Write quote *quote_id* as a PDF to *path*."""

    def work(uow: UnitOfWork) -> tuple[QuoteInfo, str]:
        quote = quote_info(uow, quote_id)
        client = uow.session.get(Client, quote.client_id) if quote.client_id is not None else None
        return quote, client_name(client) if client is not None else ""

    quote, client = run_in_transaction(uow_factory, work, read_only=True)
    shop = settings if isinstance(settings, ShopDetails) else ShopDetails.from_settings(settings)
    path.write_bytes(render_quote(quote, shop, client))
    return path
