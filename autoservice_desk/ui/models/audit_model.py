"""The audit log as a Qt table model: newest first, paged in as the view scrolls, new entries added on top."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from autoservice_desk.formatting import format_datetime
from autoservice_desk.i18n import N_, _
from autoservice_desk.services import audit
from autoservice_desk.services.audit import AuditEntry
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner, OperationHandle, OperationState
from autoservice_desk.ui.models.paged import ServicePagedModel, pages_before_id

# Pages are read on the runner's threads, not on the GUI thread: 200 rows from a local SQLite file take a
# millisecond, but on a shared PostgreSQL every page is a network round trip and a busy or distant server
# must never freeze the desk. The cost is a moment with a "loading" row count, which the view handles.
PAGE_SIZE = 200
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DETAILS_LIMIT = 160


class AuditColumn(IntEnum):
    TIME = 0
    USER = 1
    ENTITY = 2
    RECORD = 3
    ACTION = 4
    DETAILS = 5


HEADERS = {
    AuditColumn.TIME: N_("Time"),
    AuditColumn.USER: N_("User"),
    AuditColumn.ENTITY: N_("Object"),
    AuditColumn.RECORD: N_("Record"),
    AuditColumn.ACTION: N_("Action"),
    AuditColumn.DETAILS: N_("Details"),
}
ENTITY_NAMES = {
    "user": N_("User account"),
    "client": N_("Client"),
    "vehicle": N_("Vehicle"),
    "demo_data": N_("Demo data"),
    "client_consent": N_("Consent"),
    "client_import": N_("Client import"),
    "vehicle_make": N_("Make"),
    "vehicle_model": N_("Model"),
}
ACTION_NAMES = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "delete": N_("Deleted"),
    "login": N_("Logged in"),
    "password_changed": N_("Password changed"),
    "generate": N_("Generated"),
    "merge": N_("Merged"),
    "merged_into": N_("Merged into another card"),
    "anonymise": N_("Anonymised"),
    "personal_data_export": N_("Personal data exported"),
    "block": N_("Blocked"),
    "unblock": N_("Unblocked"),
    "grant": N_("Consent given"),
    "withdraw": N_("Consent withdrawn"),
    "mileage": N_("Mileage recorded"),
    "change_owner": N_("Owner changed"),
    "import": N_("Imported"),
    "rename": N_("Renamed"),
}


@dataclass(frozen=True)
class AuditRow:
    """One entry ready to show: formatted once on the worker thread, not on every repaint."""

    id: int
    cells: tuple[str, ...]
    tooltip: str


def _value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_value(item) for item in value)
    return "—" if value is None or value == "" else str(value)


def describe_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """`name: Old → New; phone: +7…` for a change, `key: value, …` for a creation or deletion."""
    if before and after:
        keys = [key for key in {**before, **after} if before.get(key) != after.get(key)]
        return "; ".join(f"{key}: {_value(before.get(key))} → {_value(after.get(key))}" for key in keys)
    values = after or before or {}
    return "; ".join(f"{key}: {_value(value)}" for key, value in values.items())


def format_entries(entries: Iterable[AuditEntry], time_zone: str) -> list[AuditRow]:
    rows = []
    for entry in entries:
        details = describe_change(entry.before, entry.after)
        short = details if len(details) <= DETAILS_LIMIT else details[: DETAILS_LIMIT - 1] + "…"
        cells = (
            format_datetime(entry.occurred_at, time_zone),
            entry.user_login,
            _(ENTITY_NAMES[entry.entity]) if entry.entity in ENTITY_NAMES else entry.entity,
            entry.entity_id,
            _(ACTION_NAMES[entry.action]) if entry.action in ACTION_NAMES else entry.action,
            short,
        )
        rows.append(AuditRow(entry.id, cells, details))
    return rows


class AuditModel(ServicePagedModel[AuditRow, int]):
    """Holds the rows read so far; `fetchMore` reads the next older page, `refresh` adds newer entries on top."""

    columns = AuditColumn
    headers = HEADERS
    cell_tooltips = False  # only the details carry a tooltip: the whole change

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, time_zone: str, page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        def read(before_id: int | None, limit: int) -> list[AuditRow]:
            return format_entries(audit.list_entries(uow_factory, before_id, limit), time_zone)

        super().__init__(uow_factory, runner, page_size, parent, pages_before_id(read, page_size))
        self._read = read
        self._refreshing: OperationHandle | None = None
        self._refresh_again = False

    @property
    def loading(self) -> bool:
        return self._paging is not None or self._refreshing is not None

    def cells(self, row: AuditRow) -> tuple[str, ...]:
        """PagedTableModel override: the texts formatted on the worker thread."""
        return row.cells

    def tooltip(self, row: AuditRow, column: int) -> str | None:
        """PagedTableModel override: the full change over the (shortened) details."""
        return (row.tooltip or None) if column == AuditColumn.DETAILS else None

    def extra_data(self, row: AuditRow, column: int, role: int) -> Any:
        """PagedTableModel override: the entry id for ENTRY_ID_ROLE."""
        return row.id if role == ENTRY_ID_ROLE else None

    # --- refreshing -----------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Forget everything and read the newest page again."""
        if self._refreshing is not None:
            self._refreshing.cancel()
            self._refreshing = None
        super().reload()

    def refresh(self) -> None:
        """Add entries written since the last read on top, keeping the rows (and the scroll position) below."""
        if not self._rows:
            if self._paging is None:
                self.reload()
            return
        if self._refreshing is not None:
            self._refresh_again = True
            return
        generation, read, size = self._generation, self._read, self._page_size

        def work(state: OperationState) -> list[AuditRow]:
            return read(None, size)

        self._refreshing = self._runner.run(
            work,
            lambda rows: self._on_newest_read(generation, rows),
            lambda error: self._on_read_failed(generation, error),
        )
        self.loading_changed.emit(True)

    def _on_newest_read(self, generation: int, rows: list[AuditRow]) -> None:
        if generation != self._generation:
            return
        top_id = self._rows[0].id if self._rows else 0
        newer = [row for row in rows if row.id > top_id]
        if len(newer) == len(rows) and len(rows) == self._page_size:
            self._refreshing = None
            self.reload()  # more new entries than one page: a gap would open between them and the old rows
            return
        self._insert_rows(0, newer)
        self._refreshing = None
        self.loading_changed.emit(self.loading)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _on_read_failed(self, generation: int, error: DomainError) -> None:
        if generation == self._generation:
            self._refreshing = None
        super()._on_read_failed(generation, error)
