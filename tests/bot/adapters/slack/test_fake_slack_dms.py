"""The fake Slack's direct messages and scopes through slack_sdk's real client:
``conversations.open`` answers and refuses as Slack documents, files shared into a DM are
kept there (and only there) for tests to read back, and a token without a method's scope
gets ``missing_scope`` with ``needed`` and ``provided``."""

from __future__ import annotations

from typing import Any

import pytest
from slack_fake_app import ADMIN, CHANNEL, MEMBER, TEAM, web_client
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.fake import FakeSlack
from bot.adapters.slack.fake.scopes import ALL_SCOPES


async def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as caught:
        await call
    return dict(caught.value.response.data)


async def test_one_user_opens_the_same_dm_every_time(fake: FakeSlack) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    first = await client.conversations_open(users=MEMBER)
    again = await client.conversations_open(users=MEMBER, return_im=True)

    dm = first["channel"]["id"]
    assert dm.startswith("D") and first.get("already_open") is None
    assert again["channel"]["id"] == dm and again["already_open"] and again["no_op"]
    assert again["channel"]["is_im"] and again["channel"]["user"] == MEMBER
    other = await client.conversations_open(users=ADMIN)
    assert other["channel"]["id"] != dm
    resumed = await client.conversations_open(channel=dm)
    assert resumed["channel"]["id"] == dm


async def test_what_goes_into_a_dm_is_read_back_and_stays_out_of_channels(
    fake: FakeSlack,
) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    dm = (await client.conversations_open(users=MEMBER))["channel"]["id"]
    await client.chat_postMessage(channel=dm, text="hello")
    done = await client.files_upload_v2(
        file_uploads=[{"file": b"a,b\r\n", "filename": "m.csv"}],
        channel=dm,
        initial_comment="Minutes",
    )

    said, shared = fake.direct_messages(TEAM, MEMBER)
    assert said.text == "hello" and shared.text == "Minutes"
    (stored,) = fake.file_store.shared_in(TEAM, dm)
    assert shared.files == [stored.id] and stored.data == b"a,b\r\n"
    assert stored.channels == [dm] and done["files"][0]["is_public"] is False
    assert fake.direct_messages(TEAM, ADMIN) == [] and fake.channel_messages(TEAM, CHANNEL) == []


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ({}, "users_list_not_supplied"),
        ({"users": "U0NOBODY"}, "user_not_found"),
        ({"users": ",".join(f"U0X{i}" for i in range(9))}, "too_many_users"),
        ({"channel": "D0NOPE"}, "channel_not_found"),
        ({"channel": CHANNEL}, "method_not_supported_for_channel_type"),
    ],
)
async def test_bad_opens_are_refused_as_slack_refuses(
    fake: FakeSlack, args: dict[str, Any], error: str
) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    answer = await refusal(client.api_call("conversations.open", params=args))
    assert answer["error"] == error
    assert not any(c.is_direct for c in fake.team(TEAM).channels.values())


async def test_a_deactivated_member_cannot_be_messaged(fake: FakeSlack) -> None:
    fake.team(TEAM).users[MEMBER].deleted = True
    client = web_client(fake, fake.bot_token(TEAM))
    assert (await refusal(client.conversations_open(users=MEMBER)))["error"] == "user_disabled"


async def test_a_group_dm_needs_mpim_write_and_a_dm_im_write(fake: FakeSlack) -> None:
    fake.set_bot_scopes(TEAM, ALL_SCOPES - {"im:write", "mpim:write"})
    client = web_client(fake, fake.bot_token(TEAM))

    alone = await refusal(client.conversations_open(users=MEMBER))
    group = await refusal(client.conversations_open(users=f"{MEMBER},{ADMIN}"))

    assert (alone["error"], alone["needed"]) == ("missing_scope", "im:write")
    assert (group["error"], group["needed"]) == ("missing_scope", "mpim:write")
    assert "chat:write" in alone["provided"].split(",") and "im:write" not in alone["provided"]
    assert not any(c.is_direct for c in fake.team(TEAM).channels.values())
    fake.set_bot_scopes(TEAM, ALL_SCOPES)
    opened = await client.conversations_open(users=f"{MEMBER},{ADMIN}")
    assert opened["channel"]["id"].startswith("G")


@pytest.mark.parametrize(
    ("scope", "method", "args"),
    [
        ("chat:write", "chat.postMessage", {"channel": CHANNEL, "text": "hi"}),
        ("files:write", "files.getUploadURLExternal", {"filename": "a.csv", "length": 3}),
        ("pins:write", "pins.add", {"channel": CHANNEL, "timestamp": "1.000001"}),
        ("users:read", "users.info", {"user": MEMBER}),
        ("usergroups:read", "usergroups.list", {}),
    ],
)
async def test_a_token_without_a_methods_scope_changes_nothing(
    fake: FakeSlack, scope: str, method: str, args: dict[str, Any]
) -> None:
    fake.set_bot_scopes(TEAM, ALL_SCOPES - {scope})
    client = web_client(fake, fake.bot_token(TEAM))

    answer = await refusal(client.api_call(method, params=args))

    assert (answer["error"], answer["needed"]) == ("missing_scope", scope)
    assert fake.messages == [] and fake.file_store.files == {}


async def test_files_upload_v2_without_files_write_stores_nothing(fake: FakeSlack) -> None:
    fake.set_bot_scopes(TEAM, ALL_SCOPES - {"files:write"})
    client = web_client(fake, fake.bot_token(TEAM))
    answer = await refusal(
        client.files_upload_v2(file=b"minutes", filename="m.md", channel=CHANNEL)
    )
    assert (answer["error"], answer["needed"]) == ("missing_scope", "files:write")
    assert fake.file_store.files == {} and fake.messages == []
    methods = [c.method for c in fake.calls]
    assert methods == ["files.getUploadURLExternal"]  # slack_sdk stops at the first refusal
