"""Identity parsers of the client card: phones, VINs, chassis numbers and plates, as pure functions."""

from __future__ import annotations

from autoservice_desk.services.identity.phones import format_phone, parse_phone
from autoservice_desk.services.identity.plates import PlateInfo, PlateKind, parse_plate
from autoservice_desk.services.identity.vin import VinInfo, parse_chassis_number, parse_vin, vin_check_digit

__all__ = [
    "PlateInfo",
    "PlateKind",
    "VinInfo",
    "format_phone",
    "parse_chassis_number",
    "parse_phone",
    "parse_plate",
    "parse_vin",
    "vin_check_digit",
]
