"""The unit of work: one session per use case, rolled back unless committed, retried on transient conflicts."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from autoservice_desk.clock import Clock, utc_now
from autoservice_desk.db import is_retryable, make_session_factory, read_only
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ConflictError, DatabaseUnavailableError

T = TypeVar("T")
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Actor:
    """The person on whose behalf a service runs; the audit log records it."""

    user_id: int | None
    login: str
    full_name: str = ""
    roles: frozenset[str] = frozenset()

    def has_role(self, *roles: str) -> bool:
        return "admin" in self.roles or any(role in self.roles for role in roles)


SYSTEM_ACTOR = Actor(user_id=None, login="system", full_name="System", roles=frozenset({"admin"}))


@dataclass(frozen=True)
class ChangeSet:
    """What a committed transaction changed: entity names, and ids where known."""

    entities: frozenset[str] = frozenset()
    ids: frozenset[tuple[str, str]] = frozenset()

    def touches(self, *entities: str) -> bool:
        return any(entity in self.entities for entity in entities)

    def __bool__(self) -> bool:
        return bool(self.entities)


ChangeListener = Callable[[ChangeSet], None]


class UnitOfWork:
    """One session and one transaction; leaving the `with` block without `commit()` rolls back."""

    def __init__(self, factory: UnitOfWorkFactory, session: Session) -> None:
        self._factory = factory
        self.session = session
        self.actor = factory.actor
        self.clock = factory.clock
        self._changed: set[str] = set()
        self._changed_ids: set[tuple[str, str]] = set()
        self.committed_changes = ChangeSet()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.session.rollback()
        self.session.close()

    def mark_changed(self, entity: str, entity_id: object | None = None) -> None:
        """Note that *entity* changed, so screens showing it refresh after the commit."""
        self._changed.add(entity)
        if entity_id is not None:
            self._changed_ids.add((entity, str(entity_id)))

    def commit(self) -> ChangeSet:
        self.session.commit()
        self.committed_changes = ChangeSet(frozenset(self._changed), frozenset(self._changed_ids))
        self._changed.clear()
        self._changed_ids.clear()
        if self.committed_changes:
            self._factory.publish(self.committed_changes)
        return self.committed_changes


@dataclass
class UnitOfWorkFactory:
    """Makes units of work for one database, acting user and clock (the composition root owns one)."""

    engine: Engine
    actor: Actor = SYSTEM_ACTOR
    clock: Clock = utc_now
    _listeners: list[ChangeListener] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._writer_sessions = make_session_factory(self.engine)
        self._reader_sessions = make_session_factory(read_only(self.engine))

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        sessions = self._reader_sessions if read_only else self._writer_sessions
        return UnitOfWork(self, sessions())

    def acting_as(self, actor: Actor) -> UnitOfWorkFactory:
        """A factory for the same database on behalf of *actor*, sharing the change listeners."""
        clone = UnitOfWorkFactory(self.engine, actor, self.clock)
        clone._listeners = self._listeners
        return clone

    def subscribe(self, listener: ChangeListener) -> None:
        self._listeners.append(listener)

    def publish(self, changes: ChangeSet) -> None:
        for listener in list(self._listeners):
            listener(changes)


def run_in_transaction(
    uow_factory: UnitOfWorkFactory,
    work: Callable[[UnitOfWork], T],
    *,
    read_only: bool = False,
    attempts: int = MAX_ATTEMPTS,
) -> T:
    """Run *work* in a fresh unit of work, again after a deadlock, serialization failure or busy file.

    *work* must call `uow.commit()` itself when it writes; anything it raises rolls everything back.
    Database errors that are not domain errors become a translated ConflictError or
    DatabaseUnavailableError, never a bare driver exception.
    """
    for attempt in range(1, attempts + 1):
        try:
            with uow_factory(read_only=read_only) as uow:
                return work(uow)
        except StaleDataError as error:  # a versioned row was saved by another desk after this one read it
            raise ConflictError(
                _("Someone else has changed this record in the meantime; reopen it and make your change again.")
            ) from error
        except (OperationalError, DBAPIError) as error:
            if is_retryable(error) and attempt < attempts:
                time.sleep(random.uniform(0.02, 0.1) * 2**attempt)  # jitter so two desks do not collide again
                continue
            if isinstance(error, IntegrityError):
                raise ConflictError(
                    _("The change conflicts with data saved at the same time; please reload and try again.")
                ) from error
            if is_retryable(error):
                raise ConflictError(_("The database stayed busy; please try again in a moment.")) from error
            if isinstance(error, OperationalError):
                raise DatabaseUnavailableError(
                    _("The database connection failed: {reason}").format(
                        reason=str(error.orig).strip().splitlines()[0] if error.orig else error
                    )
                ) from error
            raise
    raise AssertionError("unreachable")
