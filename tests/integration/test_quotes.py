"""Saved quotes on SQLite and PostgreSQL: offers kept as they were, the client's timeline, lists, an offer taken into
a work order (stock line reserved, supplier's offer as a special order), the PDF for the client."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from quoting_shop import QuotingShop, make_shop
from sqlalchemy import select

from autoservice_desk.models.inventory import Part, SpecialOrder, StockBalance
from autoservice_desk.services.errors import NotFoundError, PermissionDeniedError
from autoservice_desk.services.print_forms.data import ShopDetails
from autoservice_desk.services.quote_pdf import print_quote
from autoservice_desk.services.quote_sources import OfferSource
from autoservice_desk.services.quote_to_work_order import add_offer_to_work_order
from autoservice_desk.services.quotes import get_quote, list_quotes, save_quote
from autoservice_desk.services.quoting import search
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory
from autoservice_desk.services.work_order_types import OpenRequest
from autoservice_desk.services.work_orders import open_work_order

D = Decimal


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> QuotingShop:
    return make_shop(uow_factory, tmp_path)


def _saved(shop: QuotingShop, **links: int) -> tuple[int, list[int]]:
    result = search(shop.uow_factory, "OC90", "Mahle", include_online=False)
    offers = result.offers
    quote = save_quote(shop.uow_factory, "OC 90", offers, brand="Mahle", chosen={0}, comment="Передние", **links)
    return quote.id, [offer.id for offer in quote.offers]


def test_a_quote_keeps_its_offers_as_they_were(shop: QuotingShop) -> None:
    quote_id, _ids = _saved(shop, client_id=shop.client)
    with shop.uow_factory() as uow:  # prices change after the quote ...
        part = uow.session.get(Part, shop.oc90)
        assert part is not None
        part.purchase_price = D("900.00")
        uow.commit()
    quote = get_quote(shop.uow_factory, quote_id)  # ... the quote does not
    assert quote.display_number.startswith("QT-") and quote.comment == "Передние"
    prices = sorted((offer.source_name, offer.sale_price) for offer in quote.offers if not offer.analog)
    assert prices == [("Армтек", D("456.00")), ("Основной", D("600.00")), ("Филиал", D("600.00"))]
    assert [offer.position for offer in quote.chosen] == [1]
    assert any(offer.analog for offer in quote.offers)


def test_a_clients_quotes_and_timeline(shop: QuotingShop) -> None:
    quote_id, _ids = _saved(shop, client_id=shop.client)
    _saved(shop)  # standalone: nobody's
    (mine,) = list_quotes(shop.uow_factory, client_id=shop.client)
    assert mine.id == quote_id and mine.offer_count >= 4
    assert len(list_quotes(shop.uow_factory)) == 2
    (event,) = [entry for entry in list_events(shop.uow_factory, shop.client) if entry.kind == "quote"]
    assert event.entity_id == quote_id and "OC 90" in event.summary and event.kind_label == "Quote"


def test_links_are_checked(shop: QuotingShop) -> None:
    with pytest.raises(NotFoundError):
        _saved(shop, client_id=shop.client + 99)
    mechanic = shop.uow_factory.acting_as(Actor(None, "mech", roles=frozenset({"mechanic"})))
    with pytest.raises(PermissionDeniedError):
        save_quote(mechanic, "OC90", [])


def test_offers_go_into_a_work_order(shop: QuotingShop) -> None:
    card = open_work_order(shop.uow_factory, OpenRequest(client_id=shop.client, vehicle_id=None))
    quote_id, _ids = _saved(shop, client_id=shop.client)
    quote = get_quote(shop.uow_factory, quote_id)
    own = next(offer for offer in quote.offers if offer.source is OfferSource.STOCK and offer.source_name == "Основной")
    listed = next(offer for offer in quote.offers if offer.source is OfferSource.PRICE_LIST and not offer.analog)
    card = add_offer_to_work_order(shop.uow_factory, quote_id, own.id, card.header.id, card.header.version, D("1"))
    card = add_offer_to_work_order(shop.uow_factory, quote_id, listed.id, card.header.id, card.header.version,
                                   D("2"))  # fmt: skip
    stock_line, special_line = card.parts
    assert (stock_line.source, stock_line.price, stock_line.state) == ("stock", D("600.00"), "reserved")
    assert (special_line.source, special_line.price, special_line.quantity) == ("special_order", D("456.00"), D("2"))
    with shop.uow_factory(read_only=True) as uow:
        balance = uow.session.get(StockBalance, (shop.oc90, shop.main_shelf))
        assert balance is not None and balance.reserved == D("2.000")  # 1 before, 1 now
        special = uow.session.scalar(select(SpecialOrder))
        assert special is not None and special.supplier_id == shop.list_supplier and special.status == "needed"
    saved = get_quote(shop.uow_factory, quote_id)
    assert saved.work_order_id == card.header.id
    assert {offer.id for offer in saved.chosen} >= {own.id, listed.id}
    assert [q.id for q in list_quotes(shop.uow_factory, work_order_id=card.header.id)] == [quote_id]


def test_a_supplier_offer_of_an_unknown_part_makes_its_card(shop: QuotingShop) -> None:
    card = open_work_order(shop.uow_factory, OpenRequest(client_id=shop.client, vehicle_id=None))
    result = search(shop.uow_factory, "OC90", include_online=False)
    knecht = [offer for offer in result.offers if offer.brand == "Knecht"]
    quote = save_quote(shop.uow_factory, "OC90", knecht)
    card = add_offer_to_work_order(shop.uow_factory, quote.id, quote.offers[0].id, card.header.id,
                                   card.header.version, D("1"))  # fmt: skip
    (line,) = card.parts
    assert (line.article, line.brand, line.source) == ("OC90", "Knecht", "special_order")


def test_the_quote_prints_for_the_client(shop: QuotingShop, tmp_path: Path) -> None:
    quote_id, _ids = _saved(shop, client_id=shop.client)
    path = print_quote(shop.uow_factory, quote_id, ShopDetails(name="Автосервис «Мотор»"), tmp_path / "quote.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    try:
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "Мотор" in text and "Иванов" in text and "600.00" in text.replace(",", ".").replace("\u00a0", "")
    assert "Армтек" not in text  # the suppliers and our costs stay off the client's copy
