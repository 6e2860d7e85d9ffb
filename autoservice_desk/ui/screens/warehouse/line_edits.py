"""What a scan or a picked part does to a draft (no Qt here; the editor runs these on a worker thread)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.locations import LocationInfo, find_location_by_code
from autoservice_desk.services.parts import PartInfo, find_by_barcode, get_part
from autoservice_desk.services.stock_documents import add_lines, set_counted, update_line
from autoservice_desk.services.stock_forms import DocumentInfo, DocumentKind, LineInfo, LineInput
from autoservice_desk.services.stock_queries import part_balances
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.models.document_lines_model import line_input

ONE = Decimal(1)
TAKES_FROM = (DocumentKind.ISSUE, DocumentKind.TRANSFER, DocumentKind.SUPPLIER_RETURN, DocumentKind.WRITE_OFF,
              DocumentKind.COUNT)  # fmt: skip
PUTS_TO = (DocumentKind.RECEIPT, DocumentKind.TRANSFER)


@dataclass(frozen=True)
class CurrentPlaces:
    """The places the header has chosen for new lines (None: the part's own place)."""

    source: int | None = None
    target: int | None = None


@dataclass(frozen=True)
class UnknownCode:
    """A scan that is neither a part's barcode nor a place's label."""

    code: str


ScanResult = DocumentInfo | LocationInfo | UnknownCode


def _source(uow_factory: UnitOfWorkFactory, document: DocumentInfo, part: PartInfo, chosen: int | None) -> int | None:
    """Where a part is taken from: the chosen place, else its default place or the place holding most of it."""
    if chosen is not None:
        return chosen
    if document.kind == DocumentKind.SUPPLIER_RETURN:
        return None  # the service takes it from where the receipt put it
    if document.kind == DocumentKind.COUNT:
        return document.location_id
    balances = part_balances(uow_factory, part.id)
    if any(balance.location_id == part.default_location_id and balance.available > 0 for balance in balances):
        return part.default_location_id
    stocked = sorted((balance for balance in balances if balance.available > 0), key=lambda item: -item.available)
    if stocked:
        return stocked[0].location_id
    return part.default_location_id


def new_line(
    uow_factory: UnitOfWorkFactory, document: DocumentInfo, part: PartInfo, places: CurrentPlaces
) -> LineInput:
    """One of *part* with the places and price the document's kind needs."""
    kind = document.kind
    source = _source(uow_factory, document, part, places.source) if kind in TAKES_FROM else None
    target = (places.target or part.default_location_id) if kind in PUTS_TO else None
    title = f"{part.article} {part.name}"
    if kind in PUTS_TO and target is None:
        raise ValidationError(
            _("Choose the place {part} goes to, or scan the place's label first.").format(part=title), "to_location"
        )
    if kind in TAKES_FROM and source is None and kind != DocumentKind.SUPPLIER_RETURN:
        raise ValidationError(
            _("{part} is on no place; choose the place it is taken from.").format(part=title), "from_location"
        )
    price = (part.purchase_price or Decimal("0.00")) if kind == DocumentKind.RECEIPT else None
    return LineInput(part.id, ONE, price, source, target)


def matching_line(document: DocumentInfo, wanted: LineInput) -> LineInfo | None:
    """The line a second scan of the same part on the same places adds to."""
    for line in document.lines:
        if line.part_id != wanted.part_id or line.reservation_id is not None:
            continue
        if wanted.from_location_id is not None and line.from_location_id != wanted.from_location_id:
            continue
        if document.kind in PUTS_TO and line.to_location_id != wanted.to_location_id:
            continue
        return line
    return None


def add_part(
    uow_factory: UnitOfWorkFactory, document: DocumentInfo, part_id: int, places: CurrentPlaces
) -> DocumentInfo:
    """Add one of the part: a new line, or one more on its line (one more counted, on a count sheet)."""
    part = get_part(uow_factory, part_id)
    wanted = new_line(uow_factory, document, part, places)
    line = matching_line(document, wanted)
    if line is None:
        return add_lines(uow_factory, document.id, document.version, [wanted])
    if document.kind == DocumentKind.COUNT:
        return set_counted(uow_factory, document.id, document.version, {line.id: line.quantity + ONE})
    return update_line(uow_factory, document.id, document.version, line.id,
                       replace(line_input(line), quantity=line.quantity + ONE))  # fmt: skip


def resolve_scan(
    uow_factory: UnitOfWorkFactory, document: DocumentInfo, code: str, places: CurrentPlaces
) -> ScanResult:
    """A part's barcode adds the part; a place's label answers with the place; anything else is unknown."""
    part = find_by_barcode(uow_factory, code)
    if part is not None:
        return add_part(uow_factory, document, part.id, places)
    place = find_location_by_code(uow_factory, code)
    if place is not None:
        return place
    return UnknownCode(code)
