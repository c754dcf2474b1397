"""The fake's Web API through the real ``AsyncWebClient``: auth, Block Kit limits, rate
limits, response URLs and workspace isolation."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from slack_fake_app import ADMIN, CHANNEL, FAST_LIMIT, MEMBER, TEAM, populate, web_client
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.fake import FakeSlack, RateLimit


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def select(n: int) -> dict[str, Any]:
    options = [
        {"text": {"type": "plain_text", "text": f"c{i}"}, "value": f"c{i}"} for i in range(n)
    ]
    return {
        "type": "actions",
        "elements": [{"type": "static_select", "action_id": "pick", "options": options}],
    }


async def error_of(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value


async def test_tokens_are_checked(fake: FakeSlack) -> None:
    assert (await error_of(AsyncWebClient(base_url=fake.api_url).auth_test())).response[
        "error"
    ] == "not_authed"
    wrong = AsyncWebClient(token="xoxb-not-ours", base_url=fake.api_url)
    assert (await error_of(wrong.auth_test())).response["error"] == "invalid_auth"

    me = await web_client(fake, fake.bot_token(TEAM)).auth_test()
    assert (me["team_id"], me["user_id"], me["bot_id"]) == (
        TEAM,
        fake.team(TEAM).bot_user_id,
        fake.team(TEAM).bot_id,
    )


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section("x")] * 51, "[json-pointer:/blocks]"),
        ([section("x" * 3001)], "[json-pointer:/blocks/0/text/text]"),
        ([select(101)], "[json-pointer:/blocks/0/elements/0/options]"),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "[json-pointer:/blocks/0/text/text]",
        ),
    ],
)
async def test_block_kit_limits_reject_the_whole_message(
    fake: FakeSlack, blocks: list[Any], pointer: str
) -> None:
    client = web_client(fake, fake.bot_token(TEAM))

    error = await error_of(client.chat_postMessage(channel=CHANNEL, blocks=blocks, text="t"))

    assert error.response["error"] == "invalid_blocks"
    assert any(pointer in e for e in error.response["errors"])
    assert fake.messages == []


async def test_block_kit_limits_are_inclusive(fake: FakeSlack) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    blocks = [section("x" * 3000)] + [section("y")] * 48 + [select(100)]

    await client.chat_postMessage(channel=CHANNEL, blocks=blocks, text="fits")

    assert len(fake.channel_messages(TEAM, CHANNEL)[0].blocks) == 50


async def test_text_over_40000_characters_is_too_long(fake: FakeSlack) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    error = await error_of(client.chat_postMessage(channel=CHANNEL, text="x" * 40_001))
    assert error.response["error"] == "msg_too_long"


async def test_modal_limits_and_trigger_rules(fake: FakeSlack) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Ballot"},
        "blocks": [section("x")] * 101,
    }

    too_many = await error_of(
        client.views_open(trigger_id=fake.issue_trigger(TEAM, MEMBER), view=modal)
    )
    assert too_many.response["error"] == "invalid_blocks"

    trigger = fake.issue_trigger(TEAM, MEMBER)
    modal["blocks"] = [section("x")] * 100
    opened = await client.views_open(trigger_id=trigger, view=modal)
    assert fake.views[opened["view"]["id"]].user_id == MEMBER
    reused = await error_of(client.views_open(trigger_id=trigger, view=modal))
    assert reused.response["error"] == "invalid_trigger_id"


async def test_expired_trigger_is_refused() -> None:
    now = [1_000_000.0]
    async with FakeSlack(clock=lambda: now[0]) as fake:
        fake.add_team(TEAM, "Labour Left")
        fake.add_user(TEAM, MEMBER, "alice")
        trigger = fake.issue_trigger(TEAM, MEMBER)
        now[0] += 3.5
        client = web_client(fake, fake.bot_token(TEAM))
        modal = {
            "type": "modal",
            "title": {"type": "plain_text", "text": "B"},
            "blocks": [section("x")],
        }
        error = await error_of(client.views_open(trigger_id=trigger, view=modal))
    assert error.response["error"] == "expired_trigger_id"


async def test_429_carries_retry_after_and_is_not_retried_by_default() -> None:
    # The limiter's clock is frozen: with the fixture's 50/s refill, a loaded machine taking
    # 20 ms between posts would earn the fourth post a token and no 429.
    frozen = RateLimit(per_second=FAST_LIMIT.per_second, burst=3, clock=lambda: 0.0)
    async with FakeSlack(rate_limit=frozen, settle_quiet=0.05) as fake:
        populate(fake)
        bare = AsyncWebClient(token=fake.bot_token(TEAM), base_url=fake.api_url)
        for n in range(3):  # the burst
            await bare.chat_postMessage(channel=CHANNEL, text=f"m{n}")

        error = await error_of(bare.chat_postMessage(channel=CHANNEL, text="one too many"))

        assert error.response.status_code == 429
        assert error.response.headers["Retry-After"] == "1"
        assert [m.text for m in fake.channel_messages(TEAM, CHANNEL)] == ["m0", "m1", "m2"]


async def test_limits_are_per_channel(fake: FakeSlack) -> None:
    fake.add_channel(TEAM, "C0OTHER", "other")
    client = AsyncWebClient(token=fake.bot_token(TEAM), base_url=fake.api_url)
    for channel in (CHANNEL, "C0OTHER"):
        for n in range(3):
            await client.chat_postMessage(channel=channel, text=f"m{n}")
    assert len(fake.messages) == 6


async def test_limiter_refills_at_the_configured_rate() -> None:
    now = [0.0]
    async with FakeSlack(
        rate_limit=RateLimit(per_second=1.0, burst=1, clock=lambda: now[0])
    ) as fake:
        fake.add_team(TEAM, "Labour Left")
        fake.add_channel(TEAM, CHANNEL, "hustings")
        assert fake.limiter.take(TEAM, CHANNEL) == 0.0
        assert fake.limiter.take(TEAM, CHANNEL) == pytest.approx(1.0)
        now[0] = 0.75
        assert fake.limiter.take(TEAM, CHANNEL) == pytest.approx(0.25)
        now[0] = 1.0
        assert fake.limiter.take(TEAM, CHANNEL) == 0.0


async def post_hook(fake: FakeSlack, url: str, body: dict[str, Any]) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        return response.status, await response.json()


async def test_response_url_serves_five_times_then_refuses(fake: FakeSlack) -> None:
    hook = fake.issue_webhook(TEAM, CHANNEL, MEMBER)
    url = f"{fake.url}/response/{hook.id}"

    statuses = [(await post_hook(fake, url, {"text": f"r{n}"}))[0] for n in range(6)]

    assert statuses == [200] * 5 + [404]
    assert [m.text for m in fake.ephemerals(TEAM, MEMBER)] == [f"r{n}" for n in range(5)]
    assert fake.calls[-1].error == "used_url"


async def test_response_url_expires_after_thirty_minutes() -> None:
    now = [5_000.0]
    async with FakeSlack(clock=lambda: now[0]) as fake:
        fake.add_team(TEAM, "Labour Left")
        fake.add_channel(TEAM, CHANNEL, "hustings")
        hook = fake.issue_webhook(TEAM, CHANNEL, MEMBER)
        url = f"{fake.url}/response/{hook.id}"
        now[0] += 29 * 60
        assert (await post_hook(fake, url, {"text": "in time", "response_type": "in_channel"}))[
            0
        ] == 200
        now[0] += 2 * 60
        status, body = await post_hook(fake, url, {"text": "too late"})
    assert (status, body["error"]) == (404, "expired_url")
    assert [m.text for m in fake.channel_messages(TEAM, CHANNEL)] == ["in time"]


async def test_response_url_checks_blocks(fake: FakeSlack) -> None:
    hook = fake.issue_webhook(TEAM, CHANNEL, MEMBER)
    status, body = await post_hook(
        fake, f"{fake.url}/response/{hook.id}", {"blocks": [section("x")] * 51}
    )
    assert (status, body["error"]) == (400, "invalid_blocks")


async def test_workspaces_cannot_reach_each_other(fake: FakeSlack) -> None:
    fake.add_team("T0UNISON", "Unison")
    fake.add_channel("T0UNISON", "C0UNISON", "general")
    labour = web_client(fake, fake.bot_token(TEAM))

    error = await error_of(labour.chat_postMessage(channel="C0UNISON", text="leak"))

    assert error.response["error"] == "channel_not_found"
    assert fake.channel_messages("T0UNISON", "C0UNISON") == []


async def test_update_users_and_groups(fake: FakeSlack) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    fake.add_usergroup(TEAM, "moderator", [ADMIN])
    posted = await client.chat_postMessage(channel=CHANNEL, text="round 1")

    await client.chat_update(channel=CHANNEL, ts=posted["ts"], text="round 1 (final)")
    admin = await client.users_info(user=ADMIN)
    groups = await client.usergroups_list(include_users=True)
    info = await client.conversations_info(channel=CHANNEL)

    [message] = fake.channel_messages(TEAM, CHANNEL)
    assert (message.text, message.edits[0]["text"]) == ("round 1 (final)", "round 1")
    assert admin["user"]["is_admin"] is True
    assert groups["usergroups"][0]["users"] == [ADMIN]
    assert info["channel"]["name"] == "hustings"
