"""The Settings screen: database, language, shop details and users."""

from autoservice_desk.ui.screens.settings.screen import SettingsScreen

__all__ = ["SettingsScreen"]
