"""Two real ``hustings run`` processes in Slack HTTP mode, one after the other on one SQLite
file: the first posts a question's card and is killed with ``kill -9``; the second, started
afterwards with nothing from the first but the database, edits that card on an upvote by its
button, on a typed ``/upvote`` (whose request names no card) and on an answer.

Every wait is for an event in the fake Slack (a reply, an edit) or a line the bot prints,
bounded generously; nothing races a timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from hustings_slack import CHANNEL, FAST_LIMIT, TEAM, user_id, workspace

from bot.adapters.slack.fake import FakeSlack, Message
from bot.adapters.slack.render import UPVOTE_ACTION, plain_text

ROOT = Path(__file__).resolve().parents[4]
SECRET = "pW4-tY8_nRq2Kx6LmZ3VbH9sJd5cFg7E"
READY = re.compile(r"Slack adapter listening on (http://127\.0\.0\.1:\d+)/slack/events")
WITHIN = 60.0


@contextlib.asynccontextmanager
async def worker(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[asyncio.subprocess.Process]:
    """``hustings run`` on the shared database, with Slack's requests sent to it; stopped (or
    found already killed) on the way out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        PYTHONPATH=str(ROOT), PLATFORM="slack", SLACK_MODE="http", SLACK_HTTP_PORT="0",
        SLACK_BOT_TOKEN=fake.bot_token(TEAM), SLACK_SIGNING_SECRET=fake.signing_secret,
        SLACK_API_URL=fake.api_url, HUSTINGS_SECRET=SECRET, LOG_LEVEL="INFO",
        DATA_DIR=str(tmp_path / "data"), MODERATOR_ROLES="moderator",
        SLACK_USERGROUP_MODERATORS="true",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'hustings.db'}",
    )  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    lines: list[str] = []
    try:
        async with asyncio.timeout(WITHIN):
            while not (found := READY.search(lines[-1] if lines else "")):
                line = (await process.stderr.readline()).decode()
                assert line, "the bot exited before listening:\n" + "".join(lines)
                lines.append(line)
        fake.request_url = found.group(1) + "/slack/events"
        drained = asyncio.ensure_future(process.stderr.read())  # never let the pipe fill
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=WITHIN)
    log = "".join(lines) + (await drained).decode()
    assert "Traceback" not in log, log


async def until(fake: FakeSlack, holds: Callable[[], bool]) -> None:
    await fake.wait_for(holds, WITHIN)


async def card_stored(database: Path) -> str:
    """Where Q1's card is, once its worker has stored it (it posts first, then stores: a
    worker killed in between leaves that card unrefreshed, as for a row from before)."""
    async with asyncio.timeout(WITHIN):
        while True:
            with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
                row = db.execute("SELECT card_message FROM questions WHERE number = 1").fetchone()
            if row is not None and row[0]:
                return str(row[0])
            await asyncio.sleep(0.05)


def shown(card: Message) -> str:
    return plain_text(card.blocks)


async def test_a_restarted_worker_edits_the_card_a_killed_worker_posted(tmp_path: Path) -> None:
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake)
        for name in ("alice", "bob", "carol"):
            fake.add_user(TEAM, user_id(name), name)
        alice, bob, carol, mod = (user_id(n) for n in ("alice", "bob", "carol", "mod"))

        async with worker(tmp_path, fake) as first:
            asked = await fake.slash(TEAM, alice, CHANNEL, "/ask", "Will you renationalise rail?")
            await until(fake, lambda: bool(asked.messages))
            [card] = asked.messages
            assert await card_stored(tmp_path / "data" / "hustings.db") == f"{CHANNEL}:{card.ts}"
            first.send_signal(signal.SIGKILL)  # nothing it held in memory survives
            await first.wait()

        async with worker(tmp_path, fake):
            clicked = await fake.click(card, UPVOTE_ACTION, user_id=bob)
            await until(fake, lambda: len(card.edits) == 1)
            assert "You upvoted Q1; it has 1 upvote." in clicked.ephemerals[0].text
            assert "[Upvote (1)]" in shown(card)

            typed = await fake.slash(TEAM, carol, CHANNEL, "/upvote", "Q1")
            await until(fake, lambda: len(card.edits) == 2)
            assert "it has 2 upvotes" in typed.ephemerals[0].text
            assert "[Upvote (2)]" in shown(card)

            done = await fake.slash(TEAM, mod, CHANNEL, "/question", "answer Q1 By 2030.")
            await until(fake, lambda: len(card.edits) == 3)
            assert any("answered" in m.text for m in done.messages)
            assert "By 2030." in shown(card) and "[Upvote (2)]" in shown(card)
