"""A work order's four documents on SQLite and PostgreSQL, built from the order itself and stored as printed."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from print_form_samples import SHOP
from work_order_shop import ADVISOR, MECHANIC, WorkOrderShop, shop_with_events

from autoservice_desk.config import SHOP_NAME, SHOP_VAT_MODE, Settings
from autoservice_desk.formatting import format_number
from autoservice_desk.services.errors import PermissionDeniedError, ValidationError
from autoservice_desk.services.print_forms.data import DocumentKind
from autoservice_desk.services.print_forms.words import amount_in_words
from autoservice_desk.services.printed_documents import get_document_pdf, list_documents
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_documents import print_work_order_document
from autoservice_desk.services.work_order_lines import LabourInput, add_labour
from autoservice_desk.services.work_order_parts import OwnPartInput, StockPartInput, add_own_part, add_stock_part
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import WorkOrderCard, WorkOrderStatus

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    yield from shop_with_events(uow_factory)


def text_of(shop: WorkOrderShop, document_id: int) -> str:
    pdf = get_document_pdf(shop.uow_factory, document_id)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", " ", text)


def full_order(shop: WorkOrderShop) -> WorkOrderCard:
    """TO-1 paid, rear pads under warranty, two pads from shelf A-03-2, the client's own wiper blades."""
    card = shop.open("TO-1", "BR-PADS-R", mileage=45_000, condition_notes="Скол на лобовом стекле",
                     belongings="Детское кресло\nАптечка; Зарядка")  # fmt: skip
    card = add_stock_part(shop.uow_factory, card.id, card.version,
                          StockPartInput(shop.stock.pads, shop.stock.a032, Decimal(2), Decimal("1800.00")))  # fmt: skip
    return add_own_part(shop.uow_factory, card.id, card.version, OwnPartInput("Щётки Bosch", Decimal(2)))


def test_the_four_documents_show_the_order(shop: WorkOrderShop) -> None:
    card = full_order(shop)
    advisor = shop.as_(ADVISOR)
    printed = {kind: print_work_order_document(advisor, card.id, kind, SHOP) for kind in DocumentKind}
    assert printed[DocumentKind.WORK_ORDER].number == card.header.number == "WO-2027-000001"
    assert printed[DocumentKind.HANDOVER_ACT].number == "HA-2027-000001"
    assert printed[DocumentKind.COMPLETION_ACT].number == "CA-2027-000001"
    assert printed[DocumentKind.INVOICE].number == "INV-2027-000001"
    total = format_number(card.totals.total, 2)
    words = amount_in_words(card.totals.total, "RUB", "en")
    for kind, info in printed.items():
        text = text_of(shop, info.id)
        assert "Иванов" in text and "Автосервис «Мотор»" in text and "1 March 2027" in text
        if kind is not DocumentKind.INVOICE:
            assert "Kia Rio, 2019" in text and "А123ВС77" in text and "45,000 km" in text
        if kind in (DocumentKind.COMPLETION_ACT, DocumentKind.INVOICE, DocumentKind.WORK_ORDER):
            assert "ТО-1 (регламентное обслуживание)" in text and "0986494104" in text and total in text
        if kind in (DocumentKind.COMPLETION_ACT, DocumentKind.INVOICE):
            assert words in text
    handover = text_of(shop, printed[DocumentKind.HANDOVER_ACT].id)
    assert "Скол на лобовом стекле" in handover and "Детское кресло" in handover and "3. Зарядка" in handover
    order = text_of(shop, printed[DocumentKind.WORK_ORDER].id)
    assert "Щётки Bosch" in order  # the client's own part, listed without a price
    assert "Замена задних тормозных колодок (warranty)" in order  # done under warranty, not billed
    invoice = text_of(shop, printed[DocumentKind.INVOICE].id)
    assert "Замена задних тормозных колодок" not in invoice and "Щётки Bosch" not in invoice
    assert "Work order No. WO-2027-000001 of 1 Mar 2027" in invoice
    assert [info.id for info in list_documents(shop.uow_factory, work_order_id=card.id)] == sorted(
        (info.id for info in printed.values()), reverse=True)  # fmt: skip
    summaries = {event.summary for event in list_events(shop.uow_factory, shop.client_id) if event.kind == "document"}
    assert "Invoice No. INV-2027-000001" in summaries and "Work order No. WO-2027-000001" in summaries


def test_a_reprint_is_the_first_print_until_the_order_changes(shop: WorkOrderShop) -> None:
    card = full_order(shop)
    advisor = shop.as_(ADVISOR)
    first = print_work_order_document(advisor, card.id, DocumentKind.COMPLETION_ACT, SHOP)
    shop.clock.advance(days=1)
    again = print_work_order_document(advisor, card.id, DocumentKind.COMPLETION_ACT, SHOP)
    assert again.reprinted and again.id == first.id
    assert get_document_pdf(shop.uow_factory, again.id) == get_document_pdf(shop.uow_factory, first.id)
    card = get_work_order(shop.uow_factory, card.id)
    add_labour(shop.uow_factory, card.id, card.version, LabourInput(shop.services["TO-AIR"]))
    changed = print_work_order_document(advisor, card.id, DocumentKind.COMPLETION_ACT, SHOP)
    assert not changed.reprinted and changed.number == "CA-2027-000002"
    assert "Замена воздушного фильтра" in text_of(shop, changed.id)
    assert "Замена воздушного фильтра" not in text_of(shop, first.id)  # the first stays as it was printed
    order_before = print_work_order_document(advisor, card.id, DocumentKind.WORK_ORDER, SHOP)
    assert order_before.number == "WO-2027-000001"  # a changed work order is reprinted under its own number


def test_settings_give_the_requisites_and_the_order_its_vat(shop: WorkOrderShop) -> None:
    card = shop.open("TO-1")
    settings = Settings({SHOP_NAME.key: "Гараж на Лесной", SHOP_VAT_MODE.key: "no_vat"})
    info = print_work_order_document(shop.as_(ADVISOR), card.id, DocumentKind.INVOICE, settings)
    text = text_of(shop, info.id)
    assert "Гараж на Лесной" in text
    assert ("VAT (20%):" in text) is (card.header.vat_mode == "vat20")  # the order keeps the mode it opened with


def test_what_cannot_be_printed(shop: WorkOrderShop) -> None:
    card = shop.open()
    with pytest.raises(ValidationError, match="nothing to pay"):
        print_work_order_document(shop.as_(ADVISOR), card.id, DocumentKind.INVOICE, SHOP)
    with pytest.raises(PermissionDeniedError):
        print_work_order_document(shop.as_(MECHANIC), card.id, DocumentKind.WORK_ORDER, SHOP)
    change_status(shop.uow_factory, card.id, card.version, WorkOrderStatus.CANCELLED, MOSCOW, "Клиент передумал")
    with pytest.raises(ValidationError, match="cancelled"):
        print_work_order_document(shop.as_(ADVISOR), card.id, DocumentKind.COMPLETION_ACT, SHOP)
    assert print_work_order_document(shop.as_(ADVISOR), card.id, DocumentKind.HANDOVER_ACT, SHOP).number
