"""The change bus: one application signal that tells every screen what a committed transaction changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:  # annotations only: the bus must not pull SQLAlchemy in before the window shows
    from autoservice_desk.services.unit_of_work import ChangeSet, UnitOfWorkFactory


class ChangeBus(QObject):
    """Rebroadcasts the unit-of-work factory's change sets as a Qt signal on the GUI thread.

    Services commit on worker threads, so `publish` is usually called there. It emits a private signal
    that is queued to this object's (the GUI) thread, and only there emits `changed`; therefore every
    slot connected to `changed`, even a plain function, runs on the GUI thread.
    """

    changed = Signal(object)  # a ChangeSet
    _published = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connect_signals()

    def _connect_signals(self) -> None:
        # Auto connection: direct when published on the GUI thread, queued when published from a worker.
        self._published.connect(self._on_self_published)

    def attach(self, uow_factory: UnitOfWorkFactory) -> None:
        """Hear every commit made through *uow_factory* and the factories derived from it (`acting_as`)."""
        uow_factory.subscribe(self.publish)

    def publish(self, changes: ChangeSet) -> None:
        """Broadcast *changes*; safe to call from any thread."""
        # The factory may outlive the window (a CLI job, a test): a deleted bus simply stops listening.
        if changes and shiboken6.isValid(self):
            self._published.emit(changes)

    @Slot(object)
    def _on_self_published(self, changes: ChangeSet) -> None:
        self.changed.emit(changes)
