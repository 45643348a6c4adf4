"""The `servicegate` command.

Engine commands (``sla``, ``staffing``, ``simulate``, ``forecast``, ``bench``) run
without Django and need no database. Every other command is a Django management
command (``demo-data`` is ``demo_data``); on the embedded SQLite default the database
is created and migrated on first use.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# name -> module in servicegate.cli_commands exposing register(subparsers)
ENGINE_COMMANDS = {
    "sla": "servicegate.cli_commands.sla",
    "staffing": "servicegate.cli_commands.staffing",
    "simulate": "servicegate.cli_commands.simulate",
    "forecast": "servicegate.cli_commands.forecast",
    "bench": "servicegate.cli_commands.bench",
    "schedule": "servicegate.cli_commands.schedule",
    "reliability": "servicegate.cli_commands.reliability",
}
# Django commands that run in demo mode (no SECRET_KEY needed, demo users allowed).
DEMO_COMMANDS = {"demo", "demo_data"}
# Django commands that serve pages or check a deployment: these need SECRET_KEY set.
SERVING_COMMANDS = {"runserver", "check", "runserver_plus", "serve"}
# Django commands that must not trigger the automatic migration of the embedded database.
NO_AUTO_MIGRATE = {
    "migrate",
    "makemigrations",
    "check",
    "compilemessages",
    "makemessages",
    "collectstatic",
    "help",
    "version",
    "sqlmigrate",
    "showmigrations",
}

#: ``servicegate --help``: every command with one line, grouped. A test checks that every
#: engine command and every management command of Servicegate's apps is listed.
COMMAND_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Serving",
        (
            ("demo [--port N]", "create the demo organisation on first start and serve it"),
            ("worker [--batch]", "run the background worker for long work"),
            ("serve [--workers N]", "production server (gunicorn) with a supervised worker"),
        ),
    ),
    (
        "Data",
        (
            ("demo-data", "create the demo organisation (--seed N, --size small|large, --force)"),
            ("migrate", "create or update the database tables (explicit on PostgreSQL)"),
            ("import KIND FILE", "import a ticket history: servicenow, events or tickets"),
            ("import maintenance SRC DIR", "machine failures, replacements (SRC: azure-pdm)"),
            ("backup FILE", "back up the database while it runs (SQLite or pg_dump)"),
            ("restore FILE [--force]", "replace the database with a backup"),
        ),
    ),
    (
        "Measurement",
        (
            ("sla compute|deadline", "business-time clocks over CSV files (no database needed)"),
            ("sla discover", "find the SLA rules that explain an imported system's outcomes"),
            ("clocks-recompute", "recompute the promise clocks of all tickets, or of some"),
            ("whatif PROMISE_ID", "replay a promise's terms (a draft's too) over the history"),
        ),
    ),
    (
        "Planning",
        (
            ("staffing erlang-c", "Erlang C / Erlang A staffing (no database needed)"),
            ("simulate queue", "queue simulation (no database needed)"),
            ("forecast", "arrival forecast from a CSV of timestamps (no database needed)"),
            ("forecast-db", "forecast of reactive demand from the ticket history"),
            ("feasibility PROMISE_ID", "Gate 1 feasibility of a promise: kept, staff, verdict"),
            ("bench NAME", "benchmarks side by side with peers (sla, queueing, ...)"),
            ("maintenance-backtest", "fit component lives before a cutoff, predict after it"),
            ("plans-order", "order preventive plans' work ahead, end finished plans (daily)"),
            (
                "schedule vrptw FILE",
                "vehicle routes for a VRPLIB/Solomon file (no database needed)",
            ),
            ("reliability fit|...", "Weibull fit, replacement interval, RUL (no database)"),
        ),
    ),
    (
        "Django administration",
        (
            ("createsuperuser", "create an administrator account"),
            ("changepassword USER", "set a user's password"),
            ("check --deploy", "check the production settings"),
            ("help", "list every Django management command"),
        ),
    ),
)


def usage() -> str:
    """The text of ``servicegate --help``."""
    width = max(len(name) for _group, rows in COMMAND_GROUPS for name, _text in rows) + 2
    lines = ["usage: servicegate <command> [options]", ""]
    for group, rows in COMMAND_GROUPS:
        lines.append(f"{group}:")
        lines += [f"  {name:<{width}}{text}" for name, text in rows]
    lines += ["", "`servicegate <command> --help` explains a command and its options."]
    return "\n".join(lines)


def setup_django(*, demo: bool = False, offline: bool = True) -> None:
    """Configure Django for a command; ``demo`` runs in demo mode.

    ``offline`` marks work that serves no pages, which may fall back to the key
    generated in the data directory when SECRET_KEY is unset.
    """
    if demo:
        os.environ["SERVICEGATE_DEMO"] = "1"
    if offline:
        os.environ.setdefault("SERVICEGATE_OFFLINE_COMMAND", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicegate.settings")
    import django

    django.setup()


def ensure_embedded_database() -> None:
    """Create and migrate the embedded SQLite database if it is missing or behind."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if not getattr(settings, "EMBEDDED_DATABASE", False):
        return
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("Preparing the embedded database …", file=sys.stderr)
        call_command("migrate", verbosity=0, interactive=False)


