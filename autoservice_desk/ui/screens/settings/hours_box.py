"""Weekly working hours of the shop, a bay or a mechanic: one line per weekday, typed as `9:00–20:00`."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QWidget

from autoservice_desk.formatting import weekday_names
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError, FieldErrors
from autoservice_desk.services.resource_lists import BayInfo, MechanicInfo
from autoservice_desk.services.resources import (
    WeekHours,
    format_day_hours,
    parse_week_hours,
    set_week_hours,
    week_hours,
)
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.clients.row_lists import INVALID_STYLE
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE

Owner = tuple[str, int | None]


class HoursBox(QGroupBox):
    """Choose whose hours to see; bays and mechanics either work the shop's hours or have their own."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Working hours"), parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.owner = QComboBox()
        self.owner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.owner.setMinimumWidth(260)
        self.own = QCheckBox(_("Own hours (otherwise the shop's hours)"))
        self.days: list[QLineEdit] = []
        self.errors: list[QLabel] = []
        self.save_button = QPushButton(_("Save hours"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        hint = QLabel(_("Type the hours like 9:00–20:00, or 9–13, 14–20 with a break; leave empty for a day off."))
        hint.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(QLabel(_("Hours of:")), 0, 0)
        grid.addWidget(self.owner, 0, 1)
        grid.addWidget(self.own, 0, 2)
        grid.addWidget(hint, 1, 0, 1, 3)
        for weekday, name in enumerate(weekday_names()):
            edit, error = QLineEdit(), QLabel()
            edit.setMinimumWidth(260)  # room for a day with a break: 9:00–13:00, 14:00–20:00
            edit.setPlaceholderText(_("day off"))
            error.setStyleSheet(ERROR_STYLE)
            error.hide()
            grid.addWidget(QLabel(name), 2 + weekday, 0)
            grid.addWidget(edit, 2 + weekday, 1)
            grid.addWidget(error, 2 + weekday, 2)
            self.days.append(edit)
            self.errors.append(error)
        grid.addWidget(self.save_button, 9, 0)
        grid.addWidget(self.status, 9, 1, 1, 2)
        grid.setColumnStretch(2, 1)
        self._connect_signals()
        self.set_owners([], [])

    def _connect_signals(self) -> None:
        self.owner.currentIndexChanged.connect(self.reload)
        self.own.toggled.connect(self._on_own_toggled)
        self.save_button.clicked.connect(self.save)

    def set_owners(self, bays: Sequence[BayInfo], mechanics: Sequence[MechanicInfo]) -> None:
        """Offer the shop and every bay and mechanic, keeping the one chosen."""
        current = self.current_owner()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(_("The shop"), ("shop", None))
        for bay in bays:
            self.owner.addItem(_("Bay: {name}").format(name=bay.name), ("bay", bay.id))
        for mechanic in mechanics:
            self.owner.addItem(_("Mechanic: {name}").format(name=mechanic.full_name), ("mechanic", mechanic.id))
        index = next((row for row in range(self.owner.count()) if self.owner.itemData(row) == current), 0)
        self.owner.setCurrentIndex(index)
        self.owner.blockSignals(False)
        self.reload()

    def current_owner(self) -> Owner:
        data = self.owner.currentData()
        return (str(data[0]), data[1]) if data else ("shop", None)

    def choose(self, kind: str, owner_id: int | None) -> None:
        index = next((row for row in range(self.owner.count()) if self.owner.itemData(row) == (kind, owner_id)), 0)
        self.owner.setCurrentIndex(index)

    def reload(self) -> None:
        kind, owner_id = self.current_owner()
        uow_factory = self.uow_factory

        def work(state: OperationState) -> WeekHours:
            return week_hours(uow_factory, kind, owner_id)

        self.context.runner.run(work, self._show, self._on_failed)

    def _show(self, hours: WeekHours) -> None:
        if (hours.owner_kind, hours.owner_id) != self.current_owner():
            return  # another owner was chosen meanwhile; its own answer follows
        self.own.blockSignals(True)
        self.own.setChecked(hours.own)
        self.own.setEnabled(hours.owner_kind != "shop")
        self.own.blockSignals(False)
        for weekday, edit in enumerate(self.days):
            edit.setText(format_day_hours(span for span in hours.spans if span.weekday == weekday))
        self._on_own_toggled(hours.own)
        self.show_problems({})

    def _on_own_toggled(self, own: bool) -> None:
        for edit in self.days:
            edit.setEnabled(own or self.current_owner()[0] == "shop")

    def show_problems(self, problems: dict[str, str]) -> None:
        for weekday, (edit, error) in enumerate(zip(self.days, self.errors, strict=True)):
            message = problems.get(f"hours.{weekday}")
            error.setText(message or "")
            error.setVisible(message is not None)
            edit.setStyleSheet(INVALID_STYLE if message else "")

    def save(self) -> None:
        kind, owner_id = self.current_owner()
        texts, own = [edit.text() for edit in self.days], self.own.isChecked() or kind == "shop"
        uow_factory = self.uow_factory

        def work(state: OperationState) -> None:
            set_week_hours(uow_factory, kind, owner_id, parse_week_hours(texts) if own else None)

        self.show_problems({})
        self.context.runner.run(work, self._on_saved, self._on_failed)

    def _on_saved(self, _result: None) -> None:
        self.status.setStyleSheet(SUCCESS_STYLE)
        self.status.setText(_("Saved."))
        self.reload()

    def _on_failed(self, error: DomainError) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        if isinstance(error, FieldErrors):
            self.show_problems(error.problems)
            self.status.setText(_("Nothing was saved: check the days marked in red."))
        else:
            self.status.setText(str(error))
