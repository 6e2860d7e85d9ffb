"""Domain errors: what a person is told when a use case cannot be done (already translated)."""

from __future__ import annotations


class DomainError(Exception):
    """A failure the user can act on; `str(error)` is the translated message to show."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """Input that breaks a rule; *field* names the form field when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class FieldErrors(ValidationError):
    """Several fields of one form are wrong at once; *problems* maps a field key (`phones.1`) to its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("\n".join(problems.values()), next(iter(problems), None))
        self.problems = dict(problems)


class NotFoundError(DomainError):
    """The thing asked for does not exist (any more)."""


class PermissionDeniedError(DomainError):
    """The acting user's roles do not allow this."""


class ConflictError(DomainError):
    """Someone else changed or took the same thing first (another desk, a duplicate)."""


class AuthenticationError(DomainError):
    """Wrong login or password."""


class ConfigurationError(DomainError):
    """Settings or the environment prevent the app from working (bad URL, read-only folder ...)."""


class DatabaseUnavailableError(DomainError):
    """The database server cannot be reached or refused the connection."""

    exit_code = 3


class SchemaTooNewError(DomainError):
    """The database was upgraded by a newer version of the app than this one."""

    exit_code = 4


class SecretStorageUnavailableError(DomainError):
    """No OS keyring exists and the user has not agreed to keep the secret for this session only."""
