"""Reading the warehouse: a document with its lines, the documents list, a part's balances and moves, a change stamp."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Numeric, bindparam, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import (
    Part,
    StockBalance,
    StockDocument,
    StockDocumentLine,
    StockLocation,
    StockMove,
    StockReservation,
    Supplier,
)
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.errors import NotFoundError
from autoservice_desk.services.stock_forms import (
    PRICE_UNIT,
    DocumentInfo,
    DocumentKind,
    DocumentStatus,
    DocumentSummary,
    LineInfo,
    document_number,
)
from autoservice_desk.services.stock_ledger import ZERO, chunks, member_of
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


@dataclass(frozen=True)
class BalanceInfo:
    location_id: int
    location_name: str  # the label's code, or the name when the place has no code
    quantity: Decimal
    reserved: Decimal
    available: Decimal
    warehouse_id: int | None = None
    warehouse_name: str = ""


@dataclass(frozen=True)
class MoveInfo:
    id: int
    moved_at: datetime
    document_id: int
    kind: DocumentKind
    display_number: str
    reversal: bool
    location_id: int
    location_name: str
    quantity: Decimal  # + in, − out
    unit_cost: Decimal


@dataclass(frozen=True)
class StockStamp:
    """Changes whenever stock or reservations change anywhere; a screen polls it to know when to reload."""

    last_move_id: int
    last_reservation_id: int
    reservations_changed_at: datetime | None
    documents_changed_at: datetime | None


def document_info(uow: UnitOfWork, document: StockDocument) -> DocumentInfo:
    kind, status = DocumentKind(document.kind), DocumentStatus(document.status)
    source, target = aliased(StockLocation), aliased(StockLocation)
    rows = uow.session.execute(
        select(StockDocumentLine.id, StockDocumentLine.position, StockDocumentLine.part_id,
               StockDocumentLine.quantity, StockDocumentLine.price, StockDocumentLine.from_location_id,
               StockDocumentLine.to_location_id, StockDocumentLine.reservation_id, Part.article, Part.brand,
               Part.name.label("part_name"), Part.unit, source.code.label("source_code"),
               source.name.label("source_name"), target.code.label("target_code"), target.name.label("target_name"))
        .join(Part, Part.id == StockDocumentLine.part_id)
        .outerjoin(source, source.id == StockDocumentLine.from_location_id)
        .outerjoin(target, target.id == StockDocumentLine.to_location_id)
        .where(StockDocumentLine.document_id == document.id)
        .order_by(StockDocumentLine.position)
    ).all()  # fmt: skip
    books = _book_quantities(uow, document, rows) if kind == DocumentKind.COUNT else {}
    lines = tuple(
        LineInfo(
            id=line.id,
            position=line.position,
            part_id=line.part_id,
            article=line.article,
            brand=line.brand,
            part_name=line.part_name,
            unit=line.unit,
            quantity=line.quantity,
            price=line.price,
            from_location_id=line.from_location_id,
            from_location=line.source_code or line.source_name or "",
            to_location_id=line.to_location_id,
            to_location=line.target_code or line.target_name or "",
            reservation_id=line.reservation_id,
            book_quantity=books.get(line.id),
        )  # fmt: skip
        for line in rows
    )
    supplier = uow.session.get(Supplier, document.supplier_id) if document.supplier_id is not None else None
    location = uow.session.get(StockLocation, document.location_id) if document.location_id is not None else None
    reversed_by = uow.session.scalar(select(StockDocument.id).where(StockDocument.reverses_id == document.id))
    total = sum((line.amount for line in lines if line.amount is not None), ZERO).quantize(PRICE_UNIT)
    return DocumentInfo(
        id=document.id, version=document.version, kind=kind, status=status, year=document.year,
        number=document.number, display_number=document_number(kind, document.year, document.number),
        document_date=document.document_date, supplier_id=document.supplier_id,
        supplier_name=supplier.name if supplier else "", supplier_invoice=document.supplier_invoice or "",
        supplier_invoice_date=document.supplier_invoice_date, client_id=document.client_id,
        work_order_id=document.work_order_id, location_id=document.location_id,
        location_name=(location.code or location.name) if location else "", against_id=document.against_id,
        reverses_id=document.reverses_id, reversed_by_id=reversed_by, reason=document.reason,
        posted_at=document.posted_at, posted_by=document.posted_by, lines=lines, total=total,
    )  # fmt: skip


def _book_quantities(uow: UnitOfWork, document: StockDocument, lines: Sequence[Any]) -> dict[int, Decimal]:
    """A count's book quantity per line: the balance now for a draft; counted − the booked difference once posted."""
    if document.status == DocumentStatus.POSTED:
        moved: dict[int, Decimal] = {}
        for line_id, quantity in uow.session.execute(
            select(StockMove.line_id, func.sum(StockMove.quantity))
            .where(StockMove.document_id == document.id)
            .group_by(StockMove.line_id)
        ):
            if line_id is not None:
                moved[line_id] = quantity
        sign = -1 if document.reverses_id is not None else 1  # a reversal's moves undo the count's
        return {line.id: line.quantity - sign * moved.get(line.id, ZERO) for line in lines}
    balances: dict[tuple[int, int], Decimal] = {}
    for chunk in chunks(sorted({line.part_id for line in lines})):
        for row in uow.session.execute(
            select(StockBalance.part_id, StockBalance.location_id, StockBalance.quantity).where(
                member_of(uow, StockBalance.part_id, chunk)
            )
        ):
            balances[(row.part_id, row.location_id)] = row.quantity
    return {line.id: balances.get((line.part_id, line.from_location_id or 0), ZERO) for line in lines}


