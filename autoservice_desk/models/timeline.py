"""The client timeline: one row per thing that happened with a client, written by whichever module it happened in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base
from autoservice_desk.models.types import UTCDateTime


class TimelineEvent(Base):
    """An event on a client's timeline: a note, a card change, later a booking, a work order, a message, a call.

    `kind` names a kind registered in `services.timeline`; `entity`/`entity_id` point at the record the event is
    about, so the screen can open it; `summary` is the line shown, already in words.
    """

    __tablename__ = "client_timeline"
    __table_args__ = (Index("ix_client_timeline_client_id", "client_id", "occurred_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
