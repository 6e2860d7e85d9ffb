"""Sample forms for the print-form tests and the bench: a Russian shop, a client, a car and N lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from autoservice_desk.services.print_forms.data import (
    CarDetails,
    ClientDetails,
    CompletionActForm,
    DocumentLine,
    HandoverActForm,
    InvoiceForm,
    ShopDetails,
    Totals,
    WorkOrderForm,
)

SHOP = ShopDetails(
    name="Автосервис «Мотор»", legal_name="ООО «Мотор-Сервис»", inn="7707083893", kpp="773601001",
    ogrn="1027700132195", address="г. Москва, ул. Автозаводская, д. 23, стр. 1", phone="+7 495 123-45-67",
    email="service@motor.example", bank_name="ПАО СБЕРБАНК г. Москва", bik="044525225",
    account="40702810938000012345", corr_account="30101810400000000225", vat_mode="vat20_included",
)  # fmt: skip
CLIENT = ClientDetails(name="Иванов Пётр Сергеевич", phone="+7 912 345-67-89", address="г. Москва, ул. Ленина, д. 1",
                       short_name="Иванов П. С.")
CAR = CarDetails(make_model="Lada Vesta", year=2021, plate="А123ВС777", vin="XTAGFL110MY123456", colour="белый",
                 mileage_km=48250, fuel_level="1/2")  # fmt: skip
LONG_NAME = ("Замена ремня газораспределительного механизма с роликами и помпой, с регулировкой натяжения "
             "и проверкой меток после двух оборотов коленчатого вала")  # fmt: skip
ISSUED_ON = date(2026, 12, 3)
RECEIVED_AT = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)


def labour_lines(count: int) -> tuple[DocumentLine, ...]:
    lines = [DocumentLine(LONG_NAME, Decimal("2.5"), "н/ч", Decimal("2500.00"), Decimal("5625.00"),
                          discount=Decimal("625.00"))]  # fmt: skip
    lines += [DocumentLine(f"Работа № {index}: диагностика подвески", Decimal("1"), "н/ч", Decimal("1800.00"),
                           Decimal("1800.00")) for index in range(2, count + 1)]  # fmt: skip
    return tuple(lines[:count])


def part_lines(count: int) -> tuple[DocumentLine, ...]:
    return tuple(
        DocumentLine(f"Фильтр масляный № {index}", Decimal("2"), "шт", Decimal("512.50"), Decimal("1025.00"),
                     code=f"OC {90 + index}")
        for index in range(1, count + 1)
    )  # fmt: skip


def totals_of(*groups: tuple[DocumentLine, ...]) -> Totals:
    """VAT 20 % included, as SHOP's mode says: the tax is 20/120 of the total, rounded to kopecks."""
    subtotal = sum((line.amount for group in groups for line in group), Decimal("0.00"))
    discount = sum((line.discount for group in groups for line in group), Decimal("0.00"))
    vat = (subtotal * 20 / 120).quantize(Decimal("0.01"))
    return Totals(subtotal=subtotal, total=subtotal, vat=vat, vat_rate=Decimal(20), vat_included=True,
                  discount=discount)  # fmt: skip


def work_order_form(labour: int = 3, parts: int = 2) -> WorkOrderForm:
    labour_rows, part_rows = labour_lines(labour), part_lines(parts)
    return WorkOrderForm(
        number="ЗН-2026-000123", issued_on=ISSUED_ON, shop=SHOP, client=CLIENT, car=CAR, received_at=RECEIVED_AT,
        promised_at=datetime(2026, 12, 4, 15, 0, tzinfo=UTC), advisor="Смирнова А. В.",
        complaint="Стук спереди справа на неровностях, горит лампа ABS", labour=labour_rows, parts=part_rows,
        client_parts=("Щётки стеклоочистителя Bosch (клиент привёз сам)",),
        recommendations=("Заменить передние тормозные диски (износ 80 %)", "Заменить антифриз"),
        totals=totals_of(labour_rows, part_rows),
    )  # fmt: skip


def handover_act_form() -> HandoverActForm:
    return HandoverActForm(
        number="АП-2026-000045", issued_on=ISSUED_ON, shop=SHOP, client=CLIENT, car=CAR,
        work_order_number="ЗН-2026-000123", received_at=RECEIVED_AT,
        condition="Царапина на заднем бампере слева, скол на лобовом стекле", belongings=("Детское кресло", "Аптечка"),
        complaint="Стук спереди справа", advisor="Смирнова А. В.",
    )  # fmt: skip


def completion_act_form(labour: int = 3, parts: int = 2) -> CompletionActForm:
    labour_rows, part_rows = labour_lines(labour), part_lines(parts)
    return CompletionActForm(
        number="АВР-2026-000077", issued_on=ISSUED_ON, shop=SHOP, client=CLIENT, car=CAR,
        work_order_number="ЗН-2026-000123", labour=labour_rows, parts=part_rows,
        totals=totals_of(labour_rows, part_rows), advisor="Смирнова А. В.",
    )  # fmt: skip


def invoice_form(labour: int = 3, parts: int = 2) -> InvoiceForm:
    lines = labour_lines(labour) + part_lines(parts)
    return InvoiceForm(
        number="СЧ-2026-000012", issued_on=ISSUED_ON, shop=SHOP, payer=CLIENT,
        basis="Заказ-наряд № ЗН-2026-000123", lines=lines, totals=totals_of(lines), pay_by=date(2026, 12, 8),
    )  # fmt: skip
