"""A page's background actions: the page is busy while one runs, and a failure is shown in an inline label."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QLabel, QWidget

from autoservice_desk.services.errors import DomainError
from autoservice_desk.ui.background import BackgroundRunner, OperationHandle, OperationState, ProgressCallback
from autoservice_desk.ui.style import ERROR_STYLE

T = TypeVar("T")


class InlineMessage(QLabel):
    """A wrapping label in the page itself (not a message box) for the last error; hidden until there is one."""

    def __init__(self, error_style: str = ERROR_STYLE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error_style = error_style
        self.setStyleSheet(error_style)
        self.setWordWrap(True)
        self.hide()

    def show_error(self, text: str) -> None:
        # The style is set again each time: a label may show notes in between (see DocumentView.show_info).
        self.setText(text)
        self.setStyleSheet(self._error_style)
        self.show()


class BusyWork:
    """Runs a page's actions on the runner: busy until each ends, the error label hidden first and filled on failure.

    `busy_changed` is called with the new state at the start and at the end of every action (the page enables its
    buttons or shows its progress bar from it); `failed` runs before the error is shown (e.g. to clear a status).
    """

    def __init__(
        self,
        runner: BackgroundRunner,
        error: InlineMessage,
        busy_changed: Callable[[bool], None],
        failed: Callable[[], None] | None = None,
    ) -> None:
        self._runner = runner
        self._error = error
        self._busy_changed = busy_changed
        self._failed = failed
        self.busy = False

    def run(
        self,
        work: Callable[[OperationState], T],
        done: Callable[[T], object],
        on_progress: ProgressCallback | None = None,
    ) -> OperationHandle:
        """Start *work*; *done* gets its result on the GUI thread once the page is no longer busy."""
        self._error.hide()
        self._set_busy(True)

        def succeeded(result: T) -> None:
            self._set_busy(False)
            done(result)

        return self._runner.run(work, succeeded, self.fail, on_progress)

    def fail(self, error: DomainError) -> None:
        """End the busy state and show *error*; also the error callback for reads the page runs without `run`."""
        self._set_busy(False)
        if self._failed is not None:
            self._failed()
        self._error.show_error(str(error))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._busy_changed(busy)
