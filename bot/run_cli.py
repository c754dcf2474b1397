"""``hustings run``, ``hustings fake`` and ``hustings db upgrade``: starting the bot.

This is the composition root for the bot itself: settings are read once here, logging is
configured once here, and the core is built and handed to an adapter.

``run`` serves one platform, ``--platform`` or ``PLATFORM`` (default ``auto``): ``auto`` picks
Discord when ``DISCORD_TOKEN`` is set, Slack when ``SLACK_BOT_TOKEN`` or ``SLACK_CLIENT_ID``
is, else the fake chat console on the configured database (a SQLite file under ``./data`` by
default), so the bot can be tried with nothing but Python. ``fake`` is the console on a
throwaway database (``--database`` for a real one), so a script tells the same story every
time, wherever it runs and whatever ran before.

Logs go to stderr: at ``LOG_LEVEL``, else INFO when a real platform is served and WARNING in
the consoles, whose standard output is the chat transcript (``log_level``); library logs are
gated below WARNING (``bot.logs``).

Start-up problems (a bad setting, URL, folder, database file or secret) are one line naming the
setting and exit code 2 (``_guarded``; ``--debug`` adds the traceback); the checks live in
``bot.startup_checks``, imported lazily.

Discord and Slack runners are imported only when chosen (``RUNNERS``); chosen without
credentials they run ``local``: against their fake server on loopback, driven by console
lines typed on standard input.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Literal

from bot.config import Settings
from bot.errors import StartupProblem
from bot.logs import configure_logging

__all__ = ["configure_logging", "log_level", "register"]

Handler = Callable[[argparse.Namespace], int]

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNAVAILABLE = 2

Platform = Literal["fake", "discord", "slack"]
PLATFORMS = ("auto", "fake", "discord", "slack")
RUNNERS: dict[str, str] = {
    "discord": "bot.adapters.discord.runner",
    "slack": "bot.adapters.slack.runner",
}
"""Each real platform's runner module: ``async def run(settings, *, local: bool) -> int``."""
_SHOWN = {"discord": "Discord", "slack": "Slack"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = subparsers.add_parser("run", help="start the bot (the fake chat when no tokens are set)")
    run.add_argument(
        "--platform",
        choices=PLATFORMS,
        help="which chat to serve (default: PLATFORM, else auto: by the tokens that are set)",
    )
    _debug_flag(run)
    run.set_defaults(handler=_guarded(_run))

    fake = subparsers.add_parser(
        "fake", help="the chat console on a throwaway database, or run a script on it"
    )
    fake.add_argument("--script", type=Path, metavar="FILE", help="read chat lines from FILE")
    fake.add_argument(
        "--database",
        metavar="URL",
        help="database URL to keep (default: a temporary one, deleted on exit, with a fixed "
        "COUNT_SEED and repeatable receipts, so a script gives the same transcript every run)",
    )
    _debug_flag(fake)
    fake.set_defaults(handler=_guarded(_fake))

    db = subparsers.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="bring the database to the newest schema")
    upgrade.add_argument("--database", metavar="URL", help="database URL (default: DATABASE_URL)")
    _debug_flag(upgrade)
    upgrade.set_defaults(handler=_guarded(_db_upgrade))
    accept = db_commands.add_parser(
        "accept-key",
        help="make the current voter-key secret the database's (rotation; no election open)",
    )
    accept.add_argument("--database", metavar="URL", help="database URL (default: DATABASE_URL)")
    _debug_flag(accept)
    accept.set_defaults(handler=_guarded(_db_accept_key))


def _debug_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", help="on a start-up problem, print the full traceback"
    )


def log_level(settings: Settings, *, console: bool) -> str:
    """``LOG_LEVEL`` if set; else WARNING for a console (its stdout is the transcript), INFO."""
    if settings.log_level:
        return settings.log_level
    return "WARNING" if console else "INFO"


def _settings(database: str | None = None) -> Settings:
    """Settings from the environment; a bad value is a ``StartupProblem`` naming it."""
    from bot.startup_checks import load_settings  # noqa: PLC0415 - keeps `hustings count` light

    if database:
        return load_settings(lambda: Settings(database_url=database))
    return load_settings()


