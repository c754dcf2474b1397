"""Alembic environment: async engine, batch mode for SQLite, models as the target.

The URL comes, in order, from the caller (``config.attributes["url"]``, set by
``bot.storage.migrate``), ``-x url=...`` on the alembic command line, ``sqlalchemy.url`` in the
ini file, and finally the app's own ``Settings`` (``DATABASE_URL`` / ``.env``). When the caller
hands over an open connection (``config.attributes["connection"]``) it is used as is.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from bot.storage.migrate import check_foreign_keys, migration_engine
from bot.storage.tables import Base

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = Base.metadata


def _url() -> str:
    given = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    if given:
        return str(given)
    in_ini = config.get_main_option("sqlalchemy.url")
    if in_ini:
        return in_ini
    from bot.config import Settings  # noqa: PLC0415 - only when nothing else named a URL

    return Settings().database_url


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )


def _run_sync(connection: Connection) -> None:
    if (
        connection.dialect.name == "sqlite"
        and connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    ):
        raise RuntimeError(
            "SQLite migrations must run with foreign keys off (bot.storage.migrate."
            "migration_engine): batch mode's table rebuilds would cascade-delete rows"
        )
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
        check_foreign_keys(connection)


async def _run_async() -> None:
    engine = migration_engine(_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


def run_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
        return
    asyncio.run(_run_async())


if context.is_offline_mode():
    run_offline()
else:
    run_online()
