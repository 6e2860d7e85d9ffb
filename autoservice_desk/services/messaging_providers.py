"""The configured message providers: built from the shop's settings and the keyring; balance and test message.

The calls here go over the network: screens run them in the background, never on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from autoservice_desk.credentials import SecretStore
from autoservice_desk.i18n import _
from autoservice_desk.integrations.messaging import (
    Balance,
    MessageProvider,
    OutgoingMessage,
    ProviderError,
    SendResult,
    SmscProvider,
    SmsRuProvider,
    TelegramProvider,
)
from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.services.messaging_settings import MessagingSettingsInfo, get_settings
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

# Keyring entry names; SMSC takes either the account password (with the login in the settings) or an API key.
SECRET_NAMES = {
    "smsru": "messaging:smsru:api_id",
    "smsc": "messaging:smsc:password",
    "smsc_api_key": "messaging:smsc:api_key",
    "telegram": "messaging:telegram:token",
}


class ProviderUnavailableError(DomainError):
    """The provider refused or could not be reached; the message says what it answered."""


@dataclass
class ProviderSet:
    """The provider of each channel (None: not configured, its messages wait in the outbox)."""

    sms: MessageProvider | None = None
    telegram: MessageProvider | None = None

    def for_channel(self, channel: str) -> MessageProvider | None:
        return self.sms if channel == "sms" else self.telegram if channel == "telegram" else None

    def by_name(self, name: str | None) -> MessageProvider | None:
        return next((provider for provider in self.all() if provider.name == name), None)

    def all(self) -> list[MessageProvider]:
        return [provider for provider in (self.sms, self.telegram) if provider is not None]

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(provider.channel for provider in self.all())


def build_providers(settings: MessagingSettingsInfo, secrets: SecretStore) -> ProviderSet:
    """Adapters for what the settings choose and the keyring has secrets for."""
    providers = ProviderSet()
    if settings.sms_provider == "smsru" and (api_id := secrets.get(SECRET_NAMES["smsru"])):
        providers.sms = SmsRuProvider(api_id, sender=settings.sms_sender, base_url=settings.sms_base_url)
    elif settings.sms_provider == "smsc":
        api_key = secrets.get(SECRET_NAMES["smsc_api_key"]) or ""
        password = secrets.get(SECRET_NAMES["smsc"]) or ""
        if api_key or (settings.sms_login and password):
            providers.sms = SmscProvider(login=settings.sms_login, password=password, api_key=api_key,
                                         sender=settings.sms_sender, base_url=settings.sms_base_url)  # fmt: skip
    if settings.telegram_enabled and (token := secrets.get(SECRET_NAMES["telegram"])):
        providers.telegram = TelegramProvider(token, base_url=settings.telegram_base_url)
    return providers


def save_secret(secrets: SecretStore, kind: str, secret: str) -> None:
    """Keep *secret* for *kind* (`smsru`, `smsc`, `smsc_api_key`, `telegram`) in the keyring; empty deletes it."""
    if kind not in SECRET_NAMES:
        raise ValidationError(_("Unknown provider: {name}.").format(name=kind), "provider")
    if secret.strip():
        secrets.set(SECRET_NAMES[kind], secret.strip())
    else:
        secrets.delete(SECRET_NAMES[kind])


def _provider(uow_factory: UnitOfWorkFactory, secrets: SecretStore, channel: str) -> MessageProvider:
    provider = build_providers(get_settings(uow_factory), secrets).for_channel(channel)
    if provider is None:
        raise ValidationError(_("No provider is set up for this channel: choose one and enter its key."), "provider")
    return provider


def provider_balance(uow_factory: UnitOfWorkFactory, secrets: SecretStore, channel: str = "sms") -> Balance | None:
    """The account balance the provider reports (None for Telegram, which only checks the bot's token)."""
    try:
        return _provider(uow_factory, secrets, channel).balance()
    except ProviderError as error:
        raise ProviderUnavailableError(_("The provider answered: {error}").format(error=error)) from error


def send_test_message(
    uow_factory: UnitOfWorkFactory, secrets: SecretStore, recipient: str, text: str, channel: str = "sms"
) -> SendResult:
    """Send *text* to *recipient* straight away, bypassing the outbox (the settings page's "send a test message")."""
    if not recipient.strip() or not text.strip():
        raise ValidationError(_("Enter a recipient and a text."), "recipient")
    try:
        return _provider(uow_factory, secrets, channel).send(OutgoingMessage(recipient.strip(), text.strip(), "test"))
    except ProviderError as error:
        raise ProviderUnavailableError(_("The provider answered: {error}").format(error=error)) from error
