"""A ballot the database cannot store: the member is told plainly it was NOT recorded and why,
nothing of theirs is in the database, and moderators see it in ``/election status``.

The database is made really full: every new connection gets ``PRAGMA max_page_count`` at the
file's current size, so the first ballot that needs a new page fails with SQLITE_FULL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.adapters.fake.run import run_lines
from bot.app import App

SETUP = [
    '@mod +moderator: /election create "Chair" Kendall, Burnham, Cooper, Corbyn',
    "@mod +moderator: /election open",
    "@alice: /rank Kendall Burnham",
]


async def _lines(app: App, lines: list[str]) -> list[str]:
    out: list[str] = []
    await run_lines(app, lines, out.append)
    return "\n".join(out).splitlines()


async def _fill_the_disk(app: App) -> None:
    @event.listens_for(app.engine.sync_engine, "connect")
    def _cap(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA max_page_count = 1")  # SQLite keeps it at the current size
        cursor.close()

    await app.engine.dispose()  # new connections from here on


async def test_a_ballot_the_disk_cannot_hold_is_reported_not_recorded(app: App) -> None:
    await _lines(app, SETUP)
    await _fill_the_disk(app)
    refused: list[str] = []
    for n in range(400):  # enough ballots to need a new page
        said = await _lines(app, [f"@voter{n}: /rank Cooper Corbyn Kendall"])
        if "NOT recorded" in "\n".join(said):
            refused = said
            break
        assert "recorded" in "\n".join(said), said
    assert refused, "the database never filled up"
    reply = "\n".join(refused[1:])
    assert "Your ballot was NOT recorded: the database's disk is full." in reply
    assert "try again" in reply and "ref " not in reply and "Sorry" not in reply

    voter = refused[0].split(":")[0]
    mine = "\n".join(await _lines(app, [f"{voter}: /ballot"]))
    assert "no ballot" in mine.lower(), mine  # nothing of theirs was stored

    status = "\n".join(await _lines(app, ["@mod +moderator: /election status"]))
    assert "1 ballot(s) could NOT be stored" in status and "disk is full" in status
    member_status = "\n".join(await _lines(app, ["@alice: /election status"]))
    assert "NOT be stored" not in member_status
