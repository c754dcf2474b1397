"""``/election count --paced`` and ``/election next``: round by round, moderators only, state
in the database (a new app on the same SQLite file resumes where the last one stopped)."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.dispatch import dispatch_line
from bot.adapters.render.message import Reply
from bot.app import App, build_app
from bot.domain import Actor, Place
from tests.bot.adapters.conftest import Clock, adapter_settings

PLACE = Place("fake", "ws", "general")
MOD = Actor("fake", "ws", "mod", "Mod", frozenset({"moderator"}))
VOTERS = [Actor("fake", "ws", f"v{i}", f"Voter {i}") for i in range(6)]
RANKINGS = ["Corbyn Burnham", "Corbyn", "Burnham Kendall", "Kendall Burnham", "Cooper Kendall",
            "Burnham"]  # fmt: skip


async def say(app: App, actor: Actor, line: str) -> Reply:
    return await dispatch_line(app, actor, PLACE, line)


async def vote(app: App) -> None:
    await say(app, MOD, '/election create "Leader" Kendall, Burnham, Cooper, Corbyn')
    await say(app, MOD, "/election open 1")
    for voter, ranking in zip(VOTERS, RANKINGS, strict=True):
        await say(app, voter, f"/rank {ranking}")


async def test_paced_count_declares_one_round_per_next_and_resumes_after_restart(
    tmp_path: Path, clock: Clock
) -> None:
    settings = adapter_settings(tmp_path)
    first = await build_app(settings, clock=clock)
    try:
        await vote(first)
        full = (await first.elections.count(MOD, PLACE, "1")).result  # the unpaced reference
    finally:
        await first.aclose()
    assert len(full.rounds) >= 3
    settings2 = adapter_settings(tmp_path / "paced")
    app = await build_app(settings2, clock=clock)
    try:
        await vote(app)
        started = await say(app, MOD, "/election count 1 --paced")
        assert not started.private
        assert started.lines[0].startswith("6 ballots, 4 candidates")
        headings = [s.heading or "" for s in started.sections]
        assert headings[1].startswith("Round 1: threshold")
        assert not any(h.startswith("Round 2") for h in headings)
        assert started.lines[-1] == f"Round 2 of {len(full.rounds)} follows on /election next."
        refused = await say(app, VOTERS[0], "/election next")
        assert refused.private and refused.title == "Only moderators can use /election next."
        second = await say(app, MOD, "/election next")
        assert not second.private and second.title == "Count: Leader"
        assert (second.sections[0].heading or "").startswith("Round 2")
        assert not any("Winner" in line for line in second.lines)
    finally:
        await app.aclose()
    again = await build_app(settings2, clock=clock)  # a restart mid-way
    try:
        last = None
        for _ in range(len(full.rounds) - 2):
            last = await say(again, MOD, "/election next")
        assert last is not None and last.title == "Result: Leader"
        assert (last.sections[0].heading or "").startswith(f"Round {len(full.rounds)}")
        assert any(full.winners[0] in line for line in last.lines)
        over = await say(again, MOD, "/election next")
        assert over.private and over.title == "Every round of Leader has been declared."
    finally:
        await again.aclose()


async def test_an_unpaced_count_has_no_next_round(app: App) -> None:
    await vote(app)
    declared = await say(app, MOD, "/election count 1")
    assert declared.title == "Result: Leader"
    reply = await say(app, MOD, "/election next")
    assert reply.private
    assert reply.title == "Leader was declared in full; there is no next round."


async def test_no_recount_before_a_paced_declaration_has_named_the_winners(app: App) -> None:
    """A recount mid-declaration would post every round and the winners at once."""
    await vote(app)
    await say(app, MOD, "/election count 1 --paced")
    for line in ("/election count 1", "/election count 1 --paced"):
        refused = await say(app, MOD, line)
        assert refused.private, line
        shown = " ".join((refused.title or "", *refused.lines))
        assert "being declared round by round (round 1 so far)" in shown
        assert "/election next 1" in shown
        assert "Winner" not in shown
    second = await say(app, MOD, "/election next")
    assert (second.sections[0].heading or "").startswith("Round 2")  # nothing was skipped
    titles = [(await say(app, MOD, "/election next")).title or "" for _ in range(8)]
    assert any(title.startswith("Result") for title in titles)
    recount = await say(app, MOD, "/election count 1")
    assert recount.title == "Recount: Leader" and not recount.private
