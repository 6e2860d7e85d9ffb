"""Posting and reversing stock documents: numbers, immutable moves and balances in one transaction, never negative.

Valuation is the moving average over all places of a part. A receipt comes in at its purchase price and the
average becomes (on hand × average + quantity × price) / (on hand + quantity); a return to the supplier leaves at
the receipt's price and takes that value back out the same way. Issues, transfers, write-offs and count
differences move at the average of the moment and leave it unchanged (a count gain is valued at the average too).
A reversal repeats the original moves with the opposite sign at their original unit costs, so reversing a receipt
that nothing else touched restores the average it replaced. When nothing is left on hand the average is kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, cast

from sqlalchemy import Table, select

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import StockDocument, StockDocumentLine, StockMove, StockReservation
from autoservice_desk.services import audit, domain_events
from autoservice_desk.services.errors import ConflictError, ValidationError
from autoservice_desk.services.numbering import next_number
from autoservice_desk.services.part_forms import unit_label
from autoservice_desk.services.stock_documents import check_places_exist, load_document, returnable
from autoservice_desk.services.stock_forms import (
    DocumentInfo,
    DocumentKind,
    DocumentStatus,
    LineInput,
    document_number,
    quantity_text,
    require_roles,
    sequence_name,
)
from autoservice_desk.services.stock_ledger import (
    ZERO,
    InsufficientStockError,
    Ledger,
    Progress,
    chunks,
    insert_rows,
    member_of,
    place_label,
)
from autoservice_desk.services.stock_queries import document_info
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

LINE_COLUMNS = (
    StockDocumentLine.id, StockDocumentLine.part_id, StockDocumentLine.quantity, StockDocumentLine.price,
    StockDocumentLine.from_location_id, StockDocumentLine.to_location_id, StockDocumentLine.reservation_id,
)  # fmt: skip


class Line(NamedTuple):
    """A document line as posting reads it (a named tuple: thousands of ORM objects would cost more than the SQL)."""

    id: int
    part_id: int
    quantity: Decimal
    price: Decimal | None
    from_location_id: int | None
    to_location_id: int | None
    reservation_id: int | None


def post_document(
    uow_factory: UnitOfWorkFactory, document_id: int, version: int, *, progress: Progress | None = None
) -> DocumentInfo:
    """Post a draft in one transaction: its number, its moves, the balances and costs; all of it or nothing.

    *progress(done, total)* is called as the moves are written (raising from it cancels the posting). An issue
    that takes more than is available is refused with InsufficientStockError naming the part, place and amounts.
    """

    def work(uow: UnitOfWork) -> DocumentInfo:
        info = post_in(uow, document_id, version, progress=progress)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def post_in(uow: UnitOfWork, document_id: int, version: int, *, progress: Progress | None = None) -> DocumentInfo:
    """Post a draft inside *uow*'s transaction (the caller commits); see `post_document`."""
    document = load_document(uow, document_id, version)
    kind = DocumentKind(document.kind)
    require_roles(uow, kind, posting=True)
    if document.status != DocumentStatus.DRAFT:
        raise ConflictError(_("The document has already been posted."))
    lines = [
        Line(*row)
        for row in uow.session.execute(
            select(*LINE_COLUMNS)
            .where(StockDocumentLine.document_id == document.id)
            .order_by(StockDocumentLine.position)
        )
    ]
    if not lines:
        raise ValidationError(_("Add at least one line before posting."))
    # Lines were checked as they were entered; what may have changed since is whether their places are
    # still in use (reservations are checked again under the locks below).
    check_places_exist(uow, [_input(line) for line in lines])
    ledger = Ledger(uow, [line.part_id for line in lines])
    purchase_prices = _plan(uow, ledger, document, kind, lines)
    _finish(uow, document, kind, ledger, purchase_prices, progress)
    if kind == DocumentKind.RECEIPT:
        received = tuple(
            (move["line_id"], move["part_id"], move["location_id"], move["quantity"]) for move in ledger.moves
        )
        domain_events.raise_event(uow, domain_events.StockReceived(document.id, received))
    info = document_info(uow, document)
    audit.record(uow, "stock_document", document.id, "post", None, _posted(info, len(ledger.moves)))
    return info


