"""A barcode scanner typing into the stock search field: a fast burst of keys ending in Enter, told from typing."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

# A scanner sends a key every few milliseconds; a fast typist needs well over 50 ms between two keys.
MAX_KEY_INTERVAL_S = 0.05
MIN_CODE_LENGTH = 4
MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta})


class SearchScanFilter(QObject):
    """Watches one line edit; a fast burst ending in Enter is reported as `scanned` and its Enter swallowed.

    Slow typing and Enter behave as always, so a person who types an article and presses Enter still searches.
    The burst's characters stay in the field; `scanned` gives only the code (also after earlier text).
    """

    scanned = Signal(str)

    def __init__(self, edit: QLineEdit, max_interval_s: float = MAX_KEY_INTERVAL_S) -> None:
        super().__init__(edit)
        self._edit = edit
        self._max_interval = max_interval_s
        self._burst = ""
        self._last = 0.0
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """QObject override: time the keystrokes into the field; report a burst ended by Enter."""
        if watched is not self._edit or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if event.key() in MODIFIER_KEYS:  # a scanner presses Shift for capitals
            return super().eventFilter(watched, event)
        now = time.monotonic()
        fast = now - self._last <= self._max_interval
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code, self._burst = self._burst, ""
            if fast and len(code) >= MIN_CODE_LENGTH:
                self.scanned.emit(code)
                return True
            return super().eventFilter(watched, event)
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._burst = self._burst + text if fast else text
            self._last = now
        else:
            self._burst = ""
        return super().eventFilter(watched, event)
