"""Advisor tasks: small to-dos for the service advisors ("call about maintenance"), from triggers or by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from autoservice_desk.i18n import _
from autoservice_desk.models.messaging import AdvisorTask
from autoservice_desk.services import audit
from autoservice_desk.services.errors import NotFoundError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


@dataclass(frozen=True)
class TaskInfo:
    id: int
    kind: str
    title: str
    body: str | None
    client_id: int | None
    vehicle_id: int | None
    due_on: date
    status: str
    created_at: datetime


def add_task(
    uow: UnitOfWork, kind: str, title: str, due_on: date, *, body: str | None = None, client_id: int | None = None,
    vehicle_id: int | None = None, key: str | None = None,
) -> int | None:  # fmt: skip
    """Add a task in *uow*'s transaction; with *key* a second task of the same key is not added (None)."""
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(AdvisorTask).values(
        idempotency_key=key, kind=kind, title=title[:300], body=body, client_id=client_id, vehicle_id=vehicle_id,
        due_on=due_on, status="open", created_at=uow.clock(),
    ).on_conflict_do_nothing(index_elements=["idempotency_key"])  # fmt: skip
    task_id = uow.session.execute(statement.returning(AdvisorTask.id)).scalar()
    if task_id is not None:
        uow.mark_changed("advisor_tasks", task_id)
    return task_id


def list_open_tasks(
    uow_factory: UnitOfWorkFactory, *, client_id: int | None = None, limit: int = 500
) -> list[TaskInfo]:
    """Open tasks, the most urgent first."""

    def work(uow: UnitOfWork) -> list[TaskInfo]:
        statement = select(AdvisorTask).where(AdvisorTask.status == "open").order_by(AdvisorTask.due_on, AdvisorTask.id)
        if client_id is not None:
            statement = statement.where(AdvisorTask.client_id == client_id)
        return [
            TaskInfo(
                row.id,
                row.kind,
                row.title,
                row.body,
                row.client_id,
                row.vehicle_id,
                row.due_on,
                row.status,
                row.created_at,
            )  # fmt: skip
            for row in uow.session.scalars(statement.limit(limit))
        ]

    return run_in_transaction(uow_factory, work, read_only=True)


def close_task(uow_factory: UnitOfWorkFactory, task_id: int, *, done: bool = True) -> None:
    """Mark a task done (or cancelled)."""

    def work(uow: UnitOfWork) -> None:
        task = uow.session.get(AdvisorTask, task_id)
        if task is None:
            raise NotFoundError(_("The task no longer exists."))
        before = task.status
        task.status, task.done_at, task.done_by = ("done" if done else "cancelled"), uow.clock(), uow.actor.login
        audit.record(uow, "advisor_task", task_id, "update", {"status": before}, {"status": task.status})
        uow.mark_changed("advisor_tasks", task_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
