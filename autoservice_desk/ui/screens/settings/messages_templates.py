"""Settings → Messages, the templates part: the text per event and language with a live preview and SMS counter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import DomainError
from autoservice_desk.services.message_queries import sample_facts
from autoservice_desk.services.message_templates import (
    LANGUAGES,
    PLACEHOLDERS,
    MessageFacts,
    Preview,
    TemplateInfo,
    list_templates,
    preview,
    reset_template,
    save_template,
)
from autoservice_desk.services.messaging_settings import TRIGGERS
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.messages.segments import SegmentCounter
from autoservice_desk.ui.style import ERROR_STYLE, SUCCESS_STYLE

PREVIEW_DELAY_MS = 300
LANGUAGE_NAMES = {"ru": N_("Russian"), "en": N_("English")}


class TemplatesBox(QGroupBox):
    """Choose an event and a language, edit the text; the preview is filled from a real booking and client."""

    def __init__(
        self, context: ScreenContext, shop_values: Callable[[], dict[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(_("Message templates"), parent)
        self.shop_values = shop_values or dict
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory = context.uow_factory
        self.templates: dict[tuple[str, str], TemplateInfo] = {}
        self.facts = MessageFacts()
        self._generation = 0
        self.event_choice = QComboBox()
        for code, label in TRIGGERS.items():
            self.event_choice.addItem(_(label), code)
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(_(LANGUAGE_NAMES.get(code, code)), code)
        self.enabled = QCheckBox(_("Send this message"))
        self.text = QPlainTextEdit()
        self.text.setMinimumHeight(80)
        self.text.setMaximumHeight(120)
        self.placeholders = QLabel(_("Placeholders: {names}").format(
            names=" ".join("{" + name + "}" for name in PLACEHOLDERS)))  # fmt: skip
        self.placeholders.setWordWrap(True)
        self.placeholders.setStyleSheet("color: #555;")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("background: #f4f4f4; border: 1px solid #ddd; padding: 6px;")
        self.counter = SegmentCounter()
        self.save_button = QPushButton(_("Save template"))
        self.reset_button = QPushButton(_("Restore the standard text"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        choose = QHBoxLayout()
        choose.addWidget(QLabel(_("Message:")))
        choose.addWidget(self.event_choice, 1)
        choose.addWidget(QLabel(_("Language:")))
        choose.addWidget(self.language)
        choose.addWidget(self.enabled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.text)
        layout.addWidget(self.placeholders)
        layout.addWidget(QLabel(_("What the client gets (filled from a real booking):")))
        layout.addWidget(self.preview)
        layout.addWidget(self.counter)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.event_choice.currentIndexChanged.connect(self._show_current)
        self.language.currentIndexChanged.connect(self._show_current)
        self.text.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.refresh_preview)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)

    def load(self) -> None:
        """Read the templates and a record to preview them with, in the background."""
        uow_factory = self.uow_factory

        def work(_state: object) -> tuple[list[TemplateInfo], MessageFacts]:
            return list_templates(uow_factory), sample_facts(uow_factory)

        self.context.runner.run(work, self._on_loaded, self._show_error)

    def _on_loaded(self, loaded: tuple[list[TemplateInfo], MessageFacts]) -> None:
        templates, self.facts = loaded
        self.templates = {(info.event, info.language): info for info in templates}
        self._show_current()

    def current_key(self) -> tuple[str, str]:
        return str(self.event_choice.currentData()), str(self.language.currentData())

    def _show_current(self, _index: int = 0) -> None:
        info = self.templates.get(self.current_key())
        self.text.blockSignals(True)
        self.text.setPlainText(info.text if info else "")
        self.text.blockSignals(False)
        self.enabled.setChecked(info.enabled if info else True)
        self.reset_button.setEnabled(info is not None and not info.is_default)
        self.status.clear()
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Fill the text from the sample record in the background; a wrong placeholder shows its error instead."""
        self._generation += 1
        generation, text, facts = self._generation, self._with_shop_values(self.text.toPlainText()), self.facts

        def shown(result: Preview) -> None:
            if generation == self._generation:
                self.preview.setStyleSheet("background: #f4f4f4; border: 1px solid #ddd; padding: 6px;")
                self.preview.setText(result.text)
                self.counter.count(result.text)

        def refused(error: DomainError) -> None:
            if generation == self._generation:
                self.preview.setStyleSheet(ERROR_STYLE + " border: 1px solid #ddd; padding: 6px;")
                self.preview.setText(str(error))

        self.context.runner.run(lambda _state: preview(self.uow_factory, text, facts), shown, refused)

    def _with_shop_values(self, text: str) -> str:
        """The shop's name and phone as typed on the page (not yet saved), so the preview follows the form."""
        for name, value in self.shop_values().items():
            text = text.replace("{" + name + "}", value.replace("{", "{{").replace("}", "}}"))
        return text

    def save(self) -> None:
        event, language = self.current_key()
        text, enabled = self.text.toPlainText(), self.enabled.isChecked()
        self.context.runner.run(
            lambda _state: save_template(self.uow_factory, event, language, text, enabled=enabled),
            lambda _result: self._on_saved(_("Template saved.")), self._show_error,
        )  # fmt: skip

    def reset(self) -> None:
        event, language = self.current_key()
        self.context.runner.run(lambda _state: reset_template(self.uow_factory, event, language),
                                lambda _result: self._on_saved(_("The standard text is back.")),
                                self._show_error)  # fmt: skip

    def _on_saved(self, text: str) -> None:
        self.context.runner.run(lambda _state: list_templates(self.uow_factory),
                                lambda templates: self._on_reloaded(templates, text), self._show_error)  # fmt: skip

    def _on_reloaded(self, templates: list[TemplateInfo], text: str) -> None:
        self.templates = {(info.event, info.language): info for info in templates}
        self._show_current()
        self.status.setStyleSheet(SUCCESS_STYLE)
        self.status.setText(text)

    def _show_error(self, error: DomainError) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(str(error))
