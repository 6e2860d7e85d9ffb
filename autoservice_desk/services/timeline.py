"""The client timeline: a registry of event kinds other modules add to, and the paged, chronological reading of it.

A module that has something to say about a client (a booking, a work order, a message, a call) registers its
kind once at import with `register_kind`, then calls `add_event` inside the unit of work that made the change,
so the event commits or rolls back with it. The screen reads `list_events` and shows each kind's label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.security import User
from autoservice_desk.models.timeline import TimelineEvent
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

SUMMARY_LENGTH = 500


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str  # untranslated (N_), translated when shown


_KINDS: dict[str, EventKind] = {}


def register_kind(code: str, label: str) -> EventKind:
    """Declare a timeline kind (*label* marked with `N_`); registering the same code twice keeps the first."""
    return _KINDS.setdefault(code, EventKind(code, label))


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return _(kind.label) if kind else code


NOTE = register_kind("note", N_("Note"))
CARD_CHANGE = register_kind("card", N_("Card changed"))
VEHICLE = register_kind("vehicle", N_("Car"))
CONSENT = register_kind("consent", N_("Consent"))
MERGE = register_kind("merge", N_("Merge"))
# Kinds the later modules fill; declared here so their labels are known even before those modules exist.
for _code, _label in (
    ("visit", N_("Visit")), ("booking", N_("Booking")), ("work_order", N_("Work order")),
    ("message", N_("Message")), ("call", N_("Call")), ("document", N_("Document")), ("quote", N_("Quote")),
):  # fmt: skip
    register_kind(_code, _label)


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    occurred_at: datetime
    kind: str
    kind_label: str
    summary: str
    body: str | None
    entity: str | None
    entity_id: int | None
    actor_login: str | None


def add_event(
    uow: UnitOfWork,
    client_id: int,
    kind: EventKind,
    summary: str,
    *,
    body: str | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    occurred_at: datetime | None = None,
) -> None:
    """Add an event to *client_id*'s timeline in *uow*'s transaction."""
    if kind.code not in _KINDS:
        raise ValueError(f"timeline kind {kind.code!r} is not registered")
    uow.session.add(
        TimelineEvent(
            client_id=client_id, occurred_at=occurred_at or uow.clock(), kind=kind.code,
            summary=summary[:SUMMARY_LENGTH], body=body, entity=entity, entity_id=entity_id,
            actor_id=uow.actor.user_id,
        )
    )  # fmt: skip
    uow.mark_changed("timeline", client_id)


@dataclass(frozen=True)
class TimelineCursor:
    occurred_at: datetime
    id: int


def list_events(
    uow_factory: UnitOfWorkFactory, client_id: int, *, before: TimelineCursor | None = None, limit: int = 100
) -> list[TimelineEntry]:
    """The newest *limit* events of *client_id* older than *before* (keyset paging, newest first)."""

    def work(uow: UnitOfWork) -> list[TimelineEntry]:
        statement = (
            select(TimelineEvent, User.login)
            .outerjoin(User, User.id == TimelineEvent.actor_id)
            .where(TimelineEvent.client_id == client_id)
            .order_by(TimelineEvent.occurred_at.desc(), TimelineEvent.id.desc())
            .limit(limit)
        )
        if before is not None:
            statement = statement.where(
                or_(
                    TimelineEvent.occurred_at < before.occurred_at,
                    and_(TimelineEvent.occurred_at == before.occurred_at, TimelineEvent.id < before.id),
                )
            )
        return [
            TimelineEntry(
                event.id,
                event.occurred_at,
                event.kind,
                kind_label(event.kind),
                event.summary,
                event.body,
                event.entity,
                event.entity_id,
                login,
            )  # fmt: skip
            for event, login in uow.session.execute(statement)
        ]

    return run_in_transaction(uow_factory, work, read_only=True)
