"""The work order (заказ-наряд) as printed: client, car, complaint, labour, parts, totals, recommendations."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from autoservice_desk.i18n import _
from autoservice_desk.services.print_forms.data import KIND_TITLES, DocumentKind, WorkOrderForm
from autoservice_desk.services.print_forms.layout import (
    build_pdf,
    closing,
    details_table,
    document_title,
    numbered_list,
    para,
    shop_header,
    short_moment,
    signatures,
    styles,
    totals_block,
    work_tables,
)
from autoservice_desk.services.print_forms.parties import car_rows, client_party, shop_party


def render_work_order(form: WorkOrderForm) -> bytes:
    """The work order's PDF."""
    style = styles()
    title = _(KIND_TITLES[DocumentKind.WORK_ORDER])
    zone = form.shop.timezone
    story: list[Flowable] = [*shop_header(form.shop), *document_title(title, form.number, form.issued_on)]
    story.append(details_table([
        (_("Executor"), shop_party(form.shop)),
        (_("Customer"), client_party(form.client)),
        *car_rows(form.car),
        (_("Car received"), short_moment(form.received_at, zone) if form.received_at else ""),
        (_("Promised by"), short_moment(form.promised_at, zone) if form.promised_at else ""),
        (_("Service advisor"), form.advisor),
        (_("Customer's complaint"), form.complaint),
    ]))  # fmt: skip
    story += work_tables(form.labour, form.parts)
    story += numbered_list(_("Customer's own parts (fitted without charge)"), form.client_parts)
    story += numbered_list(_("Under warranty (not charged to the customer)"), form.uncharged)
    story.append(KeepTogether([Spacer(1, 1.5 * mm), totals_block(form.totals)]))
    story += numbered_list(_("Recommendations"), form.recommendations)
    story.append(closing(
        para(_("I agree with the list and the cost of the work. The car was handed over; the shop is not liable "
               "for valuables left in it."), style.small),
        signatures((_("Executor"), form.advisor), (_("Customer"), form.client.signature_name)),
    ))  # fmt: skip
    return build_pdf(story, title=f"{title} {form.number}", author=form.shop.company)
