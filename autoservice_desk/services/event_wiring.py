"""Which modules react to which domain events; installed once by whatever opens the database (the app, the CLI)."""

from __future__ import annotations


def install(vat_mode: str | None = None) -> None:
    """Subscribe every in-transaction event handler (idempotent: a handler is never subscribed twice).

    *vat_mode* is the shop's VAT setting, for the work orders opened on a car's arrival.
    """
    from autoservice_desk.services import special_orders

    special_orders.install()

    from autoservice_desk.services import work_orders

    work_orders.install(vat_mode)  # a booking that becomes "arrived" opens its work order

    from autoservice_desk.services import message_triggers

    message_triggers.install()  # bookings, work orders and arrived parts queue their messages to the client

    from autoservice_desk.services import maintenance_from_work_orders

    maintenance_from_work_orders.install()  # an issued ТО restarts the car's maintenance clock
