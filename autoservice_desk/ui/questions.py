"""A question box over a dialog whose answer is acted on only once the box has closed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QMessageBox


def open_question(box: QMessageBox, answered: Callable[[QAbstractButton], None]) -> QMessageBox:
    """Open *box* window-modally; *answered* gets the button clicked, after the box has closed; returns the box."""
    # Closing the dialog under the box from inside the box's own signal would pull the box's parent away while Qt is
    # still delivering its click, so the answer waits for the next turn of the event loop.
    box.buttonClicked.connect(lambda clicked: QTimer.singleShot(0, lambda: answered(clicked)))
    box.open()
    return box
