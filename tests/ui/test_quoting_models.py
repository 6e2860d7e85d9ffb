"""The quoting screen's models: the streamed offers tree (groups, marks, ticks, sorting and filters) and the plain
lists of quotes, saved offers, online suppliers and price lists, each checked by qtmodeltester."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from autoservice_desk.services.online_suppliers import OnlineSupplierInfo
from autoservice_desk.services.price_lists import PriceListInfo
from autoservice_desk.services.quotes import QuoteOfferInfo, QuoteSummary
from autoservice_desk.services.quoting import Offer, OfferSource
from autoservice_desk.ui.models.quote_models import (
    OnlineSuppliersModel,
    PriceListsModel,
    QuoteListModel,
    SavedOffersModel,
)
from autoservice_desk.ui.models.quote_offers_model import (
    ANALOGS,
    ASKED,
    OfferColumn,
    QuoteOffersModel,
    QuoteOffersProxy,
)

D = Decimal
ZONE = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def offer(source: OfferSource, name: str, price: str, days: int | None, quantity: str | None = "2",
          analog: bool = False, brand: str = "Mahle") -> Offer:  # fmt: skip
    cost = D(price)
    amount = D(quantity) if quantity is not None else None
    place = "A-01" if source is OfferSource.STOCK else ""
    return Offer(source, name, analog, brand, "OC 90", "Фильтр", amount, days, cost, cost * D("1.5"), cost * D("0.5"),
                 location=place)  # fmt: skip


OWN = [offer(OfferSource.STOCK, "Основной", "400", 0), offer(OfferSource.STOCK, "Филиал", "400", 0, "1")]
ANALOG = [offer(OfferSource.STOCK, "Основной", "500", 0, analog=True, brand="Mann-Filter")]
LIST = [offer(OfferSource.PRICE_LIST, "Армтек", "300", 2, None)]
ONLINE = [offer(OfferSource.ONLINE, "Автоклик", "350", 1, "0")]


def test_offers_tree_streams_groups_and_marks(qtmodeltester: ModelTester) -> None:
    model = QuoteOffersModel()
    qtmodeltester.check(model)
    for answer in (OWN, ANALOG, [], LIST, ONLINE):
        model.add_offers(answer)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.offer_count(ASKED) == 4 and model.offer_count(ANALOGS) == 1
    asked = model.index(ASKED, 0)
    assert "4" in model.data(asked) and model.data(model.index(ANALOGS, 0)).startswith("Analogs")
    texts = [model.data(model.index(row, OfferColumn.SOURCE, asked)) for row in range(4)]
    assert texts == ["Основной · A-01", "Филиал · A-01", "Армтек", "Автоклик"]
    # the cheapest of the article asked (the price list), the fastest (own stock); the analog is never "best"
    best = [offer.source_name for offer in model.offers if offer.best_price]
    fastest = {offer.source_name for offer in model.offers if offer.fastest}
    assert best == ["Армтек"] and fastest == {"Основной", "Филиал"}
    sale = model.index(2, OfferColumn.SALE, asked)
    assert model.data(sale, Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(2, OfferColumn.QUANTITY, asked)) == "—"
    # ticking chooses offers for the quote
    first = model.index(0, OfferColumn.BRAND, asked)
    assert model.flags(first) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(first, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    model.set_chosen(4, True)
    assert model.chosen_positions == [0, 4]
    model.clear()
    assert model.offers == [] and model.chosen_positions == []


def test_proxy_sorts_within_groups_and_filters(qtmodeltester: ModelTester) -> None:
    model = QuoteOffersModel()
    proxy = QuoteOffersProxy()
    proxy.setSourceModel(model)
    for answer in (OWN, ANALOG, LIST, ONLINE):
        model.add_offers(answer)
    qtmodeltester.check(proxy)

    def shown(group: int = 0) -> list[str]:
        parent = proxy.index(group, 0)
        return [proxy.data(proxy.index(row, OfferColumn.SOURCE, parent)) for row in range(proxy.rowCount(parent))]

    proxy.sort(OfferColumn.SALE, Qt.SortOrder.AscendingOrder)
    assert shown() == ["Армтек", "Автоклик", "Основной · A-01", "Филиал · A-01"]
    assert proxy.data(proxy.index(0, 0)).startswith("Asked for")  # the groups keep their order either way
    proxy.sort(OfferColumn.SALE, Qt.SortOrder.DescendingOrder)
    assert proxy.data(proxy.index(0, 0)).startswith("Asked for")
    proxy.sort(OfferColumn.QUANTITY, Qt.SortOrder.AscendingOrder)
    assert shown()[-1] == "Армтек"  # an unknown quantity sorts last
    proxy.set_filters(in_stock_only=True, max_days=None, source_name="")
    assert sorted(shown()) == ["Основной · A-01", "Филиал · A-01"]  # Автоклик has none, Армтек does not say
    proxy.set_filters(in_stock_only=False, max_days=1, source_name="")
    assert "Армтек" not in shown()
    proxy.set_filters(in_stock_only=False, max_days=None, source_name="Армтек")
    assert shown() == ["Армтек"] and proxy.rowCount() == 1  # the analogs group has nothing left: hidden
    qtmodeltester.check(proxy)
    proxy.set_filters(in_stock_only=False, max_days=None, source_name="")
    model.add_offers([offer(OfferSource.ONLINE, "ШопАПИ", "390", 1, analog=True, brand="Knecht")])
    assert proxy.rowCount() == 2 and proxy.rowCount(proxy.index(1, 0)) == 2
    assert not proxy.index(0, 0).parent().isValid() and proxy.index(0, 0, proxy.index(0, 0)).parent().isValid()
    assert proxy.mapToSource(proxy.index(0, 0, proxy.index(1, 0))).parent() == model.index(ANALOGS, 0)
    assert model.parent(model.index(0, 0)) == QModelIndex()


def test_plain_lists(qtmodeltester: ModelTester) -> None:
    quotes = QuoteListModel(ZONE)
    quotes.client_names = {7: "Иванов Сергей"}
    quotes.set_rows([
        QuoteSummary(1, "QT-2026-000001", NOW, "admin", 7, None, None, None, "OC 90", "Mahle", "", 5),
        QuoteSummary(2, "QT-2026-000002", NOW, "admin", None, 3, None, None, "OC 90", "", "звонил", 2),
        QuoteSummary(3, "QT-2026-000003", NOW, "admin", None, None, None, None, "W 712", "", "", 0),
    ])  # fmt: skip
    qtmodeltester.check(quotes)
    assert quotes.data(quotes.index(0, 4)) == "Иванов Сергей"
    assert quotes.data(quotes.index(2, 4)) == "standalone"
    assert quotes.data(quotes.index(0, 1)) == "01.12.2026 12:30"

    saved = SavedOffersModel()
    saved.set_rows([
        QuoteOfferInfo(10, 1, OfferSource.STOCK, "Основной", False, 1, 2, None, "Mahle", "OC 90", "Фильтр", D("2"), 0,
                       D("400"), D("600"), 1, True),
        QuoteOfferInfo(11, 2, OfferSource.ONLINE, "Автоклик", True, None, None, 4, "Knecht", "OC 90", "Фильтр", None,
                       None, None, None, 1, False),
    ])  # fmt: skip
    qtmodeltester.check(saved)
    assert saved.data(saved.index(0, 0)) == "✓" and saved.data(saved.index(1, 0)) == ""
    assert saved.data(saved.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None

    online = OnlineSuppliersModel()
    online.set_rows([OnlineSupplierInfo(1, 2, "Автоклик", "abcp", "http://127.0.0.1:1", "api@id77", "", "", {}, 2500,
                                        30, True)])  # fmt: skip
    qtmodeltester.check(online)
    assert online.data(online.index(0, 1)) == "ABCP platform"
    assert online.data(online.index(0, 4)) == "2.5"

    lists = PriceListsModel(ZONE)
    lists.set_rows([PriceListInfo(4, "Армтек", 9, "armtek.csv", NOW, "admin", 500_000)])
    qtmodeltester.check(lists)
    assert lists.data(lists.index(0, 2)) == "500,000"
