"""Drawing realistic demo clients — names, phones, e-mails, cars, visits and consents — from one seeded stream.

The drafts have no ids yet; services.demo_data numbers them and writes them.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, TypeVar

from autoservice_desk.services import demo_catalog as catalog
from autoservice_desk.services import demo_history as history
from autoservice_desk.services.client_names import sort_key
from autoservice_desk.services.demo_catalog import CarModel, RegionGroup
from autoservice_desk.services.demo_identity import transliterate

COMPANY_SHARE = 0.08
FEMALE_SHARE = 0.42
NO_PATRONYMIC_SHARE = 0.1
SECOND_PHONE_SHARE = 0.25
UNREGISTERED_SHARE = 0.02  # cars bought days ago, still without plates
BIRTHDAYS = (date(1945, 1, 1).toordinal(), date(2006, 12, 31).toordinal())

T = TypeVar("T")


class DemoRandom(random.Random):
    """random.Random whose choice, randint and one-argument randrange go straight to the draw they make.

    The same numbers as the library's (they wrap `_randbelow` too), so a seed still gives the same shop, at a
    fraction of the cost: a million clients take some fifteen million of these calls.
    """

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        if not seq:
            raise IndexError("cannot choose from an empty sequence")
        return seq[self._randbelow(len(seq))]  # type: ignore[attr-defined]

    def randint(self, a: int, b: int) -> int:
        if b < a:
            raise ValueError(f"empty range in randint({a}, {b})")
        return a + self._randbelow(b - a + 1)  # type: ignore[attr-defined]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None and step == 1 and start > 0:
            return self._randbelow(start)  # type: ignore[attr-defined]
        return super().randrange(start, stop, step)


class VehicleDraft(NamedTuple):
    car: CarModel
    year: int
    colour: str
    region: RegionGroup | None
    readings: list[tuple[date, int]]


class ClientDraft(NamedTuple):
    row: dict[str, Any]
    phones: list[str]
    vehicles: list[VehicleDraft]
    tags: list[str]
    consents: list[tuple[str, bool, date, str]]
    since: date  # the day the client's cars became theirs in our books


@dataclass
class Drafter:
    """Draws clients from one seeded random stream, so a seed always gives the same shop."""

    rng: random.Random
    vehicles_per_client: float
    today: date = date(2026, 1, 1)
    _car_weights: list[int] = field(default_factory=list)
    _region_weights: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._car_weights = list(itertools.accumulate(car.weight for car in catalog.CAR_MODELS))
        self._region_weights = list(itertools.accumulate(region.weight for region in catalog.PLATE_REGIONS))

    def person(self, patronymic_share: float = 1 - NO_PATRONYMIC_SHARE) -> tuple[str, str, str | None]:
        rng = self.rng
        male_surname, female_surname = rng.choice(catalog.SURNAMES)
        _father, son_of, daughter_of = rng.choice(catalog.MALE_NAMES)
        if rng.random() < FEMALE_SHARE:
            surname, given, patronymic = female_surname, rng.choice(catalog.FEMALE_NAMES), daughter_of
        else:
            surname, given, patronymic = male_surname, rng.choice(catalog.MALE_NAMES)[0], son_of
        return surname, given, patronymic if rng.random() < patronymic_share else None

    def person_email(self, surname: str, given: str, birthday: date | None) -> str:
        rng = self.rng
        last, first = transliterate(surname), transliterate(given)
        style = rng.randrange(5)
        if style == 0:
            local = f"{first}.{last}"
        elif style == 1:
            local = f"{last}.{first}"
        elif style == 2:
            local = f"{first[0]}.{last}"
        elif style == 3:
            local = f"{last}{(birthday.year if birthday else rng.randint(1960, 2005)) % 100:02d}"
        else:
            local = f"{last}_{first}{rng.randint(1, 99)}"
        return f"{local}@{rng.choice(catalog.EMAIL_DOMAINS)}"

    def client(self) -> ClientDraft:
        rng = self.rng
        row: dict[str, Any] = dict.fromkeys(("surname", "given_name", "patronymic", "company_name", "email"))
        row.update(kind="person", birthday=None, notes=None)
        if rng.random() < COMPANY_SHARE:
            self._fill_company(row)
        else:
            row["surname"], row["given_name"], row["patronymic"] = self.person()
            if rng.random() < 0.8:
                row["birthday"] = date.fromordinal(rng.randint(*BIRTHDAYS))
            if rng.random() < 0.65:
                row["email"] = self.person_email(row["surname"], row["given_name"], row["birthday"])
        if rng.random() < 0.05:
            row["notes"] = rng.choice(catalog.CLIENT_NOTES)
        phones = [self.phone() for _ in range(2 if rng.random() < SECOND_PHONE_SHARE else 1)]
        whole = int(self.vehicles_per_client)
        count = whole + (1 if rng.random() < self.vehicles_per_client - whole else 0)
        visits = history.draw_visits(rng, self.today)
        row.update(history.visit_columns(visits))
        row["sort_key"] = sort_key(
            row["kind"], row["surname"], row["given_name"], row["patronymic"], row["company_name"]
        )
        row["source"], tags = history.draw_card_extras(rng)
        consents = history.draw_consents(rng, visits, self.today)
        since = visits[0] if visits else self.today
        return ClientDraft(row, phones, [self.vehicle(visits) for _ in range(count)], tags, consents, since)

    def _fill_company(self, row: dict[str, Any]) -> None:
        rng = self.rng
        row["kind"] = "company"
        if rng.random() < 0.4:  # a sole trader: the client card shows the person too
            surname, given, patronymic = self.person()
            initials = f"{given[0]}. {patronymic[0]}." if patronymic else f"{given[0]}."
            row.update(surname=surname, given_name=given, patronymic=patronymic)
            row["company_name"] = f"{catalog.SOLE_TRADER_PREFIX} {surname} {initials}"
            if rng.random() < 0.7:
                row["email"] = self.person_email(surname, given, None)
        else:
            row["company_name"] = name = rng.choice(catalog.COMPANY_NAMES)
            if rng.random() < 0.85:
                box = rng.choice(("info", "office", "zakaz", "buh"))
                row["email"] = f"{box}@{transliterate(name.split('«')[-1].rstrip('»'))}.ru"

    def phone(self) -> str:
        return f"+7{self.rng.choice(catalog.MOBILE_CODES)}{self.rng.randrange(10**7):07d}"

    def vehicle(self, visits: list[date]) -> VehicleDraft:
        rng = self.rng
        car = catalog.CAR_MODELS[bisect.bisect(self._car_weights, rng.random() * self._car_weights[-1])]
        # The newer of two draws: a shop sees more young cars than old ones.
        year = max(rng.randint(car.first_year, car.last_year), rng.randint(car.first_year, car.last_year))
        region = None
        if rng.random() >= UNREGISTERED_SHARE:
            region_index = bisect.bisect(self._region_weights, rng.random() * self._region_weights[-1])
            region = catalog.PLATE_REGIONS[region_index]
        readings = history.draw_readings(rng, year, visits, self.today)
        return VehicleDraft(car, year, rng.choice(catalog.COLOURS), region, readings)
