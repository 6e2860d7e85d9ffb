"""The suppliers the search asks: online suppliers (connect, change, disconnect) and price lists (import, remove)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.config import SHOP_TIMEZONE
from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.online_suppliers import OnlineSupplierInfo, list_online_suppliers, remove_online_supplier
from autoservice_desk.services.price_lists import PriceListInfo, list_price_lists, remove_price_list
from autoservice_desk.services.suppliers import SupplierInfo, list_suppliers
from autoservice_desk.services.unit_of_work import ChangeSet
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.quote_models import OnlineSuppliersModel, PriceListsModel
from autoservice_desk.ui.screens.quoting.supplier_dialogs import OnlineSupplierDialog, PriceListImportDialog
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE

Loaded = tuple[list[OnlineSupplierInfo], list[PriceListInfo], list[SupplierInfo]]


def _table(model: OnlineSuppliersModel | PriceListsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600;")
    return label


class SuppliersPage(QWidget):
    """Changes are the warehouse keepers', managers' and administrators' (the services refuse others)."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self._uow_factory = context.uow_factory
        zone = ZoneInfo(str(context.environment.settings.get(SHOP_TIMEZONE)))
        self.suppliers: list[SupplierInfo] = []
        self.online_model = OnlineSuppliersModel(self)
        self.lists_model = PriceListsModel(zone, self)
        self.online = _table(self.online_model)
        self.lists = _table(self.lists_model)
        self.add_button = QPushButton(_("Connect…"))
        self.edit_button = QPushButton(_("Change…"))
        self.remove_online_button = QPushButton(_("Disconnect"))
        self.list_supplier = QComboBox()
        self.list_supplier.setMinimumWidth(220)
        self.import_button = QPushButton(_("Import price list…"))
        self.remove_list_button = QPushButton(_("Remove price list"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.dialogs: list[QWidget] = []
        self._build_layout()
        self._connect_signals()
        self.reload()

    def _build_layout(self) -> None:
        online_buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_online_button):
            online_buttons.addWidget(button)
        online_buttons.addStretch(1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(QLabel(_("Supplier")))
        list_buttons.addWidget(self.list_supplier)
        list_buttons.addWidget(self.import_button)
        list_buttons.addWidget(self.remove_list_button)
        list_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(_("Online suppliers")))
        explanation = QLabel(
            _(
                "Asked at every search, each within its timeout; their answers are kept for the time "
                "set and asked again on Refresh. Passwords and keys are kept in the system keyring."
            )
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        layout.addWidget(self.online, 1)
        layout.addLayout(online_buttons)
        layout.addSpacing(12)
        layout.addWidget(_heading(_("Price lists")))
        layout.addWidget(self.lists, 1)
        layout.addLayout(list_buttons)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(lambda: self.open_online_dialog(None))
        self.edit_button.clicked.connect(lambda: self.open_online_dialog(self.selected_online()))
        self.online.activated.connect(lambda index: self.open_online_dialog(self.online_model.row(index.row())))
        self.remove_online_button.clicked.connect(self._on_remove_online_clicked)
        self.import_button.clicked.connect(self.open_import_dialog)
        self.remove_list_button.clicked.connect(self._on_remove_list_clicked)
        self.lists.selectionModel().selectionChanged.connect(self._on_lists_selection_changed)
        self.context.changes.changed.connect(self._on_changes_changed)

    def reload(self) -> None:
        uow_factory = self._uow_factory

        def work(_state: OperationState) -> Loaded:
            return (list_online_suppliers(uow_factory), list_price_lists(uow_factory),
                    list_suppliers(uow_factory, active_only=True))  # fmt: skip

        self.context.runner.run(work, self._on_loaded, self._on_failed)

    def _on_loaded(self, loaded: Loaded) -> None:
        online, lists, self.suppliers = loaded
        self.online_model.set_rows(online)
        self.lists_model.set_rows(lists)
        self.online.resizeColumnsToContents()
        self.lists.resizeColumnsToContents()
        chosen = self.list_supplier.currentData()
        self.list_supplier.clear()
        for supplier in self.suppliers:
            self.list_supplier.addItem(supplier.name, supplier.id)
        self.list_supplier.setCurrentIndex(max(self.list_supplier.findData(chosen), 0))

    def _on_changes_changed(self, changes: ChangeSet) -> None:
        if changes.touches("online_suppliers", "price_lists", "suppliers"):
            self.reload()

    def selected_online(self) -> OnlineSupplierInfo | None:
        rows = self.online.selectionModel().selectedRows()
        return self.online_model.row(rows[0].row()) if rows else None

    def _on_lists_selection_changed(self) -> None:
        rows = self.lists.selectionModel().selectedRows()
        if rows:
            supplier_id = self.lists_model.row(rows[0].row()).supplier_id
            self.list_supplier.setCurrentIndex(max(self.list_supplier.findData(supplier_id), 0))

    # --- online suppliers ---------------------------------------------------------------------------------------

    def open_online_dialog(self, existing: OnlineSupplierInfo | None) -> OnlineSupplierDialog:
        dialog = OnlineSupplierDialog(self.context, self.suppliers, existing, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _id: self._done(_("The supplier's settings are saved.")))
        dialog.open()
        return dialog

    def _on_remove_online_clicked(self) -> None:
        chosen = self.selected_online()
        if chosen is None:
            return
        question = _("Disconnect {name}? Its settings, saved answers and password are removed.").format(
            name=chosen.supplier_name)  # fmt: skip
        secrets = self.context.environment.secrets
        self._confirm(question, lambda: remove_online_supplier(self._uow_factory, chosen.id, secrets=secrets),
                      _("{name} is disconnected.").format(name=chosen.supplier_name))  # fmt: skip

    # --- price lists --------------------------------------------------------------------------------------------

    def open_import_dialog(self) -> PriceListImportDialog | None:
        supplier = next((item for item in self.suppliers if item.id == self.list_supplier.currentData()), None)
        if supplier is None:
            self._on_failed(DomainError(_("Add the supplier in Warehouse → Purchasing first.")))
            return None
        dialog = PriceListImportDialog(self.context, supplier, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.reload())
        dialog.open()
        return dialog

    def _on_remove_list_clicked(self) -> None:
        rows = self.lists.selectionModel().selectedRows()
        if not rows:
            return
        chosen = self.lists_model.row(rows[0].row())
        question = _("Stop searching the price list of {name} and delete its rows?").format(name=chosen.supplier_name)

        def work() -> str:
            removed = remove_price_list(self._uow_factory, chosen.supplier_id)
            return ngettext("{count} row removed.", "{count} rows removed.", removed).format(count=removed)

        self._confirm(question, work, None)

    # --- helpers ------------------------------------------------------------------------------------------------

    def _confirm(self, question: str, action: object, done_text: str | None) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, _("Suppliers"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self.context.runner.run(
                    lambda _state: action(),  # type: ignore[operator]
                    lambda result: self._done(done_text or str(result)),
                    self._on_failed,
                )

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()
        return box

    def _done(self, text: str) -> None:
        self.message.setStyleSheet(SUCCESS_STYLE)
        self.message.setText(text)
        self.reload()

    def _on_failed(self, error: DomainError) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(str(error))
