"""The quoting screen's dialogs: choosing a client, choosing an open work order, saving a quote, adding an offer to a
work order."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.work_order_board import WorkOrderFilter, WorkOrderRow, list_work_orders
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.form import FormDialog
from autoservice_desk.ui.screens.clients.card_dialogs import ClientPicker

SEARCH_DELAY_MS = 250
ORDER_LIMIT = 50


def order_text(row: WorkOrderRow) -> str:
    return " · ".join(part for part in (row.number, row.client_name, row.car, row.plate, row.status.label) if part)


class WorkOrderChooser(QWidget):
    """A search field (number, plate or client) over the open work orders, searched in the background."""

    chosen_changed = Signal()

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self._uow_factory = context.uow_factory
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Number, plate or client"))
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget()
        self._rows: list[WorkOrderRow] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self._timer.timeout.connect(self.refresh)
        self.results.currentRowChanged.connect(lambda _row: self.chosen_changed.emit())
        self.refresh()

    def refresh(self) -> None:
        """Look the open orders up for what the field holds (in the background)."""
        self._timer.stop()
        self._generation += 1
        generation, text = self._generation, self.query.text()

        def work(_state: OperationState) -> list[WorkOrderRow]:
            return list_work_orders(self._uow_factory, WorkOrderFilter(text=text), limit=ORDER_LIMIT)

        self.context.runner.run(work, lambda rows: self._show(generation, rows), lambda _error: None)

    def _show(self, generation: int, rows: list[WorkOrderRow]) -> None:
        if generation != self._generation:
            return
        self._rows = list(rows)
        self.results.clear()
        for row in rows:
            item = QListWidgetItem(order_text(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)

    @property
    def rows(self) -> list[WorkOrderRow]:
        return list(self._rows)

    def choose(self, work_order_id: int) -> bool:
        for number, row in enumerate(self._rows):
            if row.id == work_order_id:
                self.results.setCurrentRow(number)
                return True
        return False

    def chosen(self) -> WorkOrderRow | None:
        row = self.results.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None


class ClientChooseDialog(QDialog):
    """Find a client and choose them; `chosen` carries the id and the text shown for them."""

    chosen = Signal(int, str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose the client"))
        self.resize(520, 420)
        self.picker = ClientPicker(context)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.picker.results.itemDoubleClicked.connect(lambda _item: self.accept())

    def accept(self) -> None:
        """QDialog override: only with a client chosen."""
        client_id, item = self.picker.chosen_id(), self.picker.results.currentItem()
        if client_id is None or item is None:
            return
        self.chosen.emit(client_id, item.text().split(" · ")[0])
        super().accept()


class SaveQuoteDialog(FormDialog):
    """Whom the quote is for (nobody, the search's client, another client, a work order) and a comment."""

    NOBODY, SEARCH_CLIENT, CLIENT, WORK_ORDER = "nobody", "search_client", "client", "work_order"

    def __init__(
        self, context: ScreenContext, save: Callable[[dict[str, Any]], Any], *, offers: int, chosen: int,
        client: tuple[int, str] | None = None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(context.runner, _("Save the quote"), parent)
        self.setMinimumWidth(560)
        self._save = save
        self._client = client
        self.saved_result: Any = None
        self.set_intro(_("{offers} offers are kept as they are now; {chosen} of them are marked as chosen.").format(
            offers=offers, chosen=chosen))  # fmt: skip
        self.kind = QComboBox()
        self.kind.addItem(_("Nobody (standalone quote)"), self.NOBODY)
        if client is not None:
            self.kind.addItem(_("Client {name}").format(name=client[1]), self.SEARCH_CLIENT)
        self.kind.addItem(_("Another client…"), self.CLIENT)
        self.kind.addItem(_("A work order…"), self.WORK_ORDER)
        self.client_picker = ClientPicker(context)
        self.order_chooser = WorkOrderChooser(context)
        self.comment = QLineEdit()
        self.add_field("for", _("For"), self.kind)
        self.add_field("client_id", _("Client"), self.client_picker)
        self.add_field("work_order_id", _("Work order"), self.order_chooser)
        self.add_field("comment", _("Comment"), self.comment)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.kind.setCurrentIndex(self.kind.findData(self.SEARCH_CLIENT if client is not None else self.NOBODY))
        self._on_kind_current_index_changed()

    def choose(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def _on_kind_current_index_changed(self) -> None:
        kind = self.kind.currentData()
        for widget, wanted in ((self.client_picker, self.CLIENT), (self.order_chooser, self.WORK_ORDER)):
            widget.setVisible(kind == wanted)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(kind == wanted)
        self.adjustSize()

    def links(self) -> dict[str, Any]:
        """What the quote is linked to (keywords of services/quotes.save_quote); raises ValidationError."""
        kind = self.kind.currentData()
        if kind == self.SEARCH_CLIENT and self._client is not None:
            return {"client_id": self._client[0]}
        if kind == self.CLIENT:
            client_id = self.client_picker.chosen_id()
            if client_id is None:
                raise ValidationError(_("Find and choose the client."), "client_id")
            return {"client_id": client_id}
        if kind == self.WORK_ORDER:
            order = self.order_chooser.chosen()
            if order is None:
                raise ValidationError(_("Find and choose the work order."), "work_order_id")
            return {"work_order_id": order.id, "client_id": order.client_id}
        return {}

    def accept(self) -> None:
        """FormDialog override: save in the background; an error keeps the dialog open."""
        try:
            links = self.links()
        except ValidationError as error:
            self.show_error(error)
            return
        links["comment"] = self.comment.text()
        self.submit(lambda _state: self._save(links), self._on_saved)

    def _on_saved(self, result: Any) -> None:
        self.saved_result = result


class AddToWorkOrderDialog(FormDialog):
    """An open work order and a quantity for one offer; *add* runs in the background with (order row, quantity)."""

    def __init__(
        self, context: ScreenContext, offer_text: str, add: Callable[[WorkOrderRow, Decimal], Any], *,
        quantity: Decimal = Decimal(1), work_order_id: int | None = None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(context.runner, _("Add to a work order"), parent)
        self.resize(820, 480)
        self._add = add
        self._wanted_order = work_order_id
        self.result_card: Any = None
        self.add_info(_("Part"), offer_text)
        self.order_chooser = WorkOrderChooser(context)
        self.quantity = QLineEdit(format(quantity.normalize(), "f"))
        self.add_field("work_order_id", _("Work order"), self.order_chooser)
        self.add_field("quantity", _("Quantity"), self.quantity)
        self.set_intro(_("Our own stock is reserved on the order at once; a supplier's offer becomes a special "
                         "order line the warehouse will buy."))  # fmt: skip
        self.ok_button.setText(_("Add"))
        self.order_chooser.results.model().rowsInserted.connect(self._on_orders_shown)

    def _on_orders_shown(self) -> None:
        if self._wanted_order is not None and self.order_chooser.choose(self._wanted_order):
            self._wanted_order = None

    def accept(self) -> None:
        """FormDialog override: the chosen order and quantity go to the service; a refusal is shown here."""
        order = self.order_chooser.chosen()
        if order is None:
            self.show_error(ValidationError(_("Find and choose the work order."), "work_order_id"))
            return
        try:
            quantity = Decimal(self.quantity.text().strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            self.show_error(ValidationError(_("Enter the quantity, for example 2."), "quantity"))
            return
        self.submit(lambda _state: self._add(order, quantity), self._on_added)

    def _on_added(self, card: Any) -> None:
        self.result_card = card
