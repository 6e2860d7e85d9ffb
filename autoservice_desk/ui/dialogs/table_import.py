"""The steps of every import from a file: choose it, check the guessed columns, read the report, import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.table_import import (
    ImportCancelled,
    ImportFields,
    ImportService,
    Preview,
    TableImportReport,
)
from autoservice_desk.ui.background import OperationCancelled, OperationHandle, OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE

MAX_PROBLEMS_SHOWN = 1000
T = TypeVar("T")


class TableImportDialog(QDialog):
    """Nothing is written until "Import"; a failed or cancelled import leaves the database as it was.

    A subclass gives its fields, the check of a mapping, its import service and texts, and words the outcome.
    """

    def __init__(
        self, context: ScreenContext, fields: ImportFields, check_mapping: Callable[[dict[str, int]], None],
        service: ImportService[TableImportReport], *, title: str, intro: str, file_caption: str,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.fields = fields
        self.check_mapping = check_mapping
        self.service = service
        self.file_caption = file_caption
        self.path: Path | None = None
        self.preview: Preview | None = None
        self.report: TableImportReport | None = None
        self._operation: OperationHandle | None = None
        self.setWindowTitle(title)
        self.resize(820, 640)
        self.file_label = QLabel(intro)
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton(_("Choose file…"))
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels([_("Column in the file"), _("Example"), _("Goes to")])
        self.columns.verticalHeader().hide()
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.problems = QTableWidget(0, 3)
        self.problems.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Problem")])
        self.problems.verticalHeader().hide()
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.check_button = QPushButton(_("Check"))
        self.import_button = QPushButton(_("Import"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.close_button = QPushButton(_("Close"))
        self._build()
        self._connect_signals()
        self._update_buttons()

    # --- what a kind of import says --------------------------------------------------------------------------

    def written_text(self, report: TableImportReport) -> str:
        """What an import wrote, after the row counts."""
        raise NotImplementedError

    def checked_text(self, report: TableImportReport) -> str | None:
        """What a check without problems would write, after the row counts (nothing by default)."""
        return None

    # --- layout and buttons -----------------------------------------------------------------------------------

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)
        for button in (self.check_button, self.import_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.columns, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.close_button.clicked.connect(self.reject)

    def _update_buttons(self) -> None:
        running = self._operation is not None
        ready = self.preview is not None and not running
        self.choose_button.setEnabled(not running)
        self.check_button.setEnabled(ready)
        self.import_button.setEnabled(ready and not (self.report is not None and self.report.written))
        self.cancel_button.setVisible(running)
        self.close_button.setEnabled(not running)
        self.progress.setVisible(running)
        report = self.report
        if report is not None and report.invalid_rows and not report.written:
            self.import_button.setText(
                ngettext("Import {count} valid row", "Import {count} valid rows", report.valid_rows).format(
                    count=report.valid_rows
                )
            )
        else:
            self.import_button.setText(_("Import"))

    # --- the file and its columns ---------------------------------------------------------------------------

    def _on_choose_button_clicked(self) -> None:
        dialog = QFileDialog(self, self.file_caption, str(Path.home()), _("Tables (*.xlsx *.xlsm *.csv *.txt)"))
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
        self._start(lambda state: self.fields.preview_file(path), lambda preview: self._on_preview_read(path, preview))

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
            for field in self.fields.fields:
                combo.addItem(_(field.label), field.key)
            combo.setCurrentIndex(max(combo.findData(guessed.get(column, "")), 0))
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            self.columns.setCellWidget(column, 2, combo)
        self._update_buttons()

    def mapping(self) -> dict[str, int]:
        chosen: dict[str, int] = {}
        for column in range(self.columns.rowCount()):
            combo = self.columns.cellWidget(column, 2)
            if isinstance(combo, QComboBox) and combo.currentData():
                chosen.setdefault(str(combo.currentData()), column)
        return chosen

    def set_field(self, column: int, key: str) -> None:
        combo = self.columns.cellWidget(column, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(key))

    def _on_mapping_changed(self) -> None:
        self.report = None
        self.problems.hide()
        self.summary.clear()
        self._update_buttons()

    # --- checking and importing -----------------------------------------------------------------------------

    def check(self) -> None:
        """Check every row (nothing is written) and show the report."""
        if self.path is None:
            return
        try:
            self.check_mapping(self.mapping())
        except DomainError as error:
            self._show_message(str(error), ERROR_STYLE)
            return
        self._run(dry_run=True, skip_invalid=False)

    def run_import(self) -> None:
        """Import in one transaction: every row, or the valid ones when the check found problems."""
        self._run(dry_run=False, skip_invalid=self.report is not None and self.report.invalid_rows > 0)

    def _run(self, *, dry_run: bool, skip_invalid: bool) -> None:
        path, mapping = self.path, self.mapping()
        if path is None:
            return

        def work(state: OperationState) -> TableImportReport:
            try:
                return self.service(self.uow_factory, path, mapping, dry_run=dry_run, skip_invalid=skip_invalid,
                                    progress=state.report, cancelled=lambda: state.cancelled)  # fmt: skip
            except ImportCancelled:
                raise OperationCancelled from None

        self._start(work, self._show_report)

    def _start(self, work: Callable[[OperationState], T], on_success: Callable[[T], None]) -> None:
        def succeeded(result: T) -> None:
            self._operation = None
            on_success(result)
            self._update_buttons()

        self.progress.setRange(0, 0)
        self._operation = self.context.runner.run(work, succeeded, self._on_failed, self._on_progress)
        self._update_buttons()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_failed(self, error: DomainError) -> None:
        self._operation = None
        report = getattr(error, "report", None)
        if isinstance(report, TableImportReport):
            self._show_report(report)
        self._show_message(str(error), ERROR_STYLE)
        self._update_buttons()

    def _on_cancel_button_clicked(self) -> None:
        if self._operation is not None:
            self._operation.cancel()
            self._operation = None
        self._show_message(_("Stopped. Nothing was imported."), ERROR_STYLE)
        self._update_buttons()

    def _show_message(self, text: str, style: str) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(style)

    def _show_report(self, report: TableImportReport) -> None:
        self.report = report
        lines = [
            ngettext("{count} row in the file", "{count} rows in the file", report.total_rows).format(
                count=report.total_rows
            )
            + _(": {valid} without errors, {invalid} with errors.").format(
                valid=report.valid_rows, invalid=report.invalid_rows
            )
        ]
        if report.written:
            lines.append(self.written_text(report))
        elif report.invalid_rows:
            lines.append(_("Fix the file and check again, or import only the rows without errors."))
        elif (checked := self.checked_text(report)) is not None:
            lines.append(checked)
        self._show_message(" ".join(lines), SUCCESS_STYLE if report.written or not report.invalid_rows else "")
        shown = report.problems[:MAX_PROBLEMS_SHOWN]
        self.problems.setRowCount(len(shown))
        for row, problem in enumerate(shown):
            cells = (str(problem.row), self.fields.title(problem.column), problem.message)
            for column, text in enumerate(cells):
                self.problems.setItem(row, column, QTableWidgetItem(text))
        self.problems.setVisible(bool(shown))
        self._update_buttons()

    def reject(self) -> None:
        """QDialog override: closing while an import runs cancels it (the transaction rolls back)."""
        if self._operation is not None:
            self._operation.cancel()
            self._operation = None
        super().reject()
