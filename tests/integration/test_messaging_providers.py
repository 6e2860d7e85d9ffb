"""The SMS.ru, SMSC and Telegram adapters against a local server speaking each protocol, failures included."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from fake_sms_servers import API_ID, BOT_TOKEN, SMSC_API_KEY, SMSC_LOGIN, SMSC_PASSWORD, FakeSmsServer

from autoservice_desk.integrations.messaging import (
    AccountProviderError,
    DeliveryState,
    OutgoingMessage,
    PermanentProviderError,
    RateLimitedError,
    SmscProvider,
    SmsRuProvider,
    TelegramProvider,
    TransientProviderError,
    UncertainSendError,
)

TIMEOUT = (1.0, 0.5)


@pytest.fixture
def server() -> Iterator[FakeSmsServer]:
    fake = FakeSmsServer().start()
    fake.state.timeout_sleep = 1.0
    yield fake
    fake.stop()


def _sms(text: str = "Ваш автомобиль готов", ref: str = "17") -> OutgoingMessage:
    return OutgoingMessage("+79123456789", text, ref)


# --- SMS.ru ---------------------------------------------------------------------------------------------------


def test_smsru_sends_reads_status_and_balance(server: FakeSmsServer) -> None:
    provider = SmsRuProvider(API_ID, base_url=server.url, timeout=TIMEOUT)
    result = provider.send(_sms())
    assert result.provider_message_id.startswith("000000-")
    assert server.keys() == {"79123456789:Ваш автомобиль готов"}
    status = provider.status(result.provider_message_id, "+79123456789")
    assert status.state is DeliveryState.DELIVERED and status.cost == Decimal("1.50")
    assert provider.status("000000-1", "+79123456789").state is DeliveryState.NOT_FOUND
    balance = provider.balance()
    assert balance is not None and balance.amount == Decimal("4122.56")
    assert not provider.supports_lookup


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        ("500", TransientProviderError), ("timeout", UncertainSendError), ("malformed", UncertainSendError),
        ("429", RateLimitedError), ("220", TransientProviderError), ("201", AccountProviderError),
        ("231", RateLimitedError), ("207", PermanentProviderError),
    ],
)  # fmt: skip
def test_smsru_errors_have_the_right_kind(server: FakeSmsServer, failure: str, error: type[Exception]) -> None:
    provider = SmsRuProvider(API_ID, base_url=server.url, timeout=TIMEOUT)
    server.fail_next(failure)
    with pytest.raises(error):
        provider.send(_sms())
    assert server.total() == 0
    provider.send(_sms())  # the next call goes through
    assert server.total() == 1


def test_smsru_wrong_key_and_wrong_number(server: FakeSmsServer) -> None:
    with pytest.raises(AccountProviderError, match="200"):
        SmsRuProvider("wrong", base_url=server.url, timeout=TIMEOUT).send(_sms())
    with pytest.raises(PermanentProviderError, match="202"):
        SmsRuProvider(API_ID, base_url=server.url, timeout=TIMEOUT).send(OutgoingMessage("abc", "x", "1"))


def test_a_server_that_is_down_or_absent_is_transient(server: FakeSmsServer) -> None:
    provider = SmsRuProvider(API_ID, base_url=server.url, timeout=TIMEOUT)
    server.set_down(True)
    with pytest.raises(TransientProviderError) as caught:
        provider.send(_sms())
    assert not isinstance(caught.value, UncertainSendError)  # a 503 means "not taken": safe to send again
    nowhere = SmsRuProvider(API_ID, base_url="http://127.0.0.1:9", timeout=TIMEOUT)
    with pytest.raises(TransientProviderError) as refused:
        nowhere.send(_sms())
    assert not isinstance(refused.value, UncertainSendError)


# --- SMSC -----------------------------------------------------------------------------------------------------


def test_smsc_sends_with_our_id_and_finds_it_again(server: FakeSmsServer) -> None:
    provider = SmscProvider(login=SMSC_LOGIN, password=SMSC_PASSWORD, base_url=server.url, timeout=TIMEOUT)
    assert provider.lookup("42", "+79123456789") is None
    result = provider.send(_sms(ref="42"))
    assert result.provider_message_id == "42" and result.cost == Decimal("1.50") and result.segments == 1
    found = provider.lookup("42", "+79123456789")
    assert found is not None and found.provider_message_id == "42"
    assert provider.status("42", "+79123456789").state is DeliveryState.DELIVERED
    balance = SmscProvider(api_key=SMSC_API_KEY, base_url=server.url, timeout=TIMEOUT).balance()
    assert balance is not None and balance.amount == Decimal("4122.56")


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        ("500", TransientProviderError), ("timeout", UncertainSendError), ("malformed", UncertainSendError),
        ("reset", TransientProviderError), ("429", RateLimitedError), ("9", RateLimitedError),
        ("3", AccountProviderError), ("6", PermanentProviderError),
    ],
)  # fmt: skip
def test_smsc_errors_have_the_right_kind(server: FakeSmsServer, failure: str, error: type[Exception]) -> None:
    provider = SmscProvider(login=SMSC_LOGIN, password=SMSC_PASSWORD, base_url=server.url, timeout=TIMEOUT)
    server.fail_next(failure)
    with pytest.raises(error):
        provider.send(_sms())
    assert server.total() == 0


def test_smsc_wrong_password_is_an_account_error(server: FakeSmsServer) -> None:
    with pytest.raises(AccountProviderError):
        SmscProvider(login=SMSC_LOGIN, password="nope", base_url=server.url, timeout=TIMEOUT).balance()


# --- Telegram -------------------------------------------------------------------------------------------------


def test_telegram_sends_to_a_chat(server: FakeSmsServer) -> None:
    provider = TelegramProvider(BOT_TOKEN, base_url=server.url, timeout=TIMEOUT)
    result = provider.send(OutgoingMessage("5550001", "Ваш автомобиль готов", "1"))
    assert result.provider_message_id.isdigit()
    assert server.keys() == {"5550001:Ваш автомобиль готов"}
    assert provider.balance() is None  # getMe answered: the token is good


def test_telegram_errors(server: FakeSmsServer) -> None:
    provider = TelegramProvider(BOT_TOKEN, base_url=server.url, timeout=TIMEOUT)
    server.fail_next("429")
    with pytest.raises(RateLimitedError) as limited:
        provider.send(OutgoingMessage("5550001", "x", "1"))
    assert limited.value.retry_after == 2
    with pytest.raises(PermanentProviderError, match="chat not found"):
        provider.send(OutgoingMessage("9990001", "x", "1"))
    with pytest.raises(PermanentProviderError):
        provider.send(OutgoingMessage("@someone", "x", "1"))
    server.fail_next("403")
    with pytest.raises(PermanentProviderError):
        provider.send(OutgoingMessage("5550001", "x", "1"))
    server.fail_next("502")
    with pytest.raises(TransientProviderError):
        provider.send(OutgoingMessage("5550001", "x", "1"))
    with pytest.raises(AccountProviderError):
        TelegramProvider("wrong", base_url=server.url, timeout=TIMEOUT).send(OutgoingMessage("5550001", "x", "1"))
    assert server.total() == 0
