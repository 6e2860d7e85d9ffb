"""Importing labour-time norms: the shared import steps (file, columns, check, report) for norms."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.norms_import import NORMS_FIELDS, NormsImportReport, check_mapping, import_norms
from autoservice_desk.services.table_import import TableImportReport
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.table_import import TableImportDialog


class NormsImportDialog(TableImportDialog):
    """Nothing is written until "Import"; norms with the same service, car and years get the file's hours."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, NORMS_FIELDS, check_mapping, import_norms, title=_("Import labour-time norms"),
            intro=_("Choose a CSV or Excel file with a service code or name, make, model, years, engine and hours."),
            file_caption=_("Import norms"), parent=parent,
        )  # fmt: skip

    def written_text(self, report: TableImportReport) -> str:
        """The norms added and the norms whose hours the file changed."""
        assert isinstance(report, NormsImportReport)
        return _("Imported: {added} new norms, {updated} updated.").format(added=report.added, updated=report.updated)

    def checked_text(self, report: TableImportReport) -> str:
        """Unlike clients, a clean check of norms says what the import will do: add some norms, update others."""
        assert isinstance(report, NormsImportReport)
        return _("{added} norms will be added, {updated} updated.").format(added=report.added, updated=report.updated)
