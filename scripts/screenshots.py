"""PNG screenshots of every screen and start-up dialog, in English and Russian, over a demo shop.

    python scripts/screenshots.py OUT_DIR      (tasks.py screenshots runs it under xvfb-run)

Everything happens in a temporary home with its own SQLite database (300 demo clients), so the desk's own
settings and data are never touched. Files are named OUT_DIR/<language>-<screen>[-<page>].png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LANGUAGES = ("en", "ru")
WINDOW_SIZE = (1280, 800)
SHOP = {
    "shop.name": "Автосервис «Колесо»",
    "shop.legal_name": "ООО «Колесо»",
    "shop.address": "г. Екатеринбург, ул. Малышева, д. 1",
    "shop.phone": "+7 343 123-45-67",
    "shop.email": "service@koleso.example",
    "shop.inn": "7707083893",
    "shop.kpp": "773601001",
    "shop.bik": "044525225",
    "shop.timezone": "Asia/Yekaterinburg",
}


def prepare_shop(home: Path) -> tuple[object, object]:
    """A migrated SQLite database with an administrator and a demo shop; returns (environment, admin actor)."""
    from autoservice_desk.services import users
    from autoservice_desk.services.demo_data import DemoSize, generate_demo_data
    from autoservice_desk.services.preferences import update_settings
    from autoservice_desk.services.startup import Environment, choose_target, open_database

    os.environ["AUTOSERVICE_HOME"] = str(home)
    environment = Environment.load()
    update_settings(environment, SHOP)
    database = open_database(environment, choose_target(environment))
    try:
        admin = users.create_first_admin(database.uow_factory, "admin", "Анна Смирнова", "secret1")
        actor = admin.as_actor()
        generate_demo_data(
            database.uow_factory.acting_as(actor), DemoSize(clients=300, shop=True, timezone=SHOP["shop.timezone"])
        )
    finally:
        database.close()
    return environment, actor


def settle(desk: object) -> None:
    """Let background reads finish and the layout settle before a picture is taken."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtTest import QTest

    desk.runner.wait_for_idle(20_000)  # type: ignore[attr-defined]
    for _round in range(5):
        QCoreApplication.processEvents()
        QTest.qWait(30)


def save(widget: object, out_dir: Path, name: str) -> None:
    path = out_dir / f"{name}.png"
    if not widget.grab().save(str(path)):  # type: ignore[attr-defined]
        raise SystemExit(f"could not write {path}")
    print(path)


def shoot_clients(desk: object, screen: object, language: str, out_dir: Path) -> None:
    """The list with a search and a card, the client form, the car form and the import report."""
    from autoservice_desk.ui.screens.clients.client_editor import ClientDialog
    from autoservice_desk.ui.screens.clients.import_wizard import ImportDialog
    from autoservice_desk.ui.screens.clients.vehicle_editor import VehicleDialog

    window = desk.window  # type: ignore[attr-defined]
    screen.search.setText("иван")  # type: ignore[attr-defined]
    screen._on_search_timer_timeout()  # type: ignore[attr-defined]
    settle(desk)
    settle(desk)
    save(window, out_dir, f"{language}-clients-search")
    card = screen.card.card  # type: ignore[attr-defined]
    dialog = ClientDialog(window.context, card, window)
    dialog.show()
    settle(desk)
    save(dialog, out_dir, f"{language}-client-form")
    dialog.close()
    if card is not None and card.vehicles:
        car = VehicleDialog(window.context, card.id, card.vehicles[0].id, window)
        car.show()
        settle(desk)
        save(car, out_dir, f"{language}-vehicle-form")
        car.close()
    sample = out_dir / "import-sample.csv"
    sample.write_text(
        "ФИО;Телефон;Автомобиль;Госномер;VIN;Пробег\n"
        "Кузнецов Олег Петрович;8 912 000-11-22;Kia Rio;В123ОР66;Z94CB41AACR123456;54 000\n"
        "Лебедева Ирина;+7 903 1;Lada Vesta;В77;;\n",
        encoding="utf-8",
    )
    importer = ImportDialog(window.context, window)
    importer.show()
    importer.load_file(sample)
    settle(desk)
    importer.check()
    settle(desk)
    save(importer, out_dir, f"{language}-clients-import")
    importer.close()
    sample.unlink()


