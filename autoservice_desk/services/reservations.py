"""Reservations: stock held on a place for a work order, a client or a special order; available = on hand − reserved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ColumnElement, select

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import Part, SpecialOrder, StockLocation, StockReservation
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from autoservice_desk.services.stock_forms import RESERVING_ROLES, check_quantity
from autoservice_desk.services.stock_ledger import Ledger
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


class ReservationStatus(StrEnum):
    ACTIVE = "active"
    CONSUMED = "consumed"
    RELEASED = "released"


@dataclass(frozen=True)
class ReservationInfo:
    id: int
    part_id: int
    article: str
    part_name: str
    unit: str
    location_id: int
    location_name: str
    quantity: Decimal
    status: ReservationStatus
    client_id: int | None
    work_order_id: int | None
    special_order_id: int | None
    note: str
    created_at: datetime | None


def require_reserver(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*RESERVING_ROLES):
        raise PermissionDeniedError(_("Only service advisors, warehouse keepers and managers can reserve parts."))


def add_reservation(
    uow: UnitOfWork,
    part_id: int,
    location_id: int,
    quantity: Decimal,
    *,
    work_order_id: int | None = None,
    client_id: int | None = None,
    special_order_id: int | None = None,
    note: str = "",
) -> int:
    """Reserve inside *uow*'s transaction (a StockReceived handler does this); the reservation's id.

    Refused with InsufficientStockError when less than *quantity* is available on the place.
    """
    location = uow.session.get(StockLocation, location_id)
    if location is None or not location.active:
        raise ValidationError(_("The place chosen no longer exists."), "location")
    if client_id is not None and uow.session.get(Client, client_id) is None:
        raise NotFoundError(_("The client no longer exists."))
    if special_order_id is not None and uow.session.get(SpecialOrder, special_order_id) is None:
        raise NotFoundError(_("The special order no longer exists."))
    ledger = Ledger(uow, [part_id])
    part = ledger.part(part_id)
    check_quantity(quantity, part.fractional, part.text)
    ledger.hold(part_id, location_id, quantity)
    ledger.write_balances()
    reservation = StockReservation(
        part_id=part_id, location_id=location_id, quantity=quantity, client_id=client_id,
        work_order_id=work_order_id, special_order_id=special_order_id, status=ReservationStatus.ACTIVE.value,
        note=note.strip(),
    )  # fmt: skip
    uow.session.add(reservation)
    uow.session.flush()
    audit.record(uow, "stock_reservation", reservation.id, "reserve", None, _snapshot(reservation))
    uow.mark_changed("stock", part_id)
    return reservation.id


def release_reservation(uow: UnitOfWork, reservation_id: int) -> None:
    """Release an active reservation inside *uow*'s transaction; its quantity is available again."""
    reservation = uow.session.get(StockReservation, reservation_id)
    if reservation is None:
        raise NotFoundError(_("The reservation no longer exists."))
    ledger = Ledger(uow, [reservation.part_id])  # lock first, then read the status another desk may have changed
    uow.session.refresh(reservation)
    if reservation.status != ReservationStatus.ACTIVE:
        raise ConflictError(_("The reservation has already been issued or released."))
    before = _snapshot(reservation)
    ledger.hold(reservation.part_id, reservation.location_id, -reservation.quantity)
    ledger.write_balances()
    reservation.status = ReservationStatus.RELEASED.value
    uow.session.flush()
    audit.record(uow, "stock_reservation", reservation.id, "release", before, _snapshot(reservation))
    uow.mark_changed("stock", reservation.part_id)


def reserve(
    uow_factory: UnitOfWorkFactory,
    part_id: int,
    location_id: int,
    quantity: Decimal,
    *,
    work_order_id: int | None = None,
    client_id: int | None = None,
    special_order_id: int | None = None,
    note: str = "",
) -> ReservationInfo:
    """Hold *quantity* of a part on a place; refused beyond what is available there, naming part and place."""

    def work(uow: UnitOfWork) -> ReservationInfo:
        require_reserver(uow)
        reservation_id = add_reservation(
            uow, part_id, location_id, quantity, work_order_id=work_order_id, client_id=client_id,
            special_order_id=special_order_id, note=note,
        )  # fmt: skip
        info = _infos(uow, [StockReservation.id == reservation_id], 1)[0]
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def release(uow_factory: UnitOfWorkFactory, reservation_id: int) -> ReservationInfo:
    """Give a reserved quantity back to what is available."""

    def work(uow: UnitOfWork) -> ReservationInfo:
        require_reserver(uow)
        release_reservation(uow, reservation_id)
        info = _infos(uow, [StockReservation.id == reservation_id], 1)[0]
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def list_reservations(
    uow_factory: UnitOfWorkFactory,
    *,
    part_id: int | None = None,
    location_id: int | None = None,
    work_order_id: int | None = None,
    client_id: int | None = None,
    special_order_id: int | None = None,
    status: ReservationStatus | None = ReservationStatus.ACTIVE,
    before: int | None = None,
    limit: int = 200,
) -> list[ReservationInfo]:
    """Reservations newest first, filtered; *before* is the last id of the previous page."""
    conditions: list[ColumnElement[bool]] = []
    for column, value in (
        (StockReservation.part_id, part_id), (StockReservation.location_id, location_id),
        (StockReservation.work_order_id, work_order_id), (StockReservation.client_id, client_id),
        (StockReservation.special_order_id, special_order_id),
    ):  # fmt: skip
        if value is not None:
            conditions.append(column == value)
    if status is not None:
        conditions.append(StockReservation.status == status.value)
    if before is not None:
        conditions.append(StockReservation.id < before)
    return run_in_transaction(uow_factory, lambda uow: _infos(uow, conditions, limit), read_only=True)


def get_reservation(uow_factory: UnitOfWorkFactory, reservation_id: int) -> ReservationInfo:
    def work(uow: UnitOfWork) -> ReservationInfo:
        found = _infos(uow, [StockReservation.id == reservation_id], 1)
        if not found:
            raise NotFoundError(_("The reservation no longer exists."))
        return found[0]

    return run_in_transaction(uow_factory, work, read_only=True)


def _infos(uow: UnitOfWork, conditions: Sequence[ColumnElement[bool]], limit: int) -> list[ReservationInfo]:
    rows = uow.session.execute(
        select(StockReservation, Part.article, Part.name, Part.unit, StockLocation.code, StockLocation.name)
        .join(Part, Part.id == StockReservation.part_id)
        .join(StockLocation, StockLocation.id == StockReservation.location_id)
        .where(*conditions)
        .order_by(StockReservation.id.desc())
        .limit(limit)
    ).all()
    return [
        ReservationInfo(
            id=item.id,
            part_id=item.part_id,
            article=article,
            part_name=name,
            unit=unit,
            location_id=item.location_id,
            location_name=code or place,
            quantity=item.quantity,
            status=ReservationStatus(item.status),
            client_id=item.client_id,
            work_order_id=item.work_order_id,
            special_order_id=item.special_order_id,
            note=item.note,
            created_at=item.created_at,
        )  # fmt: skip
        for item, article, name, unit, code, place in rows
    ]


def _snapshot(reservation: StockReservation) -> dict[str, object]:
    return {
        "part_id": reservation.part_id, "location_id": reservation.location_id, "quantity": reservation.quantity,
        "status": reservation.status, "client_id": reservation.client_id, "work_order_id": reservation.work_order_id,
        "special_order_id": reservation.special_order_id,
    }  # fmt: skip
