"""Questions: flood limits, never-published questions staying invisible, pages, premoderate off."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import App
from bot.errors import Conflict, Flooded, InvalidInput, NotAllowed, NotFound
from tests.bot.services.conftest import MOD, PLACE, FakeClock, OpenElection, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


async def test_the_fourth_quick_question_is_refused_with_when_to_ask_again(
    app: App, clock: FakeClock
) -> None:
    for n in range(3):
        await app.questions.ask(member(1), PLACE, f"Question {n}?")
        clock.advance(seconds=20)
    with pytest.raises(Flooded) as refused:
        await app.questions.ask(member(1), PLACE, "A fourth?")
    message = refused.value.message
    assert "3 questions waiting or open here (Q1, Q2, Q3)" in message
    assert "not before 12:10:00 UTC (in 9 min 0 s)" in message
    assert len((await app.questions.list(MOD, PLACE)).items) == 3  # nothing was added
    await app.questions.ask(member(2), PLACE, "Someone else may ask?")  # per member


async def test_concurrent_questions_from_one_member_cannot_pass_one_check_together(
    app: App,
) -> None:
    asked = await asyncio.gather(
        *(app.questions.ask(member(1), PLACE, f"Burst {n}?") for n in range(6)),
        return_exceptions=True,
    )
    assert sum(not isinstance(a, BaseException) for a in asked) == 3
    assert all(isinstance(a, Flooded) for a in asked if isinstance(a, BaseException))
    assert (await app.questions.list(MOD, PLACE)).total == 3


async def test_an_answered_question_frees_a_place_but_the_window_still_holds(
    app: App, clock: FakeClock
) -> None:
    for n in range(3):
        await app.questions.ask(member(1), PLACE, f"Question {n}?")
    await app.questions.answer(MOD, PLACE, "Q1", "Yes.")
    with pytest.raises(Flooded, match=r"asked 3 questions here in the last 10 minutes"):
        await app.questions.ask(member(1), PLACE, "Again?")
    clock.advance(minutes=10, seconds=1)
    assert (await app.questions.ask(member(1), PLACE, "Now?")).short_id == "Q4"


async def test_moderators_set_the_limits_per_channel_and_are_never_held_back(
    app: App, clock: FakeClock
) -> None:
    with pytest.raises(NotAllowed):
        await app.questions.limits(member(1), PLACE, 1, None)
    shown = await app.questions.limits(MOD, PLACE, None, None)
    assert (shown.limit, shown.window_minutes, shown.default) == (3, 10, True)
    changed = await app.questions.limits(MOD, PLACE, 1, 2)
    assert (changed.limit, changed.window_minutes, changed.default) == (1, 2, False)
    await app.questions.ask(member(1), PLACE, "One?")
    await app.questions.answer(MOD, PLACE, "Q1", "Yes.")
    with pytest.raises(Flooded, match=r"in the last 2 minutes.*in 2 min 0 s"):
        await app.questions.ask(member(1), PLACE, "Two?")
    for n in range(5):
        await app.questions.ask(MOD, PLACE, f"Moderator {n}?")
    await app.questions.limits(MOD, PLACE, 0, None)
    for n in range(5):
        await app.questions.ask(member(1), PLACE, f"Unlimited {n}?")
    with pytest.raises(InvalidInput):
        await app.questions.limits(MOD, PLACE, -1, None)
    with pytest.raises(InvalidInput):
        await app.questions.limits(MOD, PLACE, None, 0)


async def test_a_question_dismissed_before_publication_never_existed_for_members(
    app: App,
) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    held = await app.questions.ask(member(1), PLACE, "Hidden?")
    assert held.short_id == "P1"
    await app.questions.dismiss(MOD, PLACE, "P1", "Off topic")
    with pytest.raises(NotFound, match=r"There is no question P1 in this channel\."):
        await app.questions.upvote(member(2), PLACE, "P1")
    with pytest.raises(Conflict, match=r"P1 was dismissed \(Off-topic\)"):  # the asker
        await app.questions.upvote(member(1), PLACE, "P1")
    never_used = await _refusal(app, "P9")
    assert never_used.replace("P9", "P1") == await _refusal(app, "P1")
    await app.questions.set_premoderation(MOD, PLACE, False)
    shown = await app.questions.ask(member(2), PLACE, "Seen?")
    assert shown.short_id == "Q1"  # no gap where the held question was


async def test_public_numbers_follow_publication_without_gaps(app: App) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    for n in (1, 2, 3):
        await app.questions.ask(member(n), PLACE, f"Held {n}?")
    await app.questions.dismiss(MOD, PLACE, "P1", "abusive")
    assert (await app.questions.approve(MOD, PLACE, "P3")).short_id == "Q1"
    assert (await app.questions.answer(MOD, PLACE, "P2", "Yes.")).short_id == "Q2"
    listed = (await app.questions.list(member(9), PLACE, status="all", order="new")).items
    assert [(q.short_id, q.text) for q in listed] == [("Q2", "Held 2?"), ("Q1", "Held 3?")]


async def test_a_published_then_dismissed_question_may_say_so(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Public?")
    await app.questions.dismiss(MOD, PLACE, "Q1", "Off topic")
    with pytest.raises(Exception, match="Q1 was dismissed"):
        await app.questions.upvote(member(2), PLACE, "Q1")


async def test_an_answered_pending_question_is_published(app: App) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    await app.questions.ask(member(1), PLACE, "Pending?")
    await app.questions.answer(MOD, PLACE, "P1", "Answered.")
    assert (await app.questions.upvote(member(2), PLACE, "Q1")).upvoted


async def test_premoderation_off_says_what_still_waits(app: App) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    for n in (1, 2, 3):
        await app.questions.ask(member(n), PLACE, f"Waiting {n}?")
    await app.questions.approve(MOD, PLACE, "P2")
    switched = await app.questions.set_premoderation(MOD, PLACE, False)
    assert (switched.on, switched.pending) == (False, ("P1", "P3"))


async def test_a_name_with_spaces_split_by_a_missing_quote_is_refused(
    app: App, open_election: OpenElection
) -> None:

    await open_election("Leader", candidates=("Jeremy Corbyn", "Yvette Cooper"))
    with pytest.raises(InvalidInput, match='--to "Jeremy Corbyn"'):
        await app.questions.ask(member(1), PLACE, "Corbyn, will you?", to_candidate="Jeremy")
    asked = await app.questions.ask(member(1), PLACE, "Will you?", to_candidate="Jeremy Corbyn")
    assert (asked.to_candidate, asked.text) == ("Jeremy Corbyn", "Will you?")
    other = await app.questions.ask(member(2), PLACE, "Cooper: why?", to_candidate="Jeremy")
    assert (other.to_candidate, other.text) == ("Jeremy Corbyn", "Cooper: why?")


async def test_approve_all_publishes_every_waiting_question(app: App) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    for n in (1, 2):
        await app.questions.ask(member(n), PLACE, f"Waiting {n}?")
    with pytest.raises(NotAllowed):
        await app.questions.approve_all(member(1), PLACE)
    approved = await app.questions.approve_all(MOD, PLACE)
    assert [(q.short_id, q.status) for q in approved] == [("Q1", "open"), ("Q2", "open")]
    assert (await app.questions.upvote(member(3), PLACE, "Q2")).upvoted
    assert await app.questions.approve_all(MOD, PLACE) == ()


async def test_lists_come_in_pages_that_say_how_many_there_are(app: App) -> None:
    for n in range(12):
        await app.questions.ask(member(n), PLACE, f"Question {n}?")
    first = await app.questions.list(member(99), PLACE, order="new")
    assert (len(first.items), first.total, first.pages, first.first, first.last) == (
        10, 12, 2, 1, 10
    )  # fmt: skip
    second = await app.questions.list(member(99), PLACE, order="new", page=2)
    assert [q.short_id for q in second.items] == ["Q2", "Q1"]
    assert (second.first, second.last) == (11, 12)
    with pytest.raises(InvalidInput, match="only 2 pages of 12 questions"):
        await app.questions.list(member(99), PLACE, page=3)


async def _refusal(app: App, short_id: str) -> str:
    with pytest.raises(NotFound) as refused:
        await app.questions.upvote(member(2), PLACE, short_id)
    return refused.value.message
