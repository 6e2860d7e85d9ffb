"""The unit of work rolls back unless committed, retries transient conflicts and publishes what changed."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from autoservice_desk.models.clients import Client
from autoservice_desk.services.errors import ConflictError
from autoservice_desk.services.unit_of_work import ChangeSet, UnitOfWork, UnitOfWorkFactory, run_in_transaction


def _count(uow_factory: UnitOfWorkFactory) -> int:
    return run_in_transaction(
        uow_factory, lambda uow: int(uow.session.scalar(select(func.count()).select_from(Client)) or 0)
    )


def test_leaving_without_commit_rolls_back(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.session.add(Client(surname="Петров"))
        uow.session.flush()
    assert _count(uow_factory) == 0


def test_an_error_rolls_back_everything(uow_factory: UnitOfWorkFactory) -> None:
    def work(uow: UnitOfWork) -> None:
        uow.session.add(Client(surname="Петров"))
        uow.session.flush()
        raise ValueError("rule broken")

    with pytest.raises(ValueError):
        run_in_transaction(uow_factory, work)
    assert _count(uow_factory) == 0


def test_commit_publishes_the_change_set(uow_factory: UnitOfWorkFactory) -> None:
    received: list[ChangeSet] = []
    uow_factory.subscribe(received.append)

    def work(uow: UnitOfWork) -> None:
        client = Client(surname="Петров")
        uow.session.add(client)
        uow.session.flush()
        uow.mark_changed("client", client.id)
        uow.commit()

    run_in_transaction(uow_factory, work)
    assert len(received) == 1 and received[0].touches("client")
    assert ("client", "1") in received[0].ids


def test_transient_conflicts_are_retried(uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("autoservice_desk.services.unit_of_work.time.sleep", lambda _seconds: None)
    calls = []

    def work(uow: UnitOfWork) -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
        return "done"

    assert run_in_transaction(uow_factory, work) == "done"
    assert len(calls) == 3


def test_a_conflict_that_persists_becomes_a_clear_error(
    uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("autoservice_desk.services.unit_of_work.time.sleep", lambda _seconds: None)

    def work(uow: UnitOfWork) -> None:
        raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))

    with pytest.raises(ConflictError, match="busy"):
        run_in_transaction(uow_factory, work, attempts=2)
