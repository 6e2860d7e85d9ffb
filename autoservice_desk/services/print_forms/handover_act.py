"""The vehicle hand-over act at intake (акт приёма-передачи): mileage, fuel, visible condition, belongings."""

from __future__ import annotations

from reportlab.platypus import Flowable

from autoservice_desk.i18n import _
from autoservice_desk.services.print_forms.data import KIND_TITLES, DocumentKind, HandoverActForm
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
)
from autoservice_desk.services.print_forms.parties import car_rows, client_party, shop_party


def render_handover_act(form: HandoverActForm) -> bytes:
    """The hand-over act's PDF: what the car was like when the shop took it, both sides sign."""
    style = styles()
    title = _(KIND_TITLES[DocumentKind.HANDOVER_ACT])
    subtitle = _("to work order No. {number}").format(number=form.work_order_number)
    story: list[Flowable] = [*shop_header(form.shop), *document_title(title, form.number, form.issued_on, subtitle)]
    received = short_moment(form.received_at, form.shop.timezone) if form.received_at else ""
    story.append(details_table([
        (_("Executor"), shop_party(form.shop)),
        (_("Customer"), client_party(form.client)),
        (_("Car received"), received),
        *car_rows(form.car),
        (_("Customer's complaint"), form.complaint),
    ]))  # fmt: skip
    story.append(para(_("Visible condition and damage"), style.heading))
    story.append(para(form.condition or _("No visible damage noted.")))
    belongings = _("Customer's belongings left in the car")
    story += numbered_list(belongings, form.belongings) or [para(belongings, style.heading), para(_("None."))]
    statement = _("The Customer handed over and the Executor accepted the car described above for the work under work "
                  "order No. {number}. The mileage, fuel level, condition and belongings are recorded as seen by both "
                  "parties.").format(number=form.work_order_number)  # fmt: skip
    story.append(closing(
        para(_("Statement"), style.heading), para(statement),
        signatures((_("Handed over (Customer)"), form.client.signature_name),
                   (_("Accepted (Executor)"), form.advisor)),
    ))  # fmt: skip
    return build_pdf(story, title=f"{title} {form.number}", author=form.shop.company)
