"""The building blocks every printed document shares: fonts, styles, header, tables, totals, signatures, pages."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from autoservice_desk.formatting import babel_locale, format_number
from autoservice_desk.i18n import _, current_language
from autoservice_desk.services.errors import ConfigurationError
from autoservice_desk.services.print_forms.data import ZERO, DocumentLine, ShopDetails, Totals

FONT, BOLD_FONT = "DocumentSans", "DocumentSans-Bold"
FONTS_DIR = Path(__file__).resolve().parents[3] / "resources" / "fonts"
MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN  # the width flowables may take
GRID = colors.black
HEADER_FILL = colors.HexColor("#e8e8e8")
QUIET = colors.HexColor("#555555")
NBSP = "\u00a0"


def register_fonts() -> None:
    """Register DejaVu Sans from resources/fonts once; reportlab's built-in fonts have no Cyrillic."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = FONTS_DIR / "DejaVuSans.ttf", FONTS_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        raise ConfigurationError(
            _("The document fonts are missing from {folder}; reinstall the application.").format(folder=FONTS_DIR)
        )
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD_FONT, str(bold)))
    # Lets <b> inside a paragraph pick the bold face.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD_FONT, italic=FONT, boldItalic=BOLD_FONT)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    strong: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle


@functools.cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9, textColor=QUIET),
        strong=ParagraphStyle("strong", parent=body, fontName=BOLD_FONT),
        title=ParagraphStyle("title", parent=body, fontName=BOLD_FONT, fontSize=13, leading=16, alignment=TA_CENTER,
                             spaceBefore=4 * mm, spaceAfter=1 * mm),
        subtitle=ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER, spaceAfter=3 * mm),
        heading=ParagraphStyle("heading", parent=body, fontName=BOLD_FONT, fontSize=10, leading=12,
                               spaceBefore=3 * mm, spaceAfter=1.5 * mm, keepWithNext=1),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=BOLD_FONT, fontSize=8, alignment=TA_CENTER),
    )  # fmt: skip


def para(text: str, style: ParagraphStyle | None = None, *, markup: bool = False) -> Paragraph:
    """A paragraph of *text*; names and notes typed by people are escaped (an "&" or "<" is text, not markup)."""
    return Paragraph(text if markup else escape(text).replace("\n", "<br/>"), style or styles().body)


def money(amount: Decimal) -> str:
    """`12 450,00` in Russian, `12,450.00` in English: tables print amounts without the currency sign."""
    return format_number(amount, 2)


def quantity(value: Decimal) -> str:
    """`1`, `1,5`, `0,25`: no trailing zeros."""
    return format_number(value)


def long_date(day: date) -> str:
    """`3 декабря 2026 г.` / `3 December 2026`, as a document's date is written."""
    from babel.dates import format_date

    return str(format_date(day, "long", locale=babel_locale()))


def short_moment(moment: datetime, zone: str) -> str:
    """`03.12.2026 10:30` in the shop's time zone."""
    local = moment.astimezone(ZoneInfo(zone))
    return local.strftime("%d.%m.%Y %H:%M" if current_language() == "ru" else "%d %b %Y %H:%M")


def join(*parts: str, separator: str = ", ") -> str:
    return separator.join(part for part in parts if part)


def tax_ids(inn: str, kpp: str) -> str:
    return join(_("INN {inn}").format(inn=inn) if inn else "", _("KPP {kpp}").format(kpp=kpp) if kpp else "")


# --- Header, title and the key/value blocks -------------------------------------------------------------------


def shop_header(shop: ShopDetails) -> list[Flowable]:
    """The shop's name large, its legal name and requisites, address and phones, and a rule under them."""
    style = styles()
    name = ParagraphStyle("shop", parent=style.strong, fontSize=12, leading=15)
    lines = [para(shop.name or shop.legal_name, name)]
    company = join(shop.legal_name if shop.legal_name != shop.name else "", tax_ids(shop.inn, shop.kpp),
                   _("OGRN {ogrn}").format(ogrn=shop.ogrn) if shop.ogrn else "")  # fmt: skip
    contacts = join(shop.address, _("phone {phone}").format(phone=shop.phone) if shop.phone else "", shop.email)
    lines += [para(text, style.small) for text in (company, contacts) if text]
    header = Table([[lines]], colWidths=[WIDTH])
    header.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1, GRID), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm)]))  # fmt: skip
    return [header]


