"""Human document numbers: gap-free per type and year, safe when several desks allocate at once."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from autoservice_desk.models.numbering import DocumentSequence
from autoservice_desk.services.unit_of_work import UnitOfWork


def next_number(uow: UnitOfWork, document_type: str, year: int) -> int:
    """Allocate the next number of *document_type* for *year* inside *uow*'s transaction.

    The number belongs to the caller's transaction: if it rolls back, the number is handed out again,
    so there are no gaps. The UPDATE takes a row lock on PostgreSQL (the other desk waits for our commit);
    on SQLite the whole write transaction already holds the database lock (BEGIN IMMEDIATE).
    """
    session = uow.session
    values = {"document_type": document_type, "year": year, "last_number": 0}
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(DocumentSequence).values(values).on_conflict_do_nothing())
    allocated = session.execute(
        update(DocumentSequence)
        .where(DocumentSequence.document_type == document_type, DocumentSequence.year == year)
        .values(last_number=DocumentSequence.last_number + 1)
        .returning(DocumentSequence.last_number)
    ).scalar_one()
    return int(allocated)


def last_number(uow: UnitOfWork, document_type: str, year: int) -> int:
    """The last number issued so far (0 when none)."""
    value = uow.session.scalar(
        select(DocumentSequence.last_number).where(
            DocumentSequence.document_type == document_type, DocumentSequence.year == year
        )
    )
    return int(value or 0)


def format_number(prefix: str, year: int, number: int) -> str:
    """`ЗН-2026-000123`: prefix, year and a zero-padded number that sorts as text."""
    return f"{prefix}-{year}-{number:06d}"
