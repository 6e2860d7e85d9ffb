"""Domain events raised inside a use case's transaction, for the modules that react to them (SMS, work orders).

A handler runs inside the same unit of work as the change that raised the event, so what it writes (an outbox
message, a work order) commits or rolls back together with that change. Modules subscribe at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from autoservice_desk.services.unit_of_work import UnitOfWork

E = TypeVar("E")
Handler = Callable[[UnitOfWork, Any], None]

_HANDLERS: dict[type, list[Handler]] = {}


def subscribe(event_type: type[E], handler: Callable[[UnitOfWork, E], None]) -> None:
    """Call *handler* for every *event_type* raised from now on (the same handler twice is kept once)."""
    handlers = _HANDLERS.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(event_type: type[E], handler: Callable[[UnitOfWork, E], None]) -> None:
    handlers = _HANDLERS.get(event_type, [])
    if handler in handlers:
        handlers.remove(handler)


def raise_event(uow: UnitOfWork, event: object) -> None:
    """Run every handler of *event*'s type now, in *uow*'s transaction; a failing handler fails the use case."""
    for handler in list(_HANDLERS.get(type(event), ())):
        handler(uow, event)


@dataclass(frozen=True)
class BookingCreated:
    booking_id: int
    client_id: int
    starts_at: datetime


@dataclass(frozen=True)
class BookingMoved:
    booking_id: int
    client_id: int
    previous_starts_at: datetime
    starts_at: datetime


@dataclass(frozen=True)
class BookingCancelled:
    booking_id: int
    client_id: int
    starts_at: datetime
    no_show: bool


@dataclass(frozen=True)
class CarArrived:
    """The client's car is at the shop for a booking; the work-order module opens a work order from it."""

    booking_id: int
    client_id: int
    vehicle_id: int | None


@dataclass(frozen=True)
class StockReceived:
    """A goods receipt was posted; raised by the ledger inside the posting transaction.

    *lines* are (document line id, part id, place id, quantity) of what came onto each place.
    """

    document_id: int
    lines: tuple[tuple[int, int, int, Decimal], ...]


@dataclass(frozen=True)
class PartsArrived:
    """A special order's part has arrived and is reserved for its client or work order.

    Raised by the special-orders module inside the receipt's transaction; the messages issue sends the SMS.
    """

    special_order_id: int
    client_id: int | None
    work_order_id: int | None
    part_id: int
    quantity: Decimal


@dataclass(frozen=True)
class WorkOrderStatusChanged:
    """A work order moved along its pipeline (raised by the work-order module inside the change's transaction).

    *status* and *previous_status* are the work-order status codes (new, diagnostics, awaiting_approval,
    awaiting_parts, in_work, quality_check, ready, issued, cancelled); *amount_due* is the order's total to pay
    at that moment (the messages module puts it into the "car ready" SMS).
    """

    work_order_id: int
    number: str
    client_id: int
    vehicle_id: int | None
    previous_status: str | None
    status: str
    amount_due: Decimal
