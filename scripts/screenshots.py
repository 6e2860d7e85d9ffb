"""PNG screenshots of every screen and start-up dialog, in English and Russian, over a demo shop.

    python scripts/screenshots.py OUT_DIR      (tasks.py screenshots runs it under xvfb-run)

Everything happens in a temporary home with its own SQLite database (300 demo clients), so the desk's own
settings and data are never touched. Files are named OUT_DIR/<language>-<screen>[-<page>].png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

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
