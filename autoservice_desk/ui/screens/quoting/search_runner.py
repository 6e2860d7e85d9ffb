"""Running a quoting search off the GUI thread: the brand step, then every source's answer delivered to the GUI
thread as a signal the moment it comes (the worker iterates services/quoting.iter_search and emits)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from autoservice_desk.credentials import SecretStore
from autoservice_desk.services.online_suppliers import list_online_suppliers
from autoservice_desk.services.quoting import BrandChoice, brands_for, iter_search
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.ui.background import BackgroundRunner, OperationHandle, OperationState


@dataclass(frozen=True)
class SearchRequest:
    article: str
    brand: str | None = None  # None: every brand
    client_id: int | None = None
    refresh: bool = False


@dataclass(frozen=True)
class SourceSlot:
    """A source the search will hear from, known before it answers (the status strip's "waiting")."""

    source_id: str
    label: str


class QuoteSearch(QObject):
    """One search at a time: starting another abandons the one running (its late signals are ignored).

    Every signal carries the search's generation number; a slot compares it with `generation` and drops stale ones.
    """

    brands_found = Signal(int, object)  # generation, list[BrandChoice]
    sources_announced = Signal(int, object)  # generation, list[SourceSlot] (the online suppliers to wait for)
    answered = Signal(int, object)  # generation, SourceAnswer
    finished = Signal(int)  # generation: every source has answered, failed or run late
    failed = Signal(int, object)  # generation, DomainError

    def __init__(
        self, uow_factory: UnitOfWorkFactory, runner: BackgroundRunner, secrets: SecretStore,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._uow_factory = uow_factory
        self._secrets = secrets  # the desk's store: a key kept "for this session only" reaches the suppliers too
        self._runner = runner
        self._handle: OperationHandle | None = None
        self.generation = 0

    @property
    def running(self) -> bool:
        return self._handle is not None and not self._handle.finished

    def cancel(self) -> None:
        """Stop listening to the running search (its suppliers are abandoned)."""
        self.generation += 1
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def find_brands(self, article: str, refresh: bool = False) -> int:
        """The brand step in the background: `brands_found` with the brands having *article*."""
        generation = self._start()
        uow_factory, secrets = self._uow_factory, self._secrets

        def work(_state: OperationState) -> list[BrandChoice]:
            # The brands we know locally (stock, crosses, price lists) answer at once; waiting for every online
            # supplier's brand list would hold the whole search up to their timeout. "All brands" still asks
            # the suppliers for anything we do not know.
            return brands_for(uow_factory, article, refresh=refresh, include_online=False, secrets=secrets)

        self._handle = self._runner.run(work, lambda brands: self.brands_found.emit(generation, brands),
                                        lambda error: self.failed.emit(generation, error))  # fmt: skip
        return generation

    def search(self, request: SearchRequest) -> int:
        """Ask every source; `sources_announced`, then `answered` per source, then `finished` (or `failed`)."""
        generation = self._start()
        uow_factory, secrets = self._uow_factory, self._secrets

        def work(state: OperationState) -> None:
            online = list_online_suppliers(uow_factory, active_only=True)
            self.sources_announced.emit(generation, [SourceSlot(f"online:{info.id}", info.supplier_name)
                                                     for info in online])  # fmt: skip
            answers = iter_search(uow_factory, request.article, request.brand, client_id=request.client_id,
                                  refresh=request.refresh, cancelled=lambda: state.cancelled,
                                  secrets=secrets)  # fmt: skip
            for answer in answers:
                if state.cancelled:
                    answers.close()  # type: ignore[attr-defined]  # a generator: abandons the suppliers left
                    break
                self.answered.emit(generation, answer)

        self._handle = self._runner.run(work, lambda _none: self.finished.emit(generation),
                                        lambda error: self.failed.emit(generation, error))  # fmt: skip
        return generation

    def _start(self) -> int:
        self.cancel()
        return self.generation

    def is_current(self, generation: int) -> bool:
        return generation == self.generation
