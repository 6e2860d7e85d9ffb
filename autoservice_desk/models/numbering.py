"""Document-number sequences: per document type and year, allocated inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base


class DocumentSequence(Base):
    """The last number issued for (document type, year); the row lock serialises concurrent desks."""

    __tablename__ = "document_sequences"
    __table_args__ = (CheckConstraint("last_number >= 0", name="last_number_not_negative"),)

    document_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
