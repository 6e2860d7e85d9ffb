"""The command line: run the app, upgrade and check the schema, back up and restore, demo data, import, export."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from autoservice_desk import __version__, cli_jobs, cli_quoting, cli_transfer
from autoservice_desk.i18n import _, install_language
from autoservice_desk.services.errors import DomainError

if TYPE_CHECKING:
    from autoservice_desk.db import DatabaseTarget
    from autoservice_desk.services.startup import Environment

log = logging.getLogger(__name__)
Handler = Callable[[argparse.Namespace], int]


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", default=argparse.SUPPRESS,
        help="database: sqlite:///path, postgresql://user@host/db or a file path (env AUTOSERVICE_DB_URL)",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autoservice-desk", description="Workstation for car repair shops.")
    parser.add_argument("--version", action="version", version=f"autoservice-desk {__version__}")
    _add_db_option(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="open the main window (the default)")
    run.add_argument("--demo", action="store_true", help="fill an empty database with a demo shop first")
    _add_db_option(run)

    db = commands.add_parser("db", help="database schema: upgrade, current, check")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, text in (
        ("upgrade", "create or upgrade the schema (a SQLite file is backed up first)"),
        ("current", "show the schema revision of the database"),
        ("check", "exit 0 when the schema is up to date, 1 when it needs an upgrade, 4 when it is newer"),
    ):
        _add_db_option(db_commands.add_parser(name, help=text))
    downgrade = db_commands.add_parser("downgrade", help="step the schema back (developers)")
    downgrade.add_argument("revision")
    _add_db_option(downgrade)
    revision = db_commands.add_parser("revision", help="write a new migration from the models (developers)")
    revision.add_argument("-m", "--message", required=True)
    _add_db_option(revision)

    backup = commands.add_parser("backup", help="back up the database to PATH (default: the backups folder)")
    backup.add_argument("path", nargs="?", type=Path)
    _add_db_option(backup)
    restore = commands.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("path", type=Path)
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_db_option(restore)

    demo = commands.add_parser("demo-data", help="add a realistic demo shop to the database")
    demo.add_argument("--clients", type=int, default=300, metavar="N", help="number of clients (default 300)")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same shop)")
    demo.add_argument("--no-users", action="store_true", help="do not create the demo staff accounts")
    _add_db_option(demo)
    cli_transfer.add_parsers(commands, _add_db_option)
    cli_jobs.add_parsers(commands, _add_db_option)
    cli_quoting.add_parsers(commands, _add_db_option)
    return parser


def environment_and_target(options: argparse.Namespace) -> tuple[Environment, DatabaseTarget]:
    from autoservice_desk.services.startup import Environment, choose_target

    environment = Environment.load()
    return environment, choose_target(environment, getattr(options, "db", None))


def command_run(options: argparse.Namespace) -> int:
    from autoservice_desk.app import run_app

    return run_app(getattr(options, "db", None), demo=getattr(options, "demo", False))


def command_db(options: argparse.Namespace) -> int:
    from autoservice_desk.services import schema
    from autoservice_desk.services.startup import connect

    environment, target = environment_and_target(options)
    engine = connect(environment, target, create_missing=options.db_command == "upgrade")
    try:
        if options.db_command == "upgrade":
            from autoservice_desk.config import BACKUPS_KEPT

            result = schema.upgrade(
                engine, target, environment.paths.backups_dir, environment.settings.get(BACKUPS_KEPT)
            )
            if result.before == result.after:
                print(
                    _("{db}: the schema is already up to date ({rev}).").format(db=target.describe(), rev=result.after)
                )
            else:
                print(
                    _("{db}: upgraded from {before} to {after}.").format(
                        db=target.describe(), before=result.before or _("empty"), after=result.after
                    )
                )
            if result.backup:
                print(_("Backup taken first: {path}").format(path=result.backup))
            return 0
        if options.db_command == "downgrade":
            schema.downgrade(engine, options.revision)
            print(schema.schema_status(engine).describe())
            return 0
        if options.db_command == "revision":
            schema.make_revision(engine, options.message)
            return 0
        status = schema.schema_status(engine)
        if options.db_command == "current":
            print(f"{target.describe()}: {status.current or _('empty')} ({status.state.value})")
            return 0
        print(status.describe())
        return {schema.SchemaState.CURRENT: 0, schema.SchemaState.NEWER: 4}.get(status.state, 1)
    finally:
        engine.dispose()


def command_backup(options: argparse.Namespace) -> int:
    from autoservice_desk.clock import utc_now
    from autoservice_desk.services import backup
    from autoservice_desk.services.startup import connect, database_password

    environment, target = environment_and_target(options)
    path: Path = options.path or environment.paths.backups_dir / backup.default_backup_name(target, utc_now())
    if path.is_dir():
        path = path / backup.default_backup_name(target, utc_now())
    if target.is_sqlite:
        result = backup.backup_sqlite(target.sqlite_path, path)
        print(
            _("Backed up {db} to {path} ({size} KiB).").format(
                db=target.describe(), path=result.path, size=result.size_bytes // 1024
            )
        )
        return 0
    connect(environment, target).dispose()  # a clear message now beats a cryptic pg_dump one
    backup.run_pg_tool(backup.pg_dump_command(target, path), database_password(environment, target))
    print(_("Backed up {db} to {path}.").format(db=target.describe(), path=path))
    return 0


def command_restore(options: argparse.Namespace) -> int:
    from autoservice_desk.services import backup
    from autoservice_desk.services.startup import database_password

    environment, target = environment_and_target(options)
    if not options.yes:
        if not sys.stdin.isatty():
            raise DomainError(_("Restoring replaces the whole database; add --yes to confirm."))
        question = _("Replace {db} with {path}? Type yes to confirm: ")
        answer = input(question.format(db=target.describe(), path=options.path))
        if answer.strip().lower() not in ("yes", "да"):
            print(_("Nothing was restored."))
            return 1
    if target.is_sqlite:
        backup.restore_sqlite(options.path, target.sqlite_path)
    else:
        if not options.path.is_file():
            raise DomainError(_("There is no backup file at {path}.").format(path=options.path))
        backup.run_pg_tool(backup.pg_restore_command(target, options.path), database_password(environment, target))
    print(_("Restored {db} from {path}.").format(db=target.describe(), path=options.path))
    return 0


def command_demo_data(options: argparse.Namespace) -> int:
    from autoservice_desk.config import SHOP_TIMEZONE
    from autoservice_desk.services.demo_data import DemoSize, generate_demo_data
    from autoservice_desk.services.startup import open_database

    if options.clients < 0:
        raise DomainError(_("The number of clients cannot be negative."))
    environment, target = environment_and_target(options)
    database = open_database(environment, target)
    try:

        def report(done: int, total: int) -> None:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

        summary = generate_demo_data(
            database.uow_factory,
            DemoSize(
                clients=options.clients,
                seed=options.seed,
                users=not options.no_users,
                shop=True,
                timezone=str(environment.settings.get(SHOP_TIMEZONE)),
            ),
            progress=report,
        )
        print(file=sys.stderr)
        print(_("Demo shop added to {db}: {summary}").format(db=target.describe(), summary=summary.describe()))
        return 0
    finally:
        database.close()


HANDLERS: dict[str, Handler] = {
    "run": command_run, "db": command_db, "backup": command_backup, "restore": command_restore,
    "demo-data": command_demo_data, "import": cli_transfer.command_import, "export": cli_transfer.command_export,
    "jobs": cli_jobs.command_jobs, "quote": cli_quoting.command_quote,
}  # fmt: skip


def _setup_logging() -> Path | None:
    from autoservice_desk.config import Paths

    try:
        log_dir = Paths.for_user().log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "autoservice-desk.log"
        logging.basicConfig(
            filename=log_file, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        return log_file
    except OSError:
        return None  # a read-only data folder is reported by whatever needs it, with a clear message


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `autoservice-desk`: one clear line and a non-zero exit code on any failure."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    log_file = _setup_logging()
    try:
        from autoservice_desk.config import LANGUAGE
        from autoservice_desk.services.startup import Environment

        environment = Environment.load()
        install_language(environment.settings.get(LANGUAGE), environment.paths.cache_dir)
    except (DomainError, OSError):
        pass  # the command below reports the same problem in context
    options = build_parser().parse_args(arguments)
    command = options.command or "run"
    try:
        return HANDLERS[command](options)
    except DomainError as error:
        print(f"autoservice-desk: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130
    except Exception as error:  # the last resort: one line for the person, the traceback for the log
        log.exception("unexpected error in %s", command)
        where = _(" (details in {path})").format(path=log_file) if log_file else ""
        print(_("autoservice-desk: unexpected error: {error}").format(error=error) + where, file=sys.stderr)
        return 1
