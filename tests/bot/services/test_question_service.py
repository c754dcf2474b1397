"""QuestionService: ask, upvote (toggle), list; answer, dismiss, approve, pre-moderation."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import App
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.services import audit
from bot.storage.database import transaction
from tests.bot.services.conftest import MOD, OTHER_PLACE, PLACE, OpenElection, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


async def test_ask_gives_a_short_id_and_hides_the_asker(app: App) -> None:
    first = await app.questions.ask(member(1), PLACE, "  What about rail?  ")
    second = await app.questions.ask(member(2), PLACE, "And buses?", named=True)
    elsewhere = await app.questions.ask(member(3), OTHER_PLACE, "Elsewhere?")
    assert (first.short_id, second.short_id, elsewhere.short_id) == ("Q1", "Q2", "Q1")
    assert (first.text, first.status) == ("What about rail?", "open")
    listed = {q.short_id: q for q in (await app.questions.list(member(9), PLACE)).items}
    assert listed["Q1"].asker_name is None and listed["Q1"].asker_user_id is None
    assert listed["Q2"].asker_name == "Member 2" and listed["Q2"].asker_user_id is None
    moderated = {q.short_id: q for q in (await app.questions.list(MOD, PLACE)).items}
    assert (moderated["Q1"].asker_name, moderated["Q1"].asker_user_id) == ("Member 1", "user-1")


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
async def test_bad_questions_change_nothing(app: App, text: str) -> None:
    with pytest.raises(InvalidInput):
        await app.questions.ask(member(1), PLACE, text)
    assert (await app.questions.list(MOD, PLACE, status="all")).items == ()


async def test_question_to_a_candidate(app: App, open_election: OpenElection) -> None:
    await open_election()
    asked = await app.questions.ask(member(1), PLACE, "Why?", to_candidate="corb")
    assert asked.to_candidate == "Corbyn"
    with pytest.raises(InvalidInput):
        await app.questions.ask(member(1), PLACE, "Why?", to_candidate="Miliband")


async def test_upvote_never_toggles_unless_a_button_asks(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    on = await app.questions.upvote(member(2), PLACE, "Q1")
    assert (on.upvoted, on.changed, on.question.upvotes) == (True, True, 1)
    already = await app.questions.upvote(member(2), PLACE, "q1")
    assert (already.upvoted, already.changed, already.question.upvotes) == (True, False, 1)
    off = await app.questions.upvote(member(2), PLACE, "#1", undo=True)
    assert (off.upvoted, off.changed, off.question.upvotes) == (False, True, 0)
    nothing = await app.questions.upvote(member(2), PLACE, "Q1", undo=True)
    assert (nothing.changed, nothing.question.upvotes) == (False, 0)
    pressed = await app.questions.upvote(member(2), PLACE, "Q1", toggle=True)
    assert (pressed.upvoted, pressed.toggled, pressed.question.upvotes) == (True, True, 1)
    unpressed = await app.questions.upvote(member(2), PLACE, "Q1", toggle=True)
    assert (unpressed.upvoted, unpressed.question.upvotes) == (False, 0)


async def test_no_upvote_on_ones_own_question(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    for toggle in (False, True):
        with pytest.raises(Conflict, match="your own question"):
            await app.questions.upvote(member(1), PLACE, "Q1", toggle=toggle)
    [listed] = (await app.questions.list(member(3), PLACE)).items
    assert listed.upvotes == 0


async def test_concurrent_upvotes_from_one_member_stay_consistent(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    outcomes = await asyncio.gather(
        *(app.questions.upvote(member(2), PLACE, "Q1") for _ in range(9))
    )
    final = outcomes[-1].question.upvotes
    [listed] = (await app.questions.list(member(3), PLACE)).items
    assert listed.upvotes == final == 1  # nine toggles: on, off, ..., on


async def test_upvote_errors(app: App) -> None:
    with pytest.raises(NotFound):
        await app.questions.upvote(member(1), PLACE, "Q7")
    with pytest.raises(InvalidInput, match="Q12"):
        await app.questions.upvote(member(1), PLACE, "seven")
    await app.questions.ask(member(1), PLACE, "Rail?")
    await app.questions.dismiss(MOD, PLACE, "Q1", "Off topic")
    with pytest.raises(Conflict):
        await app.questions.upvote(member(2), PLACE, "Q1")


async def test_list_orders_and_filters(app: App) -> None:
    for n, text in enumerate(["one", "two", "three"], start=1):
        await app.questions.ask(member(n), PLACE, text)
    for voter in (4, 5):
        await app.questions.upvote(member(voter), PLACE, "Q2")
    await app.questions.upvote(member(4), PLACE, "Q3")
    await app.questions.answer(MOD, PLACE, "Q3", "Yes.")
    top = (await app.questions.list(member(9), PLACE)).items
    assert [q.short_id for q in top] == ["Q2", "Q1"]
    new = (await app.questions.list(member(9), PLACE, order="new", status="all")).items
    assert [q.short_id for q in new] == ["Q3", "Q2", "Q1"]
    answered = (await app.questions.list(member(9), PLACE, status="answered")).items
    assert [(q.short_id, q.answer) for q in answered] == [("Q3", "Yes.")]
    with pytest.raises(InvalidInput, match="--page must be 1 or more, not 0"):
        await app.questions.list(member(9), PLACE, page=0)
    with pytest.raises(InvalidInput, match="only 1 page of 3 questions"):
        await app.questions.list(member(9), PLACE, status="all", page=2)


async def test_answer_and_dismiss_need_a_moderator(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    with pytest.raises(NotAllowed):
        await app.questions.answer(member(2), PLACE, "Q1", "No.")
    with pytest.raises(NotAllowed):
        await app.questions.dismiss(member(2), PLACE, "Q1", "Nope")
    with pytest.raises(NotAllowed):
        await app.questions.pending(member(2), PLACE)
    with pytest.raises(NotAllowed):
        await app.questions.set_premoderation(member(2), PLACE, True)
    [question] = (await app.questions.list(MOD, PLACE)).items
    assert (question.status, question.answer) == ("open", None)


async def test_dismiss_keeps_a_reason_for_the_asker(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    dismissed = await app.questions.dismiss(MOD, PLACE, "Q1", "other Asked already")
    assert (dismissed.status, dismissed.dismiss_reason) == ("dismissed", "Asked already")
    assert dismissed.dismiss_code == "other"
    assert dismissed.asker_user_id == "user-1"  # so the adapter can tell the asker
    with pytest.raises(Conflict):
        await app.questions.answer(MOD, PLACE, "Q1", "Too late")
    with pytest.raises(InvalidInput):
        await app.questions.dismiss(MOD, PLACE, "Q1", " ")
    assert (await app.questions.list(member(2), PLACE, status="all")).items == ()


async def test_premoderation_holds_questions_until_approved(app: App) -> None:
    assert (await app.questions.set_premoderation(MOD, PLACE, True)).on is True
    asked = await app.questions.ask(member(1), PLACE, "Rail?")
    assert (asked.status, asked.short_id) == ("pending", "P1")
    assert (await app.questions.list(member(2), PLACE)).items == ()
    for held in ("P1", "Q1"):
        with pytest.raises(NotFound):
            await app.questions.upvote(member(2), PLACE, held)
    assert [q.short_id for q in (await app.questions.pending(MOD, PLACE)).items] == ["P1"]
    approved = await app.questions.approve(MOD, PLACE, "p1")
    assert (approved.status, approved.short_id) == ("open", "Q1")
    with pytest.raises(Conflict):
        await app.questions.approve(MOD, PLACE, "Q1")
    assert [q.short_id for q in (await app.questions.list(member(2), PLACE)).items] == ["Q1"]
    assert (await app.questions.set_premoderation(MOD, PLACE, False)).on is False
    assert (await app.questions.ask(member(1), PLACE, "Buses?")).status == "open"


async def test_moderator_question_actions_are_audited(app: App) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    await app.questions.ask(member(1), PLACE, "Rail?")
    await app.questions.ask(member(1), PLACE, "Buses?")
    await app.questions.approve(MOD, PLACE, "P1")
    await app.questions.answer(MOD, PLACE, "Q1", "Yes")
    await app.questions.dismiss(MOD, PLACE, "P2", "Duplicate")
    async with transaction(app.context.sessions, write=False) as session:
        rows = await audit.entries(session, PLACE.platform, PLACE.workspace)
    assert [r.action for r in rows] == [
        "questions.premoderation", "question.approve", "question.answer", "question.dismiss",
    ]  # fmt: skip
    assert {r.actor for r in rows} == {MOD.user_id}


async def test_views_say_whether_the_asker_chose_to_be_named(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Anonymous?")
    await app.questions.ask(member(2), PLACE, "Named?", named=True)
    for viewer in (MOD, member(1), member(9)):
        named = {q.short_id: q.named for q in (await app.questions.list(viewer, PLACE)).items}
        assert named == {"Q1": False, "Q2": True}
    dismissed = await app.questions.dismiss(MOD, PLACE, "Q1", "Duplicate")
    assert not dismissed.named and dismissed.asker_name == "Member 1"
