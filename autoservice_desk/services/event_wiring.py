"""Which modules react to which domain events; installed once by whatever opens the database (the app, the CLI)."""

from __future__ import annotations


def install() -> None:
    """Subscribe every in-transaction event handler (idempotent: a handler is never subscribed twice)."""
    from autoservice_desk.services import special_orders

    special_orders.install()
