"""Only our workspaces are served, and a workspace that removes the app is let go: a command
from another team (or none) leaves no row and no reply; after ``app_uninstalled`` the
installation and its token are gone and announcements for that team are skipped."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
import scenarios
from hustings_slack import (
    CHANNEL,
    FAST_LIMIT,
    TEAM,
    SlackChat,
    oauth_served,
    running,
    workspace,
)
from slack_bolt.async_app import AsyncApp
from sqlalchemy import func, select, text

from bot.adapters.slack.fake import FakeSlack, Mode
from bot.adapters.slack.fake import payloads as slack_payloads
from bot.adapters.slack.lifecycle import workspaces_of
from bot.adapters.slack.transport import SlackAnnouncer
from bot.app import App
from bot.domain import Place
from bot.storage.tables import Question

MODES: list[Mode] = ["http", "socket"]
OTHER = "T0OTHER"
ANNOUNCER_LOG = "bot.adapters.slack.transport"


def on_forget(bolt: AsyncApp) -> asyncio.Event:
    """Set once the app has let a workspace go (it acks an event before acting on it)."""
    workspaces = workspaces_of(bolt)
    assert workspaces is not None
    forgotten, forget = asyncio.Event(), workspaces.forget

    async def watched(team: str, **kw: Any) -> None:
        await forget(team, **kw)
        forgotten.set()

    workspaces.forget = watched  # type: ignore[method-assign]
    return forgotten


async def questions(core: App) -> int:
    async with core.context.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Question)) or 0)


@pytest.mark.parametrize("mode", MODES)
async def test_a_command_from_another_team_leaves_no_row(tmp_path: Path, mode: Mode) -> None:
    async with running(tmp_path, mode) as slack:
        workspace(slack.fake, OTHER, "Elsewhere")  # has a token of its own, not ours
        uid = SlackChat(slack.fake, OTHER).member("alice")
        done = await slack.fake.slash(OTHER, uid, CHANNEL, "/ask", "Who are you?")
        await slack.fake.settle(0.2)
        assert done.ack.ok and done.ack.body == ""
        assert done.messages == [] and done.ephemerals == []
        assert await questions(slack.core) == 0

        ours = await SlackChat(slack.fake).slash("alice", "/ask Who are you?")
        assert len(ours.messages) == 1 and await questions(slack.core) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_a_payload_without_a_team_is_dropped_quietly(
    tmp_path: Path, mode: Mode, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(tmp_path, mode) as slack:
        fake = slack.fake
        uid = SlackChat(fake).member("alice")
        team = fake.team(TEAM)
        payload = slack_payloads.slash(
            team,
            team.users[uid],
            CHANNEL,
            "/ask",
            "No team?",
            app_id=fake.app_id,
            token=fake.verification_token,
            response_url=f"{fake.url}/response/none",
            trigger_id=fake.issue_trigger(TEAM, uid),
        )
        del payload["team_id"], payload["team_domain"]
        with caplog.at_level(logging.DEBUG):
            ack = await fake.deliver("slash_commands", payload)
            await fake.settle(0.2)
        assert ack.ok and ack.body == ""
        assert await questions(slack.core) == 0
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
        assert not any(c.method == "chat.postEphemeral" for c in fake.calls)


@pytest.mark.parametrize("mode", MODES)
async def test_single_workspace_uninstall_skips_announcements_once(
    tmp_path: Path, mode: Mode, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(tmp_path, mode) as slack:
        announcer = SlackAnnouncer(slack.core.settings, slack.bolt)
        place = Place("slack", TEAM, CHANNEL)
        await announcer.announce(place, "before")
        assert [m.text for m in slack.fake.channel_messages(TEAM, CHANNEL)] == ["before"]

        forgotten = on_forget(slack.bolt)
        for ack, _ in await slack.fake.uninstall(TEAM):
            assert ack.ok
        await asyncio.wait_for(forgotten.wait(), 5)
        calls = len(slack.fake.calls)
        with caplog.at_level(logging.INFO, logger=ANNOUNCER_LOG):
            await announcer.announce(place, "after")
            await announcer.announce(place, "and again")
        assert [m.text for m in slack.fake.channel_messages(TEAM, CHANNEL)] == ["before"]
        assert len(slack.fake.calls) == calls  # the revoked token was not even tried
        [said] = [r for r in caplog.records if r.name == ANNOUNCER_LOG]
        assert said.levelno == logging.WARNING and TEAM in said.getMessage()
        assert "xox" not in said.getMessage()

        alice = SlackChat(slack.fake).member("alice")
        gone = await slack.fake.slash(TEAM, alice, CHANNEL, "/ask", "Still there?")
        assert gone.messages == [] and await questions(slack.core) == 0


async def test_announcer_skips_a_workspace_whose_token_stopped_working(tmp_path: Path) -> None:
    """Revoked without an event reaching us: the post fails with invalid_auth, and is skipped."""
    async with running(tmp_path, "socket") as slack:
        announcer = SlackAnnouncer(slack.core.settings, slack.bolt)
        place = Place("slack", TEAM, CHANNEL)
        await announcer.announce(place, "before")
        slack.fake.tokens.clear()  # the token dies; Slack sends nothing
        await announcer.announce(place, "after")  # no exception
        assert [m.text for m in slack.fake.channel_messages(TEAM, CHANNEL)] == ["before"]


async def test_oauth_uninstall_deletes_the_installation_and_its_token(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unison = "T0UNISON"
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake, installed=False)
        workspace(fake, unison, "Unison", installed=False)
        async with oauth_served(fake, tmp_path) as (settings, core, oauth, bolt):
            for team in (TEAM, unison):
                assert (await fake.install(team)).status == 200
            token = fake.bot_token(TEAM)
            chat = SlackChat(fake)
            await scenarios.play(chat, scenarios.setup_steps())

            forgotten = on_forget(bolt)
            for ack, _ in await fake.uninstall(TEAM):
                assert ack.ok
            await asyncio.wait_for(forgotten.wait(), 5)
            async with core.engine.connect() as conn:
                for table in ("slack_bots", "slack_installations"):
                    teams = (await conn.execute(text(f"SELECT team_id FROM {table}"))).scalars()
                    assert sorted(teams) == [unison], table
                dump = "\n".join(
                    str(row) for row in await conn.execute(text("SELECT * FROM slack_bots"))
                )
            assert token not in dump

            announcer = SlackAnnouncer(settings, bolt, oauth.installation_store)
            with caplog.at_level(logging.INFO, logger=ANNOUNCER_LOG):
                await announcer.announce(Place("slack", TEAM, CHANNEL), "closed")
                await announcer.announce(Place("slack", unison, CHANNEL), "closed")
            assert [m.text for m in fake.channel_messages(unison, CHANNEL)] == ["closed"]
            assert "closed" not in [m.text for m in fake.channel_messages(TEAM, CHANNEL)]
            [said] = [r.getMessage() for r in caplog.records if r.name == ANNOUNCER_LOG]
            assert TEAM in said and "no valid installation" in said

            after = await fake.slash(TEAM, chat.member("alice"), CHANNEL, "/ask", "Anyone?")
            assert after.messages == [] and after.ephemerals == []
            assert await questions(core) == 0
