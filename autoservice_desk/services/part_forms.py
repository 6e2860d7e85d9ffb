"""The part form as typed and its checks: units, article and brand keys, prices, barcodes with valid check digits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import FieldErrors
from autoservice_desk.services.form_values import clean_amount, clean_text
from autoservice_desk.services.text_keys import article_key, brand_key, fold_text

# The units a part is counted in; the keys are stored, the labels shown. Only measured units take fractions.
UNITS = {
    "pcs": N_("pcs"), "l": N_("l"), "m": N_("m"), "kg": N_("kg"), "set": N_("set"), "pair": N_("pair"),
    "pack": N_("pack"),
}  # fmt: skip
FRACTIONAL_UNITS = frozenset({"l", "m", "kg"})


def unit_label(unit: str) -> str:
    """The unit as the person reads it (`шт.` for `pcs`); an unknown stored unit is shown as it is."""
    return _(UNITS[unit]) if unit in UNITS else unit
MAX_MONEY = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_QUANTITY = Decimal("99999999999.999")  # Numeric(14, 3)
ARTICLE_LENGTH, BRAND_LENGTH, NAME_LENGTH, BARCODE_LENGTH = 60, 60, 300, 64
FIELD_LABELS = {
    "article": N_("article"), "brand": N_("brand"), "name": N_("name"), "unit": N_("unit"), "group_id": N_("group"),
    "min_stock": N_("minimum stock"), "purchase_price": N_("purchase price"), "sale_price": N_("sale price"),
    "notes": N_("notes"), "active": N_("active"), "barcodes": N_("barcodes"),
}  # fmt: skip


def is_fractional(unit: str) -> bool:
    """Whether a quantity in *unit* may have a fractional part (1.5 l of oil: yes; 1.5 filters: no)."""
    return unit in FRACTIONAL_UNITS


@dataclass(frozen=True)
class PartForm:
    """The part form as typed; amounts may be text (`1 250,50`) or Decimal, barcodes one per entry."""

    article: str = ""
    brand: str = ""
    name: str = ""
    unit: str = "pcs"
    group_id: int | None = None
    min_stock: str | Decimal = ""
    purchase_price: str | Decimal = ""
    sale_price: str | Decimal = ""  # empty: the price comes from the markup rules
    notes: str = ""
    active: bool = True
    barcodes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanPart:
    """A checked form: the columns of `parts` (keys included) and the barcodes, normalised."""

    article: str
    article_key: str
    brand: str
    brand_key: str
    name: str
    name_key: str
    unit: str
    fractional: bool
    group_id: int | None
    min_stock: Decimal
    purchase_price: Decimal | None
    sale_price: Decimal | None
    notes: str | None
    active: bool
    barcodes: tuple[str, ...]

    def columns(self) -> dict[str, object]:
        values = dict(self.__dict__)
        del values["barcodes"]
        return values


def ean_check_digit(digits: str) -> str:
    """The GS1 check digit of *digits* (the code without its last digit): weights 3 and 1 from the right."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def clean_barcode(text: str) -> tuple[str, str | None]:
    """A barcode as stored (no surrounding spaces) and the problem with it, if any.

    Codes of 8 or 13 digits are EAN-8/EAN-13 and must carry a right check digit: a mistyped digit is caught here,
    not at the till. Anything else printable (a supplier's Code128, a shop's own code) is kept as is.
    """
    code = text.strip()
    if not code:
        return code, _("The barcode is empty.")
    if len(code) > BARCODE_LENGTH:
        return code, _("A barcode has no more than {count} characters.").format(count=BARCODE_LENGTH)
    if not code.isprintable() or any(character.isspace() for character in code):
        return code, _("The barcode {code} has spaces or characters a scanner does not send.").format(code=code)
    if code.isdigit() and len(code) in (8, 13) and ean_check_digit(code[:-1]) != code[-1]:
        return code, _("The barcode {code} has a wrong check digit; check it against the label.").format(code=code)
    return code, None


def _clean_barcodes(entries: tuple[str, ...], problems: dict[str, str]) -> tuple[str, ...]:
    codes: list[str] = []
    for index, entry in enumerate(entries):
        if not entry.strip():
            continue
        code, problem = clean_barcode(entry)
        if problem is not None:
            problems[f"barcodes.{index}"] = problem
        elif code in codes:
            problems[f"barcodes.{index}"] = _("The barcode {code} is entered twice.").format(code=code)
        else:
            codes.append(code)
    return tuple(codes)


def _optional_money(text: str | Decimal, field: str, problems: dict[str, str]) -> Decimal | None:
    if isinstance(text, str) and not text.strip():
        return None
    return clean_amount(
        text, field, problems, places=2, maximum=MAX_MONEY, positive=False,
        message=_("The price is an amount in roubles with at most two decimal places, for example 1250.50."),
    )  # fmt: skip


def clean_part_form(form: PartForm, known_group_ids: frozenset[int]) -> CleanPart:
    """Every field checked at once: FieldErrors names each bad one (`barcodes.N` for the Nth barcode entry)."""
    problems: dict[str, str] = {}
    article = clean_text(form.article, ARTICLE_LENGTH, "article", problems, required=_("Enter the article."))
    key = article_key(article)
    if article and not key:
        problems["article"] = _("An article needs at least one letter or digit.")
    brand = clean_text(form.brand, BRAND_LENGTH, "brand", problems)
    name = clean_text(form.name, NAME_LENGTH, "name", problems, required=_("Enter the name of the part."))
    if form.unit not in UNITS:
        problems["unit"] = _("Choose the unit from the list.")
    if form.group_id is not None and form.group_id not in known_group_ids:
        problems["group_id"] = _("The group is no longer in the list.")
    fractional = is_fractional(form.unit)
    min_stock = Decimal(0)
    if not (isinstance(form.min_stock, str) and not form.min_stock.strip()):
        min_stock = clean_amount(
            form.min_stock, "min_stock", problems, places=3 if fractional else 0, maximum=MAX_QUANTITY,
            positive=False,
            message=_("The minimum stock is a number not below zero, for example 1.5.") if fractional
            else _("The minimum stock is a whole number not below zero, for example 4."),
        )  # fmt: skip
    purchase_price = _optional_money(form.purchase_price, "purchase_price", problems)
    sale_price = _optional_money(form.sale_price, "sale_price", problems)
    notes = form.notes.strip()
    barcodes = _clean_barcodes(form.barcodes, problems)
    if problems:
        raise FieldErrors(problems)
    return CleanPart(
        article, key, brand, brand_key(brand), name, fold_text(name), form.unit, fractional, form.group_id,
        min_stock.quantize(Decimal("0.001")), purchase_price, sale_price, notes or None, form.active, barcodes,
    )  # fmt: skip
