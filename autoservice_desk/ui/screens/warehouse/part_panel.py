"""The chosen part below the parts list: its stock place by place, its analogs in stock, its movement history."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.part_search import PartHit
from autoservice_desk.services.stock_queries import BalanceInfo, part_balances
from autoservice_desk.ui.busy_work import InlineMessage
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.list_table import set_up_list_table
from autoservice_desk.ui.models.part_moves_model import PartMovesModel
from autoservice_desk.ui.models.part_stock_models import AnalogsModel, BalanceColumn, BalancesModel
from autoservice_desk.ui.style import NOTE_STYLE

ANALOGS_TAB = 1


def detail_table(model: QAbstractItemModel) -> QTableView:
    """A compact read-only table, one row chosen at a time; columns as wide as their contents, never squeezed
    (the table scrolls instead), the last one taking the spare width."""
    table = QTableView()
    set_up_list_table(table, model, row_height=table.fontMetrics().height() + 6)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _titled(title: QLabel, table: QTableView) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(title)
    layout.addWidget(table, 1)
    return box


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class PartDetails(QWidget):
    """`show_part(hit)` fills the three lists; `reload()` reads the balances and moves again (after postings)."""

    analog_activated = Signal(int)  # the part id of an analog opened with Enter or a double click

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self._uow_factory = context.uow_factory
        self.part: PartHit | None = None
        self._generation = 0
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        self.balances = BalancesModel(self)
        self.analogs = AnalogsModel(self)
        zone = ZoneInfo(str(context.environment.settings.get(SHOP_TIMEZONE)))
        self.moves = PartMovesModel(context.uow_factory, context.runner, zone, parent=self)
        self.balances_table = detail_table(self.balances)
        self.analogs_table = detail_table(self.analogs)
        self.moves_table = detail_table(self.moves)
        self.balances_title = _bold(_("Stock by place"))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.error = InlineMessage()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self._build()
        self._connect_signals()
        self.show_part(None)

    def _build(self) -> None:
        self.tabs.addTab(self.moves_table, _("Movements"))
        self.tabs.addTab(self.analogs_table, _("Analogs in stock"))
        self.splitter.addWidget(_titled(self.balances_title, self.balances_table))
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.error)
        layout.addWidget(self.splitter, 1)

    def _connect_signals(self) -> None:
        self.analogs_table.activated.connect(self._on_analogs_table_activated)
        self.moves.loading_failed.connect(self._on_failed)

    def show_part(self, hit: PartHit | None) -> None:
        """Show *hit* (None: nothing chosen) and read its balances and moves in the background."""
        changed = hit is None or self.part is None or hit.part_id != self.part.part_id
        self.part = hit
        self.error.hide()
        if hit is None:
            self.title.setText(_("Choose a part to see where it is and how it moved."))
            self.title.setStyleSheet(NOTE_STYLE)
            self.balances.set_rows([])
            self.analogs.set_rows([])
            self.tabs.setTabText(ANALOGS_TAB, _("Analogs in stock"))
            self.moves.show_part(None)
            return
        self.title.setStyleSheet("")
        self.title.setText(" · ".join(filter(None, (hit.article, hit.brand, hit.name))))
        self.analogs.set_rows(hit.analogs)
        self.tabs.setTabText(ANALOGS_TAB, _("Analogs in stock ({count})").format(count=len(hit.analogs))
                             if hit.analogs else _("Analogs in stock"))  # fmt: skip
        self._read_balances(hit.part_id, clear=changed)
        self.moves.show_part(hit.part_id)

    def reload(self) -> None:
        if self.part is not None:
            self._read_balances(self.part.part_id, clear=False)
            self.moves.show_part(self.part.part_id)

    def _read_balances(self, part_id: int, clear: bool) -> None:
        self._generation += 1
        generation, uow_factory = self._generation, self._uow_factory
        if clear:
            self.balances.set_rows([])
        self.context.runner.run(lambda _state: part_balances(uow_factory, part_id),
                                lambda rows: self._on_balances_read(generation, rows), self._on_failed)  # fmt: skip

    def _on_balances_read(self, generation: int, rows: list[BalanceInfo]) -> None:
        if generation == self._generation:
            self.balances.set_rows(rows)
            # A shop with one warehouse need not read its name on every line.
            self.balances_table.setColumnHidden(BalanceColumn.WAREHOUSE, len({row.warehouse_id for row in rows}) < 2)

    def _on_analogs_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.analog_activated.emit(self.analogs.row(index.row()).part_id)

    def _on_failed(self, error: DomainError) -> None:
        self.error.show_error(str(error))
