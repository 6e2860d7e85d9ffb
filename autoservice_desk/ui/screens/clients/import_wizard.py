"""Importing clients from a file: choose it, check the guessed columns, read the report, import all or valid rows."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.client_import import ImportReport, check_mapping
from autoservice_desk.services.client_import_fields import CLIENT_FIELDS
from autoservice_desk.services.client_import_writer import import_clients
from autoservice_desk.services.table_import import TableImportReport
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.table_import import TableImportDialog


class ImportDialog(TableImportDialog):
    """Nothing is written until "Import"; rows with the phone of a known client add their car to that client."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, CLIENT_FIELDS, check_mapping, import_clients, title=_("Import clients and cars"),
            intro=_("Choose a CSV or Excel file. The first row must hold the column titles."),
            file_caption=_("Import clients"), parent=parent,
        )  # fmt: skip

    def written_text(self, report: TableImportReport) -> str:
        """New clients, their cars and the rows that joined clients already known."""
        assert isinstance(report, ImportReport)
        return _("Imported: {clients} new clients, {cars} cars; {matched} rows joined known clients.").format(
            clients=report.new_clients, cars=report.vehicles, matched=report.matched_clients
        )
