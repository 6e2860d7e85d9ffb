"""The frame every Settings page shares: a title, an explanation, the form, a status line and Save."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.style import ERROR_STYLE, NOTE_STYLE, SUCCESS_STYLE, TITLE_STYLE


class SettingsPage(QWidget):
    """Subclasses put their rows into `body` and connect `save_button`; the frame scrolls when the window is small."""

    def __init__(
        self, context: ScreenContext, title: str, explanation: str = "", parent: QWidget | None = None,
        *, scrollable: bool = True,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.context = context
        self.title_label = QLabel(title)
        self.title_label.setStyleSheet(TITLE_STYLE)
        self.explanation_label = QLabel(explanation)
        self.explanation_label.setWordWrap(True)
        self.explanation_label.setVisible(bool(explanation))
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 12, 0)
        content_layout.addWidget(self.title_label)
        content_layout.addWidget(self.explanation_label)
        content_layout.addLayout(self.body, 1)
        # A form scrolls when the window is small; a page whose body is one list (Users) lets the list scroll.
        main: QWidget = content
        if scrollable:
            content_layout.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidget(content)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            main = scroll
        else:
            content_layout.setContentsMargins(0, 0, 0, 0)

        self.note_label = QLabel()
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.note_label.setWordWrap(True)
        self.note_label.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setDefault(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addWidget(main, 1)
        layout.addWidget(self.note_label)
        layout.addLayout(bottom)

    def set_note(self, text: str) -> None:
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE if error else SUCCESS_STYLE)
        self.status_label.setText(text)
