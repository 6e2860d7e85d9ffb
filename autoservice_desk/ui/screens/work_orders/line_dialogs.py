"""The editor's small forms: add a job, change a job's hours (with the reason), put a part on the order from a
shelf, as a special order or as the client's own, and recommend work."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import _
from autoservice_desk.services.booking_choices import BookingChoices
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.form_values import parse_decimal
from autoservice_desk.services.recommendations import RecommendationInput
from autoservice_desk.services.stock_queries import BalanceInfo, part_balances
from autoservice_desk.services.work_order_lines import LabourChanges, LabourInput
from autoservice_desk.services.work_order_parts import OwnPartInput, SpecialPartInput, StockPartInput
from autoservice_desk.services.work_order_types import URGENCIES, LabourLineInfo
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.form import FormDialog
from autoservice_desk.ui.screens.warehouse.pickers import PartPicker

Submit = Callable[[Any], Any]  # runs on a worker thread with the form's input; its result goes to on_done
Done = Callable[[Any], None]


def optional_decimal(edit: QLineEdit, field: str) -> Decimal | None:
    """The number typed in *edit*, None when empty; a ValidationError naming *field* when it is not a number."""
    if not edit.text().strip():
        return None
    value = parse_decimal(edit.text())
    if value is None:
        raise ValidationError(_("Type a number, for example 1.5."), field)
    return value


def required_decimal(edit: QLineEdit, field: str) -> Decimal:
    value = optional_decimal(edit, field)
    if value is None:
        raise ValidationError(_("Type a number, for example 1.5."), field)
    return value


def mechanic_combo(choices: BookingChoices, empty: str, current: int | None = None) -> QComboBox:
    combo = QComboBox()
    combo.addItem(empty, None)
    for mechanic in choices.mechanics:
        combo.addItem(mechanic.name, mechanic.id)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class LineDialog(FormDialog):
    """A form whose OK builds the service's input (`build`) and runs *submit* with it in the background."""

    def __init__(self, context: ScreenContext, title: str, submit: Submit, on_done: Done,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context.runner, title, parent)
        self.context, self._submit_line, self._on_done = context, submit, on_done

    def build(self) -> object:
        raise NotImplementedError

    def accept(self) -> None:
        """FormDialog override: build the input (showing a typing mistake at its field), then submit it."""
        try:
            line = self.build()
        except ValidationError as error:
            self.show_error(error)
            return
        self.submit(lambda _state: self._submit_line(line), self._on_done)


class AddLabourDialog(LineDialog):
    """A job from the catalog; its hours come from the norms for the car (changed afterwards with a reason)."""

    def __init__(self, context: ScreenContext, choices: BookingChoices, submit: Submit, on_done: Done,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context, _("Add a job"), submit, on_done, parent)
        self.setMinimumWidth(560)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter jobs"))
        self.services = QListWidget()
        self.services.setMinimumHeight(240)
        for service in choices.services:
            item = QListWidgetItem(f"{service.name}  ·  {service.detail}")
            item.setData(Qt.ItemDataRole.UserRole, service.id)
            self.services.addItem(item)
        self.mechanic = mechanic_combo(choices, _("(the order's mechanic)"))
        self.discount = QLineEdit()
        self.discount.setPlaceholderText(_("the order's discount"))
        self.comment = QLineEdit()
        self.set_intro(_("The hours are taken from the norms for this car."))
        self.add_field("filter", "", self.filter)
        self.add_field("service", _("Job"), self.services)
        self.add_field("mechanic", _("Mechanic"), self.mechanic)
        self.add_field("discount_percent", _("Discount, %"), self.discount)
        self.add_field("comment", _("Comment"), self.comment)
        self.filter.textChanged.connect(self._on_filter_changed)
        self.services.itemDoubleClicked.connect(lambda _item: self.accept())

    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.services.count()):
            item = self.services.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())
        visible = [row for row in range(self.services.count()) if not self.services.item(row).isHidden()]
        if visible:
            self.services.setCurrentRow(visible[0])

    def select_service(self, service_id: int) -> None:
        for row in range(self.services.count()):
            if self.services.item(row).data(Qt.ItemDataRole.UserRole) == service_id:
                self.services.setCurrentRow(row)

    def build(self) -> LabourInput:
        """LineDialog override."""
        item = self.services.currentItem()
        if item is None or item.isHidden():
            raise ValidationError(_("Choose the job."), "service")
        return LabourInput(int(item.data(Qt.ItemDataRole.UserRole)), mechanic_id=self.mechanic.currentData(),
                           discount_percent=optional_decimal(self.discount, "discount_percent"),
                           comment=self.comment.text())  # fmt: skip


