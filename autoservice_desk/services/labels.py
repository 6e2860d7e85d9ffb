"""Shelf and part labels as PDF: a Code128 barcode and a QR code, on an A4 sheet of labels or one label a page."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import ConfigurationError, NotFoundError
from autoservice_desk.services.locations import PATH_SEPARATOR, read_locations
from autoservice_desk.services.parts import read_parts
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

FONT, BOLD_FONT = "LabelSans", "LabelSans-Bold"
# Fonts with Cyrillic: DejaVu on Linux (the fonts-dejavu-core package), Arial on Windows and macOS.
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    (os.path.expandvars(r"%WINDIR%\Fonts\arial.ttf"), os.path.expandvars(r"%WINDIR%\Fonts\arialbd.ttf")),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
)
MAX_BAR_WIDTH = 0.5 * mm  # wider bars only make a short code longer, not easier to read
MIN_BAR_WIDTH = 0.19 * mm  # below this a handheld scanner misreads


@dataclass(frozen=True)
class LabelLayout:
    """A page of columns × rows labels of width × height, from the page's top left corner plus the margins."""

    key: str
    title: str  # N_(), translated when shown
    page: tuple[float, float]
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float


LAYOUTS = {
    # 8 × 37 mm is 296 mm: the sheet's half millimetre above and below is all the margin there is.
    "sheet": LabelLayout("sheet", N_("A4 sheet, 3 × 8 labels of 70 × 37 mm"), A4, 3, 8, 70 * mm, 37 * mm, 0,
                         (A4[1] - 8 * 37 * mm) / 2),
    "single": LabelLayout("single", N_("One 58 × 40 mm label a page (label printer)"), (58 * mm, 40 * mm), 1, 1,
                          58 * mm, 40 * mm, 0, 0),
}  # fmt: skip


@dataclass(frozen=True)
class Label:
    """What one label shows: *title* large, *subtitle* and *text* below, *code* as Code128 and as QR."""

    title: str
    subtitle: str
    text: str
    code: str


def register_fonts() -> None:
    """Register a TrueType font with Cyrillic once; reportlab's own fonts would print Russian as black boxes."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont(FONT, regular))
            pdfmetrics.registerFont(TTFont(BOLD_FONT, bold))
            return
    raise ConfigurationError(
        _("No font with Cyrillic letters was found for labels; install the DejaVu fonts (fonts-dejavu-core).")
    )


def _fit(text: str, font: str, size: float, width: float, smallest: float = 6) -> float:
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _clip(text: str, font: str, size: float, width: float) -> str:
    while text and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def _draw_label(canvas: Canvas, label: Label, x: float, y: float, width: float, height: float) -> None:
    pad = 2.5 * mm
    qr_size = min(height - 2 * pad, width * 0.36)
    text_width = width - 3 * pad - qr_size
    qr = QrCodeWidget(label.code, barLevel="M")
    left, bottom, right, top = qr.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (right - left), 0, 0, qr_size / (top - bottom), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, canvas, x + width - pad - qr_size, y + (height - qr_size) / 2)
    cursor = y + height - pad
    title_size = _fit(label.title, BOLD_FONT, 16, text_width)
    cursor -= title_size
    canvas.setFont(BOLD_FONT, title_size)
    canvas.drawString(x + pad, cursor, _clip(label.title, BOLD_FONT, title_size, text_width))
    canvas.setFont(FONT, 7)
    lines = simpleSplit(label.text, FONT, 7, text_width)
    if len(lines) > 2:  # the rest of a long name is cut, and says so
        lines = [lines[0], lines[1] + "…"]
    for line in ([label.subtitle] if label.subtitle else []) + lines:
        cursor -= 8.5
        canvas.drawString(x + pad, cursor, _clip(line, FONT, 7, text_width))
    bar_top = cursor - 2
    if label.code.isascii() and label.code.isprintable():  # Code128 has no Cyrillic: the QR alone then
        probe = code128.Code128(label.code, barWidth=1, barHeight=1, quiet=False)
        bar_width = max(min(text_width / probe.width, MAX_BAR_WIDTH), MIN_BAR_WIDTH)
        bar_height = min(bar_top - (y + pad + 8), 12 * mm)
        if bar_height >= 4 * mm:
            bars = code128.Code128(label.code, barWidth=bar_width, barHeight=bar_height, quiet=False)
            bars.drawOn(canvas, x + pad, y + pad + 8)
    canvas.setFont(FONT, 7)
    canvas.drawString(x + pad, y + pad, _clip(label.code, FONT, 7, text_width))


def render_labels(labels: Sequence[Label], layout: str = "sheet") -> bytes:
    """A PDF of *labels* laid out as *layout* ("sheet" or "single"), in order, as many pages as they need."""
    register_fonts()
    chosen = LAYOUTS[layout]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=chosen.page, pageCompression=1)
    canvas.setTitle(_("Labels"))
    per_page = chosen.columns * chosen.rows
    for index, label in enumerate(labels):
        if index and index % per_page == 0:
            canvas.showPage()
        column, row = index % per_page % chosen.columns, index % per_page // chosen.columns
        x = chosen.left + column * chosen.width
        y = chosen.page[1] - chosen.top - (row + 1) * chosen.height
        _draw_label(canvas, label, x, y, chosen.width, chosen.height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- Labels of places and parts ---------------------------------------------------------------------------------


def _location_labels(uow: UnitOfWork, location_ids: Sequence[int]) -> list[Label]:
    labels = []
    for place in read_locations(uow, location_ids):
        code = place.code or place.name
        above = place.path.rpartition(PATH_SEPARATOR)[0]
        labels.append(Label(code, above, place.name if place.name != code else "", code))
    return labels


def location_labels(uow_factory: UnitOfWorkFactory, location_ids: Sequence[int], layout: str = "sheet") -> bytes:
    """Shelf labels of *location_ids* (in that order): the place's code large, its path, the code as barcodes."""
    labels = run_in_transaction(uow_factory, lambda uow: _location_labels(uow, location_ids), read_only=True)
    return render_labels(labels, layout)


def part_labels(uow_factory: UnitOfWorkFactory, part_ids: Sequence[int], layout: str = "sheet") -> bytes:
    """Part labels, one per entry of *part_ids* (repeat an id for more copies): article and brand large, the
    name, and the part's first barcode (its article when it has none) as Code128 and QR."""

    def work(uow: UnitOfWork) -> list[Label]:
        parts = {part.id: part for part in read_parts(uow, part_ids)}
        labels = []
        for part_id in part_ids:
            part = parts.get(part_id)
            if part is None:
                raise NotFoundError(_("The part is no longer in the catalog."))
            code = part.barcodes[0] if part.barcodes else part.article
            place = _("Place {code}").format(code=part.default_location_code) if part.default_location_code else ""
            labels.append(Label(part.article, " · ".join(filter(None, (part.brand, place))), part.name, code))
        return labels

    return render_labels(run_in_transaction(uow_factory, work, read_only=True), layout)
