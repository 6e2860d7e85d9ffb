"""What a printed document shows: frozen dataclasses filled by the services and drawn by the print forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from autoservice_desk.config import (
    SHOP_ACCOUNT,
    SHOP_ADDRESS,
    SHOP_BANK,
    SHOP_BIK,
    SHOP_CORR_ACCOUNT,
    SHOP_CURRENCY,
    SHOP_EMAIL,
    SHOP_INN,
    SHOP_KPP,
    SHOP_LEGAL_NAME,
    SHOP_NAME,
    SHOP_OGRN,
    SHOP_PHONE,
    SHOP_TIMEZONE,
    SHOP_VAT_MODE,
    Settings,
)
from autoservice_desk.i18n import N_

ZERO = Decimal("0.00")


class DocumentKind(StrEnum):
    WORK_ORDER = "work_order"
    HANDOVER_ACT = "handover_act"
    COMPLETION_ACT = "completion_act"
    INVOICE = "invoice"


# Translated when printed or shown: "Invoice" becomes "Счёт на оплату" in a Russian shop.
KIND_TITLES = {
    DocumentKind.WORK_ORDER: N_("Work order"),
    DocumentKind.HANDOVER_ACT: N_("Vehicle hand-over act"),
    DocumentKind.COMPLETION_ACT: N_("Completion act"),
    DocumentKind.INVOICE: N_("Invoice"),
}


@dataclass(frozen=True)
class ShopDetails:
    """The shop's requisites as set in Settings → Shop details (the header and the invoice's bank block)."""

    name: str
    legal_name: str = ""
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_name: str = ""
    bik: str = ""
    account: str = ""
    corr_account: str = ""
    vat_mode: str = "no_vat"
    currency: str = "RUB"
    timezone: str = "Europe/Moscow"

    @property
    def company(self) -> str:
        """The name a contract party is called by: the legal name, or the shop's name when there is none."""
        return self.legal_name or self.name

    @classmethod
    def from_settings(cls, settings: Settings) -> ShopDetails:
        return cls(
            name=settings.get(SHOP_NAME), legal_name=settings.get(SHOP_LEGAL_NAME), inn=settings.get(SHOP_INN),
            kpp=settings.get(SHOP_KPP), ogrn=settings.get(SHOP_OGRN), address=settings.get(SHOP_ADDRESS),
            phone=settings.get(SHOP_PHONE), email=settings.get(SHOP_EMAIL), bank_name=settings.get(SHOP_BANK),
            bik=settings.get(SHOP_BIK), account=settings.get(SHOP_ACCOUNT),
            corr_account=settings.get(SHOP_CORR_ACCOUNT), vat_mode=settings.get(SHOP_VAT_MODE),
            currency=settings.get(SHOP_CURRENCY), timezone=settings.get(SHOP_TIMEZONE),
        )  # fmt: skip


@dataclass(frozen=True)
class ClientDetails:
    """The client as a contract party: a person's full name or a company with its requisites."""

    name: str
    phone: str = ""
    address: str = ""
    inn: str = ""
    kpp: str = ""
    email: str = ""
    short_name: str = ""  # `Иванов П. С.` under a signature line; the full name when empty

    @property
    def signature_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class CarDetails:
    """The car as documents name it; *fuel_level* is free text ("1/2", "50 %") and printed only when given."""

    make_model: str
    year: int | None = None
    plate: str = ""
    vin: str = ""
    colour: str = ""
    mileage_km: int | None = None
    fuel_level: str = ""


@dataclass(frozen=True)
class DocumentLine:
    """A row of a table: a labour line (quantity in labour hours) or a part; *amount* is after the discount."""

    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    amount: Decimal
    code: str = ""  # the part's article or the operation's code
    discount: Decimal = ZERO  # money taken off this line


@dataclass(frozen=True)
class Totals:
    """The sums at the foot of a document, as the work order computed them (never recomputed here).

    *subtotal* is what the lines add up to after discounts; with VAT on top *total* = *subtotal* + *vat*,
    with VAT included *total* = *subtotal* and *vat* is the part of it that is tax; *vat_rate* None means no VAT.
    """

    subtotal: Decimal
    total: Decimal
    vat: Decimal = ZERO
    vat_rate: Decimal | None = None
    vat_included: bool = False
    discount: Decimal = ZERO


@dataclass(frozen=True)
class WorkOrderForm:
    """заказ-наряд: what the client agreed to at intake, and later what was done."""

    number: str
    issued_on: date
    shop: ShopDetails
    client: ClientDetails
    car: CarDetails
    received_at: datetime | None = None
    promised_at: datetime | None = None
    advisor: str = ""
    complaint: str = ""
    labour: tuple[DocumentLine, ...] = ()
    parts: tuple[DocumentLine, ...] = ()
    client_parts: tuple[str, ...] = ()  # the client's own parts, fitted without charge
    uncharged: tuple[str, ...] = ()  # warranty work and parts: done, not billed to the client
    recommendations: tuple[str, ...] = ()
    totals: Totals = Totals(ZERO, ZERO)


@dataclass(frozen=True)
class HandoverActForm:
    """акт приёма-передачи автомобиля at intake: the car's mileage, fuel, visible condition and belongings."""

    number: str
    issued_on: date
    shop: ShopDetails
    client: ClientDetails
    car: CarDetails
    work_order_number: str
    received_at: datetime | None = None
    condition: str = ""  # visible damage in the advisor's words; empty means none was seen
    belongings: tuple[str, ...] = ()
    complaint: str = ""
    advisor: str = ""


@dataclass(frozen=True)
class CompletionActForm:
    """акт выполненных работ: the labour done and the parts fitted, with the totals to pay."""

    number: str
    issued_on: date
    shop: ShopDetails
    client: ClientDetails
    car: CarDetails
    work_order_number: str
    labour: tuple[DocumentLine, ...] = ()
    parts: tuple[DocumentLine, ...] = ()
    uncharged: tuple[str, ...] = ()
    totals: Totals = Totals(ZERO, ZERO)
    advisor: str = ""


@dataclass(frozen=True)
class InvoiceForm:
    """счёт на оплату: the shop's bank details, the payer, one table of everything to pay, the sum in words."""

    number: str
    issued_on: date
    shop: ShopDetails
    payer: ClientDetails
    basis: str  # "Work order WO-2026-000123": what the invoice is for
    lines: tuple[DocumentLine, ...] = ()
    totals: Totals = Totals(ZERO, ZERO)
    pay_by: date | None = None


DocumentForm = WorkOrderForm | HandoverActForm | CompletionActForm | InvoiceForm
