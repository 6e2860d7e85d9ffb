"""The filters above the boards and the list: mechanic, bay, advisor and a search by number, plate or client."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.work_order_board import WorkOrderFilter
from autoservice_desk.services.work_order_queries import BoardChoices, Choice

SEARCH_DELAY_MS = 250


class FilterBar(QWidget):
    """`changed` fires (debounced for typing) whenever the filter the boards and list use changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mechanic = QComboBox()
        self.bay = QComboBox()
        self.advisor = QComboBox()
        for combo in (self.mechanic, self.bay, self.advisor):
            combo.setMinimumWidth(180)
            combo.addItem(_("All"), None)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Number, plate or client (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget in ((_("Mechanic"), self.mechanic), (_("Bay"), self.bay), (_("Advisor"), self.advisor)):
            layout.addWidget(QLabel(label))
            layout.addWidget(widget)
            layout.addSpacing(8)
        layout.addWidget(self.search, 1)
        layout.addStretch(0)
        self._connect_signals()

    def _connect_signals(self) -> None:
        for combo in (self.mechanic, self.bay, self.advisor):
            combo.currentIndexChanged.connect(self.changed)
        self.search.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.changed)

    def set_choices(self, choices: BoardChoices) -> None:
        """Fill the lists, keeping what was chosen when it is still there."""
        for combo, items in ((self.mechanic, choices.mechanics), (self.bay, choices.bays),
                             (self.advisor, choices.advisors)):  # fmt: skip
            self._fill(combo, items)

    @staticmethod
    def _fill(combo: QComboBox, items: tuple[Choice, ...]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All"), None)
        for item in items:
            combo.addItem(item.name, item.id)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        combo.blockSignals(False)

    def current(self) -> WorkOrderFilter:
        return WorkOrderFilter(
            mechanic_id=self.mechanic.currentData(), bay_id=self.bay.currentData(),
            advisor_id=self.advisor.currentData(), text=self.search.text().strip(),
        )  # fmt: skip
