"""The stock documents list as a Qt table model: newest first, filtered by kind, status and text, paged in."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from autoservice_desk.formatting import format_date, format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.stock_forms import DocumentKind, DocumentStatus, DocumentSummary, kind_label
from autoservice_desk.services.stock_queries import list_documents
from autoservice_desk.ui.models.paged import ServicePagedModel, pages_before_id

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DRAFT_COLOR = QColor("#8a6d00")


class DocumentColumn(IntEnum):
    NUMBER = 0
    DATE = 1
    KIND = 2
    COUNTERPARTY = 3
    LINES = 4
    TOTAL = 5
    STATUS = 6


HEADERS = {
    DocumentColumn.NUMBER: N_("Number"),
    DocumentColumn.DATE: N_("Date"),
    DocumentColumn.KIND: N_("Document"),
    DocumentColumn.COUNTERPARTY: N_("Supplier or client"),
    DocumentColumn.LINES: N_("Lines"),
    DocumentColumn.TOTAL: N_("Total"),
    DocumentColumn.STATUS: N_("Status"),
}
NUMERIC = (DocumentColumn.LINES, DocumentColumn.TOTAL)


def status_text(summary: DocumentSummary) -> str:
    if summary.status == DocumentStatus.DRAFT:
        return _("Draft")
    return _("Posted (reversal)") if summary.reverses_id is not None else _("Posted")


def summary_cells(summary: DocumentSummary) -> tuple[str, ...]:
    detail = summary.counterparty or summary.reason
    return (
        summary.display_number or _("(draft)"), format_date(summary.document_date), kind_label(summary.kind), detail,
        str(summary.line_count), format_number(summary.total, 2) if summary.total else "", status_text(summary),
    )  # fmt: skip


class DocumentListModel(ServicePagedModel[DocumentSummary, int]):
    """`set_filter` shows the documents of a kind, status and text; the cursor is the last id read."""

    columns = DocumentColumn
    headers = HEADERS
    # Until the first `set_filter`: every kind and status, no text.
    kind: DocumentKind | None = None
    status: DocumentStatus | None = None
    text = ""

    def set_filter(self, kind: DocumentKind | None, status: DocumentStatus | None, text: str) -> None:
        """Read from the first page with these filters."""
        self.kind, self.status, self.text = kind, status, text.strip()
        uow_factory = self._uow_factory

        def read(before: int | None, limit: int) -> list[DocumentSummary]:
            return list_documents(uow_factory, kind, status, text, before, limit)

        self.set_reader(pages_before_id(read, self._page_size))

    def cells(self, row: DocumentSummary) -> tuple[str, ...]:
        """PagedTableModel override: the row's texts, formatted once when the page arrives."""
        return summary_cells(row)

    def extra_data(self, row: DocumentSummary, column: int, role: int) -> Any:
        """PagedTableModel override: the id, numbers aligned right, drafts in a warmer colour."""
        if role == DOCUMENT_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
        if role == Qt.ItemDataRole.ForegroundRole and column == DocumentColumn.STATUS and row.status == "draft":
            return DRAFT_COLOR
        return None

    def document_id(self, row: int) -> int:
        return self.row(row).id

    def row_of(self, document_id: int) -> int | None:
        return next((number for number, row in enumerate(self._rows) if row.id == document_id), None)
