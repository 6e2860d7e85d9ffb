"""The composition root: builds the Qt application, the services and the main window, then walks through start-up."""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from autoservice_desk import __version__
from autoservice_desk.config import APP_NAME, LANGUAGE, SHOP_TIMEZONE
from autoservice_desk.i18n import _, install_language
from autoservice_desk.memory import tune_garbage_collection
from autoservice_desk.services.errors import DomainError
from autoservice_desk.ui.background import BackgroundRunner, OperationState
from autoservice_desk.ui.changes import ChangeBus
from autoservice_desk.ui.connection_monitor import ConnectionMonitor
from autoservice_desk.ui.context import ScreenContext, window_state
from autoservice_desk.ui.main_window import ConnectionState, MainWindow
from autoservice_desk.ui.messages import show_error

if TYPE_CHECKING:
    from autoservice_desk.db import DatabaseTarget
    from autoservice_desk.services.demo_data import DemoSummary
    from autoservice_desk.services.scheduler import MessagingScheduler
    from autoservice_desk.services.startup import Environment, OpenDatabase
    from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory
    from autoservice_desk.services.users import StartDecision, UserInfo

log = logging.getLogger(__name__)
BENCH_EXIT_ENV = "AUTOSERVICE_BENCH_EXIT"  # print the seconds from process start to the shown window, then quit
BENCH_T0_ENV = "AUTOSERVICE_BENCH_T0"  # the parent's time.time() just before it started us (bench/startup.py)
DEMO_CLIENTS = 300
_IMPORTED_AT = time.time()


def _seconds_since_process_start() -> float:
    """Wall time since this process started: the bench's timestamp, else /proc, else since this module loaded."""
    if started := os.environ.get(BENCH_T0_ENV):
        return time.time() - float(started)
    try:
        with open("/proc/self/stat", encoding="ascii") as stat, open("/proc/uptime", encoding="ascii") as uptime:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
            return float(uptime.read().split()[0]) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time() - _IMPORTED_AT


def install_qt_translator(app: QApplication, language: str) -> QTranslator | None:
    """Qt's own strings (the buttons of stock dialogs: Cancel, Yes, No) in *language*; ours come from gettext."""
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        return translator
    return None


