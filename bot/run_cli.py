"""``hustings run``, ``hustings fake`` and ``hustings db upgrade``: starting the bot.

This is the composition root for the bot itself: settings are read once here, logging is
configured once here, and the core is built and handed to an adapter. With no Discord or Slack
token, ``run`` starts the fake chat console on the configured database (a SQLite file under
``./data`` by default), so the bot can be tried with nothing but Python.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import Settings

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNAVAILABLE = 2

_QUIET_LOGGERS = ("aiosqlite", "sqlalchemy", "alembic", "asyncio")
"""Libraries whose debug output can contain SQL parameters (rankings): never below WARNING."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = subparsers.add_parser("run", help="start the bot (the fake chat when no tokens are set)")
    run.set_defaults(handler=_run)

    fake = subparsers.add_parser("fake", help="the in-memory chat console, or run a script")
    fake.add_argument("--script", type=Path, metavar="FILE", help="read chat lines from FILE")
    fake.add_argument("--database", metavar="URL", help="database URL (default: DATABASE_URL)")
    fake.set_defaults(handler=_fake)

    db = subparsers.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="bring the database to the newest schema")
    upgrade.add_argument("--database", metavar="URL", help="database URL (default: DATABASE_URL)")
    upgrade.set_defaults(handler=_db_upgrade)


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


def _run(args: argparse.Namespace) -> int:
    settings = _settings()
    configure_logging(settings.log_level)
    wanted = [
        name
        for name, token in (
            ("Discord", settings.discord_token),
            ("Slack", settings.slack_bot_token or settings.slack_app_token),
        )
        if token is not None
    ]
    if wanted:
        print(
            f"{' and '.join(wanted)} token(s) are set, but the {' and '.join(wanted)} "
            "adapter(s) are not available in this version yet. Unset the token(s) to use the "
            "fake chat console (hustings fake).",
            file=sys.stderr,
        )
        return EXIT_UNAVAILABLE
    log.info("no Discord or Slack token set: starting the fake chat console")
    return _start_fake(settings, None)


def _fake(args: argparse.Namespace) -> int:
    settings = _settings(args.database)
    configure_logging(settings.log_level)
    return _start_fake(settings, args.script)


def _start_fake(settings: Settings, script: Path | None) -> int:
    from bot.adapters.fake.run import run_fake  # noqa: PLC0415 - keeps `hustings --help` fast

    if script is None:
        return asyncio.run(run_fake(settings, None, sys.stdout))
    try:
        lines = script.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"hustings fake: cannot read {script}: {exc.strerror}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    return asyncio.run(run_fake(settings, lines, sys.stdout))


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.storage.migrate import upgrade  # noqa: PLC0415 - keeps `hustings --help` fast

    settings = _settings(args.database)
    configure_logging(settings.log_level)
    asyncio.run(upgrade(settings.database_url))
    print(f"database is at the newest schema: {_shown(settings.database_url)}")
    return EXIT_OK


def _shown(url: str) -> str:
    """The URL without any password, for printing."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(url).render_as_string(hide_password=True)
