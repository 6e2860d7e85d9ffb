"""Settings → Shop details: names, requisites, bank, time zone, currency and VAT as printed on documents."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from autoservice_desk.config import SHOP_OPTIONS, SHOP_TIMEZONE, SHOP_VAT_MODE, Option
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.preferences import SettingsValidationError, update_settings
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.page import SettingsPage
from autoservice_desk.ui.screens.settings.time_zones import time_zone_names
from autoservice_desk.ui.style import ERROR_STYLE

GROUPS: list[tuple[str, tuple[str, ...]]] = [
    (N_("Shop"), ("shop.name", "shop.legal_name", "shop.address", "shop.phone", "shop.email")),
    (N_("Requisites"), ("shop.inn", "shop.kpp", "shop.ogrn")),
    (N_("Bank"), ("shop.bank_name", "shop.bik", "shop.account", "shop.corr_account")),
    (N_("Money and time"), ("shop.timezone", "shop.currency", "shop.vat_mode")),
]
VAT_MODE_NAMES = {
    "vat20": N_("VAT 20% on top of prices"),
    "vat20_included": N_("VAT 20% included in prices"),
    "vat5": N_("VAT 5% (simplified tax system)"),
    "vat7": N_("VAT 7% (simplified tax system)"),
    "no_vat": N_("No VAT"),
}


class ShopPage(SettingsPage):
    """One field per `config.SHOP_OPTIONS` entry, labelled with the option's translated description."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, _("Shop details"), _("These details are printed on work orders, acts and invoices."), parent
        )
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        grouped = {key for _title, keys in GROUPS for key in keys}
        groups = [(title, [o for o in SHOP_OPTIONS if o.key in keys]) for title, keys in GROUPS]
        others = [option for option in SHOP_OPTIONS if option.key not in grouped]
        if others:  # options added to config later still get a field
            groups.append((N_("Other"), others))
        labels: list[QLabel] = []
        for title, options in groups:
            box = QGroupBox(_(title))
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for option in options:
                labels.append(QLabel(_(option.description) + ":"))
                form.addRow(labels[-1], self._field(option))
            self.body.addWidget(box)
        # One label column for all the boxes, so the fields line up down the page in any language.
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
        self.revert()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)

    def _field(self, option: Option[Any]) -> QWidget:
        widget: QLineEdit | QComboBox
        if option is SHOP_TIMEZONE:
            widget = QComboBox()
            widget.setEditable(True)
            widget.addItems(time_zone_names())
        elif option.choices:
            widget = QComboBox()
            for choice in option.choices:
                label = _(VAT_MODE_NAMES[choice]) if option is SHOP_VAT_MODE and choice in VAT_MODE_NAMES else choice
                widget.addItem(label, choice)
        else:
            widget = QLineEdit()
        widget.setObjectName(option.key)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        self.fields[option.key] = widget
        self.errors[option.key] = error
        cell = QWidget()
        layout = QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(error)
        return cell

    def values(self) -> dict[str, object]:
        values: dict[str, object] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                values[key] = widget.text().strip()
            elif widget.isEditable():
                values[key] = widget.currentText().strip()
            else:
                values[key] = widget.currentData()
        return values

    def revert(self) -> None:
        """Show the saved values again."""
        settings = self.context.environment.settings
        for option in SHOP_OPTIONS:
            widget = self.fields[option.key]
            value = settings.get(option)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            elif widget.isEditable():
                widget.setCurrentText(value)
            else:
                widget.setCurrentIndex(max(widget.findData(value), 0))
        self._show_problems({})

    def _show_problems(self, problems: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)

    def _on_save_button_clicked(self) -> None:
        try:
            update_settings(self.context.environment, self.values())
        except SettingsValidationError as error:
            self._show_problems(error.problems)
            self.show_status(_("Nothing was saved: please correct the fields marked in red."), error=True)
            if error.field in self.fields:
                self.fields[error.field].setFocus()
            return
        except DomainError as error:
            self.show_status(_("Nothing was saved: {reason}").format(reason=error), error=True)
            return
        self._show_problems({})
        self.show_status(_("Saved."))
