"""Eight desks hammer the same lifts at once: no two holding bookings ever overlap, every refusal is a conflict."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from desk_processes import run_desks
from sqlalchemy import select

from autoservice_desk.models.scheduling import Booking, BookingSlot
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.demo_schedule import add_demo_resources
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

DESKS = 8
OPERATIONS = 30
HAMMER = Path(__file__).with_name("booking_hammer.py")


@pytest.mark.slow
def test_eight_desks_never_double_book_a_lift(uow_factory: UnitOfWorkFactory, database_url: str) -> None:
    add_demo_resources(uow_factory)
    for number in range(5):
        create_client(uow_factory, ClientForm(surname=f"Клиент{number}"))
    results = run_desks(HAMMER, ([database_url, str(seed), str(OPERATIONS)] for seed in range(DESKS)), timeout=600)

    errors = [error for result in results for error in result["errors"]]
    assert errors == []  # every refusal was a booking conflict, nothing crashed
    created = {booking_id for result in results for booking_id in result["created"]}
    conflicts = sum(result["conflicts"] for result in results)
    assert conflicts > 0 and len(created) > 0  # the desks did collide, and some won
    with uow_factory(read_only=True) as uow:
        assert set(uow.session.scalars(select(Booking.id))) == created  # nothing lost, nothing extra
        slots = uow.session.execute(
            select(BookingSlot.resource, BookingSlot.starts_at, BookingSlot.ends_at, BookingSlot.booking_id).where(
                BookingSlot.holds
            )
        ).all()
        bookings = {
            row.id: row
            for row in uow.session.execute(select(Booking.id, Booking.starts_at, Booking.ends_at, Booking.bay_id))
        }
    by_resource: dict[str, list[tuple[object, object, int]]] = defaultdict(list)
    for resource, starts_at, ends_at, booking_id in slots:
        by_resource[resource].append((starts_at, ends_at, booking_id))
        booking = bookings[booking_id]
        assert (booking.starts_at, booking.ends_at) == (starts_at, ends_at)  # slots follow every move
    for resource, spans in by_resource.items():
        spans.sort()
        for (_, first_end, first_id), (second_start, _, second_id) in zip(spans, spans[1:], strict=False):
            assert first_end <= second_start, f"{resource}: bookings {first_id} and {second_id} overlap"  # type: ignore[operator]
    assert all(f"bay:{booking.bay_id}" in by_resource for booking in bookings.values())
