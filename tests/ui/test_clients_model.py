"""The client list model: pages through everyone by name, searches, drops stale answers, passes Qt's tester."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from pytestqt.modeltest import ModelTester

from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.models.client_list_model import CLIENT_ID_ROLE, ClientColumn, ClientListModel


def _add_clients(uow_factory: UnitOfWorkFactory, count: int) -> None:
    for number in range(count):
        phone = f"+7912{number:07d}"
        create_client(uow_factory, ClientForm(surname=f"Петров{number:02d}", phones=(PhoneEntry(phone),)))


def test_everyone_pages_in_by_name(
    uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, qtmodeltester: ModelTester
) -> None:
    _add_clients(uow_factory, 25)
    model = ClientListModel(uow_factory, runner, page_size=10)
    qtmodeltester.check(model)
    model.set_query("")
    assert runner.wait_for_idle()
    assert model.rowCount() == 10 and model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        assert runner.wait_for_idle()
    assert model.rowCount() == 25
    names = [model.data(model.index(row, ClientColumn.NAME)) for row in range(25)]
    assert names == sorted(names)
    assert model.data(model.index(0, ClientColumn.PHONES)) == "+7 912 000-00-00"
    qtmodeltester.check(model)


def test_a_search_shows_what_matched(
    uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, qtmodeltester: ModelTester
) -> None:
    _add_clients(uow_factory, 3)
    model = ClientListModel(uow_factory, runner)
    model.set_query("0000001")
    assert runner.wait_for_idle()
    assert model.rowCount() == 1
    assert model.data(model.index(0, ClientColumn.NAME)) == "Петров01"
    assert model.data(model.index(0, ClientColumn.MATCHED)) == "phone: +79120000001"
    assert model.data(model.index(0, 0), CLIENT_ID_ROLE) == model.client_id(0)
    qtmodeltester.check(model)


def test_an_answer_to_an_old_query_is_dropped(uow_factory: UnitOfWorkFactory, runner: BackgroundRunner) -> None:
    _add_clients(uow_factory, 3)
    model = ClientListModel(uow_factory, runner)
    model.set_query("петров00")  # typed past before its answer arrives
    model.set_query("петров02")
    assert runner.wait_for_idle()
    assert [model.data(model.index(row, 0)) for row in range(model.rowCount())] == ["Петров02"]
