"""The Clients screen as an advisor uses it: search by any fragment, the card, notes, blocking, merging."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.clients import create_client, get_client, update_client
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.clients import ClientsScreen
from autoservice_desk.ui.screens.clients.card_dialogs import BlockDialog, MergeDialog, NoteDialog

VIN = "Z94CB41AACR123456"


def settle(runner: BackgroundRunner) -> None:
    for _round in range(3):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def make_screen(qtbot: QtBot, context: ScreenContext) -> ClientsScreen:
    screen = ClientsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    settle(context.runner)
    return screen


def search(screen: ClientsScreen, qtbot: QtBot, text: str, typed: bool = True) -> list[str]:
    screen.search.clear()
    if typed:
        qtbot.keyClicks(screen.search, text)  # Latin and digits only: offscreen Qt cannot type Cyrillic
    else:
        screen.search.setText(text)
    qtbot.waitUntil(lambda: screen.model.query == text.strip() and not screen.model.loading, timeout=5000)
    settle(screen.context.runner)
    return [screen.model.data(screen.model.index(row, 0)) for row in range(screen.model.rowCount())]


def test_every_kind_of_fragment_finds_the_client(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = admin_context.uow_factory
    assert uow_factory is not None
    form = ClientForm(surname="Smirnov", given_name="Oleg", phones=(PhoneEntry("8 912 345-67-89"),), tags=("fleet",))
    smith = create_client(uow_factory, form)
    create_vehicle(uow_factory, smith, VehicleForm(make="Kia", model="Rio", vin=VIN, plate="А123ВС77"))
    create_client(uow_factory, ClientForm(surname="Петрова", phones=(PhoneEntry("+79031112233"),)))
    screen = make_screen(qtbot, admin_context)
    assert screen.model.rowCount() == 2  # everyone, by name, before anything is typed
    assert search(screen, qtbot, "smir") == ["Smirnov Oleg"]
    assert search(screen, qtbot, "6789") == ["Smirnov Oleg"]
    assert search(screen, qtbot, "a123bc") == ["Smirnov Oleg"]  # Latin look-alikes of a Cyrillic plate
    assert search(screen, qtbot, "123456") == ["Smirnov Oleg"]  # the VIN's tail
    assert search(screen, qtbot, "fleet") == ["Smirnov Oleg"]
    assert search(screen, qtbot, "ПЕТРОВА", typed=False) == ["Петрова"]
    assert search(screen, qtbot, "zzzz") == []
    assert "Nothing found" in screen.status.text()
    qtbot.keyClick(screen.search, Qt.Key.Key_Escape)
    assert screen.search.text() == ""


def test_the_best_match_opens_and_enter_goes_to_the_list(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = admin_context.uow_factory
    assert uow_factory is not None
    client_id = create_client(uow_factory, ClientForm(surname="Smirnov", phones=(PhoneEntry("+79123456789"),)))
    create_vehicle(uow_factory, client_id, VehicleForm(make="Kia", model="Rio", plate="А123ВС77"), mileage=45000)
    screen = make_screen(qtbot, admin_context)
    search(screen, qtbot, "smir")
    qtbot.waitUntil(lambda: screen.card.card is not None and screen.card.card.id == client_id, timeout=5000)
    assert screen.card.name.text() == "Smirnov"
    assert "+7 912 345-67-89" in screen.card.details.text()
    assert screen.card.vehicles.item(0, 2).text() == "А123ВС77"
    assert screen.card.vehicles.item(0, 4).text() == "45,000 km"
    assert "Card created" in screen.card.timeline.item(screen.card.timeline.count() - 1).text()
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.table.hasFocus()
    screen.focus_search()
    assert screen.search.hasFocus()


def test_a_note_and_a_block_show_on_the_card(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = admin_context.uow_factory
    assert uow_factory is not None
    client_id = create_client(uow_factory, ClientForm(surname="Smirnov"))
    screen = make_screen(qtbot, admin_context)
    screen.open_client(client_id)
    qtbot.waitUntil(lambda: screen.card.card is not None, timeout=5000)
    screen.card.note_button.click()
    note = screen.card.dialog
    assert isinstance(note, NoteDialog)
    note.text.setPlainText("Перезвонить после 18:00")
    note.ok_button.click()
    settle(admin_context.runner)
    qtbot.waitUntil(lambda: "Перезвонить после 18:00" in screen.card.timeline.item(0).text(), timeout=5000)
    screen.card.block_button.click()
    block = screen.card.dialog
    assert isinstance(block, BlockDialog)
    block.ok_button.click()  # no reason: refused in place
    assert block.isVisible() and "Say why" in block.error_label.text()
    block.reason.setText("долг за ремонт")
    block.ok_button.click()
    settle(admin_context.runner)
    qtbot.waitUntil(lambda: screen.card.segment.text() == "Blocked", timeout=5000)
    assert "долг за ремонт" in screen.card.details.text()
    assert screen.card.block_button.text() == "Unblock"


def test_merging_moves_the_cars_to_the_chosen_card(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = admin_context.uow_factory
    assert uow_factory is not None
    keep = create_client(uow_factory, ClientForm(surname="Smirnov", given_name="Oleg"))
    twin = create_client(uow_factory, ClientForm(surname="Smirnov", phones=(PhoneEntry("+79123456789"),)))
    create_vehicle(uow_factory, twin, VehicleForm(make="Kia", model="Rio", plate="А123ВС77"))
    screen = make_screen(qtbot, admin_context)
    screen.open_client(twin)
    qtbot.waitUntil(lambda: screen.card.card is not None and screen.card.card.id == twin, timeout=5000)
    screen.card.merge_action.trigger()
    merge = screen.card.dialog
    assert isinstance(merge, MergeDialog)
    qtbot.keyClicks(merge.picker.query, "smirnov oleg")
    qtbot.waitUntil(lambda: merge.picker.results.count() == 1, timeout=5000)
    merge.ok_button.click()
    settle(admin_context.runner)
    qtbot.waitUntil(lambda: screen.card.card is not None and screen.card.card.id == keep, timeout=5000)
    assert [car.plate for car in get_client(uow_factory, keep).vehicles] == ["А123ВС77"]
    assert get_client(uow_factory, twin).merged_into is not None


def test_a_change_keeps_the_open_card_and_its_row(qtbot: QtBot, admin_context: ScreenContext) -> None:
    uow_factory = admin_context.uow_factory
    assert uow_factory is not None
    create_client(uow_factory, ClientForm(surname="Smirnov", given_name="Anton"))
    second = create_client(uow_factory, ClientForm(surname="Smirnov", given_name="Boris"))
    screen = make_screen(qtbot, admin_context)
    search(screen, qtbot, "smirnov")
    screen.table.selectRow(1)
    qtbot.waitUntil(lambda: screen.card.card is not None and screen.card.card.id == second, timeout=5000)
    card = screen.card.card
    assert card is not None
    update_client(uow_factory, second, card.version, ClientForm(surname="Smirnov", given_name="Boris", notes="VIP"))
    settle(admin_context.runner)
    qtbot.waitUntil(lambda: screen.card.card is not None and screen.card.card.form.notes == "VIP", timeout=5000)
    assert screen.card.card.id == second
    assert [index.row() for index in screen.table.selectionModel().selectedRows()] == [1]