class Desk(QObject):
    """Owns the services and the main window and walks through connecting, logging in and demo data."""

    def __init__(self, environment: Environment, db_url: str | None = None, demo: bool = False) -> None:
        super().__init__()
        self.environment = environment
        self._db_url = db_url
        self._demo = demo
        self.runner = BackgroundRunner(parent=self)
        self.changes = ChangeBus(self)
        self.database: OpenDatabase | None = None
        self._target: DatabaseTarget | None = None
        self.dialog: QWidget | None = None  # the start-up dialog or message on screen now (tests look at it)
        self.monitor: ConnectionMonitor | None = None
        self.messaging: MessagingScheduler | None = None  # started once the database is open
        self.base_context = ScreenContext(environment, self.runner, self.changes, window_state(environment))
        self.window = MainWindow(self.base_context)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.runner.unhandled_error_occurred.connect(self._on_runner_unhandled_error_occurred)
        self.window.closed.connect(self._on_window_closed)

    def start(self) -> None:
        """Show the window at once; the database opens in the background."""
        self.window.show()
        self.connect_database()

    def shutdown(self) -> None:
        self._stop_monitor()
        self._stop_messaging()
        self.runner.shutdown()
        self._stop_messaging()  # one that finished starting while the runner shut down
        if self.database is not None:
            self.database.close()
            self.database = None

    # --- connecting -----------------------------------------------------------------------------------------

    def connect_database(self) -> None:
        environment, raw_url = self.environment, self._db_url
        self.window.set_connection_state(ConnectionState.CONNECTING)

        def choose(state: OperationState) -> DatabaseTarget:
            from autoservice_desk.services.startup import choose_target

            return choose_target(environment, raw_url)

        self.runner.run(choose, self._on_target_chosen, self._on_database_failed)

    def _on_target_chosen(self, target: DatabaseTarget) -> None:
        self._target = target
        self.window.set_database(target.describe())
        environment = self.environment

        def open_it(state: OperationState) -> OpenDatabase:
            from autoservice_desk.services.startup import open_database

            return open_database(environment, target)  # upgrades an older schema, after a SQLite backup

        self.runner.run(open_it, self._on_database_opened, self._on_database_failed)

    def _on_database_opened(self, database: OpenDatabase) -> None:
        from autoservice_desk.services.users import decide_start

        if self.database is not None:
            self.database.close()
        self.database = database
        self.changes.attach(database.uow_factory)
        self.window.set_connection_state(ConnectionState.CONNECTED)
        self._start_monitor(database)
        self._start_messaging(database)
        upgrade = database.upgrade
        if upgrade is not None and upgrade.before != upgrade.after:
            message = _("The database was upgraded to {revision}.").format(revision=upgrade.after)
            if upgrade.backup:
                message += " " + _("Backup taken first: {path}").format(path=upgrade.backup)
            self.window.statusBar().showMessage(message, 15_000)
        uow_factory = database.uow_factory
        self.runner.run(lambda state: decide_start(uow_factory), self._on_start_decided, self._on_database_failed)

    def _start_monitor(self, database: OpenDatabase) -> None:
        from autoservice_desk.services.startup import ping

        self._stop_monitor()
        uow_factory = database.uow_factory
        self.monitor = ConnectionMonitor(self.runner, lambda: ping(uow_factory), parent=self)
        self.monitor.connection_lost.connect(self._on_monitor_connection_lost)
        self.monitor.connection_restored.connect(self._on_monitor_connection_restored)
        self.monitor.start()

    def _start_messaging(self, database: OpenDatabase) -> None:
        """The message scheduler starts in the background: its first database reads never hold up the window."""
        from autoservice_desk.services.scheduler import start_scheduler

        self._stop_messaging()
        uow_factory, secrets = database.uow_factory, self.environment.secrets

        def start(state: OperationState) -> MessagingScheduler:
            scheduler = start_scheduler(uow_factory, secrets)
            if state.cancelled:  # the desk closed while it started: nobody would ever stop it
                scheduler.stop(wait=False)
                state.raise_if_cancelled()
            return scheduler

        self.runner.run(start, self._on_messaging_started, self._on_messaging_failed)

    def _on_messaging_started(self, scheduler: MessagingScheduler) -> None:
        if self.database is None or scheduler.runtime.uow_factory is not self.database.uow_factory:
            scheduler.stop(wait=False)  # the database changed while it was starting
            return
        self._stop_messaging()  # a second start (a reconnect) finished after the first: keep only the newest
        self.messaging = scheduler

    def _on_messaging_failed(self, error: DomainError) -> None:
        log.warning("the message scheduler did not start: %s", error)

    def _stop_messaging(self) -> None:
        if self.messaging is not None:
            self.messaging.stop(wait=False)  # a delivery in flight must not hold up closing the window
            self.messaging = None

    def _stop_monitor(self) -> None:
        if self.monitor is not None:
            self.monitor.stop()
            self.monitor.deleteLater()
            self.monitor = None

    def _on_monitor_connection_lost(self, reason: str) -> None:
        self.window.set_connection_state(ConnectionState.DISCONNECTED, reason)

    def _on_monitor_connection_restored(self) -> None:
        self.window.set_connection_state(ConnectionState.CONNECTED)

    def _on_database_failed(self, error: DomainError) -> None:
        self.window.set_connection_state(ConnectionState.DISCONNECTED, str(error))
        box = QMessageBox(QMessageBox.Icon.Critical, _("The database cannot be opened"), str(error),
                          QMessageBox.StandardButton.NoButton, self.window)  # fmt: skip
        settings_button = box.addButton(_("Database settings…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(settings_button)
        box.buttonClicked.connect(lambda button: self._on_failure_box_clicked(button is settings_button))
        self.dialog = box
        box.open()

    def _on_failure_box_clicked(self, settings: bool) -> None:
        self.dialog = None
        if not settings:
            self.window.close()
            return
        offline = self.base_context.with_changes(reconnect=self._on_settings_reconnect_requested)
        self.window.set_context(offline)
        self.window.show_screen("settings", "database")

    def _on_settings_reconnect_requested(self) -> None:
        self._db_url = None  # the person just chose a database in Settings: it wins over --db from now on
        self.window.set_context(self.base_context)
        self.connect_database()

    # --- logging in -----------------------------------------------------------------------------------------

    def _on_start_decided(self, decision: StartDecision) -> None:
        from autoservice_desk.services.users import StartMode

        assert self.database is not None
        if decision.mode is StartMode.AUTO_LOGIN and decision.actor is not None:
            self.log_in(decision.actor)
            return
        description = self.database.target.describe()
        if decision.mode is StartMode.FIRST_RUN:
            from autoservice_desk.ui.dialogs.first_run import FirstRunDialog

            first_run = FirstRunDialog(self.database.uow_factory, self.runner, description, self.window)
            first_run.admin_created.connect(self._on_first_run_admin_created)
            self._open_start_dialog(first_run)
        else:
            from autoservice_desk.ui.dialogs.login import LoginDialog

            last_login = str(self.base_context.state.value("login/last", "") or "")
            login = LoginDialog(self.database.uow_factory, self.runner, description, last_login, self.window)
            login.logged_in.connect(self.log_in)
            self._open_start_dialog(login)

    def _open_start_dialog(self, dialog: QWidget) -> None:
        from PySide6.QtWidgets import QDialog

        assert isinstance(dialog, QDialog)
        dialog.rejected.connect(self.window.close)  # "Quit": there is nothing to do without a user
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _on_first_run_admin_created(self, info: UserInfo) -> None:
        self.log_in(info.as_actor())

    def log_in(self, actor: Actor) -> None:
        """Hand the screens a unit-of-work factory acting as *actor* (the audit log records who did what)."""
        assert self.database is not None
        self.dialog = None
        self.base_context.state.setValue("login/last", actor.login)
        uow_factory = self.database.uow_factory.acting_as(actor)
        context = self.base_context.with_changes(
            uow_factory=uow_factory, actor=actor, database=self.database.target.describe(),
            database_url=self.database.target.safe_url(),
        )  # fmt: skip
        self.window.set_context(context)
        if self._demo:
            self._add_demo_data(uow_factory)

    # --- demo data ------------------------------------------------------------------------------------------

    def _add_demo_data(self, uow_factory: UnitOfWorkFactory) -> None:
        progress = QProgressDialog(_("Creating a demo shop…"), _("Cancel"), 0, 0, self.window)
        progress.setWindowTitle(_("Demo shop"))
        progress.setMinimumDuration(500)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def work(state: OperationState) -> DemoSummary | None:
            from autoservice_desk.services.clients import has_clients
            from autoservice_desk.services.demo_data import DemoSize, generate_demo_data

            if has_clients(uow_factory):
                return None

            size = DemoSize(clients=DEMO_CLIENTS, shop=True, timezone=str(self.environment.settings.get(SHOP_TIMEZONE)))
            return generate_demo_data(uow_factory, size, state.report, lambda: state.cancelled)

        def reported(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)

        def finished(summary: DemoSummary | None) -> None:
            progress.close()
            progress.deleteLater()
            if summary is not None:
                self.window.statusBar().showMessage(_("Demo shop added: {summary}").format(summary=summary.describe()))

        def failed(error: DomainError) -> None:
            progress.close()
            progress.deleteLater()
            show_error(self.window, error)

        handle = self.runner.run(work, finished, failed, reported)
        progress.canceled.connect(handle.cancel)
        progress.canceled.connect(progress.deleteLater)

    # --- slots ----------------------------------------------------------------------------------------------

    def _on_runner_unhandled_error_occurred(self, error: DomainError) -> None:
        show_error(self.window, error)

    def _on_window_closed(self) -> None:
        self.runner.cancel_all()


def _report_startup_and_quit(desk: Desk) -> None:
    print(f"startup_seconds={_seconds_since_process_start():.3f}", flush=True)
    desk.window.close()


def run_app(db_url: str | None, demo: bool = False) -> int:
    """Run the desk app until the main window closes; returns the process exit code."""
    from autoservice_desk.services.startup import Environment

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    try:
        environment = Environment.load()
    except DomainError as error:
        QMessageBox.critical(None, _("Autoservice desk"), str(error))
        return error.exit_code
    language = install_language(environment.settings.get(LANGUAGE), environment.paths.cache_dir)
    translator = install_qt_translator(app, language)
    desk = Desk(environment, db_url, demo)
    tune_garbage_collection()  # after the window and its modules are loaded: they are frozen out of every scan
    # Closing the main window ends the app even if a stray message box is still up somewhere.
    desk.window.closed.connect(app.quit)
    desk.start()
    if os.environ.get(BENCH_EXIT_ENV):
        QTimer.singleShot(0, lambda: _report_startup_and_quit(desk))
    try:
        return app.exec()
    finally:
        desk.shutdown()
        if translator is not None:
            app.removeTranslator(translator)
