"""The `jobs` commands: run the scheduler without a window (a back-office PC, a server), or every job once."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from autoservice_desk.i18n import _


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_db: Callable[..., None]) -> None:
    jobs = commands.add_parser("jobs", help="the message scheduler: delivery, reminders, daily checks")
    kinds = jobs.add_subparsers(dest="jobs_command", metavar="COMMAND", required=True)
    run = kinds.add_parser("run", help="run the scheduler until Ctrl+C or SIGTERM")
    run.add_argument("--interval", type=float, default=15.0, metavar="S", help="seconds between deliveries")
    add_db(run)
    once = kinds.add_parser("run-once", help="queue due reminders, deliver once and exit")
    add_db(once)


def command_jobs(options: argparse.Namespace) -> int:
    from autoservice_desk.cli import environment_and_target
    from autoservice_desk.services.scheduler import run_jobs_once, start_scheduler
    from autoservice_desk.services.startup import open_database

    environment, target = environment_and_target(options)
    database = open_database(environment, target)
    try:
        if options.jobs_command == "run-once":
            report = run_jobs_once(database.uow_factory, environment.secrets)
            if report is None:
                print(_("Another desk is delivering messages now; nothing was sent from here."))
            else:
                print(
                    _("Sent: {sent}, failed: {failed}, waiting: {waiting}, delivered: {delivered}.").format(
                        sent=report.sent, failed=report.failed, waiting=report.postponed, delivered=report.delivered
                    )
                )
            return 0
        stop = threading.Event()

        def on_signal(number: int, frame: FrameType | None) -> None:
            stop.set()

        previous = signal.signal(signal.SIGTERM, on_signal)
        scheduler = start_scheduler(database.uow_factory, environment.secrets, delivery_interval_s=options.interval)
        print(_("The message scheduler runs on {db}; Ctrl+C stops it.").format(db=target.describe()), flush=True)
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            scheduler.stop()
            signal.signal(signal.SIGTERM, previous)
        print(_("The message scheduler has stopped."), file=sys.stderr)
        return 0
    finally:
        database.close()
