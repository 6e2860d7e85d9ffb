"""A small shop for the quoting tests: two warehouses, parts with crosses, a price list, two online suppliers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fake_supplier_servers import FakeAbcp, FakeJsonSupplier

from autoservice_desk.credentials import SecretStore
from autoservice_desk.models.clients import Client
from autoservice_desk.models.inventory import StockBalance
from autoservice_desk.services.crosses import add_cross
from autoservice_desk.services.locations import add_location
from autoservice_desk.services.online_suppliers import OnlineSupplierForm, save_online_supplier
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.part_prices import MarkupRuleForm, add_markup_rule
from autoservice_desk.services.parts import create_part
from autoservice_desk.services.price_list_import import import_price_list
from autoservice_desk.services.suppliers import SupplierForm, create_supplier
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

PRICE_LIST = """Артикул;Бренд;Наименование;Кол-во;Цена;Срок
OC 90;Mahle;Фильтр масляный;12;380,00;1
0451103316;Bosch;Фильтр масляный Bosch;>50;300;2
OC90;Knecht;Фильтр масляный Knecht;5;350;3
"""


@dataclass(frozen=True)
class QuotingShop:
    uow_factory: UnitOfWorkFactory
    main_shelf: int
    branch_shelf: int
    oc90: int
    w712: int
    list_supplier: int
    abcp_supplier: int
    json_supplier: int
    abcp_online: int | None
    json_online: int | None
    client: int


def make_abcp() -> FakeAbcp:
    server = FakeAbcp("api@id77", "pw")
    server.add("Mahle", "OC 90", "Фильтр масляный Mahle", 370, 8, 48)
    server.add("Knecht", "OC 90", "Фильтр масляный Knecht", 360, 2, 24)
    return server


def make_json_supplier() -> FakeJsonSupplier:
    server = FakeJsonSupplier("k-42")
    server.add("MAHLE", "OC90", "Фильтр OC90", "390.00", 30, 1)
    server.add("KNECHT", "OC90", "Фильтр OC90 Knecht", "340.00", 0, 4)
    return server


def _stock(uow_factory: UnitOfWorkFactory, part_id: int, location_id: int, quantity: str, reserved: str) -> None:
    with uow_factory() as uow:  # what posted receipts leave behind (the ledger's services are tested elsewhere)
        uow.session.add(StockBalance(part_id=part_id, location_id=location_id, quantity=Decimal(quantity),
                                     reserved=Decimal(reserved)))  # fmt: skip
        uow.commit()


def make_shop(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, abcp_url: str | None = None, json_url: str | None = None,
    timeout_ms: int = 2000,
) -> QuotingShop:  # fmt: skip
    main = add_location(uow_factory, None, "warehouse", "Основной")
    main_shelf = add_location(uow_factory, main, "shelf", "A-01", "A-01")
    branch = add_location(uow_factory, None, "warehouse", "Филиал")
    branch_shelf = add_location(uow_factory, branch, "shelf", "F-01", "F-01")
    oc90 = create_part(uow_factory, PartForm(article="OC 90", brand="Mahle", name="Фильтр масляный",
                                             purchase_price="400"))  # fmt: skip
    w712 = create_part(uow_factory, PartForm(article="W 712/75", brand="Mann-Filter", name="Фильтр масляный Mann",
                                             purchase_price="500"))  # fmt: skip
    _stock(uow_factory, oc90, main_shelf, "3", "1")
    _stock(uow_factory, oc90, branch_shelf, "2", "0")
    _stock(uow_factory, w712, main_shelf, "4", "0")
    add_cross(uow_factory, "OC 90", "Mahle", "W 712/75", "Mann-Filter")
    add_cross(uow_factory, "OC 90", "Mahle", "0451103316", "Bosch")
    list_supplier = create_supplier(uow_factory, SupplierForm(name="Армтек", delivery_days=2))
    abcp_supplier = create_supplier(uow_factory, SupplierForm(name="Автоклик"))
    json_supplier = create_supplier(uow_factory, SupplierForm(name="ШопАПИ"))
    add_markup_rule(uow_factory, MarkupRuleForm(markup_percent="50"))
    add_markup_rule(uow_factory, MarkupRuleForm(markup_percent="20", supplier_id=list_supplier))
    path = tmp_path / "armtek.csv"
    path.write_text(PRICE_LIST, encoding="cp1251")
    mapping = {"article": 0, "brand": 1, "name": 2, "quantity": 3, "price": 4, "delivery_days": 5}
    import_price_list(uow_factory, list_supplier, path, mapping)
    secrets = SecretStore()
    abcp_online = json_online = None
    if abcp_url:
        abcp_online = save_online_supplier(uow_factory, OnlineSupplierForm(
            abcp_supplier, "abcp", abcp_url, login="api@id77", timeout_ms=timeout_ms), secret="pw", secrets=secrets)
    if json_url:
        json_online = save_online_supplier(uow_factory, OnlineSupplierForm(
            json_supplier, "json", json_url, url_template=FakeJsonSupplier.URL_TEMPLATE,
            field_mapping=FakeJsonSupplier.MAPPING, timeout_ms=timeout_ms), secret="k-42", secrets=secrets)
    with uow_factory() as uow:
        client = Client(kind="person", surname="Иванов", sort_key="иванов", discount_percent=Decimal("10.00"))
        uow.session.add(client)
        uow.session.flush()
        client_id = client.id
        uow.commit()
    return QuotingShop(uow_factory, main_shelf, branch_shelf, oc90, w712, list_supplier, abcp_supplier,
                       json_supplier, abcp_online, json_online, client_id)  # fmt: skip
