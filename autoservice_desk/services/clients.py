"""Client queries the foundation needs (the client-card issue grows this into the full context)."""

from __future__ import annotations

from sqlalchemy import select

from autoservice_desk.models.clients import Client
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory, run_in_transaction


def has_clients(uow_factory: UnitOfWorkFactory) -> bool:
    """True when the database holds at least one client (an empty shop is offered demo data)."""
    return run_in_transaction(
        uow_factory, lambda uow: uow.session.scalar(select(Client.id).limit(1)) is not None, read_only=True
    )
