"""The audit log model pages rows in newest first, adds new entries on top, and passes Qt's model tester."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from autoservice_desk.services import audit
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.models.audit_model import ENTRY_ID_ROLE, AuditColumn, AuditModel, describe_change

MOMENT = datetime(2026, 11, 22, 9, 5, tzinfo=UTC)


def _write_entries(uow_factory: UnitOfWorkFactory, count: int, start: int = 0) -> None:
    def work(uow: UnitOfWork) -> None:
        for number in range(start, start + count):
            audit.record(uow, "client", number, "update", {"surname": "Ivanov"}, {"surname": f"Petrov {number}"})
        uow.commit()

    run_in_transaction(uow_factory.__class__(uow_factory.engine, clock=lambda: MOMENT), work)


def _wait_loaded(model: AuditModel, runner: BackgroundRunner) -> None:
    assert runner.wait_for_idle()
    assert not model.loading


def test_pages_arrive_newest_first_until_the_log_ends(
    uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, qtmodeltester: ModelTester
) -> None:
    _write_entries(uow_factory, 45)
    model = AuditModel(uow_factory, runner, "Europe/Moscow", page_size=20)
    qtmodeltester.check(model)  # empty, before the first read
    model.reload()
    _wait_loaded(model, runner)
    assert model.rowCount() == 20 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    _wait_loaded(model, runner)
    model.fetchMore(QModelIndex())
    _wait_loaded(model, runner)
    assert model.rowCount() == 45 and not model.canFetchMore(QModelIndex())
    ids = [model.data(model.index(row, 0), ENTRY_ID_ROLE) for row in range(model.rowCount())]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 45
    qtmodeltester.check(model)


def test_cells_are_formatted_in_the_shop_time_zone_and_translated(
    uow_factory: UnitOfWorkFactory, runner: BackgroundRunner
) -> None:
    _write_entries(uow_factory, 1, start=7)
    model = AuditModel(uow_factory, runner, "Europe/Moscow")
    model.reload()
    _wait_loaded(model, runner)
    cells = [model.data(model.index(0, column)) for column in AuditColumn]
    assert cells[AuditColumn.TIME] == "22/11/2026, 12:05"  # 09:05 UTC is 12:05 in Moscow
    assert cells[AuditColumn.USER] == "system"
    assert cells[AuditColumn.ENTITY] == "Client"
    assert cells[AuditColumn.RECORD] == "7"
    assert cells[AuditColumn.ACTION] == "Changed"
    assert cells[AuditColumn.DETAILS] == "surname: Ivanov → Petrov 7"
    assert model.headerData(AuditColumn.TIME, Qt.Orientation.Horizontal) == "Time"
    assert model.headerData(99, Qt.Orientation.Horizontal) is None


def test_refresh_adds_new_entries_on_top_and_keeps_the_rest(
    uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    _write_entries(uow_factory, 30)
    model = AuditModel(uow_factory, runner, "UTC", page_size=10)
    model.reload()
    _wait_loaded(model, runner)
    qtmodeltester.check(model)
    old_top = model.data(model.index(0, 0), ENTRY_ID_ROLE)
    _write_entries(uow_factory, 3, start=100)
    with qtbot.waitSignal(model.rowsInserted):
        model.refresh()
    _wait_loaded(model, runner)
    while model.canFetchMore(QModelIndex()):  # the tester may have asked for older pages meanwhile: read them all
        model.fetchMore(QModelIndex())
        _wait_loaded(model, runner)
    ids = [model.data(model.index(row, 0), ENTRY_ID_ROLE) for row in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == 33
    assert ids.index(old_top) == 3
    assert model.data(model.index(0, AuditColumn.RECORD)) == "102"


def test_more_new_entries_than_a_page_reload_everything(
    uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, qtbot: QtBot
) -> None:
    _write_entries(uow_factory, 5)
    model = AuditModel(uow_factory, runner, "UTC", page_size=10)
    model.reload()
    _wait_loaded(model, runner)
    _write_entries(uow_factory, 25, start=100)
    model.refresh()
    _wait_loaded(model, runner)
    assert model.rowCount() == 10  # a fresh first page: no gap between old and new rows
    assert model.data(model.index(0, AuditColumn.RECORD)) == "124"


def test_describe_change() -> None:
    assert describe_change({"a": 1, "b": 2}, {"a": 1, "b": 3}) == "b: 2 → 3"
    created = {"login": "anna", "roles": ["admin", "manager"]}
    assert describe_change(None, created) == "login: anna; roles: admin, manager"
    assert describe_change(None, None) == ""
