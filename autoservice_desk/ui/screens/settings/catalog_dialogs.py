"""The catalog's edit dialogs: a category with its hourly rate, a service, a labour-time norm."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.catalog import (
    KINDS,
    PRICE_RULES,
    ServiceForm,
    ServiceInfo,
    create_service,
    update_service,
)
from autoservice_desk.services.catalog_reference import CategoryInfo, ReferenceEntry, add_category, update_category
from autoservice_desk.services.labour_norms import NormForm, NormInfo, add_norm, update_norm
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.editing import CheckGrid, EditDialog, decimal_text


def _line(text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    return edit


class CategoryDialog(EditDialog):
    """Add a category (*category* None) or change one's name and hourly rate."""

    def __init__(self, context: ScreenContext, category: CategoryInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Service category") if category else _("New service category"), parent)
        self.category = category
        self.name = _line(category.name if category else "")
        self.rate = _line(decimal_text(category.hourly_rate) if category else "", _("roubles per hour"))
        self.add_row("name", _("Name:"), self.name)
        self.add_row("hourly_rate", _("Hourly rate:"), self.rate)

    def save_work(self) -> Callable[[], object]:
        uow_factory, category = self.context.uow_factory, self.category
        assert uow_factory is not None
        name, rate = self.name.text(), self.rate.text()
        if category is None:
            return lambda: add_category(uow_factory, name, rate)
        return lambda: update_category(uow_factory, category.id, name, rate)


class ServiceDialog(EditDialog):
    """Add a service (*service* None) or edit one: category, code, name, kind, hours, needs and price rule."""

    def __init__(
        self, context: ScreenContext, service: ServiceInfo | None, categories: Sequence[CategoryInfo],
        equipment: Sequence[ReferenceEntry], skills: Sequence[ReferenceEntry], parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(context, _("Service") if service else _("New service"), parent)
        self.service = service
        self.category = QComboBox()
        for category in categories:
            self.category.addItem(category.name, category.id)
        self.code = _line(service.code or "" if service else "", _("optional, for example TO-1"))
        self.name = _line(service.name if service else "")
        self.name.setMinimumWidth(360)
        self.kind = QComboBox()
        for key, label in KINDS.items():
            self.kind.addItem(_(label), key)
        self.hours = _line(decimal_text(service.default_hours) if service else "", _("for example 1.5"))
        self.equipment = CheckGrid([(entry.id, entry.name) for entry in equipment])
        self.skill = QComboBox()
        self.skill.addItem(_("— any mechanic —"), None)
        for entry in skills:
            self.skill.addItem(entry.name, entry.id)
        self.price_rule = QComboBox()
        for key, label in PRICE_RULES.items():
            self.price_rule.addItem(_(label), key)
        fixed = service.fixed_price if service else None
        self.fixed_price = _line(decimal_text(fixed), _("roubles"))
        self.active = QCheckBox(_("Offered to clients"))
        self.active.setChecked(service.active if service else True)
        for key, label, widget in (
            ("category_id", _("Category:"), self.category), ("code", _("Code:"), self.code),
            ("name", _("Name:"), self.name), ("kind", _("Kind:"), self.kind),
            ("default_hours", _("Hours by default:"), self.hours), ("equipment_ids", _("Needs:"), self.equipment),
            ("skill_id", _("Skill:"), self.skill), ("price_rule", _("Price:"), self.price_rule),
            ("fixed_price", _("Fixed price:"), self.fixed_price), ("active", "", self.active),
        ):  # fmt: skip
            self.add_row(key, label, widget)
        if service is not None:
            self.category.setCurrentIndex(max(self.category.findData(service.category_id), 0))
            self.kind.setCurrentIndex(max(self.kind.findData(service.kind), 0))
            self.skill.setCurrentIndex(max(self.skill.findData(service.skill_id), 0))
            self.price_rule.setCurrentIndex(max(self.price_rule.findData(service.price_rule), 0))
            self.equipment.set_checked(service.equipment_ids)
        self.price_rule.currentIndexChanged.connect(self._on_price_rule_changed)
        self._on_price_rule_changed()

    def _on_price_rule_changed(self) -> None:
        self.fixed_price.setEnabled(self.price_rule.currentData() == "fixed")

    def form_value(self) -> ServiceForm:
        return ServiceForm(
            self.category.currentData(), self.code.text(), self.name.text(), str(self.kind.currentData()),
            self.hours.text(), self.equipment.checked(), self.skill.currentData(), str(self.price_rule.currentData()),
            self.fixed_price.text() if self.price_rule.currentData() == "fixed" else "", self.active.isChecked(),
        )  # fmt: skip

    def save_work(self) -> Callable[[], object]:
        uow_factory, service, form = self.context.uow_factory, self.service, self.form_value()
        assert uow_factory is not None
        if service is None:
            return lambda: create_service(uow_factory, form)
        return lambda: update_service(uow_factory, service.id, service.version, form)


class NormDialog(EditDialog):
    """Add a norm to a service (*norm* None) or change one."""

    def __init__(
        self, context: ScreenContext, service_id: int, norm: NormInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, _("Labour-time norm") if norm else _("New labour-time norm"), parent)
        self.service_id, self.norm = service_id, norm
        self.make = _line(norm.make if norm else "")
        self.model = _line(norm.model or "" if norm else "", _("empty: every model of the make"))
        self.year_from = _line(str(norm.year_from or "") if norm else "", _("empty: any"))
        self.year_to = _line(str(norm.year_to or "") if norm else "", _("empty: any"))
        self.engine = _line(norm.engine or "" if norm else "", _("empty: any engine"))
        self.hours = _line(decimal_text(norm.hours) if norm else "", _("for example 1.4"))
        for key, label, widget in (
            ("make", _("Make:"), self.make), ("model", _("Model:"), self.model),
            ("year_from", _("From year:"), self.year_from), ("year_to", _("To year:"), self.year_to),
            ("engine", _("Engine:"), self.engine), ("hours", _("Hours:"), self.hours),
        ):  # fmt: skip
            self.add_row(key, label, widget)

    def form_value(self) -> NormForm:
        return NormForm(self.make.text(), self.model.text(), self.year_from.text(), self.year_to.text(),
                        self.engine.text(), self.hours.text())  # fmt: skip

    def save_work(self) -> Callable[[], object]:
        uow_factory, service_id, norm, form = self.context.uow_factory, self.service_id, self.norm, self.form_value()
        assert uow_factory is not None
        if norm is None:
            return lambda: add_norm(uow_factory, service_id, form)
        return lambda: update_norm(uow_factory, norm.id, form)
