"""Importing labour-time norms: the client import dialog's steps (file, columns, check, report) for norms."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QTableWidgetItem, QWidget

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.client_import import ImportCancelled, Preview
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.norms_import import (
    FIELDS_BY_KEY,
    NORM_FIELDS,
    NormsImportReport,
    check_mapping,
    import_norms,
    preview_file,
)
from autoservice_desk.ui.background import OperationCancelled, OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.clients.import_wizard import MAX_PROBLEMS_SHOWN, ImportDialog
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE


class NormsImportDialog(ImportDialog):
    """Nothing is written until "Import"; norms with the same service, car and years get the file's hours."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setWindowTitle(_("Import labour-time norms"))
        self.file_label.setText(
            _("Choose a CSV or Excel file with a service code or name, make, model, years, engine and hours.")
        )

    def _on_choose_button_clicked(self) -> None:
        dialog = QFileDialog(self, _("Import norms"), str(Path.home()), _("Tables (*.xlsx *.xlsm *.csv *.txt)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def load_file(self, path: Path) -> None:
        """Read the start of *path* in the background and show its columns with the guessed fields."""
        self.report = None
        self.problems.hide()
        self.summary.clear()
        self._start(lambda state: preview_file(path), lambda preview: self._on_preview_read(path, preview))

    def _on_preview_read(self, path: Path, preview: Preview) -> None:
        self.path, self.preview = path, preview
        self.file_label.setText(_("File: {name}").format(name=path.name))
        guessed = {column: key for key, column in preview.mapping.items()}
        self.columns.setRowCount(len(preview.headers))
        for column, header in enumerate(preview.headers):
            example = next((row[column] for row in preview.rows if column < len(row) and row[column]), "")
            self.columns.setItem(column, 0, QTableWidgetItem(header))
            self.columns.setItem(column, 1, QTableWidgetItem(example))
            combo = QComboBox()
            combo.addItem(_("— do not import —"), "")
            for field in NORM_FIELDS:
                combo.addItem(_(field.label), field.key)
            combo.setCurrentIndex(max(combo.findData(guessed.get(column, "")), 0))
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            self.columns.setCellWidget(column, 2, combo)
        self._update_buttons()

    def check(self) -> None:
        """Check every row (nothing is written) and show the report."""
        path, mapping = self.path, self.mapping()
        if path is None:
            return
        try:
            check_mapping(mapping)
        except DomainError as error:
            self._show_message(str(error), ERROR_STYLE)
            return

        def work(state: OperationState) -> NormsImportReport:
            try:
                return import_norms(self.uow_factory, path, mapping, dry_run=True, progress=state.report,
                                    cancelled=lambda: state.cancelled)  # fmt: skip
            except ImportCancelled:
                raise OperationCancelled from None

        self._start(work, self._show_report)

    def run_import(self) -> None:
        """Import in one transaction: every row, or the valid ones when the check found problems."""
        path, mapping, skip = self.path, self.mapping(), self.report is not None and self.report.invalid_rows > 0
        if path is None:
            return

        def work(state: OperationState) -> NormsImportReport:
            try:
                return import_norms(self.uow_factory, path, mapping, skip_invalid=skip, progress=state.report,
                                    cancelled=lambda: state.cancelled)  # fmt: skip
            except ImportCancelled:
                raise OperationCancelled from None

        self._start(work, self._show_report)

    def _on_failed(self, error: DomainError) -> None:
        self._operation = None
        report = getattr(error, "report", None)
        if isinstance(report, NormsImportReport):
            self._show_report(report)
        self._show_message(str(error), ERROR_STYLE)
        self._update_buttons()

    # The base dialog's buttons read only total, valid and invalid rows and `written`, which both reports have.
    def _show_report(self, report: NormsImportReport) -> None:  # type: ignore[override]
        self.report = report  # type: ignore[assignment]
        lines = [
            ngettext("{count} row in the file", "{count} rows in the file", report.total_rows).format(
                count=report.total_rows
            )
            + _(": {valid} without errors, {invalid} with errors.").format(
                valid=report.valid_rows, invalid=report.invalid_rows
            )
        ]
        if report.written:
            lines.append(_("Imported: {added} new norms, {updated} updated.").format(
                added=report.added, updated=report.updated))  # fmt: skip
        elif report.invalid_rows:
            lines.append(_("Fix the file and check again, or import only the rows without errors."))
        else:
            lines.append(_("{added} norms will be added, {updated} updated.").format(
                added=report.added, updated=report.updated))  # fmt: skip
        self._show_message(" ".join(lines), SUCCESS_STYLE if report.written or not report.invalid_rows else "")
        shown = report.problems[:MAX_PROBLEMS_SHOWN]
        self.problems.setRowCount(len(shown))
        for row, problem in enumerate(shown):
            field = FIELDS_BY_KEY.get(problem.column)
            cells = (str(problem.row), _(field.label) if field else problem.column, problem.message)
            for column, text in enumerate(cells):
                self.problems.setItem(row, column, QTableWidgetItem(text))
        self.problems.setVisible(bool(shown))
        self._update_buttons()
