"""The connection monitor reports a lost database and its return, once each, off the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services.errors import DatabaseUnavailableError
from autoservice_desk.services.startup import ping
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.connection_monitor import ConnectionMonitor


def test_loss_and_return_are_reported_once_each(qtbot: QtBot, runner: BackgroundRunner) -> None:
    server_up = [True]

    def check() -> None:
        if not server_up[0]:
            raise DatabaseUnavailableError("server gone")

    monitor = ConnectionMonitor(runner, check, interval_ms=10_000)
    lost: list[str] = []
    restored: list[bool] = []
    monitor.connection_lost.connect(lost.append)
    monitor.connection_restored.connect(lambda: restored.append(True))

    monitor.check_now()
    assert runner.wait_for_idle()
    qtbot.wait(10)
    assert lost == [] and restored == [] and monitor.healthy

    server_up[0] = False
    for _ in range(2):  # a second failure is not news
        monitor.check_now()
        assert runner.wait_for_idle()
        qtbot.waitUntil(lambda: not monitor.healthy)
        qtbot.wait(10)
    assert lost == ["server gone"]

    server_up[0] = True
    monitor.check_now()
    assert runner.wait_for_idle()
    qtbot.waitUntil(lambda: monitor.healthy)
    assert restored == [True]
    monitor.stop()


def test_ping_reaches_a_real_database(uow_factory: UnitOfWorkFactory) -> None:
    ping(uow_factory)
    uow_factory.engine.dispose()


def test_ping_of_a_dead_server_is_a_domain_error() -> None:
    target = parse_database_url("postgresql://postgres@127.0.0.1:1/shop", Path("unused"))
    engine = create_database_engine(target)
    with pytest.raises(DatabaseUnavailableError, match="connection failed"):
        ping(UnitOfWorkFactory(engine))
    engine.dispose()
