"""Printed documents kept as first printed: numbered, rendered once, stored with their PDF, listed, reprinted."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from autoservice_desk.i18n import N_, _, current_language
from autoservice_desk.models.clients import Client
from autoservice_desk.models.documents import PrintedDocument
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.errors import NotFoundError, PermissionDeniedError
from autoservice_desk.services.numbering import format_number, next_number
from autoservice_desk.services.print_forms import DocumentForm, kind_of, render
from autoservice_desk.services.print_forms.data import KIND_TITLES, DocumentKind
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

PRINT_ROLES = ("advisor", "manager")
# Printed before the number of the kinds numbered here: "INV-2026-000012" (СЧ-2026-000012 in Russian).
# A printed work order carries the work order's own number instead.
NUMBER_PREFIXES = {
    DocumentKind.HANDOVER_ACT: N_("HA"),
    DocumentKind.COMPLETION_ACT: N_("CA"),
    DocumentKind.INVOICE: N_("INV"),
}
ENTITY = "printed_document"
DOCUMENT_EVENT = timeline.register_kind("document", N_("Document"))
_COLUMNS = (
    PrintedDocument.id, PrintedDocument.kind, PrintedDocument.number, PrintedDocument.title,
    PrintedDocument.work_order_id, PrintedDocument.client_id, PrintedDocument.created_at,
    PrintedDocument.actor_login, PrintedDocument.language, PrintedDocument.size, PrintedDocument.sha256,
)  # fmt: skip
# Every column but the PDF: a list of a hundred documents need not read five megabytes.
_WITHOUT_PDF = select(*_COLUMNS)


@dataclass(frozen=True)
class PrintedDocumentInfo:
    """A stored document without its bytes (get_document_pdf fetches those); *reprinted* when printing found it."""

    id: int
    kind: DocumentKind
    number: str
    title: str
    work_order_id: int | None
    client_id: int | None
    created_at: datetime
    actor_login: str
    language: str
    size: int
    sha256: str
    reprinted: bool = False

    @property
    def kind_label(self) -> str:
        return _(KIND_TITLES[self.kind])


def sequence_name(kind: DocumentKind) -> str:
    """The numbering.next_number type of *kind*: acts and invoices each count from 1 every year."""
    return f"document_{kind.value}"


def content_fingerprint(form: DocumentForm) -> str:
    """A hash of what the document says apart from its own number and date, so the same content is recognised."""
    neutral = dataclasses.replace(form, number="", issued_on=date.min)
    return hashlib.sha256(f"{current_language()}|{neutral!r}".encode()).hexdigest()


def require_printer(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*PRINT_ROLES):
        raise PermissionDeniedError(_("Only service advisors, managers and administrators can print documents."))


def store_document(
    uow: UnitOfWork, form: DocumentForm, *, work_order_id: int | None = None, client_id: int | None = None
) -> PrintedDocumentInfo:
    """Number, render and keep *form* in *uow*'s transaction (the caller commits); a client timeline entry too.

    A form without a number gets the next one of its kind for its year; a form with one (a work order) keeps it.
    When the same kind for the same work order and client was printed before with the same content, nothing is
    numbered or drawn: that document comes back unchanged, marked as reprinted.
    """
    require_printer(uow)
    kind = kind_of(form)
    fingerprint = content_fingerprint(form)
    earlier = uow.session.scalar(
        select(PrintedDocument)
        .where(PrintedDocument.kind == kind.value, PrintedDocument.content_sha256 == fingerprint,
               PrintedDocument.work_order_id == work_order_id, PrintedDocument.client_id == client_id)
        .order_by(PrintedDocument.id.desc())
        .limit(1)
    )  # fmt: skip
    if earlier is not None:
        return dataclasses.replace(_info(earlier), reprinted=True)
    year, sequence = form.issued_on.year, None
    if not form.number:
        if kind not in NUMBER_PREFIXES:
            raise ValueError(f"a {kind.value} is printed under the number it already has")
        sequence = next_number(uow, sequence_name(kind), year)
        form = dataclasses.replace(form, number=format_number(_(NUMBER_PREFIXES[kind]), year, sequence))
    pdf = render(form)
    title = _("{title} No. {number}").format(title=_(KIND_TITLES[kind]), number=form.number)
    document = PrintedDocument(
        kind=kind.value, number=form.number, year=year, sequence=sequence, work_order_id=work_order_id,
        client_id=client_id, created_at=uow.clock(), actor_id=uow.actor.user_id, actor_login=uow.actor.login,
        title=title, language=current_language(), pdf=pdf, size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
        content_sha256=fingerprint,
    )  # fmt: skip
    uow.session.add(document)
    uow.session.flush()
    audit.record(uow, ENTITY, document.id, "print", None, {
        "kind": kind.value, "number": form.number, "work_order_id": work_order_id, "client_id": client_id,
        "sha256": document.sha256,
    })  # fmt: skip
    if client_id is not None:
        timeline.add_event(uow, client_id, DOCUMENT_EVENT, title, entity=ENTITY, entity_id=document.id)
    uow.mark_changed(ENTITY, document.id)
    return _info(document)


def print_document(
    uow_factory: UnitOfWorkFactory,
    form: DocumentForm,
    *,
    work_order_id: int | None = None,
    client_id: int | None = None,
) -> PrintedDocumentInfo:
    """Print *form* as a new stored document (or find it printed already with the same content)."""

    def work(uow: UnitOfWork) -> PrintedDocumentInfo:
        info = store_document(uow, form, work_order_id=work_order_id, client_id=client_id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def get_document_pdf(uow_factory: UnitOfWorkFactory, document_id: int) -> bytes:
    """The PDF exactly as first printed."""

    def work(uow: UnitOfWork) -> bytes:
        pdf = uow.session.scalar(select(PrintedDocument.pdf).where(PrintedDocument.id == document_id))
        if pdf is None:
            raise NotFoundError(_("The printed document no longer exists."))
        return bytes(pdf)

    return run_in_transaction(uow_factory, work, read_only=True)


def get_document(uow_factory: UnitOfWorkFactory, document_id: int) -> PrintedDocumentInfo:
    def work(uow: UnitOfWork) -> PrintedDocumentInfo:
        rows = uow.session.execute(_WITHOUT_PDF.where(PrintedDocument.id == document_id)).all()
        if not rows:
            raise NotFoundError(_("The printed document no longer exists."))
        return _info(rows[0])

    return run_in_transaction(uow_factory, work, read_only=True)


def list_documents(
    uow_factory: UnitOfWorkFactory, *, work_order_id: int | None = None, client_id: int | None = None
) -> list[PrintedDocumentInfo]:
    """Documents of a work order and/or a client (with the cards merged into it), newest first, without PDFs."""

    def work(uow: UnitOfWork) -> list[PrintedDocumentInfo]:
        statement = _WITHOUT_PDF.order_by(PrintedDocument.id.desc())
        if work_order_id is not None:
            statement = statement.where(PrintedDocument.work_order_id == work_order_id)
        if client_id is not None:
            merged = select(Client.id).where(Client.merged_into_id == client_id)
            statement = statement.where(
                or_(PrintedDocument.client_id == client_id, PrintedDocument.client_id.in_(merged))
            )
        return [_info(row) for row in uow.session.execute(statement)]

    return run_in_transaction(uow_factory, work, read_only=True)


def _info(row: Any) -> PrintedDocumentInfo:
    """From a PrintedDocument or a row of _COLUMNS (the same attribute names)."""
    return PrintedDocumentInfo(
        id=row.id, kind=DocumentKind(row.kind), number=row.number, title=row.title, work_order_id=row.work_order_id,
        client_id=row.client_id, created_at=row.created_at, actor_login=row.actor_login, language=row.language,
        size=row.size, sha256=row.sha256,
    )  # fmt: skip
