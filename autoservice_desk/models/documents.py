"""Printed documents as first printed (number, kind, the PDF itself), so a reprint shows the same content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base
from autoservice_desk.models.types import UTCDateTime


class PrintedDocument(Base):
    """One document as it was handed to the client: its PDF is never re-rendered, a reprint returns these bytes.

    `number` is the number as printed (`СЧ-2026-000012`); `year`/`sequence` are the allocation from
    `document_sequences` for kinds with their own numbering (acts, invoices), unique per kind; a printed work
    order carries the work order's own number and no sequence. `work_order_id` is a plain integer, so documents
    outlive whatever happens to the order. `content_sha256` fingerprints the data the PDF was drawn from: printing
    unchanged data again is a reprint, changed data a new document.
    """

    __tablename__ = "printed_documents"
    __table_args__ = (
        UniqueConstraint("kind", "year", "sequence", name="uq_printed_documents_sequence"),
        Index("ix_printed_documents_work_order", "work_order_id", "kind", "id"),
        Index("ix_printed_documents_client", "client_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    work_order_id: Mapped[int | None] = mapped_column(Integer)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_login: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(8))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content_sha256: Mapped[str] = mapped_column(String(64))
