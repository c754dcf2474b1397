"""End to end through the real discord.py client and the fake Discord: autocomplete, the
select-menu ballot, permissions, the count's embeds, upvote buttons, restarts, deadlines."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import pytest

from bot.adapters.discord.fake import FakeDiscord
from bot.adapters.discord.render import MAX_CONTENT, MAX_EMBED_TOTAL, MAX_EMBEDS
from bot.app import App
from bot.services.ballots import BallotService
from tests.bot.adapters.discord.harness import Bot, DiscordChat, running, world

MOD = frozenset({"moderator"})
CANDIDATES = "Liz Kendall, Andy Burnham, Yvette Cooper, Jeremy Corbyn"


@dataclasses.dataclass
class Setup:
    fake: FakeDiscord
    chat: DiscordChat
    bot: Bot


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Setup]:
    async with running(tmp_path) as (fake, chat, bot):
        yield Setup(fake, chat, bot)


async def open_election(chat: DiscordChat, candidates: str = CANDIDATES) -> None:
    await chat.run("mod", f'/election create "Leader" {candidates}', MOD)
    opened = await chat.run("mod", "/election open", MOD)
    assert "Voting is open" in opened.texts[0]


async def test_rank_autocomplete_suggests_the_next_candidate(env: Setup) -> None:
    await open_election(env.chat)
    user = env.chat.member("alice")
    typed = await env.fake.autocomplete(
        user, env.chat.channel, "rank", {"ranking": "Corbyn, Bur"}, "ranking"
    )
    await typed
    assert [c["value"] for c in typed.choices] == ["Jeremy Corbyn, Andy Burnham"]
    after = await env.fake.autocomplete(
        user, env.chat.channel, "rank", {"ranking": "Jeremy Corbyn, Andy Burnham, "}, "ranking"
    )
    await after
    assert [c["value"] for c in after.choices] == [
        "Jeremy Corbyn, Andy Burnham, Liz Kendall",
        "Jeremy Corbyn, Andy Burnham, Yvette Cooper",
    ]
    chosen = after.choices[1]["value"]
    cast = await env.chat.run("alice", f"/rank {chosen}")
    assert cast.ephemeral
    assert "1. Jeremy Corbyn 2. Andy Burnham 3. Yvette Cooper" in cast.texts[0]


async def test_bad_ranking_gets_an_ephemeral_error_and_nothing_public(env: Setup) -> None:
    await open_election(env.chat)
    before = len(env.chat.public_messages())
    record = await env.chat.run("bob", "/rank Kendall Kendall")
    assert record.ephemeral
    assert "twice" in record.texts[0]
    assert len(env.chat.public_messages()) == before


async def test_moderator_commands_are_hidden_and_refused_server_side(env: Setup) -> None:
    await open_election(env.chat)
    alice = env.chat.member("alice")
    mod = env.chat.member("mod", MOD)
    assert "election" not in env.fake.visible_commands(env.chat.guild, alice)
    assert "election-status" in env.fake.visible_commands(env.chat.guild, alice)
    assert "election" in env.fake.visible_commands(env.chat.guild, mod)
    with pytest.raises(PermissionError):
        await env.fake.slash(alice, env.chat.channel, "election count", {})
    forced = await env.chat.run("alice", "/election count")
    assert forced.ephemeral
    assert "Only moderators" in forced.texts[0]
    status = await env.chat.run("alice", "/election status")
    assert "Status: open" in status.texts[0]


async def test_count_posts_one_embed_per_round_to_the_channel(env: Setup) -> None:
    await open_election(env.chat)
    ballots = ["Corbyn"] * 3 + ["Cooper"] * 2 + ["Burnham Cooper"] * 2 + ["Kendall Cooper"]
    for i, ranking in enumerate(ballots):
        await env.chat.run(f"voter{i}", f"/rank {ranking}")
    counted = await env.chat.run("mod", "/election count", MOD)
    assert not counted.ephemeral
    embeds = [e for m in counted.messages for e in m.embeds]
    titles = [e["title"] for e in embeds]
    assert titles[:2] == ["Round 1", "Round 2"]
    first = embeds[0]
    assert "Jeremy Corbyn █████░░░░░░░ 3  37.5%" in first["description"]
    assert "█" in first["description"]
    first_fields = {f["name"]: f["value"] for f in first["fields"]}
    assert first_fields["Threshold"] == "5: more than half of the 8 continuing votes"
    assert first_fields["Eliminated"] == "Liz Kendall"
    assert first_fields["Transfers from Liz Kendall"] == "1 to Yvette Cooper"
    assert first_fields["Exhausted"] == "0"
    second = {f["name"]: f["value"] for f in embeds[1]["fields"]}
    assert second["Eliminated"] == "Andy Burnham"
    third = {f["name"]: f["value"] for f in embeds[2]["fields"]}
    assert third["Elected"] == "Yvette Cooper"


async def test_select_menu_ballot_ranks_with_taps(env: Setup) -> None:
    await open_election(env.chat)
    carol = env.chat.member("carol")
    opened = await env.chat.run("carol", "/ballot")
    form = opened.messages[0]
    assert form.ephemeral and "Pick your 1st preference" in form.text
    picks = ["Yvette Cooper", "Liz Kendall"]
    for position, name in enumerate(picks):
        menu = next(i for i in form.custom_ids() if i.endswith(f":pick:{position}"))
        value = str(["Liz Kendall", "Andy Burnham", "Yvette Cooper", "Jeremy Corbyn"].index(name))
        chosen = await env.fake.select(carol, form.id, menu, [value])
        await chosen
        assert chosen.ack_latency is not None
        form = env.fake.message(form.id)
    assert "So far: 1. Yvette Cooper 2. Liz Kendall" in form.text
    confirm = next(i for i in form.custom_ids() if i.endswith(":confirm"))
    await (await env.fake.click(carol, form.id, confirm))  # shows the ballot to cast
    assert "Cast this ballot? 1. Yvette Cooper 2. Liz Kendall" in env.fake.message(form.id).text
    cast = next(i for i in env.fake.message(form.id).custom_ids() if i.endswith(":cast"))
    confirmed = await env.fake.click(carol, form.id, cast)
    await confirmed
    # the cast is a database write after the ack: wait for the edit, not for a quiet spell
    recorded = "is recorded: 1. Yvette Cooper 2. Liz Kendall"
    await confirmed.wait_until(lambda: recorded in env.fake.message(form.id).text)
    assert recorded in env.fake.message(form.id).text
    mine = await env.chat.run("carol", "/rank Corbyn")
    assert "replaces your earlier one" in mine.texts[0]


async def test_ballot_form_pages_past_25_candidates(env: Setup) -> None:
    names = ", ".join(f"Candidate {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30))
    await open_election(env.chat, names)
    opened = await env.chat.run("dan", "/ballot")
    form = opened.messages[0]
    assert not opened.rejected
    assert "page 1 of 2" in form.text
    menus = [c for row in form.components for c in row["components"] if c["type"] == 3]
    assert len(menus) == 1 and len(menus[0]["options"]) == 24
    following = next(i for i in form.custom_ids() if i.endswith(":next"))
    paged = await env.fake.click(env.chat.member("dan"), form.id, following)
    await paged
    assert "page 2 of 2" in env.fake.message(form.id).text


async def test_question_upvote_button_and_answer(env: Setup) -> None:
    asked = await env.chat.run("alice", "/ask What about rail?")
    # An anonymous question is posted by the bot, not as alice's visible interaction reply
    # (Discord would show "alice used /ask" above it); alice is told privately.
    assert asked.messages and all(m.ephemeral for m in asked.messages)
    assert "Your question Q1 is posted" in asked.texts[-1]
    posted = env.fake.channel_messages(env.chat.channel)[-1]
    assert not posted.ephemeral and "What about rail?" in posted.text
    assert "alice" not in posted.text
    button = next(i for i in posted.custom_ids() if i.startswith("hustings:upvote:"))
    bob = env.chat.member("bob")
    pressed = await env.fake.click(bob, posted.id, button)
    await pressed
    assert pressed.ephemeral and "You upvoted Q1; it has 1 upvote." in pressed.texts[0]
    assert "Press the button again to take it back." in pressed.texts[0]  # a button toggles
    assert "Upvote (1)" in str(env.fake.message(posted.id).components)
    answered = await env.chat.run("mod", "/question answer Q1 Public ownership.", MOD)
    assert answered.ephemeral and "Q1's answer is posted in this channel." in answered.texts[0]
    answer = env.fake.channel_messages(env.chat.channel)[-1]
    assert "Public ownership." in answer.text and answer.source == "bot"


async def test_a_re_answer_after_a_restart_edits_the_posted_answer(env: Setup) -> None:
    """Where the answer went is in the database: a restarted bot edits that same message."""
    await env.chat.run("alice", "/ask What about rail?")
    await env.chat.run("mod", "/question answer Q1 By 2030.", MOD)
    answer = env.fake.channel_messages(env.chat.channel)[-1]
    posted = len(env.fake.channel_messages(env.chat.channel))
    await env.bot.stop()
    await env.bot.start()
    again = await env.chat.run("mod", "/question answer Q1 By 2029.", MOD)
    assert again.ephemeral and "Q1's posted answer is edited in place" in again.texts[0]
    assert len(env.fake.channel_messages(env.chat.channel)) == posted  # no second message
    edited = env.fake.message(answer.id)
    assert edited.edits == 1 and "By 2029." in edited.text and "(edited" in edited.text
    assert "By 2030." not in edited.text


async def test_restart_between_vote_and_count_loses_nothing_and_buttons_work(
    env: Setup,
) -> None:
    await open_election(env.chat)
    for who, ranking in [("a", "Corbyn"), ("b", "Corbyn Cooper"), ("c", "Cooper")]:
        await env.chat.run(who, f"/rank {ranking}")
    await env.chat.run("alice", "/ask Rail?")
    posted = env.fake.channel_messages(env.chat.channel)[-1]
    button = next(i for i in posted.custom_ids() if i.startswith("hustings:upvote:"))
    await env.bot.stop()
    await env.bot.start()
    pressed = await env.fake.click(env.chat.member("bob"), posted.id, button)
    await pressed
    assert "You upvoted Q1" in pressed.texts[0]
    counted = await env.chat.run("mod", "/election count", MOD)
    text = "\n".join(counted.texts)
    assert "3 ballots" in text
    assert "Elected: Jeremy Corbyn" in text


class SlowBallots:
    """The real ballot service behind a delay: a database that takes 2.5 s to commit."""

    def __init__(self, inner: Any, delay: float) -> None:
        self.inner, self.delay = inner, delay

    async def rank(self, *args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(self.delay)
        return await self.inner.rank(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_slow_database_still_meets_the_three_second_deadline(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        fake.apply_endpoints()
        chat = await world(fake)

        def slow(app: App) -> App:
            return dataclasses.replace(
                app, ballots=cast(BallotService, SlowBallots(app.ballots, 3.5))
            )

        bot = Bot(fake, tmp_path, wrap=slow)
        await bot.start(sync=True)
        try:
            await open_election(chat)
            record = await fake.slash(
                chat.member("erin"), chat.channel, "rank", {"ranking": "Cooper"}
            )
            await record.settled(within=30)
            # acked before the 3.5 s commit, within Discord's 3 s deadline (a loaded machine
            # may take a while to ack; waiting for the database would take 3.5 s at least)
            assert record.ack_latency is not None and record.ack_latency < 3.0
            assert record.deferred and not record.rejected
            assert "is recorded" in record.texts[0]
        finally:
            await bot.stop()


async def test_thirty_candidates_count_stays_within_every_limit(env: Setup) -> None:
    names = [f"Candidate Number {i:02d} of the Longer Names Slate" for i in range(30)]
    await open_election(env.chat, ", ".join(names))
    for i in range(30):
        ranking = ", ".join(names[i:] + names[:i])
        ranked = await env.chat.run(f"voter{i}", f"/rank {ranking}")
        assert "is recorded" in ranked.texts[0], ranked.texts
    counted = await env.chat.run("mod", "/election count", MOD)
    assert not counted.rejected, counted.rejected
    assert "30 ballots" in "\n".join(counted.texts)
    messages = counted.messages
    assert len(messages) > 1
    for message in messages:
        assert len(message.content) <= MAX_CONTENT
        assert len(message.embeds) <= MAX_EMBEDS
        assert sum(_embed_chars(e) for e in message.embeds) <= MAX_EMBED_TOTAL
    rounds = [e["title"] for m in messages for e in m.embeds if e["title"].startswith("Round")]
    assert rounds[0] == "Round 1" and len(rounds) >= 29


def _embed_chars(embed: dict[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    return total + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields") or [])
