"""A small shop for the ledger's tests: two warehouses with racks and shelves, parts, a supplier, a client."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import Part, StockBalance, StockLocation, StockMove, Supplier
from autoservice_desk.services.stock_documents import create_issue, create_receipt
from autoservice_desk.services.stock_forms import DocumentInfo, LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory

D = Decimal
KEEPER = Actor(user_id=None, login="keeper", full_name="Склад", roles=frozenset({"warehouse"}))
ADVISOR = Actor(user_id=None, login="advisor", full_name="Мастер", roles=frozenset({"advisor"}))


@dataclass(frozen=True)
class Shop:
    uow_factory: UnitOfWorkFactory
    main: int  # warehouse → rack A (shelves A-03-2, A-03-3), shelf B-01
    rack_a: int
    a032: int
    a033: int
    b01: int
    far: int  # the second warehouse, shelf F-01
    f01: int
    pads: int  # 0986494104 Колодки, pieces
    filter: int  # OC90 Фильтр масляный, pieces
    oil: int  # 5W30 Масло, litres (fractional)
    supplier: int
    client: int


def _place(session: object, name: str, kind: str, parent: int | None, warehouse: int | None, code: str = "") -> int:
    place = StockLocation(parent_id=parent, warehouse_id=warehouse, kind=kind, name=name, code=code)
    session.add(place)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return place.id


def _part(session: object, article: str, name: str, unit: str = "pcs", fractional: bool = False) -> int:
    part = Part(
        article=article, article_key=article.upper(), brand="BOSCH", brand_key="BOSCH", name=name,
        name_key=name.casefold(), unit=unit, fractional=fractional,
    )  # fmt: skip
    session.add(part)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return part.id


def make_shop(uow_factory: UnitOfWorkFactory) -> Shop:
    with uow_factory() as uow:
        session = uow.session
        main = _place(session, "Основной", "warehouse", None, None)
        rack_a = _place(session, "Стеллаж A", "rack", main, main, "A")
        a032 = _place(session, "Полка A-03-2", "shelf", rack_a, main, "A-03-2")
        a033 = _place(session, "Полка A-03-3", "shelf", rack_a, main, "A-03-3")
        b01 = _place(session, "Полка B-01", "shelf", main, main, "B-01")
        far = _place(session, "Филиал", "warehouse", None, None)
        f01 = _place(session, "Полка F-01", "shelf", far, far, "F-01")
        pads = _part(session, "0986494104", "Колодки")
        filter_ = _part(session, "OC90", "Фильтр масляный")
        oil = _part(session, "5W30", "Масло", "l", True)
        supplier = Supplier(name="Армтек")
        client = Client(kind="person", surname="Иванов", sort_key="иванов")
        session.add_all([supplier, client])
        session.flush()
        shop = Shop(uow_factory, main, rack_a, a032, a033, b01, far, f01, pads, filter_, oil, supplier.id, client.id)
        uow.commit()
    return shop


def receive(shop: Shop, *lines: tuple[int, int, str, str]) -> DocumentInfo:
    """Post a receipt of (part, place, quantity, price) lines."""
    draft = create_receipt(
        shop.uow_factory, shop.supplier,
        [LineInput(part, D(quantity), D(price), to_location_id=place) for part, place, quantity, price in lines],
        supplier_invoice="СЧ-1",
    )  # fmt: skip
    return post_document(shop.uow_factory, draft.id, draft.version)


def issue(shop: Shop, *lines: tuple[int, int, str]) -> DocumentInfo:
    """Post an issue of (part, place, quantity) lines to work order 7."""
    draft = create_issue(
        shop.uow_factory,
        [LineInput(part, D(quantity), from_location_id=place) for part, place, quantity in lines],
        work_order_id=7,
    )
    return post_document(shop.uow_factory, draft.id, draft.version)


def stock(uow_factory: UnitOfWorkFactory, part_id: int, location_id: int) -> tuple[Decimal, Decimal]:
    """(on hand, reserved) of a part on a place."""
    with uow_factory(read_only=True) as uow:
        row = uow.session.get(StockBalance, (part_id, location_id))
        return (row.quantity, row.reserved) if row is not None else (D(0), D(0))


def average_cost(uow_factory: UnitOfWorkFactory, part_id: int) -> Decimal:
    with uow_factory(read_only=True) as uow:
        return uow.session.execute(select(Part.average_cost).where(Part.id == part_id)).scalar_one()


def counts(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    """(moves, balances with anything on them): to show a refusal wrote nothing."""
    with uow_factory(read_only=True) as uow:
        moves = uow.session.scalar(select(func.count()).select_from(StockMove)) or 0
        balances = uow.session.scalar(select(func.count()).select_from(StockBalance)) or 0
        return int(moves), int(balances)


def assert_ledger_consistent(uow_factory: UnitOfWorkFactory) -> None:
    """Every balance equals the sum of its moves, none is negative, none reserves more than it holds."""
    with uow_factory(read_only=True) as uow:
        sums = {
            (part, place): total
            for part, place, total in uow.session.execute(
                select(StockMove.part_id, StockMove.location_id, func.sum(StockMove.quantity)).group_by(
                    StockMove.part_id, StockMove.location_id
                )
            )
        }
        balances = {
            (row.part_id, row.location_id): (row.quantity, row.reserved)
            for row in uow.session.scalars(select(StockBalance))
        }
    for key, (quantity, reserved) in balances.items():
        assert quantity >= 0 and 0 <= reserved <= quantity, (key, quantity, reserved)
        assert sums.get(key, D(0)) == quantity, (key, sums.get(key), quantity)
    assert set(sums) <= set(balances)