def run_engine_command(name: str, argv: Sequence[str]) -> int:
    """Parse and run one of the Django-free engine commands."""
    parser = argparse.ArgumentParser(prog="servicegate")
    subparsers = parser.add_subparsers(dest="command", required=True)
    importlib.import_module(ENGINE_COMMANDS[name]).register(subparsers)
    args = parser.parse_args([name, *argv])
    func = getattr(args, "func", None)
    if func is None:
        parser.parse_args([name, "--help"])
        return 2
    return int(func(args))


def run_django_command(name: str, argv: Sequence[str]) -> int:
    """Run a Django management command, preparing the embedded database first."""
    from django.core.exceptions import ImproperlyConfigured

    command = name.replace("-", "_")
    try:
        setup_django(demo=command in DEMO_COMMANDS, offline=command not in SERVING_COMMANDS)
        from django.core.management import execute_from_command_line
        from django.db import OperationalError, ProgrammingError

        try:
            if command not in NO_AUTO_MIGRATE and not {"-h", "--help"} & set(argv):
                ensure_embedded_database()
            if command == "import" and not {"-h", "--help"} & set(argv):
                from servicegate.core.locks import exclusive_import

                # One import at a time on SQLite: a second one waits and says so.
                with exclusive_import(say=lambda text: print(text, file=sys.stderr)):
                    execute_from_command_line(["servicegate", command, *argv])
            else:
                execute_from_command_line(["servicegate", command, *argv])
        except OperationalError as exc:
            print(f"servicegate: error: {database_error_sentence(exc)}", file=sys.stderr)
            return 1
        except ProgrammingError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            print(
                f"servicegate: error: the database is not ready ({first_line}); "
                "run `servicegate migrate` first.",
                file=sys.stderr,
            )
            return 1
    except ImproperlyConfigured as exc:
        print(f"servicegate: error: {exc}", file=sys.stderr)
        return 2
    return 0


def database_error_sentence(exc: Exception) -> str:
    """One sentence on why the database cannot be used and what to do."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if settings.EMBEDDED_DATABASE and "locked" in str(exc).lower():
        return (
            f"The embedded database {db['NAME']} is locked by another write ({exc}); "
            "try again when it has finished."
        )
    if settings.EMBEDDED_DATABASE:
        return (
            f"The embedded database {db['NAME']} cannot be used ({exc}); check that "
            "SERVICEGATE_DATA_DIR is writable."
        )
    where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db.get('NAME')}"
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"Cannot reach the database at {where} ({first_line}); check DATABASE_URL and that "
        "PostgreSQL is running, then run `servicegate migrate`."
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `servicegate` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if name == "sla" and rest[:1] == ["discover"]:
        name, rest = "sla_discover", rest[1:]
    if name == "import" and rest[:1] == ["maintenance"]:
        name, rest = "import_maintenance", rest[1:]
    if name in ENGINE_COMMANDS:
        return run_engine_command(name, rest)
    return run_django_command(name, rest)


if __name__ == "__main__":
    raise SystemExit(main())
