"""The small interface every screen offers the main window."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from autoservice_desk.ui.context import ScreenContext


class Screen(QWidget):
    """A screen hosted by the main window; subclasses build their layout in code."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def show_page(self, page: str) -> None:
        """Bring up a named part of the screen (Settings → "database"); screens without pages ignore it."""

    def save_state(self) -> None:
        """Write splitter and column state to `context.state`; called when the window closes."""
