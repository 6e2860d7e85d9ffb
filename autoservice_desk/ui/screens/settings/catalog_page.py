"""Settings → Catalog: categories with hourly rates, services, the labour-time norms of each, and service packages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QTableWidget, QWidget

from autoservice_desk.formatting import format_money, format_number
from autoservice_desk.i18n import _
from autoservice_desk.services.catalog import KINDS, ServiceInfo, list_services, price_of, set_service_active
from autoservice_desk.services.catalog_reference import (
    CategoryInfo,
    ReferenceEntry,
    list_categories,
    list_equipment,
    list_skills,
)
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.labour_norms import NormInfo, delete_norm, list_norms
from autoservice_desk.services.service_packages import PackageInfo, delete_package, list_packages
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.catalog_dialogs import CategoryDialog, NormDialog, ServiceDialog
from autoservice_desk.ui.screens.settings.editing import EditDialog, fill_table, make_table, selected_id
from autoservice_desk.ui.screens.settings.norms_import_dialog import NormsImportDialog
from autoservice_desk.ui.screens.settings.package_dialog import PackageDialog, service_label
from autoservice_desk.ui.screens.settings.page import SettingsPage

TABLE_HEIGHT = 220


@dataclass(frozen=True)
class CatalogData:
    categories: list[CategoryInfo]
    services: list[ServiceInfo]
    equipment: list[ReferenceEntry]
    skills: list[ReferenceEntry]
    packages: list[PackageInfo]


def _group(title: str, table: QTableWidget, buttons: list[QPushButton], top: QWidget | None = None) -> QGroupBox:
    box = QGroupBox(title)
    grid = QGridLayout(box)
    row = 0
    if top is not None:
        grid.addWidget(top, 0, 0, 1, len(buttons) + 1)
        row = 1
    table.setMinimumHeight(TABLE_HEIGHT)
    grid.addWidget(table, row, 0, 1, len(buttons) + 1)
    for column, button in enumerate(buttons):
        grid.addWidget(button, row + 1, column)
    grid.setColumnStretch(len(buttons), 1)
    return box


class CatalogPage(SettingsPage):
    """Every change is saved at once through its dialog; the tables refresh when the catalog changes anywhere."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, _("Service catalog"),
            _("Services are sold at their category's hourly rate times the hours, or at a fixed price. Norms give "
              "the hours of a service for a make, model, years and engine; without one the default hours apply."),
            parent,
        )  # fmt: skip
        assert context.uow_factory is not None
        self.uow_factory = context.uow_factory
        self.save_button.hide()  # nothing to save at the bottom: each dialog saves its own change
        self.data = CatalogData([], [], [], [], [])
        self.norms: list[NormInfo] = []
        self.dialog: QWidget | None = None
        self.categories = make_table([_("Category"), _("Hourly rate"), _("Services")], stretch=0)
        self.category_buttons = [QPushButton(text) for text in (_("Add…"), _("Change…"))]
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find a service by code, name or category"))
        self.search.setClearButtonEnabled(True)
        self.services = make_table([_("Code"), _("Service"), _("Category"), _("Kind"), _("Hours"), _("Price")])
        self.service_buttons = [QPushButton(text) for text in (_("Add…"), _("Change…"), _("Withdraw or return"))]
        self.norms_title = QLabel()
        self.norms_table = make_table([_("Make"), _("Model"), _("Years"), _("Engine"), _("Hours"), _("From file")], 5)
        self.norm_buttons = [QPushButton(text) for text in (_("Add…"), _("Change…"), _("Delete"), _("Import norms…"))]
        self.packages = make_table([_("Package"), _("Car"), _("Services"), _("Parts")], stretch=2)
        self.package_buttons = [QPushButton(text) for text in (_("Add…"), _("Change…"), _("Delete"))]
        self.body.addWidget(_group(_("Categories and hourly rates"), self.categories, self.category_buttons))
        self.body.addWidget(_group(_("Services"), self.services, self.service_buttons, self.search))
        self.body.addWidget(_group(_("Labour-time norms"), self.norms_table, self.norm_buttons, self.norms_title))
        self.body.addWidget(_group(_("Service packages"), self.packages, self.package_buttons))
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        add, change = self.category_buttons
        add.clicked.connect(lambda: self._open(CategoryDialog(self.context, None, self)))
        change.clicked.connect(self._on_change_category_clicked)
        add, change, active = self.service_buttons
        add.clicked.connect(lambda: self._open_service(None))
        change.clicked.connect(lambda: self._open_service(self.selected_service()))
        self.services.doubleClicked.connect(lambda: self._open_service(self.selected_service()))
        active.clicked.connect(self._on_withdraw_clicked)
        self.search.textChanged.connect(self._show_services)
        self.services.itemSelectionChanged.connect(self._on_services_selection_changed)
        add, change, remove, import_ = self.norm_buttons
        add.clicked.connect(lambda: self._open_norm(None))
        change.clicked.connect(lambda: self._open_norm(self.selected_norm()))
        self.norms_table.doubleClicked.connect(lambda: self._open_norm(self.selected_norm()))
        remove.clicked.connect(self._on_delete_norm_clicked)
        import_.clicked.connect(lambda: self._open(NormsImportDialog(self.context, self)))
        add, change, remove = self.package_buttons
        add.clicked.connect(lambda: self._open(PackageDialog(self.context, None, self.data.services, self)))
        change.clicked.connect(self._on_change_package_clicked)
        remove.clicked.connect(self._on_delete_package_clicked)
        self.context.changes.changed.connect(self._on_changes_changed)

    # --- reading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        uow_factory = self.uow_factory

        def work(state: OperationState) -> CatalogData:
            return CatalogData(
                list_categories(uow_factory), list_services(uow_factory), list_equipment(uow_factory),
                list_skills(uow_factory), list_packages(uow_factory),
            )  # fmt: skip

        self.context.runner.run(work, self._show, self._on_failed)

    def _show(self, data: CatalogData) -> None:
        self.data = data
        fill_table(self.categories, ((c.id, [c.name, format_money(c.hourly_rate), str(c.service_count)])
                                     for c in data.categories))  # fmt: skip
        self._show_services()
        names = {service.id: service_label(service) for service in data.services}
        fill_table(self.packages, (
            (p.id, [p.name, " ".join(part for part in (p.make, p.model) if part) or _("any car"),
                    ", ".join(names.get(service_id, "?") for service_id in p.service_ids), str(len(p.parts))])
            for p in data.packages
        ))  # fmt: skip

    def _show_services(self) -> None:
        words = self.search.text().casefold().replace("ё", "е").split()

        def cells(service: ServiceInfo) -> list[str]:
            kind = _(KINDS.get(service.kind, service.kind))
            if not service.active:
                kind = _("{kind}, withdrawn").format(kind=kind)
            price = format_money(price_of(service, service.default_hours))
            if service.price_rule == "hourly":
                price = _("{price} (by hours)").format(price=price)
            hours = format_number(service.default_hours, 2)
            return [service.code or "", service.name, service.category_name, kind, hours, price]

        shown = [
            service for service in self.data.services
            if all(word in " ".join(cells(service)[:3]).casefold().replace("ё", "е") for word in words)
        ]  # fmt: skip
        fill_table(self.services, ((service.id, cells(service)) for service in shown))
        self._on_services_selection_changed()

    def selected_service(self) -> ServiceInfo | None:
        chosen = selected_id(self.services)
        return next((service for service in self.data.services if service.id == chosen), None)

    def selected_norm(self) -> NormInfo | None:
        chosen = selected_id(self.norms_table)
        return next((norm for norm in self.norms if norm.id == chosen), None)

    def _on_services_selection_changed(self) -> None:
        service = self.selected_service()
        for button in self.norm_buttons[:3] + self.service_buttons[1:]:
            button.setEnabled(service is not None)
        if service is None:
            self.norms_title.setText(_("Choose a service to see its norms."))
            self.norms = []
            fill_table(self.norms_table, ())
            return
        self.norms_title.setText(_("Norms of “{service}” (by default {hours} h)").format(
            service=service.name, hours=format_number(service.default_hours, 2)))  # fmt: skip
        uow_factory, service_id = self.uow_factory, service.id
        self.context.runner.run(lambda state: list_norms(uow_factory, service_id), self._show_norms, self._on_failed)

    def _show_norms(self, norms: list[NormInfo]) -> None:
        self.norms = norms

        def years(norm: NormInfo) -> str:
            if norm.year_from is None and norm.year_to is None:
                return ""
            return f"{norm.year_from or '…'}–{norm.year_to or '…'}"

        fill_table(self.norms_table, (
            (n.id, [n.make, n.model or _("any"), years(n), n.engine or "", format_number(n.hours, 2), n.source or ""])
            for n in norms
        ))  # fmt: skip

    # --- changing -------------------------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog  # kept: tests and the status line reach the open dialog
        if isinstance(dialog, EditDialog):
            dialog.saved.connect(lambda _result: self.show_status(_("Saved.")))
        dialog.show()

    def _open_service(self, service: ServiceInfo | None) -> None:
        data = self.data
        self._open(ServiceDialog(self.context, service, data.categories, data.equipment, data.skills, self))

    def _open_norm(self, norm: NormInfo | None) -> None:
        service = self.selected_service()
        if service is not None:
            self._open(NormDialog(self.context, service.id, norm, self))

    def _on_change_category_clicked(self) -> None:
        chosen = selected_id(self.categories)
        category = next((category for category in self.data.categories if category.id == chosen), None)
        if category is not None:
            self._open(CategoryDialog(self.context, category, self))

    def _on_change_package_clicked(self) -> None:
        chosen = selected_id(self.packages)
        package = next((package for package in self.data.packages if package.id == chosen), None)
        if package is not None:
            self._open(PackageDialog(self.context, package, self.data.services, self))

    def _run(self, call: Callable[[], object]) -> None:
        self.context.runner.run(lambda state: call(), lambda _result: self.show_status(_("Saved.")), self._on_failed)

    def _on_withdraw_clicked(self) -> None:
        service = self.selected_service()
        if service is not None:
            uow_factory, service_id, active = self.uow_factory, service.id, not service.active
            self._run(lambda: set_service_active(uow_factory, service_id, active))

    def _on_delete_norm_clicked(self) -> None:
        norm = self.selected_norm()
        if norm is not None:
            uow_factory, norm_id = self.uow_factory, norm.id
            self._run(lambda: delete_norm(uow_factory, norm_id))

    def _on_delete_package_clicked(self) -> None:
        chosen = selected_id(self.packages)
        if isinstance(chosen, int):
            uow_factory = self.uow_factory
            self._run(lambda: delete_package(uow_factory, chosen))

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("catalog"):
            self.reload()

    def _on_failed(self, error: DomainError) -> None:
        self.show_status(str(error), error=True)
