"""What the stock page does to a part: a scan finds it (or an unknown code is offered), the part form, labels."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QMessageBox, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.labels import part_labels
from autoservice_desk.services.locations import LocationInfo, find_location_by_code
from autoservice_desk.services.part_search import PartHit
from autoservice_desk.services.parts import PartGroupInfo, PartInfo, add_barcode, find_by_barcode, get_part
from autoservice_desk.services.parts import list_part_groups as read_part_groups
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.messages import show_error
from autoservice_desk.ui.screens.warehouse.label_files import ask_pdf_path, pdf_work, safe_file_name
from autoservice_desk.ui.screens.warehouse.part_dialog import PartDialog
from autoservice_desk.ui.screens.warehouse.place_dialogs import DefaultPlaceDialog
from autoservice_desk.ui.screens.warehouse.place_panel import PlacePanel


class PartActions:
    """A mixin of StockPage (a QWidget): the page gives the attributes and the two methods declared here."""

    context: ScreenContext
    _uow_factory: UnitOfWorkFactory
    can_edit: bool
    search: QLineEdit
    status: QLabel
    places: PlacePanel
    dialog: QWidget | None
    _search_timer: QTimer

    def selected_hit(self) -> PartHit | None:
        raise NotImplementedError

    def _show_found(self, part_id: int, text: str) -> None:
        raise NotImplementedError

    def open_part(self, part_id: int) -> None:
        raise NotImplementedError

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    # --- the scanner ----------------------------------------------------------------------------------------

    def _on_scanner_scanned(self, code: str) -> None:
        """A scanned part label finds its part; a shelf label chooses its place; an unknown code is offered."""
        self._search_timer.stop()
        self.search.blockSignals(True)
        self.search.setText(code)
        self.search.blockSignals(False)
        self.search.selectAll()
        uow_factory = self._uow_factory

        def work(state: OperationState) -> tuple[PartInfo | None, LocationInfo | None]:
            part = find_by_barcode(uow_factory, code)
            return part, None if part is not None else find_location_by_code(uow_factory, code)

        self.context.runner.run(work, lambda found: self._on_scan_read(code, *found), self._show_error)

    def _on_scan_read(self, code: str, part: PartInfo | None, place: LocationInfo | None) -> None:
        if part is not None:
            self._show_found(part.id, code)
        elif place is not None:
            self.search.clear()
            self.places.select_place(place.id)
        else:
            self.offer_unknown_barcode(code)

    def offer_unknown_barcode(self, code: str) -> QMessageBox:
        """Ask what an unknown barcode is: the chosen part's new packaging, or a part not in the catalog yet."""
        hit = self.selected_hit()
        box = QMessageBox(QMessageBox.Icon.Question, _("Unknown barcode"),
                          _("The barcode {code} is not in the catalog.").format(code=code),
                          QMessageBox.StandardButton.NoButton, self._widget())  # fmt: skip
        attach = create = None
        if self.can_edit and hit is not None:
            attach = box.addButton(_("Attach to {part}").format(part=f"{hit.article} {hit.brand}".strip()),
                                   QMessageBox.ButtonRole.AcceptRole)  # fmt: skip
        if self.can_edit:
            create = box.addButton(_("New part with this barcode…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(clicked: QAbstractButton) -> None:
            if clicked is attach and hit is not None:
                self.attach_barcode(hit.part_id, code)
            elif clicked is create:
                self.open_part_dialog(None, code)

        box.buttonClicked.connect(lambda clicked: QTimer.singleShot(0, lambda: answered(clicked)))
        self.dialog = box
        box.open()
        return box

    def attach_barcode(self, part_id: int, code: str) -> None:
        uow_factory = self._uow_factory

        def done(_result: None) -> None:
            self.status.setText(_("The barcode {code} is attached to the part.").format(code=code))
            self._show_found(part_id, code)

        self.context.runner.run(lambda _state: add_barcode(uow_factory, part_id, code), done, self._show_error)

    # --- editing --------------------------------------------------------------------------------------------

    def open_part_dialog(self, part_id: int | None, barcode: str = "") -> None:
        """Open the part form for *part_id* (None: a new part, with *barcode* filled in) once its data is read."""
        if part_id is None and not self.can_edit:
            return
        uow_factory = self._uow_factory

        def work(state: OperationState) -> tuple[PartInfo | None, list[PartGroupInfo]]:
            info = get_part(uow_factory, part_id) if part_id is not None else None
            return info, read_part_groups(uow_factory)

        self.context.runner.run(work, lambda read: self._show_part_dialog(*read, barcode), self._show_error)

    def _show_part_dialog(self, info: PartInfo | None, groups: list[PartGroupInfo], barcode: str) -> None:
        dialog = PartDialog(self.context, info, groups, self._widget(), barcode)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.open_part)
        dialog.open_existing_requested.connect(self.open_part)
        self.dialog = dialog
        dialog.open()

    def _on_edit_button_clicked(self) -> None:
        hit = self.selected_hit()
        if hit is not None:
            self.open_part_dialog(hit.part_id)

    def _on_default_place_button_clicked(self) -> None:
        hit = self.selected_hit()
        if hit is None:
            return
        uow_factory, part_id = self._uow_factory, hit.part_id
        self.context.runner.run(lambda _state: get_part(uow_factory, part_id), self._show_default_place_dialog,
                                self._show_error)  # fmt: skip

    def _show_default_place_dialog(self, part: PartInfo) -> None:
        title = " ".join(filter(None, (part.article, part.brand)))
        dialog = DefaultPlaceDialog(self.context, part.id, title, part.default_location_id, self.places.model.roots,
                                    self.places.current_id(), self._widget())  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _result: self.status.setText(_("Saved.")))
        self.dialog = dialog
        dialog.open()

    def _on_labels_menu_triggered(self, action: QAction) -> None:
        hit = self.selected_hit()
        if hit is None:
            return
        layout, part_id = str(action.data()), hit.part_id
        name = safe_file_name(_("label-{article}").format(article=hit.article))
        self.dialog = ask_pdf_path(self._widget(), _("Save part labels"), f"{name}.pdf",
                                   lambda path: self.save_part_labels([part_id], path, layout))  # fmt: skip

    def save_part_labels(self, part_ids: list[int], path: str, layout: str = "sheet") -> None:
        """Render labels of *part_ids* (an id repeated for more copies) to the PDF file *path* in the background."""
        uow_factory = self._uow_factory
        work = pdf_work(lambda: part_labels(uow_factory, part_ids, layout), path)
        self.context.runner.run(work, lambda saved: self.status.setText(
            _("Labels saved to {path}.").format(path=saved)), self._show_error)  # fmt: skip

    def _show_error(self, error: DomainError) -> None:
        show_error(self._widget(), error)
