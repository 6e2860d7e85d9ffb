"""Settings → Language: automatic (follow the system), Russian or English."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from autoservice_desk.config import LANGUAGE
from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.preferences import update_settings
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.settings.page import SettingsPage

# Language names are written in their own language, so a person who cannot read the current one finds theirs.
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


class LanguagePage(SettingsPage):
    """Changes `ui.language`; the whole interface switches when the app starts next time."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Language"), _("The language of the screens, documents and messages."), parent)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName(LANGUAGE.key)
        for code in LANGUAGE.choices:
            self.language_combo.addItem(LANGUAGE_NAMES.get(code) or _("Automatic (the system's language)"), code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(context.environment.settings.get(LANGUAGE)))
        form = QFormLayout()
        form.addRow(_(LANGUAGE.description) + ":", self.language_combo)
        self.body.addLayout(form)
        self.set_note(_("The new language is used after the app restarts."))
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)

    def _on_save_button_clicked(self) -> None:
        try:
            update_settings(self.context.environment, {LANGUAGE.key: self.language_combo.currentData()})
        except DomainError as error:
            self.show_status(_("Nothing was saved: {reason}").format(reason=error), error=True)
            return
        self.show_status(_("Saved. Restart the app to switch the language."))
