"""Time zone names for the shop's time zone field: Russia's zones first (west to east), then all the others."""

from __future__ import annotations

import zoneinfo

RUSSIAN_ZONES = (
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Kirov", "Europe/Volgograd", "Europe/Astrakhan", "Europe/Saratov",
    "Europe/Ulyanovsk", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Barnaul",
    "Asia/Tomsk", "Asia/Novokuznetsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Chita", "Asia/Yakutsk",
    "Asia/Khandyga", "Asia/Vladivostok", "Asia/Ust-Nera", "Asia/Magadan", "Asia/Sakhalin", "Asia/Srednekolymsk",
    "Asia/Kamchatka", "Asia/Anadyr",
)  # fmt: skip


def time_zone_names() -> list[str]:
    """Zone names this computer knows; the list is read once per Settings screen, not at start-up."""
    available = zoneinfo.available_timezones()
    first = [zone for zone in RUSSIAN_ZONES if zone in available or not available]
    rest = sorted(zone for zone in available if zone not in RUSSIAN_ZONES and not zone.startswith(("Etc/", "SystemV/")))
    return first + rest
