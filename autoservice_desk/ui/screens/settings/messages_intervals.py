"""Settings → Messages: maintenance intervals per make, where a make's service schedule differs from the default."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.messaging_settings import IntervalInfo, list_intervals, remove_interval, set_interval
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.messages import show_error


class IntervalsBox(QGroupBox):
    """The makes with their own interval; every other make follows the page's default months and kilometres."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Maintenance intervals by make"), parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.intervals: list[IntervalInfo] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Make"), _("Months"), _("Kilometres")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.make = QLineEdit()
        self.make.setPlaceholderText(_("Make, e.g. Kia"))
        self.months, self.kilometres = QSpinBox(), QSpinBox()
        self.months.setRange(1, 60)
        self.months.setValue(12)
        self.kilometres.setRange(1000, 100_000)
        self.kilometres.setSingleStep(1000)
        self.kilometres.setValue(15_000)
        self.set_button = QPushButton(_("Set for this make"))
        self.remove_button = QPushButton(_("Remove"))
        row = QHBoxLayout()
        row.addWidget(self.make, 1)
        row.addWidget(QLabel(_("every (months):")))
        row.addWidget(self.months)
        row.addWidget(QLabel(_("or (km):")))
        row.addWidget(self.kilometres)
        row.addWidget(self.set_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.set_button.clicked.connect(self._on_set_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)

    def load(self) -> None:
        uow_factory = self.uow_factory
        self.context.runner.run(lambda _state: list_intervals(uow_factory), self.show_intervals, self._on_failed)

    def show_intervals(self, intervals: list[IntervalInfo]) -> None:
        self.intervals = intervals
        self.table.setRowCount(len(intervals))
        for row, interval in enumerate(intervals):
            for column, text in enumerate((interval.make, str(interval.months), f"{interval.kilometres:,}")):
                self.table.setItem(row, column, QTableWidgetItem(text.replace(",", "\u00a0")))

    def _on_table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            chosen = self.intervals[rows[0].row()]
            self.make.setText(chosen.make)
            self.months.setValue(chosen.months)
            self.kilometres.setValue(chosen.kilometres)

    def _on_set_clicked(self) -> None:
        uow_factory, make = self.uow_factory, self.make.text()
        months, kilometres = self.months.value(), self.kilometres.value()

        def work(_state: object) -> list[IntervalInfo]:
            set_interval(uow_factory, make, months, kilometres)
            return list_intervals(uow_factory)

        self.context.runner.run(work, self.show_intervals, self._on_failed)

    def _on_remove_clicked(self) -> None:
        uow_factory, make = self.uow_factory, self.make.text()

        def work(_state: object) -> list[IntervalInfo]:
            remove_interval(uow_factory, make)
            return list_intervals(uow_factory)

        self.context.runner.run(work, self.show_intervals, self._on_failed)

    def _on_failed(self, error: DomainError) -> None:
        show_error(self, error)
