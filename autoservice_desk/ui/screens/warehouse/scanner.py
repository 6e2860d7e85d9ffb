"""A keyboard-wedge barcode scanner: tell its fast burst of keys ending with Enter from a person typing."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QWidget

MIN_LENGTH = 4  # the shortest code a scanner sends: a shelf label "A-01" (EAN-8 and EAN-13 are longer)
MAX_GAP_MS = 50.0  # a scanner types a key every few milliseconds; people need 80 ms or more
# Qt hands a key a child ignored on to its parent; a parent seeing "the same key" this soon after is that hand-on.
PROPAGATION_MS = 5.0
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ScanDetector:
    """No Qt inside: feed it typed characters and Enter presses with their times, it answers with scanned codes.

    A scan is at least *min_length* characters, each typed within *max_gap_ms* of the one before, and an Enter
    within *max_gap_ms* of the last one. Anything slower is a person typing, and Enter is theirs.
    """

    def __init__(self, min_length: int = MIN_LENGTH, max_gap_ms: float = MAX_GAP_MS) -> None:
        self.min_length = min_length
        self.max_gap_ms = max_gap_ms
        self._burst: list[str] = []
        self._last_ms: float | None = None

    @property
    def pending(self) -> str:
        """The characters of the burst so far."""
        return "".join(self._burst)

    def key_typed(self, text: str, at_ms: float) -> bool:
        """Note one typed character; True when it starts a new burst (the caller may remember what the field held)."""
        fresh = self._last_ms is None or at_ms - self._last_ms > self.max_gap_ms
        if fresh:
            self._burst = []
        self._burst.append(text)
        self._last_ms = at_ms
        return fresh

    def enter_pressed(self, at_ms: float) -> str | None:
        """The scanned code when this Enter ends a scan, else None (the Enter belongs to the person)."""
        quick = self._last_ms is not None and at_ms - self._last_ms <= self.max_gap_ms
        code = self.pending.strip()
        self.reset()
        return code if quick and len(code) >= self.min_length else None

    def reset(self) -> None:
        self._burst = []
        self._last_ms = None


def _text_field(widget: QWidget | None) -> QLineEdit | None:
    """The line edit a key typed into *widget* lands in (a spin box's own line edit too)."""
    if isinstance(widget, QLineEdit):
        return widget
    if isinstance(widget, QAbstractSpinBox):
        return widget.findChild(QLineEdit)
    return None


class ScannerFilter(QObject):
    """Watches every key typed into *window* (an application-wide event filter, removed with the window).

    Keys go on to the field that has focus as usual, so a person's typing is untouched. When an Enter ends a
    scan, the Enter is swallowed, the field gets back what it held before the burst, and `scanned` is emitted.
    """

    scanned = Signal(str)

    def __init__(
        self, window: QWidget, detector: ScanDetector | None = None, clock: Callable[[], float] | None = None
    ) -> None:
        super().__init__(window)
        self._window = window
        self.detector = detector or ScanDetector()
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._snapshot: tuple[QLineEdit, str] | None = None
        self._last: tuple[QObject, int, str, float] | None = None  # receiver, key, text, time of the last key
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)  # a child of the window: Qt drops the filter when the window is deleted

    def remove(self) -> None:
        """Stop watching (the window is closing)."""
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _propagated(self, watched: QObject, event: QKeyEvent, now: float) -> bool:
        """Whether this is the key the last receiver ignored, now offered to its parent."""
        last = self._last
        if last is None or not isinstance(watched, QWidget):
            return False
        receiver, key, text, at = last
        return isinstance(receiver, QWidget) and (
            watched is not receiver and watched.isAncestorOf(receiver) and key == event.key()
            and text == event.text() and now - at <= PROPAGATION_MS
        )  # fmt: skip

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """QObject override: watch key presses meant for the window; swallow only the Enter that ends a scan."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        now = self._clock()
        if self._propagated(watched, event, now):
            return False
        if self._last is not None and self._last[0] is not watched:
            self.detector.reset()  # a scanner types its code into one field; a new field is a new start
        self._last = (watched, event.key(), event.text(), now)
        if event.key() in ENTER_KEYS:
            code = self.detector.enter_pressed(now)
            if code is None:
                return False
            self._restore()
            self.scanned.emit(code)
            return True
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if self.detector.key_typed(text, now):
                field = _text_field(watched)
                self._snapshot = (field, field.text()) if field is not None else None
        elif text:
            self.detector.reset()  # Tab, Backspace, Esc: a person at the keyboard
        return False

    def _restore(self) -> None:
        """Give the field the text it had before the scanner typed into it."""
        if self._snapshot is not None:
            field, text = self._snapshot
            self._snapshot = None
            if field.text() != text:
                field.setText(text)
