"""The Qt binding keeps Python's reference counts right (PySide6 6.12.0 on Python 3.11 did not, and crashed)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_calls_returning_nothing_do_not_eat_references_to_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2_000):
        label.setText("x")
    # A few references may come and go with the interpreter's own bookkeeping; 2,000 lost ones would not.
    assert abs(sys.getrefcount(None) - before) < 100
