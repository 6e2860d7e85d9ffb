"""The invoice (счёт на оплату) in the Russian layout: the bank details grid, parties, lines, VAT, sum in words."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from autoservice_desk.i18n import _
from autoservice_desk.services.print_forms.data import KIND_TITLES, DocumentKind, InvoiceForm, ShopDetails
from autoservice_desk.services.print_forms.layout import (
    GRID,
    WIDTH,
    amount_summary,
    build_pdf,
    closing,
    details_table,
    document_title,
    lines_table,
    long_date,
    para,
    shop_header,
    signatures,
    styles,
    totals_block,
)
from autoservice_desk.services.print_forms.parties import client_party, shop_party


def render_invoice(form: InvoiceForm) -> bytes:
    """The invoice's PDF, laid out as Russian payers expect so their bank can pay it from the details."""
    title = _(KIND_TITLES[DocumentKind.INVOICE])
    story: list[Flowable] = [*shop_header(form.shop), bank_details(form.shop)]
    story += document_title(title, form.number, form.issued_on)
    story.append(details_table([
        (_("Supplier (Executor)"), shop_party(form.shop)),
        (_("Payer (Customer)"), client_party(form.payer)),
        (_("Basis"), form.basis),
    ]))  # fmt: skip
    story += [Spacer(1, 2 * mm), lines_table(form.lines, name_header=_("Goods (work, services)"))]
    pay_by = [para(_("Please pay by {date}").format(date=long_date(form.pay_by)))] if form.pay_by else []
    story.append(closing(
        totals_block(form.totals), *amount_summary(len(form.lines), form.totals, form.shop.currency), *pay_by,
        signatures((_("Director"), ""), (_("Accountant"), "")),
    ))  # fmt: skip
    return build_pdf(story, title=f"{title} {form.number}", author=form.shop.company)


def bank_details(shop: ShopDetails) -> Table:
    """The grid at the top of every Russian invoice: recipient's bank, BIK, correspondent and settlement
    accounts, INN/KPP and the recipient, so the payer's bank can copy them into a payment order."""
    style = styles()
    label, value = style.small, style.body
    left, code_width = 100 * mm, 16 * mm
    data = [
        [para(shop.bank_name, value), "", para(_("BIK"), label), para(shop.bik, value)],
        [para(_("Recipient's bank"), label), "", para(_("Acc. No."), label), para(shop.corr_account, value)],
        [para(_("INN {inn}").format(inn=shop.inn) if shop.inn else _("INN"), value),
         para(_("KPP {kpp}").format(kpp=shop.kpp) if shop.kpp else _("KPP"), value),
         para(_("Acc. No."), label), para(shop.account, value)],
        [para(shop.company, value), "", "", ""],
        [para(_("Recipient"), label), "", "", ""],
    ]  # fmt: skip
    table = Table(data, colWidths=[left / 2, left / 2, code_width, WIDTH - left - code_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (1, 0)), ("SPAN", (0, 1), (1, 1)), ("SPAN", (0, 3), (1, 3)), ("SPAN", (0, 4), (1, 4)),
        ("SPAN", (2, 2), (2, 4)), ("SPAN", (3, 2), (3, 4)),
        ("BOX", (0, 0), (-1, -1), 0.7, GRID),
        ("BOX", (0, 0), (1, 1), 0.5, GRID), ("BOX", (2, 0), (2, 0), 0.5, GRID), ("BOX", (3, 0), (3, 0), 0.5, GRID),
        ("BOX", (2, 1), (2, 1), 0.5, GRID), ("BOX", (3, 1), (3, 1), 0.5, GRID),
        ("BOX", (0, 2), (0, 2), 0.5, GRID), ("BOX", (1, 2), (1, 2), 0.5, GRID),
        ("BOX", (2, 2), (2, 4), 0.5, GRID), ("BOX", (3, 2), (3, 4), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
    ]))  # fmt: skip
    table.spaceBefore = 4 * mm
    return table
