"""Dispatch: one service call per command, one error mapping, help by permission."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from bot.adapters.commands import COMMANDS
from bot.adapters.dispatch import HANDLERS, dispatch_line
from bot.adapters.render.message import Reply
from bot.app import App
from bot.domain import Actor, Place

PLACE = Place("fake", "ws", "general")
MOD = Actor("fake", "ws", "mod", "Mod", frozenset({"moderator"}))
ADMIN = Actor("fake", "ws", "root", "Root", is_admin=True)
ALICE = Actor("fake", "ws", "alice", "Alice")


async def say(app: App, actor: Actor, line: str) -> Reply:
    return await dispatch_line(app, actor, PLACE, line)


async def open_election(app: App) -> None:
    await say(app, MOD, '/election create "Leader" Kendall, Burnham, Cooper, Corbyn')
    await say(app, MOD, "/election open 1")


def test_every_command_but_help_has_exactly_one_handler() -> None:
    assert set(HANDLERS) == {c.name for c in COMMANDS} - {"help"}


async def test_help_lists_only_what_a_member_may_do(app: App) -> None:
    reply = await say(app, ALICE, "/help")
    assert reply.private
    assert any(line.startswith("/rank ") for line in reply.lines)
    assert not any(line.startswith("/election create") for line in reply.lines)


async def test_help_for_a_moderator_or_admin_lists_everything(app: App) -> None:
    for actor in (MOD, ADMIN):
        lines = (await say(app, actor, "/help")).lines
        assert len(lines) == len(COMMANDS)


async def test_member_cannot_run_moderator_commands(app: App) -> None:
    reply = await say(app, ALICE, '/election create "X" A, B')
    assert reply.private and reply.title == "Only moderators can use /election create."
    assert (await say(app, MOD, "/election list")).title == (
        "There are no elections in this channel."
    )


async def test_opening_is_public_and_a_receipt_private(app: App) -> None:
    await say(app, MOD, '/election create "Leader" Kendall, Burnham')
    opened = await say(app, MOD, "/election open 1")
    assert not opened.private and opened.title == "Voting is open: Leader (election 1)"
    receipt = await say(app, ALICE, "/rank burnham kendall")
    assert receipt.private
    assert (receipt.title or "").startswith(
        "Your ballot in Leader is recorded: 1. Burnham 2. Kendall"
    )


async def test_user_error_is_private_and_changes_nothing(app: App) -> None:
    await open_election(app)
    reply = await say(app, ALICE, "/rank Kendall Burnam")
    assert reply.private
    assert reply.title == '"Burnam" is not a candidate. Did you mean "Burnham"?'
    status = await say(app, ALICE, "/election status 1")
    assert "Ballots cast: 0" in status.lines


async def test_parse_errors_are_private_replies(app: App) -> None:
    reply = await say(app, ALICE, "/frobnicate")
    assert reply.private and "no command" in (reply.title or "")


async def test_bug_gets_an_apology_and_a_log_without_the_ranking(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    await open_election(app)
    async with app.engine.begin() as connection:  # a real fault: the ballots table is gone
        await connection.execute(text("DROP TABLE ballots"))
    with caplog.at_level(logging.ERROR, logger="bot.adapters.dispatch"):
        reply = await say(app, ALICE, "/rank Corbyn Cooper")
    assert reply.private
    assert (reply.title or "").startswith("Sorry, something went wrong (ref ")
    ref = (reply.title or "").split("(ref ")[1].split(")")[0]
    record = next(r for r in caplog.records if r.name == "bot.adapters.dispatch")
    logged = record.getMessage()
    assert ref in logged and "/rank" in logged
    assert "alice" not in logged  # no user ids in logs (HELPERS.md); the ref ties it together
    assert record.exc_info is not None
    assert "Corbyn" not in logged and "Cooper" not in logged


async def test_edit_without_closes_keeps_the_closing_time(app: App) -> None:
    await say(app, MOD, '/election create "Leader" A, B --closes 2015-09-12T11:00Z')
    await say(app, MOD, "/election edit 1 --seats 1 --title Leader2")
    status = await say(app, MOD, "/election status 1")
    assert status.title == "Election 1: Leader2"
    assert "Closes: 2015-09-12 11:00 UTC" in status.lines


async def test_edit_with_closes_changes_it(app: App) -> None:
    await say(app, MOD, '/election create "Leader" A, B')
    await say(app, MOD, "/election edit 1 --closes 2015-09-12 11:00")
    assert "Closes: 2015-09-12 11:00 UTC" in (await say(app, MOD, "/election status 1")).lines


async def test_college_sections_and_weights_are_passed_through(app: App) -> None:
    line = (
        '/election create "College" A, B, C --method college'
        " --sections members=members, union=affiliates --weights members=1, affiliates=1"
    )
    reply = await say(app, MOD, line)
    assert reply.title == "Election 1 created as a draft: College (draft)"
    assert reply.lines == ("Candidates: A, B, C",)
    election = await app.elections.get(MOD, PLACE, "1")
    assert election.sections == {"members": "members", "union": "affiliates"}
    assert election.section_weights == {"members": 1, "affiliates": 1}
    status = await say(app, MOD, "/election status")
    assert status.lines[-1] == (
        "Sections: members (weight 1; role members), affiliates (weight 1; role union)"
    )


async def test_malformed_pairs_are_a_user_error(app: App) -> None:
    reply = await say(app, MOD, '/election create "C" A, B --method college --sections members')
    assert reply.title == '--sections takes pairs like a=b, c=d; "members" is not one.'


async def test_export_after_close_is_a_private_attachment(app: App) -> None:
    await open_election(app)
    await say(app, ALICE, "/rank Corbyn")
    await say(app, MOD, "/election close 1")
    reply = await say(app, MOD, "/election export 1 --format json")
    assert reply.private and reply.attachment is not None
    assert reply.attachment.filename == "election-1.json"
    assert "Corbyn" in reply.attachment.content and "alice" not in reply.attachment.content


async def test_questions_flow(app: App) -> None:
    asked = await say(app, ALICE, "/ask --to panel What about rail?")
    assert not asked.private and asked.title == "New question Q1"
    upvoted = await say(app, MOD, "/upvote Q1")
    assert upvoted.title == "You upvoted Q1; it has 1 upvote."
    answered = await say(app, MOD, "/question answer Q1 Public ownership.")
    assert not answered.private and "   Answer: Public ownership." in answered.lines
    listed = await say(app, ALICE, "/questions --status answered")
    assert listed.title == "Top answered questions"


async def test_premoderation_holds_questions(app: App) -> None:
    assert not (await say(app, MOD, "/premoderate on")).private
    held = await say(app, ALICE, "/ask Anything?")
    assert held.private and "waiting for a moderator" in (held.title or "")
    pending = await say(app, MOD, "/question pending")
    assert pending.title == "Waiting for approval"
    approved = await say(app, MOD, "/question approve P1")
    assert not approved.private and approved.title == "New question Q1"