def get_document(uow_factory: UnitOfWorkFactory, document_id: int) -> DocumentInfo:
    def work(uow: UnitOfWork) -> DocumentInfo:
        document = uow.session.get(StockDocument, document_id)
        if document is None:
            raise NotFoundError(_("The stock document no longer exists."))
        return document_info(uow, document)

    return run_in_transaction(uow_factory, work, read_only=True)


def _amount(uow: UnitOfWork) -> tuple[ColumnElement[Any], int]:
    """Σ quantity × price in SQL, and the power of ten to scale it by (SQLite keeps both as scaled integers)."""
    product = StockDocumentLine.quantity * StockDocumentLine.price
    if uow.session.get_bind().dialect.name == "sqlite":
        return func.sum(type_coerce(product, BigInteger())), -5
    return func.sum(type_coerce(product, Numeric())), 0


def list_documents(
    uow_factory: UnitOfWorkFactory,
    kind: DocumentKind | None = None,
    status: DocumentStatus | None = None,
    text: str = "",
    before: int | None = None,
    limit: int = 100,
) -> list[DocumentSummary]:
    """Documents newest first; *before* is the last id of the previous page; *text* finds a number, supplier,
    invoice or reason."""

    def work(uow: UnitOfWork) -> list[DocumentSummary]:
        query = (
            select(StockDocument, Supplier.name, Client)
            .outerjoin(Supplier, Supplier.id == StockDocument.supplier_id)
            .outerjoin(Client, Client.id == StockDocument.client_id)
            .order_by(StockDocument.id.desc())
            .limit(limit)
        )
        if kind is not None:
            query = query.where(StockDocument.kind == kind.value)
        if status is not None:
            query = query.where(StockDocument.status == status.value)
        if before is not None:
            query = query.where(StockDocument.id < before)
        needle = text.strip()
        if needle:
            pattern = f"%{needle}%"
            found: list[ColumnElement[bool]] = [
                Supplier.name.ilike(pattern),
                StockDocument.supplier_invoice.ilike(pattern),
                StockDocument.reason.ilike(pattern),
            ]
            digits = needle.rsplit("-", 1)[-1]
            if digits.isdigit():
                found.append(StockDocument.number == int(digits))
            query = query.where(or_(*found))
        rows = uow.session.execute(query).all()
        ids = [row[0].id for row in rows]
        amount, scale = _amount(uow)
        totals: dict[int, tuple[int, Decimal]] = {}
        if ids:
            for document_id, count, raw in uow.session.execute(
                select(StockDocumentLine.document_id, func.count(), amount)
                .where(StockDocumentLine.document_id.in_(ids))
                .group_by(StockDocumentLine.document_id)
            ):
                totals[document_id] = (count, Decimal(raw or 0).scaleb(scale).quantize(PRICE_UNIT))
        return [
            _summary(document, supplier, client, totals.get(document.id, (0, ZERO)))
            for document, supplier, client in rows
        ]

    return run_in_transaction(uow_factory, work, read_only=True)


