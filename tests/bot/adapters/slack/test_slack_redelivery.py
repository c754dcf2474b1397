"""Exactly once at the Slack edge: a Socket Mode envelope sent again (Slack does, when an ack
was late) and a signed HTTP request replayed within its five-minute window both change
nothing the second time: not a ballot, not a question count, not an upvote."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

import pytest
import scenarios
from hustings_slack import FAST_LIMIT, TEAM, SlackChat, answered, running, settings_for, workspace
from sqlalchemy import func, select

from bot.adapters.slack.actors import Directory
from bot.adapters.slack.app import build_bolt_app
from bot.adapters.slack.fake import FakeSlack, Interaction, Mode, Signing
from bot.adapters.slack.fake.signing import signed_headers
from bot.adapters.slack.render import UPVOTE_ACTION
from bot.adapters.slack.transport import EVENTS_PATH, serve_http
from bot.app import App, build_app
from bot.storage.tables import Ballot, Election, Question

MODES: list[Mode] = ["http", "socket"]
EDGE_LOGGERS = ("bot.adapters.slack.edge", "bot.adapters.slack.dedupe", "bot.services.seen")


async def rankings(core: App) -> list[tuple[str, ...]]:
    async with core.context.sessions() as session:
        return list((await session.scalars(select(Ballot.ranking))).all())


async def count(core: App, table: type[object]) -> int:
    async with core.context.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def upvotes(core: App) -> list[int]:
    async with core.context.sessions() as session:
        return list((await session.scalars(select(Question.upvotes))).all())


def nothing_seen(again: Interaction) -> bool:
    """The repeat was acknowledged and nobody was shown anything."""
    return again.ack.ok and again.messages == [] and again.ephemerals == [] and not again.views


@pytest.mark.parametrize("mode", MODES)
async def test_rank_sent_again_after_a_rerank_keeps_the_new_ballot(
    tmp_path: Path, mode: Mode, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())
        first = await chat.slash("alice", "/rank Kendall Burnham")
        assert "recorded" in first.ephemerals[0].text.lower()
        await chat.slash("alice", "/rank Corbyn Cooper")

        with caplog.at_level(logging.DEBUG):
            again = await slack.fake.redeliver(first, retry=1 if mode == "socket" else None)
            await slack.fake.settle(0.2)
        assert nothing_seen(again)
        assert await rankings(slack.core) == [("Corbyn", "Cooper")]
        ours = [r.getMessage() for r in caplog.records if r.name.startswith(EDGE_LOGGERS)]
        assert any("dropped a repeated Slack slash command" in m for m in ours)
        assert first.delivery is not None
        secret_ish = [first.user_id, "Kendall", *first.delivery.headers.values()]
        secret_ish += [first.delivery.envelope_id] if first.delivery.envelope_id else []
        for said in ours:  # who, what, and the request's own ids stay out of the log
            assert not [s for s in secret_ish if s and s in said]


@pytest.mark.parametrize("mode", MODES)
async def test_ask_sent_again_makes_one_question(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        asked = await chat.slash("alice", "/ask Will you renationalise rail?")
        assert len(asked.messages) == 1

        again = await slack.fake.redeliver(asked)
        await slack.fake.settle(0.2)
        assert nothing_seen(again)
        assert await count(slack.core, Question) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_upvote_click_sent_again_does_not_flip_back(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        [card] = (await chat.slash("alice", "/ask Will you renationalise rail?")).messages
        click = await slack.fake.click(card, UPVOTE_ACTION, user_id=chat.member("bob"))
        await answered(slack.fake, click)
        assert await upvotes(slack.core) == [1]

        again = await slack.fake.redeliver(click)
        await slack.fake.settle(0.2)
        assert nothing_seen(again)
        assert await upvotes(slack.core) == [1]  # a second run would have taken it back


@pytest.mark.parametrize("mode", MODES)
async def test_ballot_form_sent_again_after_a_rerank_keeps_the_new_ballot(
    tmp_path: Path, mode: Mode
) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())
        [form] = (await chat.slash("alice", "/ballot")).views
        cast = await slack.fake.submit_view(form, {"pref1": "Cooper", "pref2": "Burnham"})
        await answered(slack.fake, cast)
        await chat.slash("alice", "/rank Kendall")
        assert await rankings(slack.core) == [("Kendall",)]

        again = await slack.fake.redeliver(cast)
        await slack.fake.settle(0.2)
        assert nothing_seen(again)
        assert await rankings(slack.core) == [("Kendall",)]


async def test_replayed_election_create_makes_no_second_election(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        created = await chat.slash("mod", '/election create "Leader" A, B', scenarios.MODERATOR)
        assert await count(slack.core, Election) == 1

        replayed = await slack.fake.redeliver(created)
        await slack.fake.settle(0.2)
        assert nothing_seen(replayed)
        assert await count(slack.core, Election) == 1


async def test_a_different_request_with_the_same_text_still_runs(tmp_path: Path) -> None:
    """De-duplication is by delivery, not by content: typing the same line twice counts."""
    async with running(tmp_path, "socket") as slack:
        chat = SlackChat(slack.fake)
        await chat.slash("alice", "/ask Same question?")
        await chat.slash("alice", "/ask Same question?")
        assert await count(slack.core, Question) == 2


async def test_replay_after_a_restart_within_the_window_is_refused(tmp_path: Path) -> None:
    """Accepted requests are kept in the database, so a new process refuses them too."""
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake)
        settings = settings_for(tmp_path, fake, "http")
        chat = SlackChat(fake)

        async def serving() -> tuple[App, object]:
            core = await build_app(settings)
            server = await serve_http(
                build_bolt_app(core, settings, directory=Directory(ttl=0)),
                "127.0.0.1",
                0,
                fake.signing_secret,
            )
            fake.request_url = server.url + EVENTS_PATH
            return core, server

        core, server = await serving()
        await scenarios.play(chat, scenarios.setup_steps())
        first = await chat.slash("alice", "/rank Kendall Burnham")
        await chat.slash("alice", "/rank Cooper")
        await server.close()  # type: ignore[attr-defined]
        await core.aclose()

        core, server = await serving()
        try:
            again = await fake.redeliver(first)
            await fake.settle(0.2)
            assert nothing_seen(again)
            assert await rankings(core) == [("Cooper",)]
        finally:
            await server.close()  # type: ignore[attr-defined]
            await core.aclose()


async def test_event_retried_by_slack_runs_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An Events API retry (new signature, same event id) is dropped like a replay."""
    async with running(tmp_path, "http") as slack:
        ack, delivery = await slack.fake.send_event(TEAM, {"type": "tokens_revoked"})
        assert ack.ok
        with caplog.at_level(logging.INFO, logger="bot.adapters.slack.dedupe"):
            later = signed_headers(
                slack.fake.signing_secret, delivery.body, Signing.VALID, now=time.time() + 2
            )
            resigned = replace(delivery, headers={**delivery.headers, **later})
            assert resigned.headers != delivery.headers
            retried = await slack.fake.send(resigned, retry=1)
        assert retried.ok and retried.body == ""
        [dropped] = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
        assert "tokens_revoked event" in dropped and "retry 1" in dropped


async def test_replayed_rank_does_not_bring_back_a_withdrawn_ballot(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())
        cast = await chat.slash("alice", "/rank Kendall Burnham")
        withdrawn = await chat.slash("alice", "/withdraw")
        assert "withdrawn" in withdrawn.ephemerals[0].text.lower()
        assert await rankings(slack.core) == []

        replayed = await slack.fake.redeliver(cast)
        await slack.fake.settle(0.2)
        assert nothing_seen(replayed)
        assert await rankings(slack.core) == []
