"""Amounts in words for invoices and acts: `Двенадцать тысяч четыреста пятьдесят рублей 00 копеек`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from num2words import CONVERTER_CLASSES, num2words

from autoservice_desk.i18n import current_language

CENT = Decimal("0.01")


def amount_in_words(amount: Decimal, currency: str = "RUB", language: str | None = None) -> str:
    """*amount* as Russian (or English) accounting writes it: whole units in words, the cents as two digits,
    both with the plural form their number takes (1 рубль, 2 рубля, 5 рублей; 1 копейка, 2 копейки, 5 копеек).

    *language* defaults to the active catalog's; a currency num2words does not know is named by its code.
    """
    language = language or current_language()
    lang = language if language in CONVERTER_CLASSES else "en"
    converter = CONVERTER_CLASSES[lang]
    # Kopecks as an integer count, so no float ever sees the money.
    kopecks = int((abs(amount) / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    units, cents = divmod(kopecks, 100)
    forms = converter.CURRENCY_FORMS.get(currency)
    if forms:
        unit_name, cent_name = converter.pluralize(units, forms[0]), converter.pluralize(cents, forms[1])
    else:
        unit_name, cent_name = currency, ""
    text = " ".join(part for part in (num2words(units, lang=lang), unit_name, f"{cents:02d}", cent_name) if part)
    if amount < 0:
        text = f"{num2words(-1, lang=lang).split()[0]} {text}"  # the language's own word for minus
    return text[:1].upper() + text[1:]
