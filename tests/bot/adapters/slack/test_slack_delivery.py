"""What reaches Slack and what does not: bad signatures change nothing, 429s are retried
with nothing lost, a 30-candidate count arrives round by round within Block Kit's limits."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import scenarios
from hustings_slack import CHANNEL, TEAM, SlackChat, running
from test_slack_ballot import ballots_stored

from bot.adapters.slack.fake import RateLimit, Signing
from bot.adapters.slack.render import MAX_BLOCKS, MAX_SECTION, plain_text

MODERATOR = frozenset({"moderator"})


@pytest.mark.parametrize("how", [Signing.FORGED, Signing.STALE, Signing.MISSING])
async def test_forged_or_stale_requests_change_nothing(tmp_path: Path, how: Signing) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())
        before = len(slack.fake.messages)
        alice = chat.member("alice")

        rank = await slack.fake.slash(TEAM, alice, CHANNEL, "/rank", "Cooper", signing=how)
        count = await slack.fake.slash(
            TEAM, chat.member("mod", MODERATOR), CHANNEL, "/election", "count", signing=how
        )

        assert rank.ack.status == count.ack.status == 401
        assert len(slack.fake.messages) == before and await ballots_stored(slack.core) == 0
        status = await chat.slash("alice", "/election status")
        assert "Status: open" in plain_text(status.ephemerals[0].blocks)


async def test_rate_limited_announcements_are_retried_and_none_lost(tmp_path: Path) -> None:
    # one message per second per channel, no burst: every quick second post meets a 429
    async with running(tmp_path, "http", rate_limit=RateLimit(per_second=1.0, burst=1)) as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())
        for n in range(1, 3):
            await chat.slash("alice", f"/ask Question number {n}?")
        await slack.fake.wait_for(
            lambda: len(slack.fake.channel_messages(TEAM, CHANNEL)) == 3, within=30
        )

        posted = [m.text for m in slack.fake.channel_messages(TEAM, CHANNEL)]
        assert posted[0].startswith("Voting is open")
        # separate requests: a retried post may land after a later one, but none is lost
        assert sorted(posted[1:]) == ["New question Q1", "New question Q2"]
        limited = [c for c in slack.fake.calls if c.status == 429]
        assert limited and all(c.method == "chat.postMessage" for c in limited)


async def test_thirty_candidate_count_in_block_kit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    names = [f"Candidate{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30)]
    async with running(tmp_path, "socket") as slack:
        chat = SlackChat(slack.fake)
        await chat.slash("mod", f'/election create "Big field" {", ".join(names)}', MODERATOR)
        await chat.slash("mod", "/election open", MODERATOR)
        for voter in range(40):
            ranking = " ".join(names[(voter * 7 + k) % 30] for k in range(3))
            done = await chat.slash(f"voter{voter}", f"/rank {ranking}")
            assert "is recorded" in done.ephemerals[0].text
        with caplog.at_level(logging.ERROR):
            count = await chat.slash("mod", "/election count", MODERATOR)

        assert not caplog.records and count.ack.ok
        messages = count.messages
        assert messages and all(len(m.blocks) <= MAX_BLOCKS for m in messages)
        sections = [b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section"]
        assert all(len(text) <= MAX_SECTION for text in sections)
        text = "\n".join(plain_text(m.blocks) for m in messages)
        rounds = [line.split(":")[0] for line in text.splitlines() if line.startswith("Round ")]
        assert rounds == [f"Round {n}" for n in range(1, len(rounds) + 1)] and len(rounds) > 20
        for name in names:  # every candidate's first-round tally is there, none truncated
            assert f"\n{name} " in text
        assert "Elected: " in text
