"""The background runner: results, errors and progress arrive on the GUI thread; cancelled work stays silent."""

from __future__ import annotations

import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.ui.background import BackgroundRunner, OperationState


def test_success_is_delivered_on_the_gui_thread(runner: BackgroundRunner) -> None:
    seen: list[tuple[int, threading.Thread]] = []
    worker_threads: list[threading.Thread] = []

    def work(state: OperationState) -> int:
        worker_threads.append(threading.current_thread())
        return 42

    handle = runner.run(work, lambda result: seen.append((result, threading.current_thread())))
    assert seen == []  # never called inside run()
    assert runner.wait_for_idle()
    assert seen == [(42, threading.main_thread())]
    assert worker_threads[0] is not threading.main_thread()
    assert handle.finished and not runner.busy


def test_a_domain_error_goes_to_on_error(runner: BackgroundRunner) -> None:
    errors: list[DomainError] = []

    def work(state: OperationState) -> None:
        raise ValidationError("The INN is wrong.", "inn")

    runner.run(work, lambda result: pytest.fail("no success expected"), errors.append)
    assert runner.wait_for_idle()
    assert len(errors) == 1 and isinstance(errors[0], ValidationError) and errors[0].field == "inn"


def test_an_unexpected_exception_becomes_a_translated_message_and_a_log_entry(
    runner: BackgroundRunner, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[DomainError] = []

    def work(state: OperationState) -> None:
        raise ZeroDivisionError("division by zero")

    runner.run(work, lambda result: None, errors.append)
    assert runner.wait_for_idle()
    assert type(errors[0]) is DomainError
    assert "Traceback" not in str(errors[0]) and "division" not in str(errors[0])
    assert "log" in str(errors[0])
    assert any("ZeroDivisionError" in (record.exc_text or "") for record in caplog.records)


def test_errors_without_a_handler_are_announced(runner: BackgroundRunner, qtbot: QtBot) -> None:
    def work(state: OperationState) -> None:
        raise DomainError("Nobody handles me.")

    with qtbot.waitSignal(runner.unhandled_error_occurred) as blocker:
        runner.run(work, lambda result: None)
    assert str(blocker.args[0]) == "Nobody handles me."


def test_progress_is_reported_throttled_and_the_last_step_always_arrives(runner: BackgroundRunner) -> None:
    steps: list[tuple[int, int]] = []
    threads: set[threading.Thread] = set()

    def work(state: OperationState) -> str:
        for done in range(1, 1001):
            state.report(done, 1000)
        return "done"

    def progressed(done: int, total: int) -> None:
        steps.append((done, total))
        threads.add(threading.current_thread())

    runner.run(work, lambda result: None, on_progress=progressed)
    assert runner.wait_for_idle()
    assert steps[-1] == (1000, 1000)
    assert len(steps) < 100  # throttled: the GUI is not flooded with a thousand updates
    assert threads == {threading.main_thread()}


def test_cancel_stops_the_work_and_no_callback_runs(runner: BackgroundRunner) -> None:
    started = threading.Event()
    stopped_early = threading.Event()
    calls: list[object] = []

    def work(state: OperationState) -> int:
        started.set()
        for _step in range(500):
            if state.cancelled:
                stopped_early.set()
                return -1
            time.sleep(0.01)
        return 1

    handle = runner.run(work, calls.append, calls.append, lambda done, total: calls.append(done))
    assert started.wait(5)
    handle.cancel()
    assert handle.cancelled
    assert runner.wait_for_idle()
    assert stopped_early.is_set()
    assert calls == []


def test_raise_if_cancelled_ends_the_operation_quietly(runner: BackgroundRunner) -> None:
    calls: list[object] = []

    def work(state: OperationState) -> int:
        state.cancel()
        state.raise_if_cancelled()
        return 1

    runner.run(work, calls.append, calls.append)
    assert runner.wait_for_idle()
    assert calls == []


def test_work_functions_run_without_qt_on_a_plain_state() -> None:
    state = OperationState()
    state.report(1, 2)  # no listener: nothing happens
    assert not state.cancelled
    state.cancel()
    assert state.cancelled


def test_busy_changes_and_many_operations_all_finish(runner: BackgroundRunner, qtbot: QtBot) -> None:
    results: list[int] = []
    with qtbot.waitSignal(runner.busy_changed) as blocker:
        for number in range(20):
            runner.run(lambda state, number=number: number * 2, results.append)
    assert blocker.args == [True]
    assert runner.wait_for_idle()
    assert sorted(results) == [number * 2 for number in range(20)]
    assert not runner.busy
