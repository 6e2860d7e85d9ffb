"""A shop for the Messages screen tests: a client who agreed to service messages, with a phone and a Kia, the
bays and the catalog, the local SMS provider server, and the Settings → Messages page pointed at it."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))  # the provider server lives there
from fake_sms_servers import SMSC_LOGIN, SMSC_PASSWORD, FakeSmsServer  # type: ignore[import-not-found]  # noqa: E402

from autoservice_desk.config import SHOP_TIMEZONE  # noqa: E402
from autoservice_desk.services import event_wiring  # noqa: E402
from autoservice_desk.services.catalog import list_services  # noqa: E402
from autoservice_desk.services.client_forms import ClientForm, PhoneEntry  # noqa: E402
from autoservice_desk.services.clients import create_client, record_consent  # noqa: E402
from autoservice_desk.services.demo_schedule import add_demo_resources  # noqa: E402
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory  # noqa: E402
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle  # noqa: E402
from autoservice_desk.ui.background import BackgroundRunner  # noqa: E402
from autoservice_desk.ui.context import ScreenContext  # noqa: E402
from autoservice_desk.ui.screens.settings.messages_page import MessagesPage  # noqa: E402

ZONE = ZoneInfo("Europe/Moscow")
PHONE = "+79161234567"
__all__ = ["SMSC_LOGIN", "SMSC_PASSWORD", "FakeSmsServer"]


@dataclass(frozen=True)
class MessageShop:
    uow_factory: UnitOfWorkFactory
    client: int
    vehicle: int
    bay: int
    mechanic: int
    services: dict[str, int]


def settle(runner: BackgroundRunner) -> None:
    for _round in range(5):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def make_message_shop(context: ScreenContext, consent: bool = True) -> MessageShop:
    context.environment.settings.set(SHOP_TIMEZONE, "Europe/Moscow")
    event_wiring.install()  # bookings and work orders queue their messages, as in the app
    uow_factory = context.uow_factory
    assert uow_factory is not None
    resources = add_demo_resources(uow_factory)
    client = create_client(uow_factory, ClientForm(surname="Иванов", given_name="Сергей", patronymic="Петрович",
                                                   phones=(PhoneEntry(PHONE),)))  # fmt: skip
    if consent:
        record_consent(uow_factory, client, "service", True, date(2026, 1, 1), "signed form")
    vehicle = create_vehicle(uow_factory, client, VehicleForm(make="Kia", model="Rio", year="2019", plate="А123ВС77"))
    services = {service.code or "": service.id for service in list_services(uow_factory)}
    return MessageShop(uow_factory, client, vehicle, resources.bay_ids[0], resources.mechanic_ids[0], services)


def open_settings(qtbot: QtBot, context: ScreenContext) -> MessagesPage:
    page = MessagesPage(context)
    qtbot.addWidget(page)
    page.resize(1000, 900)
    page.show()
    settle(context.runner)
    assert page.isEnabled(), "the messaging settings were not read"
    return page


def configure_provider(qtbot: QtBot, context: ScreenContext, server: FakeSmsServer) -> MessagesPage:
    """Choose SMSC at the local server with its login and password, no quiet hours (tests run at any hour); Save."""
    page = open_settings(qtbot, context)
    provider = page.provider
    provider.sms_provider.setCurrentIndex(provider.sms_provider.findData("smsc"))
    provider.sms_base_url.setText(server.url)
    provider.sms_login.setText(SMSC_LOGIN)
    provider.secret_edits["smsc"].setText(SMSC_PASSWORD)
    page.shop_name.setText("Автосервис Плюс")
    page.shop_phone.setText("+7 495 000-00-00")
    page.quiet_start.setTime(QTime(0, 0))
    page.quiet_end.setTime(QTime(0, 0))
    page.save_button.click()
    settle(context.runner)
    assert page.status_label.text() == "Saved.", page.status_label.text()
    return page
