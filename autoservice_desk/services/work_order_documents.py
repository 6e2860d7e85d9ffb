"""The documents of a work order: its card turned into the print forms, then numbered, drawn and stored."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from autoservice_desk.config import Settings
from autoservice_desk.formatting import format_date
from autoservice_desk.i18n import N_, _
from autoservice_desk.models.clients import Client, Vehicle
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.errors import NotFoundError, ValidationError
from autoservice_desk.services.identity.phones import format_phone
from autoservice_desk.services.part_forms import unit_label
from autoservice_desk.services.print_forms.data import (
    CarDetails,
    ClientDetails,
    CompletionActForm,
    DocumentForm,
    DocumentKind,
    DocumentLine,
    HandoverActForm,
    InvoiceForm,
    ShopDetails,
    Totals,
    WorkOrderForm,
)
from autoservice_desk.services.printed_documents import PrintedDocumentInfo, require_printer, store_document
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_card import read_card
from autoservice_desk.services.work_order_totals import CHARGED_KIND, WorkOrderTotals
from autoservice_desk.services.work_order_types import LabourLineInfo, PartLineInfo, WorkOrderCard, WorkOrderStatus

HOURS_UNIT = N_("h")  # labour hours on a printed line (н/ч)
JOB_UNIT = N_("job")  # a fixed-price service counted as one (усл.)
OPEN_RECOMMENDATIONS = ("suggested", "declined")  # accepted ones are labour lines by now
# What the client does not pay for: the warranty company or the maker does; named apart on the documents.
UNCHARGED_KINDS = {"warranty": N_("warranty"), "extended": N_("extended warranty")}


def print_work_order_document(
    uow_factory: UnitOfWorkFactory, work_order_id: int, kind: DocumentKind, settings: Settings | ShopDetails
) -> PrintedDocumentInfo:
    """Print one of the work order's four documents with the shop's requisites from *settings*.

    Printing again while the order says the same returns the document as first printed; once the order has
    changed (lines added, a new total) a new one is numbered and stored, and the earlier stays as it was.
    """
    shop = settings if isinstance(settings, ShopDetails) else ShopDetails.from_settings(settings)

    def work(uow: UnitOfWork) -> PrintedDocumentInfo:
        require_printer(uow)
        card = read_card(uow, work_order_id)
        form = work_order_form_of(uow, card, kind, shop)
        info = store_document(uow, form, work_order_id=card.id, client_id=card.header.client_id)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def work_order_form_of(uow: UnitOfWork, card: WorkOrderCard, kind: DocumentKind, shop: ShopDetails) -> DocumentForm:
    """The form of *kind* for the order on *card*, dated today in the shop's time zone (acts and invoices unnumbered:
    the store numbers them)."""
    header = card.header
    if header.status is WorkOrderStatus.CANCELLED and kind in (DocumentKind.COMPLETION_ACT, DocumentKind.INVOICE):
        raise ValidationError(_("The work order is cancelled: there is no completion act or invoice to print."))
    client, car = _client(uow, header.client_id), _car(uow, header.vehicle_id, header.mileage)
    today = uow.clock().astimezone(ZoneInfo(shop.timezone)).date()
    labour = tuple(_labour_line(line) for line in card.labour if line.kind == CHARGED_KIND)
    parts = tuple(_part_line(line) for line in card.parts if line.kind == CHARGED_KIND and line.source != "own")
    totals = _totals(card.totals)
    if kind is DocumentKind.WORK_ORDER:
        return WorkOrderForm(
            number=header.number, issued_on=today, shop=shop, client=client, car=car, received_at=header.opened_at,
            promised_at=header.planned_at, advisor=header.advisor_name, complaint=header.complaint, labour=labour,
            parts=parts, client_parts=_client_parts(card), uncharged=_uncharged(card),
            recommendations=tuple(item.text for item in card.recommendations if item.status in OPEN_RECOMMENDATIONS),
            totals=totals,
        )  # fmt: skip
    if kind is DocumentKind.HANDOVER_ACT:
        return HandoverActForm(
            number="", issued_on=today, shop=shop, client=client, car=car, work_order_number=header.number,
            received_at=header.opened_at, condition=header.condition_notes.strip(),
            belongings=_items(header.belongings), complaint=header.complaint, advisor=header.advisor_name,
        )  # fmt: skip
    if kind is DocumentKind.COMPLETION_ACT:
        return CompletionActForm(
            number="", issued_on=today, shop=shop, client=client, car=car, work_order_number=header.number,
            labour=labour, parts=parts, uncharged=_uncharged(card), totals=totals, advisor=header.advisor_name,
        )  # fmt: skip
    if totals.total <= 0:
        raise ValidationError(_("There is nothing to pay on this work order, so there is no invoice to print."))
    basis = _("Work order No. {number} of {date}").format(number=header.number, date=_date(header.opened_at, shop))
    return InvoiceForm(number="", issued_on=today, shop=shop, payer=client, basis=basis, lines=labour + parts,
                       totals=totals)  # fmt: skip


def _client(uow: UnitOfWork, client_id: int) -> ClientDetails:
    client = uow.session.get(Client, client_id)
    if client is None:
        raise NotFoundError(_("The client of this work order no longer exists."))
    phone = client.phones[0].e164 if client.phones else ""
    short = ""
    if client.kind != "company" and client.surname and client.given_name:
        names = (client.given_name, client.patronymic)
        initials = " ".join(f"{name.strip()[0]}." for name in names if name and name.strip())
        short = f"{client.surname.strip()} {initials}"  # Иванов П. С.
    return ClientDetails(
        name=client_name(client), phone=format_phone(phone) if phone else "", address=client.address or "",
        inn=client.inn or "", kpp=client.kpp or "", email=client.email or "", short_name=short,
    )  # fmt: skip


def _car(uow: UnitOfWork, vehicle_id: int | None, mileage: int | None) -> CarDetails:
    vehicle = uow.session.get(Vehicle, vehicle_id) if vehicle_id is not None else None
    if vehicle is None:
        return CarDetails(make_model="", mileage_km=mileage)
    return CarDetails(
        make_model=" ".join(part for part in (vehicle.make, vehicle.model) if part), year=vehicle.year,
        plate=vehicle.plate or "", vin=vehicle.vin or vehicle.chassis_number or "", colour=vehicle.colour or "",
        mileage_km=mileage,
    )  # fmt: skip


def _labour_line(line: LabourLineInfo) -> DocumentLine:
    if line.fixed_price is not None:  # a fixed-price service is one job at its price, whatever the hours
        return DocumentLine(line.name, Decimal(1), _(JOB_UNIT), line.fixed_price, line.net, discount=line.discount)
    return DocumentLine(line.name, line.hours, _(HOURS_UNIT), line.hourly_rate, line.net, discount=line.discount)


def _part_line(line: PartLineInfo) -> DocumentLine:
    name = f"{line.name} ({line.brand})" if line.brand and line.brand not in line.name else line.name
    return DocumentLine(name, line.quantity, unit_label(line.unit), line.price, line.net, code=line.article,
                        discount=line.discount)  # fmt: skip


def _client_parts(card: WorkOrderCard) -> tuple[str, ...]:
    return tuple(
        " ".join(part for part in (line.name, line.article, f"× {line.quantity.normalize():f} {unit_label(line.unit)}")
                 if part)
        for line in card.parts if line.source == "own"
    )  # fmt: skip


def _uncharged(card: WorkOrderCard) -> tuple[str, ...]:
    """Warranty lines, named with their kind, so the client sees the work was done though not billed."""
    lines: list[LabourLineInfo | PartLineInfo] = [*card.labour, *card.parts]
    return tuple(f"{line.name} ({_(UNCHARGED_KINDS[line.kind])})" for line in lines if line.kind in UNCHARGED_KINDS)


def _totals(totals: WorkOrderTotals) -> Totals:
    rate = totals.vat_rate if totals.vat_rate else None
    return Totals(subtotal=totals.net, total=totals.total, vat=totals.vat, vat_rate=rate,
                  vat_included=totals.vat_included, discount=totals.discount)  # fmt: skip


def _items(text: str) -> tuple[str, ...]:
    """Belongings typed one a line (or separated by semicolons) as a list."""
    return tuple(item.strip() for line in text.splitlines() for item in line.split(";") if item.strip())


def _date(moment: datetime, shop: ShopDetails) -> str:
    return format_date(moment.astimezone(ZoneInfo(shop.timezone)).date())
