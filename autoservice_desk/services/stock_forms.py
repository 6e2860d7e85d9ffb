"""Stock documents' shapes: kinds, statuses, what a form submits, what a screen receives, and who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import PermissionDeniedError, ValidationError
from autoservice_desk.services.numbering import format_number as format_document_number
from autoservice_desk.services.unit_of_work import UnitOfWork

POSTING_ROLES = ("warehouse", "manager")  # admin is implied by Actor.has_role
ISSUE_DRAFT_ROLES = ("warehouse", "manager", "advisor")
RESERVING_ROLES = ("warehouse", "manager", "advisor")
QUANTITY_UNIT = Decimal("0.001")
PRICE_UNIT = Decimal("0.01")
COST_UNIT = Decimal("0.0001")


class DocumentKind(StrEnum):
    RECEIPT = "receipt"
    ISSUE = "issue"
    TRANSFER = "transfer"
    SUPPLIER_RETURN = "supplier_return"
    COUNT = "count"
    WRITE_OFF = "write_off"


class DocumentStatus(StrEnum):
    DRAFT = "draft"
    POSTED = "posted"


KIND_LABELS = {
    DocumentKind.RECEIPT: N_("Goods receipt"),
    DocumentKind.ISSUE: N_("Goods issue"),
    DocumentKind.TRANSFER: N_("Transfer"),
    DocumentKind.SUPPLIER_RETURN: N_("Return to supplier"),
    DocumentKind.COUNT: N_("Stock count"),
    DocumentKind.WRITE_OFF: N_("Write-off"),
}
# Printed before the number: "GR-2026-000012".
KIND_PREFIXES = {
    DocumentKind.RECEIPT: N_("GR"),
    DocumentKind.ISSUE: N_("GI"),
    DocumentKind.TRANSFER: N_("TR"),
    DocumentKind.SUPPLIER_RETURN: N_("RS"),
    DocumentKind.COUNT: N_("SC"),
    DocumentKind.WRITE_OFF: N_("WR"),
}


def sequence_name(kind: DocumentKind) -> str:
    """The numbering.next_number type of a kind: each kind counts from 1 every year."""
    return f"stock_{kind.value}"


def kind_label(kind: DocumentKind) -> str:
    return _(KIND_LABELS[kind])


def document_number(kind: DocumentKind, year: int, number: int | None) -> str:
    """`GR-2026-000012` for a posted document, "" for a draft."""
    return format_document_number(_(KIND_PREFIXES[kind]), year, number) if number is not None else ""


def quantity_text(quantity: Decimal) -> str:
    """A quantity without trailing zeros, in the active language (`1`, `2,5`)."""
    return format_number(quantity)


@dataclass(frozen=True)
class LineInput:
    """One line as the form submits it; which places and price a kind needs is checked by `check_line`.

    receipt: *to_location_id* and *price*; issue, write-off, return to supplier: *from_location_id* (an issue
    may name a *reservation_id*); transfer: both places; count: *from_location_id* and the counted *quantity*.
    """

    part_id: int
    quantity: Decimal
    price: Decimal | None = None
    from_location_id: int | None = None
    to_location_id: int | None = None
    reservation_id: int | None = None


@dataclass(frozen=True)
class DraftHeader:
    """The header fields of a draft; those a kind does not use are ignored. *document_date* None: today."""

    document_date: date | None = None
    supplier_id: int | None = None
    supplier_invoice: str = ""
    supplier_invoice_date: date | None = None
    client_id: int | None = None
    work_order_id: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class LineInfo:
    id: int
    position: int
    part_id: int
    article: str
    brand: str
    part_name: str
    unit: str
    quantity: Decimal  # a count: the counted quantity
    price: Decimal | None
    from_location_id: int | None
    from_location: str
    to_location_id: int | None
    to_location: str
    reservation_id: int | None
    book_quantity: Decimal | None = None  # a count: what the books say (now for a draft, then for a posted one)

    @property
    def amount(self) -> Decimal | None:
        return None if self.price is None else (self.quantity * self.price).quantize(PRICE_UNIT)


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    version: int
    kind: DocumentKind
    status: DocumentStatus
    year: int
    number: int | None
    display_number: str  # "" for a draft
    document_date: date
    supplier_id: int | None
    supplier_name: str
    supplier_invoice: str
    supplier_invoice_date: date | None
    client_id: int | None
    work_order_id: int | None
    location_id: int | None  # a count's place or warehouse
    location_name: str
    against_id: int | None  # a return's receipt
    reverses_id: int | None
    reversed_by_id: int | None
    reason: str
    posted_at: datetime | None
    posted_by: str | None
    lines: tuple[LineInfo, ...]
    total: Decimal  # Σ quantity × price over the lines that have a price

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.DRAFT


@dataclass(frozen=True)
class DocumentSummary:
    """A row of the documents list (no lines)."""

    id: int
    kind: DocumentKind
    status: DocumentStatus
    display_number: str
    document_date: date
    counterparty: str  # supplier, client or "work order 12"
    reason: str
    line_count: int
    total: Decimal
    posted_at: datetime | None
    reverses_id: int | None


def require_roles(uow: UnitOfWork, kind: DocumentKind | None, *, posting: bool = False) -> None:
    """Warehouse keepers and managers do everything; service advisors may prepare issue drafts."""
    if uow.actor.has_role(*POSTING_ROLES):
        return
    if not posting and kind == DocumentKind.ISSUE and uow.actor.has_role(*ISSUE_DRAFT_ROLES):
        return
    if posting:
        raise PermissionDeniedError(_("Only warehouse keepers, managers and administrators can post stock documents."))
    raise PermissionDeniedError(_("Only warehouse keepers and managers can prepare this document."))


def check_quantity(quantity: Decimal, fractional: bool, part_text: str, *, zero_allowed: bool = False) -> None:
    """Refuse a quantity below (or at) zero, with more than three places, or fractional for a piece part."""
    if quantity < 0 or (quantity == 0 and not zero_allowed):
        raise ValidationError(_("The quantity of {part} must be more than zero.").format(part=part_text), "quantity")
    if quantity != quantity.quantize(QUANTITY_UNIT):
        raise ValidationError(
            _("The quantity of {part} can have at most three decimal places.").format(part=part_text), "quantity"
        )
    if not fractional and quantity != quantity.to_integral_value():
        raise ValidationError(
            _("{part} is counted in whole units; enter a whole quantity.").format(part=part_text), "quantity"
        )


def check_places(kind: DocumentKind, line: LineInput, part_text: str) -> None:
    """The places and price each kind's line needs."""
    needs_from = kind in (
        DocumentKind.ISSUE, DocumentKind.TRANSFER, DocumentKind.SUPPLIER_RETURN, DocumentKind.COUNT,
        DocumentKind.WRITE_OFF,
    )  # fmt: skip
    needs_to = kind in (DocumentKind.RECEIPT, DocumentKind.TRANSFER)
    if needs_from and line.from_location_id is None:
        raise ValidationError(_("Choose the place {part} is taken from.").format(part=part_text), "from_location")
    if needs_to and line.to_location_id is None:
        raise ValidationError(_("Choose the place {part} goes to.").format(part=part_text), "to_location")
    if kind == DocumentKind.TRANSFER and line.from_location_id == line.to_location_id:
        raise ValidationError(
            _("{part} is moved to the place it is already on; choose another place.").format(part=part_text),
            "to_location",
        )
    if kind == DocumentKind.RECEIPT:
        if line.price is None or line.price < 0:
            raise ValidationError(_("Enter the purchase price of {part}.").format(part=part_text), "price")
        if line.price != line.price.quantize(PRICE_UNIT):
            raise ValidationError(_("A price has at most two decimal places."), "price")
    if line.reservation_id is not None and kind != DocumentKind.ISSUE:
        raise ValidationError(_("Only an issue can take a reserved part."), "reservation")
