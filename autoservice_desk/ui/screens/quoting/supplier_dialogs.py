"""Connecting an online supplier (ABCP platform or a JSON API) and importing a supplier's price list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.online_suppliers import (
    MAX_CACHE_MINUTES,
    TIMEOUT_RANGE,
    OnlineSupplierForm,
    OnlineSupplierInfo,
    save_online_supplier,
)
from autoservice_desk.services.price_list_import import (
    PRICE_LIST_FIELDS,
    PriceListImportReport,
    check_mapping,
    import_price_list,
)
from autoservice_desk.services.price_lists import mapping_for_headers, saved_mapping
from autoservice_desk.services.suppliers import SupplierInfo
from autoservice_desk.services.table_import import Preview, TableImportReport
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.form import FormDialog, password_edit
from autoservice_desk.ui.dialogs.table_import import TableImportDialog
from autoservice_desk.ui.models.quote_models import KIND_TITLES

JSON_ONLY = ("url_template", "brands_url_template", "field_mapping")


def mapping_text(mapping: dict[str, str] | Any) -> str:
    return "\n".join(f"{key} = {value}" for key, value in dict(mapping).items())


def parse_mapping(text: str) -> dict[str, str]:
    """`key = path` per line (blank lines and lines without "=" are ignored)."""
    mapping: dict[str, str] = {}
    for line in text.splitlines():
        key, sign, value = line.partition("=")
        if sign and key.strip():
            mapping[key.strip()] = value.strip()
    return mapping


class OnlineSupplierDialog(FormDialog):
    """The supplier, its protocol, address, login and secret (kept in the keyring), timeout, cache time and, for a
    JSON API, the URL templates and where each field is in its answer."""

    saved = Signal(int)

    def __init__(
        self, context: ScreenContext, suppliers: Sequence[SupplierInfo], existing: OnlineSupplierInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        title = _("Online supplier {name}").format(name=existing.supplier_name) if existing else _("Connect a supplier")
        super().__init__(context.runner, title, parent)
        assert context.uow_factory is not None
        self.uow_factory = context.uow_factory
        self.secrets = context.environment.secrets
        self.existing = existing
        self.resize(620, 620)
        self.supplier = QComboBox()
        for supplier in suppliers:
            self.supplier.addItem(supplier.name, supplier.id)
        self.kind = QComboBox()
        for kind, label in KIND_TITLES.items():
            self.kind.addItem(_(label), kind)
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("https://id1234.public.api.abcp.ru")
        self.login = QLineEdit()
        self.secret = password_edit()
        self.url_template = QLineEdit()
        self.url_template.setPlaceholderText("{base_url}/api/offers?code={article}&brand={brand}")
        self.brands_url_template = QLineEdit()
        self.field_mapping = QPlainTextEdit()
        self.field_mapping.setPlaceholderText("items = data.offers\nbrand = maker\narticle = code\nprice = price.value")
        self.field_mapping.setFixedHeight(120)
        self.timeout = QSpinBox()
        self.timeout.setRange(*TIMEOUT_RANGE)
        self.timeout.setSingleStep(500)
        self.timeout.setSuffix(_(" ms"))
        self.cache = QSpinBox()
        self.cache.setRange(0, MAX_CACHE_MINUTES)
        self.cache.setSuffix(_(" min"))
        self.active = QCheckBox(_("Ask this supplier in searches"))
        for name, label, widget in (
            ("supplier_id", _("Supplier"), self.supplier), ("kind", _("Kind"), self.kind),
            ("base_url", _("Address"), self.base_url), ("login", _("Login"), self.login),
            ("secret", _("Password or API key"), self.secret), ("url_template", _("Offers URL"), self.url_template),
            ("brands_url_template", _("Brands URL"), self.brands_url_template),
            ("field_mapping", _("Fields in the answer"), self.field_mapping),
            ("timeout_ms", _("Timeout"), self.timeout), ("cache_minutes", _("Keep answers"), self.cache),
            ("active", "", self.active),
        ):  # fmt: skip
            self.add_field(name, label, widget)
        self._fill(existing)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self._on_kind_current_index_changed()

    def _fill(self, existing: OnlineSupplierInfo | None) -> None:
        if existing is None:
            self.timeout.setValue(5000)
            self.cache.setValue(30)
            self.active.setChecked(True)
            return
        self.supplier.setCurrentIndex(max(self.supplier.findData(existing.supplier_id), 0))
        self.kind.setCurrentIndex(max(self.kind.findData(existing.kind), 0))
        self.base_url.setText(existing.base_url)
        self.login.setText(existing.login)
        self.secret.setPlaceholderText(_("unchanged"))
        self.url_template.setText(existing.url_template)
        self.brands_url_template.setText(existing.brands_url_template)
        self.field_mapping.setPlainText(mapping_text(existing.field_mapping))
        self.timeout.setValue(existing.timeout_ms)
        self.cache.setValue(existing.cache_minutes)
        self.active.setChecked(existing.active)

    def _on_kind_current_index_changed(self) -> None:
        json = self.kind.currentData() == "json"
        for name in JSON_ONLY:
            widget = self._fields[name]
            widget.setVisible(json)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(json)

    def form_values(self) -> OnlineSupplierForm:
        json = self.kind.currentData() == "json"
        return OnlineSupplierForm(
            supplier_id=int(self.supplier.currentData() or 0), kind=str(self.kind.currentData()),
            base_url=self.base_url.text(), login=self.login.text(),
            url_template=self.url_template.text() if json else "",
            brands_url_template=self.brands_url_template.text() if json else "",
            field_mapping=parse_mapping(self.field_mapping.toPlainText()) if json else {},
            timeout_ms=self.timeout.value(), cache_minutes=self.cache.value(), active=self.active.isChecked(),
        )  # fmt: skip

    def accept(self) -> None:
        """FormDialog override: saved in the background; the secret goes to the keyring, only when typed."""
        form, secret = self.form_values(), self.secret.text() or None
        existing_id = self.existing.id if self.existing is not None else None
        secrets = self.secrets
        self.submit(lambda _state: save_online_supplier(self.uow_factory, form, online_supplier_id=existing_id,
                                                        secret=secret, secrets=secrets), self.saved.emit)  # fmt: skip


class PriceListImportDialog(TableImportDialog):
    """A supplier's price list from CSV/XLSX; the columns the supplier's last file used are chosen again."""

    def __init__(self, context: ScreenContext, supplier: SupplierInfo, parent: QWidget | None = None) -> None:
        self.supplier_id = supplier.id

        def service(uow_factory: Any, path: Path, mapping: dict[str, int], **options: Any) -> TableImportReport:
            return import_price_list(uow_factory, supplier.id, path, mapping, **options)

        super().__init__(
            context, PRICE_LIST_FIELDS, check_mapping, service,
            title=_("Price list of {name}").format(name=supplier.name),
            intro=_("Choose the supplier's CSV or Excel file: article, brand, name, quantity, price, delivery days "
                    "and multiplicity. The new list replaces the supplier's previous one."),
            file_caption=_("Import a price list"), parent=parent,
        )  # fmt: skip

    def load_file(self, path: Path) -> None:
        """TableImportDialog override: the supplier's saved columns win over the guessed ones."""
        self.report = None
        self.problems.hide()
        self.summary.clear()
        uow_factory, supplier_id = self.uow_factory, self.supplier_id

        def work(_state: Any) -> Preview:
            preview = PRICE_LIST_FIELDS.preview_file(path)
            saved = saved_mapping(uow_factory, supplier_id)
            return replace(preview, mapping=mapping_for_headers(saved, preview.headers, preview.mapping))

        self._start(work, lambda preview: self._on_preview_read(path, preview))

    def written_text(self, report: TableImportReport) -> str:
        """The rows now searched and the rows of the list replaced."""
        assert isinstance(report, PriceListImportReport)
        return ngettext("The price list now has {count} row", "The price list now has {count} rows",
                        report.valid_rows).format(count=report.valid_rows) + _(
            "; the previous list had {replaced}.").format(replaced=report.replaced_rows)  # fmt: skip
