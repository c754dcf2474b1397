"""Logging, configured in one place, with the platform libraries gated below WARNING.

Why a gate and not only logger levels: the libraries set levels on their own child loggers.
bolt names its loggers after the app (``app.py:AsyncRequestVerification``) and copies the
*root* level onto each at start-up, so a quiet ``slack_bolt`` parent was overridden and a
request that failed verification was logged at INFO with the member's id, name, ranking and
``response_url``. discord.py, slack_sdk, aiohttp and SQLAlchemy log whole payloads or SQL
parameters at DEBUG. So the one stderr handler carries ``LibraryGate``: any record below
WARNING from a library namespace (or from a logger named the bolt way, ``name:Class``) is
dropped whatever the logger's level says. Our own loggers follow ``LOG_LEVEL``; they never log
request content (user ids, names, rankings, question text) at any level.
"""

from __future__ import annotations

import logging
import sys

LIBRARIES = (
    "aiosqlite",
    "sqlalchemy",
    "alembic",
    "asyncio",
    "discord",
    "slack_sdk",
    "slack_bolt",
    "slack",
    "aiohttp",
    "websockets",
    "urllib3",
)
"""Logger namespaces whose records below WARNING never reach the log."""
LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def is_library(name: str) -> bool:
    """Whether a logger belongs to a platform or database library (see ``LIBRARIES``)."""
    if ":" in name:  # bolt's per-app loggers: "<app name>:<middleware class>"
        return True
    return any(name == lib or name.startswith(lib + ".") for lib in LIBRARIES)


class LibraryGate(logging.Filter):
    """Drops library records below WARNING (see the module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not is_library(record.name)


def configure_logging(level: str) -> None:
    """stderr, one line per record; libraries held at WARNING by level *and* by the gate."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    gate = LibraryGate()
    for handler in logging.getLogger().handlers:
        handler.addFilter(gate)
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
