"""The work-order editor: the intake details, labour and parts lines, recommendations, totals, the status steps
(refusals shown with their reasons) and the documents. Every read and change runs in the background."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.config import SHOP_CURRENCY, SHOP_TIMEZONE
from autoservice_desk.formatting import format_money
from autoservice_desk.i18n import _
from autoservice_desk.services import recommendations as recs
from autoservice_desk.services import work_order_lines as labour
from autoservice_desk.services import work_order_parts as parts
from autoservice_desk.services.booking_choices import BookingChoices, booking_choices
from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.services.printed_documents import PrintedDocumentInfo, get_document_pdf, list_documents
from autoservice_desk.services.quote_pdf import print_quote
from autoservice_desk.services.quotes import QuoteSummary, list_quotes
from autoservice_desk.services.vehicles import LowerMileageError
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_documents import print_work_order_document
from autoservice_desk.services.work_order_issue import issue_parts
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import (
    LabourLineInfo,
    RecommendationInfo,
    WorkOrderCard,
    WorkOrderStatus,
)
from autoservice_desk.services.work_orders import update_header
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.work_order_lines_models import (
    ROW_ID_ROLE,
    LabourLinesModel,
    PartLinesModel,
    RecommendationsModel,
)
from autoservice_desk.ui.screens.work_orders import line_dialogs as forms
from autoservice_desk.ui.screens.work_orders.editor_documents import DocumentsTab
from autoservice_desk.ui.screens.work_orders.editor_header import HeaderForm
from autoservice_desk.ui.screens.work_orders.editor_history import HistoryTab
from autoservice_desk.ui.screens.work_orders.pdf_preview import PdfPreviewDialog
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE, TITLE_STYLE

CardChange = Callable[[int, int], WorkOrderCard]  # (order id, version) → the card after the change, on a worker
Loaded = tuple[WorkOrderCard, BookingChoices, list[PrintedDocumentInfo], list[RecommendationInfo], list[QuoteSummary]]


def table_tab(model: QAbstractItemModel, buttons: Sequence[QPushButton]) -> tuple[QWidget, QTableView]:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addLayout(row)
    layout.addWidget(table, 1)
    return page, table


class WorkOrderEditor(QDialog):
    """Opens empty and fills in when the card arrives; `changed` after each change the editor makes."""

    changed = Signal(int)  # work order id

    def __init__(self, context: ScreenContext, work_order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context, self.uow_factory, self.work_order_id = context, context.uow_factory, work_order_id
        settings = context.environment.settings
        self.zone, self.currency = ZoneInfo(str(settings.get(SHOP_TIMEZONE))), str(settings.get(SHOP_CURRENCY))
        self.card: WorkOrderCard | None = None
        self.choices: BookingChoices | None = None
        self.previews: list[PdfPreviewDialog] = []
        self.setWindowTitle(_("Work order"))
        self.resize(1180, 780)
        self.title = QLabel(_("Loading…"))
        self.title.setStyleSheet(TITLE_STYLE)
        self.status_row = QHBoxLayout()
        self.status_buttons: dict[WorkOrderStatus, QPushButton] = {}
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.header = HeaderForm(self.zone)
        self.labour_model, self.parts_model = LabourLinesModel(self), PartLinesModel(self)
        self.recommendations_model = RecommendationsModel(self)
        self.add_job_button, self.edit_job_button = QPushButton(_("Add job…")), QPushButton(_("Change…"))
        self.remove_job_button = QPushButton(_("Remove"))
        self.stock_button, self.special_button = QPushButton(_("From stock…")), QPushButton(_("Special order…"))
        self.own_button, self.issue_button = QPushButton(_("Client's own…")), QPushButton(_("Issue parts"))
        self.remove_part_button = QPushButton(_("Remove"))
        self.recommend_button, self.accept_button = QPushButton(_("Recommend…")), QPushButton(_("Client agrees"))
        self.decline_button = QPushButton(_("Client declines"))
        labour_page, self.labour_table = table_tab(self.labour_model, (
            self.add_job_button, self.edit_job_button, self.remove_job_button))  # fmt: skip
        self.labour_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.labour_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        parts_page, self.parts_table = table_tab(
            self.parts_model,
            (self.stock_button, self.special_button, self.own_button, self.issue_button, self.remove_part_button),
        )
        recommendations_page, self.recommendations_table = table_tab(self.recommendations_model, (
            self.recommend_button, self.accept_button, self.decline_button))  # fmt: skip
        self.recommendations_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.documents = DocumentsTab(self.zone)
        self.history = HistoryTab(self.zone)
        self.tabs = QTabWidget()
        self.tabs.addTab(labour_page, _("Labour"))
        self.tabs.addTab(parts_page, _("Parts"))
        self.tabs.addTab(recommendations_page, _("Recommendations"))
        self.tabs.addTab(self.documents, _("Documents"))
        self.tabs.addTab(self.history, _("History"))
        self.totals = QLabel()
        self.totals.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.close_button = QPushButton(_("Close"))
        self._build_layout()
        self._connect_signals()
        self.setEnabled(True)
        self._set_editable(False)
        self.reload()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addLayout(self.status_row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.totals, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.close_button.clicked.connect(self.reject)
        self.header.save_requested.connect(self._on_header_save_requested)
        self.add_job_button.clicked.connect(self.open_add_job)
        self.edit_job_button.clicked.connect(self.open_edit_job)
        self.labour_table.doubleClicked.connect(lambda _index: self.open_edit_job())
        self.remove_job_button.clicked.connect(self._on_remove_job_clicked)
        self.stock_button.clicked.connect(self.open_stock_part)
        self.special_button.clicked.connect(self._on_special_clicked)
        self.own_button.clicked.connect(self._on_own_clicked)
        self.issue_button.clicked.connect(self.issue_reserved_parts)
        self.remove_part_button.clicked.connect(self._on_remove_part_clicked)
        self.recommend_button.clicked.connect(self._on_recommend_clicked)
        self.accept_button.clicked.connect(self._on_accept_clicked)
        self.decline_button.clicked.connect(self._on_decline_clicked)
        self.documents.print_requested.connect(self.print_document)
        self.documents.open_requested.connect(self.open_document)
        self.history.adopt_requested.connect(self.adopt_recommendation)
        self.history.quote_requested.connect(self.open_quote)
        QShortcut(QKeySequence("Insert"), self.labour_table, self.open_add_job)

    # --- reading ------------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the card, the catalog's choices and the printed documents in the background."""
        uow_factory, order_id = self.uow_factory, self.work_order_id

        def work(_state: object) -> Loaded:
            card = get_work_order(uow_factory, order_id)
            vehicle_id = card.header.vehicle_id
            earlier = recs.open_recommendations_for_vehicle(uow_factory, vehicle_id) if vehicle_id is not None else []
            return (card, booking_choices(uow_factory), list_documents(uow_factory, work_order_id=order_id), earlier,
                    list_quotes(uow_factory, work_order_id=order_id))  # fmt: skip

        self.context.runner.run(work, self._on_loaded, self.show_refusal)

    def _on_loaded(self, result: Loaded) -> None:
        card, self.choices, documents, earlier, quotes = result
        self.show_card(card)
        self.documents.set_documents(documents)
        self.history.show_history(card.id, earlier, quotes)

    def show_card(self, card: WorkOrderCard) -> None:
        self.card = card
        header = card.header
        late = f" · <span style='{ERROR_STYLE}'>{_('overdue')}</span>" if header.overdue else ""
        self.title.setText(f"{header.number} · {header.status_label}{late}")
        self.setWindowTitle(_("Work order {number}").format(number=header.number))
        self.header.show_header(header)
        self.labour_model.set_rows(card.labour)
        self.parts_model.set_rows(card.parts)
        self.recommendations_model.set_rows(card.recommendations)
        self._show_status_buttons(card)
        self._show_totals(card)
        self._set_editable(header.status.is_open)
        self.documents.set_printable(header.status.is_open, header.status is WorkOrderStatus.CANCELLED)

    def _show_status_buttons(self, card: WorkOrderCard) -> None:
        for button in self.status_buttons.values():
            button.deleteLater()
        self.status_buttons = {}
        for status in card.next_statuses:
            cancel = status is WorkOrderStatus.CANCELLED
            button = QPushButton(_("Cancel order…") if cancel else f"→ {status.label}")
            button.setObjectName(f"status_{status.value}")
            button.clicked.connect(lambda _checked=False, chosen=status: self.request_status(chosen))
            self.status_row.addWidget(button)
            self.status_buttons[status] = button

    def _show_totals(self, card: WorkOrderCard) -> None:
        totals, money = card.totals, lambda amount: format_money(amount, self.currency)
        vat = (
            (_("VAT {rate} % included: {amount}") if totals.vat_included else _("VAT {rate} %: {amount}")).format(
                rate=f"{totals.vat_rate:g}", amount=money(totals.vat)
            )
            if totals.vat_rate
            else _("Without VAT")
        )
        parts_text = [
            _("Labour: {amount}").format(amount=money(totals.labour_net)),
            _("Parts: {amount}").format(amount=money(totals.parts_net)),
            _("Discount: {amount}").format(amount=money(totals.discount)), vat,
            "<b>" + _("Total to pay: {amount}").format(amount=money(totals.total)) + "</b>",
        ]  # fmt: skip
        self.totals.setText(" · ".join(parts_text))

    def _set_editable(self, editable: bool) -> None:
        for button in (self.add_job_button, self.edit_job_button, self.remove_job_button, self.stock_button,
                       self.special_button, self.own_button, self.issue_button, self.remove_part_button,
                       self.recommend_button, self.accept_button, self.decline_button):  # fmt: skip
            button.setEnabled(editable)
        self.history.set_editable(editable)

    def show_refusal(self, error: DomainError | str) -> None:
        """The reason a change was refused, in red above the details until the next change succeeds."""
        self.message.setText(str(error))
        self.message.setStyleSheet(ERROR_STYLE + " font-weight: 600;")
        self.message.show()

    def show_note(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(SUCCESS_STYLE)
        self.message.show()

    # --- changing -----------------------------------------------------------------------------------------------

    def run_change(self, change: CardChange, note: str = "") -> None:
        """Run *change* with the version shown; the card it returns replaces the one shown."""
        if self.card is None:
            return
        order_id, version = self.card.id, self.card.version

        def done(card: WorkOrderCard) -> None:
            self.message.hide()
            self.show_card(card)
            if note:
                self.show_note(note)
            self.changed.emit(card.id)

        self.context.runner.run(lambda _state: change(order_id, version), done, self.show_refusal)

    def card_submitter(self, service: Callable[..., WorkOrderCard], *args: object) -> forms.Submit:
        """A form's submit: *service*(uow, id, version, *args, the form's input) (worker thread)."""
        assert self.card is not None
        order_id, version = self.card.id, self.card.version
        return lambda line: service(self.uow_factory, order_id, version, *args, line)

    def _after_form(self, card: WorkOrderCard) -> None:
        self.message.hide()
        self.show_card(card)
        self.changed.emit(card.id)

    def _open_form(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @staticmethod
    def selected_id(table: QTableView) -> int | None:
        """The id of the first selected row of *table* (its model gives ROW_ID_ROLE)."""
        rows = table.selectionModel().selectedRows()
        return int(rows[0].data(ROW_ID_ROLE)) if rows else None

    def selected_labour(self) -> LabourLineInfo | None:
        rows = self.labour_table.selectionModel().selectedRows()
        return self.labour_model.row(rows[0].row()) if rows else None

    def _on_header_save_requested(self, confirm_lower: bool = False) -> None:
        try:
            changes = self.header.changes(confirm_lower)
        except ValidationError as error:
            self.show_refusal(error)
            return
        if self.card is None:
            return
        order_id, version = self.card.id, self.card.version

        def refused(error: DomainError) -> None:
            if isinstance(error, LowerMileageError) and not confirm_lower:
                answer = QMessageBox.question(self, _("Lower mileage"), str(error))
                if answer == QMessageBox.StandardButton.Yes:
                    self._on_header_save_requested(True)
                    return
            self.show_refusal(error)

        self.context.runner.run(lambda _state: update_header(self.uow_factory, order_id, version, changes),
                                self._after_form, refused)  # fmt: skip

    def open_add_job(self) -> forms.AddLabourDialog | None:
        if self.card is None or self.choices is None:
            return None
        dialog = forms.AddLabourDialog(self.context, self.choices, self.card_submitter(labour.add_labour),
                                       self._after_form, self)  # fmt: skip
        self._open_form(dialog)
        return dialog

    def open_edit_job(self) -> forms.LabourLineDialog | None:
        line = self.selected_labour()
        if self.card is None or self.choices is None or line is None or not self.card.header.status.is_open:
            return None
        submit = self.card_submitter(labour.update_labour, line.id)
        dialog = forms.LabourLineDialog(self.context, line, self.choices, submit, self._after_form, self)
        self._open_form(dialog)
        return dialog

    def _on_remove_job_clicked(self) -> None:
        chosen = self.selected_id(self.labour_table)
        if chosen is not None:
            self.run_change(lambda order, version: labour.remove_labour(self.uow_factory, order, version, chosen))

    def open_stock_part(self) -> forms.StockPartDialog | None:
        if self.card is None:
            return None
        dialog = forms.StockPartDialog(self.context, self.card_submitter(parts.add_stock_part), self._after_form, self)
        self._open_form(dialog)
        return dialog

    def _on_special_clicked(self) -> None:
        if self.card is not None:
            self._open_form(forms.SpecialPartDialog(self.context, self.card_submitter(parts.add_special_order_part),
                                                    self._after_form, self))  # fmt: skip

    def _on_own_clicked(self) -> None:
        if self.card is not None:
            self._open_form(forms.OwnPartDialog(self.context, self.card_submitter(parts.add_own_part),
                                                self._after_form, self))  # fmt: skip

    def _on_remove_part_clicked(self) -> None:
        chosen = self.selected_id(self.parts_table)
        if chosen is not None:
            self.run_change(lambda order, version: parts.remove_part(self.uow_factory, order, version, chosen))

    def issue_reserved_parts(self) -> None:
        """Issue the selected parts lines (all reserved ones when none is selected) through a goods issue."""
        if self.card is None:
            return
        chosen = [int(index.data(ROW_ID_ROLE)) for index in self.parts_table.selectionModel().selectedRows()]
        ids = chosen or [line.id for line in self.card.parts if line.state in ("reserved", "arrived")]
        if not ids:
            self.show_refusal(_("No reserved parts to issue."))
            return

        def change(order_id: int, _version: int) -> WorkOrderCard:
            issue_parts(self.uow_factory, order_id, ids)
            return get_work_order(self.uow_factory, order_id)

        self.run_change(change, _("The parts have been issued."))

    def _on_recommend_clicked(self) -> None:
        if self.card is None or self.choices is None:
            return
        order_id = self.card.id

        def submit(item: recs.RecommendationInput) -> WorkOrderCard:
            recs.add_recommendation(self.uow_factory, order_id, item)
            return get_work_order(self.uow_factory, order_id)

        self._open_form(forms.RecommendationDialog(self.context, self.choices, submit, self._after_form, self))

    def _on_accept_clicked(self) -> None:
        chosen = self.selected_id(self.recommendations_table)
        if chosen is not None:
            self.run_change(lambda order, version: recs.accept_recommendation(self.uow_factory, chosen, order, version))

    def _on_decline_clicked(self) -> None:
        chosen = self.selected_id(self.recommendations_table)
        if chosen is None:
            return

        def change(order: int, _version: int) -> WorkOrderCard:
            recs.decline_recommendation(self.uow_factory, chosen)
            return get_work_order(self.uow_factory, order)

        self.run_change(change)

    def request_status(self, status: WorkOrderStatus) -> None:
        """Move the order to *status*; cancelling asks for the reason; a refusal stays shown with its reason."""
        reason = ""
        if status is WorkOrderStatus.CANCELLED:
            reason, ok = QInputDialog.getText(self, _("Cancel the work order"), _("Why is it cancelled?"))
            if not ok:
                return
        zone = self.zone
        self.run_change(lambda order, version: change_status(self.uow_factory, order, version, status, zone, reason))

    # --- documents ----------------------------------------------------------------------------------------------

    def print_document(self, kind: object) -> None:
        """Print (number and store) the document of *kind* and show its preview; the list is read again."""
        if self.card is None:
            return
        order_id, settings = self.card.id, self.context.environment.settings

        def work(_state: object) -> tuple[PrintedDocumentInfo, bytes, list[PrintedDocumentInfo]]:
            info = print_work_order_document(self.uow_factory, order_id, kind, settings)  # type: ignore[arg-type]
            return (info, get_document_pdf(self.uow_factory, info.id),
                    list_documents(self.uow_factory, work_order_id=order_id))  # fmt: skip

        self.context.runner.run(work, self._on_printed, self.show_refusal)

    def _on_printed(self, result: tuple[PrintedDocumentInfo, bytes, list[PrintedDocumentInfo]]) -> None:
        info, pdf, documents = result
        self.documents.set_documents(documents)
        self.message.hide()
        self.show_preview(pdf, info.title)

    def open_document(self, info: PrintedDocumentInfo) -> None:
        """Show a stored document as first printed."""
        self.context.runner.run(lambda _state: get_document_pdf(self.uow_factory, info.id),
                                lambda pdf: self._preview(pdf, info.title), self.show_refusal)  # fmt: skip

    def _preview(self, pdf: bytes, title: str) -> None:
        self.show_preview(pdf, title)

    def show_preview(self, pdf: bytes, title: str) -> PdfPreviewDialog:
        preview = PdfPreviewDialog(pdf, title, self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.finished.connect(lambda _result: self.previews.remove(preview) if preview in self.previews else None)
        self.previews.append(preview)
        preview.open()
        return preview

    def adopt_recommendation(self, recommendation_id: int) -> None:
        """Work recommended on an earlier visit, agreed to now: a labour line of this order."""
        if self.card is None:
            return
        uow_factory, order_id, version = self.uow_factory, self.card.id, self.card.version
        self.context.runner.run(
            lambda _state: recs.accept_recommendation(uow_factory, recommendation_id, order_id, version),
            self._on_adopted, self.show_refusal,
        )  # fmt: skip

    def _on_adopted(self, card: WorkOrderCard) -> None:
        self.message.hide()
        self.show_card(card)
        self.changed.emit(card.id)
        self.reload()  # the history tab no longer lists it

    def open_quote(self, quote: QuoteSummary) -> None:
        """The quote as the client got it, in the preview."""
        uow_factory, settings = self.uow_factory, self.context.environment.settings

        def work(_state: object) -> bytes:
            with tempfile.TemporaryDirectory() as folder:
                return print_quote(uow_factory, quote.id, settings, Path(folder) / "quote.pdf").read_bytes()

        title = _("Quote {number}: {article}").format(number=quote.display_number, article=quote.article)
        self.context.runner.run(work, lambda pdf: self._preview(pdf, title), self.show_refusal)
