"""``/election remind`` through slack-bolt and the fake Slack: ``conversations.open`` with
each linked member who has not voted, then ``chat.postMessage`` in that DM; nothing to the
voter, nothing ephemeral to anyone else, nothing public."""

from __future__ import annotations

from pathlib import Path

import pytest
from hustings_slack import CHANNEL, TEAM, SlackChat, running, texts

from bot.adapters.slack.fake import Mode
from bot.adapters.slack.fake.scopes import ALL_SCOPES
from tests.bot.adapters.roll_scenario import CODES, seed_roll

MOD = frozenset({"moderator"})


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_reminders_go_to_a_dm_with_each_member_who_has_not_voted(
    tmp_path: Path, mode: Mode
) -> None:
    async with running(tmp_path, mode) as slack:
        await seed_roll(slack.core)
        chat = SlackChat(slack.fake)
        for name, member in (("alice", "M001"), ("bob", "M002")):
            linked = await chat.slash(name, f"/link {CODES[member]}")
            assert "Linked" in texts(linked.ephemerals)[0]
        await chat.slash("mod", '/election create "Leader" Kendall, Burnham --electorate roll', MOD)
        await chat.slash("mod", "/election open", MOD)
        await chat.slash("alice", "/rank Burnham")
        public_before = len(slack.fake.channel_messages(TEAM, CHANNEL))

        sent = await chat.slash("mod", "/election remind", MOD)

        reply = "\n".join(texts(sent.ephemerals))
        assert "Reminders sent for Leader (election 1)" in reply
        assert "How many is not shown" in reply
        await slack.fake.wait_for(
            lambda: bool(slack.fake.direct_messages(TEAM, chat.member("bob")))
        )
        (dm,) = slack.fake.direct_messages(TEAM, chat.member("bob"))
        assert "Reminder: voting is open in Leader (election 1)" in (dm.text + str(dm.blocks))
        assert dm.via == "chat.postMessage" and not dm.ephemeral
        assert slack.fake.direct_messages(TEAM, chat.member("alice")) == []  # she has voted
        opened = [c for c in slack.fake.calls if c.method == "conversations.open"]
        # the moderator's own DM is opened first, to check the permission; nothing is posted
        assert [c.args.get("users") for c in opened] == [chat.member("mod"), chat.member("bob")]
        assert slack.fake.direct_messages(TEAM, chat.member("mod")) == []
        assert slack.fake.ephemerals(TEAM, chat.member("bob"))[-1].text.startswith("Linked")
        assert len(slack.fake.channel_messages(TEAM, CHANNEL)) == public_before

        again = await chat.slash("mod", "/election remind 1", MOD)
        assert "at most one a day" in "\n".join(texts(again.ephemerals))
        assert len(slack.fake.direct_messages(TEAM, chat.member("bob"))) == 1


async def test_without_the_dm_permission_nothing_is_sent_and_the_day_is_not_used(
    tmp_path: Path,
) -> None:
    """A workspace that installed the app before it asked for ``im:write``: the moderator is
    told why, the day's reminder is not used up, and once the app is reinstalled it works."""
    async with running(tmp_path, "http") as slack:
        await seed_roll(slack.core)
        chat = SlackChat(slack.fake)
        await chat.slash("bob", f"/link {CODES['M002']}")
        await chat.slash("mod", '/election create "Leader" Kendall, Burnham --electorate roll', MOD)
        await chat.slash("mod", "/election open", MOD)
        slack.fake.set_bot_scopes(TEAM, ALL_SCOPES - {"im:write"})

        refused = "\n".join(texts((await chat.slash("mod", "/election remind", MOD)).ephemerals))

        assert refused.startswith("No reminders were sent: this Slack app may not open direct")
        assert "im:write" in refused and "reinstalling" in refused
        slack.fake.set_bot_scopes(TEAM, ALL_SCOPES)
        sent = await chat.slash("mod", "/election remind", MOD)
        assert "Reminders sent for Leader" in "\n".join(texts(sent.ephemerals))
        await slack.fake.wait_for(
            lambda: bool(slack.fake.direct_messages(TEAM, chat.member("bob")))
        )
