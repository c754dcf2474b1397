"""Dispatch of moderator commands that leave the election out."""

from __future__ import annotations

from bot.adapters.dispatch import dispatch_line
from bot.adapters.render.message import Reply
from bot.app import App
from bot.domain import Actor, Place

PLACE = Place("fake", "ws", "general")
MOD = Actor("fake", "ws", "mod", "Mod", frozenset({"moderator"}))
ALICE = Actor("fake", "ws", "alice", "Alice")


async def say(app: App, actor: Actor, line: str) -> Reply:
    return await dispatch_line(app, actor, PLACE, line)


async def test_open_rank_count_with_no_refs(app: App) -> None:
    await say(app, MOD, '/election create "Leader" Kendall, Burnham, Cooper, Corbyn')
    opened = await say(app, MOD, "/election open")
    assert opened.title == "Voting is open: Leader (election 1)"
    await say(app, ALICE, "/rank Corbyn")
    status = await say(app, ALICE, "/election status")
    assert status.title == "Election 1: Leader" and "Ballots cast: 1" in status.lines
    counted = await say(app, MOD, "/election count")
    assert not counted.private and counted.title == "Result: Leader"
    assert counted.lines[-2] == "Winner: Corbyn"


async def test_two_candidates_is_a_private_list_to_choose_from(app: App) -> None:
    await say(app, MOD, '/election create "Leader" A, B')
    await say(app, MOD, '/election create "Deputy" C, D')
    reply = await say(app, MOD, "/election open")
    assert reply.private
    assert reply.title == (
        "Several elections here could be opened: 1 (Leader), 2 (Deputy). "
        "Name one, e.g. /election open 1."
    )
    assert (await say(app, MOD, "/election open 2")).title == "Voting is open: Deputy (election 2)"


async def test_export_names_the_file_after_the_picked_election(app: App) -> None:
    await say(app, MOD, '/election create "Leader" A, B')
    await say(app, MOD, '/election create "Deputy" C, D')
    await say(app, MOD, "/election open 2")
    await say(app, ALICE, "/rank D")
    await say(app, MOD, "/election close")
    reply = await say(app, MOD, "/election export --format json")
    assert reply.attachment is not None and reply.attachment.filename == "election-2.json"


async def test_closes_none_clears_the_closing_time_on_edit(app: App) -> None:
    await say(app, MOD, '/election create "Leader" A, B --closes 2015-09-12T11:00Z')
    reply = await say(app, MOD, "/election edit 1 --closes none")
    assert reply.title == "Election 1 updated: Leader (draft)"
    assert "Closes: no closing time" in (await say(app, MOD, "/election status 1")).lines
    await say(app, MOD, "/election edit 1 --closes 2015-09-13T11:00Z")
    await say(app, MOD, "/election edit 1 --closes NEVER")
    assert "Closes: no closing time" in (await say(app, MOD, "/election status 1")).lines


async def test_closes_none_on_create_means_no_closing_time(app: App) -> None:
    await say(app, MOD, '/election create "Leader" A, B --closes none')
    assert "Closes: no closing time" in (await say(app, MOD, "/election status 1")).lines
