"""Paced counts beyond the first step: ``--pace`` on the scheduler with a frozen clock, a
restart that resumes the pacing, stale and racing presses, and ``/election next`` reading the
stored result instead of counting the ballots again."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.fake.console import ConsoleAnnouncer
from bot.app import App, build_app
from bot.domain import Actor, PacedStep, Place
from bot.errors import Conflict, InvalidInput
from bot.services import counts
from bot.services.paced import parse_pace
from tests.bot.adapters.conftest import Clock, adapter_settings
from tests.bot.adapters.test_paced_count import MOD, PLACE, VOTERS, say

FIRSTS = {"Abbott": 6, "Benn": 5, "Cooper": 4, "Dugher": 3, "Eagle": 2, "Flint": 1}
"""Single-name ballots: one exclusion a round, five rounds, Abbott elected in the last."""
ROUNDS = 5


async def vote(app: App) -> None:
    await say(app, MOD, f'/election create "Leader" {", ".join(FIRSTS)}')
    await say(app, MOD, "/election open 1")
    n = 0
    for name, ballots in FIRSTS.items():
        for _ in range(ballots):
            n += 1
            await say(app, Actor("fake", "ws", f"m{n}", f"Member {n}"), f"/rank {name}")


class Posted:
    """The scheduler's announcer: records each paced step it is asked to post."""

    def __init__(self, failures: int = 0) -> None:
        self.steps: list[int] = []
        self.failures = failures

    async def announce(self, place: Place, message: object) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("chat platform down")
        assert place == PLACE and isinstance(message, PacedStep)
        self.steps.append(message.shown)


