"""A paced count in Slack through slack-bolt and the fake Slack: round 1 only, the Next round
button (moderators only, one round per press, a stale press told so, working after a
restart), and the scheduler's ``--pace`` posts carrying the button."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from hustings_slack import CHANNEL, FAST_LIMIT, TEAM, SlackChat, answered, settings_for, workspace

from bot.adapters.dispatch import dispatch_line
from bot.adapters.slack.actors import Directory
from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.fake import FakeSlack, Message
from bot.adapters.slack.next_round import MEMBERS_REFUSED, NOT_A_COUNT
from bot.adapters.slack.render import NEXT_ROUND_ACTION, plain_text
from bot.adapters.slack.transport import EVENTS_PATH, SlackAnnouncer, serve_http
from bot.app import App, build_app
from bot.domain import Actor, Place

MOD = frozenset({"moderator"})
FIRSTS = {"Abbott": 5, "Benn": 4, "Cooper": 3, "Dugher": 2, "Eagle": 1}
"""One exclusion a round: four rounds, Abbott elected in the fourth."""


class Ahead:
    """The core's clock: the wall clock plus however far the test moved it on."""

    def __init__(self) -> None:
        self.by = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.by


class Served(NamedTuple):
    core: App
    announcer: SlackAnnouncer
    """What the scheduler posts through (the bot token)."""


Serve = Callable[[], Awaitable[Served]]


@asynccontextmanager
async def slack_bot(tmp_path: Path, clock: Ahead) -> AsyncIterator[tuple[FakeSlack, Serve]]:
    """The fake Slack, and a way to (re)start the bot on one database (HTTP mode)."""
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake)
        settings = settings_for(tmp_path, fake, "http")
        running: list[tuple[App, object]] = []

        async def serve() -> Served:
            for core, server in running:  # a restart: the old process goes first
                await server.close()  # type: ignore[attr-defined]
                await core.aclose()
            running.clear()
            core = await build_app(settings, clock=clock)
            bolt = build_bolt_app(core, settings, directory=Directory(ttl=0))
            server = await serve_http(bolt, "127.0.0.1", 0, fake.signing_secret)
            fake.request_url = server.url + EVENTS_PATH
            running.append((core, server))
            return Served(core, SlackAnnouncer(settings, bolt))

        try:
            yield fake, serve
        finally:
            for core, server in running:
                await server.close()  # type: ignore[attr-defined]
                await core.aclose()


async def counted_paced(chat: SlackChat, core: App, line: str) -> Message:
    """Create, open, vote and count ``line``: the one message that carries the button."""
    await chat.slash("mod", f'/election create "Leader" {", ".join(FIRSTS)}', MOD)
    await chat.slash("mod", "/election open", MOD)
    n = 0
    for name, ballots in FIRSTS.items():  # the ballots are not under test here
        for _ in range(ballots):
            n += 1
            voter = Actor("slack", TEAM, f"U0V{n}", f"Member {n}")
            await dispatch_line(core, voter, Place("slack", TEAM, CHANNEL), f"/rank {name}")
    done = await chat.slash("mod", line, MOD)
    assert done.ephemerals == []
    return with_button(done.messages)


def with_button(messages: list[Message]) -> Message:
    [message] = [m for m in messages if NEXT_ROUND_ACTION in str(m.blocks)]
    return message


def button_value(message: Message) -> str:
    for block in message.blocks:
        for element in block.get("elements", ()):
            if element.get("action_id") == NEXT_ROUND_ACTION:
                return str(element["value"])
    raise AssertionError("no Next round button")


async def test_presses_declare_one_round_each_moderators_only_across_a_restart(
    tmp_path: Path,
) -> None:
    async with slack_bot(tmp_path, Ahead()) as (fake, serve):
        core = (await serve()).core
        chat = SlackChat(fake)
        first = await counted_paced(chat, core, "/election count --paced")
        shown = plain_text(first.blocks)
        assert "15 ballots, 5 candidates" in shown and "Round 1" in shown
        assert "Round 2 of 4 follows on /election next." in shown and "Round 2:" not in shown
        assert "[Next round]" in shown and button_value(first) == "1:1"

        alice = chat.member("alice")
        refused = await fake.click(first, NEXT_ROUND_ACTION, user_id=alice)
        await answered(fake, refused)
        assert refused.messages == []
        assert [m.text for m in refused.ephemerals] == [MEMBERS_REFUSED]

        mod, mod2 = chat.member("mod", MOD), chat.member("mod2", MOD)
        both = await asyncio.gather(  # two moderators press the same button at once
            fake.click(first, NEXT_ROUND_ACTION, user_id=mod),
            fake.click(first, NEXT_ROUND_ACTION, user_id=mod2),
        )
        for done in both:
            await answered(fake, done)
        second = with_button(fake.channel_messages(TEAM, CHANNEL))  # the one post with it
        assert second.ts != first.ts
        assert "Round 2" in plain_text(second.blocks) and button_value(second) == "1:2"
        told = [m.text for d in both for m in d.ephemerals]
        assert told == ["Round 2 of Leader is already declared."]
        assert "[Next round]" not in plain_text(first.blocks)  # redrawn without it
        assert "Round 1" in plain_text(first.blocks) and len(first.edits) == 1

        await serve()  # a restart: nothing of the count is kept in memory
        pressed = await fake.click(second, NEXT_ROUND_ACTION, user_id=mod)
        await answered(fake, pressed)
        third = with_button(pressed.messages)
        assert "Round 3" in plain_text(third.blocks) and button_value(third) == "1:3"
        typed = await chat.slash("mod", "/election next", MOD)  # the last round, typed
        final = "\n".join(plain_text(m.blocks) for m in typed.messages)
        assert "Result: Leader" in final and "Round 4" in final and "Abbott" in final
        assert "[Next round]" not in final
        over = await fake.click(third, NEXT_ROUND_ACTION, user_id=mod)  # left on round 3
        await answered(fake, over)
        assert over.messages == []
        assert [m.text for m in over.ephemerals] == ["Every round of Leader has been declared."]


async def test_a_forged_button_value_is_refused(tmp_path: Path) -> None:
    async with slack_bot(tmp_path, Ahead()) as (fake, serve):
        core = (await serve()).core
        chat = SlackChat(fake)
        first = await counted_paced(chat, core, "/election count --paced")
        forged = first.blocks[-1]["elements"][0]
        forged["value"] = "1; DROP"
        pressed = await fake.click(first, NEXT_ROUND_ACTION, user_id=chat.member("mod", MOD))
        await answered(fake, pressed)
        assert [m.text for m in pressed.ephemerals] == [NOT_A_COUNT]
        assert pressed.messages == []


async def test_pace_posts_the_next_round_with_its_button(tmp_path: Path) -> None:
    clock = Ahead()
    async with slack_bot(tmp_path, clock) as (fake, serve):
        core, announcer = await serve()
        chat = SlackChat(fake)
        first = await counted_paced(chat, core, "/election count --pace 1m")
        assert "Round 2 of 4 follows in 1 minute, or sooner" in plain_text(first.blocks)
        scheduler = core.scheduler(announcer, platform="slack")
        await scheduler.run_once()
        before = len(fake.channel_messages(TEAM, CHANNEL))
        clock.by = timedelta(minutes=1)
        await scheduler.run_once()
        posted = fake.channel_messages(TEAM, CHANNEL)[before:]
        second = with_button(posted)
        assert "Round 2" in plain_text(second.blocks) and button_value(second) == "1:2"
