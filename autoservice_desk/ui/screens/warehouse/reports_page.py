"""The Warehouse screen's reports tab: stock on a date, below minimum, dead stock, a part's movements; XLSX export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.formatting import format_date, format_datetime, format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.numbering import format_number as document_number
from autoservice_desk.services.part_search import search_parts
from autoservice_desk.services.stock_forms import DocumentKind, kind_label
from autoservice_desk.services.stock_reports import (
    below_minimum,
    dead_stock,
    movement_summary,
    part_movements,
    stock_on_date,
    stock_totals_on_date,
)
from autoservice_desk.services.table_files import write_table
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.busy_work import BusyWork, InlineMessage
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.list_table import SelectionMode, set_up_list_table
from autoservice_desk.ui.models.text_table_model import TextTableModel

REPORTS = (
    ("stock_on_date", N_("Stock on a date")), ("below_minimum", N_("Below minimum")),
    ("dead_stock", N_("Dead stock")), ("movements", N_("Movements of a part")),
)  # fmt: skip
DEFAULT_DEAD_DAYS = 90
MAX_ROWS = 50_000  # a report longer than this is cut (a shop's whole stock is far below it)
RowT = TypeVar("RowT")
CursorT = TypeVar("CursorT")


@dataclass(frozen=True)
class Report:
    """A report read: titles (N_()), display texts, the raw values for export, an optional totals line."""

    title: str
    headers: tuple[str, ...]
    texts: Sequence[Sequence[str]]
    values: Sequence[Sequence[object]]
    numeric: tuple[int, ...] = ()
    totals: tuple[str, ...] | None = None
    total_values: Sequence[object] | None = None


def all_pages(read: Callable[[CursorT | None], list[RowT]], cursor: Callable[[RowT], CursorT]) -> list[RowT]:
    """Every row of a keyset-paged reader (up to MAX_ROWS)."""
    rows: list[RowT] = []
    after: CursorT | None = None
    while len(rows) < MAX_ROWS:
        page = read(after)
        if not page:
            break
        rows.extend(page)
        after = cursor(page[-1])
    return rows[:MAX_ROWS]


def _end_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)


def read_stock_on_date(uow_factory: UnitOfWorkFactory, day: date, zone: tzinfo) -> Report:
    """Stock per part and place at the end of *day* in the shop's time zone, with the totals."""
    until = _end_of(day, zone)
    rows = all_pages(lambda after: stock_on_date(uow_factory, until, after=after),
                     lambda row: (row.part_id, row.location_id))  # fmt: skip
    totals = stock_totals_on_date(uow_factory, until)
    values = [(row.article, row.brand, row.name, row.location_code or row.location_name, row.quantity, row.value)
              for row in rows]  # fmt: skip
    texts = [(row.article, row.brand, row.name, row.location_code or row.location_name, format_number(row.quantity),
              format_number(row.value, 2)) for row in rows]  # fmt: skip
    positions = _("Total: {count} positions").format(count=totals.positions)
    return Report(
        _("Stock at the end of {date}").format(date=format_date(day)),
        (N_("Article"), N_("Brand"), N_("Name"), N_("Place"), N_("Quantity"), N_("Value")), texts, values, (4, 5),
        (positions, "", "", "", "", format_number(totals.value, 2)), (positions, "", "", "", None, totals.value),
    )  # fmt: skip


def read_below_minimum(uow_factory: UnitOfWorkFactory) -> Report:
    rows = all_pages(lambda after: below_minimum(uow_factory, after_part_id=after), lambda row: row.part_id)
    values = [(row.article, row.brand, row.name, row.min_stock, row.available, row.on_order, row.to_order)
              for row in rows]  # fmt: skip
    texts = [(row.article, row.brand, row.name, *(format_number(number) for number in (row.min_stock, row.available,
              row.on_order, row.to_order))) for row in rows]  # fmt: skip
    return Report(
        _("Parts below their minimum"),
        (N_("Article"), N_("Brand"), N_("Name"), N_("Minimum"), N_("Available"), N_("On order"), N_("To order")),
        texts, values, (3, 4, 5, 6),
    )  # fmt: skip


