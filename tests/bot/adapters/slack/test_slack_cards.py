"""Question cards on Slack are found through the database, not the worker that posted them.

A card is posted by one bolt app; a second app, built fresh on the same SQLite file and served
on its own port (another HTTP worker behind the load balancer, or the bot after a restart),
then takes every request and must still edit that card in place: an upvote by its button or
typed, a merge raising its count and closing the duplicate's card, a dismissal closing the
card, an answer (and a re-answer, marked edited). A question whose card location is not
stored (a row from before it was kept) loses nothing: the upvote, answer or dismissal is made
and told, and only the card's redraw is skipped (or, for a click, made on the card clicked).
A card Slack will not edit any more (deleted) costs the member no apology.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from hustings_slack import CHANNEL, SlackChat, answered, running, settings_for
from scenarios import MODERATOR
from sqlalchemy import select, update

from bot.adapters.slack.actors import Directory
from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.fake import FakeSlack, Message
from bot.adapters.slack.render import UPVOTE_ACTION, plain_text
from bot.adapters.slack.transport import EVENTS_PATH, serve_http
from bot.app import App, build_app
from bot.storage.database import transaction
from bot.storage.tables import Question


@asynccontextmanager
async def second_worker(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[App]:
    """A freshly built core and bolt app on the same database, taking every request from
    now on (the first app is still running, but Slack no longer reaches it)."""
    settings = settings_for(tmp_path, fake, "http")
    core = await build_app(settings)
    bolt = build_bolt_app(core, settings, directory=Directory(ttl=0))
    server = await serve_http(bolt, "127.0.0.1", 0, fake.signing_secret)
    fake.request_url = server.url + EVENTS_PATH
    try:
        yield core
    finally:
        await server.close()
        await core.aclose()


async def stored_locations(core: App) -> dict[str, str | None]:
    async with transaction(core.context.sessions, write=False) as session:
        rows = await session.execute(select(Question.number, Question.card_message))
        return {f"Q{number}": where for number, where in rows}


async def forget_locations(core: App) -> None:
    """Make every question an old row: posted before card locations were stored."""
    async with transaction(core.context.sessions) as session:
        await session.execute(update(Question).values(card_message=None))


def shown(card: Message) -> str:
    return plain_text(card.blocks)


def no_apology(*replies: Message) -> bool:
    return not any("Sorry, something went wrong" in m.text for m in replies)


async def test_a_second_worker_updates_the_card_the_first_posted(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        [card] = (await chat.slash("alice", "/ask Will you renationalise rail?")).messages
        [other] = (await chat.slash("erin", "/ask Rail, will you nationalise it?")).messages
        assert await stored_locations(slack.core) == {
            "Q1": f"{CHANNEL}:{card.ts}",
            "Q2": f"{CHANNEL}:{other.ts}",
        }

        async with second_worker(tmp_path, slack.fake):
            clicked = await slack.fake.click(card, UPVOTE_ACTION, user_id=chat.member("bob"))
            await answered(slack.fake, clicked)
            assert "You upvoted Q1; it has 1 upvote." in clicked.ephemerals[0].text
            assert "[Upvote (1)]" in shown(card) and len(card.edits) == 1

            typed = await chat.slash("carol", "/upvote Q1")  # no card in the request
            assert "it has 2 upvotes" in typed.ephemerals[0].text
            assert "[Upvote (2)]" in shown(card) and len(card.edits) == 2

            await chat.slash("dave", "/upvote Q2")
            merged = await chat.slash("mod", "/question merge Q2 Q1", MODERATOR)
            assert no_apology(*merged.ephemerals)
            assert "[Upvote (3)]" in shown(card) and len(card.edits) == 3
            assert "Question Q2 merged into Q1 (closed)" in shown(other)
            assert "Upvote Q1 instead." in shown(other) and "[Upvote" not in shown(other)

            first = await chat.slash("mod", "/question answer Q1 By 2030.", MODERATOR)
            assert "By 2030." in shown(card) and len(card.edits) == 4
            [answer] = [m for m in first.messages if "answered" in m.text]

        async with second_worker(tmp_path, slack.fake):  # and after another restart
            again = await chat.slash("mod", "/question answer Q1 By 2029.", MODERATOR)
            assert again.messages == []  # the answer edited in place, not posted again
            assert "By 2029." in shown(card) and "By 2030." not in shown(card)
            assert "By 2029." in shown(answer) and "(edited" in shown(answer)
            assert "[Upvote (3)]" in shown(card) and len(card.edits) == 5


async def test_a_dismissed_question_s_card_is_closed_by_another_worker(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        [card] = (await chat.slash("alice", "/ask Something abusive?")).messages
        async with second_worker(tmp_path, slack.fake):
            done = await chat.slash("mod", "/question dismiss Q1 abusive", MODERATOR)
            assert no_apology(*done.ephemerals) and done.messages == []
        assert len(card.edits) == 1
        assert "Question Q1 dismissed (closed)" in shown(card)
        assert "abusive?" not in shown(card) + card.text and "[Upvote" not in shown(card)


async def test_a_typed_upvote_on_an_old_row_is_counted_and_leaves_its_card(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        [card] = (await chat.slash("alice", "/ask Rail?")).messages
        await forget_locations(slack.core)
        async with second_worker(tmp_path, slack.fake) as core:
            typed = await chat.slash("bob", "/upvote Q1")
            assert typed.ack.ok and no_apology(*typed.ephemerals)
            assert "You upvoted Q1; it has 1 upvote." in typed.ephemerals[0].text
            assert card.edits == [] and "[Upvote (0)]" in shown(card)

            clicked = await slack.fake.click(card, UPVOTE_ACTION, user_id=chat.member("carol"))
            await answered(slack.fake, clicked)
            assert "it has 2 upvotes" in clicked.ephemerals[0].text
            assert "[Upvote (2)]" in shown(card)  # the click names the card it came from
            assert await stored_locations(core) == {"Q1": None}  # a click is not proof


async def test_an_answer_to_an_old_row_is_posted_and_its_card_is_left(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        [card] = (await chat.slash("alice", "/ask Rail?")).messages
        await forget_locations(slack.core)
        async with second_worker(tmp_path, slack.fake):
            done = await chat.slash("mod", "/question answer Q1 By 2030.", MODERATOR)
            assert no_apology(*done.ephemerals)
            [answer] = [m for m in done.messages if "answered" in m.text]
            assert "By 2030." in shown(answer)
            assert card.edits == []
            dismissed = await chat.slash("mod", "/question dismiss Q1 off-topic", MODERATOR)
            assert no_apology(*dismissed.ephemerals)
            assert "Q1" in dismissed.ephemerals[0].text and card.edits == []


async def test_a_deleted_card_costs_the_upvoter_no_apology(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        [card] = (await chat.slash("alice", "/ask Rail?")).messages
        card.deleted = True  # a channel manager removed it
        typed = await chat.slash("bob", "/upvote Q1")
        assert [m.text for m in typed.ephemerals] == ["You upvoted Q1; it has 1 upvote."]
        assert card.edits == []
