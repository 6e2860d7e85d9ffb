"""Writing and reading the audit log; every service that changes people, money, stock or bookings calls it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func, select

from autoservice_desk.models.audit import AuditRecord
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


def json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(item) for item in value]
    return value


def record(
    uow: UnitOfWork,
    entity: str,
    entity_id: object,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit row to *uow*'s transaction (so it commits or rolls back with the change itself)."""
    uow.session.add(
        AuditRecord(
            occurred_at=uow.clock(),
            user_id=uow.actor.user_id,
            user_login=uow.actor.login,
            entity=entity,
            entity_id=str(entity_id),
            action=action,
            before=json_safe(before) if before is not None else None,
            after=json_safe(after) if after is not None else None,
        )
    )
    uow.mark_changed("audit")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    occurred_at: datetime
    user_login: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def count_entries(uow_factory: UnitOfWorkFactory) -> int:
    """How many audit rows exist."""
    return run_in_transaction(
        uow_factory,
        lambda uow: int(uow.session.scalar(select(func.count()).select_from(AuditRecord)) or 0),
        read_only=True,
    )


def list_entries(uow_factory: UnitOfWorkFactory, before_id: int | None, limit: int) -> list[AuditEntry]:
    """A page of the audit log, newest first, starting below *before_id* (keyset paging stays fast deep down)."""

    def work(uow: UnitOfWork) -> list[AuditEntry]:
        query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(AuditRecord.id < before_id)
        rows = uow.session.scalars(query)
        return [
            AuditEntry(r.id, r.occurred_at, r.user_login, r.entity, r.entity_id, r.action, r.before, r.after)
            for r in rows
        ]

    return run_in_transaction(uow_factory, work, read_only=True)