def read_dead_stock(uow_factory: UnitOfWorkFactory, days: int, zone: tzinfo) -> Report:
    rows = all_pages(lambda after: dead_stock(uow_factory, days, after_part_id=after), lambda row: row.part_id)
    texts, values = [], []
    for row in rows:
        issued = format_datetime(row.last_issue_at, zone) if row.last_issue_at else _("never")
        texts.append((row.article, row.brand, row.name, format_number(row.quantity), format_number(row.value, 2),
                      issued, format_datetime(row.first_move_at, zone)))  # fmt: skip
        values.append((row.article, row.brand, row.name, row.quantity, row.value, issued, texts[-1][-1]))
    return Report(
        _("Not issued for {days} days").format(days=days),
        (N_("Article"), N_("Brand"), N_("Name"), N_("Quantity"), N_("Value"), N_("Last issued"), N_("First came")),
        texts, values, (3, 4),
    )  # fmt: skip


def read_movements(uow_factory: UnitOfWorkFactory, article: str, start: date, end: date, zone: tzinfo) -> Report:
    """The moves of the part with *article* from the start of *start* to the end of *end*, with the summary."""
    if not article.strip():
        raise ValidationError(_("Enter the part's article."), "article")
    hits = search_parts(uow_factory, article, limit=5, with_analogs=False, include_inactive=True)
    hit = next((hit for hit in hits if hit.match in ("barcode", "article")), hits[0] if hits else None)
    if hit is None:
        raise ValidationError(_("No part with the article “{article}”.").format(article=article.strip()), "article")
    since, until = datetime.combine(start, time(), tzinfo=zone), _end_of(end, zone)
    rows = all_pages(lambda after: part_movements(uow_factory, hit.part_id, since, until, after=after),
                     lambda row: (row.moved_at, row.move_id))  # fmt: skip
    summary = movement_summary(uow_factory, hit.part_id, since, until)
    texts, values = [], []
    for row in rows:
        kind = kind_label(DocumentKind(row.document_kind))
        number = document_number(kind, row.document_year, row.document_number) if row.document_number else kind
        when = format_datetime(row.moved_at, zone)
        texts.append((when, number, row.location_name, format_number(row.quantity), format_number(row.unit_cost, 2)))
        values.append((when, number, row.location_name, row.quantity, row.unit_cost))
    totals = _("Opening {opening}, in {incoming}, out {outgoing}, closing {closing}").format(
        opening=format_number(summary.opening), incoming=format_number(summary.incoming),
        outgoing=format_number(summary.outgoing), closing=format_number(summary.closing))  # fmt: skip
    return Report(
        _("Movements of {article} {brand} from {start} to {end}").format(
            article=hit.article, brand=hit.brand, start=format_date(start), end=format_date(end)),
        (N_("When"), N_("Document"), N_("Place"), N_("Quantity"), N_("Unit cost")), texts, values, (3, 4),
        (totals, "", "", format_number(summary.closing), ""), (totals, "", "", summary.closing, None),
    )  # fmt: skip


def export_report(report: Report, path: str) -> int:
    """Write the report (and its totals line) to an XLSX or CSV file; returns the rows written."""
    rows = [*report.values, *([report.total_values] if report.total_values is not None else [])]
    return write_table(Path(path), [_(title) for title in report.headers], rows)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    return edit


