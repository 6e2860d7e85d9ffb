"""The part form: article, brand, name, unit, group, minimum stock, prices, barcodes and notes; errors at fields."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError, FieldErrors
from autoservice_desk.services.part_forms import UNITS, PartForm
from autoservice_desk.services.parts import (
    DuplicatePartError,
    PartGroupInfo,
    PartInfo,
    create_part,
    update_part,
)
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.form import FormDialog
from autoservice_desk.ui.questions import open_question
from autoservice_desk.ui.screens.clients.row_lists import RowList, show_field_problems, with_error_label
from autoservice_desk.ui.screens.settings.editing import decimal_text

TEXT_FIELDS = ("article", "brand", "name", "min_stock", "purchase_price", "sale_price")


def group_choices(groups: Sequence[PartGroupInfo]) -> list[tuple[int, str]]:
    """(id, label) of every group, subgroups under their parents and indented."""
    children: dict[int | None, list[PartGroupInfo]] = {}
    known = {group.id for group in groups}
    for group in groups:
        children.setdefault(group.parent_id if group.parent_id in known else None, []).append(group)
    choices: list[tuple[int, str]] = []

    def add(parent_id: int | None, depth: int) -> None:
        for group in children.get(parent_id, []):
            choices.append((group.id, "    " * depth + group.name))
            if depth < 20:
                add(group.id, depth + 1)

    add(None, 0)
    return choices


class PartDialog(FormDialog):
    """New part (*part* None) or the part's card; saving runs in the background, each error under its field."""

    saved = Signal(int)  # the part's id
    open_existing_requested = Signal(int)  # the id of the part with the same article and brand

    def __init__(
        self, context: ScreenContext, part: PartInfo | None, groups: Sequence[PartGroupInfo],
        parent: QWidget | None = None, barcode: str = "",
    ) -> None:  # fmt: skip
        title = _("New part") if part is None else _("Part {article} {brand}").format(
            article=part.article, brand=part.brand).strip()  # fmt: skip
        super().__init__(context.runner, title, parent)
        assert context.uow_factory is not None
        self._uow_factory = context.uow_factory
        self.part = part
        self.setMinimumWidth(560)
        self.edits = {name: QLineEdit() for name in TEXT_FIELDS}
        self.unit = QComboBox()
        for key, label in UNITS.items():
            self.unit.addItem(_(label), key)
        self.group = QComboBox()
        self.group.addItem(_("— no group —"), None)
        for group_id, label in group_choices(groups):
            self.group.addItem(label, group_id)
        self.barcodes = RowList([_("Barcode: scan or type it")], _("Add barcode"))
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.active = QCheckBox(_("In the catalog (uncheck to withdraw the part)"))
        self.errors: dict[str, QLabel] = {}
        self.duplicate_box: QMessageBox | None = None
        self.edits["sale_price"].setPlaceholderText(_("empty: from the markup rules"))
        self.edits["purchase_price"].setPlaceholderText(_("roubles"))
        self.edits["min_stock"].setPlaceholderText(_("0: no reminder"))
        for name, label, widget in (
            ("article", _("Article:"), self.edits["article"]), ("brand", _("Brand:"), self.edits["brand"]),
            ("name", _("Name:"), self.edits["name"]), ("unit", _("Unit:"), self.unit),
            ("group_id", _("Group:"), self.group), ("min_stock", _("Minimum stock:"), self.edits["min_stock"]),
            ("purchase_price", _("Purchase price:"), self.edits["purchase_price"]),
            ("sale_price", _("Sale price:"), self.edits["sale_price"]), ("barcodes", _("Barcodes:"), self.barcodes),
            ("notes", _("Notes:"), self.notes),
        ):  # fmt: skip
            self._add(name, label, widget)
        if part is not None:
            self._add("active", "", self.active)
        self._fill(part, barcode)
        self.edits["article"].setFocus()

    def _add(self, name: str, label: str, widget: QWidget) -> None:
        """A form row with a hidden error label under the widget; *name* is the service's field key."""
        holder, self.errors[name] = with_error_label(widget)
        self.add_field(name, label, widget, holder)

    def _fill(self, part: PartInfo | None, barcode: str) -> None:
        form = part.to_form() if part is not None else PartForm(barcodes=(barcode,) if barcode else ())
        for name in ("article", "brand", "name"):
            self.edits[name].setText(str(getattr(form, name)))
        self.notes.setPlainText(form.notes)
        places = {"min_stock": 3 if part is not None and part.fractional else 0, "purchase_price": 2, "sale_price": 2}
        for name, decimals in places.items():
            value = getattr(form, name)
            self.edits[name].setText(value if isinstance(value, str) else decimal_text(value, decimals))
        self.unit.setCurrentIndex(max(self.unit.findData(form.unit), 0))
        self.group.setCurrentIndex(max(self.group.findData(form.group_id), 0))
        for code in form.barcodes or ("",):
            self.barcodes.add_row([code])
        self.active.setChecked(form.active)

    def form_value(self) -> PartForm:
        return PartForm(
            article=self.edits["article"].text(), brand=self.edits["brand"].text(), name=self.edits["name"].text(),
            unit=str(self.unit.currentData()), group_id=self.group.currentData(),
            min_stock=self.edits["min_stock"].text(), purchase_price=self.edits["purchase_price"].text(),
            sale_price=self.edits["sale_price"].text(), notes=self.notes.toPlainText(),
            active=self.active.isChecked() if self.part is not None else True,
            barcodes=tuple(texts[0] for _kind, texts in self.barcodes.values()),
        )  # fmt: skip

    # --- saving ---------------------------------------------------------------------------------------------

    def accept(self) -> None:
        """FormDialog override: save in the background; the dialog closes only once the part is saved."""
        uow_factory, part, form = self._uow_factory, self.part, self.form_value()
        self.show_problems({})

        def work(state: OperationState) -> int:
            if part is None:
                return create_part(uow_factory, form)
            update_part(uow_factory, part.id, part.version, form)
            return part.id

        self.submit(work, self.saved.emit)

    def show_error(self, error: DomainError | str) -> None:
        """FormDialog override: field errors under their fields; a duplicate offers the part that exists."""
        if isinstance(error, FieldErrors):
            self.show_problems(error.problems)
        elif isinstance(error, DuplicatePartError):
            self._offer_existing(error)
        else:
            super().show_error(error)

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each message under its field, line edits outlined; the first wrong field gets the focus."""
        self.clear_error()
        show_field_problems(self.errors, self.edits, problems)
        self.barcodes.show_errors({int(key.split(".")[1]): text for key, text in problems.items()
                                   if key.startswith("barcodes.")})  # fmt: skip
        unplaced = [text for key, text in problems.items()
                    if key not in self.errors and not key.startswith("barcodes.")]  # fmt: skip
        if unplaced:
            super().show_error(" ".join(unplaced))
        self.adjustSize()  # room for the messages
        first = next((self._fields[name] for name in self.errors if name in problems), None)
        first = first or self.barcodes.first_error_edit()
        if first is not None:
            first.setFocus()

    def _offer_existing(self, error: DuplicatePartError) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, _("The part is already in the catalog"), str(error),
                          QMessageBox.StandardButton.NoButton, self)  # fmt: skip
        open_button = box.addButton(_("Open that part"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Back to the form"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)

        def answered(clicked: QAbstractButton) -> None:
            if clicked is open_button:
                self.open_existing_requested.emit(error.existing.id)
                self.reject()

        self.duplicate_box = open_question(box, answered)
