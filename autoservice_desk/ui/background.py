"""Background operations: run a service call on a thread pool and get its result or error back on the GUI thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QRunnable, QThreadPool, Signal, Slot

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import DomainError

log = logging.getLogger(__name__)
T = TypeVar("T")
ProgressCallback = Callable[[int, int], None]
# Progress is forwarded at most this often, so a loop reporting every row cannot flood the GUI's event queue.
PROGRESS_INTERVAL_S = 0.05


class OperationCancelled(Exception):
    """Raised by `OperationState.raise_if_cancelled()`; the runner ends the operation quietly."""


class OperationState:
    """What a work function sees of its operation: report progress, check for cancellation. No Qt inside.

    Work functions take it as their only argument (Orange3's `run(state)`), so they can be unit-tested
    with a plain `OperationState()`.
    """

    def __init__(self, on_report: ProgressCallback | None = None) -> None:
        self._cancelled = threading.Event()
        self._on_report = on_report
        self._last_report = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise OperationCancelled

    def report(self, done: int, total: int) -> None:
        """Tell the screen how far the work is; throttled, except that the last step always gets through."""
        if self._on_report is None:
            return
        now = time.monotonic()
        if done < total and now - self._last_report < PROGRESS_INTERVAL_S:
            return
        self._last_report = now
        self._on_report(done, total)


class OperationHandle:
    """The screen's grip on a running operation."""

    def __init__(self, state: OperationState) -> None:
        self._state = state
        self._finished = False

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def cancelled(self) -> bool:
        return self._state.cancelled

    def cancel(self) -> None:
        """Ask the work to stop; after this no callback of the operation is called."""
        self._state.cancel()

    def _mark_finished(self) -> None:
        self._finished = True


class _Operation(QObject, Generic[T]):
    """One operation; lives on the GUI thread, so signals emitted by the worker arrive there queued."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)
    finished = Signal()

    def __init__(
        self,
        on_success: Callable[[T], None],
        on_error: Callable[[DomainError], None],
        on_progress: ProgressCallback | None,
    ) -> None:
        super().__init__()
        self._on_success = on_success
        self._on_error = on_error
        self._on_progress = on_progress
        self.state = OperationState(self.progressed.emit if on_progress else None)
        self.handle = OperationHandle(self.state)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.succeeded.connect(self._on_work_succeeded)
        self.failed.connect(self._on_work_failed)
        self.progressed.connect(self._on_work_progressed)

    @Slot(object)
    def _on_work_succeeded(self, result: Any) -> None:
        self.handle._mark_finished()
        if not self.state.cancelled:
            self._on_success(result)
        self.finished.emit()

    @Slot(object)
    def _on_work_failed(self, error: DomainError | None) -> None:
        self.handle._mark_finished()
        if error is not None and not self.state.cancelled:
            self._on_error(error)
        self.finished.emit()

    @Slot(int, int)
    def _on_work_progressed(self, done: int, total: int) -> None:
        if self._on_progress is not None and not self.state.cancelled:
            self._on_progress(done, total)


class _Task(QRunnable):
    """Runs on a pool thread: calls the work and emits exactly one of succeeded / failed."""

    def __init__(self, operation: _Operation[Any], work: Callable[[OperationState], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._operation = operation
        self._work = work

    def run(self) -> None:
        """QRunnable override: never lets an exception escape into Qt's thread."""
        operation = self._operation
        try:
            result = self._work(operation.state)
        except OperationCancelled:
            operation.failed.emit(None)
        except DomainError as error:
            operation.failed.emit(error)
        except Exception:
            # The person gets a sentence they can act on; the traceback goes to the log file.
            log.exception("background operation failed")
            operation.failed.emit(
                DomainError(_("Something went wrong and the action was not completed. The details are in the log."))
            )
        else:
            operation.succeeded.emit(result)


class BackgroundRunner(QObject):
    """Runs work functions on its own thread pool; every screen gets the one the composition root made."""

    # An operation failed and its caller gave no error callback: the main window shows the message.
    unhandled_error_occurred = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, max_threads: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        # Strong references: an operation object must outlive its worker, or its queued signals would be lost.
        self._running: set[_Operation[Any]] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self,
        work: Callable[[OperationState], T],
        on_success: Callable[[T], None],
        on_error: Callable[[DomainError], None] | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> OperationHandle:
        """Start *work* on a pool thread; the callbacks run later on the GUI thread (never inside this call)."""
        operation: _Operation[T] = _Operation(on_success, on_error or self.unhandled_error_occurred.emit, on_progress)
        operation.finished.connect(lambda: self._on_operation_finished(operation))
        was_busy = self.busy
        self._running.add(operation)
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(_Task(operation, work))
        return operation.handle

    def _on_operation_finished(self, operation: _Operation[Any]) -> None:
        self._running.discard(operation)
        operation.deleteLater()
        if not self._running:
            self.busy_changed.emit(False)

    def cancel_all(self) -> None:
        for operation in list(self._running):
            operation.handle.cancel()

    def wait_for_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every operation has delivered its result (tests, shutdown); False on timeout."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._running:
            if deadline.hasExpired():
                return False
            self._pool.waitForDone(10)
            QCoreApplication.processEvents()
        return True

    def shutdown(self, timeout_ms: int = 5_000) -> None:
        """Cancel everything and wait for the threads, so no worker outlives the database engine."""
        self.cancel_all()
        self._pool.waitForDone(timeout_ms)
        QCoreApplication.processEvents()