class LabourLineDialog(LineDialog):
    """A job's hours (other than the norm only with the reason), mechanic and discount."""

    def __init__(self, context: ScreenContext, line: LabourLineInfo, choices: BookingChoices, submit: Submit,
                 on_done: Done, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context, line.name, submit, on_done, parent)
        self.line = line
        self.hours = QLineEdit(format_number(line.hours, 2))
        self.reason = QLineEdit(line.hours_reason)
        self.reason.setPlaceholderText(_("why the hours differ from the norm"))
        self.mechanic = mechanic_combo(choices, _("(nobody yet)"), line.mechanic_id)
        self.discount = QLineEdit(format_number(line.discount_percent, 2))
        self.set_intro(_("The norm for this car is {hours} h.").format(hours=format_number(line.norm_hours, 2)))
        self.add_field("hours", _("Hours"), self.hours)
        self.add_field("hours_reason", _("Reason"), self.reason)
        self.add_field("mechanic", _("Mechanic"), self.mechanic)
        self.add_field("discount_percent", _("Discount, %"), self.discount)

    def build(self) -> LabourChanges:
        """LineDialog override."""
        mechanic = self.mechanic.currentData()
        return LabourChanges(
            hours=required_decimal(self.hours, "hours"), hours_reason=self.reason.text(), mechanic_id=mechanic,
            clear_mechanic=mechanic is None and self.line.mechanic_id is not None,
            discount_percent=required_decimal(self.discount, "discount_percent"),
        )  # fmt: skip


