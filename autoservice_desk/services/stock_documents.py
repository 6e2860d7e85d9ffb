"""Stock document drafts of every kind: create, edit the header and lines (version-checked), start a count, delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from sqlalchemy import Table, delete, func, select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import (
    Part,
    StockBalance,
    StockDocument,
    StockDocumentLine,
    StockLocation,
    StockReservation,
    Supplier,
)
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, NotFoundError, ValidationError
from autoservice_desk.services.stock_forms import (
    PRICE_UNIT,
    DocumentInfo,
    DocumentKind,
    DocumentStatus,
    DraftHeader,
    LineInput,
    check_places,
    check_quantity,
    require_roles,
)
from autoservice_desk.services.stock_ledger import ZERO, chunks, insert_rows, member_of
from autoservice_desk.services.stock_queries import document_info
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


@dataclass(frozen=True)
class Returnable:
    """What a posted receipt brought of one part, what went back already, and what may still go back."""

    part_id: int
    location_id: int  # where the receipt put it (the first line's place)
    received: Decimal
    returned: Decimal
    price: Decimal  # the receipt's price (weighted over its lines of the part)

    @property
    def left(self) -> Decimal:
        return self.received - self.returned


def load_document(uow: UnitOfWork, document_id: int, version: int | None = None) -> StockDocument:
    """The document locked for this transaction (other desks' edits and postings of it wait), version-checked."""
    document = uow.session.get(StockDocument, document_id, with_for_update={"key_share": True}, populate_existing=True)
    if document is None:
        raise NotFoundError(_("The stock document no longer exists."))
    if version is not None and document.version != version:
        raise ConflictError(_("Someone else has changed this document in the meantime; look at it again."))
    return document


def load_draft(uow: UnitOfWork, document_id: int, version: int) -> StockDocument:
    document = load_document(uow, document_id, version)
    if document.status != DocumentStatus.DRAFT:
        raise ConflictError(_("A posted document cannot be changed; reverse it instead."))
    require_roles(uow, DocumentKind(document.kind))
    return document


def returnable(uow: UnitOfWork, receipt_id: int, exclude_document_id: int | None = None) -> dict[int, Returnable]:
    """Per part: what the receipt brought in minus the posted, not reversed returns against it."""
    received: dict[int, list[Any]] = {}
    for part_id, location_id, quantity, price in uow.session.execute(
        select(StockDocumentLine.part_id, StockDocumentLine.to_location_id, StockDocumentLine.quantity,
               StockDocumentLine.price)
        .where(StockDocumentLine.document_id == receipt_id)
        .order_by(StockDocumentLine.position)
    ):  # fmt: skip
        entry = received.setdefault(part_id, [location_id, ZERO, ZERO])
        entry[1] += quantity
        entry[2] += quantity * (price or ZERO)
    reversed_ids = select(StockDocument.reverses_id).where(StockDocument.reverses_id.is_not(None))
    returned: dict[int, Decimal] = {}
    for part_id, quantity in uow.session.execute(
        select(StockDocumentLine.part_id, func.sum(StockDocumentLine.quantity))
        .join(StockDocument, StockDocument.id == StockDocumentLine.document_id)
        .where(
            StockDocument.kind == DocumentKind.SUPPLIER_RETURN.value, StockDocument.against_id == receipt_id,
            StockDocument.status == DocumentStatus.POSTED.value, StockDocument.reverses_id.is_(None),
            StockDocument.id.not_in(reversed_ids), StockDocument.id != (exclude_document_id or 0),
        )
        .group_by(StockDocumentLine.part_id)
    ):  # fmt: skip
        returned[part_id] = quantity
    return {
        part_id: Returnable(
            part_id,
            location_id,
            quantity,
            returned.get(part_id, ZERO),
            (value / quantity).quantize(PRICE_UNIT, ROUND_HALF_UP) if quantity else ZERO,
        )  # fmt: skip
        for part_id, (location_id, quantity, value) in received.items()
    }


def count_places(uow: UnitOfWork, location_id: int) -> set[int]:
    """The place and every place below it (a whole warehouse, a rack with its shelves and bins)."""
    places, frontier = {location_id}, [location_id]
    while frontier:
        children = set(
            uow.session.scalars(select(StockLocation.id).where(member_of(uow, StockLocation.parent_id, frontier)))
        )
        frontier = sorted(children - places)
        places |= children
    return places


def _clean_lines(uow: UnitOfWork, document: StockDocument, lines: Sequence[LineInput]) -> list[LineInput]:
    """Check *lines* against the document's kind; a return's lines get the receipt's price and place."""
    kind = DocumentKind(document.kind)
    parts: dict[int, Any] = {}
    for chunk in chunks(sorted({line.part_id for line in lines})):
        for row in uow.session.execute(
            select(Part.id, Part.article, Part.name, Part.fractional).where(member_of(uow, Part.id, chunk))
        ):
            parts[row.id] = row
    scope = count_places(uow, document.location_id) if kind == DocumentKind.COUNT and document.location_id else None
    receipt = (
        returnable(uow, document.against_id) if kind == DocumentKind.SUPPLIER_RETURN and document.against_id else {}
    )
    cleaned = []
    for line in lines:
        part = parts.get(line.part_id)
        if part is None:
            raise ValidationError(_("A part on the document no longer exists."), "part")
        text = f"{part.article} {part.name}"
        if kind == DocumentKind.SUPPLIER_RETURN:
            if line.part_id not in receipt:
                raise ValidationError(_("{part} did not come with this receipt.").format(part=text), "part")
            origin = receipt[line.part_id]
            line = replace(line, price=origin.price, from_location_id=line.from_location_id or origin.location_id)
        if kind == DocumentKind.COUNT:
            line = replace(line, to_location_id=line.from_location_id, price=None)
        check_quantity(line.quantity, part.fractional, text, zero_allowed=kind == DocumentKind.COUNT)
        check_places(kind, line, text)
        if scope is not None and line.from_location_id not in scope:
            raise ValidationError(_("{part}: the place is not part of this count.").format(part=text), "location")
        if kind not in (DocumentKind.RECEIPT, DocumentKind.SUPPLIER_RETURN):
            line = replace(line, price=None)
        if line.reservation_id is not None:
            _check_reservation(uow, line, text)
        cleaned.append(line)
    check_places_exist(uow, cleaned)
    return cleaned


def check_places_exist(uow: UnitOfWork, lines: Sequence[LineInput]) -> None:
    """Refuse lines whose places were removed or taken out of use."""
    wanted = {place for line in lines for place in (line.from_location_id, line.to_location_id) if place is not None}
    active: set[int] = set()
    for chunk in chunks(sorted(wanted)):
        active |= set(
            uow.session.scalars(
                select(StockLocation.id).where(member_of(uow, StockLocation.id, chunk), StockLocation.active)
            )
        )
    for line in lines:
        if any(place is not None and place not in active for place in (line.from_location_id, line.to_location_id)):
            part = uow.session.get(Part, line.part_id)
            raise ValidationError(
                _("The place chosen for {part} no longer exists.").format(
                    part=f"{part.article} {part.name}" if part else line.part_id
                ),
                "location",
            )


def _check_reservation(uow: UnitOfWork, line: LineInput, text: str) -> None:
    reservation = uow.session.get(StockReservation, line.reservation_id)
    if reservation is None or reservation.status != "active":
        raise ValidationError(_("The reservation of {part} is no longer active.").format(part=text), "reservation")
    if reservation.part_id != line.part_id or reservation.location_id != line.from_location_id:
        raise ValidationError(
            _("The reservation chosen is for another part or place than {part}.").format(part=text), "reservation"
        )


def _insert_lines(uow: UnitOfWork, document: StockDocument, lines: Sequence[LineInput]) -> None:
    if DocumentKind(document.kind) == DocumentKind.COUNT:
        taken: set[tuple[int, int | None]] = {
            (part_id, place)
            for part_id, place in uow.session.execute(
                select(StockDocumentLine.part_id, StockDocumentLine.from_location_id).where(
                    StockDocumentLine.document_id == document.id
                )
            )
        }
        for line in lines:
            key = (line.part_id, line.from_location_id)
            if key in taken:
                raise ValidationError(_("This part is already on the count sheet for that place."), "part")
            taken.add(key)
    position = uow.session.scalar(
        select(func.coalesce(func.max(StockDocumentLine.position), 0)).where(
            StockDocumentLine.document_id == document.id
        )
    )
    rows = [
        {"document_id": document.id, "position": int(position or 0) + number, "part_id": line.part_id,
         "quantity": line.quantity, "price": line.price, "from_location_id": line.from_location_id,
         "to_location_id": line.to_location_id, "reservation_id": line.reservation_id}
        for number, line in enumerate(lines, start=1)
    ]  # fmt: skip
    insert_rows(uow, cast(Table, StockDocumentLine.__table__), rows)


def _apply_header(uow: UnitOfWork, document: StockDocument, header: DraftHeader) -> None:
    kind = DocumentKind(document.kind)
    document.document_date = header.document_date or document.document_date or uow.clock().date()
    document.year = document.document_date.year
    document.reason = header.reason.strip()
    if kind == DocumentKind.RECEIPT:
        if header.supplier_id is not None and uow.session.get(Supplier, header.supplier_id) is None:
            raise ValidationError(_("The supplier chosen no longer exists."), "supplier")
        document.supplier_id = header.supplier_id
        document.supplier_invoice = header.supplier_invoice.strip() or None
        document.supplier_invoice_date = header.supplier_invoice_date
    if kind == DocumentKind.ISSUE:
        if header.client_id is not None and uow.session.get(Client, header.client_id) is None:
            raise ValidationError(_("The client no longer exists."), "client")
        document.client_id = header.client_id
        document.work_order_id = header.work_order_id
    if kind == DocumentKind.WRITE_OFF and not document.reason:
        raise ValidationError(_("Give the reason for the write-off."), "reason")


def _create(
    uow_factory: UnitOfWorkFactory,
    kind: DocumentKind,
    header: DraftHeader,
    lines: Sequence[LineInput],
    *,
    against_id: int | None = None,
    location_id: int | None = None,
    fill: bool = False,
) -> DocumentInfo:
    def work(uow: UnitOfWork) -> DocumentInfo:
        info = create_draft_in(uow, kind, header, lines, against_id=against_id, location_id=location_id, fill=fill)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def create_draft_in(
    uow: UnitOfWork,
    kind: DocumentKind,
    header: DraftHeader,
    lines: Sequence[LineInput],
    *,
    against_id: int | None = None,
    location_id: int | None = None,
    fill: bool = False,
) -> DocumentInfo:
    """A draft written inside *uow*'s transaction (the caller commits): for a use case that also posts it at once."""
    require_roles(uow, kind)
    document = StockDocument(
        kind=kind.value, status=DocumentStatus.DRAFT.value, year=0, document_date=None, reason="",
        against_id=against_id, location_id=location_id,
    )  # fmt: skip
    _apply_header(uow, document, header)
    if kind == DocumentKind.SUPPLIER_RETURN:
        supplier_id = _check_receipt(uow, against_id)
        document.supplier_id = supplier_id
    uow.session.add(document)
    uow.session.flush()
    chosen = list(lines)
    if fill and location_id is not None:
        chosen = _count_sheet(uow, location_id)
    _insert_lines(uow, document, _clean_lines(uow, document, chosen))
    info = document_info(uow, document)
    audit.record(uow, "stock_document", document.id, "create", None, {"kind": kind.value, "lines": len(chosen)})
    uow.mark_changed("stock_document", document.id)
    return info


def _check_receipt(uow: UnitOfWork, receipt_id: int | None) -> int | None:
    receipt = uow.session.get(StockDocument, receipt_id) if receipt_id is not None else None
    if receipt is None or receipt.kind != DocumentKind.RECEIPT or receipt.status != DocumentStatus.POSTED:
        raise ValidationError(_("A return to the supplier is made against a posted goods receipt."), "against")
    reversed_already = uow.session.scalar(select(StockDocument.id).where(StockDocument.reverses_id == receipt.id))
    if receipt.reverses_id is not None or reversed_already is not None:
        raise ValidationError(_("This receipt has been reversed; nothing can be returned against it."), "against")
    return receipt.supplier_id


def _count_sheet(uow: UnitOfWork, location_id: int) -> list[LineInput]:
    """What the books say is on the place and below it, by place and article."""
    location = uow.session.get(StockLocation, location_id)
    if location is None or not location.active:
        raise ValidationError(_("The place chosen no longer exists."), "location")
    places = sorted(count_places(uow, location_id))
    lines: list[LineInput] = []
    for chunk in chunks(places):
        rows = uow.session.execute(
            select(StockBalance.part_id, StockBalance.location_id, StockBalance.quantity)
            .join(Part, Part.id == StockBalance.part_id)
            .join(StockLocation, StockLocation.id == StockBalance.location_id)
            .where(member_of(uow, StockBalance.location_id, chunk), StockBalance.quantity > 0)
            .order_by(StockLocation.code, StockLocation.name, Part.article_key)
        )
        lines.extend(LineInput(part, quantity, from_location_id=place) for part, place, quantity in rows)
    return lines


def create_receipt(
    uow_factory: UnitOfWorkFactory,
    supplier_id: int | None,
    lines: Sequence[LineInput] = (),
    *,
    supplier_invoice: str = "",
    supplier_invoice_date: date | None = None,
    document_date: date | None = None,
) -> DocumentInfo:
    """A goods receipt draft: lines with the purchase price and the place the goods go to."""
    header = DraftHeader(document_date, supplier_id, supplier_invoice, supplier_invoice_date)
    return _create(uow_factory, DocumentKind.RECEIPT, header, lines)


def create_issue(
    uow_factory: UnitOfWorkFactory,
    lines: Sequence[LineInput] = (),
    *,
    work_order_id: int | None = None,
    client_id: int | None = None,
    document_date: date | None = None,
    reason: str = "",
) -> DocumentInfo:
    """An issue draft to a work order, or a counter sale to a client; lines name the place taken from."""
    header = DraftHeader(document_date, client_id=client_id, work_order_id=work_order_id, reason=reason)
    return _create(uow_factory, DocumentKind.ISSUE, header, lines)


def create_transfer(
    uow_factory: UnitOfWorkFactory, lines: Sequence[LineInput] = (), *, document_date: date | None = None,
    reason: str = "",
) -> DocumentInfo:  # fmt: skip
    """A transfer draft: each line from a place to another, in the same warehouse or another one."""
    return _create(uow_factory, DocumentKind.TRANSFER, DraftHeader(document_date, reason=reason), lines)


def create_supplier_return(
    uow_factory: UnitOfWorkFactory, against_id: int, lines: Sequence[LineInput] = (), *,
    document_date: date | None = None, reason: str = "",
) -> DocumentInfo:  # fmt: skip
    """A return-to-supplier draft against a posted receipt; prices come from the receipt."""
    header = DraftHeader(document_date, reason=reason)
    return _create(uow_factory, DocumentKind.SUPPLIER_RETURN, header, lines, against_id=against_id)


def create_write_off(
    uow_factory: UnitOfWorkFactory, reason: str, lines: Sequence[LineInput] = (), *,
    document_date: date | None = None,
) -> DocumentInfo:  # fmt: skip
    """A write-off draft (damaged, lost, used by the shop itself); the reason is required."""
    return _create(uow_factory, DocumentKind.WRITE_OFF, DraftHeader(document_date, reason=reason), lines)


def start_count(
    uow_factory: UnitOfWorkFactory, location_id: int, *, document_date: date | None = None, reason: str = ""
) -> DocumentInfo:
    """A count sheet for a place or a whole warehouse, filled with what the books say (counted = book to start)."""
    header = DraftHeader(document_date, reason=reason)
    return _create(uow_factory, DocumentKind.COUNT, header, (), location_id=location_id, fill=True)


def returnable_lines(uow_factory: UnitOfWorkFactory, receipt_id: int) -> list[Returnable]:
    """For the return form: each part of the receipt with what may still go back."""
    return run_in_transaction(uow_factory, lambda uow: list(returnable(uow, receipt_id).values()), read_only=True)


def _edit(uow_factory: UnitOfWorkFactory, document_id: int, version: int, action: str, change: Any) -> DocumentInfo:
    def work(uow: UnitOfWork) -> DocumentInfo:
        document = load_draft(uow, document_id, version)
        change(uow, document)
        document.updated_at = uow.clock()  # bumps the version, so another desk's open copy becomes stale
        uow.session.flush()
        info = document_info(uow, document)
        audit.record(uow, "stock_document", document.id, action, None, {"lines": len(info.lines)})
        uow.mark_changed("stock_document", document.id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def update_header(uow_factory: UnitOfWorkFactory, document_id: int, version: int, header: DraftHeader) -> DocumentInfo:
    return _edit(uow_factory, document_id, version, "edit", lambda uow, doc: _apply_header(uow, doc, header))


def add_lines(
    uow_factory: UnitOfWorkFactory, document_id: int, version: int, lines: Sequence[LineInput]
) -> DocumentInfo:
    """Append lines to a draft (a barcode scan adds one; a price-list import adds thousands)."""

    def change(uow: UnitOfWork, document: StockDocument) -> None:
        _insert_lines(uow, document, _clean_lines(uow, document, lines))

    return _edit(uow_factory, document_id, version, "add_lines", change)


def update_line(
    uow_factory: UnitOfWorkFactory, document_id: int, version: int, line_id: int, line: LineInput
) -> DocumentInfo:
    def change(uow: UnitOfWork, document: StockDocument) -> None:
        row = _line(uow, document, line_id)
        cleaned = _clean_lines(uow, document, [line])[0]
        row.part_id, row.quantity, row.price = cleaned.part_id, cleaned.quantity, cleaned.price
        row.from_location_id, row.to_location_id = cleaned.from_location_id, cleaned.to_location_id
        row.reservation_id = cleaned.reservation_id

    return _edit(uow_factory, document_id, version, "edit_line", change)


def remove_line(uow_factory: UnitOfWorkFactory, document_id: int, version: int, line_id: int) -> DocumentInfo:
    def change(uow: UnitOfWork, document: StockDocument) -> None:
        uow.session.delete(_line(uow, document, line_id))

    return _edit(uow_factory, document_id, version, "remove_line", change)


def set_counted(
    uow_factory: UnitOfWorkFactory, document_id: int, version: int, counted: Mapping[int, Decimal]
) -> DocumentInfo:
    """Enter counted quantities on a count sheet: line id → what is actually on the shelf."""

    def change(uow: UnitOfWork, document: StockDocument) -> None:
        if document.kind != DocumentKind.COUNT:
            raise ValidationError(_("Counted quantities are entered on a stock count."))
        rows = {
            row.id: row
            for chunk in chunks(sorted(counted))
            for row in uow.session.scalars(
                select(StockDocumentLine).where(
                    StockDocumentLine.document_id == document.id, member_of(uow, StockDocumentLine.id, chunk)
                )
            )
        }
        for line_id, quantity in counted.items():
            row = rows.get(line_id)
            if row is None:
                raise NotFoundError(_("The line is no longer on the document."))
            part = uow.session.get(Part, row.part_id)
            assert part is not None
            check_quantity(quantity, part.fractional, f"{part.article} {part.name}", zero_allowed=True)
            row.quantity = quantity

    return _edit(uow_factory, document_id, version, "count", change)


def _line(uow: UnitOfWork, document: StockDocument, line_id: int) -> StockDocumentLine:
    row = uow.session.get(StockDocumentLine, line_id)
    if row is None or row.document_id != document.id:
        raise NotFoundError(_("The line is no longer on the document."))
    return row


def delete_draft(uow_factory: UnitOfWorkFactory, document_id: int, version: int) -> None:
    """Throw a draft away; a posted document is never deleted."""

    def work(uow: UnitOfWork) -> None:
        document = load_draft(uow, document_id, version)
        uow.session.execute(delete(StockDocumentLine).where(StockDocumentLine.document_id == document.id))
        uow.session.delete(document)
        audit.record(uow, "stock_document", document_id, "delete", {"kind": document.kind}, None)
        uow.mark_changed("stock_document", document_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
