"""Help → About: the version of the app and of Qt, the database in use and where the desk keeps its files."""

from __future__ import annotations

import html

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from autoservice_desk import __version__
from autoservice_desk.i18n import _
from autoservice_desk.ui.context import ScreenContext


class AboutDialog(QDialog):
    """Facts a support call starts with, selectable so they can be copied into an e-mail."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Autoservice desk"))
        paths = context.environment.paths
        title = QLabel(f"<h2>{html.escape(_('Autoservice desk'))} {__version__}</h2>")
        subtitle = QLabel(_("A workstation for car repair shops and dealer service centres."))
        subtitle.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows = [
            (_("Version"), __version__),
            (_("Qt / PySide"), f"{qVersion()} / {PySide6.__version__}"),
            (_("Database"), context.database or _("not connected")),
            (_("Data folder"), str(paths.data_dir)),
            (_("Settings folder"), str(paths.config_dir)),
            (_("Log folder"), str(paths.log_dir)),
        ]
        for label, value in rows:
            field = QLabel(value)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setObjectName(label)
            form.addRow(label + ":", field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.values = dict(rows)
