"""OAuth installs into two workspaces through bolt's flow and slack_sdk's async SQLAlchemy
stores; each workspace's commands then run with its own bot token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_fake_app import ADMIN, CHANNEL, MEMBER, TEAM, Seen, populate, register, serve
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import create_async_engine

from bot.adapters.slack.fake import FakeSlack

UNISON = "T0UNISON"


@pytest.fixture
async def store(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[AsyncSQLAlchemyInstallationStore]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}")
    installations = AsyncSQLAlchemyInstallationStore(client_id=fake.client_id, engine=engine)
    await installations.create_tables()
    yield installations
    await engine.dispose()


@pytest.fixture
async def oauth_app(
    fake: FakeSlack, seen: Seen, store: AsyncSQLAlchemyInstallationStore
) -> AsyncIterator[AsyncApp]:
    fake.team(TEAM).bot_token = None  # a distributed app starts with no workspace token
    fake.tokens.clear()
    populate(fake, UNISON, "Unison", installed=False)
    states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=store.engine)
    await states.create_tables()
    settings = AsyncOAuthSettings(
        client_id=fake.client_id,
        client_secret=fake.client_secret,
        scopes=["commands", "chat:write"],
        installation_store=store,
        state_store=states,
        authorization_url=fake.authorization_url,
    )
    app = AsyncApp(
        client=AsyncWebClient(base_url=fake.api_url),
        signing_secret=fake.signing_secret,
        oauth_settings=settings,
    )
    register(app, seen)
    runner, origin = await serve(app)
    fake.request_url = f"{origin}/slack/events"
    fake.oauth_redirect_url = f"{origin}/slack/oauth_redirect"
    yield app
    await runner.cleanup()


async def test_two_workspaces_install_and_stay_apart(
    fake: FakeSlack, oauth_app: AsyncApp, store: AsyncSQLAlchemyInstallationStore, seen: Seen
) -> None:
    labour = await fake.install(TEAM)
    unison = await fake.install(UNISON, user_id=MEMBER)

    assert (labour.status, unison.status) == (200, 200)
    saved = [
        await store.async_find_installation(enterprise_id=None, team_id=t) for t in (TEAM, UNISON)
    ]
    assert [i.bot_token for i in saved if i] == [labour.bot_token, unison.bot_token]
    assert saved[0] and saved[0].user_id == ADMIN and saved[1] and saved[1].user_id == MEMBER

    in_labour = await fake.slash(TEAM, MEMBER, CHANNEL, "/echo", "labour")
    in_unison = await fake.slash(UNISON, MEMBER, CHANNEL, "/echo", "unison")

    assert [m.text for m in fake.channel_messages(TEAM, CHANNEL)] == ["echo: labour"]
    assert [m.text for m in fake.channel_messages(UNISON, CHANNEL)] == ["echo: unison"]
    assert in_labour.ack.ok and in_unison.ack.ok and seen.commands == ["labour", "unison"]


async def test_callback_without_the_state_cookie_installs_nothing(
    fake: FakeSlack, oauth_app: AsyncApp, store: AsyncSQLAlchemyInstallationStore
) -> None:
    origin = fake.request_url.rsplit("/slack/", 1)[0] if fake.request_url else ""
    async with fake.http.get(
        f"{origin}/slack/install", params={"team": TEAM}, allow_redirects=False
    ) as page:
        assert page.status == 200 and "slack-app-oauth-state" in page.headers["Set-Cookie"]
    # A forged callback: a code the fake never issued and no browser cookie.
    async with fake.http.get(
        f"{origin}/slack/oauth_redirect", params={"code": "stolen", "state": "guess"}
    ) as callback:
        assert callback.status == 400
    assert await store.async_find_installation(enterprise_id=None, team_id=TEAM) is None


async def test_member_who_denies_consent_installs_nothing(
    fake: FakeSlack, oauth_app: AsyncApp, store: AsyncSQLAlchemyInstallationStore
) -> None:
    denied = await fake.install(TEAM, deny=True)

    assert denied.bot_token is None
    assert await store.async_find_installation(enterprise_id=None, team_id=TEAM) is None


async def test_an_install_grants_exactly_the_scopes_asked_for(
    fake: FakeSlack, oauth_app: AsyncApp
) -> None:
    installed = await fake.install(TEAM)
    assert installed.bot_token is not None
    client = AsyncWebClient(token=installed.bot_token, base_url=fake.api_url)

    await client.chat_postMessage(channel=CHANNEL, text="allowed")
    with pytest.raises(SlackApiError) as refused:
        await client.conversations_open(users=MEMBER)  # the app asked for no im:write

    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["provided"] == "chat:write,commands"
