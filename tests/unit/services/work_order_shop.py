"""A shop for the work-order tests: bays, mechanics and the catalog, a client with a Kia, stock on two shelves, a
clock the test moves, and a recorder of the events the work orders raise."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from stock_shop import Shop, make_shop, receive

from autoservice_desk.models.catalog import Service
from autoservice_desk.services import domain_events, work_orders
from autoservice_desk.services.demo_schedule import DemoResources, add_demo_resources
from autoservice_desk.services.domain_events import WorkOrderStatusChanged
from autoservice_desk.services.unit_of_work import SYSTEM_ACTOR, Actor, UnitOfWorkFactory
from autoservice_desk.services.vehicles import VehicleForm, create_vehicle
from autoservice_desk.services.work_order_types import OpenRequest, WorkOrderCard

D = Decimal
START = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)  # Monday 10:00 in Moscow
ADVISOR = Actor(user_id=None, login="advisor", full_name="Мастер-приёмщик", roles=frozenset({"advisor"}))
MECHANIC = Actor(user_id=None, login="garage", full_name="Гараж", roles=frozenset({"mechanic"}))
KEEPER = Actor(user_id=None, login="keeper", full_name="Кладовщик", roles=frozenset({"warehouse"}))


class MovingClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class WorkOrderShop:
    uow_factory: UnitOfWorkFactory  # acting as the system (admin)
    clock: MovingClock
    stock: Shop
    resources: DemoResources
    client_id: int
    vehicle_id: int
    services: dict[str, int]
    events: list[WorkOrderStatusChanged] = field(default_factory=list)

    def as_(self, actor: Actor) -> UnitOfWorkFactory:
        return self.uow_factory.acting_as(actor)

    @property
    def petrov(self) -> int:
        return self.resources.mechanic_ids[0]

    @property
    def smirnov(self) -> int:
        return self.resources.mechanic_ids[1]

    @property
    def lift1(self) -> int:
        return self.resources.bay_ids[0]

    def open(self, *codes: str, **extra: object) -> WorkOrderCard:
        request = OpenRequest(
            self.client_id, self.vehicle_id, complaint="Стучит спереди",
            labour=tuple(self.services[code] for code in codes), **extra,  # type: ignore[arg-type]
        )  # fmt: skip
        return work_orders.open_work_order(self.uow_factory, request)


def make_work_order_shop(uow_factory: UnitOfWorkFactory) -> WorkOrderShop:
    clock = MovingClock()
    factory = UnitOfWorkFactory(uow_factory.engine, SYSTEM_ACTOR, clock)
    stock = make_shop(factory)
    receive(stock, (stock.pads, stock.a032, "4", "1500.00"), (stock.oil, stock.b01, "20", "500.00"),
            (stock.filter, stock.a033, "3", "300.00"))  # fmt: skip
    resources = add_demo_resources(factory)
    vehicle_id = create_vehicle(factory, stock.client, VehicleForm(make="Kia", model="Rio", year="2019",
                                                                   plate="А123ВС77"))  # fmt: skip
    with factory() as uow:
        services = {str(code): service_id for code, service_id in uow.session.execute(select(Service.code, Service.id))}
        warranty = uow.session.get(Service, services["BR-PADS-R"])
        assert warranty is not None
        warranty.kind = "warranty"
        uow.commit()
    return WorkOrderShop(factory, clock, stock, resources, stock.client, vehicle_id, services)


def shop_with_events(uow_factory: UnitOfWorkFactory) -> Iterator[WorkOrderShop]:
    """The shop, recording every WorkOrderStatusChanged into `shop.events` while the test runs."""
    shop = make_work_order_shop(uow_factory)
    work_orders.install()

    def record(_uow: object, event: WorkOrderStatusChanged) -> None:
        shop.events.append(event)

    domain_events.subscribe(WorkOrderStatusChanged, record)
    try:
        yield shop
    finally:
        domain_events.unsubscribe(WorkOrderStatusChanged, record)