def document_title(title: str, number: str, issued_on: date, subtitle: str = "") -> list[Flowable]:
    style = styles()
    # The number with its sign and the date stay on one line when a long title wraps ("… от 3 / декабря").
    date_text = long_date(issued_on).replace(" ", NBSP)
    heading = _("{title} No. {number} of {date}").format(title=title, number=number, date=date_text)
    flowables: list[Flowable] = [para(heading, style.title)]
    flowables.append(para(subtitle, style.subtitle) if subtitle else Spacer(1, 2 * mm))
    return flowables


def details_table(rows: Sequence[tuple[str, str]], label_width: float = 42 * mm) -> Table:
    """Label and value side by side (Client: …, Car: …); rows without a value are left out."""
    style = styles()
    data = [[para(label, style.small), para(value, style.body)] for label, value in rows if value]
    table = Table(data or [["", ""]], colWidths=[label_width, WIDTH - label_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))  # fmt: skip
    return table


def numbered_list(heading: str, items: Sequence[str]) -> list[Flowable]:
    """A heading and its items numbered 1., 2., …; nothing at all when there are no items."""
    if not items:
        return []
    return [para(heading, styles().heading), *(para(f"{index}. {item}") for index, item in enumerate(items, 1))]


# --- Line tables and totals -----------------------------------------------------------------------------------


def lines_table(lines: Sequence[DocumentLine], *, name_header: str) -> Table:
    """The numbered table of lines; long names wrap, the header row repeats on every page the table runs onto.

    The article and discount columns appear only when some line has an article or a discount. Cells are plain
    text (drawn in the table's font, numbers right-aligned) unless they need wrapping: a paragraph per cell
    would make a 50-line act four times slower to draw.
    """
    style = styles()
    with_code = any(line.code for line in lines)
    with_discount = any(line.discount for line in lines)
    headers = [_("No."), *([_("Article")] if with_code else []), name_header, _("Qty"), _("Unit"), _("Price"),
               *([_("Discount")] if with_discount else []), _("Amount")]  # fmt: skip
    widths = [8 * mm, *([24 * mm] if with_code else []), 0, 13 * mm, 11 * mm, 20 * mm,
              *([18 * mm] if with_discount else []), 23 * mm]  # fmt: skip
    name_column = 2 if with_code else 1
    widths[name_column] = WIDTH - sum(widths)
    data: list[list[Any]] = [[para(text, style.cell_head) for text in headers]]
    for index, line in enumerate(lines, start=1):
        row: list[Any] = [str(index)]
        if with_code:
            row.append(_cell(line.code, widths[1]))
        row += [_cell(line.name, widths[name_column]), quantity(line.quantity), _cell(line.unit, 11 * mm),
                money(line.price)]  # fmt: skip
        if with_discount:
            row.append(money(line.discount) if line.discount else "")
        row.append(money(line.amount))
        data.append(row)
    text_columns = {name_column, name_column + 2} | ({1} if with_code else set())
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("FONT", (0, 1), (-1, -1), FONT, style.cell.fontSize, style.cell.leading),
        ("ALIGN", (0, 1), (-1, -1), "RIGHT"),
        *(("ALIGN", (column, 1), (column, -1), "LEFT") for column in sorted(text_columns)),
    ]))  # fmt: skip
    return table


def _cell(text: str, width: float) -> str | Paragraph:
    """*text* as it is when it fits on one line of the column, else a paragraph that wraps."""
    cell = styles().cell
    if pdfmetrics.stringWidth(text, FONT, cell.fontSize) <= width - 4 and "\n" not in text:
        return text
    return para(text, cell)


