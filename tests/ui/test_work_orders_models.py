"""The work-order table models under pytest-qt's model tester, with the rows a real order gives them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from work_order_ui_shop import ZONE, UiShop, make_ui_shop, settle

from autoservice_desk.config import Settings
from autoservice_desk.services.print_forms import DocumentKind
from autoservice_desk.services.printed_documents import list_documents
from autoservice_desk.services.recommendations import RecommendationInput, add_recommendation
from autoservice_desk.services.work_order_board import WorkOrderFilter
from autoservice_desk.services.work_order_documents import print_work_order_document
from autoservice_desk.services.work_order_parts import OwnPartInput, StockPartInput, add_own_part, add_stock_part
from autoservice_desk.services.work_order_types import OpenRequest, WorkOrderCard
from autoservice_desk.services.work_orders import open_work_order
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.work_order_lines_models import (
    ROW_ID_ROLE,
    LabourLinesModel,
    PartLinesModel,
    PrintedDocumentsModel,
    RecommendationsModel,
)
from autoservice_desk.ui.models.work_order_list_model import (
    WORK_ORDER_ID_ROLE,
    WorkOrderColumn,
    WorkOrderListModel,
)

D = Decimal


@pytest.fixture
def shop(admin_context: ScreenContext) -> UiShop:
    return make_ui_shop(admin_context)


def full_order(shop: UiShop) -> WorkOrderCard:
    request = OpenRequest(shop.client, shop.vehicle, complaint="Стук", labour=(shop.services["TO-1"],
                                                                               shop.services["TO-AIR"]))  # fmt: skip
    card = open_work_order(shop.uow_factory, request)
    card = add_stock_part(shop.uow_factory, card.id, card.version, StockPartInput(shop.pads, shop.shelf, D(2)))
    card = add_own_part(shop.uow_factory, card.id, card.version, OwnPartInput("Щётки", D(2)))
    add_recommendation(shop.uow_factory, card.id, RecommendationInput("Заменить тормозную жидкость"))
    from autoservice_desk.services.work_order_card import get_work_order

    return get_work_order(shop.uow_factory, card.id)


def test_line_models(qtmodeltester: ModelTester, shop: UiShop) -> None:
    card = full_order(shop)
    labour, parts, recommendations = LabourLinesModel(), PartLinesModel(), RecommendationsModel()
    labour.set_rows(card.labour)
    parts.set_rows(card.parts)
    recommendations.set_rows(card.recommendations)
    for model in (labour, parts, recommendations):
        qtmodeltester.check(model)
    assert labour.rowCount() == 2 and labour.index(0, 0).data() == card.labour[0].name
    assert labour.index(1, 0).data(ROW_ID_ROLE) == card.labour[1].id
    assert parts.rowCount() == 2 and parts.index(0, 0).data() == "0986494104"
    assert parts.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # reserved, waiting to be issued
    assert recommendations.index(0, 0).data() == "Заменить тормозную жидкость"


def test_printed_documents_model(qtmodeltester: ModelTester, shop: UiShop) -> None:
    card = full_order(shop)
    print_work_order_document(shop.uow_factory, card.id, DocumentKind.WORK_ORDER, Settings())
    model = PrintedDocumentsModel(ZONE)
    model.set_rows(list_documents(shop.uow_factory, work_order_id=card.id))
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and card.header.number in model.index(0, 0).data()


def test_list_model_pages_searches_and_sorts(
    qtmodeltester: ModelTester, admin_context: ScreenContext, shop: UiShop
) -> None:
    orders = [open_work_order(shop.uow_factory, OpenRequest(shop.client, shop.vehicle)) for _ in range(5)]
    model = WorkOrderListModel(shop.uow_factory, admin_context.runner, ZONE, page_size=2)
    model.set_filter(WorkOrderFilter())
    settle(admin_context.runner)
    while model.canFetchMore(model.index(0, 0).parent()):
        model.fetchMore(model.index(0, 0).parent())
        settle(admin_context.runner)
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    model.sort(WorkOrderColumn.NUMBER, Qt.SortOrder.AscendingOrder)
    settle(admin_context.runner)
    assert model.index(0, WorkOrderColumn.NUMBER).data() == orders[0].header.number
    assert model.index(0, 0).data(WORK_ORDER_ID_ROLE) == orders[0].id
    model.set_filter(WorkOrderFilter(text=orders[3].header.number))
    settle(admin_context.runner)
    assert model.rowCount() == 1 and model.work_order_id(0) == orders[3].id
