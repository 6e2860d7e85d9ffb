"""The editor's History tab: work recommended on the car's earlier visits, and the parts quotes of this order."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.quotes import QuoteSummary
from autoservice_desk.services.work_order_types import RecommendationInfo
from autoservice_desk.ui.models.quote_models import QuoteListModel
from autoservice_desk.ui.models.work_order_lines_models import RecommendationsModel


def _table() -> QTableView:
    table = QTableView()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    return table


class HistoryTab(QWidget):
    """`adopt_requested(recommendation id)` puts earlier advice on this order; `quote_requested(quote)` opens one."""

    adopt_requested = Signal(int)
    quote_requested = Signal(object)  # QuoteSummary

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.earlier_model = RecommendationsModel(self)
        self.earlier_table = _table()
        self.earlier_table.setModel(self.earlier_model)
        self.earlier_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.adopt_button = QPushButton(_("Client agrees: add to this order"))
        self.quotes_model = QuoteListModel(zone, self)
        self.quotes_table = _table()
        self.quotes_table.setModel(self.quotes_model)
        self.quotes_table.horizontalHeader().setStretchLastSection(True)
        self.open_quote_button = QPushButton(_("Open quote"))
        earlier_row = QHBoxLayout()
        earlier_row.addWidget(QLabel(_("Recommended on earlier visits and not done yet")), 1)
        earlier_row.addWidget(self.adopt_button)
        quotes_row = QHBoxLayout()
        quotes_row.addWidget(QLabel(_("Parts quotes of this order")), 1)
        quotes_row.addWidget(self.open_quote_button)
        layout = QVBoxLayout(self)
        layout.addLayout(earlier_row)
        layout.addWidget(self.earlier_table, 1)
        layout.addLayout(quotes_row)
        layout.addWidget(self.quotes_table, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.adopt_button.clicked.connect(self._on_adopt_clicked)
        self.earlier_table.doubleClicked.connect(lambda _index: self._on_adopt_clicked())
        self.open_quote_button.clicked.connect(self._on_open_quote_clicked)
        self.quotes_table.doubleClicked.connect(self._on_quotes_double_clicked)

    def show_history(self, work_order_id: int, earlier: list[RecommendationInfo], quotes: list[QuoteSummary]) -> None:
        """*earlier*: the car's open recommendations; those made on this very order stay on its own tab."""
        self.earlier_model.set_rows([item for item in earlier if item.work_order_id != work_order_id])
        self.quotes_model.set_rows(quotes)

    def set_editable(self, editable: bool) -> None:
        self.adopt_button.setEnabled(editable)

    def _selected(self, table: QTableView) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _on_adopt_clicked(self) -> None:
        row = self._selected(self.earlier_table)
        if row is not None and self.adopt_button.isEnabled():
            self.adopt_requested.emit(self.earlier_model.row(row).id)

    def _on_open_quote_clicked(self) -> None:
        row = self._selected(self.quotes_table)
        if row is not None:
            self.quote_requested.emit(self.quotes_model.row(row))

    def _on_quotes_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.quote_requested.emit(self.quotes_model.row(index.row()))