def lines_sum(lines: Sequence[DocumentLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def sum_row(label: str, amount: Decimal) -> Table:
    """`Labour total: 4 500,00` right under a table."""
    return _right_aligned([(label, money(amount))])


def work_tables(labour: Sequence[DocumentLine], parts: Sequence[DocumentLine]) -> list[Flowable]:
    """The labour table and the parts table, each under its heading with its total; one without lines is left out."""
    style = styles()
    flowables: list[Flowable] = []
    if labour:
        flowables += [para(_("Labour"), style.heading), lines_table(labour, name_header=_("Job name")),
                      sum_row(_("Labour total:"), lines_sum(labour))]  # fmt: skip
    if parts:
        flowables += [para(_("Parts and materials"), style.heading), lines_table(parts, name_header=_("Part name")),
                      sum_row(_("Parts total:"), lines_sum(parts))]  # fmt: skip
    return flowables


def totals_block(totals: Totals) -> Table:
    """Total, the VAT row as a Russian document words it (VAT on top, "including VAT" or "without VAT"), to pay."""
    rows = []
    if totals.discount:
        rows.append((_("Discount given:"), money(totals.discount)))
    rows.append((_("Total:"), money(totals.subtotal)))
    rate = f"{quantity(totals.vat_rate)}%" if totals.vat_rate is not None else ""
    if totals.vat_rate is None:
        rows.append((_("Without VAT"), "—"))
    elif totals.vat_included:
        rows.append((_("Including VAT ({rate}):").format(rate=rate), money(totals.vat)))
    else:
        rows.append((_("VAT ({rate}):").format(rate=rate), money(totals.vat)))
    rows.append((_("Total to pay:"), money(totals.total)))
    return _right_aligned(rows)


def _right_aligned(rows: Sequence[tuple[str, str]]) -> Table:
    style = styles()
    label = ParagraphStyle("total_label", parent=style.strong, alignment=TA_RIGHT)
    data = [[para(text, label), para(value, ParagraphStyle("total", parent=label))] for text, value in rows]
    table = Table(data, colWidths=[WIDTH - 30 * mm, 30 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))  # fmt: skip
    return table


def amount_summary(count: int, totals: Totals, currency: str) -> list[Flowable]:
    """`Всего наименований 12, на сумму 12 450,00 ₽` and the amount in words in bold."""
    from babel.numbers import format_currency

    from autoservice_desk.services.print_forms.words import amount_in_words

    style = styles()
    amount = format_currency(totals.total, currency, format="#,##0.00\u00a0¤", locale=babel_locale(),
                             currency_digits=False)  # fmt: skip
    return [
        Spacer(1, 2 * mm),
        para(_("Items in total: {count}, amounting to {amount}").format(count=count, amount=amount)),
        para(amount_in_words(totals.total, currency), style.strong),
    ]


# --- Signatures and pages -------------------------------------------------------------------------------------


def signatures(*signers: tuple[str, str]) -> Table:
    """Each (role, name) side by side: the role, a line to sign on with the name beside it, and under the lines
    "signature" and "full name" as Russian forms caption them; a blank name leaves its line to write on."""
    style = styles()
    caption = ParagraphStyle("caption", parent=style.small, alignment=TA_CENTER, fontSize=6.5, leading=8)
    column = WIDTH / len(signers)
    line_width = (column - 8 * mm) * 0.45
    name_width = column - 8 * mm - line_width
    cells: list[Any] = []
    for role, name in signers:
        inner = Table(
            [[para(role, style.strong), ""],
             ["", para(name, ParagraphStyle("signer", parent=style.body, alignment=TA_CENTER))],
             [para(_("signature"), caption), para(_("full name"), caption)]],
            colWidths=[line_width, name_width],
        )  # fmt: skip
        inner.setStyle(TableStyle([
            ("SPAN", (0, 0), (1, 0)), ("LINEBELOW", (0, 1), (1, 1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 3 * mm), ("TOPPADDING", (0, 1), (-1, 1), 5 * mm),
            ("TOPPADDING", (0, 2), (-1, 2), 0.5),
        ]))  # fmt: skip
        cells.append(inner)
    table = Table([cells], colWidths=[column] * len(signers), hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6 * mm)]))
    table.keepWithNext = False
    return table


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end so every footer can say "Page N of M"."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self._draw_footer(count)
            super().showPage()
        super().save()

    def _draw_footer(self, count: int) -> None:
        self.setFont(FONT, 7.5)
        self.setFillColor(QUIET)
        self.drawString(MARGIN, 9 * mm, self.footer)
        page_text = _("Page {page} of {pages}").format(page=self._pageNumber, pages=count)
        self.drawRightString(A4[0] - MARGIN, 9 * mm, page_text)


def closing(*flowables: Flowable) -> KeepTogether:
    """The totals, the sum in words and the signatures stay on one page: a signature alone on the last page
    could be stapled to any document."""
    return KeepTogether([Spacer(1, 1.5 * mm), *flowables])


def build_pdf(story: Sequence[Flowable], *, title: str, author: str) -> bytes:
    """Lay *story* out on A4 pages with the footer (*title* and page N of M) and return the PDF's bytes.

    The output is invariant (no creation time or random id inside), so the same document renders to the same bytes.
    """
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=16 * mm,
        title=title, author=author, creator="autoservice_desk", invariant=True,
    )  # fmt: skip
    canvas_class = type("DocumentCanvas", (_NumberedCanvas,), {"footer": title})
    document.build(list(story), canvasmaker=canvas_class)
    return buffer.getvalue()
