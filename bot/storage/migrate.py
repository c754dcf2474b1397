"""Bring a database to the newest schema; run at every start-up.

Alembic's command API is synchronous, so it runs inside ``AsyncConnection.run_sync`` on a
connection from our own engine (same pragmas as the app). A new database is created at head;
an older one is upgraded; one already at head is left alone.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from bot.storage.database import create_engine

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
"""The repository root: it holds ``alembic.ini`` and ``migrations/``."""


def alembic_config(url: str) -> Config:
    """The project's alembic config pointed at ``url`` (works without ``alembic.ini`` too)."""
    ini = ROOT / "alembic.ini"
    config = Config(str(ini)) if ini.exists() else Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    return config


def head_revision() -> str | None:
    """The newest revision in ``migrations/versions``."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


async def upgrade(url: str) -> None:
    """Upgrade the database at ``url`` to the head revision."""
    config = alembic_config(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_upgrade, config)
            await connection.commit()
    finally:
        await engine.dispose()


async def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at (``None`` when never migrated)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


def _upgrade(connection: Connection, config: Config) -> None:
    before = MigrationContext.configure(connection).get_current_revision()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    after = MigrationContext.configure(connection).get_current_revision()
    if before != after:
        log.info("database upgraded from %s to %s", before or "empty", after)
