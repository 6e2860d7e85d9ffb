"""The length counter under a message field: characters and SMS parts, as the phone network counts them."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.sms_segments import SegmentCount, count_segments

LONG_STYLE = "color: #8a6d00;"  # more than one SMS: not wrong, but each part costs


def describe(count: SegmentCount) -> str:
    """`52 characters, 1 SMS (Cyrillic: 70 per SMS)`."""
    characters = ngettext("{count} character", "{count} characters", count.units).format(count=count.units)
    parts = ngettext("{count} SMS", "{count} SMS", count.segments).format(count=count.segments)
    if count.encoding == "UCS-2":
        alphabet = _("Cyrillic or symbols: {size} per SMS").format(size=count.per_segment)
    else:
        alphabet = _("Latin: {size} per SMS").format(size=count.per_segment)
    return _("{characters}, {parts} ({alphabet})").format(characters=characters, parts=parts, alphabet=alphabet)


class SegmentCounter(QLabel):
    """Call `count(text)` whenever the text changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("segment_counter")
        self.count("")

    def count(self, text: str) -> SegmentCount:
        counted = count_segments(text)
        self.setText(describe(counted))
        self.setStyleSheet(LONG_STYLE if counted.segments > 1 else "")
        return counted
