"""The completion act (акт выполненных работ): labour done and parts fitted, totals, the sum in words."""

from __future__ import annotations

from reportlab.platypus import Flowable

from autoservice_desk.i18n import _
from autoservice_desk.services.print_forms.data import KIND_TITLES, CompletionActForm, DocumentKind
from autoservice_desk.services.print_forms.layout import (
    amount_summary,
    build_pdf,
    closing,
    details_table,
    document_title,
    numbered_list,
    para,
    shop_header,
    signatures,
    totals_block,
    work_tables,
)
from autoservice_desk.services.print_forms.parties import car_rows, client_party, shop_party


def render_completion_act(form: CompletionActForm) -> bytes:
    """The completion act's PDF."""
    title = _(KIND_TITLES[DocumentKind.COMPLETION_ACT])
    subtitle = _("to work order No. {number}").format(number=form.work_order_number)
    story: list[Flowable] = [*shop_header(form.shop), *document_title(title, form.number, form.issued_on, subtitle)]
    story.append(details_table([
        (_("Executor"), shop_party(form.shop)),
        (_("Customer"), client_party(form.client)),
        *car_rows(form.car),
    ]))  # fmt: skip
    story += work_tables(form.labour, form.parts)
    story += numbered_list(_("Under warranty (not charged to the customer)"), form.uncharged)
    story.append(closing(
        totals_block(form.totals),
        *amount_summary(len(form.labour) + len(form.parts), form.totals, form.shop.currency),
        para(_("The work listed above has been done in full and on time. The Customer has no claims as to its "
               "scope, quality or timing.")),
        signatures((_("Executor"), form.advisor), (_("Customer"), form.client.signature_name)),
    ))  # fmt: skip
    return build_pdf(story, title=f"{title} {form.number}", author=form.shop.company)
