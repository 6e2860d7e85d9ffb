"""Message providers: SMS gateways (SMS.ru-style, SMSC.ru-style) and the Telegram Bot API, behind one interface."""

from autoservice_desk.integrations.messaging.base import (
    AccountProviderError,
    Balance,
    DeliveryState,
    IncomingReply,
    MessageProvider,
    OutgoingMessage,
    PermanentProviderError,
    ProviderError,
    RateLimitedError,
    ReplySource,
    SendResult,
    StatusResult,
    TransientProviderError,
    UncertainSendError,
)
from autoservice_desk.integrations.messaging.smsc import SmscProvider
from autoservice_desk.integrations.messaging.smsru import SmsRuProvider
from autoservice_desk.integrations.messaging.telegram import TelegramProvider

__all__ = [
    "AccountProviderError", "Balance", "DeliveryState", "IncomingReply", "MessageProvider", "OutgoingMessage",
    "PermanentProviderError", "ProviderError", "RateLimitedError", "ReplySource", "SendResult", "SmsRuProvider",
    "SmscProvider", "StatusResult", "TelegramProvider", "TransientProviderError", "UncertainSendError",
]  # fmt: skip
