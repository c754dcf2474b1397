"""Revision 0002i18text: existing questions get ``published`` from their status."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.storage.migrate import alembic_config, migration_engine, upgrade


def _to_0001(connection: Connection, url: str) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, "0001")


async def test_open_and_answered_questions_were_published_dismissed_ones_are_hidden(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    engine = migration_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_to_0001, url)
            for number, status in enumerate(("pending", "open", "answered", "dismissed"), 1):
                await connection.execute(
                    text(
                        "INSERT INTO questions (platform, workspace, channel, number, text,"
                        " status, asker_user_id, asker_name, named, upvotes, created_at,"
                        " updated_at) VALUES ('fake', 'w', 'c', :n, 'q', :s, 'u', 'U', 0, 0,"
                        " '2026-01-01', '2026-01-01')"
                    ),
                    {"n": number, "s": status},
                )
            await connection.commit()
        await upgrade(url)
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT status, published FROM questions ORDER BY number")
            )
            assert [(s, bool(p)) for s, p in rows] == [
                ("pending", False),
                ("open", True),
                ("answered", True),
                ("dismissed", False),
            ]
    finally:
        await engine.dispose()
