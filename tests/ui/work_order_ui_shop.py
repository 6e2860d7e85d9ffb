"""A shop for the work-order screen tests: bays and mechanics, a client with a Kia Rio, norms for it, brake pads on a
shelf, and a booking of the car for scheduled maintenance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.services import event_wiring
from autoservice_desk.services.bookings import BookingRequest, JobLine, create_booking
from autoservice_desk.services.catalog import list_services
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.demo_schedule import add_demo_resources
from autoservice_desk.services.labour_norms import NormForm, add_norm
from autoservice_desk.services.locations import add_location
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.parts import create_part
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle
from autoservice_desk.ui.background import BackgroundRunner
from autoservice_desk.ui.context import ScreenContext

D = Decimal
ZONE = ZoneInfo("Europe/Moscow")


@dataclass(frozen=True)
class UiShop:
    uow_factory: UnitOfWorkFactory
    client: int
    vehicle: int
    mechanic: int
    bay: int
    shelf: int
    pads: int
    services: dict[str, int]
    booking: int


def settle(runner: BackgroundRunner) -> None:
    for _round in range(5):
        assert runner.wait_for_idle()
        QApplication.processEvents()


def make_ui_shop(context: ScreenContext) -> UiShop:
    context.environment.settings.set(SHOP_TIMEZONE, "Europe/Moscow")
    event_wiring.install()  # a car that arrives opens its work order, as in the app
    uow_factory = context.uow_factory
    assert uow_factory is not None
    resources = add_demo_resources(uow_factory)
    client = create_client(uow_factory, ClientForm(surname="Ivanov", given_name="Sergei"))
    vehicle = create_vehicle(uow_factory, client, VehicleForm(make="Kia", model="Rio", year="2019", plate="А123ВС77"))
    services = {service.code or "": service.id for service in list_services(uow_factory)}
    add_norm(uow_factory, services["TO-1"], NormForm(make="Kia", model="Rio", hours="1.4"))
    add_norm(uow_factory, services["TO-AIR"], NormForm(make="Kia", model="Rio", hours="0.3"))
    warehouse = add_location(uow_factory, None, "warehouse", "Main")
    rack = add_location(uow_factory, warehouse, "rack", "A", "A")
    shelf = add_location(uow_factory, rack, "shelf", "01")
    pads = create_part(uow_factory, PartForm(article="0986494104", brand="Bosch", name="Brake pads",
                                             purchase_price="1500", sale_price="2500"))  # fmt: skip
    supplier = create_supplier(uow_factory, SupplierForm(name="Armtek"))
    draft = create_receipt(uow_factory, supplier, [LineInput(pads, D(4), D("1500"), to_location_id=shelf)],
                           supplier_invoice="СЧ-1")  # fmt: skip
    post_document(uow_factory, draft.id, draft.version)
    today = datetime.now(ZONE).date()
    booking = create_booking(
        uow_factory,
        BookingRequest(client, vehicle, datetime.combine(today, time(10), ZONE), (JobLine(services["TO-1"]),),
                       bay_id=resources.bay_ids[0], mechanic_ids=(resources.mechanic_ids[0],)),
        ZONE,
    )  # fmt: skip
    return UiShop(uow_factory, client, vehicle, resources.mechanic_ids[0], resources.bay_ids[0], shelf, pads,
                  services, booking.id)  # fmt: skip
