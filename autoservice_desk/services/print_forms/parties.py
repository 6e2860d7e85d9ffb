"""Rows naming the shop, the client and the car, shared by the work order and the acts."""

from __future__ import annotations

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import _
from autoservice_desk.services.print_forms.data import CarDetails, ClientDetails, ShopDetails
from autoservice_desk.services.print_forms.layout import join, tax_ids


def shop_party(shop: ShopDetails) -> str:
    return join(shop.company, tax_ids(shop.inn, shop.kpp), shop.address,
                _("phone {phone}").format(phone=shop.phone) if shop.phone else "")  # fmt: skip


def client_party(client: ClientDetails) -> str:
    return join(client.name, tax_ids(client.inn, client.kpp), client.address,
                _("phone {phone}").format(phone=client.phone) if client.phone else "")  # fmt: skip


def car_name(car: CarDetails) -> str:
    """`Lada Vesta, 2021`."""
    return join(car.make_model, str(car.year) if car.year else "")


def car_rows(car: CarDetails) -> list[tuple[str, str]]:
    """Car, plate, VIN, colour, mileage and fuel as label/value rows (empty ones are left out by the table)."""
    mileage = _("{km} km").format(km=format_number(car.mileage_km)) if car.mileage_km is not None else ""
    return [
        (_("Car"), car_name(car)),
        (_("Registration plate"), car.plate),
        (_("VIN"), car.vin),
        (_("Colour"), car.colour),
        (_("Mileage"), mileage),
        (_("Fuel level"), car.fuel_level),
    ]
