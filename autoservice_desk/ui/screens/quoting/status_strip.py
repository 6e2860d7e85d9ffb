"""The per-source status strip of a quoting search: each source waiting, with its number of offers, late or failed."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from autoservice_desk.i18n import N_, _, ngettext
from autoservice_desk.services.quoting import AnswerStatus, SourceAnswer
from autoservice_desk.ui.screens.quoting.search_runner import SourceSlot

LOCAL_SOURCES = (("own_stock", N_("Own stock")), ("analogs", N_("Analogs")), ("price_lists", N_("Price lists")))
STYLES = {
    "waiting": "color: #666666;",
    str(AnswerStatus.OK): "color: #1b7f3a;",
    str(AnswerStatus.TIMEOUT): "color: #8a6d00;",
    str(AnswerStatus.FAILED): "color: #b00020;",
}


class SourceStatusStrip(QLabel):
    """Every source's state in one line that wraps between sources when the window is narrow; the reasons of
    failures in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._sources: dict[str, tuple[str, str, str, str]] = {}  # id -> (name, text, state, reason), in order

    def reset(self, online: Sequence[SourceSlot] = ()) -> None:
        """Every source waiting: the local ones and the online suppliers given."""
        self._sources = {}
        for source_id, title in LOCAL_SOURCES:
            self._sources[source_id] = (_(title), _("waiting…"), "waiting", "")
        self.announce(online)

    def announce(self, online: Sequence[SourceSlot]) -> None:
        """Add the online suppliers not shown yet (they become known once the search has started)."""
        for slot in online:
            self._sources.setdefault(slot.source_id, (slot.label, _("waiting…"), "waiting", ""))
        self._render()

    def show_answer(self, answer: SourceAnswer) -> None:
        if answer.status == AnswerStatus.OK:
            count = len(answer.offers)
            text = ngettext("{count} offer", "{count} offers", count).format(count=count)
            if answer.from_cache:
                text = _("{offers} (saved answer)").format(offers=text)
        elif answer.status == AnswerStatus.TIMEOUT:
            text = _("timed out")
        else:
            text = _("failed: {reason}").format(reason=answer.reason)
        self._sources[answer.source_id] = (answer.label, text, str(answer.status), answer.reason)
        self._render()

    def finish(self) -> None:
        """The search is over: a source still waiting did not answer in time."""
        for source_id, (name, _text, state, _reason) in list(self._sources.items()):
            if state == "waiting":
                self._sources[source_id] = (name, _("no answer"), str(AnswerStatus.TIMEOUT), "")
        self._render()

    def _render(self) -> None:
        items = [
            f'<span style="{STYLES.get(state, "")}"><b>{html.escape(name)}</b>:&nbsp;'
            f"{html.escape(text).replace(' ', '&nbsp;')}</span>"
            for name, text, state, _reason in self._sources.values()
        ]
        self.setText(" &nbsp; &nbsp; ".join(items))
        reasons = [f"{name}: {reason}" for name, _text, _state, reason in self._sources.values() if reason]
        self.setToolTip("\n".join(reasons))

    def state(self, source_id: str) -> str:
        """The state of a source: waiting, ok, timeout or failed (tests and screenshots read it)."""
        return self._sources[source_id][2] if source_id in self._sources else ""

    def source_text(self, source_id: str) -> str:
        found = self._sources.get(source_id)
        return f"{found[0]}: {found[1]}" if found is not None else ""
