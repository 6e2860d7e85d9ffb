"""The four printed documents as PDFs: what pdftotext reads back, pages, the sum in words, a page rendered."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from print_form_samples import (
    CLIENT,
    LONG_NAME,
    completion_act_form,
    handover_act_form,
    invoice_form,
    work_order_form,
)

from autoservice_desk.i18n import install_language
from autoservice_desk.services.errors import ConfigurationError
from autoservice_desk.services.print_forms import layout, render
from autoservice_desk.services.print_forms.data import ClientDetails, DocumentForm, Totals
from autoservice_desk.services.print_forms.words import amount_in_words

TOTAL_WORDS_RU = "Одиннадцать тысяч двести семьдесят пять рублей 00 копеек"  # 11 275,00 in the samples
TOTAL_WORDS_EN = "Eleven thousand, two hundred and seventy-five roubles 00 kopeks"


def pdf_text(pdf: bytes, *, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text as pdftotext reads it (what a person copying from the document gets), spaces normalised."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    text = subprocess.run(["pdftotext", *pages, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return re.sub(r"[ \u00a0]+", " ", text.decode("utf-8"))


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


@pytest.fixture
def russian(isolated_home: Path) -> None:
    install_language("ru", isolated_home / "cache")


@pytest.mark.parametrize("form", [work_order_form(), handover_act_form(), completion_act_form(), invoice_form()],
                         ids=["work_order", "handover_act", "completion_act", "invoice"])  # fmt: skip
def test_each_document_names_the_shop_client_and_car(russian: None, form: DocumentForm, tmp_path: Path) -> None:
    pdf = render(form)
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # DejaVu embedded: Cyrillic prints as letters
    text = pdf_text(pdf)
    assert "Автосервис «Мотор»" in text and "7707083893" in text and "773601001" in text
    assert CLIENT.name in text or "Иванов П. С." in text
    assert form.number in text and "3 декабря 2026 г." in text
    if not isinstance(form, type(invoice_form())):
        assert "Lada Vesta, 2021" in text and "А123ВС777" in text and "XTAGFL110MY123456" in text
        assert "48 250" in text
    image = subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-", str(tmp_path / "page")],
                           input=pdf, capture_output=True, check=True)  # fmt: skip
    assert image.returncode == 0 and (tmp_path / "page-1.png").read_bytes().startswith(b"\x89PNG")


def test_completion_act_totals_and_amount_in_words(russian: None) -> None:
    text = pdf_text(render(completion_act_form()))
    for amount in ("9 225,00", "2 050,00", "11 275,00", "1 879,17", "625,00"):  # labour, parts, total, VAT, discount
        assert amount in text
    assert TOTAL_WORDS_RU in text
    assert "5 625,00" in text and "2,5" in text  # a line: 2.5 hours, after its discount


def test_invoice_has_the_bank_details_and_the_sum_in_words(russian: None) -> None:
    text = pdf_text(render(invoice_form()))
    for value in ("ПАО СБЕРБАНК г. Москва", "044525225", "30101810400000000225", "40702810938000012345",
                  "ООО «Мотор-Сервис»", "Заказ-наряд № ЗН-2026-000123", "11 275,00", "1 879,17"):  # fmt: skip
        assert value in text
    assert TOTAL_WORDS_RU in text


def test_handover_act_records_condition_belongings_and_fuel(russian: None) -> None:
    text = pdf_text(render(handover_act_form()))
    assert "Царапина на заднем бампере слева" in text and "Детское кресло" in text and "Аптечка" in text
    assert "1/2" in text and "ЗН-2026-000123" in text
    bare = pdf_text(render(dataclasses.replace(handover_act_form(), condition="", belongings=())))
    assert "Видимых повреждений не обнаружено." in bare and "Царапина" not in bare


def test_english_documents_speak_english() -> None:
    text = pdf_text(render(invoice_form()))
    assert "Invoice No. СЧ-2026-000012 of 3 December 2026" in text
    assert "Including VAT (20%):" in text and "Total to pay:" in text and "11,275.00" in text
    assert TOTAL_WORDS_EN in text
    assert "Page 1 of 1" in text


@pytest.mark.parametrize(
    ("totals", "expected", "absent"),
    [
        (Totals(Decimal("100.00"), Decimal("120.00"), Decimal("20.00"), Decimal(20)), "VAT (20%):", "Including"),
        (Totals(Decimal("120.00"), Decimal("120.00"), Decimal("20.00"), Decimal(20), True), "Including VAT (20%):",
         "Without"),
        (Totals(Decimal("120.00"), Decimal("120.00")), "Without VAT", "VAT ("),
    ],
    ids=["vat_on_top", "vat_included", "no_vat"],
)  # fmt: skip
def test_the_vat_row_follows_the_vat_mode(totals: Totals, expected: str, absent: str) -> None:
    text = pdf_text(render(dataclasses.replace(invoice_form(), totals=totals)))
    assert expected in text and absent not in text
    assert "One hundred and twenty roubles 00 kopeks" in text


def test_many_lines_flow_onto_the_next_page_with_the_header_repeated() -> None:
    pdf = render(invoice_form(labour=25, parts=25))
    assert page_count(pdf) >= 2
    second = pdf_text(pdf, first=2, last=2)
    assert "Goods (work, services)" in second and "Qty" in second and "Amount" in second  # the header again
    assert f"Page 2 of {page_count(pdf)}" in second
    assert "74,450.00" in pdf_text(pdf)
    whole = " ".join(pdf_text(pdf).split())
    assert all(word in whole for word in LONG_NAME.split())  # wrapped, nothing cut off
    # The closing block (totals, words, signatures) is never split from the sum in words.
    last = pdf_text(pdf, first=page_count(pdf), last=page_count(pdf))
    assert "Total to pay:" in last and "Director" in last


def test_names_people_typed_are_text_not_markup() -> None:
    payer = ClientDetails(name="ООО «Рога & Копыта» <b>", inn="7707083893")
    text = pdf_text(render(dataclasses.replace(invoice_form(), payer=payer)))
    assert "ООО «Рога & Копыта» <b>" in text


def test_the_same_form_renders_to_the_same_bytes() -> None:
    assert render(completion_act_form()) == render(completion_act_form())


@pytest.mark.parametrize(
    ("amount", "russian_words", "english_words"),
    [
        ("12450.00", "Двенадцать тысяч четыреста пятьдесят рублей 00 копеек",
         "Twelve thousand, four hundred and fifty roubles 00 kopeks"),
        ("1.01", "Один рубль 01 копейка", "One rouble 01 kopek"),
        ("2.02", "Два рубля 02 копейки", "Two roubles 02 kopeks"),
        ("5.05", "Пять рублей 05 копеек", "Five roubles 05 kopeks"),
        ("21.21", "Двадцать один рубль 21 копейка", "Twenty-one roubles 21 kopeks"),
        ("112.14", "Сто двенадцать рублей 14 копеек", "One hundred and twelve roubles 14 kopeks"),
        ("1000000.00", "Один миллион рублей 00 копеек", "One million roubles 00 kopeks"),
        ("0.00", "Ноль рублей 00 копеек", "Zero roubles 00 kopeks"),
    ],
)  # fmt: skip
def test_amount_in_words(amount: str, russian_words: str, english_words: str) -> None:
    assert amount_in_words(Decimal(amount), "RUB", "ru") == russian_words
    assert amount_in_words(Decimal(amount), "RUB", "en") == english_words


def test_amount_in_words_follows_the_active_language(russian: None) -> None:
    assert amount_in_words(Decimal("3.50")) == "Три рубля 50 копеек"
    assert amount_in_words(Decimal("3.50"), "KZT") == "Три тенге 50 тиынов"


def test_missing_fonts_are_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(layout, "FONT", "NoSuchDocumentFont")
    monkeypatch.setattr(layout, "FONTS_DIR", tmp_path)
    with pytest.raises(ConfigurationError, match="fonts"):
        layout.register_fonts()
