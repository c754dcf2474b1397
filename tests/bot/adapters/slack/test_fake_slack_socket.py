"""The same interactions over Socket Mode (slack_sdk's aiohttp client + bolt's handler)."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_fake_app import ADMIN, CHANNEL, MEMBER, TEAM, Seen, build_app, populate
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.fake import FakeSlack


async def test_connection_used_the_app_token(fake: FakeSlack, socket_app: AsyncApp) -> None:
    [opened] = [c for c in fake.calls if c.method == "apps.connections.open"]
    assert opened.status == 200 and opened.error is None
    assert len(fake.hub.sockets) == 1


async def test_slash_command_over_socket(fake: FakeSlack, socket_app: AsyncApp, seen: Seen) -> None:
    done = await fake.slash(TEAM, MEMBER, CHANNEL, "/echo", "Kendall Burnham")

    assert done.ack.transport == "socket" and done.ack.ok
    assert seen.commands == ["Kendall Burnham"]
    assert [m.text for m in done.messages] == ["echo: Kendall Burnham"]
    assert sorted(m.text for m in done.ephemerals) == ["also only you", "only you: Kendall Burnham"]


async def test_ack_payload_over_socket_is_an_ephemeral_reply(
    fake: FakeSlack, socket_app: AsyncApp
) -> None:
    done = await fake.slash(TEAM, MEMBER, CHANNEL, "/quick", "hello")

    assert [(m.text, m.via) for m in done.ephemerals] == [("acked: hello", "ack")]


async def test_click_and_modal_over_socket(
    fake: FakeSlack, socket_app: AsyncApp, seen: Seen
) -> None:
    posted = (await fake.slash(TEAM, MEMBER, CHANNEL, "/echo", "q")).messages[0]
    clicked = await fake.click(posted, "upvote", user_id=ADMIN)
    [view] = (await fake.slash(TEAM, MEMBER, CHANNEL, "/vote")).views
    rejected = await fake.submit_view(view, {"pref1": "Corbyn", "pref2": "Corbyn"})
    cast = await fake.submit_view(view, {"pref1": "Corbyn"})
    # the edit follows the ack through response_url: wait for it, not for a quiet spell
    await fake.wait_for(lambda: posted.text == "upvoted q1", within=30)

    assert clicked.ack.ok and seen.actions == ["q1"] and posted.text == "upvoted q1"
    assert rejected.ack.json == {"response_action": "errors", "errors": {"pref2": "Already ranked"}}
    assert view.state == "closed" and [m.text for m in cast.ephemerals] == ["ballot: Corbyn"]


async def test_unacked_envelope_is_a_timeout(seen: Seen) -> None:
    async with FakeSlack(ack_timeout=0.2, settle_quiet=0) as fake:
        populate(fake)
        handler = AsyncSocketModeHandler(build_app(fake, seen), fake.app_token)
        await handler.connect_async()
        await fake.hub.wait_connected()
        try:
            late = await fake.slash(TEAM, MEMBER, CHANNEL, "/slow", "0.4", mode="socket")
        finally:
            await handler.close_async()

    assert late.ack.late and late.error == "operation_timeout"


async def test_a_wrong_app_token_cannot_open_a_socket(fake: FakeSlack) -> None:
    client = AsyncWebClient(base_url=fake.api_url)
    try:
        await client.apps_connections_open(app_token="xapp-1-wrong")
    except SlackApiError as exc:
        assert exc.response["error"] == "invalid_auth"
    else:
        raise AssertionError("a wrong app token opened a socket")
    assert fake.hub.tickets == set()
