"""``/election remind`` on the fake console: the console reaches every linked account, so
alice's Discord account and bob's Slack account are each printed a private reminder; the
voter, the unlinked and the ineligible are printed nothing."""

from __future__ import annotations

from bot.adapters.fake.run import run_lines
from bot.app import App
from tests.bot.adapters.conftest import Clock
from tests.bot.adapters.roll_scenario import CODES, seed_roll


async def _play(app: App, lines: list[str]) -> str:
    out: list[str] = []
    await run_lines(app, lines, out.append)
    return "\n".join(out)


def _block(transcript: str, line: str) -> str:
    """What was printed after the typed ``line``, up to the next typed line."""
    after = transcript.split(line, 1)[1]
    return after.split("\n@", 1)[0]


async def test_reminders_reach_each_linked_account_privately(app: App, clock: Clock) -> None:
    await seed_roll(app)  # M004 (dev) joined 2026-06-10, after the freeze date
    remind = "@mod +moderator: /election remind"
    transcript = await _play(
        app,
        [
            f"@alice/discord: /link {CODES['M001']}",
            f"@alice/slack: /link {CODES['M001']}",
            f"@bob/slack: /link {CODES['M002']}",
            f"@carol/discord: /link {CODES['M003']}",
            f"@dev/slack: /link {CODES['M004']}",
            '@mod +moderator: /election create "Leader" Kendall, Burnham --electorate roll '
            "--joined-before 2026-06-08 --closes 2015-08-20T18:00Z",
            "@mod +moderator: /election open",
            "@carol/discord: /rank Burnham",
            remind,
            "@mod +moderator: /election remind 1",
            "@zoe: /election remind",
        ],
    )
    sent = _block(transcript, remind + "\n")
    assert "[private to mod] Reminders sent for Leader (election 1)" in sent
    assert "How many is not shown" in sent
    assert "[private to alice/discord] Reminder: voting is open in Leader (election 1)" in sent
    assert "[private to bob/slack] Reminder: voting is open in Leader (election 1)" in sent
    assert "It closes at 18:00 UTC on 20 August 2015." in sent
    assert "/rank Kendall, Burnham" in sent
    assert sent.count("Reminder: voting is open") == 2  # alice once, though linked twice
    assert "carol" not in sent and "dev" not in sent  # voted; joined after the freeze date
    assert "[#" not in sent  # nothing public
    again = _block(transcript, "@mod +moderator: /election remind 1\n")
    assert "at most one a day, so the next can be sent from 12:00 UTC tomorrow" in again
    assert "Reminder: voting is open" not in again
    assert "Only moderators can use /election remind." in _block(transcript, "@zoe:")
