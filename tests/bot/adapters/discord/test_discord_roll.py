"""``/link`` and a roll election through the real discord.py client and the fake Discord."""

from __future__ import annotations

from pathlib import Path

from tests.bot.adapters.discord.harness import running
from tests.bot.adapters.roll_scenario import election_steps, link_steps, seed_roll
from tests.bot.adapters.scenarios import play


async def test_link_and_vote_on_the_roll(tmp_path: Path) -> None:
    async with running(tmp_path) as (fake, chat, bot):
        assert bot.app is not None
        await seed_roll(bot.app)
        await play(chat, [*link_steps(), *election_steps()])
        linked = await fake.slash(chat.member("dev"), chat.channel, "link", {}, force=True)
        assert not any(not m.ephemeral for m in (await linked.settled()).messages)
