"""Cancelling a draft on the console: told to the moderator only; the cancelled draft stays
invisible to members (status, list, ballot, rank), here and in a channel it was shared with."""

from __future__ import annotations

import re

import pytest

from bot.adapters.fake.console import Console, ConsoleAnnouncer
from bot.adapters.fake.run import run_lines
from bot.app import App
from tests.bot.adapters.roll_scenario import seed_roll

SETUP = [
    '@mod +moderator: /election create "Secret draft" Yara Quillfeather, Tom Watson',
    "@mod +moderator: /election cancel 1",
]
CODE = re.compile(r"/election share --code ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})")


async def test_cancelling_a_draft_is_told_to_the_moderator_only(app: App) -> None:
    out: list[str] = []
    await run_lines(app, SETUP, out.append)
    told = "\n".join(out[out.index(SETUP[1]) + 1 :])
    assert "[private to mod] Draft election 1 cancelled: Secret draft." in told
    assert "[#" not in told  # nothing posted to the channel


@pytest.mark.parametrize(
    "probe",
    [
        "/election status 1",
        "/election status",
        "/election list",
        "/ballot",
        "/rank --election 1 Tom",
    ],
)
async def test_a_cancelled_draft_stays_invisible_to_members(app: App, probe: str) -> None:
    out: list[str] = []
    await run_lines(app, [*SETUP, f"@alice: {probe}"], out.append)
    seen = "\n".join(out[out.index(f"@alice: {probe}") + 1 :])
    assert seen, probe
    for name in ("Secret draft", "Quillfeather", "Watson", "cancelled"):
        assert name not in seen, (probe, seen)


async def test_a_cancelled_opened_election_is_still_announced(app: App) -> None:
    out: list[str] = []
    script = [SETUP[0], "@mod +moderator: /election open", "@mod +moderator: /election cancel"]
    await run_lines(app, script, out.append)
    assert "[#general] Election 1 cancelled: Secret draft." in "\n".join(out)


async def test_a_shared_draft_cancelled_is_never_shown_in_the_other_channel(app: App) -> None:
    out: list[str] = []
    console = Console(app, out.append, echo=True)
    scheduler = app.scheduler(ConsoleAnnouncer(out.append), platform="fake")

    async def say(line: str) -> str:
        start = len(out)
        await console.feed(line)
        await scheduler.run_once()
        return "\n".join(out[start:])

    await seed_roll(app)
    create = '/election create "Secret draft" Kendall, Burnham --electorate roll'
    await say(f"#discord-members @mod/discord +moderator: {create}")
    code = CODE.search(await say("@mod/discord +moderator: /election share 1"))
    assert code is not None
    accepted = await say(f"#slack-members @mod/slack !admin: /election share --code {code[1]}")
    assert "Shared: Secret draft" in accepted
    cancelled = await say("#discord-members @mod/discord +moderator: /election cancel 1")
    assert "[private to mod/discord] Draft election 1 cancelled" in cancelled
    assert "[#" not in cancelled
    for probe in ("/election status 1", "/election list"):
        seen = await say(f"#slack-members @alice/slack: {probe}")
        assert "Secret draft" not in seen and "Kendall" not in seen, seen
    assert "[#" not in await say("#discord-members @alice/discord: /election list")
