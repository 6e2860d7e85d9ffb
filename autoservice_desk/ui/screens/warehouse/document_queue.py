"""The document window's queue of changes: one service call at a time, each on the version the last one left."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import ConflictError, DomainError
from autoservice_desk.services.stock_forms import DocumentInfo
from autoservice_desk.services.stock_ledger import InsufficientStockError
from autoservice_desk.ui.background import OperationHandle, OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.screens.warehouse.document_view import DocumentView
from autoservice_desk.ui.screens.warehouse.line_edits import CurrentPlaces

StepWork = Callable[[OperationState, DocumentInfo, CurrentPlaces], Any]


@dataclass
class _Step:
    """One change to the document; steps run one at a time, each on the version the one before left."""

    work: StepWork
    done: Callable[[Any], None] | None = None
    progress: bool = False
    failure_note: str = ""  # added under the error when this step fails


class QueuedDocumentView(DocumentView):
    """Changes queue up and run one after another, so a burst of scans never races itself on the version."""

    def __init__(self, context: ScreenContext, document: DocumentInfo, parent: QWidget | None = None) -> None:
        super().__init__(context, document, parent)
        self._queue: deque[_Step] = deque()
        self._running: OperationHandle | None = None

    @property
    def busy(self) -> bool:
        return self._running is not None

    def enqueue(
        self, work: StepWork, done: Callable[[Any], None] | None = None, *, progress: bool = False,
        failure_note: str = "",
    ) -> None:  # fmt: skip
        """Run *work(state, document, places)* after the changes before it; a DocumentInfo it returns is shown."""
        self._queue.append(_Step(work, done, progress, failure_note))
        if self._running is None:
            self._run_next()

    def _run_next(self) -> None:
        if not self._queue:
            self.set_progress(None)
            self.update_buttons()
            return
        step = self._queue.popleft()
        document, places = self.document, self.header.places()
        self.set_progress(0 if step.progress else None)
        self._running = self.context.runner.run(
            lambda state: step.work(state, document, places), lambda result: self._on_step_done(step, result),
            lambda error: self._on_step_failed(error, step.failure_note),
            self.set_progress_value if step.progress else None,
        )  # fmt: skip
        self.update_buttons()

    def _on_step_done(self, step: _Step, result: Any) -> None:
        self._running = None
        if isinstance(result, DocumentInfo) and result.id == self.document.id:
            self.show_document(result)
        if step.done is not None:
            step.done(result)
        self._run_next()

    def _on_step_failed(self, error: DomainError, note: str = "") -> None:
        self._running = None
        self._queue.clear()
        self.set_progress(None)
        if isinstance(error, InsufficientStockError):
            row = self.lines_model.set_problem(error.part_id, error.location_id)
            if row is not None:
                self.table.selectRow(row)
        if isinstance(error, ConflictError) and not isinstance(error, InsufficientStockError):
            note = _("Press Reopen to see the document as it is now, then make the change again.")
            self.reopen_button.show()
        self.show_error(f"{error}\n{note}" if note else str(error))
        self.update_buttons()
