"""The package form: its name and car, the services in the order they are done, and the parts they usually take."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.catalog import ServiceInfo
from autoservice_desk.services.service_packages import (
    PackageForm,
    PackageInfo,
    PartLine,
    create_package,
    update_package,
)
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.editing import ID_ROLE, EditDialog, decimal_text


def service_label(service: ServiceInfo) -> str:
    return f"{service.code} · {service.name}" if service.code else service.name


class ServiceOrder(QWidget):
    """The chosen services, in order: pick one and add it, remove or move up the selected one."""

    def __init__(self, services: Sequence[ServiceInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels = {service.id: service_label(service) for service in services}
        self.choice = QComboBox()
        for service in services:
            if service.active:
                self.choice.addItem(service_label(service), service.id)
        self.add_button = QPushButton(_("Add"))
        self.items = QListWidget()
        self.items.setMinimumHeight(120)
        self.remove_button = QPushButton(_("Remove"))
        self.up_button = QPushButton(_("Up"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.choice, 0, 0, 1, 2)
        grid.addWidget(self.add_button, 0, 2)
        grid.addWidget(self.items, 1, 0, 3, 2)
        grid.addWidget(self.remove_button, 1, 2)
        grid.addWidget(self.up_button, 2, 2)
        grid.setColumnStretch(0, 1)
        self.add_button.clicked.connect(lambda: self.add(self.choice.currentData()))
        self.remove_button.clicked.connect(lambda: self.items.takeItem(self.items.currentRow()))
        self.up_button.clicked.connect(self._on_up_button_clicked)

    def add(self, service_id: int | None) -> None:
        if service_id is None:
            return
        item = QListWidgetItem(self._labels.get(service_id, str(service_id)))
        item.setData(ID_ROLE, service_id)
        self.items.addItem(item)

    def _on_up_button_clicked(self) -> None:
        row = self.items.currentRow()
        if row > 0:
            self.items.insertItem(row - 1, self.items.takeItem(row))
            self.items.setCurrentRow(row - 1)

    def service_ids(self) -> tuple[int, ...]:
        return tuple(int(self.items.item(row).data(ID_ROLE)) for row in range(self.items.count()))


class PartsTable(QWidget):
    """Typical parts typed straight into a table: part number, brand, name, quantity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Part number"), _("Brand"), _("Name"), _("Quantity")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.add_button = QPushButton(_("Add part"))
        self.remove_button = QPushButton(_("Remove part"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.table, 0, 0, 3, 1)
        grid.addWidget(self.add_button, 0, 1)
        grid.addWidget(self.remove_button, 1, 1)
        self.add_button.clicked.connect(lambda: self.add(PartLine("", "", "", "1")))
        self.remove_button.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))

    def add(self, part: PartLine) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        quantity = decimal_text(part.quantity, 3) if not isinstance(part.quantity, str) else part.quantity
        for column, text in enumerate((part.article, part.brand, part.name, quantity)):
            self.table.setItem(row, column, QTableWidgetItem(text))

    def parts(self) -> tuple[PartLine, ...]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return tuple(PartLine(*(text(row, column) for column in range(4))) for row in range(self.table.rowCount()))


class PackageDialog(EditDialog):
    """Add a package (*package* None) or edit one; its lines are replaced in the order shown."""

    def __init__(
        self, context: ScreenContext, package: PackageInfo | None, services: Sequence[ServiceInfo],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(context, _("Service package") if package else _("New service package"), parent)
        self.package = package
        self.name = QLineEdit(package.name if package else "")
        self.name.setMinimumWidth(420)
        self.make = QLineEdit(package.make or "" if package else "")
        self.make.setPlaceholderText(_("empty: for every car"))
        self.model = QLineEdit(package.model or "" if package else "")
        self.model.setPlaceholderText(_("empty: every model of the make"))
        self.services = ServiceOrder(services)
        self.parts = PartsTable()
        self.active = QCheckBox(_("Offered when booking"))
        self.active.setChecked(package.active if package else True)
        for key, label, widget in (
            ("name", _("Name:"), self.name), ("make", _("Make:"), self.make), ("model", _("Model:"), self.model),
            ("services", _("Services:"), self.services), ("parts", _("Typical parts:"), self.parts),
            ("active", "", self.active),
        ):  # fmt: skip
            self.add_row(key, label, widget)
        for service_id in package.service_ids if package else ():
            self.services.add(service_id)
        for part in package.parts if package else ():
            self.parts.add(part)

    def form_value(self) -> PackageForm:
        return PackageForm(
            self.name.text(), self.make.text(), self.model.text(), self.package.notes or "" if self.package else "",
            self.active.isChecked(), self.services.service_ids(), self.parts.parts(),
        )  # fmt: skip

    def save_work(self) -> Callable[[], object]:
        uow_factory, package, form = self.context.uow_factory, self.package, self.form_value()
        assert uow_factory is not None
        if package is None:
            return lambda: create_package(uow_factory, form)
        return lambda: update_package(uow_factory, package.id, form)
