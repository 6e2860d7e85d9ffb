"""The Messages screen's tables as Qt models: the outbox (paged), totals per day, the advisors' open tasks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from autoservice_desk.formatting import format_date, format_money, format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.advisor_tasks import TaskInfo
from autoservice_desk.services.message_queries import OutboxFilter, OutboxRow, list_outbox
from autoservice_desk.services.messaging_settings import TRIGGERS
from autoservice_desk.services.outbox import CHANNEL_LABELS, DayTotals
from autoservice_desk.ui.models.paged import ZonedPagedModel, pages_before_id
from autoservice_desk.ui.models.rows import RIGHT, RowsModel

MESSAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_COLOURS = {"failed": QColor("#b00020"), "cancelled": QColor("#757575"), "delivered": QColor("#1b7f3a")}
MANUAL = N_("Sent by hand")


class OutboxColumn(IntEnum):
    TIME = 0
    STATUS = 1  # second: what the person comes to this screen to see
    CLIENT = 2
    RECIPIENT = 3
    CHANNEL = 4
    EVENT = 5
    TEXT = 6
    ATTEMPTS = 7
    ERROR = 8
    COST = 9


OUTBOX_HEADERS = {
    OutboxColumn.TIME: N_("Time"), OutboxColumn.STATUS: N_("Status"), OutboxColumn.CLIENT: N_("Client"),
    OutboxColumn.RECIPIENT: N_("Recipient"), OutboxColumn.CHANNEL: N_("Channel"), OutboxColumn.EVENT: N_("Event"),
    OutboxColumn.TEXT: N_("Text"), OutboxColumn.ATTEMPTS: N_("Attempts"), OutboxColumn.ERROR: N_("Last error"),
    OutboxColumn.COST: N_("Cost"),
}  # fmt: skip


def event_label(template_code: str | None) -> str:
    if not template_code:
        return _(MANUAL)
    return _(TRIGGERS[template_code]) if template_code in TRIGGERS else template_code


def outbox_cells(row: OutboxRow, zone: ZoneInfo) -> tuple[str, ...]:
    message = row.message
    when = f"{message.created_at.astimezone(zone):%d.%m.%Y %H:%M}"  # then when it waits for, if it does
    if message.status == "queued" and message.not_before is not None:
        when += " → " + f"{message.not_before.astimezone(zone):%d.%m %H:%M}"
    return (
        when, message.status_label, row.client_name, message.recipient,
        _(CHANNEL_LABELS.get(message.channel, message.channel)), event_label(message.template_code),
        " ".join(message.text.split()), str(message.attempts), message.last_error or "",
        format_money(message.cost) if message.cost is not None else "",
    )  # fmt: skip


class OutboxModel(ZonedPagedModel[OutboxRow, int]):
    """`set_filter(OutboxFilter)` shows the matching messages, newest first, a page at a time."""

    columns = OutboxColumn
    headers = OUTBOX_HEADERS
    chosen = OutboxFilter()  # until the first `set_filter`

    def set_filter(self, chosen: OutboxFilter) -> None:
        """Read from the first page with *chosen*."""
        self.chosen = chosen
        uow_factory, zone = self._uow_factory, self._zone

        def read(before_id: int | None, limit: int) -> list[OutboxRow]:
            return list_outbox(uow_factory, chosen, zone, before_id=before_id, limit=limit)

        self.set_reader(pages_before_id(read, self._page_size, lambda row: row.message.id))

    def cells(self, row: OutboxRow) -> tuple[str, ...]:
        """PagedTableModel override: the row's texts, formatted once when the page arrives."""
        return outbox_cells(row, self._zone)

    def tooltip(self, row: OutboxRow, column: int) -> str | None:
        """PagedTableModel override: the whole text and error wrap in the tooltip."""
        if column == OutboxColumn.TEXT:
            return row.message.text
        return None

    def extra_data(self, row: OutboxRow, column: int, role: int) -> Any:
        """PagedTableModel override: the id and status, numbers right-aligned, failed messages in red."""
        if role == MESSAGE_ID_ROLE:
            return row.message.id
        if role == STATUS_ROLE:
            return row.message.status
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (OutboxColumn.ATTEMPTS, OutboxColumn.COST):
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column in (OutboxColumn.STATUS, OutboxColumn.ERROR):
            return STATUS_COLOURS.get(row.message.status)
        return None

    def message_id(self, row: int) -> int:
        return self.row(row).message.id


