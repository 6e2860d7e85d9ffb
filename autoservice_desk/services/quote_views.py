"""What the quoting screen shows beside the quotes themselves: the names of the clients a page of quotes is for."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from autoservice_desk.models.clients import Client
from autoservice_desk.services.clients import client_name
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


def client_names(uow_factory: UnitOfWorkFactory, client_ids: Iterable[int]) -> dict[int, str]:
    """Client id -> the name shown for them, for the ids given (one query, whatever the number)."""
    wanted = sorted(set(client_ids))

    def work(uow: UnitOfWork) -> dict[int, str]:
        if not wanted:
            return {}
        return {client.id: client_name(client)
                for client in uow.session.scalars(select(Client).where(Client.id.in_(wanted)))}  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)
