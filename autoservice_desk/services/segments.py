"""Client segments from visit history: the one place the rules live.

A client's segment, checked in this order:

1. **blocked** — set by hand with a reason (the client is not served / not messaged); nothing else applies.
2. **lost** — has visited, and the last visit is more than `lost_after_days` ago (settings, default 365).
3. **returned** — the last visit came after a gap of more than `lost_after_days` since the visit before it,
   and is itself recent (not lost): a lost client who came back.
4. **new** — no visit yet, or the first visit is within `new_within_days` (default 90) and there is only one.
5. **loyal** — at least `loyal_min_visits` visits (default 5), not lost.
6. **active** — everyone else: has visited, recently enough.

A "visit" is a day the client's car was in the shop (a work order opened); the work-order module reports visits
through `record_visit`, which keeps the counters on the client row so that segments of a million clients cost
nothing to compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.clients import Client
from autoservice_desk.services.errors import NotFoundError
from autoservice_desk.services.unit_of_work import UnitOfWork


class Segment(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    LOYAL = "loyal"
    RETURNED = "returned"
    LOST = "lost"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return _(SEGMENT_LABELS[self])


SEGMENT_LABELS = {
    Segment.NEW: N_("New"),
    Segment.ACTIVE: N_("Active"),
    Segment.LOYAL: N_("Loyal"),
    Segment.RETURNED: N_("Returned"),
    Segment.LOST: N_("Lost"),
    Segment.BLOCKED: N_("Blocked"),
}


@dataclass(frozen=True)
class SegmentRules:
    """The thresholds, from settings (`clients.*`); the defaults are the settings' defaults."""

    new_within_days: int = 90
    lost_after_days: int = 365
    loyal_min_visits: int = 5


@dataclass(frozen=True)
class VisitHistory:
    visit_count: int = 0
    first_visit_on: date | None = None
    previous_visit_on: date | None = None
    last_visit_on: date | None = None
    blocked: bool = False


def segment_of(history: VisitHistory, today: date, rules: SegmentRules) -> Segment:
    """The segment of a client with *history* on *today* (see the module docstring for the rules)."""
    if history.blocked:
        return Segment.BLOCKED
    last = history.last_visit_on
    if last is None or history.visit_count == 0:
        return Segment.NEW
    if (today - last).days > rules.lost_after_days:
        return Segment.LOST
    previous = history.previous_visit_on
    if previous is not None and (last - previous).days > rules.lost_after_days:
        return Segment.RETURNED
    first = history.first_visit_on or last
    if history.visit_count == 1 and (today - first).days <= rules.new_within_days:
        return Segment.NEW
    if history.visit_count >= rules.loyal_min_visits:
        return Segment.LOYAL
    return Segment.ACTIVE


def history_of(client: Client) -> VisitHistory:
    return VisitHistory(
        client.visit_count, client.first_visit_on, client.previous_visit_on, client.last_visit_on,
        client.blocked_at is not None,
    )  # fmt: skip


def record_visit(uow: UnitOfWork, client_id: int, day: date) -> None:
    """Count a visit of *client_id* on *day* (once per day), inside the caller's unit of work."""
    client = uow.session.scalar(select(Client).where(Client.id == client_id).with_for_update())
    if client is None:
        raise NotFoundError(_("The client no longer exists."))
    if client.last_visit_on == day:
        return
    if client.last_visit_on is not None and day < client.last_visit_on:
        client.visit_count += 1  # a late entry of an old visit counts but does not move "last"
        client.first_visit_on = min(client.first_visit_on or day, day)
        return
    client.previous_visit_on = client.last_visit_on
    client.last_visit_on = day
    client.first_visit_on = client.first_visit_on or day
    client.visit_count += 1
    uow.mark_changed("client", client_id)
