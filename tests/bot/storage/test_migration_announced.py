"""Revision 0002: an upgrade marks closes made before it as announced (never announced twice)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.storage.migrate import alembic_config, migration_engine, upgrade

ELECTION = (
    "INSERT INTO elections (platform, workspace, channel, ref, title, candidates, seats, method,"
    " status, eligible_roles, sections, section_weights, ron, turnout, created_by, created_at,"
    " updated_at, closed_at) VALUES ('fake', 'w', 'c', :ref, 'T', '[\"A\"]', 1, 'irv', :status,"
    " '[]', '{}', '{}', 0, 0, 'm', '2015-09-01 00:00:00', '2015-09-01 00:00:00', :closed)"
)


async def test_upgrade_marks_earlier_closes_announced_and_leaves_open_ones(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    engine = migration_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_upgrade_to, url, _before_announced_at(url))
            await connection.execute(
                text(ELECTION), {"ref": "1", "status": "closed", "closed": "2015-09-10 12:00:00"}
            )
            await connection.execute(text(ELECTION), {"ref": "2", "status": "open", "closed": None})
            await connection.commit()
        await upgrade(url)
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT ref, announced_at FROM elections"))
            announced = {ref: at for ref, at in rows}
    finally:
        await engine.dispose()
    assert announced == {"1": "2015-09-10 12:00:00", "2": None}


def _before_announced_at(url: str) -> str:
    """The revision just before the one that adds ``announced_at`` (wherever it lands)."""
    scripts = ScriptDirectory.from_config(alembic_config(url))
    [adding] = [r for r in scripts.walk_revisions() if "announced_at" in (r.doc or "")]
    assert isinstance(adding.down_revision, str)
    return adding.down_revision


def _upgrade_to(connection: Connection, url: str, revision: str) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
