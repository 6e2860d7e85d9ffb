"""Search terms: every fragment a client can be found by, folded in Python and searched as index prefix ranges."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base

TERM_LENGTH = 64
# Byte order (code point order), whatever the database's collation: every search is `term >= :q AND term < :next`
# with the bound computed in Python, which is only right in code point order. SQLite's default BINARY is that already.
SearchTermText = String(TERM_LENGTH).with_variant(String(TERM_LENGTH, collation="C"), "postgresql")


class ClientSearchTerm(Base):
    """One term of one client, e.g. (phone tail, "9876543219", client 7); kinds are `services.client_search.Kind`.

    The primary key (kind, term, client_id) is the search index: one kind's prefix range, already in result
    order. On SQLite the table is WITHOUT ROWID, so that key is the table itself (half the size of a rowid
    table plus an index). A batch migration that rebuilds this table must pass `sqlite_with_rowid=False` again.
    (client_id, kind, term) answers "does this client have a better match", which ranking asks for every hit.
    Rows are rebuilt by `services.client_search.index_client`; the foreign keys only clean up after deletes.
    """

    __tablename__ = "client_search_terms"
    __table_args__ = (
        PrimaryKeyConstraint("kind", "term", "client_id", name="pk_client_search_terms"),
        Index("ix_client_search_terms_client_id", "client_id", "kind", "term"),
        # Only vehicle terms carry a vehicle; the index lets deleting a car find its terms without a full scan.
        Index(
            "ix_client_search_terms_vehicle_id",
            "vehicle_id",
            sqlite_where=text("vehicle_id IS NOT NULL"),
            postgresql_where=text("vehicle_id IS NOT NULL"),
        ),
        {"sqlite_with_rowid": False},
    )

    kind: Mapped[int] = mapped_column(SmallInteger)
    term: Mapped[str] = mapped_column(SearchTermText)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"))