def reverse_document(
    uow_factory: UnitOfWorkFactory, document_id: int, reason: str, *, progress: Progress | None = None
) -> DocumentInfo:
    """Post the opposite of a posted document (same kind, `reverses_id` set); the original stays as it was.

    A receipt can be reversed only while its goods are still on their places (and not reserved), and after
    the returns made against it have been reversed; reservations an issue consumed are not restored.
    """

    def work(uow: UnitOfWork) -> DocumentInfo:
        original = load_document(uow, document_id)
        kind = DocumentKind(original.kind)
        require_roles(uow, kind, posting=True)
        _check_reversible(uow, original, kind)
        if not reason.strip():
            raise ValidationError(_("Give the reason for the reversal."), "reason")
        reversal = StockDocument(
            kind=kind.value, status=DocumentStatus.DRAFT.value, document_date=uow.clock().date(),
            year=uow.clock().date().year, supplier_id=original.supplier_id, supplier_invoice=original.supplier_invoice,
            supplier_invoice_date=original.supplier_invoice_date, client_id=original.client_id,
            work_order_id=original.work_order_id, location_id=original.location_id, against_id=original.against_id,
            reverses_id=original.id, reason=reason.strip(),
        )  # fmt: skip
        uow.session.add(reversal)
        uow.session.flush()
        lines = _copy_lines(uow, original, reversal)
        moves = uow.session.execute(
            select(StockMove.line_id, StockMove.part_id, StockMove.location_id, StockMove.quantity,
                   StockMove.unit_cost)
            .where(StockMove.document_id == original.id)
            .order_by(StockMove.id)
        ).all()  # fmt: skip
        ledger = Ledger(uow, [move.part_id for move in moves])
        try:
            for move in moves:
                line_id = lines.get(move.line_id) if move.line_id is not None else None
                ledger.move(line_id, move.part_id, move.location_id, -move.quantity, move.unit_cost)
        except InsufficientStockError as error:
            raise InsufficientStockError(
                _("The document cannot be reversed. {reason}").format(reason=error.message),
                error.part_id, error.location_id, error.available, error.requested,
            ) from error  # fmt: skip
        _finish(uow, reversal, kind, ledger, {}, progress)
        info = document_info(uow, reversal)
        audit.record(uow, "stock_document", reversal.id, "post", None, _posted(info, len(ledger.moves)))
        audit.record(uow, "stock_document", original.id, "reverse", None, {"reversal_id": reversal.id})
        uow.mark_changed("stock_document", original.id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def _input(line: Line) -> LineInput:
    return LineInput(
        line.part_id, line.quantity, line.price, line.from_location_id, line.to_location_id, line.reservation_id
    )


def _plan(
    uow: UnitOfWork, ledger: Ledger, document: StockDocument, kind: DocumentKind, lines: list[Line]
) -> dict[int, Decimal]:
    """Plan every line's moves on the ledger (refusing what does not fit); the purchase prices a receipt sets."""
    purchase_prices: dict[int, Decimal] = {}
    if kind == DocumentKind.SUPPLIER_RETURN:
        _check_return_limit(uow, ledger, document, lines)
    reservations = _lock_reservations(uow, lines) if kind == DocumentKind.ISSUE else {}
    for line in lines:
        if kind == DocumentKind.RECEIPT:
            assert line.to_location_id is not None and line.price is not None
            ledger.move(line.id, line.part_id, line.to_location_id, line.quantity, line.price)
            purchase_prices[line.part_id] = line.price
        elif kind == DocumentKind.ISSUE:
            assert line.from_location_id is not None
            consumed = _consume(reservations, line)
            ledger.move(line.id, line.part_id, line.from_location_id, -line.quantity, release_reserved=consumed)
        elif kind == DocumentKind.TRANSFER:
            assert line.from_location_id is not None and line.to_location_id is not None
            ledger.move(line.id, line.part_id, line.from_location_id, -line.quantity)
            ledger.move(line.id, line.part_id, line.to_location_id, line.quantity)
        elif kind == DocumentKind.SUPPLIER_RETURN:
            assert line.from_location_id is not None
            ledger.move(line.id, line.part_id, line.from_location_id, -line.quantity, line.price)
        elif kind == DocumentKind.COUNT:
            assert line.from_location_id is not None
            _count_difference(uow, ledger, line.id, line.part_id, line.from_location_id, line.quantity)
        else:
            assert line.from_location_id is not None
            ledger.move(line.id, line.part_id, line.from_location_id, -line.quantity)
    return purchase_prices


def _count_difference(
    uow: UnitOfWork, ledger: Ledger, line_id: int, part_id: int, place: int, counted: Decimal
) -> None:
    reserved = ledger.reserved(part_id, place)
    if counted < reserved:
        raise ConflictError(
            _("{part} on {place}: {reserved} is reserved, more than the {counted} counted; release or issue the "
              "reservations first.").format(
                part=ledger.part(part_id).text, place=place_label(uow, place), reserved=quantity_text(reserved),
                counted=quantity_text(counted),
            )
        )  # fmt: skip
    ledger.move(line_id, part_id, place, counted - ledger.quantity(part_id, place))


def _lock_reservations(uow: UnitOfWork, lines: list[Line]) -> dict[int, StockReservation]:
    """The reservations the issue names, locked after the parts and balances (the ledger's lock order)."""
    ids = sorted({line.reservation_id for line in lines if line.reservation_id is not None})
    found: dict[int, StockReservation] = {}
    for chunk in chunks(ids):
        for reservation in uow.session.scalars(
            select(StockReservation)
            .where(member_of(uow, StockReservation.id, chunk))
            .order_by(StockReservation.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        ):
            found[reservation.id] = reservation
    return found


def _consume(reservations: dict[int, StockReservation], line: Line) -> Decimal:
    """Take the line's quantity out of its reservation: all of it consumes it, less leaves the rest reserved."""
    if line.reservation_id is None:
        return ZERO
    reservation = reservations.get(line.reservation_id)
    if reservation is None or reservation.status != "active":
        raise ConflictError(_("A reservation on the issue has already been issued or released; look at it again."))
    if reservation.part_id != line.part_id or reservation.location_id != line.from_location_id:
        raise ValidationError(_("The reservation chosen is for another part or place."), "reservation")
    taken = min(line.quantity, reservation.quantity)
    if taken == reservation.quantity:
        reservation.status = "consumed"
    else:
        reservation.quantity -= taken
    return taken


def _check_return_limit(uow: UnitOfWork, ledger: Ledger, document: StockDocument, lines: list[Line]) -> None:
    """Nothing goes back beyond what the receipt brought, minus returns posted before (checked under the locks)."""
    receipt = uow.session.get(StockDocument, document.against_id) if document.against_id else None
    if receipt is None:
        raise ValidationError(_("A return to the supplier is made against a posted goods receipt."), "against")
    if uow.session.scalar(select(StockDocument.id).where(StockDocument.reverses_id == receipt.id)) is not None:
        raise ConflictError(_("This receipt has been reversed; nothing can be returned against it."))
    limits = returnable(uow, receipt.id, exclude_document_id=document.id)
    asked: dict[int, Decimal] = {}
    for line in lines:
        asked[line.part_id] = asked.get(line.part_id, ZERO) + line.quantity
    for part_id, quantity in asked.items():
        limit = limits[part_id]
        if quantity > limit.left:
            part = ledger.part(part_id)
            raise ValidationError(
                _("Only {left} {unit} of {part} can still be returned against receipt {number}: it brought "
                  "{received}, {returned} already went back.").format(
                    left=quantity_text(max(limit.left, ZERO)), unit=unit_label(part.unit), part=part.text,
                    number=document_number(DocumentKind.RECEIPT, receipt.year, receipt.number),
                    received=quantity_text(limit.received), returned=quantity_text(limit.returned),
                ),
                "quantity",
            )  # fmt: skip


def _check_reversible(uow: UnitOfWork, original: StockDocument, kind: DocumentKind) -> None:
    if original.status != DocumentStatus.POSTED:
        raise ConflictError(_("A draft is not posted; change or delete it instead of reversing it."))
    if original.reverses_id is not None:
        raise ConflictError(_("A reversal cannot be reversed; enter a new document instead."))
    reversal = uow.session.execute(
        select(StockDocument.kind, StockDocument.year, StockDocument.number).where(
            StockDocument.reverses_id == original.id
        )
    ).first()
    if reversal is not None:
        raise ConflictError(
            _("The document has already been reversed by {number}.").format(
                number=document_number(DocumentKind(reversal.kind), reversal.year, reversal.number)
            )
        )
    if kind == DocumentKind.RECEIPT:
        limits = returnable(uow, original.id)
        if any(limit.returned > 0 for limit in limits.values()):
            raise ConflictError(_("Goods of this receipt went back to the supplier; reverse those returns first."))


def _copy_lines(uow: UnitOfWork, original: StockDocument, reversal: StockDocument) -> dict[int, int]:
    """Copy the original's lines onto the reversal; original line id → the copy's id."""
    originals = uow.session.execute(
        select(StockDocumentLine.id, StockDocumentLine.position, StockDocumentLine.part_id,
               StockDocumentLine.quantity, StockDocumentLine.price, StockDocumentLine.from_location_id,
               StockDocumentLine.to_location_id)
        .where(StockDocumentLine.document_id == original.id)
        .order_by(StockDocumentLine.position)
    ).all()  # fmt: skip
    rows = [
        {"document_id": reversal.id, "position": line.position, "part_id": line.part_id,
         "quantity": line.quantity, "price": line.price, "from_location_id": line.from_location_id,
         "to_location_id": line.to_location_id}
        for line in originals
    ]  # fmt: skip
    insert_rows(uow, cast(Table, StockDocumentLine.__table__), rows)
    copies = {
        position: line_id
        for position, line_id in uow.session.execute(
            select(StockDocumentLine.position, StockDocumentLine.id).where(StockDocumentLine.document_id == reversal.id)
        )
    }
    return {line.id: copies[line.position] for line in originals}


def _finish(
    uow: UnitOfWork,
    document: StockDocument,
    kind: DocumentKind,
    ledger: Ledger,
    purchase_prices: dict[int, Decimal],
    progress: Progress | None,
) -> None:
    """Number the document (the sequence row is the last lock taken), write the ledger, mark the change."""
    document.year = document.document_date.year
    document.number = next_number(uow, sequence_name(kind), document.year)
    document.status = DocumentStatus.POSTED.value
    document.posted_at = uow.clock()
    document.posted_by = uow.actor.login
    uow.session.flush()
    ledger.write(document.id, document.posted_at, purchase_prices=purchase_prices, progress=progress)
    uow.session.flush()
    uow.mark_changed("stock")
    uow.mark_changed("stock_document", document.id)
    for part_id in ledger.parts:
        uow.mark_changed("part", part_id)


def _posted(info: DocumentInfo, moves: int) -> dict[str, object]:
    return {"kind": info.kind.value, "number": info.display_number, "lines": len(info.lines), "moves": moves}
