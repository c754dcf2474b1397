"""The mock ballot end to end in Slack, over HTTP (signed) and Socket Mode: text and form
rankings, private errors, moderator-only count, the round-by-round result in Block Kit."""

from __future__ import annotations

from pathlib import Path

import pytest
import scenarios
from hustings_slack import CHANNEL, TEAM, SlackChat, answered, running, user_id
from sqlalchemy import func, select

from bot.adapters.slack.fake import Mode
from bot.storage.tables import Ballot

MODES: list[Mode] = ["http", "socket"]


async def ballots_stored(core: object) -> int:
    sessions = core.context.sessions  # type: ignore[attr-defined]
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Ballot)) or 0)


@pytest.mark.parametrize("mode", MODES)
async def test_mock_ballot_scenario(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.mock_ballot())

        assert await ballots_stored(slack.core) == len(scenarios.BALLOTS)
        posted = slack.fake.channel_messages(TEAM, CHANNEL)
        charts = [m for m in posted if m.files]  # the count's charts, shared after its text
        assert [m.via for m in charts] == ["files.completeUploadExternal"] and charts[0] is posted[
            -1
        ]
        posted = [m for m in posted if not m.files]
        assert all(m.via == "chat.postMessage" for m in posted)
        result = posted[-1]
        rounds = [b for b in result.blocks if "Round" in str(b.get("text", {}).get("text", ""))]
        assert len(rounds) == 3 and len(result.blocks) <= 50
        # no ranking ever reached the channel
        assert not any("Corbyn Burnham" in m.text for m in slack.fake.messages if not m.ephemeral)


@pytest.mark.parametrize("mode", MODES)
async def test_rank_by_form_then_change_it(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())

        opened = await chat.slash("alice", "/ballot")
        [form] = opened.views
        selects = [b for b in form.view["blocks"] if b["type"] == "input"]
        assert len(selects) == len(scenarios.CANDIDATES)
        assert all(len(b["element"]["options"]) <= 100 for b in selects)

        repeated = await slack.fake.submit_view(form, {"pref1": "Cooper", "pref2": "Cooper"})
        assert form.state == "open" and "pref2" in form.errors
        assert repeated.ephemerals == [] and await ballots_stored(slack.core) == 0

        gap = await slack.fake.submit_view(form, {"pref1": "Cooper", "pref3": "Corbyn"})
        assert form.state == "open" and "pref2" in form.errors and gap.ephemerals == []

        cast = await slack.fake.submit_view(form, {"pref1": "Cooper", "pref2": "Burnham"})
        await answered(slack.fake, cast)
        assert form.state == "closed"
        [receipt] = cast.ephemerals
        assert "1. Cooper 2. Burnham" in receipt.text and receipt.via == "chat.postEphemeral"
        assert cast.messages == [] and await ballots_stored(slack.core) == 1

        [again] = (await chat.slash("alice", "/rank")).views  # a bare /rank opens it too
        inputs = [b["element"] for b in again.view["blocks"] if b["type"] == "input"]
        initial = [e.get("initial_option", {}).get("value") for e in inputs]
        assert initial[:2] == ["Cooper", "Burnham"]
        await answered(slack.fake, await slack.fake.submit_view(again, {"pref1": "Corbyn"}))
        mine = await chat.slash("alice", "/ballot --election 1")
        # still open: the form again, showing the new ballot and its receipt
        [shown] = mine.views
        assert any("1. Corbyn" in str(b) for b in shown.view["blocks"])
        assert await ballots_stored(slack.core) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_bad_ranking_is_private_and_stores_nothing(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())

        done = await chat.slash("alice", "/rank Kendall Mandelson")

        assert done.ack.ok and done.messages == []
        [error] = done.ephemerals
        assert "Mandelson" in error.text and error.ephemeral_to == user_id("alice")
        assert await ballots_stored(slack.core) == 0
