"""Issue 9's transcript through the fake chat console (the same steps run through the fake
Discord and Slack in their own test folders): what a member types is what is recorded."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.adapters.dispatch import dispatch_line
from bot.adapters.fake.console import PLATFORM, WORKSPACE
from bot.adapters.fake.run import run_lines
from bot.adapters.render.message import deliveries
from bot.adapters.render.text import render
from bot.app import App
from bot.domain import Actor, Place
from tests.bot.adapters import scenarios
from tests.bot.adapters.scenarios import Seen, Step

PLACE = Place(PLATFORM, WORKSPACE, "general")


@dataclass
class ConsoleChat:
    """``scenarios.Chat`` straight into the core, as the fake console sends each line."""

    app: App
    stored: list[str] = field(default_factory=list)

    async def say(self, step: Step) -> Seen:
        actor = Actor(PLATFORM, WORKSPACE, step.who, step.who, step.roles)
        reply = await dispatch_line(self.app, actor, PLACE, step.line)
        shown = deliveries(reply)
        return Seen(
            tuple(render(r) for r in shown if r.private),
            tuple(render(r) for r in shown if not r.private),
        )


async def test_ballot_entry_transcript_through_the_console(app: App) -> None:
    await scenarios.play(ConsoleChat(app), scenarios.ballot_entry())


async def test_nothing_is_stored_for_a_refused_ranking(app: App) -> None:
    chat = ConsoleChat(app)
    await scenarios.play(chat, scenarios.ballot_entry()[:2])
    refused = await chat.say(Step("carol", "/rank 1. Corbyn 1. Burnham"))
    assert "the same number, 1" in refused.private[0]
    status = await chat.say(Step("carol", "/election status"))
    assert "Ballots cast: 0" in status.private[0]


async def test_plain_chat_in_the_console_is_shown_as_chat(app: App) -> None:
    out: list[str] = []
    await run_lines(
        app, ["@zoe: hello everyone", "#hustings @yan: hi all", "@zoe: /nonsense"], out.append
    )
    assert "[#general] zoe: hello everyone" in out
    assert "[#hustings] yan: hi all" in out
    assert any("There is no command" in line for line in out)


async def test_a_positional_value_error_names_what_was_typed(app: App) -> None:
    """Discord offers on/off as choices; the text form must not answer "--mode must be"."""
    chat = ConsoleChat(app)
    seen = await chat.say(Step("mod", "/premoderate maybe", scenarios.MODERATOR))
    assert seen.private == ('Use on or off, not "maybe".',)
