"""The Messages screen's table models under pytest-qt's model tester, with rows the services really give."""

from __future__ import annotations

from datetime import date, datetime

from messages_ui_shop import PHONE, ZONE, make_message_shop, settle
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from autoservice_desk.services.advisor_tasks import add_task, list_open_tasks
from autoservice_desk.services.message_queries import OutboxFilter
from autoservice_desk.services.outbox import daily_totals, send_message
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.outbox_models import (
    CLIENT_ID_ROLE,
    MESSAGE_ID_ROLE,
    STATUS_ROLE,
    AdvisorTasksModel,
    DayTotalsModel,
    OutboxColumn,
    OutboxModel,
    TotalsColumn,
)


def read_all(model: OutboxModel, runner: BackgroundRunner) -> int:
    settle(runner)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        settle(runner)
    return model.rowCount()


def test_outbox_model_pages_and_filters(qtmodeltester: ModelTester, admin_context: ScreenContext) -> None:
    shop = make_message_shop(admin_context)
    ids = [send_message(shop.uow_factory, shop.client, f"Message {number}").message_id for number in range(5)]
    model = OutboxModel(shop.uow_factory, admin_context.runner, ZONE, page_size=2)
    model.set_filter(OutboxFilter())
    assert read_all(model, admin_context.runner) == 5
    qtmodeltester.check(model)
    assert [model.message_id(row) for row in range(5)] == ids[::-1]  # newest first
    first = model.index(0, OutboxColumn.TEXT)
    assert first.data() == "Message 4" and first.data(MESSAGE_ID_ROLE) == ids[-1]
    assert first.data(STATUS_ROLE) == "queued"
    assert model.index(0, OutboxColumn.CLIENT).data() == "Иванов Сергей Петрович"
    assert model.index(0, OutboxColumn.RECIPIENT).data() == PHONE
    assert model.index(0, OutboxColumn.STATUS).data() == "Queued"
    assert model.index(0, OutboxColumn.EVENT).data() == "Sent by hand"
    assert model.headerData(OutboxColumn.COST, Qt.Orientation.Horizontal) == "Cost"
    model.set_filter(OutboxFilter(status_group="failed"))
    settle(admin_context.runner)
    assert model.rowCount() == 0
    for search in ("иванов", "4567", "message 3"):
        model.set_filter(OutboxFilter(search=search))
        assert read_all(model, admin_context.runner) == (1 if search == "message 3" else 5), search
    model.set_filter(OutboxFilter(search="сидоров"))
    settle(admin_context.runner)
    assert model.rowCount() == 0


def test_totals_and_tasks_models(qtmodeltester: ModelTester, admin_context: ScreenContext) -> None:
    shop = make_message_shop(admin_context)
    for number in range(3):
        send_message(shop.uow_factory, shop.client, f"Message {number}")
    today = datetime.now(ZONE).date()
    totals = DayTotalsModel()
    totals.set_days(daily_totals(shop.uow_factory, today, today, ZONE))
    qtmodeltester.check(totals)
    assert totals.rowCount() == 2  # today and the totals line
    assert totals.index(0, TotalsColumn.QUEUED).data() == "3"
    assert totals.index(1, TotalsColumn.DAY).data() == "Total"
    assert totals.index(1, 0).data(Qt.ItemDataRole.FontRole).bold()
    totals.set_days([])
    assert totals.rowCount() == 0

    with shop.uow_factory() as uow:
        add_task(uow, "maintenance_due", "Call about maintenance: Kia Rio", date(2027, 3, 1), body="Due 15.03",
                 client_id=shop.client, vehicle_id=shop.vehicle, key="task:1")  # fmt: skip
        uow.commit()
    tasks = AdvisorTasksModel()
    tasks.set_tasks(list_open_tasks(shop.uow_factory))
    qtmodeltester.check(tasks)
    assert tasks.rowCount() == 1 and tasks.index(0, 1).data() == "Call about maintenance: Kia Rio"
    assert tasks.index(0, 0).data(CLIENT_ID_ROLE) == shop.client
