"""Who sees what about a question: named askers, anonymous ones, and dismissals."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapters.dispatch import dispatch_line
from bot.adapters.fake.run import run_lines
from bot.adapters.render import views
from bot.adapters.render.message import Reply, deliveries
from bot.adapters.render.text import render
from bot.app import App
from bot.domain import Actor, Place, QuestionView

PLACE = Place("fake", "ws", "hustings")
MOD = Actor("fake", "ws", "mod", "Mod", frozenset({"moderator"}))
ALICE = Actor("fake", "ws", "alice-id", "Alice")


def question(**kw: object) -> QuestionView:
    values: dict[str, object] = {
        "id": 1, "short_id": "Q1", "text": "Will you scrap tuition fees?", "to_candidate": None,
        "status": "open", "upvotes": 0, "asker_name": "Alice", "asker_user_id": "alice-id",
        "answer": None, "dismiss_reason": None, "created_at": datetime(2015, 8, 1, tzinfo=UTC),
    }  # fmt: skip
    values.update(kw)
    return QuestionView(**values)  # type: ignore[arg-type]


def test_a_named_asker_is_named_in_every_announcement() -> None:
    q = question(named=True, answer="Yes.", status="answered")
    for reply in (views.asked(q), views.approved(q), views.answered(q)):
        assert not reply.private
        assert "asked by Alice: Will you scrap tuition fees?" in render(reply)


def test_an_anonymous_asker_is_never_named_in_announcements() -> None:
    q = question(named=False, answer="Yes.", status="answered")  # a moderator's view
    for reply in (views.asked(q), views.approved(q), views.answered(q)):
        text = render(reply)
        assert "Alice" not in text and "alice-id" not in text and "asked by" not in text


def test_dismissal_tells_the_asker_privately_and_posts_nothing() -> None:
    reply = views.dismissed(question(status="dismissed", dismiss_reason="Off topic"))
    assert reply.private and reply.recipient is None
    assert reply.title == "Question Q1 dismissed. Alice is told privately why: Off topic"
    (told,) = reply.followups
    assert told.private and told.recipient == "alice-id"
    assert told.title == "Your question Q1 was dismissed by a moderator: Off topic"
    assert all(r.private for r in deliveries(reply))


async def say(app: App, actor: Actor, line: str) -> Reply:
    return await dispatch_line(app, actor, PLACE, line)


async def test_named_and_anonymous_questions_through_dispatch(app: App) -> None:
    named = await say(app, ALICE, "/ask --named How will we win back Scotland?")
    assert named.lines[0] == "Q1 — 0 upvotes, asked by Alice: How will we win back Scotland?"
    anonymous = await say(app, ALICE, "/ask What about rail?")
    assert anonymous.lines[0] == "Q2 — 0 upvotes: What about rail?"


async def test_approving_an_anonymous_question_keeps_the_asker_hidden(app: App) -> None:
    await say(app, MOD, "/premoderate on")
    await say(app, ALICE, "/ask What about rail?")
    approved = await say(app, MOD, "/question approve P1")
    assert not approved.private and "Alice" not in render(approved)


async def test_dismissal_transcript_shows_who_saw_what(app: App) -> None:
    out: list[str] = []
    script = [
        "#hustings @carol: /ask Who is your favourite biscuit?",
        "@chair +moderator: /question dismiss Q1 Off-topic.",
        "@dave: /questions",
    ]
    await run_lines(app, script, lambda text: out.extend(text.splitlines()))
    assert out[5:8] == [
        "[private to chair] Question Q1 dismissed. carol is told privately why: Off-topic",
        "[private to carol] Your question Q1 was dismissed by a moderator: Off-topic",
        "    It was: Who is your favourite biscuit?",
    ]
    assert not any(line.startswith("[#hustings]") for line in out[5:8])
    assert out[-1] == "[private to dave] Top open questions: none."
