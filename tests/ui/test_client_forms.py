"""The client and car forms and the import dialog as a person fills them in, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from autoservice_desk.services.client_forms import ClientForm, PhoneEntry
from autoservice_desk.services.client_list import list_clients
from autoservice_desk.services.clients import create_client, get_client
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle, get_vehicle
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.clients.card_dialogs import MileageDialog
from autoservice_desk.ui.screens.clients.client_editor import ClientDialog
from autoservice_desk.ui.screens.clients.import_wizard import ImportDialog
from autoservice_desk.ui.screens.clients.vehicle_editor import VehicleDialog

LADA_VIN = "XTA21099043576182"


def settle(runner: BackgroundRunner) -> None:
    for _round in range(3):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def open_dialog(qtbot: QtBot, dialog: ClientDialog | VehicleDialog | ImportDialog | MileageDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    settle(dialog.context.runner)


def count(context: ScreenContext) -> int:
    assert context.uow_factory is not None
    return len(list_clients(context.uow_factory).rows)


def test_a_new_client_with_a_phone_typed_the_usual_way(qtbot: QtBot, admin_context: ScreenContext) -> None:
    dialog = ClientDialog(admin_context, None)
    open_dialog(qtbot, dialog)
    dialog.edits["surname"].setText("Кузнецов")
    dialog.edits["given_name"].setText("Олег")
    qtbot.keyClicks(dialog.phones.row_edits(0)[0], "8 (912) 345-67-89")
    qtbot.keyClicks(dialog.edits["email"], "oleg@example.ru")
    qtbot.keyClicks(dialog.edits["tags"], "VIP, fleet")
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    settle(admin_context.runner)
    assert admin_context.uow_factory is not None
    card = get_client(admin_context.uow_factory, saved.args[0])
    assert card.name == "Кузнецов Олег" and card.phones[0][0] == "+79123456789"
    assert card.form.tags == ("fleet", "VIP")
    assert not dialog.isVisible()


def test_wrong_fields_are_marked_where_they_are_and_nothing_is_saved(
    qtbot: QtBot, admin_context: ScreenContext
) -> None:
    dialog = ClientDialog(admin_context, None)
    open_dialog(qtbot, dialog)
    dialog.edits["surname"].setText("Кузнецов")
    qtbot.keyClicks(dialog.phones.row_edits(0)[0], "12")
    qtbot.keyClicks(dialog.edits["email"], "oleg@")
    dialog.company.setChecked(True)
    dialog.edits["company_name"].setText("ООО «Ромашка»")
    qtbot.keyClicks(dialog.edits["inn"], "7707083894")
    qtbot.keyClicks(dialog.edits["birthday"], "31.02.1980")
    dialog.accept()
    assert dialog.errors["birthday"].isVisibleTo(dialog)  # checked on the spot, before the service
    dialog.edits["birthday"].clear()
    dialog.accept()
    settle(admin_context.runner)
    assert dialog.isVisible()
    assert "too short" in dialog.phones._rows[0][2].text()
    assert dialog.errors["email"].isVisibleTo(dialog) and "e-mail" in dialog.errors["email"].text()
    assert dialog.errors["inn"].isVisibleTo(dialog) and "check digit" in dialog.errors["inn"].text()
    assert not dialog.errors["surname"].isVisibleTo(dialog)
    assert count(admin_context) == 0


def test_a_known_phone_offers_the_existing_card(qtbot: QtBot, admin_context: ScreenContext) -> None:
    assert admin_context.uow_factory is not None
    known = create_client(admin_context.uow_factory, ClientForm(surname="Петров", phones=(PhoneEntry("+79123456789"),)))
    dialog = ClientDialog(admin_context, None)
    open_dialog(qtbot, dialog)
    dialog.edits["surname"].setText("Петрова")
    qtbot.keyClicks(dialog.phones.row_edits(0)[0], "912 345 67 89")
    dialog.accept()
    settle(admin_context.runner)
    box = dialog.duplicate_box
    assert isinstance(box, QMessageBox) and "Петров" in box.text()
    open_button = next(button for button in box.buttons() if button.text() == "Open that card")
    with qtbot.waitSignal(dialog.open_existing_requested) as requested:
        open_button.click()
    assert requested.args == [known] and count(admin_context) == 1


def test_a_car_from_its_vin_with_a_latin_plate(qtbot: QtBot, admin_context: ScreenContext) -> None:
    assert admin_context.uow_factory is not None
    owner = create_client(admin_context.uow_factory, ClientForm(surname="Петров"))
    dialog = VehicleDialog(admin_context, owner, None)
    open_dialog(qtbot, dialog)
    qtbot.keyClicks(dialog.edits["vin"], LADA_VIN.lower())
    dialog.edits["vin"].editingFinished.emit()
    assert dialog.edits["vin"].text() == LADA_VIN
    assert dialog.make.currentText() == "Lada" and dialog.edits["year"].text() == "2004"
    dialog.model.setCurrentText("2109")
    qtbot.keyClicks(dialog.edits["plate"], "a123bc77")
    dialog.mileage.setValue(120000)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.accept()
    card = get_vehicle(admin_context.uow_factory, saved.args[0])
    assert (card.form.plate, card.form.make, card.mileage[0].kilometres) == ("А123ВС77", "Lada", 120000)


def test_a_bad_vin_and_plate_are_marked_and_nothing_is_saved(qtbot: QtBot, admin_context: ScreenContext) -> None:
    assert admin_context.uow_factory is not None
    owner = create_client(admin_context.uow_factory, ClientForm(surname="Петров"))
    dialog = VehicleDialog(admin_context, owner, None)
    open_dialog(qtbot, dialog)
    qtbot.keyClicks(dialog.edits["vin"], "XTA2109904357618O")
    dialog.edits["vin"].editingFinished.emit()
    assert "letter O" in dialog.errors["vin"].text()
    dialog.make.setCurrentText("Lada")
    dialog.model.setCurrentText("Vesta")
    qtbot.keyClicks(dialog.edits["plate"], "A1!")
    dialog.accept()
    settle(admin_context.runner)
    assert dialog.errors["vin"].isVisibleTo(dialog) and dialog.errors["plate"].isVisibleTo(dialog)
    assert get_client(admin_context.uow_factory, owner).vehicles == ()


def test_a_lower_mileage_asks_first(qtbot: QtBot, admin_context: ScreenContext) -> None:
    assert admin_context.uow_factory is not None
    owner = create_client(admin_context.uow_factory, ClientForm(surname="Петров"))
    car = create_vehicle(admin_context.uow_factory, owner, VehicleForm(make="Kia", model="Rio"), mileage=50000)
    dialog = MileageDialog(admin_context, car)
    open_dialog(qtbot, dialog)
    dialog.kilometres.setValue(5000)
    dialog.accept()
    settle(admin_context.runner)
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox) and "50000" in box.text()
    assert len(get_vehicle(admin_context.uow_factory, car).mileage) == 1
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        box.button(QMessageBox.StandardButton.Save).click()
        settle(admin_context.runner)
    assert [entry.kilometres for entry in get_vehicle(admin_context.uow_factory, car).mileage] == [50000, 5000]


def test_an_import_with_bad_rows_shows_the_report(
    qtbot: QtBot, admin_context: ScreenContext, tmp_path: Path
) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(
        "ФИО;Телефон;Автомобиль;Госномер\n"
        "Кузнецов Олег;8 912 000-11-22;Kia Rio;В123ОР66\n"
        "Лебедева Ирина;+7 903 1;Lada Vesta;\n"
        "Орлов Пётр;+7 903 111 22 33;;\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(admin_context)
    open_dialog(qtbot, dialog)
    dialog.load_file(path)
    settle(admin_context.runner)
    assert dialog.mapping() == {"full_name": 0, "phone": 1, "car": 2, "plate": 3}
    dialog.check()
    settle(admin_context.runner)
    assert dialog.problems.rowCount() == 1
    assert (dialog.problems.item(0, 0).text(), dialog.problems.item(0, 1).text()) == ("3", "Phone")
    assert dialog.import_button.text() == "Import 2 valid rows"
    assert count(admin_context) == 0
    dialog.import_button.click()
    settle(admin_context.runner)
    assert dialog.report is not None and dialog.report.written and count(admin_context) == 2
    assert not dialog.import_button.isEnabled()
