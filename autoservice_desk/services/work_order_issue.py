"""Issuing a work order's reserved parts to the car: a goods issue through the warehouse documents."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import SpecialOrder, StockReservation
from autoservice_desk.models.work_orders import WorkOrderPart
from autoservice_desk.services import audit
from autoservice_desk.services.errors import PermissionDeniedError
from autoservice_desk.services.stock_documents import create_draft_in
from autoservice_desk.services.stock_forms import POSTING_ROLES, DocumentInfo, DocumentKind, DraftHeader
from autoservice_desk.services.stock_posting import post_in
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction
from autoservice_desk.services.work_order_common import load_order, order_number, require_open
from autoservice_desk.services.work_order_parts import issue_lines


def issue_parts(uow_factory: UnitOfWorkFactory, work_order_id: int, line_ids: Sequence[int]) -> DocumentInfo:
    """Issue the chosen parts lines to the car: a goods issue naming their reservations, created and posted.

    One transaction: the posting consumes the reservations (the lines then show "issued" and the issue's number)
    and special orders whose parts are all issued become "issued" — all of it, or nothing and no draft left behind.
    Refused for lines with nothing reserved, and for users who may not post warehouse documents (warehouse keepers
    and managers do).
    """

    def work(uow: UnitOfWork) -> DocumentInfo:
        if not uow.actor.has_role(*POSTING_ROLES):
            raise PermissionDeniedError(_("Only warehouse keepers, managers and administrators can issue parts."))
        order = load_order(uow, work_order_id)
        require_open(order)
        lines = issue_lines(uow, order, list(line_ids))
        header = DraftHeader(client_id=order.client_id, work_order_id=work_order_id,
                             reason=_("Work order {number}").format(number=order_number(order)))  # fmt: skip
        draft = create_draft_in(uow, DocumentKind.ISSUE, header, lines)
        posted = post_in(uow, draft.id, draft.version)
        _after_issue(uow, work_order_id, posted)
        uow.commit()
        return posted

    return run_in_transaction(uow_factory, work)


def _after_issue(uow: UnitOfWork, work_order_id: int, document: DocumentInfo) -> None:
    """Special orders fully issued become "issued"; the order's audit names the issue."""
    specials = uow.session.scalars(
        select(SpecialOrder).join(WorkOrderPart, WorkOrderPart.special_order_id == SpecialOrder.id)
        .where(WorkOrderPart.work_order_id == work_order_id, SpecialOrder.status.in_(("ordered", "arrived")))
    ).all()  # fmt: skip
    for special in specials:
        statuses = set(
            uow.session.scalars(select(StockReservation.status).where(StockReservation.special_order_id == special.id))
        )
        if statuses == {"consumed"}:
            held = sum(
                uow.session.scalars(
                    select(StockReservation.quantity).where(StockReservation.special_order_id == special.id)
                )
            )
            if held >= special.quantity:
                audit.record(uow, "special_order", special.id, "update", {"status": special.status},
                             {"status": "issued"})  # fmt: skip
                special.status = "issued"
                uow.mark_changed("special_orders", special.id)
    audit.record(uow, "work_order", work_order_id, "issue_parts", None,
                 {"document_id": document.id, "number": document.display_number})  # fmt: skip
    uow.mark_changed("work_order", work_order_id)
