"""``/election share`` on the fake console: ``@mod/discord`` shares its channel's roll
election, ``@mod/slack`` accepts the code in another channel, alice votes from both accounts,
and the opening and the declaration appear in both channels, each once."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.adapters.fake.console import Console, ConsoleAnnouncer
from bot.app import App
from tests.bot.adapters.conftest import Clock
from tests.bot.adapters.roll_scenario import CODES, seed_roll

CODE = re.compile(r"/election share --code ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})")


async def test_shared_on_discord_accepted_on_slack(app: App, clock: Clock) -> None:
    out: list[str] = []
    console = Console(app, out.append, echo=True)
    scheduler = app.scheduler(ConsoleAnnouncer(out.append), platform="fake")

    async def say(line: str) -> str:
        start = len(out)
        await console.feed(line)
        await scheduler.run_once()  # what the running console's scheduler would post now
        return "\n".join(out[start:])

    await seed_roll(app)
    await say(f"@alice/discord: /link {CODES['M001']}")
    await say(f"@alice/slack: /link {CODES['M001']}")
    create = '/election create "Leader" Kendall, Burnham, Cooper --electorate roll'
    await say(f"#discord-members @mod/discord +moderator: {create}")

    refused = await say("@alice/discord: /election share 1")
    assert "Only moderators can use /election share" in refused
    issued = await say("@mod/discord +moderator: /election share 1")
    assert "[private to mod/discord] Share code for Leader (election 1)" in issued
    code = CODE.search(issued)
    assert code is not None
    same_side = await say(
        f"#discord-other @mod/discord +moderator: /election share --code {code[1]}"
    )
    assert "made from a Discord account" in same_side
    hint = await say(f"#slack-members @mod/slack !admin: /election share {code[1]}")
    assert "/election share --code" in hint and "no election" in hint
    accepted = await say(f"@mod/slack !admin: /election share --code {code[1]}")
    assert "[private to mod/slack] Shared: Leader (election 1), run from its channel" in accepted
    again = await say(f"#slack-other @mod/slack !admin: /election share --code {code[1]}")
    assert "not one we issued, or it was used" in again

    opened = await say("#discord-members @mod/discord +moderator: /election open")
    assert "[#discord-members] Voting is open: Leader (election 1)" in opened
    assert "[#slack-members] Voting is open: Leader (election 1)" in opened
    assert "from its channel on the console (#discord-members)" in opened

    assert "is recorded" in await say("@alice/discord: /rank Kendall Burnham")
    replaced = await say("#slack-members @alice/slack: /rank Cooper Kendall")
    assert "replaces your earlier one" in replaced
    refused = await say("@mod/slack !admin: /election count")
    assert "shared here from its own channel" in refused and "Result" not in refused
    assert "Ballots cast: 1" in await say("@alice/slack: /election status")

    counted = await say("#discord-members @mod/discord +moderator: /election count")
    assert "[#discord-members] Result: Leader" in counted and "#slack-members" not in counted
    clock.now += timedelta(seconds=16)
    copied = await say("# a moment later")
    assert copied.count("[#slack-members] Result: Leader") == 1
    assert "Winner: Cooper" in copied or "Elected: Cooper" in copied
    assert "[#slack-members]" not in await say("# and later still")
    public = [block for block in out if block.startswith("[#")]
    assert public and not any(code[1] in block for block in public)  # never shown in a channel
