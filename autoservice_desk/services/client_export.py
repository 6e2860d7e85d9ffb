"""Exporting the client list (all of it, or what a search finds) to CSV or XLSX, a page at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from autoservice_desk.i18n import _
from autoservice_desk.services.client_list import ListCursor, list_clients
from autoservice_desk.services.client_search import MAX_LIMIT, ClientHit, SearchCursor, search_clients
from autoservice_desk.services.errors import PermissionDeniedError
from autoservice_desk.services.identity import format_phone
from autoservice_desk.services.table_files import write_table
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
EXPORT_ROLES = ("advisor", "manager")


class ExportCancelled(Exception):
    """The person stopped the export; no file was left behind."""


def export_headers() -> list[str]:
    return [_("Number"), _("Client"), _("Phones"), _("Cars")]


def _hits(uow_factory: UnitOfWorkFactory, query: str, cancelled: Cancelled | None) -> Iterator[ClientHit]:
    if query.strip():
        after: SearchCursor | None = None
        while True:
            page = search_clients(uow_factory, query, limit=MAX_LIMIT, after=after)
            yield from page
            if len(page) < MAX_LIMIT or (cancelled is not None and cancelled()):
                return
            after = page[-1].cursor
    cursor: ListCursor | None = None
    while True:
        listing = list_clients(uow_factory, after=cursor, limit=MAX_LIMIT)
        yield from listing.rows
        if listing.next_cursor is None or (cancelled is not None and cancelled()):
            return
        cursor = listing.next_cursor


def export_clients(
    uow_factory: UnitOfWorkFactory,
    path: Path,
    query: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the clients *query* finds (every client when empty) to *path*; returns the number of rows.

    Memory stays flat: pages of 500 stream from the database into the file.
    """
    if not uow_factory.actor.has_role(*EXPORT_ROLES):
        raise PermissionDeniedError(_("Only advisors, managers and administrators can export the client list."))

    def rows() -> Iterator[Sequence[object]]:
        for count, hit in enumerate(_hits(uow_factory, query, cancelled), start=1):
            if cancelled is not None and cancelled():
                raise ExportCancelled
            if progress is not None and count % MAX_LIMIT == 0:
                progress(count, 0)
            yield (hit.client_id, hit.display_name, ", ".join(format_phone(phone) for phone in hit.phones),
                   ", ".join(hit.vehicles))  # fmt: skip

    return write_table(path, export_headers(), rows())
