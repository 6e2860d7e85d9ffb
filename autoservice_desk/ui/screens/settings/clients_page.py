"""Settings → Clients: the segment thresholds and the make and model list the car form completes from."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from autoservice_desk.config import SEGMENT_LOST_DAYS, SEGMENT_LOYAL_VISITS, SEGMENT_NEW_DAYS
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.preferences import update_settings
from autoservice_desk.services.vehicle_reference import (
    MakeEntry,
    add_make,
    add_model,
    list_makes,
    remove_entry,
    rename_entry,
)
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.page import SettingsPage
from autoservice_desk.ui.style import ERROR_STYLE

OPTIONS = (SEGMENT_NEW_DAYS, SEGMENT_LOST_DAYS, SEGMENT_LOYAL_VISITS)
ID_ROLE = Qt.ItemDataRole.UserRole


class ClientsPage(SettingsPage):
    """Save stores the thresholds; the make list is changed at once by its own buttons."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, _("Clients"),
            _("A client is new after the first visit, active while visiting, loyal from a number of visits, lost "
              "after a long absence and returned when coming back after it; blocked is set by hand."),
            parent,
        )  # fmt: skip
        assert context.uow_factory is not None
        self.uow_factory = context.uow_factory
        self._makes: list[MakeEntry] = []
        self.spins: dict[str, QSpinBox] = {}
        segments = QGroupBox(_("Segments"))
        form = QFormLayout(segments)
        for option in OPTIONS:
            spin = QSpinBox()
            spin.setRange(1, 10_000)
            spin.setValue(context.environment.settings.get(option))
            self.spins[option.key] = spin
            form.addRow(_(option.description) + ":", spin)
        self.body.addWidget(segments)
        self.makes = QListWidget()
        self.models = QListWidget()
        self.make_name = QLineEdit()
        self.make_name.setPlaceholderText(_("Make"))
        self.model_name = QLineEdit()
        self.model_name.setPlaceholderText(_("Model"))
        self.make_buttons = [QPushButton(text) for text in (_("Add"), _("Rename"), _("Remove"))]
        self.model_buttons = [QPushButton(text) for text in (_("Add"), _("Rename"), _("Remove"))]
        self.reference_status = QLabel()
        self.reference_status.setWordWrap(True)
        reference = QGroupBox(_("Makes and models"))
        grid = QGridLayout(reference)
        for column, (items, name, buttons) in enumerate(
            ((self.makes, self.make_name, self.make_buttons), (self.models, self.model_name, self.model_buttons))
        ):
            items.setMinimumHeight(220)
            grid.addWidget(items, 0, column * 3, 1, 3)
            grid.addWidget(name, 1, column * 3, 1, 3)
            for offset, button in enumerate(buttons):
                grid.addWidget(button, 2, column * 3 + offset)
        grid.addWidget(self.reference_status, 3, 0, 1, 6)
        self.body.addWidget(reference)
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.makes.currentItemChanged.connect(self._on_makes_current_changed)
        self.models.currentItemChanged.connect(
            lambda item, _old: self.model_name.setText(item.text() if item is not None else "")
        )
        add, rename, remove = self.make_buttons
        add.clicked.connect(self._on_add_make_clicked)
        rename.clicked.connect(lambda: self._rename("make", self.makes, self.make_name))
        remove.clicked.connect(lambda: self._remove("make", self.makes))
        add, rename, remove = self.model_buttons
        add.clicked.connect(self._on_add_model_clicked)
        rename.clicked.connect(lambda: self._rename("model", self.models, self.model_name))
        remove.clicked.connect(lambda: self._remove("model", self.models))

    def _on_save_button_clicked(self) -> None:
        try:
            update_settings(self.context.environment, {key: spin.value() for key, spin in self.spins.items()})
        except DomainError as error:
            self.show_status(_("Nothing was saved: {reason}").format(reason=error), error=True)
            return
        self.show_status(_("Saved."))

    # --- the make list --------------------------------------------------------------------------------------

    def reload(self, select_make: str | None = None) -> None:
        current = select_make or (self.makes.currentItem().text() if self.makes.currentItem() else None)

        def work(state: OperationState) -> list[MakeEntry]:
            return list_makes(self.uow_factory)

        self.context.runner.run(work, lambda makes: self._show_makes(makes, current), self._on_failed)

    def _show_makes(self, makes: list[MakeEntry], current: str | None) -> None:
        self._makes = makes
        self.makes.clear()
        for entry in makes:
            item = QListWidgetItem(entry.name)
            item.setData(ID_ROLE, entry.id)
            self.makes.addItem(item)
            if entry.name == current:
                self.makes.setCurrentItem(item)
        if self.makes.currentItem() is None and self.makes.count():
            self.makes.setCurrentRow(0)

    def _on_makes_current_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.models.clear()
        self.make_name.setText(item.text() if item is not None else "")
        entry = next((entry for entry in self._makes if item is not None and entry.id == item.data(ID_ROLE)), None)
        for model_id, name in entry.models if entry else ():
            model = QListWidgetItem(name)
            model.setData(ID_ROLE, model_id)
            self.models.addItem(model)

    def _change(self, call: Callable[[], object], select_make: str | None = None) -> None:
        self.reference_status.clear()
        self.context.runner.run(lambda state: call(), lambda _result: self.reload(select_make), self._on_failed)

    def _on_add_make_clicked(self) -> None:
        name = self.make_name.text()
        self._change(lambda: add_make(self.uow_factory, name), " ".join(name.split()))

    def _on_add_model_clicked(self) -> None:
        make = self.makes.currentItem()
        if make is not None:
            make_id, name = int(make.data(ID_ROLE)), self.model_name.text()
            self._change(lambda: add_model(self.uow_factory, make_id, name), make.text())

    def _rename(self, kind: str, items: QListWidget, name: QLineEdit) -> None:
        item, text = items.currentItem(), name.text()
        if item is not None:
            entry_id = int(item.data(ID_ROLE))
            keep = text if kind == "make" else (self.makes.currentItem().text() if self.makes.currentItem() else None)
            self._change(lambda: rename_entry(self.uow_factory, kind, entry_id, text), keep)

    def _remove(self, kind: str, items: QListWidget) -> None:
        item = items.currentItem()
        if item is not None:
            entry_id = int(item.data(ID_ROLE))
            keep = None if kind == "make" else (self.makes.currentItem().text() if self.makes.currentItem() else None)
            self._change(lambda: remove_entry(self.uow_factory, kind, entry_id), keep)

    def _on_failed(self, error: DomainError) -> None:
        self.reference_status.setText(str(error))
        self.reference_status.setStyleSheet(ERROR_STYLE)
