"""Secrets (database password, API keys) in the OS keyring, or for this session only when there is none."""

from __future__ import annotations

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import SecretStorageUnavailableError

SERVICE_NAME = "autoservice-desk"


def _keyring_usable() -> bool:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    # The chainer is usable only when it has real backends behind it.
    backends = getattr(backend, "backends", None)
    return backends is None or bool(backends)


class SecretStore:
    """Reads and writes secrets; never falls back to plain text on its own.

    Without an OS keyring `set` raises SecretStorageUnavailableError until the user agrees
    (`allow_session_only()`), after which secrets live in this process's memory and die with it.
    """

    def __init__(self) -> None:
        self._session_secrets: dict[str, str] = {}
        self._session_only_allowed = False

    @property
    def keyring_available(self) -> bool:
        return _keyring_usable()

    @property
    def session_only(self) -> bool:
        return self._session_only_allowed and not self.keyring_available

    def allow_session_only(self) -> None:
        self._session_only_allowed = True

    def get(self, name: str) -> str | None:
        if name in self._session_secrets:
            return self._session_secrets[name]
        if not self.keyring_available:
            return None
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(SERVICE_NAME, name)
        except KeyringError:
            return None

    def set(self, name: str, secret: str) -> None:
        if self.keyring_available:
            import keyring
            from keyring.errors import KeyringError

            try:
                keyring.set_password(SERVICE_NAME, name, secret)
                return
            except KeyringError as error:
                if not self._session_only_allowed:
                    raise SecretStorageUnavailableError(
                        _("The system keyring refused to store the secret: {error}").format(error=error)
                    ) from error
        elif not self._session_only_allowed:
            raise SecretStorageUnavailableError(
                _(
                    "This computer has no system keyring, so the secret cannot be stored safely. "
                    "It can be kept for this session only and will be asked again next time."
                )
            )
        self._session_secrets[name] = secret

    def delete(self, name: str) -> None:
        self._session_secrets.pop(name, None)
        if self.keyring_available:
            import keyring
            from keyring.errors import KeyringError, PasswordDeleteError

            try:
                keyring.delete_password(SERVICE_NAME, name)
            except (PasswordDeleteError, KeyringError):
                pass


def database_secret_name(username: str, host: str, port: int | None, database: str) -> str:
    """The keyring entry name for a PostgreSQL password."""
    return f"db:{username}@{host}:{port or 5432}/{database}"
