"""Settings → Clients: segment thresholds saved, the make list edited through its buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from autoservice_desk.config import SEGMENT_LOYAL_VISITS
from autoservice_desk.services.vehicle_reference import list_makes
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.clients_page import ClientsPage


def settle(runner: BackgroundRunner) -> None:
    for _round in range(3):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def test_thresholds_and_the_make_list(qtbot: QtBot, admin_context: ScreenContext) -> None:
    page = ClientsPage(admin_context)
    qtbot.addWidget(page)
    page.show()
    settle(admin_context.runner)
    assert page.makes.count() > 40
    page.spins[SEGMENT_LOYAL_VISITS.key].setValue(7)
    page.save_button.click()
    assert admin_context.environment.settings.get(SEGMENT_LOYAL_VISITS) == 7
    page.make_name.setText("Aurus")
    page.make_buttons[0].click()
    settle(admin_context.runner)
    assert page.makes.currentItem() is not None and page.makes.currentItem().text() == "Aurus"
    page.model_name.setText("Senat")
    page.model_buttons[0].click()
    settle(admin_context.runner)
    assert [page.models.item(row).text() for row in range(page.models.count())] == ["Senat"]
    page.make_name.setText("Aurus")
    page.make_buttons[0].click()  # twice: refused with a message, nothing added
    settle(admin_context.runner)
    assert "already in the list" in page.reference_status.text()
    assert admin_context.uow_factory is not None
    assert [entry.name for entry in list_makes(admin_context.uow_factory)].count("Aurus") == 1
    page.models.setCurrentRow(0)
    page.model_buttons[2].click()
    settle(admin_context.runner)
    assert page.models.count() == 0
