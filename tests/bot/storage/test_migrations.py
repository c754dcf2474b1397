"""Migrations and models agree, a new database reaches head, and the pragmas are on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.storage.database import create_engine, session_factory, transaction
from bot.storage.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    migration_engine,
    upgrade,
)
from bot.storage.tables import Ballot, Base, Election
from tests.stores import Store


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_as_batch": True}
    )
    return list(compare_metadata(context, Base.metadata))


@pytest.mark.both_stores
async def test_fresh_database_upgrades_to_head_and_matches_models(empty_store: Store) -> None:
    url = empty_store.url
    assert await current_revision(url) is None
    await upgrade(url)
    assert await current_revision(url) == head_revision() is not None
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await engine.dispose()


@pytest.mark.both_stores
async def test_upgrade_is_idempotent(empty_store: Store) -> None:
    url = empty_store.url
    await upgrade(url)
    await upgrade(url)
    assert await current_revision(url) == head_revision()


@pytest.mark.both_stores
async def test_models_differ_from_an_empty_database(empty_store: Store) -> None:
    """The comparison can fail: an unmigrated database shows every table missing."""
    engine = create_engine(empty_store.url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(_diff)
    finally:
        await engine.dispose()
    assert {d[1].name for d in diff if isinstance(d, tuple) and d[0] == "add_table"} >= {
        "elections", "ballots", "results", "questions", "upvotes", "audit_log",
    }  # fmt: skip


async def test_sqlite_pragmas_on_every_connection(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    try:
        async with transaction(session_factory(engine), write=False) as session:
            journal = await session.scalar(text("PRAGMA journal_mode"))
            foreign_keys = await session.scalar(text("PRAGMA foreign_keys"))
            busy = await session.scalar(text("PRAGMA busy_timeout"))
    finally:
        await engine.dispose()
    assert (journal, foreign_keys, busy) == ("wal", 1, 30000)


@pytest.mark.both_stores
async def test_transaction_rolls_back_on_error(empty_store: Store) -> None:
    url = empty_store.url
    await upgrade(url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        try:
            async with transaction(sessions) as session:
                await session.execute(
                    text(
                        "INSERT INTO channel_settings (platform, workspace, channel, premoderated,"
                        " updated_at) VALUES ('d', 'w', 'c', true, '2015-01-01')"
                    )
                )
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        async with transaction(sessions, write=False) as session:
            count = await session.scalar(text("SELECT count(*) FROM channel_settings"))
        assert count == 0
    finally:
        await engine.dispose()


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fk.db'}"
    await upgrade(url)
    engine = create_engine(url)
    try:
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            async with transaction(session_factory(engine)) as session:
                await session.execute(
                    text(
                        "INSERT INTO aliases (election_id, alias, candidate) VALUES (99, 'a', 'b')"
                    )
                )
    finally:
        await engine.dispose()


@pytest.mark.both_stores
async def test_every_revision_upgrades_and_downgrades(empty_store: Store) -> None:
    """Each revision in turn, up to head, down to nothing and up again, on both stores."""
    await upgrade(empty_store.url)
    engine = migration_engine(empty_store.url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate, empty_store.url, "downgrade", "base")
            await connection.commit()
            assert await connection.run_sync(_revision) is None
            for revision in _revisions_oldest_first(empty_store.url):
                await connection.run_sync(_migrate, empty_store.url, "upgrade", revision)
                await connection.commit()
                assert await connection.run_sync(_revision) == revision
            assert await connection.run_sync(_diff) == []
    finally:
        await engine.dispose()


def _revisions_oldest_first(url: str) -> list[str]:
    scripts = ScriptDirectory.from_config(alembic_config(url))
    return [r.revision for r in reversed(list(scripts.walk_revisions()))]


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _migrate(connection: Connection, url: str, direction: str, revision: str) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = connection
    getattr(command, direction)(config, revision)


@pytest.mark.both_stores
async def test_downgrade_below_random_ids_keeps_every_ballot(empty_store: Store) -> None:
    """A 62-bit random ballot id (0011 on) survives a downgrade to 0010 on both stores: on
    PostgreSQL the column is left BIGINT rather than failing to narrow it."""
    await upgrade(empty_store.url)
    engine = create_engine(empty_store.url)
    big_id = 2**61 + 12345
    try:
        async with transaction(session_factory(engine)) as session:
            election = Election(
                platform="console",
                workspace="w",
                channel="c",
                ref="E1",
                title="T",
                candidates=["A", "B"],
                eligible_roles=[],
                sections={},
                section_weights={},
                created_by="m",
            )
            session.add(election)
            await session.flush()
            session.add(
                Ballot(
                    id=big_id,
                    election_id=election.id,
                    voter_key=b"k" * 32,
                    ranking=("A", "B"),
                    receipt="R1",
                    cast_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
                )
            )
        await engine.dispose()
        engine = migration_engine(empty_store.url)
        async with engine.connect() as connection:
            await connection.run_sync(_migrate, empty_store.url, "downgrade", "0010i14roll")
            await connection.commit()
            ids = (await connection.execute(text("SELECT id FROM ballots"))).scalars().all()
        assert ids == [big_id]
    finally:
        await engine.dispose()


@pytest.mark.both_stores
async def test_upgrading_a_database_with_upvotes_keeps_them(empty_store: Store) -> None:
    """0007 and 0009 rebuild ``questions`` on SQLite; with foreign keys on, the rebuild's drop
    cascaded and deleted every upvote. ``upgrade`` (what start-up runs) must keep them."""
    url = empty_store.url
    engine = migration_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate, url, "upgrade", "0006i12count")
            await connection.execute(
                text(
                    "INSERT INTO questions (id, platform, workspace, channel, number, text, "
                    "status, asker_user_id, asker_name, named, upvotes, created_at, updated_at) "
                    "VALUES (1, 'console', 'w', 'c', 1, 'Why?', 'open', 'u1', 'Ann', false, 1, "
                    "'2026-01-01', '2026-01-01')"
                )
            )
            await connection.execute(
                text("INSERT INTO upvotes (question_id, voter, at) VALUES (1, 'v', '2026-01-01')")
            )
            await connection.commit()
    finally:
        await engine.dispose()
    await upgrade(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            upvotes = (await connection.execute(text("SELECT count(*) FROM upvotes"))).scalar()
    finally:
        await engine.dispose()
    assert upvotes == 1


async def test_migrations_refuse_a_connection_with_foreign_keys_on(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fk.db'}"
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(RuntimeError, match="foreign keys off"):
                await connection.run_sync(_migrate, url, "upgrade", "head")
    finally:
        await engine.dispose()
