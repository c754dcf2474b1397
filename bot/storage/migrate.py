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
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

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


def migration_engine(url: str) -> AsyncEngine:
    """The engine migrations run on: the app's, but with SQLite foreign keys off.

    Alembic's batch mode changes a SQLite table by building a copy and dropping the original
    (the way SQLite's manual prescribes, https://www.sqlite.org/lang_altertable.html, "Making
    Other Kinds Of Table Schema Changes", step 1: foreign keys off). With them on, dropping
    the original cascades: upgrading through 0007 deleted every upvote. ``check_foreign_keys``
    then proves the result consistent before it is committed.
    """
    return create_engine(url, foreign_keys=False)


def check_foreign_keys(connection: Connection) -> None:
    """Raise ``RuntimeError`` if a migration left a row pointing at nothing (SQLite only;
    PostgreSQL keeps its constraints checked throughout)."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise RuntimeError(f"migration left rows with broken references in: {', '.join(tables)}")


async def upgrade(url: str) -> None:
    """Upgrade the database at ``url`` to the head revision.

    Raises ``RuntimeError`` (and commits nothing) if the upgraded data has broken references.
    """
    config = alembic_config(url)
    engine = migration_engine(url)
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
    check_foreign_keys(connection)
    after = MigrationContext.configure(connection).get_current_revision()
    if before != after:
        log.info("database upgraded from %s to %s", before or "empty", after)
