"""The quoting search on SQLite and PostgreSQL: own stock first, analogs grouped, price lists, online suppliers in
parallel with their failures reported, the answer cache and refresh, the brand step."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fake_supplier_servers import FakeAbcp, FakeJsonSupplier, running
from quoting_shop import QuotingShop, make_abcp, make_json_supplier, make_shop

from autoservice_desk.credentials import SecretStore
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.online_suppliers import secret_name
from autoservice_desk.services.quoting import AnswerStatus, SourceAnswer, brands_for, iter_search, search
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

D = Decimal


@pytest.fixture
def servers() -> Iterator[tuple[FakeAbcp, str, FakeJsonSupplier, str]]:
    abcp, shop_api = make_abcp(), make_json_supplier()
    with running(abcp) as abcp_url, running(shop_api) as json_url:
        yield abcp, abcp_url, shop_api, json_url


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory, tmp_path: Path, servers: tuple[FakeAbcp, str, FakeJsonSupplier, str]
         ) -> QuotingShop:  # fmt: skip
    _abcp, abcp_url, _api, json_url = servers
    return make_shop(uow_factory, tmp_path, abcp_url, json_url, timeout_ms=3000)


def _offers(answer: SourceAnswer) -> list[tuple[str, str, str, Decimal | None, Decimal | None]]:
    return sorted((offer.source_name, offer.brand, offer.article, offer.quantity, offer.sale_price)
                  for offer in answer.offers)  # fmt: skip


def test_local_sources_answer_first_in_order(shop: QuotingShop) -> None:
    answers = list(iter_search(shop.uow_factory, "oc-90", "MAHLE", include_online=False))
    assert [answer.kind for answer in answers] == ["own_stock", "analogs", "price_lists"]
    own, analogs, lists = answers
    # both warehouses; available = on hand − reserved; 400 × 1.5
    assert _offers(own) == [("Основной", "Mahle", "OC 90", D("2.000"), D("600.00")),
                            ("Филиал", "Mahle", "OC 90", D("2.000"), D("600.00"))]  # fmt: skip
    assert {offer.location for offer in own.offers} == {"A-01", "F-01"}
    assert all(offer.delivery_days == 0 and offer.margin == D("200.00") for offer in own.offers)
    # analogs: the Mann-Filter part in stock, the Bosch one from the price list (supplier's 20 % rule)
    assert _offers(analogs) == [("Армтек", "Bosch", "0451103316", D("50.000"), D("360.00")),
                                ("Основной", "Mann-Filter", "W 712/75", D("4.000"), D("750.00"))]  # fmt: skip
    assert all(offer.analog for offer in analogs.offers)
    # the Knecht line of the same number is another brand: not asked for
    assert _offers(lists) == [("Армтек", "Mahle", "OC 90", D("12.000"), D("456.00"))]
    assert lists.offers[0].delivery_days == 1 and not lists.offers[0].analog


def test_every_brand_when_none_is_chosen(shop: QuotingShop) -> None:
    result = search(shop.uow_factory, "OC90", include_online=False)
    lists = next(answer for answer in result.answers if answer.kind == "price_lists")
    assert {offer.brand for offer in lists.offers} == {"Mahle", "Knecht"}


def test_the_clients_discount_never_goes_below_cost(shop: QuotingShop) -> None:
    result = search(shop.uow_factory, "OC90", "Mahle", client_id=shop.client, include_online=False)
    prices = {(offer.source_name, offer.brand): offer.sale_price for offer in result.offers}
    assert prices[("Основной", "Mahle")] == D("540.00")  # 600 − 10 %
    assert prices[("Армтек", "Mahle")] == D("410.40")  # 456 − 10 %


def test_best_price_and_fastest_are_marked(shop: QuotingShop) -> None:
    offers = search(shop.uow_factory, "OC90", "Mahle", include_online=False).offers
    best = [offer for offer in offers if offer.best_price]
    fastest = [offer for offer in offers if offer.fastest]
    assert [(offer.source_name, offer.sale_price) for offer in best] == [("Армтек", D("456.00"))]
    assert {offer.source_name for offer in fastest} == {"Основной", "Филиал"}
    assert not any(offer.best_price for offer in offers if offer.analog)


def test_online_suppliers_answer_with_markup(shop: QuotingShop) -> None:
    result = search(shop.uow_factory, "OC 90", "Mahle")
    online = {answer.label: answer for answer in result.answers if answer.kind == "online"}
    assert set(online) == {"Автоклик", "ШопАПИ"}
    assert all(answer.status is AnswerStatus.OK for answer in online.values())
    (abcp,) = online["Автоклик"].offers
    assert (abcp.brand, abcp.purchase_price, abcp.sale_price, abcp.delivery_days) == ("Mahle", D("370.00"),
                                                                                      D("555.00"), 2)  # fmt: skip
    (api,) = online["ШопАПИ"].offers
    assert (api.brand, api.quantity, api.sale_price) == ("MAHLE", D("30.000"), D("585.00"))
    assert abcp.supplier_id == shop.abcp_supplier and abcp.online_supplier_id == shop.abcp_online


def test_a_slow_supplier_does_not_hold_the_others(
    shop: QuotingShop, servers: tuple[FakeAbcp, str, FakeJsonSupplier, str]
) -> None:
    abcp, _url, _api, _json_url = servers
    abcp.behaviour.delay = 6.0  # its timeout is 3 s
    seen: list[str] = []
    result = search(shop.uow_factory, "OC90", "Mahle", on_answer=lambda answer: seen.append(answer.source_id))
    assert seen[:3] == ["own_stock", "analogs", "price_lists"]
    assert seen[3] == f"online:{shop.json_online}"  # the quick one first
    late = result.answers[-1]
    assert (late.label, late.status, late.failure) == ("Автоклик", AnswerStatus.TIMEOUT, "timeout")
    assert "did not answer within 3 s" in late.reason
    assert late.offers == ()


def test_a_failing_supplier_is_reported_with_its_reason(shop: QuotingShop) -> None:
    SecretStore().set(secret_name(shop.abcp_online or 0), "wrong")
    result = search(shop.uow_factory, "OC90", "Mahle")
    (failed,) = result.problems
    assert (failed.label, failed.status, failed.failure) == ("Автоклик", AnswerStatus.FAILED, "bad_login")
    assert "login or password" in failed.reason
    assert any(answer.label == "ШопАПИ" and answer.offers for answer in result.answers)


def test_answers_are_cached_until_refresh(
    shop: QuotingShop, servers: tuple[FakeAbcp, str, FakeJsonSupplier, str]
) -> None:
    abcp, _url, api, _json_url = servers
    first = search(shop.uow_factory, "OC90", "Mahle")
    second = search(shop.uow_factory, "OC-90", "MAHLE")
    assert len(abcp.behaviour.requests) == 1 and len(api.behaviour.requests) == 1
    online = [answer for answer in second.answers if answer.kind == "online"]
    assert all(answer.from_cache for answer in online)
    # Answers keep the order they came in, and two suppliers asked at once may finish either way round.
    assert sorted(offer.sale_price for offer in second.offers) == sorted(offer.sale_price for offer in first.offers)
    third = search(shop.uow_factory, "OC90", "Mahle", refresh=True)
    assert len(abcp.behaviour.requests) == 2 and len(api.behaviour.requests) == 2
    assert not any(answer.from_cache for answer in third.answers)


def test_all_brands_at_a_two_step_supplier(shop: QuotingShop) -> None:
    result = search(shop.uow_factory, "OC90")
    abcp = next(answer for answer in result.answers if answer.label == "Автоклик")
    assert {offer.brand for offer in abcp.offers} == {"Mahle", "Knecht"}
    assert not any(offer.analog for offer in abcp.offers)


def test_brand_step(shop: QuotingShop) -> None:
    choices = {choice.brand_key: choice for choice in brands_for(shop.uow_factory, "oc 90")}
    assert set(choices) == {"MAHLE", "KNECHT"}
    assert set(choices["MAHLE"].sources) >= {"own_stock", "crosses", "price_lists", "Автоклик", "ШопАПИ"}
    assert "Автоклик" in choices["KNECHT"].sources


def test_an_empty_article_is_refused(shop: QuotingShop) -> None:
    with pytest.raises(ValidationError):
        search(shop.uow_factory, " - ")