def _day(edit: QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return holder


class ReportsPage(QWidget):
    """Choose a report and its parameters, Show reads it in the background; Export writes what is shown."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None, "the reports are only offered while connected"
        self.context = context
        self.uow_factory = context.uow_factory
        self.zone = ZoneInfo(str(context.environment.settings.get(SHOP_TIMEZONE)))
        today = datetime.now(self.zone).date()
        self.chooser = QComboBox()
        for key, title in REPORTS:
            self.chooser.addItem(_(title), key)
        self.on_date = _date_edit(today)
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setValue(DEFAULT_DEAD_DAYS)
        self.days.setSuffix(_(" days"))
        self.article = QLineEdit()
        self.article.setPlaceholderText(_("Article or barcode"))
        self.start = _date_edit(today.replace(day=1))
        self.end = _date_edit(today)
        self.parameters = QStackedWidget()
        for widget in (_row(QLabel(_("At the end of:")), self.on_date), _row(),
                       _row(QLabel(_("Not issued for:")), self.days),
                       _row(QLabel(_("Part:")), self.article, QLabel(_("from")), self.start, QLabel(_("to")),
                            self.end)):  # fmt: skip
            self.parameters.addWidget(widget)
        self.show_button = QPushButton(_("Show"))
        self.export_button = QPushButton(_("Export to XLSX…"))
        self.model = TextTableModel(self)
        self.table = QTableView()
        self.title = QLabel()
        self.status = QLabel()
        self.error = InlineMessage()
        self.report: Report | None = None
        self.dialog: QWidget | None = None
        self.busy_work = BusyWork(context.runner, self.error, lambda _busy: self._update_buttons(), self.status.clear)
        self._set_up_table()
        self._build()
        self._connect_signals()
        self._update_buttons()

    def _set_up_table(self) -> None:
        # Extended is the view's own default, which this list has always kept.
        set_up_list_table(self.table, self.model, SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setStretchLastSection(True)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.chooser)
        top.addWidget(self.parameters, 1)
        top.addWidget(self.show_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.chooser.currentIndexChanged.connect(self._on_chooser_changed)
        self.show_button.clicked.connect(self.show_report)
        self.article.returnPressed.connect(self.show_report)
        self.export_button.clicked.connect(self._on_export_button_clicked)

    def _on_chooser_changed(self, index: int) -> None:
        self.parameters.setCurrentIndex(index)

    def choose(self, key: str) -> None:
        """Pick the report *key* ("stock_on_date", "below_minimum", "dead_stock", "movements")."""
        self.chooser.setCurrentIndex(self.chooser.findData(key))

    def _update_buttons(self) -> None:
        self.show_button.setEnabled(not self.busy_work.busy)
        self.export_button.setEnabled(not self.busy_work.busy and self.report is not None)

    # --- reading --------------------------------------------------------------------------------------------

    def show_report(self) -> None:
        """Read the chosen report in the background and show it."""
        uow_factory, zone, key = self.uow_factory, self.zone, str(self.chooser.currentData())
        on_date, start, end = (_day(edit) for edit in (self.on_date, self.start, self.end))
        days, article = self.days.value(), self.article.text()
        reads: dict[str, Callable[[], Report]] = {
            "stock_on_date": lambda: read_stock_on_date(uow_factory, on_date, zone),
            "below_minimum": lambda: read_below_minimum(uow_factory),
            "dead_stock": lambda: read_dead_stock(uow_factory, days, zone),
            "movements": lambda: read_movements(uow_factory, article, start, end, zone),
        }
        read = reads[key]
        self.status.setText(_("Reading…"))
        self.busy_work.run(lambda _state: read(), self._on_report_read)

    def _on_report_read(self, report: Report) -> None:
        self.report = report
        self.title.setText(report.title)
        self.model.set_rows(report.headers, report.texts, totals=report.totals, numeric=report.numeric)
        self.table.resizeColumnsToContents()
        self.status.setText(_("{count} rows.").format(count=len(report.texts)))
        self._update_buttons()

    # --- export ---------------------------------------------------------------------------------------------

    def _on_export_button_clicked(self) -> None:
        if self.report is None:
            return
        dialog = QFileDialog(self, _("Export the report"), str(Path.home() / f"{self.chooser.currentData()}.xlsx"),
                             _("Excel workbooks (*.xlsx)"))  # fmt: skip
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("xlsx")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_to)
        self.dialog = dialog
        dialog.open()

    def export_to(self, path: str) -> None:
        """Write the report shown to *path* in the background."""
        report = self.report
        if report is None:
            return
        self.busy_work.run(lambda _state: export_report(report, path), lambda count: self.status.setText(
            _("{count} rows exported to {path}.").format(count=count, path=path)))  # fmt: skip
