"""The change bus: commits made on worker threads reach the screens on the GUI thread."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from autoservice_desk.services import users
from autoservice_desk.services.unit_of_work import ChangeSet, UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner, OperationState
from autoservice_desk.ui.changes import ChangeBus


def test_publish_from_a_worker_thread_is_delivered_on_the_gui_thread(bus: ChangeBus, qtbot: QtBot) -> None:
    received: list[tuple[ChangeSet, threading.Thread]] = []
    bus.changed.connect(lambda changes: received.append((changes, threading.current_thread())))
    changes = ChangeSet(frozenset({"client"}), frozenset({("client", "7")}))
    worker = threading.Thread(target=bus.publish, args=(changes,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(received))
    assert received == [(changes, threading.main_thread())]


def test_an_empty_change_set_is_not_broadcast(bus: ChangeBus, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(bus.changed, wait=50):
        bus.publish(ChangeSet())


def test_a_commit_through_the_factory_reaches_the_bus(
    bus: ChangeBus, runner: BackgroundRunner, uow_factory: UnitOfWorkFactory, qtbot: QtBot
) -> None:
    bus.attach(uow_factory)
    derived = uow_factory.acting_as(uow_factory.actor)  # derived factories share the listeners

    def work(state: OperationState) -> users.UserInfo:
        return users.create_first_admin(derived, "admin", "Admin", None)

    with qtbot.waitSignal(bus.changed) as blocker:
        runner.run(work, lambda info: None)
    changes: ChangeSet = blocker.args[0]
    assert changes.touches("user") and changes.touches("audit")
