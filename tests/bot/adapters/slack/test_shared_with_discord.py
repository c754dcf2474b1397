"""A roll election shared between Discord and Slack through both real adapters and their
fakes, on one database: the Discord moderator's share code is accepted by a Slack moderator,
alice votes from both accounts (one ballot), the Slack moderator may not count it, and the
Slack process's scheduler posts the opening and the declaration in the Slack channel."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hustings_slack import CHANNEL, TEAM, SlackChat, running, settings_for, texts

from bot.adapters.discord.announcer import DiscordAnnouncer
from bot.adapters.slack.transport import SlackAnnouncer
from bot.services.scheduler import Scheduler
from bot.services.share_delivery import GRACE, ShareDeliveries
from tests.bot.adapters.discord.harness import running as discord_running
from tests.bot.adapters.roll_scenario import CODES, seed_roll

MOD = frozenset({"moderator"})
CODE = re.compile(r"--code ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})")


async def test_a_discord_election_shared_with_a_slack_channel(tmp_path: Path) -> None:
    async with (
        discord_running(tmp_path) as (_fake, chat, bot),
        running(tmp_path, "http") as slack,
    ):
        assert bot.app is not None
        await seed_roll(bot.app)
        on_slack = SlackChat(slack.fake)

        async def discord_says(who: str, line: str) -> tuple[list[str], list[str]]:
            record = await chat.run(who, line, MOD if who == "mod" else frozenset())
            shown = [m.shown for m in record.messages]
            private = [t for m, t in zip(record.messages, shown, strict=True) if m.ephemeral]
            return private, [
                t for m, t in zip(record.messages, shown, strict=True) if not m.ephemeral
            ]

        await discord_says("alice", f"/link {CODES['M001']}")
        await on_slack.slash("alice", f"/link {CODES['M001']}")
        create = '/election create "Leader" Kendall, Burnham, Cooper --electorate roll'
        await discord_says("mod", create)
        private, public = await discord_says("mod", "/election share 1")
        assert not public and private and "Share code for Leader" in private[0]
        found = CODE.search(private[0])
        assert found is not None

        member = await on_slack.slash("bob", f"/election share --code {found[1]}")
        assert "Only moderators" in texts(member.ephemerals)[0]
        accepted = await on_slack.slash("mod", f"/election share --code {found[1]}", MOD)
        assert (
            "Shared: Leader (election 1), run from its channel on Discord"
            in texts(accepted.ephemerals)[0]
        )
        assert not accepted.messages

        _, opened = await discord_says("mod", "/election open")
        assert any("Voting is open" in text for text in opened)
        announcer = SlackAnnouncer(settings_for(tmp_path, slack.fake, "http"), slack.bolt)
        later = timedelta(0)
        scheduler = Scheduler(
            slack.core.closing, announcer, platform="slack",
            clock=lambda: datetime.now(UTC) + later,
            shares=ShareDeliveries(slack.core.context),
        )  # fmt: skip
        await scheduler.run_once()
        posted = texts(slack.fake.channel_messages(TEAM, CHANNEL))
        assert len(posted) == 1 and posted[0].startswith("Voting is open: Leader (election 1)")
        assert "Shared with this channel from its channel on Discord" in posted[0]

        ranked = await on_slack.slash("alice", "/rank Cooper Kendall")
        assert "is recorded" in texts(ranked.ephemerals)[0]
        private, _ = await discord_says("alice", "/rank Kendall")
        assert "replaces your earlier one" in private[0]
        await discord_says("alice", "/rank Cooper")  # her final choice, on Discord
        refused = await on_slack.slash("mod", "/election count", MOD)
        assert "shared here from its own channel on Discord" in texts(refused.ephemerals)[0]
        status = await on_slack.slash("alice", "/election status")
        assert "Ballots cast: 1" in texts(status.ephemerals)[0]

        _, counted = await discord_says("mod", "/election count")
        assert any("Result: Leader" in text for text in counted)
        await scheduler.run_once()
        assert len(slack.fake.channel_messages(TEAM, CHANNEL)) == 1  # not yet: GRACE
        later = GRACE + timedelta(seconds=1)
        await scheduler.run_once()
        await scheduler.run_once()
        posted = texts(slack.fake.channel_messages(TEAM, CHANNEL))
        assert len(posted) == 3 and posted[1].startswith("Result: Leader")  # with its charts
        assert "1 ballot," in posted[1] and "Winner: Cooper" in posted[1]
        assert posted[2].startswith("Charts of the count above")
        await scheduler.run_once()
        assert len(slack.fake.channel_messages(TEAM, CHANNEL)) == 3  # once
        discord_posts = [m.shown for m in chat.public_messages() if not m.ephemeral]
        assert not any("Shared with this channel" in text for text in discord_posts)


async def test_a_slack_election_shared_with_a_discord_channel(tmp_path: Path) -> None:
    """The other way round: the Discord process's scheduler posts the copies on Discord."""
    async with (
        discord_running(tmp_path) as (_fake, chat, bot),
        running(tmp_path, "http") as slack,
    ):
        assert bot.app is not None and bot.client is not None
        await seed_roll(bot.app)
        on_slack = SlackChat(slack.fake)
        create = '/election create "Leader" Kendall, Burnham --electorate roll'
        await on_slack.slash("mod", create, MOD)
        issued = await on_slack.slash("mod", "/election share", MOD)
        found = CODE.search(texts(issued.ephemerals)[0])
        assert found is not None and not issued.messages
        record = await chat.run("mod", f"/election share --code {found[1]}", MOD)
        assert "run from its channel on Slack" in record.messages[0].shown
        await on_slack.slash("mod", "/election open", MOD)
        scheduler = bot.app.scheduler(DiscordAnnouncer(bot.client), platform="discord")
        before = len(chat.public_messages())
        await scheduler.run_once()
        await scheduler.run_once()
        posted = [m.shown for m in chat.public_messages()[before:]]
        assert len(posted) == 1 and "Voting is open: Leader (election 1)" in posted[0]
        assert "from its channel on Slack" in posted[0]
