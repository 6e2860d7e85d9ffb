"""Printed documents of a work order as pure functions: a form (data.py) in, the PDF's bytes out."""

from __future__ import annotations

from autoservice_desk.services.print_forms.completion_act import render_completion_act
from autoservice_desk.services.print_forms.data import (
    CompletionActForm,
    DocumentForm,
    DocumentKind,
    HandoverActForm,
    InvoiceForm,
    WorkOrderForm,
)
from autoservice_desk.services.print_forms.handover_act import render_handover_act
from autoservice_desk.services.print_forms.invoice import render_invoice
from autoservice_desk.services.print_forms.work_order import render_work_order


def kind_of(form: DocumentForm) -> DocumentKind:
    """Which document *form* describes."""
    if isinstance(form, WorkOrderForm):
        return DocumentKind.WORK_ORDER
    if isinstance(form, HandoverActForm):
        return DocumentKind.HANDOVER_ACT
    if isinstance(form, CompletionActForm):
        return DocumentKind.COMPLETION_ACT
    return DocumentKind.INVOICE


def render(form: DocumentForm) -> bytes:
    """The PDF of any of the four documents, in the active language."""
    if isinstance(form, WorkOrderForm):
        return render_work_order(form)
    if isinstance(form, HandoverActForm):
        return render_handover_act(form)
    if isinstance(form, CompletionActForm):
        return render_completion_act(form)
    return render_invoice(form)


__all__ = [
    "CompletionActForm", "DocumentForm", "DocumentKind", "HandoverActForm", "InvoiceForm", "WorkOrderForm",
    "kind_of", "render", "render_completion_act", "render_handover_act", "render_invoice", "render_work_order",
]  # fmt: skip