def shoot_work_orders(desk: object, screen: object, language: str, out_dir: Path) -> None:
    """The garage board with a mechanic chosen, the list, the editor of the fullest order and a PDF preview."""
    from autoservice_desk.services.print_forms import DocumentKind

    window = desk.window  # type: ignore[attr-defined]
    garage = screen.garage  # type: ignore[attr-defined]
    screen.garage_button.click()  # type: ignore[attr-defined]
    settle(desk)
    if garage.mechanic_buttons:
        garage.choose(next(iter(garage.mechanic_buttons)))
        settle(desk)
        settle(desk)
    save(window, out_dir, f"{language}-work-orders-garage")
    screen.list_button.click()  # type: ignore[attr-defined]
    settle(desk)
    save(window, out_dir, f"{language}-work-orders-list")
    screen.board_button.click()  # type: ignore[attr-defined]
    settle(desk)
    cards = [card for column in screen.board.columns.values() for card in column.cards]  # type: ignore[attr-defined]
    if not cards:
        return
    editor = screen.open_editor(max(cards, key=lambda card: card.row.total).row.id)  # type: ignore[attr-defined]
    settle(desk)
    settle(desk)
    save(editor, out_dir, f"{language}-work-order-editor")
    editor.tabs.setCurrentWidget(editor.documents)
    editor.print_document(DocumentKind.COMPLETION_ACT)
    settle(desk)
    settle(desk)
    if editor.previews:
        save(editor.previews[-1], out_dir, f"{language}-work-order-pdf-preview")
        editor.previews[-1].close()
    editor.tabs.setCurrentIndex(1)
    settle(desk)
    save(editor, out_dir, f"{language}-work-order-editor-parts")
    editor.close()
    settle(desk)


_QUOTING_SHOP: list[object] = []  # the fake suppliers and the quoting data, made once for both languages


def seed_quoting(uow_factory: Any, folder: Path, abcp_url: str, json_url: str) -> int:
    """A Mahle oil filter on two shelves with two crosses, a price list and two online suppliers; returns a client."""
    from decimal import Decimal

    from fake_supplier_servers import FakeJsonSupplier  # type: ignore[import-not-found]
    from quoting_shop import PRICE_LIST  # type: ignore[import-not-found]

    from autoservice_desk.credentials import SecretStore
    from autoservice_desk.services.client_forms import ClientForm
    from autoservice_desk.services.clients import create_client
    from autoservice_desk.services.crosses import add_cross
    from autoservice_desk.services.locations import add_location
    from autoservice_desk.services.online_suppliers import OnlineSupplierForm, save_online_supplier
    from autoservice_desk.services.part_forms import PartForm
    from autoservice_desk.services.parts import create_part
    from autoservice_desk.services.price_list_import import import_price_list
    from autoservice_desk.services.stock_documents import create_receipt
    from autoservice_desk.services.stock_forms import LineInput
    from autoservice_desk.services.stock_posting import post_document
    from autoservice_desk.services.suppliers import SupplierForm, create_supplier

    main = add_location(uow_factory, None, "warehouse", "Основной", "QM")
    main_shelf = add_location(uow_factory, main, "shelf", "QM-01", "QM-01")
    branch = add_location(uow_factory, None, "warehouse", "Филиал", "QF")
    branch_shelf = add_location(uow_factory, branch, "shelf", "QF-01", "QF-01")
    made = (("OC 90", "Mahle", "Фильтр масляный", "400"), ("W 712/75", "Mann-Filter", "Фильтр масляный Mann", "500"))
    parts = [create_part(uow_factory, PartForm(article=article, brand=brand, name=name, purchase_price=price))
             for article, brand, name, price in made]  # fmt: skip
    list_supplier = create_supplier(uow_factory, SupplierForm(name="Армтек", delivery_days=2))
    receipt = create_receipt(uow_factory, list_supplier, [
        LineInput(parts[0], Decimal(3), Decimal(400), to_location_id=main_shelf),
        LineInput(parts[0], Decimal(2), Decimal(400), to_location_id=branch_shelf),
        LineInput(parts[1], Decimal(4), Decimal(500), to_location_id=main_shelf)], supplier_invoice="П-1")  # fmt: skip
    post_document(uow_factory, receipt.id, receipt.version)
    add_cross(uow_factory, "OC 90", "Mahle", "W 712/75", "Mann-Filter")
    add_cross(uow_factory, "OC 90", "Mahle", "0451103316", "Bosch")
    path = folder / "armtek.csv"
    path.write_text(PRICE_LIST, encoding="cp1251")
    import_price_list(uow_factory, list_supplier, path, {"article": 0, "brand": 1, "name": 2, "quantity": 3,
                                                         "price": 4, "delivery_days": 5})  # fmt: skip
    secrets = SecretStore()
    for name, form, secret in (
        ("Автоклик", lambda supplier: OnlineSupplierForm(supplier, "abcp", abcp_url, login="api@id77",
                                                          timeout_ms=1000), "pw"),
        ("ШопАПИ", lambda supplier: OnlineSupplierForm(
            supplier, "json", json_url, url_template=FakeJsonSupplier.URL_TEMPLATE,
            field_mapping=FakeJsonSupplier.MAPPING, timeout_ms=1000), "k-42"),
    ):  # fmt: skip
        supplier = create_supplier(uow_factory, SupplierForm(name=name))
        save_online_supplier(uow_factory, form(supplier), secret=secret, secrets=secrets)
    return create_client(uow_factory, ClientForm(surname="Иванов", given_name="Сергей"))