def later(clock: Clock, seconds: float) -> None:
    clock.now += timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("20s", 20),
        ("5s", 5),
        ("1m", 60),
        ("1m30s", 90),
        ("90sec", 90),
        ("10m", 600),
        ("2 min", 120),
    ],
)
def test_a_pace_reads_as_typed(typed: str, seconds: int) -> None:
    assert parse_pace(typed) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("20", "give a unit"),
        ("4s", "between 5s and 10m"),
        ("11m", "between 5s and 10m"),
        ("fast", 'not "fast"'),
        ("20h", 'not "20h"'),
        ("-20s", 'not "-20s"'),
        ("", 'not ""'),
    ],
)
def test_a_bad_pace_is_refused_with_the_reason(typed: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        parse_pace(typed)


async def test_a_bad_pace_counts_nothing(app: App) -> None:
    await vote(app)
    refused = await say(app, MOD, "/election count 1 --pace 2s")
    assert refused.private and refused.title == "--pace must be between 5s and 10m; 2s is not."
    status = await say(app, MOD, "/election status 1")
    assert "Status: open" in status.lines


async def test_pace_advances_one_round_per_interval_on_the_scheduler(
    app: App, clock: Clock
) -> None:
    await vote(app)
    started = await say(app, MOD, "/election count 1 --pace 20s")
    assert (started.sections[1].heading or "").startswith("Round 1")
    assert started.lines[-1] == (
        f"Round 2 of {ROUNDS} follows in 20 seconds, or sooner on /election next."
    )
    posted = Posted()
    scheduler = app.scheduler(posted, max_sleep=600)
    await scheduler.run_once()
    assert posted.steps == []
    assert await scheduler.seconds_to_next() == 20
    later(clock, 20)
    await scheduler.run_once()
    await scheduler.run_once()  # due once: posted once
    assert posted.steps == [2]
    early = await say(app, MOD, "/election next")  # a moderator may go early
    assert (early.sections[0].heading or "").startswith("Round 3")
    assert await scheduler.seconds_to_next() == 20  # and the next waits a whole pace again
    later(clock, 19)
    await scheduler.run_once()
    assert posted.steps == [2]
    later(clock, 1)
    await scheduler.run_once()
    assert posted.steps == [2, 4]
    later(clock, 20)
    await scheduler.run_once()
    assert posted.steps == [2, 4, 5]
    assert await scheduler.seconds_to_next() == 600  # fully declared: nothing more is due
    over = await say(app, MOD, "/election next")
    assert over.private and over.title == "Every round of Leader has been declared."


async def test_a_restart_resumes_the_pace_one_overdue_round_at_a_time(
    tmp_path: Path, clock: Clock
) -> None:
    settings = adapter_settings(tmp_path)
    first = await build_app(settings, clock=clock)
    try:
        await vote(first)
        await say(first, MOD, "/election count 1 --pace 30s")
    finally:
        await first.aclose()
    later(clock, 600)  # the bot was down for ten minutes: every round is overdue
    again = await build_app(settings, clock=clock)
    try:
        posted = Posted()
        scheduler = again.scheduler(posted, max_sleep=600)
        await scheduler.run_once()
        await scheduler.run_once()
        assert posted.steps == [2]  # one, not all of them at once
        assert await scheduler.seconds_to_next() == 30
        later(clock, 30)
        await scheduler.run_once()
        assert posted.steps == [2, 3]
    finally:
        await again.aclose()


async def test_a_failed_post_is_retried_a_pace_later_and_not_skipped(
    app: App, clock: Clock
) -> None:
    await vote(app)
    await say(app, MOD, "/election count 1 --pace 20s")
    posted = Posted(failures=1)
    scheduler = app.scheduler(posted, max_sleep=600)
    later(clock, 20)
    await scheduler.run_once()
    assert posted.steps == []
    assert await scheduler.seconds_to_next() == 20
    later(clock, 20)
    await scheduler.run_once()
    assert posted.steps == [2]  # round 2, not 3: nothing was declared unseen


async def test_the_console_posts_paced_rounds_in_their_channel(app: App, clock: Clock) -> None:
    await vote(app)
    await say(app, MOD, "/election count 1 --pace 5s")
    lines: list[str] = []
    scheduler = app.scheduler(ConsoleAnnouncer(lines.append), max_sleep=600)
    later(clock, 5)
    await scheduler.run_once()
    shown = "\n".join(lines)
    assert "[#general]" in shown and "Count: Leader" in shown and "Round 2" in shown


async def test_a_stale_press_is_told_and_two_at_once_declare_one_round(app: App) -> None:
    await vote(app)
    await say(app, MOD, "/election count 1 --paced")
    pressed = await asyncio.gather(
        app.paced.next(MOD, PLACE, "1", after=1),
        app.paced.next(MOD, PLACE, "1", after=1),
        return_exceptions=True,
    )
    declared = [p for p in pressed if isinstance(p, PacedStep)]
    refused = [p for p in pressed if isinstance(p, Conflict)]
    assert [d.shown for d in declared] == [2] and len(refused) == 1
    assert refused[0].message == "Round 2 of Leader is already declared."
    third = await app.paced.next(MOD, PLACE, "1", after=2)
    assert third.shown == 3
    with pytest.raises(Conflict, match="Round 2 of Leader is already declared"):
        await app.paced.next(MOD, PLACE, "1", after=1)


async def test_next_reads_the_stored_result_and_never_counts_again(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    await vote(app)
    started = await say(app, MOD, "/election count 1 --paced")
    assert not started.private

    def no_recount(*args: object) -> None:
        raise AssertionError("/election next counted the ballots again")

    monkeypatch.setattr(counts, "run_count", no_recount)
    step = await say(app, MOD, "/election next")
    assert not step.private and (step.sections[0].heading or "").startswith("Round 2")


async def test_a_member_cannot_pace_a_count(app: App) -> None:
    await vote(app)
    refused = await say(app, VOTERS[0], "/election count 1 --pace 20s")
    assert refused.private and refused.title == "Only moderators can use /election count."


async def test_status_names_no_winner_until_the_last_round_is_declared(app: App) -> None:
    await vote(app)
    await say(app, MOD, "/election count 1 --paced")
    for _ in range(ROUNDS - 2):
        await say(app, MOD, "/election next")
    for who in (VOTERS[0], MOD):
        status = await say(app, who, "/election status 1")
        assert "Status: counted" in status.lines
        assert not any(line.startswith(("Elected", "Nobody")) for line in status.lines)
    await say(app, MOD, "/election next")
    status = await say(app, VOTERS[0], "/election status 1")
    assert "Elected: Abbott" in status.lines


async def test_next_without_a_ref_finds_the_count_being_declared(app: App) -> None:
    await say(app, MOD, '/election create "Deputy" Abbott, Benn')
    await say(app, MOD, "/election open 1")
    await say(app, VOTERS[0], "/rank Abbott")
    await say(app, MOD, "/election count 1")  # declared in full, earlier
    await say(app, MOD, f'/election create "Leader" {", ".join(FIRSTS)}')
    await say(app, MOD, "/election open 2")
    for n, name in enumerate(["Abbott", "Abbott", "Benn", "Cooper"]):
        await say(app, Actor("fake", "ws", f"m{n}", f"Member {n}"), f"/rank {name}")
    await say(app, MOD, "/election count 2 --paced")
    step = await say(app, MOD, "/election next")
    assert not step.private and step.title == "Count: Leader"
    while step.title == "Count: Leader":
        step = await say(app, MOD, "/election next")
    assert step.title == "Result: Leader"
    over = await say(app, MOD, "/election next")  # nothing left being declared: which?
    assert over.private and over.title is not None
    assert over.title.startswith("Several elections here could be declared")
    assert over.title.endswith("Name one, e.g. /election next 1.")
