"""Forged Slack action values (a modified client, or a payload built by hand and signed with
the real secret) get the usual private error or a form error, never an exception: upvote
button values that name no question, and ballot-form submissions we never offered."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import pytest
import scenarios
from hustings_slack import CHANNEL, TEAM, SlackChat, running
from sqlalchemy import func, select

from bot.adapters.slack.fake import Mode
from bot.adapters.slack.fake import payloads as slack_payloads
from bot.adapters.slack.modal import OUT_OF_DATE
from bot.adapters.slack.render import UPVOTE_ACTION
from bot.app import App
from bot.storage.tables import Ballot, Question

MODES: list[Mode] = ["http", "socket"]


async def ballots(core: App) -> int:
    async with core.context.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Ballot)) or 0)


def problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ["-1", "99", "Q99", "text", "", None, "Q" + "9" * 40])
async def test_forged_upvote_values_get_a_private_error(
    tmp_path: Path, mode: Mode, value: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(tmp_path, mode) as slack:
        fake, chat = slack.fake, SlackChat(slack.fake)
        [card] = (await chat.slash("alice", "/ask Will you renationalise rail?")).messages
        bob = chat.member("bob")
        button = {"type": "button", "action_id": UPVOTE_ACTION}
        if value is not None:
            button["value"] = value
        team = fake.team(TEAM)
        payload = slack_payloads.block_action(
            team,
            team.users[bob],
            card,
            element=button,
            block_id="forged",
            selected=None,
            app_id=fake.app_id,
            token=fake.verification_token,
            trigger_id=fake.issue_trigger(TEAM, bob),
            response_url=f"{fake.url}/response/{fake.issue_webhook(TEAM, CHANNEL, bob).id}",
        )
        with caplog.at_level(logging.WARNING):
            ack = await fake.deliver("block_actions", payload)
            await fake.wait_for(lambda: bool(fake.ephemerals(TEAM, bob)))
            await fake.settle(0.1)
        assert ack.ok
        [told] = fake.ephemerals(TEAM, bob)
        assert "question" in told.text.lower() and "went wrong" not in told.text
        async with slack.core.context.sessions() as session:
            assert list((await session.scalars(select(Question.upvotes))).all()) == [0]
        assert problems(caplog) == []


@pytest.mark.parametrize("mode", MODES)
async def test_forged_ballot_forms_are_refused(
    tmp_path: Path, mode: Mode, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(tmp_path, mode) as slack:
        fake, chat = slack.fake, SlackChat(slack.fake)
        await scenarios.play(chat, scenarios.setup_steps())
        [form] = (await chat.slash("alice", "/ballot")).views
        team = fake.team(TEAM)
        genuine = slack_payloads.view_submission(
            team,
            team.users[form.user_id],
            form,
            {"pref1": "Cooper"},
            app_id=fake.app_id,
            token=fake.verification_token,
            trigger_id=fake.issue_trigger(TEAM, form.user_id),
        )

        def forged(change: str) -> dict[str, object]:
            payload = copy.deepcopy(genuine)
            view = payload["view"]
            pick = view["state"]["values"]["pref1"]["pick"]
            if change == "metadata":
                view["private_metadata"] = "{not json"
            elif change == "channel":
                view["private_metadata"] = json.dumps({"election": "1", "channel": 7})
            elif change == "no value":
                pick["selected_option"] = {"text": {"type": "plain_text", "text": "x"}}
            elif change == "not offered":
                pick["selected_option"]["value"] = "Mandelson"
            return payload

        with caplog.at_level(logging.WARNING):
            for change in ("metadata", "channel"):
                ack = await fake.deliver("view_submission", forged(change))
                assert ack.ok and ack.json == {
                    "response_action": "errors",
                    "errors": {"pref1": OUT_OF_DATE},
                }
            ack = await fake.deliver("view_submission", forged("no value"))
            assert ack.ok and "pref1" in (ack.json or {}).get("errors", {})
            ack = await fake.deliver("view_submission", forged("not offered"))
            assert ack.ok
            await fake.wait_for(lambda: bool(fake.ephemerals(TEAM, form.user_id)))
            await fake.settle(0.1)
        [told] = fake.ephemerals(TEAM, form.user_id)
        assert "Mandelson" in told.text and "went wrong" not in told.text
        assert await ballots(slack.core) == 0
        assert problems(caplog) == []