def use_memory_keyring() -> None:
    """The suppliers' passwords in memory: a screenshot run never writes to the desk's real keyring."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())


def quoting_shop(desk: object) -> int:
    """Quoting data and two online suppliers on 127.0.0.1 (tests/integration's fakes), made once for both
    languages; the JSON one answers too late, so the status strip shows a timed-out supplier beside the others."""
    if not _QUOTING_SHOP:
        use_memory_keyring()
        sys.path.insert(0, str(ROOT / "tests" / "integration"))
        from fake_supplier_servers import running  # type: ignore[import-not-found]
        from quoting_shop import make_abcp, make_json_supplier  # type: ignore[import-not-found]

        abcp, shop_api = make_abcp(), make_json_supplier()
        shop_api.behaviour.delay = 3.0
        servers = [running(abcp), running(shop_api)]
        urls = [server.__enter__() for server in servers]  # served until the script ends (daemon threads)
        folder = Path(tempfile.mkdtemp(prefix="asd-quoting-"))
        uow_factory = desk.window.context.uow_factory  # type: ignore[attr-defined]
        _QUOTING_SHOP.append(seed_quoting(uow_factory, folder, urls[0], urls[1]))
        _QUOTING_SHOP.append(servers)
    return int(_QUOTING_SHOP[0])  # type: ignore[call-overload]


def shoot_quoting(desk: object, screen: object, language: str, out_dir: Path) -> None:
    """The brand step, a result with every kind of row and a late supplier, a saved quote with its PDF, suppliers."""
    from PySide6.QtCore import Qt

    client = quoting_shop(desk)
    window = desk.window  # type: ignore[attr-defined]
    page = screen.search  # type: ignore[attr-defined]
    screen.show_page("search")  # type: ignore[attr-defined]
    page.set_client((client, "Иванов Сергей"))
    page.article.setText("oc-90")
    page.start_search()
    settle(desk)
    save(window, out_dir, f"{language}-quoting-brands")
    page.choose_brand("Mahle")
    while page.search.running:
        settle(desk)
    settle(desk)
    for position, offer in enumerate(page.model.offers):
        if offer.best_price or offer.fastest:
            page.model.set_chosen(position, True)
    page.select_offer(0)
    save(window, out_dir, f"{language}-quoting-result")
    dialog = page.open_save_dialog()
    settle(desk)
    save(dialog, out_dir, f"{language}-quoting-save")
    dialog.ok_button.click()
    settle(desk)
    add = page.open_add_dialog()
    settle(desk)
    save(add, out_dir, f"{language}-quoting-add-to-order")
    add.close()
    screen.show_page("quotes")  # type: ignore[attr-defined]
    settle(desk)
    quotes = screen.quotes  # type: ignore[attr-defined]
    if quotes.quote_ids():
        quotes.open_quote(quotes.quote_ids()[0])
        settle(desk)
    save(window, out_dir, f"{language}-quoting-quotes")
    quotes.print_current()
    settle(desk)
    if quotes.previews:
        save(quotes.previews[-1], out_dir, f"{language}-quoting-pdf")
        quotes.previews[-1].close()
    screen.show_page("suppliers")  # type: ignore[attr-defined]
    settle(desk)
    save(window, out_dir, f"{language}-quoting-suppliers")
    suppliers = screen.suppliers  # type: ignore[attr-defined]
    json_supplier = next(row for row in suppliers.online_model.rows if row.kind == "json")
    editor = suppliers.open_online_dialog(json_supplier)
    settle(desk)
    save(editor, out_dir, f"{language}-quoting-online-supplier")
    editor.close()
    screen.show_page("search")  # type: ignore[attr-defined]
    window.setFocus(Qt.FocusReason.OtherFocusReason)
    settle(desk)


def seed_messages(uow_factory: object) -> list[int]:
    """A few messages to demo clients who agreed to them (once: the second language finds them); their ids."""
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from autoservice_desk.services.message_queries import OutboxFilter, client_contacts, list_outbox
    from autoservice_desk.services.message_templates import DEFAULTS, MessageFacts, preview
    from autoservice_desk.services.messaging_settings import get_settings, update_settings
    from autoservice_desk.services.outbox import cancel_message, send_message

    settings = get_settings(uow_factory)  # type: ignore[arg-type]
    if settings.version == 0:  # the shop fills Settings → Messages in once
        update_settings(uow_factory, replace(settings, shop_name=SHOP["shop.name"], shop_phone=SHOP["shop.phone"],
                                             timezone=SHOP["shop.timezone"]))  # type: ignore[arg-type]  # fmt: skip
    zone = UTC
    if rows := list_outbox(uow_factory, OutboxFilter(), zone):  # type: ignore[arg-type]
        return sorted({row.message.client_id for row in rows if row.message.client_id is not None})
    chosen = []
    for client_id in range(1, 200):
        contacts = client_contacts(uow_factory, client_id)  # type: ignore[arg-type]
        if contacts.phone and contacts.service_consent and contacts.vehicle_id:
            chosen.append(contacts)
        if len(chosen) == 6:
            break
    events = ("booking_created", "car_ready", "booking_reminder", "maintenance_due", "car_ready", "visit_follow_up")
    for number, (contacts, event) in enumerate(zip(chosen, events, strict=False)):
        moment = datetime.now(UTC) + timedelta(days=1, hours=number)
        facts = MessageFacts(contacts.client_id, contacts.vehicle_id, moment, amount=Decimal("12450") + number * 990)
        text = preview(uow_factory, DEFAULTS[(event, "ru")], facts).text  # type: ignore[arg-type]
        result = send_message(uow_factory, contacts.client_id, text, template_code=event)  # type: ignore[arg-type]
        if number == 4:
            cancel_message(uow_factory, result.message_id)  # type: ignore[arg-type]
    return [contacts.client_id for contacts in chosen]


def shoot_messages(desk: object, screen: object, language: str, out_dir: Path) -> None:
    """The outbox with messages, the advisors' tasks, the whole Settings → Messages page and the send dialog."""
    from autoservice_desk.ui.screens.messages.send_dialog import SendMessageDialog
    from autoservice_desk.ui.screens.settings.messages_page import MessagesPage

    window = desk.window  # type: ignore[attr-defined]
    clients = seed_messages(window.context.uow_factory)
    screen.outbox.reload()  # type: ignore[attr-defined]
    settle(desk)
    save(window, out_dir, f"{language}-messages-outbox")
    screen.show_page("tasks")  # type: ignore[attr-defined]
    settle(desk)
    save(window, out_dir, f"{language}-messages-tasks")
    screen.show_page("outbox")  # type: ignore[attr-defined]
    page = MessagesPage(window.context)
    page.resize(1100, 1900)
    page.show()
    settle(desk)
    settle(desk)
    save(page, out_dir, f"{language}-settings-messages-full")
    page.close()
    if clients:
        dialog = SendMessageDialog(window.context, clients[0], window)
        dialog.show()
        settle(desk)
        dialog.template.setCurrentIndex(dialog.template.findData("car_ready"))
        settle(desk)
        save(dialog, out_dir, f"{language}-send-message")
        dialog.close()
    settle(desk)


def shoot_language(language: str, environment: object, actor: object, out_dir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from autoservice_desk.app import Desk, install_qt_translator
    from autoservice_desk.i18n import install_language
    from autoservice_desk.ui.dialogs.about import AboutDialog
    from autoservice_desk.ui.dialogs.first_run import FirstRunDialog
    from autoservice_desk.ui.screens.clients import ClientsScreen
    from autoservice_desk.ui.screens.settings import SettingsScreen

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_language(language, environment.paths.cache_dir)  # type: ignore[attr-defined]
    translator = install_qt_translator(app, language)
    desk = Desk(environment)  # type: ignore[arg-type]
    desk.window.resize(*WINDOW_SIZE)
    desk.start()
    deadline = 200
    while desk.dialog is None and deadline:
        settle(desk)
        deadline -= 1
    assert desk.dialog is not None, "the login dialog did not appear"
    settle(desk)
    save(desk.dialog, out_dir, f"{language}-login")
    save(desk.window, out_dir, f"{language}-connected-login")

    assert desk.database is not None
    first_run = FirstRunDialog(desk.database.uow_factory, desk.runner, desk.database.target.describe(), desk.window)
    first_run.show()
    settle(desk)
    save(first_run, out_dir, f"{language}-first-run")
    first_run.close()

    desk.dialog.close()  # type: ignore[union-attr]
    desk.log_in(actor)  # type: ignore[arg-type]
    for key in desk.window.navigation_keys():
        screen = desk.window.show_screen(key)
        settle(desk)
        save(desk.window, out_dir, f"{language}-{key}")
        if isinstance(screen, ClientsScreen):
            shoot_clients(desk, screen, language, out_dir)
        if key == "work_orders":
            shoot_work_orders(desk, screen, language, out_dir)
        if key == "messages":
            shoot_messages(desk, screen, language, out_dir)
        if key == "quoting":
            shoot_quoting(desk, screen, language, out_dir)
        if isinstance(screen, SettingsScreen):
            for page in screen.pages:
                screen.show_page(page)
                settle(desk)
                save(desk.window, out_dir, f"{language}-settings-{page}")
            database = screen.pages["database"]
            screen.show_page("database")
            database.url_edit.setText("postgresql://desk@192.168.1.10:5432/shop")  # type: ignore[attr-defined]
            database.url_edit.textEdited.emit(database.url_edit.text())  # type: ignore[attr-defined]
            settle(desk)
            save(desk.window, out_dir, f"{language}-settings-database-postgresql")
    about = AboutDialog(desk.window.context, desk.window)
    about.show()
    settle(desk)
    save(about, out_dir, f"{language}-about")
    about.close()
    desk.window.close()
    desk.shutdown()
    if translator is not None:
        app.removeTranslator(translator)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out_dir = Path(sys.argv[1]).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen at all: still works, without window frames
    from PySide6.QtWidgets import QApplication

    from autoservice_desk.config import APP_NAME

    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    with tempfile.TemporaryDirectory(prefix="asd-screenshots-") as folder:
        environment, actor = prepare_shop(Path(folder))
        for language in LANGUAGES:
            shoot_language(language, environment, actor, out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
