"""Opening work orders on SQLite and PostgreSQL: walk-ins, bookings that arrive, mileage, numbers, stale versions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from work_order_shop import ADVISOR, MECHANIC, WorkOrderShop, shop_with_events

from autoservice_desk.models.clients import MileageReading
from autoservice_desk.models.work_orders import WorkOrder
from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.bookings import BookingRequest, JobLine, create_booking, get_booking, set_status
from autoservice_desk.services.errors import ConflictError, PermissionDeniedError
from autoservice_desk.services.schedule_view import BookingStatus
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import LowerMileageError, record_mileage
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_lines import LabourInput, add_labour
from autoservice_desk.services.work_order_types import HeaderChanges, OpenRequest, WorkOrderStatus
from autoservice_desk.services.work_orders import (
    open_from_booking,
    open_work_order,
    update_header,
    work_order_for_booking,
)

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    yield from shop_with_events(uow_factory)


def _mileage(shop: WorkOrderShop) -> list[tuple[int, str]]:
    with shop.uow_factory() as uow:
        rows = uow.session.execute(
            select(MileageReading.kilometres, MileageReading.source)
            .where(MileageReading.vehicle_id == shop.vehicle_id)
            .order_by(MileageReading.id)
        )
        return [(km, source) for km, source in rows]


def test_a_walk_in_gets_a_numbered_order_with_mileage_timeline_audit_and_event(shop: WorkOrderShop) -> None:
    promised = shop.clock.now + timedelta(hours=4)
    card = shop.open("TO-1", mileage=45_000, planned_at=promised, mechanic_ids=(shop.petrov,), bay_id=shop.lift1,
                     condition_notes="Царапина на заднем бампере", belongings="Детское кресло")  # fmt: skip
    header = card.header
    assert header.number == "WO-2027-000001" and header.status is WorkOrderStatus.NEW
    assert (header.client_name, header.car, header.plate) == ("Иванов", "Kia Rio", "А123ВС77")
    assert header.mileage == 45_000 and header.planned_at == promised and not header.overdue
    assert header.mechanic_names == ("Петров Алексей",) and header.bay_name == "Подъёмник 1"
    assert (header.condition_notes, header.belongings) == ("Царапина на заднем бампере", "Детское кресло")
    assert [(line.name, line.hours, line.mechanic_name) for line in card.labour] == [
        ("ТО-1 (регламентное обслуживание)", Decimal("1.50"), "Петров Алексей")
    ]
    assert card.totals.labour == Decimal("3300.00")  # 1.5 h × 2200
    assert _mileage(shop) == [(45_000, "work_order")]
    second = shop.open()
    assert second.header.number == "WO-2027-000002"
    summaries = [event.summary for event in list_events(shop.uow_factory, shop.client_id)]
    assert "Work order WO-2027-000001 opened" in summaries
    assert [(event.number, event.previous_status, event.status) for event in shop.events] == [
        ("WO-2027-000001", None, "new"), ("WO-2027-000002", None, "new"),
    ]  # fmt: skip
    assert shop.events[0].amount_due == Decimal("3960.00")  # 3300 + 20 % VAT on top (the default mode)
    entries = list_entries(shop.uow_factory, None, 50)
    assert any(entry.entity == "work_order" and entry.action == "create" for entry in entries)


def test_a_lower_mileage_needs_confirmation(shop: WorkOrderShop) -> None:
    record_mileage(shop.uow_factory, shop.vehicle_id, 50_000, shop.clock.now.date())
    with pytest.raises(LowerMileageError, match="50000"):
        shop.open(mileage=49_000)
    with shop.uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(WorkOrder)) == 0  # nothing half-written
    card = shop.open(mileage=49_000, confirm_lower_mileage=True)
    assert card.header.mileage == 49_000
    assert _mileage(shop) == [(50_000, "manual"), (49_000, "work_order")]


def test_an_arriving_booking_opens_its_order_once_with_the_booked_jobs(shop: WorkOrderShop) -> None:
    starts = datetime(2027, 3, 1, 10, 0, tzinfo=MOSCOW)
    booking = create_booking(
        shop.uow_factory,
        BookingRequest(shop.client_id, shop.vehicle_id, starts,
                       (JobLine(shop.services["TO-1"]), JobLine(shop.services["BR-PADS-F"], Decimal("1.2"))),
                       bay_id=shop.lift1, mechanic_ids=(shop.petrov,)),
        MOSCOW,
    )  # fmt: skip
    arrived = set_status(shop.uow_factory, booking.id, booking.version, BookingStatus.ARRIVED, MOSCOW)
    order_id = work_order_for_booking(shop.uow_factory, booking.id)
    assert order_id is not None
    card = get_work_order(shop.uow_factory, order_id)
    assert card.header.booking_id == booking.id and card.header.bay_id == shop.lift1
    assert card.header.mechanic_ids == (shop.petrov,) and card.header.planned_at == arrived.ends_at
    assert [(line.name, line.hours, line.norm_hours, line.hours_reason) for line in card.labour] == [
        ("ТО-1 (регламентное обслуживание)", Decimal("1.50"), Decimal("1.50"), ""),
        ("Замена передних тормозных колодок", Decimal("1.20"), Decimal("0.80"), "as booked"),
    ]
    with pytest.raises(ConflictError, match="WO-2027-000001"):
        open_from_booking(shop.uow_factory, booking.id)
    with shop.uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(WorkOrder)) == 1


def test_an_order_opened_by_hand_from_a_booking_is_not_opened_again_on_arrival(shop: WorkOrderShop) -> None:
    starts = datetime(2027, 3, 1, 12, 0, tzinfo=MOSCOW)
    booking = create_booking(
        shop.uow_factory,
        BookingRequest(shop.client_id, shop.vehicle_id, starts, (JobLine(shop.services["TO-OIL"]),), bay_id=shop.lift1),
        MOSCOW,
    )
    card = open_from_booking(shop.as_(ADVISOR), booking.id, mileage=40_000, complaint="Плановое ТО")
    assert card.header.complaint == "Плановое ТО" and card.header.mileage == 40_000
    set_status(shop.uow_factory, booking.id, booking.version, BookingStatus.ARRIVED, MOSCOW)
    assert get_booking(shop.uow_factory, booking.id).status is BookingStatus.ARRIVED
    assert work_order_for_booking(shop.uow_factory, booking.id) == card.id
    with shop.uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(WorkOrder)) == 1


def test_a_stale_version_is_refused_and_the_header_can_be_changed(shop: WorkOrderShop) -> None:
    card = shop.open()
    changed = update_header(
        shop.uow_factory, card.id, card.version,
        HeaderChanges(complaint="Скрип при торможении", mileage=46_000, discount_percent=Decimal("5"),
                      vat_mode="no_vat"),
    )  # fmt: skip
    assert changed.version > card.version
    assert (changed.header.complaint, changed.header.mileage) == ("Скрип при торможении", 46_000)
    assert changed.header.vat_mode == "no_vat"
    with pytest.raises(ConflictError, match="Someone else has changed work order WO-2027-000001"):
        add_labour(shop.uow_factory, card.id, card.version, LabourInput(shop.services["TO-1"]))
    after = add_labour(shop.uow_factory, card.id, changed.version, LabourInput(shop.services["TO-1"]))
    assert after.labour[0].discount_percent == Decimal("5.00")  # the order's discount for new lines
    assert after.totals.total == Decimal("3135.00")  # 3300 − 5 %, no VAT


def test_only_advisors_open_work_orders(shop: WorkOrderShop) -> None:
    with pytest.raises(PermissionDeniedError):
        open_work_order(shop.as_(MECHANIC), OpenRequest(shop.client_id, shop.vehicle_id))
    assert open_work_order(shop.as_(ADVISOR), OpenRequest(shop.client_id, None)).header.advisor_name == (
        "Мастер-приёмщик"
    )
