"""Quoting as an advisor does it: type an article that has crosses, pick the brand, see own stock, analogs, a price
list and an online supplier stream in while another supplier times out; save the quote for the client and find it
in the client's timeline and the quotes tab; put an offer on a work order; manage suppliers and import a price list.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))  # the fake supplier servers live there

from fake_supplier_servers import FakeAbcp, FakeJsonSupplier, running  # noqa: E402
from quoting_shop import QuotingShop, make_abcp, make_json_supplier, make_shop  # noqa: E402

from autoservice_desk.services.online_suppliers import list_online_suppliers  # noqa: E402
from autoservice_desk.services.price_lists import list_price_lists  # noqa: E402
from autoservice_desk.services.quotes import get_quote, list_quotes  # noqa: E402
from autoservice_desk.services.quoting import OfferSource  # noqa: E402
from autoservice_desk.services.timeline import list_events  # noqa: E402
from autoservice_desk.services.work_order_card import get_work_order  # noqa: E402
from autoservice_desk.services.work_order_types import OpenRequest  # noqa: E402
from autoservice_desk.services.work_orders import open_work_order  # noqa: E402
from autoservice_desk.ui.background import BackgroundRunner  # noqa: E402
from autoservice_desk.ui.context import ScreenContext  # noqa: E402
from autoservice_desk.ui.models.quote_offers_model import ANALOGS, ASKED  # noqa: E402
from autoservice_desk.ui.screens.quoting.screen import QuotingScreen  # noqa: E402
from autoservice_desk.ui.screens.quoting.search_page import SearchPage  # noqa: E402

D = Decimal
TIMEOUT_MS = 700  # the slow supplier answers after 2.5 s: well past it
LEFT = Qt.MouseButton.LeftButton


def closed(widget: QWidget) -> bool:
    """The dialog is gone (closed and, with WA_DeleteOnClose, deleted)."""
    return not shiboken6.isValid(widget) or not widget.isVisible()


def settle(runner: BackgroundRunner) -> None:
    for _round in range(5):
        assert runner.wait_for_idle(20_000)
        QApplication.processEvents()


@pytest.fixture
def servers() -> Iterator[tuple[FakeAbcp, str, FakeJsonSupplier, str]]:
    abcp, shop_api = make_abcp(), make_json_supplier()
    shop_api.behaviour.delay = 2.5  # this one times out
    with running(abcp) as abcp_url, running(shop_api) as json_url:
        yield abcp, abcp_url, shop_api, json_url


@pytest.fixture
def shop(admin_context: ScreenContext, tmp_path: Path, servers: tuple[FakeAbcp, str, FakeJsonSupplier, str]
         ) -> QuotingShop:  # fmt: skip
    _abcp, abcp_url, _api, json_url = servers
    assert admin_context.uow_factory is not None
    return make_shop(admin_context.uow_factory, tmp_path, abcp_url, json_url, timeout_ms=TIMEOUT_MS)


def open_screen(qtbot: QtBot, context: ScreenContext) -> QuotingScreen:
    screen = QuotingScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1400, 800)
    screen.show()
    settle(context.runner)
    return screen


def search_mahle(qtbot: QtBot, page: SearchPage, runner: BackgroundRunner) -> None:
    """Type the article as the advisor does (dashes and case ignored), Enter, pick Mahle, wait for every source."""
    qtbot.keyClicks(page.article, "oc-90")
    qtbot.keyClick(page.article, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.brands.isVisibleTo(page), timeout=10_000)
    assert {brand for brand in page.brand_choices() if brand} >= {"Mahle", "Knecht"}
    assert page.brand_choices()[0] is None  # "all brands" comes first
    page.brands.setCurrentRow(page.brand_choices().index("Mahle"))
    qtbot.keyClick(page.brands, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.search.running, timeout=15_000)
    settle(runner)


def test_a_quote_streams_in_is_saved_for_the_client_and_goes_on_a_work_order(
    qtbot: QtBot, admin_context: ScreenContext, shop: QuotingShop
) -> None:
    runner = admin_context.runner
    screen = open_screen(qtbot, admin_context)
    page = screen.search
    page.set_client((shop.client, "Иванов"))
    search_mahle(qtbot, page, runner)

    strip = page.strip
    assert strip.state("own_stock") == strip.state("analogs") == strip.state("price_lists") == "ok"
    assert strip.state(f"online:{shop.abcp_online}") == "ok"
    assert strip.state(f"online:{shop.json_online}") == "timeout"  # the slow one: shown as such, the rest still shown
    assert "Автоклик" in strip.source_text(f"online:{shop.abcp_online}")

    offers = page.model.offers
    asked = {(offer.source, offer.source_name) for offer in offers if not offer.analog}
    assert (OfferSource.STOCK, "Основной") in asked and (OfferSource.STOCK, "Филиал") in asked
    assert (OfferSource.PRICE_LIST, "Армтек") in asked
    assert (OfferSource.ONLINE, "Автоклик") in asked
    analogs = {(offer.brand, offer.source) for offer in offers if offer.analog}
    assert analogs >= {("Mann-Filter", OfferSource.STOCK), ("Bosch", OfferSource.PRICE_LIST)}
    assert page.model.offer_count(ASKED) >= 4 and page.model.offer_count(ANALOGS) >= 2
    # own stock came first, with the client's 10 % off (400 × 1.5 − 10 %)
    assert offers[0].source is OfferSource.STOCK and offers[0].sale_price == D("540.00")
    assert sum(offer.best_price for offer in offers) >= 1 and sum(offer.fastest for offer in offers) >= 1
    assert page.proxy.rowCount() == 2  # "Asked for" and "Analogs" groups

    # filters: only what can be delivered within a day
    page.max_days.setValue(0)
    shown = page.proxy.rowCount(page.proxy.index(0, 0))
    assert shown == 2  # the two warehouses
    page.max_days.setValue(-1)

    # choose the list's offer and the ABCP one, save the quote for the client
    chosen = [index for index, offer in enumerate(offers) if offer.source is not OfferSource.STOCK and not offer.analog]
    for position in chosen:
        page.model.set_chosen(position, True)
    dialog = page.open_save_dialog()
    assert dialog is not None and dialog.kind.currentData() == dialog.SEARCH_CLIENT
    qtbot.mouseClick(dialog.ok_button, LEFT)
    settle(runner)
    assert closed(dialog)
    [summary] = list_quotes(shop.uow_factory, client_id=shop.client)
    saved = get_quote(shop.uow_factory, summary.id)
    assert len(saved.offers) == len(offers) and len(saved.chosen) == len(chosen)
    events = list_events(shop.uow_factory, shop.client)
    assert any(event.kind == "quote" and event.entity_id == summary.id for event in events)

    # the quotes tab shows it; opening it shows the offers as saved
    screen.show_page("quotes")
    settle(runner)
    assert summary.id in screen.quotes.quote_ids()
    screen.quotes.open_quote(summary.id)
    settle(runner)
    assert screen.quotes.offers_model.rowCount() == len(offers)
    assert "Иванов" in screen.quotes.details.text()

    # an own-stock offer and a supplier's offer go on an open work order
    card = open_work_order(shop.uow_factory, OpenRequest(client_id=shop.client, vehicle_id=None))
    screen.show_page("search")
    stock = next(index for index, offer in enumerate(offers) if offer.source is OfferSource.STOCK)
    assert page.select_offer(stock)
    add = page.open_add_dialog()
    assert add is not None
    qtbot.waitUntil(lambda: add.order_chooser.chosen() is not None, timeout=5_000)
    add.order_chooser.choose(card.id)
    add.quantity.setText("1")
    qtbot.mouseClick(add.ok_button, LEFT)
    settle(runner)
    assert closed(add)
    online = next(index for index, offer in enumerate(offers) if offer.source is OfferSource.ONLINE)
    assert page.select_offer(online)
    add = page.open_add_dialog()
    assert add is not None
    qtbot.waitUntil(lambda: add.order_chooser.chosen() is not None, timeout=5_000)
    add.order_chooser.choose(card.id)
    qtbot.mouseClick(add.ok_button, LEFT)
    settle(runner)
    assert closed(add)
    parts = get_work_order(shop.uow_factory, card.id).parts
    assert sorted(line.source for line in parts) == ["special_order", "stock"]
    assert next(line for line in parts if line.source == "stock").state == "reserved"
    assert "Added to work order" in page.message.text()

    # a refusal is shown in the dialog: more than the shelf holds
    assert page.select_offer(stock)
    add = page.open_add_dialog()
    assert add is not None
    qtbot.waitUntil(lambda: add.order_chooser.chosen() is not None, timeout=5_000)
    add.order_chooser.choose(card.id)
    add.quantity.setText("50")
    qtbot.mouseClick(add.ok_button, LEFT)
    settle(runner)
    assert add.isVisible() and add.error_label.text()
    add.close()
    screen.close()


def test_refresh_asks_the_suppliers_again(
    qtbot: QtBot, admin_context: ScreenContext, shop: QuotingShop,
    servers: tuple[FakeAbcp, str, FakeJsonSupplier, str],
) -> None:  # fmt: skip
    abcp = servers[0]
    screen = open_screen(qtbot, admin_context)
    page = screen.search
    search_mahle(qtbot, page, admin_context.runner)
    asked = len(abcp.behaviour.requests)
    page.choose_brand("Mahle")  # the same search again: the supplier's saved answer
    qtbot.waitUntil(lambda: not page.search.running, timeout=15_000)
    settle(admin_context.runner)
    assert len(abcp.behaviour.requests) == asked
    assert "saved answer" in page.strip.source_text(f"online:{shop.abcp_online}")
    page._refresh = True  # what Refresh (F5) sets before the brand step
    page.choose_brand("Mahle")
    qtbot.waitUntil(lambda: not page.search.running, timeout=15_000)
    settle(admin_context.runner)
    assert len(abcp.behaviour.requests) > asked
    screen.close()


def test_suppliers_are_connected_and_a_price_list_imported(
    qtbot: QtBot, admin_context: ScreenContext, shop: QuotingShop, tmp_path: Path
) -> None:
    screen = open_screen(qtbot, admin_context)
    screen.show_page("suppliers")
    page = screen.suppliers
    settle(admin_context.runner)
    assert page.online_model.rowCount() == 2 and page.lists_model.rowCount() == 1

    # change the JSON supplier's timeout and mapping
    row = next(row for row in page.online_model.rows if row.kind == "json")
    dialog = page.open_online_dialog(row)
    assert dialog.url_template.isVisibleTo(dialog)
    dialog.timeout.setValue(1500)
    dialog.field_mapping.setPlainText(dialog.field_mapping.toPlainText() + "\nwarehouse = store")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    settle(admin_context.runner)
    changed = next(info for info in list_online_suppliers(shop.uow_factory) if info.id == row.id)
    assert changed.timeout_ms == 1500 and changed.field_mapping["warehouse"] == "store"
    assert changed.field_mapping["items"] == "data.offers"

    # a refused form keeps the dialog open with the reason
    dialog = page.open_online_dialog(None)
    dialog.kind.setCurrentIndex(dialog.kind.findData("abcp"))
    assert not dialog.url_template.isVisibleTo(dialog)
    dialog.base_url.setText("ftp://nowhere")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    settle(admin_context.runner)
    assert dialog.isVisible() and dialog.error_label.text()
    dialog.close()

    # a new price list for the ABCP supplier: the saved mapping of another supplier is not used, the guess is
    path = tmp_path / "autoclick.csv"
    path.write_text("Артикул;Бренд;Наименование;Кол-во;Цена;Срок\nOC 90;Mahle;Фильтр;3;365;2\nX;;;;не цена;\n",
                    encoding="utf-8")  # fmt: skip
    page.list_supplier.setCurrentIndex(page.list_supplier.findData(shop.abcp_supplier))
    importer = page.open_import_dialog()
    assert importer is not None
    importer.load_file(path)
    settle(admin_context.runner)
    importer.check()
    settle(admin_context.runner)
    assert importer.report is not None and importer.report.invalid_rows == 1
    assert importer.problems.rowCount() >= 1  # the bad row is reported, not dropped silently
    importer.run_import()
    settle(admin_context.runner)
    assert importer.report is not None and importer.report.written
    importer.close()
    settle(admin_context.runner)
    lists = {info.supplier_id: info.row_count for info in list_price_lists(shop.uow_factory)}
    assert lists[shop.abcp_supplier] == 1
    assert page.lists_model.rowCount() == 2
    screen.close()
