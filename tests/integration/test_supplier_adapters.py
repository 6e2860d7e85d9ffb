"""The supplier adapters against local servers answering in the ABCP and a JSON format: offers, failures, retries."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from fake_supplier_servers import FakeAbcp, FakeJsonSupplier, running

from autoservice_desk.integrations.suppliers import (
    AbcpAdapter,
    FailureReason,
    JsonAdapter,
    SupplierError,
    password_hash,
)


@pytest.fixture
def abcp() -> Iterator[tuple[FakeAbcp, str]]:
    server = FakeAbcp("api@id123", "s3cret")
    server.add("Mahle", "OC 90", "Фильтр масляный", 412.5, 14, 30, supplier="Склад МСК")
    server.add("Knecht", "OC90", "Фильтр масляный Knecht", 399, -1, 72)
    server.add("Mann-Filter", "W 712/75", "Фильтр масляный", 520, 3, 48, packing=2)
    server.articles[-1]["analog_of"] = ("OC90", "MAHLE")
    with running(server) as url:
        yield server, url


@pytest.fixture
def shop_api() -> Iterator[tuple[FakeJsonSupplier, str]]:
    server = FakeJsonSupplier("key-1")
    server.add("MAHLE", "OC90", "Фильтр масляный OC 90", "405.10", ">10", 2)
    server.add("BOSCH", "0451103316", "Фильтр масла", "350", 4, 1, pack=1)
    with running(server) as url:
        yield server, url


def test_abcp_password_is_sent_as_md5() -> None:
    assert password_hash("s3cret") == "33e1b232a4e6fa0028a6670753749a17"


def test_abcp_two_step_search(abcp: tuple[FakeAbcp, str]) -> None:
    server, url = abcp
    adapter = AbcpAdapter(url, "api@id123", "s3cret", timeout=2)
    brands = adapter.brands("oc-90")
    assert sorted(hit.brand for hit in brands) == ["Knecht", "Mahle"]
    offers = adapter.offers("OC90", "Mahle")
    assert [(offer.brand, offer.article) for offer in offers] == [("Mahle", "OC 90"), ("Mann-Filter", "W 712/75")]
    mahle, mann = offers
    assert mahle.price == Decimal("412.50") and mahle.quantity == Decimal("14.000")
    assert mahle.delivery_days == 2  # 30 hours, rounded up to days
    assert mahle.warehouse == "Склад МСК"
    assert mann.multiplicity == 2
    assert "userpsw=33e1b232a4e6fa0028a6670753749a17" in server.behaviour.requests[-1]


def test_abcp_negative_availability_is_not_a_count(abcp: tuple[FakeAbcp, str]) -> None:
    _server, url = abcp
    (knecht,) = AbcpAdapter(url, "api@id123", "s3cret", timeout=2).offers("OC90", "Knecht")
    assert knecht.quantity is None and knecht.delivery_days == 3


def test_abcp_nothing_found_is_an_empty_answer(abcp: tuple[FakeAbcp, str]) -> None:
    _server, url = abcp
    adapter = AbcpAdapter(url, "api@id123", "s3cret", timeout=2)
    assert adapter.brands("NOPE1") == []
    assert adapter.offers("NOPE1", "Mahle") == []


def test_abcp_wrong_password(abcp: tuple[FakeAbcp, str]) -> None:
    _server, url = abcp
    with pytest.raises(SupplierError) as caught:
        AbcpAdapter(url, "api@id123", "wrong", timeout=2).brands("OC90")
    assert caught.value.reason is FailureReason.BAD_LOGIN
    assert "login or password" in caught.value.message


def test_abcp_server_error_after_a_retry(abcp: tuple[FakeAbcp, str]) -> None:
    server, url = abcp
    server.behaviour.fail_status = 500
    with pytest.raises(SupplierError) as caught:
        AbcpAdapter(url, "api@id123", "s3cret", timeout=2).offers("OC90", "Mahle")
    assert caught.value.reason is FailureReason.SERVER_ERROR
    assert "HTTP 500" in caught.value.message


def test_a_gateway_error_is_retried_once(abcp: tuple[FakeAbcp, str]) -> None:
    server, url = abcp
    server.behaviour.fail_status, server.behaviour.fail_times = 503, 1
    offers = AbcpAdapter(url, "api@id123", "s3cret", timeout=2, retries=1).offers("OC90", "Mahle")
    assert len(offers) == 2
    assert len(server.behaviour.requests) == 2


def test_abcp_malformed_body(abcp: tuple[FakeAbcp, str]) -> None:
    server, url = abcp
    server.behaviour.malformed = True
    with pytest.raises(SupplierError) as caught:
        AbcpAdapter(url, "api@id123", "s3cret", timeout=2).offers("OC90", "Mahle")
    assert caught.value.reason is FailureReason.MALFORMED


def test_abcp_timeout(abcp: tuple[FakeAbcp, str]) -> None:
    server, url = abcp
    server.behaviour.delay = 1.0
    with pytest.raises(SupplierError) as caught:
        AbcpAdapter(url, "api@id123", "s3cret", timeout=0.2).offers("OC90", "Mahle")
    assert caught.value.reason is FailureReason.TIMEOUT
    assert "0.2 s" in caught.value.message


def test_unreachable_server() -> None:
    with pytest.raises(SupplierError) as caught:
        AbcpAdapter("http://127.0.0.1:9", "api@id123", "s3cret", timeout=0.5, retries=0).brands("OC90")
    assert caught.value.reason is FailureReason.UNREACHABLE


def test_abcp_needs_its_settings() -> None:
    with pytest.raises(SupplierError) as caught:
        AbcpAdapter("", "", "")
    assert caught.value.reason is FailureReason.NOT_CONFIGURED


def _json_adapter(url: str, key: str = "key-1", timeout: float = 2) -> JsonAdapter:
    return JsonAdapter(url, FakeJsonSupplier.URL_TEMPLATE, FakeJsonSupplier.MAPPING, api_key=key, timeout=timeout)


def test_json_offers_through_the_mapping(shop_api: tuple[FakeJsonSupplier, str]) -> None:
    _server, url = shop_api
    (offer,) = _json_adapter(url).offers("OC 90", "Mahle")
    assert (offer.brand, offer.article, offer.name) == ("MAHLE", "OC90", "Фильтр масляный OC 90")
    assert offer.price == Decimal("405.10") and offer.quantity == Decimal("10.000") and offer.delivery_days == 2


def test_json_brands_from_the_offers_without_a_brand_url(shop_api: tuple[FakeJsonSupplier, str]) -> None:
    _server, url = shop_api
    assert [hit.brand for hit in _json_adapter(url).brands("OC90")] == ["MAHLE"]


def test_json_bad_key(shop_api: tuple[FakeJsonSupplier, str]) -> None:
    _server, url = shop_api
    with pytest.raises(SupplierError) as caught:
        _json_adapter(url, key="wrong").offers("OC90", "")
    assert caught.value.reason is FailureReason.BAD_LOGIN


@pytest.mark.parametrize(("status", "malformed", "reason"), [
    (502, False, FailureReason.SERVER_ERROR), (None, True, FailureReason.MALFORMED),
])  # fmt: skip
def test_json_failures(
    shop_api: tuple[FakeJsonSupplier, str], status: int | None, malformed: bool, reason: FailureReason
) -> None:
    server, url = shop_api
    server.behaviour.fail_status, server.behaviour.malformed = status, malformed
    with pytest.raises(SupplierError) as caught:
        _json_adapter(url).offers("OC90", "")
    assert caught.value.reason is reason


def test_json_answer_of_the_wrong_shape(shop_api: tuple[FakeJsonSupplier, str]) -> None:
    _server, url = shop_api
    adapter = JsonAdapter(url, FakeJsonSupplier.URL_TEMPLATE, {**FakeJsonSupplier.MAPPING, "items": "data.total"},
                          api_key="key-1", timeout=2)  # fmt: skip
    with pytest.raises(SupplierError) as caught:
        adapter.offers("OC90", "")
    assert caught.value.reason is FailureReason.MALFORMED