def _guarded(body: Handler) -> Handler:
    """Run a sub-command; a ``StartupProblem`` is one line on stderr and exit 2 (a traceback
    too with ``--debug``)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return body(args)
        except StartupProblem as problem:
            if getattr(args, "debug", False):
                traceback.print_exc()
            print(f"hustings: cannot start: {problem}", file=sys.stderr)
            return EXIT_UNAVAILABLE

    return run


def choose_platform(settings: Settings, requested: str | None = None) -> Platform:
    """The platform to serve: as requested (flag, then settings), ``auto`` by credentials."""
    wanted = requested or settings.platform
    if wanted == "fake":
        return "fake"
    if wanted == "discord":
        return "discord"
    if wanted == "slack":
        return "slack"
    if settings.discord_token is not None:
        return "discord"
    if settings.slack_bot_token is not None or settings.slack_client_id is not None:
        return "slack"
    return "fake"


def has_credentials(settings: Settings, platform: Platform) -> bool:
    """Whether ``platform`` can reach the real service (else its runner goes ``local``)."""
    if platform == "discord":
        return settings.discord_token is not None
    if platform == "slack":
        return settings.slack_bot_token is not None or settings.slack_client_id is not None
    return False


def _run(args: argparse.Namespace) -> int:
    settings = _settings()
    platform = choose_platform(settings, args.platform)
    console = platform == "fake" or not has_credentials(settings, platform)
    configure_logging(log_level(settings, console=console))
    if platform == "fake":
        from bot.startup_checks import preflight  # noqa: PLC0415 - keeps `hustings count` light

        preflight(settings, real_platform=False)
        log.info("starting the fake chat console")
        return _start_fake(settings, None, freeze_gc=True)
    return run_platform(settings, platform)


def run_platform(settings: Settings, platform: Platform) -> int:
    """Import ``platform``'s runner and run it; exit 2 with a clear message if it is missing."""
    from bot.startup_checks import preflight  # noqa: PLC0415 - keeps `hustings count` light

    runner = load_runner(platform)
    if runner is None:
        return EXIT_UNAVAILABLE
    local = not has_credentials(settings, platform)
    preflight(settings, real_platform=not local)
    if local:
        log.info("no %s credentials set: running against its local fake", _SHOWN[platform])
    code: int = asyncio.run(runner.run(settings, local=local))
    return code


def load_runner(platform: Platform) -> ModuleType | None:
    """The runner module, or ``None`` after telling the user why it cannot be imported."""
    module_name = RUNNERS[platform]
    shown = _SHOWN[platform]
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (module_name == missing or module_name.startswith(missing + ".")):
            print(
                f"hustings run: the {shown} adapter ({module_name}) is not available in this "
                "version. Use --platform fake (or PLATFORM=fake) for the fake chat console.",
                file=sys.stderr,
            )
        else:
            print(
                f"hustings run: cannot start the {shown} adapter: the Python module "
                f"{missing!r} is not installed (reinstall with: pip install -e .).",
                file=sys.stderr,
            )
        return None


def _fake(args: argparse.Namespace) -> int:
    settings = _settings(args.database)
    configure_logging(log_level(settings, console=True))
    if args.database is not None:  # else a temporary folder holds everything
        from bot.startup_checks import preflight  # noqa: PLC0415 - keeps `hustings count` light

        preflight(settings, real_platform=False)
    return _start_fake(settings, args.script, throwaway=args.database is None)


def _start_fake(
    settings: Settings, script: Path | None, *, freeze_gc: bool = False, throwaway: bool = False
) -> int:
    """The console on ``settings``' database, or on a throwaway one (deleted on exit)."""
    from bot.adapters.fake.run import run_fake, throwaway_core  # noqa: PLC0415 - lazy

    lines: list[str] | None = None
    if script is not None:
        try:
            lines = script.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            print(f"hustings fake: cannot read {script}: {exc.strerror}", file=sys.stderr)
            return EXIT_UNAVAILABLE
    if not throwaway:
        return asyncio.run(run_fake(settings, lines, sys.stdout, freeze_gc=freeze_gc))
    with throwaway_core(settings) as (temporary, receipts):
        return asyncio.run(run_fake(temporary, lines, sys.stdout, receipts=receipts))


def _db_settings(args: argparse.Namespace) -> Settings:
    """Settings for a ``hustings db`` command, with logging set and the database URL and file
    checked first (a bad one is a ``StartupProblem``: one line, exit 2)."""
    from bot.startup_checks import check_database_url, check_sqlite_file  # noqa: PLC0415

    settings = _settings(args.database)
    configure_logging(log_level(settings, console=False))
    check_sqlite_file(check_database_url(settings.database_url))
    return settings


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.startup_checks import database_problems  # noqa: PLC0415
    from bot.storage.migrate import upgrade  # noqa: PLC0415 - keeps `hustings --help` fast

    settings = _db_settings(args)
    with database_problems(settings.database_url):
        asyncio.run(upgrade(settings.database_url))
    print(f"database is at the newest schema: {_shown(settings.database_url)}")
    return EXIT_OK


def _db_accept_key(args: argparse.Namespace) -> int:
    """Record the configured voter-key secret's fingerprint (see ``services.keycheck``)."""
    from bot.keys import load_voter_secret  # noqa: PLC0415
    from bot.services import keycheck  # noqa: PLC0415
    from bot.startup_checks import database_problems  # noqa: PLC0415
    from bot.storage.database import create_engine, session_factory  # noqa: PLC0415
    from bot.storage.migrate import upgrade  # noqa: PLC0415

    settings = _db_settings(args)
    secret = load_voter_secret(settings, strict=False)

    async def accept() -> None:
        await upgrade(settings.database_url)
        engine = create_engine(settings.database_url)
        try:
            await keycheck.accept(session_factory(engine), secret)
        finally:
            await engine.dispose()

    try:
        with database_problems(settings.database_url):
            asyncio.run(accept())
    except keycheck.KeyRotationRefused as refused:
        print(f"hustings db accept-key: refused: {refused}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    print("the database now expects the configured voter-key secret")
    return EXIT_OK


def _shown(url: str) -> str:
    """The URL without any password, for printing."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(url).render_as_string(hide_password=True)
