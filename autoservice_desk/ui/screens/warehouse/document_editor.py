"""The stock document editor: header, lines, scanning, save and post in the background; posted ones read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.locations import LocationInfo, LocationNode, location_tree
from autoservice_desk.services.part_search import search_parts
from autoservice_desk.services.parts import add_barcode
from autoservice_desk.services.stock_documents import (
    add_lines,
    delete_draft,
    remove_line,
    set_counted,
    update_header,
    update_line,
)
from autoservice_desk.services.stock_forms import DocumentInfo, DocumentKind, LineInput
from autoservice_desk.services.stock_posting import post_document, reverse_document
from autoservice_desk.services.stock_queries import get_document
from autoservice_desk.services.suppliers import SupplierInfo, list_suppliers
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.warehouse.document_dialogs import (
    NewPartDialog,
    ReasonDialog,
    ReturnLinesDialog,
    SupplierDialog,
    unknown_code_box,
)
from autoservice_desk.ui.screens.warehouse.document_queue import QueuedDocumentView
from autoservice_desk.ui.screens.warehouse.line_edits import CurrentPlaces, UnknownCode, add_part, resolve_scan
from autoservice_desk.ui.screens.warehouse.pickers import PartPicker, place_choices
from autoservice_desk.ui.screens.warehouse.scanner import ScannerFilter


class DocumentEditor(QueuedDocumentView):
    """Every change goes to the service at once (a scan, a cell, a removed line); Save writes the header."""

    def __init__(
        self, context: ScreenContext, document: DocumentInfo, parent: QWidget | None = None, *, created: bool = False
    ) -> None:
        super().__init__(context, document, parent)
        self._created_version = document.version if created else None
        self._dirty = False
        self.dialog: QWidget | None = None  # the last sub-dialog or message box opened (tests reach it here)
        self.scanner = ScannerFilter(self)
        self._shortcuts = [QShortcut(QKeySequence(key), self) for key in ("Ctrl+S", "Ctrl+F")]
        self._connect_signals()
        self.show_document(document)
        (self.add_field if document.is_draft else self.table).setFocus()
        uow_factory, receipt = self.uow_factory, document.kind == DocumentKind.RECEIPT

        def choices(_state: OperationState) -> tuple[list[LocationNode], list[SupplierInfo]]:
            suppliers = list_suppliers(uow_factory, active_only=True) if receipt else []
            return location_tree(uow_factory, include_inactive=False), suppliers

        self.context.runner.run(choices, self._on_choices_read, lambda error: self.show_error(str(error)))

    def _connect_signals(self) -> None:
        self.header.edited.connect(self._on_header_edited)
        self.header.new_supplier_requested.connect(self._on_header_new_supplier_requested)
        self.lines_model.line_edited.connect(self._on_lines_model_line_edited)
        self.lines_model.counted_edited.connect(self._on_lines_model_counted_edited)
        self.lines_model.edit_refused.connect(self.show_error)
        self.add_field.returnPressed.connect(self._on_add_field_return_pressed)
        self.find_button.clicked.connect(lambda: self.open_part_picker(self.add_field.text().strip()))
        self.from_receipt_button.clicked.connect(self._on_from_receipt_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.post_button.clicked.connect(self.post)
        self.reverse_button.clicked.connect(self._on_reverse_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.reopen_button.clicked.connect(self.reopen)
        self.close_button.clicked.connect(self.reject)
        self.scanner.scanned.connect(self.handle_scan)
        self._shortcuts[0].activated.connect(self._on_save_button_clicked)
        self._shortcuts[1].activated.connect(self.add_field.setFocus)

    def _on_choices_read(self, choices: tuple[list[LocationNode], list[SupplierInfo]]) -> None:
        nodes, suppliers = choices
        places = place_choices(nodes)
        self.place_delegate.places = places
        self.header.set_places(places)
        if self.document.kind == DocumentKind.RECEIPT:
            self.header.set_suppliers(suppliers)

    # --- header ---------------------------------------------------------------------------------------------

    def _on_header_edited(self) -> None:
        self._dirty = True
        self.update_buttons()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _on_save_button_clicked(self) -> None:
        self.save()

    def save(self, then: Callable[[Any], None] | None = None) -> None:
        """Write the header (checked against the version this editor shows)."""
        if not self.document.is_draft:
            return
        header = self.header.header()
        uow_factory = self.uow_factory

        def saved(result: Any) -> None:
            self._dirty = False
            self.show_info(_("Saved."))
            if then is not None:
                then(result)

        self.enqueue(lambda _state, doc, _places: update_header(uow_factory, doc.id, doc.version, header), saved)

    def reopen(self) -> None:
        """Read the document again as it is now (another desk changed it); unsaved header changes are dropped."""
        uow_factory, document_id = self.uow_factory, self.document.id
        self.reopen_button.hide()

        def done(_result: Any) -> None:
            self._dirty = False
            self.show_info(_("The document is shown as it is now."))

        self._dirty = False
        self.enqueue(lambda _state, _doc, _places: get_document(uow_factory, document_id), done)

    def _on_header_new_supplier_requested(self) -> None:
        dialog = SupplierDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.supplier_created.connect(self._on_supplier_created)
        self.dialog = dialog
        dialog.open()

    def _on_supplier_created(self, supplier_id: int) -> None:
        uow_factory = self.uow_factory
        self.context.runner.run(lambda _state: list_suppliers(uow_factory, active_only=True),
                                lambda suppliers: self.header.set_suppliers(suppliers, supplier_id))  # fmt: skip

    # --- lines ----------------------------------------------------------------------------------------------

    def add_part(self, part_id: int) -> None:
        """One of the part on the header's places: a new line or one more on its line."""
        uow_factory = self.uow_factory
        self.enqueue(lambda _state, doc, places: add_part(uow_factory, doc, part_id, places))

    def _on_add_field_return_pressed(self) -> None:
        text = self.add_field.text().strip()
        if len(text) < 2:
            return
        uow_factory = self.uow_factory

        def find(_state: OperationState, doc: DocumentInfo, places: CurrentPlaces) -> DocumentInfo | str:
            hits = search_parts(uow_factory, text, limit=2, with_analogs=False)
            if len(hits) == 1:
                return add_part(uow_factory, doc, hits[0].part_id, places)
            return text  # none or several: the keeper chooses

        def found(result: DocumentInfo | str) -> None:
            if isinstance(result, DocumentInfo):
                self.add_field.clear()
                self.select_last_changed()
            else:
                self.open_part_picker(result)

        self.enqueue(find, found)

    def open_part_picker(self, text: str = "") -> PartPicker:
        picker = PartPicker(self.context, _("Add a part"), text, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.chosen.connect(self._on_picker_chosen)
        self.dialog = picker
        picker.open()
        return picker

    def _on_picker_chosen(self, part_id: int) -> None:
        self.add_field.clear()
        self.add_part(part_id)

    def _on_from_receipt_button_clicked(self) -> None:
        if self.document.against_id is None:
            return
        dialog = ReturnLinesDialog(self.context, self.document.against_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.lines_chosen.connect(self.add_lines)
        self.dialog = dialog
        dialog.open()

    def add_lines(self, lines: list[LineInput]) -> None:
        uow_factory = self.uow_factory
        self.enqueue(lambda _state, doc, _places: add_lines(uow_factory, doc.id, doc.version, lines))

    def _on_lines_model_line_edited(self, line_id: int, line: LineInput) -> None:
        uow_factory = self.uow_factory
        self.enqueue(lambda _state, doc, _places: update_line(uow_factory, doc.id, doc.version, line_id, line))

    def _on_lines_model_counted_edited(self, line_id: int, counted: Any) -> None:
        uow_factory = self.uow_factory
        self.enqueue(lambda _state, doc, _places: set_counted(uow_factory, doc.id, doc.version, {line_id: counted}))

    def _on_remove_button_clicked(self) -> None:
        uow_factory = self.uow_factory
        for line_id in self.selected_line_ids():
            self.enqueue(lambda _state, doc, _places, line_id=line_id: remove_line(  # type: ignore[misc]
                uow_factory, doc.id, doc.version, line_id))  # fmt: skip

    # --- scanning ---------------------------------------------------------------------------------------------

    def handle_scan(self, code: str) -> None:
        """A scanned code: a part's adds it, a place's label chooses the place, an unknown one is asked about."""
        if not self.document.is_draft:
            self.show_error(_("The document is posted; nothing can be added to it."))
            return
        uow_factory = self.uow_factory
        self.enqueue(lambda _state, doc, places: resolve_scan(uow_factory, doc, code, places), self._on_scan_resolved)

    def _on_scan_resolved(self, result: Any) -> None:
        if isinstance(result, DocumentInfo):
            self.select_last_changed()
        elif isinstance(result, LocationInfo):
            self.show_info(self.header.take_scanned_place(result))
        elif isinstance(result, UnknownCode):
            self._ask_about(result.code)

    def _ask_about(self, code: str) -> None:
        box, attach, create = unknown_code_box(self, code)
        attach.clicked.connect(lambda: self._attach_code(code))
        create.clicked.connect(lambda: self._create_part(code))
        self.dialog = box
        box.open()

    def _attach_code(self, code: str) -> None:
        picker = PartPicker(self.context, _("Attach the barcode {code} to a part").format(code=code), "", self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        uow_factory = self.uow_factory

        def attach(part_id: int) -> None:
            def work(_state: OperationState, doc: DocumentInfo, places: CurrentPlaces) -> DocumentInfo:
                add_barcode(uow_factory, part_id, code)
                return add_part(uow_factory, doc, part_id, places)

            self.enqueue(work, lambda _result: self.show_info(_("The barcode {code} is now the part's.").format(
                code=code)))  # fmt: skip

        picker.chosen.connect(attach)
        self.dialog = picker
        picker.open()

    def _create_part(self, code: str) -> None:
        dialog = NewPartDialog(self.context, code, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.part_created.connect(self.add_part)
        self.dialog = dialog
        dialog.open()

    # --- posting, reversing, deleting -------------------------------------------------------------------------

    def post(self) -> None:
        """Save the header if it changed, then post in the background; a refusal leaves the draft as it was."""
        if not self.document.is_draft:
            return
        uow_factory = self.uow_factory

        def work(state: OperationState, doc: DocumentInfo, _places: CurrentPlaces) -> DocumentInfo:
            return post_document(uow_factory, doc.id, doc.version, progress=state.report)

        if self._dirty:
            self.save()
        self.show_info(_("Posting…"))
        self.enqueue(work, self._on_posted, progress=True,
                     failure_note=_("Nothing has been posted; the document is still a draft."))  # fmt: skip

    def _on_posted(self, document: DocumentInfo) -> None:
        self.show_info(_("Posted as {number}.").format(number=document.display_number))

    def _on_reverse_button_clicked(self) -> None:
        uow_factory, document_id = self.uow_factory, self.document.id
        dialog = ReasonDialog(
            self.context.runner, _("Reverse {number}").format(number=self.document.display_number),
            _("A reversal posts the opposite moves; the document itself stays as it was."),
            lambda reason: reverse_document(uow_factory, document_id, reason), self,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.completed.connect(self._on_reversed)
        self.dialog = dialog
        dialog.open()

    def _on_reversed(self, reversal: DocumentInfo) -> None:
        uow_factory, document_id = self.uow_factory, self.document.id
        message = _("Reversed by {number}.").format(number=reversal.display_number)
        self.enqueue(lambda _state, _doc, _places: get_document(uow_factory, document_id),
                     lambda _result: self.show_info(message))  # fmt: skip

    def _on_delete_button_clicked(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, _("Delete the draft"), _("Delete this draft with all its lines?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(self.delete)
        self.dialog = box
        box.open()

    def delete(self) -> None:
        uow_factory = self.uow_factory
        self.enqueue(lambda _state, doc, _places: delete_draft(uow_factory, doc.id, doc.version),
                     lambda _result: QDialog.reject(self))  # fmt: skip

    # --- closing --------------------------------------------------------------------------------------------

    def reject(self) -> None:
        """QDialog override: not while a change is being written; unsaved header changes are asked about."""
        if self.busy:
            self.show_info(_("Wait a moment: the last change is still being written."))
            return
        if self._dirty and self.document.is_draft:
            box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"), _("Save the changes to the header?"),
                              QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                              | QMessageBox.StandardButton.Cancel, self)  # fmt: skip
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.button(QMessageBox.StandardButton.Save).clicked.connect(lambda: self.save(lambda _r: self._close()))
            box.button(QMessageBox.StandardButton.Discard).clicked.connect(self._discard_and_close)
            self.dialog = box
            box.open()
            return
        self._close()

    def _discard_and_close(self) -> None:
        self._dirty = False
        self._close()

    def _close(self) -> None:
        document = self.document
        if document.is_draft and not document.lines and document.version == self._created_version:
            # A new document closed as it was made (nothing added, nothing saved) is not kept as an empty draft.
            uow_factory = self.uow_factory
            self.context.runner.run(lambda _state: delete_draft(uow_factory, document.id, document.version),
                                    lambda _result: None, lambda _error: None)  # fmt: skip
        self.scanner.remove()
        QDialog.reject(self)
