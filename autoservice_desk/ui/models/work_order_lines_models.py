"""The work-order editor's tables as Qt models: labour lines, parts lines, recommendations, printed documents."""

from __future__ import annotations

from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.printed_documents import PrintedDocumentInfo
from autoservice_desk.services.work_order_types import (
    LINE_KINDS,
    PART_SOURCES,
    RECOMMENDATION_STATUSES,
    URGENCIES,
    LabourLineInfo,
    PartLineInfo,
    RecommendationInfo,
)
from autoservice_desk.ui.models.rows import ROW_ID_ROLE, RowsModel

__all__ = ["ROW_ID_ROLE", "RowsModel"]  # the editor and the quoting lists import them from here too

WARNING_COLOR = QColor("#8a6d00")
RUNNING_COLOR = QColor("#1b7f3a")


def hours_text(value: Any) -> str:
    return format_number(value, 2)


class LabourColumn(IntEnum):
    NAME = 0
    KIND = 1
    HOURS = 2
    NORM = 3
    RATE = 4
    DISCOUNT = 5
    AMOUNT = 6
    MECHANIC = 7
    CLOCKED = 8


class LabourLinesModel(RowsModel[LabourLineInfo]):
    columns = LabourColumn
    headers = {
        LabourColumn.NAME: N_("Job"), LabourColumn.KIND: N_("Kind"), LabourColumn.HOURS: N_("Hours"),
        LabourColumn.NORM: N_("Norm"), LabourColumn.RATE: N_("Rate"), LabourColumn.DISCOUNT: N_("Discount, %"),
        LabourColumn.AMOUNT: N_("Amount"), LabourColumn.MECHANIC: N_("Mechanic"),
        LabourColumn.CLOCKED: N_("Clocked, h"),
    }  # fmt: skip
    numeric = frozenset({LabourColumn.HOURS, LabourColumn.NORM, LabourColumn.RATE, LabourColumn.DISCOUNT,
                         LabourColumn.AMOUNT, LabourColumn.CLOCKED})  # fmt: skip

    def cells(self, row: LabourLineInfo) -> tuple[str, ...]:
        """RowsModel override."""
        name = f"{row.name} ({row.hours_reason})" if row.hours_reason else row.name
        clocked = hours_text(row.clocked_hours) + (" ▶" if row.clock_running else "")
        return (
            name, _(LINE_KINDS.get(row.kind, row.kind)), hours_text(row.hours), hours_text(row.norm_hours),
            format_number(row.hourly_rate, 2), format_number(row.discount_percent, 2), format_number(row.net, 2),
            row.mechanic_name, clocked,
        )  # fmt: skip

    def colour(self, row: LabourLineInfo) -> QColor | None:
        """RowsModel override: a job with its clock running is green."""
        return RUNNING_COLOR if row.clock_running else None


class PartColumn(IntEnum):
    ARTICLE = 0
    NAME = 1
    SOURCE = 2
    PLACE = 3
    QUANTITY = 4
    PRICE = 5
    DISCOUNT = 6
    AMOUNT = 7
    STATE = 8


class PartLinesModel(RowsModel[PartLineInfo]):
    columns = PartColumn
    headers = {
        PartColumn.ARTICLE: N_("Article"), PartColumn.NAME: N_("Name"), PartColumn.SOURCE: N_("Source"),
        PartColumn.PLACE: N_("Place"), PartColumn.QUANTITY: N_("Quantity"), PartColumn.PRICE: N_("Price"),
        PartColumn.DISCOUNT: N_("Discount, %"), PartColumn.AMOUNT: N_("Amount"), PartColumn.STATE: N_("State"),
    }  # fmt: skip
    numeric = frozenset({PartColumn.QUANTITY, PartColumn.PRICE, PartColumn.DISCOUNT, PartColumn.AMOUNT})

    def cells(self, row: PartLineInfo) -> tuple[str, ...]:
        """RowsModel override."""
        state = row.state_label + (f" · {row.issue_document}" if row.issue_document else "")
        return (
            row.article, row.name, _(PART_SOURCES.get(row.source, row.source)), row.location_name,
            format_number(row.quantity.normalize()), format_number(row.price, 2),
            format_number(row.discount_percent, 2), format_number(row.net, 2), state,
        )  # fmt: skip

    def colour(self, row: PartLineInfo) -> QColor | None:
        """RowsModel override: a part still waiting to be issued stands out."""
        return WARNING_COLOR if row.state in ("reserved", "needed", "ordered", "arrived") else None


class RecommendationColumn(IntEnum):
    TEXT = 0
    URGENCY = 1
    HOURS = 2
    PRICE = 3
    STATUS = 4


class RecommendationsModel(RowsModel[RecommendationInfo]):
    columns = RecommendationColumn
    headers = {
        RecommendationColumn.TEXT: N_("Recommended work"), RecommendationColumn.URGENCY: N_("Urgency"),
        RecommendationColumn.HOURS: N_("Hours"), RecommendationColumn.PRICE: N_("Price"),
        RecommendationColumn.STATUS: N_("Answer"),
    }  # fmt: skip
    numeric = frozenset({RecommendationColumn.HOURS, RecommendationColumn.PRICE})

    def cells(self, row: RecommendationInfo) -> tuple[str, ...]:
        """RowsModel override."""
        return (
            row.text, _(URGENCIES.get(row.urgency, row.urgency)), hours_text(row.hours) if row.hours else "",
            format_number(row.price, 2) if row.price is not None else "",
            _(RECOMMENDATION_STATUSES.get(row.status, row.status)),
        )  # fmt: skip


class DocumentColumn(IntEnum):
    TITLE = 0
    PRINTED = 1
    BY = 2


class PrintedDocumentsModel(RowsModel[PrintedDocumentInfo]):
    columns = DocumentColumn
    headers = {DocumentColumn.TITLE: N_("Document"), DocumentColumn.PRINTED: N_("Printed"), DocumentColumn.BY: N_("By")}

    def __init__(self, zone: ZoneInfo, parent: QObject | None = None) -> None:
        self._zone = zone
        super().__init__(parent)

    def cells(self, row: PrintedDocumentInfo) -> tuple[str, ...]:
        """RowsModel override."""
        return row.title, f"{row.created_at.astimezone(self._zone):%d.%m.%Y %H:%M}", row.actor_login
