"""What the composition root hands every screen: services, the runner, the change bus and where to keep state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:  # only for annotations: importing them would pull SQLAlchemy in before the window shows
    from autoservice_desk.services.startup import Environment
    from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory
    from autoservice_desk.ui.background import BackgroundRunner
    from autoservice_desk.ui.changes import ChangeBus

WINDOW_STATE_FILE = "window-state.ini"


def window_state(environment: Environment) -> QSettings:
    """Window, splitter and column state in an INI file beside settings.toml.

    An explicit file (rather than QSettings' per-platform default) keeps every desk's state under
    AUTOSERVICE_HOME, so a portable install carries it along and tests never touch the user's own.
    """
    return QSettings(str(environment.paths.config_dir / WINDOW_STATE_FILE), QSettings.Format.IniFormat)


@dataclass(frozen=True)
class ScreenContext:
    """Everything a screen may use; screens get it from the main window and keep no global state."""

    environment: Environment
    runner: BackgroundRunner
    changes: ChangeBus
    state: QSettings
    # Acting as the logged-in user; None while the database is connecting or unreachable.
    uow_factory: UnitOfWorkFactory | None = None
    actor: Actor | None = None
    database: str = ""  # DatabaseTarget.describe(): what to call the database on screen
    database_url: str = ""  # the URL in use, without any password
    # Set while the database is unreachable: Settings → Database calls it after saving to try again at once.
    reconnect: Callable[[], None] | None = None

    @property
    def connected(self) -> bool:
        return self.uow_factory is not None and self.actor is not None

    @property
    def is_admin(self) -> bool:
        return self.actor is not None and "admin" in self.actor.roles

    def with_changes(self, **changes: object) -> ScreenContext:
        return replace(self, **changes)  # type: ignore[arg-type]
