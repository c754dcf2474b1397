"""Platform names on the console read as English and agree with each other: the console's
own account is "this console account"; a shared election's channels are named by their
channel on the console, the share code by the account platform that made it."""

from __future__ import annotations

import re

from bot.adapters.fake.console import Console
from bot.adapters.fake.run import run_lines
from bot.app import App
from tests.bot.adapters.roll_scenario import seed_roll

CODE = re.compile(r"/election share --code ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})")


async def test_the_console_account_reads_as_english(app: App) -> None:
    out: list[str] = []
    await run_lines(app, ["@alice: /link"], out.append)
    said = "\n".join(out)
    assert "This console account is not linked to a membership." in said
    assert "the console account" not in said


async def test_share_messages_name_each_side_the_same_way(app: App) -> None:
    out: list[str] = []
    console = Console(app, out.append, echo=True)

    async def say(line: str) -> str:
        start = len(out)
        await console.feed(line)
        return "\n".join(out[start:])

    await seed_roll(app)
    create = '/election create "Leader" Kendall, Burnham --electorate roll'
    await say(f"#discord-members @mod/discord +moderator: {create}")
    code = CODE.search(await say("@mod/discord +moderator: /election share 1"))
    assert code is not None
    same_side = await say(
        f"#discord-other @mod/discord +moderator: /election share --code {code[1]}"
    )
    assert "made from a Discord account" in same_side and "made on Discord" not in same_side
    accepted = await say(f"#slack-members @mod/slack !admin: /election share --code {code[1]}")
    assert "run from its channel on the console (#discord-members)" in accepted
    assert "Its moderators on the console (#discord-members) open" in accepted
    refused = await say("@mod/slack !admin: /election open")
    assert "its own channel on the console (#discord-members)" in refused
    again = await say("#discord-members @mod/discord +moderator: /election share 1")
    assert "already shared with a channel on the console (#slack-members)" in again