class PartLineDialog(LineDialog):
    """Choose a part (the warehouse's part picker), how many, the price (empty: the part's sale price)."""

    def __init__(self, context: ScreenContext, title: str, submit: Submit, on_done: Done,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context, title, submit, on_done, parent)
        self.setMinimumWidth(560)
        self.part_id: int | None = None
        self.part_label = QLabel(_("(no part chosen)"))
        self.choose_button = QPushButton(_("Choose part…"))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.part_label, 1)
        row.addWidget(self.choose_button)
        box = QWidget()
        box.setLayout(row)
        self.quantity = QLineEdit("1")
        self.price = QLineEdit()
        self.price.setPlaceholderText(_("the part's sale price"))
        self.add_field("part", _("Part"), box)
        self.choose_button.clicked.connect(self._on_choose_clicked)

    def _on_choose_clicked(self) -> None:
        picker = PartPicker(self.context, parent=self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.chosen.connect(lambda part_id: self._on_part_picked(picker, part_id))
        picker.open()

    def _on_part_picked(self, picker: PartPicker, part_id: int) -> None:
        rows = picker.results.selectionModel().selectedRows()
        items = [picker.results.item(rows[0].row(), column) for column in range(3)] if rows else []
        self.set_part(part_id, " ".join(item.text() for item in items if item is not None and item.text()))

    def set_part(self, part_id: int, label: str) -> None:
        self.part_id = part_id
        self.part_label.setText(label)

    def chosen_part(self) -> int:
        if self.part_id is None:
            raise ValidationError(_("Choose the part."), "part")
        return self.part_id


class StockPartDialog(PartLineDialog):
    """A part from a shelf: the places holding it, with what is free on each; reserved there at once."""

    def __init__(self, context: ScreenContext, submit: Submit, on_done: Done, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Part from stock"), submit, on_done, parent)
        self.place = QComboBox()
        self.place.setMinimumWidth(260)
        self.add_field("location", _("Place"), self.place)
        self.add_field("quantity", _("Quantity"), self.quantity)
        self.add_field("price", _("Price"), self.price)

    def set_part(self, part_id: int, label: str) -> None:
        """PartLineDialog override: then read where the part lies."""
        super().set_part(part_id, label)
        self.place.clear()
        uow_factory = self.context.uow_factory
        assert uow_factory is not None
        self._runner.run(lambda _state: part_balances(uow_factory, part_id), self._show_places, self.show_error)

    def _show_places(self, places: list[BalanceInfo]) -> None:
        self.place.clear()
        for place in places:
            self.place.addItem(
                _("{place} — {available} free").format(
                    place=place.location_name, available=format_number(place.available.normalize())
                ),
                place.location_id,
            )
        if not places:
            self.show_error(_("The part is not on any shelf; order it as a special order."))

    def build(self) -> StockPartInput:
        """LineDialog override."""
        part_id = self.chosen_part()
        if self.place.currentData() is None:
            raise ValidationError(_("Choose the place to take it from."), "location")
        return StockPartInput(part_id, int(self.place.currentData()), required_decimal(self.quantity, "quantity"),
                              optional_decimal(self.price, "price"))  # fmt: skip


class SpecialPartDialog(PartLineDialog):
    """A part ordered for this work order (под заказ): the warehouse puts it on a purchase order."""

    def __init__(self, context: ScreenContext, submit: Submit, on_done: Done, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Special order"), submit, on_done, parent)
        self.add_field("quantity", _("Quantity"), self.quantity)
        self.add_field("price", _("Price"), self.price)

    def build(self) -> SpecialPartInput:
        """LineDialog override."""
        return SpecialPartInput(self.chosen_part(), required_decimal(self.quantity, "quantity"),
                                optional_decimal(self.price, "price"))  # fmt: skip


class OwnPartDialog(LineDialog):
    """A part the client brought: recorded, fitted, not charged."""

    def __init__(self, context: ScreenContext, submit: Submit, on_done: Done, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Client's own part"), submit, on_done, parent)
        self.name = QLineEdit()
        self.article = QLineEdit()
        self.quantity = QLineEdit("1")
        self.add_field("name", _("Part"), self.name)
        self.add_field("article", _("Article"), self.article)
        self.add_field("quantity", _("Quantity"), self.quantity)

    def build(self) -> OwnPartInput:
        """LineDialog override."""
        return OwnPartInput(self.name.text(), required_decimal(self.quantity, "quantity"), self.article.text())


class RecommendationDialog(LineDialog):
    """Work the mechanic suggests: a text or a catalog job, how urgent, a price (empty: from the norms)."""

    def __init__(self, context: ScreenContext, choices: BookingChoices, submit: Submit, on_done: Done,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context, _("Recommend work"), submit, on_done, parent)
        self.text = QLineEdit()
        self.service = QComboBox()
        self.service.addItem(_("(not from the catalog)"), None)
        for service in choices.services:
            self.service.addItem(service.name, service.id)
        self.urgency = QComboBox()
        for key, label in URGENCIES.items():
            self.urgency.addItem(_(label), key)
        self.urgency.setCurrentIndex(1)
        self.price = QLineEdit()
        self.price.setPlaceholderText(_("from the norms"))
        self.add_field("text", _("Work"), self.text)
        self.add_field("service", _("Catalog job"), self.service)
        self.add_field("urgency", _("Urgency"), self.urgency)
        self.add_field("price", _("Price"), self.price)

    def build(self) -> RecommendationInput:
        """LineDialog override."""
        return RecommendationInput(self.text.text(), self.service.currentData(),
                                   price=optional_decimal(self.price, "price"),
                                   urgency=str(self.urgency.currentData()))  # fmt: skip