class TotalsColumn(IntEnum):
    DAY = 0
    QUEUED = 1
    SENT = 2
    DELIVERED = 3
    FAILED = 4
    CANCELLED = 5
    SEGMENTS = 6
    COST = 7


TOTALS_HEADERS = {
    TotalsColumn.DAY: N_("Day"), TotalsColumn.QUEUED: N_("Waiting"), TotalsColumn.SENT: N_("Sent"),
    TotalsColumn.DELIVERED: N_("Delivered"), TotalsColumn.FAILED: N_("Failed"),
    TotalsColumn.CANCELLED: N_("Cancelled"), TotalsColumn.SEGMENTS: N_("SMS parts"), TotalsColumn.COST: N_("Cost"),
}  # fmt: skip


@dataclass(frozen=True)
class DayLine:
    """One line of the totals table: a day's, or (`total`) the whole period's."""

    cells: tuple[str, ...]
    total: bool = False


class DayTotalsModel(RowsModel[DayLine]):
    """One row per day with messages, newest first, and a bold line with the sums of the period."""

    columns = TotalsColumn
    headers = TOTALS_HEADERS
    numeric = frozenset(column for column in TotalsColumn if column != TotalsColumn.DAY)
    id_role = None

    def set_days(self, days: Sequence[DayTotals]) -> None:
        lines = [DayLine(self._row_cells(format_date(day.day), [day])) for day in sorted(days, key=lambda d: d.day,
                                                                                        reverse=True)]  # fmt: skip
        if days:
            lines.append(DayLine(self._row_cells(_("Total"), days), total=True))
        self.set_rows(lines)

    @staticmethod
    def _row_cells(title: str, days: Sequence[DayTotals]) -> tuple[str, ...]:
        def count(*statuses: str) -> str:
            return str(sum(day.by_status.get(status, 0) for day in days for status in statuses))

        cost = sum((day.cost for day in days), Decimal("0.00"))
        return (
            title, count("queued", "sending"), count("sent"), count("delivered"), count("failed"),
            count("cancelled"), format_number(sum(day.segments for day in days)), format_money(cost),
        )  # fmt: skip

    def texts(self, row: int) -> tuple[str, ...]:
        return self.row(row).cells

    def cells(self, row: DayLine) -> tuple[str, ...]:
        """RowsModel override: the texts made in `set_days`."""
        return row.cells

    def extra_data(self, row: DayLine, column: int, role: int) -> Any:
        """RowsModel override: the totals line bold."""
        if role == Qt.ItemDataRole.FontRole and row.total:
            font = QFont()
            font.setBold(True)
            return font
        return None


class TaskColumn(IntEnum):
    DUE = 0
    TITLE = 1
    DETAILS = 2


TASK_HEADERS = {TaskColumn.DUE: N_("Due"), TaskColumn.TITLE: N_("Task"), TaskColumn.DETAILS: N_("Details")}
TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 3


class AdvisorTasksModel(RowsModel[TaskInfo]):
    """The advisors' open tasks ("call about maintenance"), the most urgent first."""

    columns = TaskColumn
    headers = TASK_HEADERS
    id_role = TASK_ID_ROLE

    def set_tasks(self, tasks: Sequence[TaskInfo]) -> None:
        self.set_rows(tasks)

    def task(self, row: int) -> TaskInfo:
        return self.row(row)

    def cells(self, row: TaskInfo) -> tuple[str, ...]:
        """RowsModel override: due date, title and body."""
        return format_date(row.due_on), row.title, " ".join((row.body or "").split())

    def extra_data(self, row: TaskInfo, column: int, role: int) -> Any:
        """RowsModel override: the client id for CLIENT_ID_ROLE."""
        return row.client_id if role == CLIENT_ID_ROLE else None
