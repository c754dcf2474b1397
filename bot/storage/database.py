"""Engine, sessions and the one way services open a transaction.

SQLite specifics are set on every new connection (a ``connect`` event): WAL so readers never
block the writer, foreign keys on, a busy timeout, and ``synchronous=FULL`` so a ballot we
acknowledged survives a power cut. pysqlite's own implicit transactions are switched off and
we emit ``BEGIN`` ourselves: write transactions use ``BEGIN IMMEDIATE`` so two writers never
both read and then fail to upgrade (``SQLITE_BUSY_SNAPSHOT``); read-only ones stay deferred.
Inside one process writers also queue on an ``asyncio.Lock`` rather than spinning in SQLite's
busy handler, which keeps tail latency flat under hundreds of concurrent voters.

A new SQLite file and its folder are created owner-only (0600 / 0700).

PostgreSQL (``postgresql+asyncpg://``) runs at its default READ COMMITTED with no writer
lock: writers run side by side, and where SQLite relied on ``BEGIN IMMEDIATE`` serialising
everything, the queries lock what they must (``queries.elections_in(lock=True)`` and
``ballot_boxes(lock=True)`` take the channel's election rows ``FOR UPDATE``;
``queries.lock_channel`` a per-channel advisory lock for numbering), so the same guarantees
hold across connections and across processes.

Logs never carry bound parameters (a ballot's ranking is one): ``hide_parameters`` for
SQLAlchemy, and the aiosqlite driver logger is held at INFO.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

from bot.storage.tables import CLOCK_OPTION

Sessions = async_sessionmaker[AsyncSession]

BUSY_TIMEOUT_MS = 30_000
_READ_ONLY = "hustings_read_only"
_write_locks: WeakKeyDictionary[AsyncEngine, asyncio.Lock] = WeakKeyDictionary()


def create_engine(
    url: str,
    *,
    foreign_keys: bool = True,
    clock: Callable[[], datetime] | None = None,
    **kwargs: Any,
) -> AsyncEngine:
    """An async engine for ``url``; SQLite files get their directory and pragmas.

    ``clock`` (the app's ``ServiceContext.clock``) dates the rows whose times the tables fill
    in themselves (``updated_at`` on every change, ``created_at``, an upvote's or audit
    entry's ``at``; ``tables.CLOCK_OPTION``); without it they take the wall clock.

    ``foreign_keys=False`` is for migrations only (``bot.storage.migrate.migration_engine``):
    Alembic's batch mode rebuilds a SQLite table by copying it and dropping the original, and
    with foreign keys on, that drop cascades (rebuilding ``questions`` deleted every upvote).
    """
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        _owner_only_file(Path(parsed.database))
    kwargs.setdefault("hide_parameters", True)  # SQL logs and errors never show a ranking
    if clock is not None:
        kwargs["execution_options"] = {**kwargs.get("execution_options", {}), CLOCK_OPTION: clock}
    _quiet_driver_logs()
    engine = _create_async_engine(url, **kwargs)
    if is_sqlite:
        _install_sqlite_events(engine, foreign_keys=foreign_keys)
    return engine


def _owner_only_file(path: Path) -> None:
    """Create a new SQLite file (and its folder) readable by its owner only (0600 / 0700).

    SQLite gives the ``-wal`` and ``-shm`` files the database file's permissions, so they
    follow. An existing file is left as the operator set it.
    """
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):  # another process created it first
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _quiet_driver_logs() -> None:
    """aiosqlite logs every statement *with its parameters* at DEBUG; keep it above that."""
    driver = logging.getLogger("aiosqlite")
    if driver.level < logging.INFO:  # NOTSET too: a DEBUG root must not switch it on
        driver.setLevel(logging.INFO)


def _install_sqlite_events(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> Sessions:
    """Sessions that keep loaded values usable after commit (we return frozen views)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _write_lock(engine: AsyncEngine) -> asyncio.Lock:
    lock = _write_locks.get(engine)
    if lock is None:
        lock = _write_locks[engine] = asyncio.Lock()
    return lock


@asynccontextmanager
async def transaction(sessions: Sessions, *, write: bool = True) -> AsyncIterator[AsyncSession]:
    """One short transaction: commit on success, roll back on any exception.

    ``write=False`` marks a read-only look (a deferred ``BEGIN`` on SQLite, no writer lock).
    The session is closed on exit; never keep it, never await chat I/O inside the block.
    """
    engine = sessions.kw["bind"]
    is_sqlite = engine.dialect.name == "sqlite"
    if write and is_sqlite:
        async with _write_lock(engine), _session(sessions, write) as session:
            yield session
        return
    async with _session(sessions, write) as session:
        yield session


@asynccontextmanager
async def _session(sessions: Sessions, write: bool) -> AsyncIterator[AsyncSession]:
    async with sessions() as session, session.begin():
        if not write:  # must be the first use: options apply to the connection's BEGIN
            await session.connection(execution_options={_READ_ONLY: True})
        yield session
