"""Work orders' shapes: statuses and their labels, what forms submit and what screens and printouts receive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.work_order_totals import WorkOrderTotals

NUMBER_PREFIX = N_("WO")  # printed before the number: "WO-2026-000123" (ЗН-2026-000123 in Russian)
SEQUENCE = "work_order"


class WorkOrderStatus(StrEnum):
    NEW = "new"
    DIAGNOSTICS = "diagnostics"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_PARTS = "awaiting_parts"
    IN_WORK = "in_work"
    QUALITY_CHECK = "quality_check"
    READY = "ready"
    ISSUED = "issued"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _(STATUS_LABELS[self])

    @property
    def is_open(self) -> bool:
        return self not in CLOSED_STATUSES


STATUS_LABELS = {
    WorkOrderStatus.NEW: N_("New"),
    WorkOrderStatus.DIAGNOSTICS: N_("Diagnostics"),
    WorkOrderStatus.AWAITING_APPROVAL: N_("Awaiting approval"),
    WorkOrderStatus.AWAITING_PARTS: N_("Awaiting parts"),
    WorkOrderStatus.IN_WORK: N_("In work"),
    WorkOrderStatus.QUALITY_CHECK: N_("Quality check"),
    WorkOrderStatus.READY: N_("Ready"),
    WorkOrderStatus.ISSUED: N_("Issued"),
    WorkOrderStatus.CANCELLED: N_("Cancelled"),
}
PIPELINE = tuple(WorkOrderStatus)  # the board's column order
CLOSED_STATUSES = frozenset({WorkOrderStatus.ISSUED, WorkOrderStatus.CANCELLED})
OPEN_STATUSES = tuple(status for status in PIPELINE if status not in CLOSED_STATUSES)
GARAGE_STATUSES = (WorkOrderStatus.DIAGNOSTICS, WorkOrderStatus.IN_WORK, WorkOrderStatus.QUALITY_CHECK)
# A time-clock entry can run while the car is being worked on, not once it is ready or gone.
CLOCKABLE_STATUSES = frozenset(OPEN_STATUSES) - {WorkOrderStatus.READY}
LINE_KINDS = {"paid": N_("Paid"), "warranty": N_("Warranty"), "extended": N_("Extended warranty")}
PART_SOURCES = {"stock": N_("From stock"), "special_order": N_("Special order"), "own": N_("Client's own part")}
PART_STATES = {
    "reserved": N_("Reserved"), "issued": N_("Issued"), "released": N_("Released"), "own": N_("Client's own"),
    "needed": N_("To be ordered"), "ordered": N_("Ordered"), "arrived": N_("Parts arrived"),
    "cancelled": N_("Cancelled"),
}  # fmt: skip
URGENCIES = {"urgent": N_("Urgent"), "soon": N_("Soon"), "later": N_("Can wait")}
RECOMMENDATION_STATUSES = {"suggested": N_("Suggested"), "accepted": N_("Accepted"), "declined": N_("Declined")}
PAUSE_REASONS = {
    "waiting_parts": N_("Waiting for parts"), "waiting_lift": N_("Waiting for a lift"), "other": N_("Other"),
}  # fmt: skip
END_REASONS = {
    **PAUSE_REASONS, "stopped": N_("Stopped"), "switched": N_("Switched to another job"),
    "shift_ended": N_("End of shift"),
}  # fmt: skip


@dataclass(frozen=True)
class OpenRequest:
    """The intake form of a walk-in (or a booking's car): who, which car, what is wrong, when it is promised.

    *mileage* goes into the car's mileage log; a reading below the last one needs *confirm_lower_mileage*.
    *labour* are catalog services whose hours come from the norms for the car.
    """

    client_id: int
    vehicle_id: int | None
    complaint: str = ""
    mileage: int | None = None
    confirm_lower_mileage: bool = False
    planned_at: datetime | None = None
    bay_id: int | None = None
    mechanic_ids: tuple[int, ...] = ()
    condition_notes: str = ""
    belongings: str = ""
    notes: str = ""
    discount_percent: Decimal | None = None  # None: the client's discount
    labour: tuple[int, ...] = ()


@dataclass(frozen=True)
class HeaderChanges:
    """Header fields to change; None leaves a field as it is."""

    complaint: str | None = None
    mileage: int | None = None
    confirm_lower_mileage: bool = False
    planned_at: datetime | None = None
    clear_planned_at: bool = False
    bay_id: int | None = None
    mechanic_ids: tuple[int, ...] | None = None
    condition_notes: str | None = None
    belongings: str | None = None
    notes: str | None = None
    discount_percent: Decimal | None = None
    vat_mode: str | None = None


@dataclass(frozen=True)
class WorkOrderHeader:
    id: int
    version: int
    number: str  # "WO-2026-000123" in the active language
    year: int
    sequence_number: int
    status: WorkOrderStatus
    client_id: int
    client_name: str
    client_phone: str
    vehicle_id: int | None
    car: str  # make and model
    plate: str
    vin: str
    booking_id: int | None
    bay_id: int | None
    bay_name: str
    advisor_id: int | None
    advisor_name: str
    mechanic_ids: tuple[int, ...]
    mechanic_names: tuple[str, ...]
    mileage: int | None
    complaint: str
    condition_notes: str
    belongings: str
    notes: str
    discount_percent: Decimal
    vat_mode: str
    planned_at: datetime | None
    opened_at: datetime
    ready_at: datetime | None
    closed_at: datetime | None
    cancel_reason: str
    overdue: bool  # promised time passed and the car is not ready yet

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class LabourLineInfo:
    id: int
    position: int
    service_id: int
    name: str
    kind: str  # paid | warranty | extended
    hours: Decimal
    norm_hours: Decimal
    hours_reason: str
    hourly_rate: Decimal
    fixed_price: Decimal | None
    discount_percent: Decimal
    mechanic_id: int | None
    mechanic_name: str
    comment: str
    amount: Decimal  # before discount
    discount: Decimal
    clocked_hours: Decimal  # on the time clock so far
    clock_running: bool

    @property
    def net(self) -> Decimal:
        return self.amount - self.discount


@dataclass(frozen=True)
class PartLineInfo:
    id: int
    position: int
    source: str  # stock | special_order | own
    part_id: int | None
    article: str
    brand: str
    name: str
    unit: str
    kind: str
    location_id: int | None
    location_name: str
    quantity: Decimal
    price: Decimal
    discount_percent: Decimal
    amount: Decimal
    discount: Decimal
    state: str  # see PART_STATES: reserved / issued / released, a special order's status, own
    reservation_id: int | None
    special_order_id: int | None
    issue_document: str  # the goods issue's number once issued
    comment: str

    @property
    def net(self) -> Decimal:
        return self.amount - self.discount

    @property
    def state_label(self) -> str:
        return _(PART_STATES.get(self.state, self.state))


@dataclass(frozen=True)
class RecommendationInfo:
    id: int
    work_order_id: int
    work_order_number: str
    client_id: int
    vehicle_id: int | None
    text: str
    service_id: int | None
    service_name: str
    hours: Decimal | None
    price: Decimal | None
    urgency: str  # urgent | soon | later
    status: str  # suggested | accepted | declined
    created_at: datetime
    decided_at: datetime | None
    accepted_work_order_id: int | None
    labour_id: int | None


@dataclass(frozen=True)
class ClockEntryInfo:
    id: int
    mechanic_id: int
    mechanic_name: str
    work_order_id: int
    labour_id: int
    labour_name: str
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    note: str
    hours: Decimal  # so far, for a running entry

    @property
    def running(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class WorkOrderCard:
    """Everything the work-order screen and its printouts show, read in one transaction."""

    header: WorkOrderHeader
    labour: tuple[LabourLineInfo, ...]
    parts: tuple[PartLineInfo, ...]
    totals: WorkOrderTotals
    recommendations: tuple[RecommendationInfo, ...]
    clock_entries: tuple[ClockEntryInfo, ...]
    next_statuses: tuple[WorkOrderStatus, ...]

    @property
    def id(self) -> int:
        return self.header.id

    @property
    def version(self) -> int:
        return self.header.version
