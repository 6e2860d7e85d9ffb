"""Search terms of clients: which fragments find a client, built in Python from its names, phones, cars and tags."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select

from autoservice_desk.models.clients import Client, ClientPhone, Vehicle
from autoservice_desk.models.search import TERM_LENGTH, ClientSearchTerm
from autoservice_desk.services.text_keys import digits_only, fold_text, plate_key, vin_key
from autoservice_desk.services.unit_of_work import UnitOfWork

CLIENTS = cast(Table, Client.__table__)
PHONES = cast(Table, ClientPhone.__table__)
VEHICLES = cast(Table, Vehicle.__table__)
TERMS = cast(Table, ClientSearchTerm.__table__)


class Kind(IntEnum):
    """What a term is; stored as a number, so never renumber a kind (add new ones at the end)."""

    NAME = 1  # all name words, surname first: "иванов петр сергеевич" (a surname prefix, or "иванов пе")
    WORD = 2  # the name from each further word on, then round: "петр сергеевич иванов", "сергеевич иванов петр"
    TAG = 3  # a folded tag: "постоянный клиент"
    PHONE_TAIL = 4  # E.164 digits reversed, so the last digits typed are a prefix: +79123456789 -> "98765432197"
    PHONE_START = 5  # the number typed from its start, without +7 / 8: "9123456789"
    PLATE = 6  # plate_key: "А123ВС77"
    PLATE_TAIL = 7  # the plate from its first digit: "123ВС77", found by "123", "123вс", "123 bc 77"
    VIN = 8  # vin_key, found by its start (the maker's WMI): "XTA21099..."
    VIN_TAIL = 9  # the VIN reversed, so its last characters (the serial) typed are a prefix


class MatchKind(StrEnum):
    """What the screen says matched."""

    NAME = "name"
    TAG = "tag"
    PHONE = "phone"
    PLATE = "plate"
    VIN = "vin"


_MATCH_KINDS = {
    Kind.NAME: MatchKind.NAME, Kind.WORD: MatchKind.NAME, Kind.TAG: MatchKind.TAG,
    Kind.PHONE_TAIL: MatchKind.PHONE, Kind.PHONE_START: MatchKind.PHONE,
    Kind.PLATE: MatchKind.PLATE, Kind.PLATE_TAIL: MatchKind.PLATE,
    Kind.VIN: MatchKind.VIN, Kind.VIN_TAIL: MatchKind.VIN,
}  # fmt: skip
# A company is looked for by its own name, not by "ООО" that eighty thousand others share.
LEGAL_FORMS = frozenset(
    {"ооо", "оао", "зао", "пао", "ао", "ип", "нко", "ано", "муп", "гуп", "фгуп", "тоо", "llc", "ltd"}
)
_WORD_RE = re.compile(r"\w+")
_LEADING_LETTERS = re.compile(r"^\D+")


def match_kind(kind: Kind) -> MatchKind:
    return _MATCH_KINDS[kind]


def name_words(text: str | None) -> list[str]:
    """Folded words without punctuation: `ООО «Волга-Трейд»` -> ["ооо", "волга", "трейд"]."""
    return _WORD_RE.findall(fold_text(text)) if text else []


def next_prefix(prefix: str) -> str:
    """The least string above every string starting with *prefix* (in code point order): "ива" -> "ивб"."""
    while prefix:
        code = ord(prefix[-1]) + 1
        if code <= 0x10FFFF:
            return prefix[:-1] + chr(0xE000 if 0xD800 <= code <= 0xDFFF else code)  # UTF-8 cannot hold surrogates
        prefix = prefix[:-1]
    raise ValueError("an empty prefix has no upper bound")


# --- Terms of one client --------------------------------------------------------------------------------------------


# Plain ints and lists on this path: demo data builds ten million terms, and enum members and generators add up.
_NAME, _WORD, _TAG = int(Kind.NAME), int(Kind.WORD), int(Kind.TAG)
_PHONE_TAIL, _PHONE_START = int(Kind.PHONE_TAIL), int(Kind.PHONE_START)
_PLATE, _PLATE_TAIL, _VIN, _VIN_TAIL = int(Kind.PLATE), int(Kind.PLATE_TAIL), int(Kind.VIN), int(Kind.VIN_TAIL)


@lru_cache(maxsize=8192)
def _part_words(text: str) -> tuple[str, ...]:
    """name_words of one name part; a million clients share a few thousand surnames, names and companies."""
    return tuple(name_words(text))


def _name_terms(row: Mapping[Any, Any]) -> list[tuple[int, str]]:
    surname, given_name, patronymic = row["surname"], row["given_name"], row["patronymic"]
    person = [
        *(_part_words(surname) if surname else ()),
        *(_part_words(given_name) if given_name else ()),
        *(_part_words(patronymic) if patronymic else ()),
    ]
    company = list(_part_words(row["company_name"])) if row["company_name"] else []
    if company and company[0] in LEGAL_FORMS:
        del company[0]
    terms = []
    for words in (person, company):
        if words:
            terms.append((_NAME, " ".join(words)))
            # Every rotation holds every word, so a query's words in any order are checked on one row. The first
            # word starts the NAME term already; a one-letter word (an initial) is too common to start a range.
            terms += [(_WORD, " ".join(words[start:] + words[:start])) for start in range(1, len(words))
                      if len(words[start]) > 1]  # fmt: skip
    return terms


def _phone_terms(e164: str | None) -> list[tuple[int, str]]:
    digits = e164[1:] if e164 and e164[0] == "+" and e164[1:].isdigit() else digits_only(e164 or "")
    if not digits:
        return []
    return [
        (_PHONE_TAIL, digits[::-1]),
        (_PHONE_START, digits[1:] if len(digits) == 11 and digits[0] == "7" else digits),
    ]


def vehicle_terms(plate: str | None, vin: str | None) -> list[tuple[int, str]]:
    """The (kind, term) pairs a car gives its owner."""
    terms = []
    if plate and (key := plate_key(plate)):
        terms.append((_PLATE, key))
        tail = _LEADING_LETTERS.sub("", key)
        if tail and tail != key:
            terms.append((_PLATE_TAIL, tail))
    if vin and (key := vin_key(vin)):
        terms += [(_VIN, key), (_VIN_TAIL, key[::-1])]
    return terms


def terms_for_rows(
    clients: Iterable[Mapping[Any, Any]],
    phones: Iterable[Mapping[Any, Any]] = (),
    vehicles: Iterable[Mapping[Any, Any]] = (),
    tags: Iterable[tuple[int, str]] = (),
) -> list[dict[str, Any]]:
    """Rows for `client_search_terms`: each (kind, term, client) once, the first vehicle that gave it.

    *clients* need `id`, `surname`, `given_name`, `patronymic`, `company_name`; *phones* `client_id`, `e164`;
    *vehicles* `id`, `owner_id`, `plate`, `vin` (cars without an owner are not searchable); *tags* are
    (client_id, tag). Migration 0002 calls this too: keep the signature compatible.
    """
    found: dict[tuple[int, str, int], int | None] = {}
    add = found.setdefault
    for row in clients:
        client_id = row["id"]
        for kind, term in _name_terms(row):
            add((kind, term[:TERM_LENGTH], client_id), None)
    for row in phones:
        client_id = row["client_id"]
        for kind, term in _phone_terms(row["e164"]):
            add((kind, term[:TERM_LENGTH], client_id), None)
    for row in vehicles:
        if (client_id := row["owner_id"]) is not None:
            for kind, term in vehicle_terms(row["plate"], row["vin"]):
                add((kind, term[:TERM_LENGTH], client_id), row["id"])
    for client_id, tag in tags:
        if term := fold_text(tag):
            add((_TAG, term[:TERM_LENGTH], client_id), None)
    return [
        {"kind": kind, "term": term, "client_id": client_id, "vehicle_id": vehicle_id}
        for (kind, term, client_id), vehicle_id in found.items()
    ]


def client_terms(
    names: Mapping[str, Any],
    e164s: Iterable[str | None] = (),
    vehicles: Iterable[tuple[int, str | None, str | None]] = (),
    tags: Iterable[str] = (),
) -> dict[tuple[int, str], int | None]:
    """One client's terms exactly as terms_for_rows makes them: (kind, term) -> the first vehicle that gave it.

    For callers that have a client's parts at hand (the demo generator): *names* needs `surname`, `given_name`,
    `patronymic`, `company_name`; *vehicles* are (id, plate, vin) of the cars the client owns.
    """
    found: dict[tuple[int, str], int | None] = {}
    add = found.setdefault
    for kind, term in _name_terms(names):
        add((kind, term[:TERM_LENGTH]), None)
    for e164 in e164s:
        for kind, term in _phone_terms(e164):
            add((kind, term[:TERM_LENGTH]), None)
    for vehicle_id, plate, vin in vehicles:
        for kind, term in vehicle_terms(plate, vin):
            add((kind, term[:TERM_LENGTH]), vehicle_id)
    for tag in tags:
        if term := fold_text(tag):
            add((_TAG, term[:TERM_LENGTH]), None)
    return found


def index_client(uow: UnitOfWork, client_id: int, tags: Iterable[str] = ()) -> None:
    """Rebuild *client_id*'s terms from its rows as they are now in this unit of work (none once it is deleted).

    Call it after every change to a client's names, phones, cars (both owners when a car changes hands) or
    tags, inside the same unit of work, before the commit. *tags* come from the caller until tags are stored.
    """
    uow.session.flush()
    connection = uow.session.connection()
    connection.execute(delete(TERMS).where(TERMS.c.client_id == client_id))
    names = CLIENTS.c.id, CLIENTS.c.surname, CLIENTS.c.given_name, CLIENTS.c.patronymic, CLIENTS.c.company_name
    # A card merged into another is no longer found: its terms went to the survivor.
    live = (CLIENTS.c.id == client_id) & CLIENTS.c.merged_into_id.is_(None)
    clients = connection.execute(select(*names).where(live)).mappings().all()
    if not clients:
        return
    phones = connection.execute(select(PHONES.c.client_id, PHONES.c.e164).where(PHONES.c.client_id == client_id))
    cars = VEHICLES.c.id, VEHICLES.c.owner_id, VEHICLES.c.plate, VEHICLES.c.vin
    vehicles = connection.execute(select(*cars).where(VEHICLES.c.owner_id == client_id))
    rows = terms_for_rows(
        clients, phones.mappings().all(), vehicles.mappings().all(), [(client_id, tag) for tag in tags]
    )
    if rows:
        connection.execute(insert(TERMS), rows)
