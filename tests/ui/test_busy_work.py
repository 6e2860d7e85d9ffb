"""A page's background actions: busy while one runs, its result delivered, a failure shown in the inline label."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from autoservice_desk.services.errors import DomainError
from autoservice_desk.ui.background import BackgroundRunner, OperationState
from autoservice_desk.ui.busy_work import BusyWork, InlineMessage
from autoservice_desk.ui.style import ERROR_STYLE


def make(qtbot: QtBot, runner: BackgroundRunner) -> tuple[BusyWork, InlineMessage, list[object]]:
    label = InlineMessage()
    qtbot.addWidget(label)
    seen: list[object] = []
    work = BusyWork(runner, label, seen.append, lambda: seen.append("failed"))
    return work, label, seen


def test_the_label_starts_hidden_and_shows_an_error_in_its_style(qtbot: QtBot) -> None:
    label = InlineMessage(ERROR_STYLE + " font-weight: 600;")
    qtbot.addWidget(label)
    assert label.isHidden() and label.wordWrap()
    label.setStyleSheet("")
    label.show_error("The part is gone.")
    assert not label.isHidden() and label.text() == "The part is gone."
    assert label.styleSheet() == ERROR_STYLE + " font-weight: 600;"


def test_busy_until_the_result_arrives_and_the_old_error_is_hidden(qtbot: QtBot, runner: BackgroundRunner) -> None:
    work, label, seen = make(qtbot, runner)
    label.show_error("An old error.")
    work.run(lambda _state: 7, seen.append)
    assert work.busy and label.isHidden() and seen == [True]
    assert runner.wait_for_idle()
    assert not work.busy and seen == [True, False, 7]


def test_a_failure_ends_busy_then_calls_failed_then_shows_the_error(qtbot: QtBot, runner: BackgroundRunner) -> None:
    work, label, seen = make(qtbot, runner)

    def fail(_state: OperationState) -> None:
        raise DomainError("The stock is short.")

    work.run(fail, lambda _result: seen.append("done"))
    assert runner.wait_for_idle()
    assert not work.busy and seen == [True, False, "failed"]
    assert not label.isHidden() and label.text() == "The stock is short."


def test_progress_is_passed_on(qtbot: QtBot, runner: BackgroundRunner) -> None:
    work, _label, _seen = make(qtbot, runner)
    reported: list[tuple[int, int]] = []

    def count(state: OperationState) -> None:
        state.report(3, 3)

    work.run(count, lambda _result: None, lambda done, total: reported.append((done, total)))
    assert runner.wait_for_idle()
    assert reported == [(3, 3)]
