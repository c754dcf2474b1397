"""Transcripts through the fake chat console, in-process, against a migrated SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from bot.adapters.fake.console import Console, ConsoleAnnouncer, is_comment, parse_said
from bot.adapters.fake.run import run_lines
from bot.app import App


class Clock(Protocol):
    """The ``clock`` fixture: the server clock, movable by the test."""

    now: datetime


DEMO = Path(__file__).resolve().parents[3] / "demo" / "leadership2015.txt"


async def transcript(app: App, script: str) -> list[str]:
    out: list[str] = []
    await run_lines(app, script.strip().splitlines(), out.append)
    return "\n".join(out).splitlines()


def test_a_line_names_speaker_roles_channel_and_command() -> None:
    said = parse_said("#hustings @bob +members +Union !admin: /rank Corbyn")
    assert said is not None
    assert said.actor.user_id == "bob"
    assert said.actor.roles == frozenset({"members", "union"})
    assert said.actor.is_admin
    assert said.channel == "hustings"
    assert said.text == "/rank Corbyn"


def test_the_line_parser_is_public_and_core_free() -> None:
    from bot.adapters.fake import ConsoleLine, parse_console_line  # noqa: PLC0415

    assert parse_console_line("#hustings @bob +Members !admin: /rank Corbyn") == ConsoleLine(
        "bob", frozenset({"members"}), True, "hustings", "/rank Corbyn"
    )
    assert parse_console_line("@alice:/help") == ConsoleLine(
        "alice", frozenset(), False, None, "/help"
    )
    assert parse_console_line("alice: /help") is None


def test_comments_are_not_channel_switches() -> None:
    assert is_comment("# a comment") and is_comment("") and is_comment("#")
    assert not is_comment("#general @alice: /help")


async def test_private_and_public_replies_are_marked(app: App) -> None:
    lines = await transcript(
        app,
        """
@mod +moderator: /election create "Leader" Kendall, Burnham
@mod +moderator: /election open 1
@alice: /rank Burnham
""",
    )
    assert lines[1] == "[private to mod] Election 1 created as a draft: Leader (draft)"
    assert lines[4] == "[#general] Voting is open: Leader (election 1)"
    assert lines[-2].startswith(
        "[private to alice] Your ballot in Leader is recorded: 1. Burnham — receipt "
    )


async def test_unreadable_line_is_reported_not_fatal(app: App) -> None:
    lines = await transcript(app, "alice /rank x\n@alice: /election list")
    assert lines[0] == "[console] cannot read 'alice /rank x': write @name: /command"
    assert lines[-1] == "[private to alice] There are no elections in this channel."


async def test_channel_prefix_switches_and_stays(app: App) -> None:
    lines = await transcript(
        app,
        """
#hustings @alice: /ask Rail?
@bob: /questions
#general @bob: /questions
""",
    )
    assert "[#hustings] New question Q1" in lines
    assert "    Q1 — 0 upvotes, asked by a member: Rail?" in lines
    assert lines[-1] == "[private to bob] Top open questions: none."


async def test_roles_make_a_member_eligible(app: App) -> None:
    lines = await transcript(
        app,
        """
@mod +moderator: /election create "Union" A, B --roles members
@mod +moderator: /election open 1
@carol: /rank A
@dave +members: /rank B
@mod +moderator: /election status 1
""",
    )
    carol = next(line for line in lines if line.startswith("[private to carol]"))
    assert "Your ballot" not in carol
    assert "    Ballots cast: 1" in lines


async def test_the_demo_script_elects_corbyn_in_three_rounds(app: App) -> None:
    lines = await transcript(app, DEMO.read_text(encoding="utf-8"))
    # declared a round at a time, then counted again in full
    assert "[#general] Count: Labour leader 2015" in lines
    assert "    Round 2 of 3 follows on /election next." in lines
    assert "[#general] Result: Labour leader 2015" in lines
    result = lines.index("[#general] Recount: Labour leader 2015")
    announcement = lines[result : result + 24]
    assert "    The stored ballots were counted again: identical result." in announcement
    assert "    12 ballots, 4 candidates, IRV for 1 seat." in announcement
    assert "    Round 1: threshold 7: more than half of the 12 continuing votes" in announcement
    assert "      Corbyn   5   41.7%" in announcement
    assert "      Transfers from Burnham: 1 to Cooper, 1 to Corbyn, 1 exhausted" in announcement
    assert "    Round 3: threshold 6 (of 11 continuing votes)" in announcement
    assert "      Corbyn  6   54.5%" in announcement
    assert "      Elected: Corbyn" in announcement
    assert "    Winner: Corbyn" in announcement
    assert '[private to frank] "Burnam" is not a candidate. Did you mean "Burnham"?' in lines
    assert "[private to bob] Only moderators can use /election count." in lines


async def test_timed_close_is_announced_in_its_channel(app: App, clock: Clock) -> None:
    out: list[str] = []
    console = Console(app, out.append)
    await console.feed(
        '#budget @mod +moderator: /election create "Budget" A, B --closes 2015-08-14T13:00Z'
    )
    await console.feed("@mod +moderator: /election open 1")
    clock.now += timedelta(hours=2)
    scheduler = app.scheduler(ConsoleAnnouncer(out.append))
    closed = await scheduler.run_once()
    assert [e.title for e in closed] == ["Budget"]
    assert out[-1] == "[#budget] Voting has closed: Budget. Ballots cast: 0."
