"""Moderation in the open (issue 13): reason codes, merge, consented rewording, who answered,
the per-candidate queue and the published figures, on a real migrated SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.errors import Conflict, InvalidInput, NotAllowed
from bot.services import audit
from bot.services.question_reasons import read
from bot.storage.database import transaction
from bot.storage.tables import Question, Upvote
from tests.bot.services.conftest import MOD, PLACE, FakeClock, OpenElection, member


@pytest.mark.parametrize(
    ("typed", "code", "shown"),
    [
        ("duplicate", "duplicate", "Duplicate"),
        ("Off topic", "off-topic", "Off-topic"),
        ("off_topic: too far", "off-topic", "Off-topic: too far"),
        ("ABUSIVE!", "abusive", "Abusive"),
        ("answered elsewhere in the FAQ", "answered-elsewhere", "Answered elsewhere: in the FAQ"),
        ("other Not for this panel", "other", "Not for this panel"),
    ],
)
def test_reason_codes_are_read_whole(typed: str, code: str, shown: str) -> None:
    assert read(typed) == (code, shown)


@pytest.mark.parametrize("typed", ["offtopic", "Asked already", "other", "other   ", "dup"])
def test_anything_but_a_code_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        read(typed)


async def test_a_refused_reason_changes_nothing(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    with pytest.raises(InvalidInput, match="off-topic"):
        await app.questions.dismiss(MOD, PLACE, "Q1", "Boring")
    [question] = (await app.questions.list(member(1), PLACE)).items
    assert (question.status, question.dismiss_code) == ("open", None)


async def test_a_blank_reason_is_refused_with_the_codes(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    with pytest.raises(InvalidInput, match=r"A reason is required.*answered-elsewhere"):
        await app.questions.dismiss(MOD, PLACE, "Q1", "  ")
    [question] = (await app.questions.list(member(1), PLACE)).items
    assert question.status == "open"


async def _upvoted(app: App, short_id: str, *who: int) -> None:
    for n in who:
        await app.questions.upvote(member(n), PLACE, short_id)


async def test_merge_counts_each_member_once_and_drops_the_askers_own(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")  # Q1, kept
    await app.questions.ask(member(2), PLACE, "Trains?")  # Q2, the duplicate
    await _upvoted(app, "Q1", 2, 3)
    await _upvoted(app, "Q2", 3, 4, 1)  # 3 upvoted both; 1 is Q1's own asker
    merge = await app.moderation.merge(MOD, PLACE, "Q2", "Q1")
    assert (merge.moved, merge.not_added) == (1, 2)  # 3 (had Q1 already) and 1 (its asker)
    assert merge.into.upvotes == 3  # members 2, 3, 4
    assert (merge.merged.status, merge.merged.dismiss_code) == ("dismissed", "duplicate")
    assert merge.asker_user_id == "user-2"
    async with transaction(app.context.sessions, write=False) as session:
        rows = {q.number: q for q in await session.scalars(select(Question))}
        counted = await session.scalar(
            select(func.count()).select_from(Upvote).where(Upvote.question_id == rows[1].id)
        )
        left = await session.scalar(
            select(func.count()).select_from(Upvote).where(Upvote.question_id == rows[2].id)
        )
        entries = await audit.entries(session, PLACE.platform, PLACE.workspace)
    assert (counted, left, rows[2].merged_into_id) == (3, 0, rows[1].id)
    assert rows[1].upvotes == counted  # the count shown is the rows counted
    [merged] = [e for e in entries if e.action == "question.merge"]
    assert (merged.details["moved"], merged.details["not_added"]) == (1, 2)
    assert not {"own", "shared"} & set(merged.details)  # never the parts of that sum
    again = await app.questions.upvote(member(3), PLACE, "Q1")
    assert not again.changed and again.question.upvotes == 3
    with pytest.raises(Conflict, match="Q2 was dismissed"):
        await app.questions.upvote(member(5), PLACE, "Q2")


async def test_merge_refusals_change_nothing(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Rail?")
    await app.questions.ask(member(2), PLACE, "Trains?")
    with pytest.raises(NotAllowed):
        await app.moderation.merge(member(3), PLACE, "Q2", "Q1")
    with pytest.raises(InvalidInput, match="not into itself"):
        await app.moderation.merge(MOD, PLACE, "Q1", "Q1")
    await app.questions.dismiss(MOD, PLACE, "Q1", "abusive")
    with pytest.raises(Conflict, match="Q1 is dismissed"):
        await app.moderation.merge(MOD, PLACE, "Q2", "Q1")
    with pytest.raises(Conflict, match="Q1 is dismissed"):
        await app.moderation.merge(MOD, PLACE, "Q1", "Q2")
    [kept] = (await app.questions.list(MOD, PLACE)).items
    assert (kept.short_id, kept.status) == ("Q2", "open")


async def test_a_rewording_changes_nothing_until_the_asker_accepts(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Schools?")
    proposed = await app.moderation.propose(MOD, PLACE, "Q1", "What will you do about schools?")
    assert proposed.step == "proposed" and proposed.asker_user_id == "user-1"
    [seen] = (await app.questions.list(member(2), PLACE)).items
    assert (seen.text, seen.proposed_text) == ("Schools?", None)  # others never see a proposal
    [own] = (await app.questions.list(member(1), PLACE)).items
    assert own.proposed_text == "What will you do about schools?"
    with pytest.raises(NotAllowed, match="Only the asker"):
        await app.moderation.accept(member(2), PLACE, "Q1")
    with pytest.raises(NotAllowed):
        await app.moderation.decline(MOD, PLACE, "Q1")  # not even a moderator
    accepted = await app.moderation.accept(member(1), PLACE, "Q1")
    assert (accepted.question.text, accepted.old_text) == (
        "What will you do about schools?",
        "Schools?",
    )
    assert accepted.proposer == MOD.user_id
    with pytest.raises(Conflict, match="No rewording"):
        await app.moderation.accept(member(1), PLACE, "Q1")


async def test_a_declined_rewording_leaves_the_question_as_asked(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Schools?")
    await app.moderation.propose(MOD, PLACE, "Q1", "Teachers?")
    declined = await app.moderation.decline(member(1), PLACE, "Q1")
    assert declined.step == "declined" and declined.question.text == "Schools?"
    [question] = (await app.questions.list(member(1), PLACE)).items
    assert (question.text, question.proposed_text) == ("Schools?", None)


async def test_an_answered_question_is_not_reworded(app: App) -> None:
    await app.questions.ask(member(1), PLACE, "Schools?")
    await app.moderation.propose(MOD, PLACE, "Q1", "Teachers?")
    await app.questions.answer(MOD, PLACE, "Q1", "More of them.")
    with pytest.raises(Conflict, match="rewording proposed for Q1 lapsed: Q1 was answered"):
        await app.moderation.accept(member(1), PLACE, "Q1")
    with pytest.raises(Conflict, match="answered"):
        await app.moderation.propose(MOD, PLACE, "Q1", "Teachers?")


async def test_a_re_answer_is_stored_as_edited_and_keeps_who_answered(
    app: App, open_election: OpenElection, clock: FakeClock
) -> None:
    await open_election()
    await app.questions.ask(member(1), PLACE, "Rail?", to_candidate="corbyn")
    first = await app.questions.answer(MOD, PLACE, "Q1", "By 2030.", by="CORBYN")
    assert (first.answered_by, first.answer_edited, first.answer_edited_at) == (
        "Corbyn",
        False,
        None,
    )
    await app.questions.record_answer_post(PLACE, first.id, "123:456")
    clock.advance(minutes=5)
    again = await app.questions.answer(MOD, PLACE, "Q1", "By 2029.")
    assert again.answer_edited and again.answer_edited_at == clock.now
    assert (again.answered_by, again.answer_message) == ("Corbyn", "123:456")
    assert again.answered_at == first.answered_at
    [listed] = (await app.questions.list(member(2), PLACE, status="answered")).items
    assert listed.answer_edited_at == clock.now  # stored, not only in the reply
    with pytest.raises(InvalidInput, match="--by names the one candidate"):
        await app.questions.answer(MOD, PLACE, "Q1", "x", by="all")


async def test_the_per_candidate_queue(app: App, open_election: OpenElection) -> None:
    await open_election()
    await app.questions.ask(member(1), PLACE, "Rail?", to_candidate="Corbyn")
    await app.questions.ask(member(2), PLACE, "Schools?", to_candidate="Cooper")
    await app.questions.ask(member(3), PLACE, "Buses?")
    corbyn = await app.questions.list(member(4), PLACE, to="corbyn")
    assert [q.short_id for q in corbyn.items] == ["Q1"]
    everyone = await app.questions.list(member(4), PLACE, to="panel")
    assert [q.short_id for q in everyone.items] == ["Q3"]
    with pytest.raises(InvalidInput, match="not a candidate"):
        await app.questions.list(member(4), PLACE, to="Nobody")


async def test_a_question_may_name_its_candidate_by_a_moderators_alias(
    app: App, open_election: OpenElection
) -> None:
    await open_election()
    await app.elections.set_alias(MOD, PLACE, "1", "JC", "Corbyn")
    asked = await app.questions.ask(member(1), PLACE, "Rail?", to_candidate="jc")
    assert asked.to_candidate == "Corbyn"
    answered = await app.questions.answer(MOD, PLACE, asked.short_id, "Yes.", by="JC")
    assert answered.answered_by == "Corbyn"


async def test_stats_add_up(app: App, open_election: OpenElection) -> None:
    await open_election()
    await app.questions.ask(member(1), PLACE, "Rail?", to_candidate="Corbyn")  # Q1 answered
    await app.questions.ask(member(2), PLACE, "Trains?", to_candidate="Corbyn")  # Q2 merged
    await app.questions.ask(member(3), PLACE, "Biscuits?")  # Q3 off-topic
    await app.questions.ask(member(4), PLACE, "Schools?", to_candidate="Cooper")  # Q4 open
    await _upvoted(app, "Q1", 2, 3)
    await _upvoted(app, "Q2", 3, 5)
    await app.moderation.merge(MOD, PLACE, "Q2", "Q1")
    await app.questions.dismiss(MOD, PLACE, "Q3", "off-topic")
    await app.questions.answer(MOD, PLACE, "Q1", "Yes.", by="Corbyn")
    await app.questions.set_premoderation(MOD, PLACE, True)
    await app.questions.ask(member(6), PLACE, "Held?")  # P1 pending
    stats = await app.question_stats.stats(member(9), PLACE)
    o = stats.overall
    assert (o.received, o.shown, o.answered, o.dismissed, o.pending) == (5, 4, 1, 2, 1)
    assert o.reasons == (("duplicate", 1), ("off-topic", 1))
    by = dict(stats.by_addressee)
    assert (by["Corbyn"].received, by["Corbyn"].answered, by["Corbyn"].dismissed) == (2, 1, 1)
    assert (by["Cooper"].received, by[None].received, by[None].pending) == (1, 2, 1)
    equal = {e.candidate: (e.answers, e.upvotes) for e in stats.equal_time}
    assert equal == {"Burnham": (0, 0), "Cooper": (0, 0), "Corbyn": (1, 3), "Kendall": (0, 0)}


async def test_a_waiting_rewording_lapses_when_answered_dismissed_or_merged(app: App) -> None:
    for n in (1, 2, 3, 4):
        await app.questions.ask(member(n), PLACE, f"Question {n}?")
        await app.moderation.propose(MOD, PLACE, f"Q{n}", f"Reworded {n}?")
    answered = await app.questions.answer(MOD, PLACE, "Q1", "Yes.")
    dismissed = await app.questions.dismiss(MOD, PLACE, "Q2", "off-topic")
    merge = await app.moderation.merge(MOD, PLACE, "Q3", "Q4")
    assert (answered.proposal_lapsed, dismissed.proposal_lapsed) == (True, True)
    assert merge.merged.proposal_lapsed and not merge.into.proposal_lapsed
    again = await app.questions.answer(MOD, PLACE, "Q1", "Yes, again.")
    assert not again.proposal_lapsed  # told once, when it lapsed
    for n, why in ((1, "answered"), (2, "dismissed \\(Off-topic\\)"), (3, "dismissed")):
        with pytest.raises(Conflict, match=f"Q{n} lapsed: Q{n} was {why}"):
            await app.moderation.accept(member(n), PLACE, f"Q{n}")
        with pytest.raises(Conflict, match="lapsed"):
            await app.moderation.decline(member(n), PLACE, f"Q{n}")
    mine = (await app.questions.list(member(1), PLACE, status="all")).items
    assert [(q.text, q.proposed_text) for q in mine if q.short_id == "Q1"] == [
        ("Question 1?", None)  # a lapsed proposal is not shown as waiting
    ]
    assert (await app.moderation.accept(member(4), PLACE, "Q4")).question.text == "Reworded 4?"


async def test_another_candidate_answers_only_with_override(
    app: App, open_election: OpenElection
) -> None:
    await open_election()
    await app.questions.ask(member(1), PLACE, "Rail?", to_candidate="Corbyn")
    await app.questions.ask(member(2), PLACE, "Buses?", to_candidate="panel")
    with pytest.raises(Conflict, match="Q1 was put to Corbyn, not Burnham: nothing was recorded"):
        await app.questions.answer(MOD, PLACE, "Q1", "Public ownership.", by="Burnham")
    [still] = (await app.questions.list(member(3), PLACE, to="Corbyn")).items
    assert (still.status, still.answered_by, still.answer) == ("open", None, None)
    with pytest.raises(InvalidInput, match="--override goes with --by"):
        await app.questions.answer(MOD, PLACE, "Q1", "Public ownership.", override=True)
    panel = await app.questions.answer(MOD, PLACE, "Q2", "More buses.", by="Burnham")
    assert panel.answered_by == "Burnham"  # a question to everyone: anyone may answer
    taken = await app.questions.answer(MOD, PLACE, "Q1", "Ours.", by="burnham", override=True)
    assert (taken.answered_by, taken.to_candidate) == ("Burnham", "Corbyn")
    stats = await app.question_stats.stats(member(3), PLACE)
    assert {e.candidate: e.answers for e in stats.equal_time}["Burnham"] == 2
