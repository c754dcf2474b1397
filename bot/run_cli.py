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
the consoles, whose standard output is the chat transcript (``log_level``).

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
from pathlib import Path
from types import ModuleType
from typing import Literal

from bot.config import Settings

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

_QUIET_LOGGERS = (
    "aiosqlite",
    "sqlalchemy",
    "alembic",
    "asyncio",
    "discord",
    "slack_sdk",
    "slack_bolt",
    "aiohttp",
)
"""Libraries whose debug output can carry rankings: SQL parameters, or whole gateway events and
API payloads naming the member beside their /rank text. Never below WARNING, whatever
LOG_LEVEL says, so turning on DEBUG to chase a problem cannot link members to ballots."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = subparsers.add_parser("run", help="start the bot (the fake chat when no tokens are set)")
    run.add_argument(
        "--platform",
        choices=PLATFORMS,
        help="which chat to serve (default: PLATFORM, else auto: by the tokens that are set)",
    )
    run.set_defaults(handler=_run)

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
    fake.set_defaults(handler=_fake)

    db = subparsers.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="bring the database to the newest schema")
    upgrade.add_argument("--database", metavar="URL", help="database URL (default: DATABASE_URL)")
    upgrade.set_defaults(handler=_db_upgrade)


def log_level(settings: Settings, *, console: bool) -> str:
    """``LOG_LEVEL`` if set; else WARNING for a console (its stdout is the transcript), INFO."""
    if settings.log_level:
        return settings.log_level
    return "WARNING" if console else "INFO"


def configure_logging(level: str) -> None:
    """One place for logging: stderr, one line per record, libraries kept quiet."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))


def _settings(database: str | None = None) -> Settings:
    return Settings(database_url=database) if database else Settings()


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
        log.info("starting the fake chat console")
        return _start_fake(settings, None, freeze_gc=True)
    return run_platform(settings, platform)


def run_platform(settings: Settings, platform: Platform) -> int:
    """Import ``platform``'s runner and run it; exit 2 with a clear message if it is missing."""
    runner = load_runner(platform)
    if runner is None:
        return EXIT_UNAVAILABLE
    local = not has_credentials(settings, platform)
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


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.storage.migrate import upgrade  # noqa: PLC0415 - keeps `hustings --help` fast

    settings = _settings(args.database)
    configure_logging(log_level(settings, console=False))
    asyncio.run(upgrade(settings.database_url))
    print(f"database is at the newest schema: {_shown(settings.database_url)}")
    return EXIT_OK


def _shown(url: str) -> str:
    """The URL without any password, for printing."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(url).render_as_string(hide_password=True)
