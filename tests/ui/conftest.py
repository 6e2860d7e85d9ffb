"""UI fixtures: an environment in the isolated home, the runner, the change bus, a screen context, users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from autoservice_desk.services import users
from autoservice_desk.services.startup import Environment
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.changes import ChangeBus
from autoservice_desk.ui.context import ScreenContext, window_state

ADMIN_PASSWORD = "secret1"


@pytest.fixture(autouse=True)
def no_window_left_open(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves a window on screen (after qtbot has closed the widgets it was given)."""
    yield
    QApplication.processEvents()
    left = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
    for widget in left:
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()
    assert not left, f"windows left open: {left}"


@pytest.fixture
def environment() -> Environment:
    return Environment.load()


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[BackgroundRunner]:
    background = BackgroundRunner()
    yield background
    assert background.wait_for_idle(), "an operation was still running at the end of the test"
    background.shutdown()
    background.deleteLater()


@pytest.fixture
def bus(qapp: QApplication) -> Iterator[ChangeBus]:
    change_bus = ChangeBus()
    yield change_bus
    change_bus.deleteLater()


@pytest.fixture
def context(environment: Environment, runner: BackgroundRunner, bus: ChangeBus) -> ScreenContext:
    """A context before login (not connected)."""
    return ScreenContext(environment, runner, bus, window_state(environment), database="SQLite: /tmp/test.sqlite3")


@pytest.fixture
def admin(uow_factory: UnitOfWorkFactory) -> users.UserInfo:
    return users.create_first_admin(uow_factory, "admin", "Анна Смирнова", ADMIN_PASSWORD)


@pytest.fixture
def admin_context(
    context: ScreenContext, uow_factory: UnitOfWorkFactory, bus: ChangeBus, admin: users.UserInfo
) -> ScreenContext:
    """A context logged in as the administrator, with the bus hearing the factory's commits."""
    bus.attach(uow_factory)
    actor = admin.as_actor()
    return context.with_changes(uow_factory=uow_factory.acting_as(actor), actor=actor)
