"""The demo shop's history: visits, mileage readings, consents, tags and sources, drawn from a seeded stream."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from autoservice_desk.services import demo_catalog as catalog

MAX_VISITS = 9
HISTORY_YEARS = 6
SERVICE_CONSENT_SHARE = 0.7
MARKETING_CONSENT_SHARE = 0.35
TAGGED_SHARE = 0.06
MAX_READINGS = 3


def draw_visits(rng: random.Random, today: date) -> list[date]:
    """Visit days, oldest first: none for a few (booked, never came), a long tail of regulars."""
    count = min(int(rng.expovariate(1 / 2.2)), MAX_VISITS)
    if count == 0:
        return []
    day = today - timedelta(days=rng.randint(30, 365 * HISTORY_YEARS))
    visits = []
    for _ in range(count):
        if day > today:
            break
        visits.append(day)
        day += timedelta(days=rng.randint(60, 500))
    return visits


def visit_columns(visits: list[date]) -> dict[str, Any]:
    return {
        "visit_count": len(visits),
        "first_visit_on": visits[0] if visits else None,
        "previous_visit_on": visits[-2] if len(visits) > 1 else None,
        "last_visit_on": visits[-1] if visits else None,
    }


def draw_readings(rng: random.Random, year: int, visits: list[date], today: date) -> list[tuple[date, int]]:
    """Odometer readings at the last few visits (or one at entry), growing with the car's age."""
    days = visits[-MAX_READINGS:] or [today - timedelta(days=rng.randint(0, 60))]
    per_day = rng.uniform(25, 70)
    start = date(year, 1, 1)
    return [(day, max(0, int((day - start).days * per_day)) // 10 * 10) for day in days]


def draw_card_extras(rng: random.Random) -> tuple[str | None, list[str]]:
    """(source, tags) of a client."""
    source = rng.choice(catalog.CLIENT_SOURCES) if rng.random() < 0.75 else None
    tags = [rng.choice(catalog.CLIENT_TAGS)] if rng.random() < TAGGED_SHARE else []
    return source, tags


def draw_consents(rng: random.Random, visits: list[date], today: date) -> list[tuple[str, bool, date, str]]:
    """(kind, granted, given on, source) rows: most clients agree to service messages at the first visit."""
    day = visits[0] if visits else today
    consents = []
    if rng.random() < SERVICE_CONSENT_SHARE:
        consents.append(("service", True, day, rng.choice(catalog.CONSENT_SOURCES)))
    if rng.random() < MARKETING_CONSENT_SHARE:
        consents.append(("marketing", True, day, rng.choice(catalog.CONSENT_SOURCES)))
    return consents