def _summary(
    document: StockDocument, supplier: str | None, client: Client | None, totals: tuple[int, Decimal]
) -> DocumentSummary:
    kind = DocumentKind(document.kind)
    if supplier:
        counterparty = supplier
    elif client is not None:
        counterparty = client_name(client)
    elif document.work_order_id is not None:
        counterparty = _("Work order {id}").format(id=document.work_order_id)
    else:
        counterparty = ""
    return DocumentSummary(
        id=document.id, kind=kind, status=DocumentStatus(document.status),
        display_number=document_number(kind, document.year, document.number), document_date=document.document_date,
        counterparty=counterparty, reason=document.reason, line_count=totals[0], total=totals[1],
        posted_at=document.posted_at, reverses_id=document.reverses_id,
    )  # fmt: skip


# Built once: the stock browser asks for a part's balances on every selection, and building an aliased join costs
# about as much as running it.
_WAREHOUSE = aliased(StockLocation)
_ALL_BALANCES = (
    select(StockBalance.location_id, StockLocation.code, StockLocation.name, StockBalance.quantity,
           StockBalance.reserved, StockLocation.warehouse_id, _WAREHOUSE.name)
    .join(StockLocation, StockLocation.id == StockBalance.location_id)
    .outerjoin(_WAREHOUSE, _WAREHOUSE.id == StockLocation.warehouse_id)
    .where(StockBalance.part_id == bindparam("part_id"))
    .order_by(StockLocation.code, StockLocation.name)
)  # fmt: skip
_BALANCES = _ALL_BALANCES.where(StockBalance.quantity > 0)


def part_balances(uow_factory: UnitOfWorkFactory, part_id: int, *, include_empty: bool = False) -> list[BalanceInfo]:
    """Where a part is and how much of it is free, place by place (places with nothing left are skipped)."""

    def work(uow: UnitOfWork) -> list[BalanceInfo]:
        query = _ALL_BALANCES if include_empty else _BALANCES
        return [
            BalanceInfo(row[0], row[1] or row[2], row[3], row[4], row[3] - row[4], row[5], row[6] or "")
            for row in uow.session.execute(query, {"part_id": part_id})
        ]

    return run_in_transaction(uow_factory, work, read_only=True)


def part_moves(
    uow_factory: UnitOfWorkFactory, part_id: int, before: int | None = None, limit: int = 100
) -> list[MoveInfo]:
    """A part's moves newest first; *before* is the last move id of the previous page."""

    def work(uow: UnitOfWork) -> list[MoveInfo]:
        query = (
            select(StockMove, StockDocument.kind, StockDocument.year, StockDocument.number,
                   StockDocument.reverses_id, StockLocation.code, StockLocation.name)
            .join(StockDocument, StockDocument.id == StockMove.document_id)
            .join(StockLocation, StockLocation.id == StockMove.location_id)
            .where(StockMove.part_id == part_id)
            .order_by(StockMove.id.desc())
            .limit(limit)
        )  # fmt: skip
        if before is not None:
            query = query.where(StockMove.id < before)
        result = []
        for move, kind, year, number, reverses_id, code, name in uow.session.execute(query):
            result.append(
                MoveInfo(
                    id=move.id,
                    moved_at=move.moved_at,
                    document_id=move.document_id,
                    kind=DocumentKind(kind),
                    display_number=document_number(DocumentKind(kind), year, number),
                    reversal=reverses_id is not None,
                    location_id=move.location_id,
                    location_name=code or name,
                    quantity=move.quantity,
                    unit_cost=move.unit_cost,
                )  # fmt: skip
            )
        return result

    return run_in_transaction(uow_factory, work, read_only=True)


def stock_stamp(uow_factory: UnitOfWorkFactory) -> StockStamp:
    """A cheap fingerprint of the warehouse's state: compare it with the last one to know another desk changed it."""

    def work(uow: UnitOfWork) -> StockStamp:
        row = uow.session.execute(
            select(
                select(func.max(StockMove.id)).scalar_subquery(),
                select(func.max(StockReservation.id)).scalar_subquery(),
                select(func.max(StockReservation.updated_at)).scalar_subquery(),
                select(func.max(StockDocument.updated_at)).scalar_subquery(),
            )
        ).one()
        return StockStamp(int(row[0] or 0), int(row[1] or 0), row[2], row[3])

    return run_in_transaction(uow_factory, work, read_only=True)


def stock_date(uow: UnitOfWork) -> date:
    """Today for a new document (the clock's date, as the other services take it)."""
    return uow.clock().date()
