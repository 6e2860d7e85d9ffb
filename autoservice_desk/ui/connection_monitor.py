"""Watches the open database in the background so the status bar tells the truth after start-up too."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from autoservice_desk.services.errors import DomainError
from autoservice_desk.ui.background import BackgroundRunner, OperationHandle, OperationState

CHECK_INTERVAL_MS = 30_000


class ConnectionMonitor(QObject):
    """Runs *check* every interval on the runner; reports only changes (lost, or back again)."""

    connection_lost = Signal(str)  # the translated reason
    connection_restored = Signal()

    def __init__(
        self, runner: BackgroundRunner, check: Callable[[], None], interval_ms: int = CHECK_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        self._check = check
        self._healthy = True
        self._in_flight: OperationHandle | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self.check_now)

    @property
    def healthy(self) -> bool:
        return self._healthy

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._in_flight is not None:
            self._in_flight.cancel()
            self._in_flight = None

    def check_now(self) -> None:
        """Start one check unless one is still running (a slow server must not pile checks up)."""
        if self._in_flight is not None:
            return
        check = self._check

        def work(state: OperationState) -> None:
            check()

        self._in_flight = self._runner.run(work, self._on_check_succeeded, self._on_check_failed)

    def _on_check_succeeded(self, _result: None) -> None:
        self._in_flight = None
        if not self._healthy:
            self._healthy = True
            self.connection_restored.emit()

    def _on_check_failed(self, error: DomainError) -> None:
        self._in_flight = None
        if self._healthy:
            self._healthy = False
            self.connection_lost.emit(str(error))
