"""The fake Slack's file uploads through slack_sdk's real ``files_upload_v2`` and its two Web
API steps: files kept with their alt text and shared in one message; bad tokens, unknown
files, channels and arguments refused with Slack's error codes."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from slack_fake_app import CHANNEL, TEAM, web_client
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.fake import FakeSlack

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")


async def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as caught:
        await call
    return str(caught.value.response["error"])


async def test_files_upload_v2_shares_files_with_alt_text_in_one_message(fake: FakeSlack) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    done = await client.files_upload_v2(
        file_uploads=[
            {"file": PNG, "filename": "a.png", "title": "A", "alt_txt": "Bar chart of 2 rounds."},
            {"file": b"minutes", "filename": "b.txt"},
        ],
        channel=CHANNEL,
        initial_comment="Charts of the count above",
    )

    assert [f["name"] for f in done["files"]] == ["a.png", "b.txt"]
    first, second = fake.file_store.shared_in(TEAM, CHANNEL)
    assert (first.data, first.alt_txt, first.title, first.size_px) == (
        PNG,
        "Bar chart of 2 rounds.",
        "A",
        (640, 480),
    )
    assert second.alt_txt is None and second.data == b"minutes" and second.mimetype == "binary"
    (shared,) = [m for m in fake.channel_messages(TEAM, CHANNEL) if m.files]
    assert shared.files == [first.id, second.id] and shared.text == "Charts of the count above"
    assert shared.via == "files.completeUploadExternal"
    assert done["files"][0]["original_w"] == 640 and done["files"][0]["alt_txt"]


async def test_without_a_channel_the_file_stays_private(fake: FakeSlack) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    await client.files_upload_v2(file=PNG, filename="a.png")
    (kept,) = fake.file_store.files.values()
    assert kept.complete and kept.channels == [] and not fake.channel_messages(TEAM, CHANNEL)


async def test_tokens_are_checked_on_both_steps(fake: FakeSlack) -> None:
    anonymous = AsyncWebClient(base_url=fake.api_url)
    assert await error_of(anonymous.files_getUploadURLExternal(filename="a", length=3)) == (
        "not_authed"
    )
    wrong = web_client(fake, "xoxb-not-ours")
    assert await error_of(wrong.files_upload_v2(file=PNG, filename="a.png")) == "invalid_auth"
    assert not fake.file_store.files


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ({"length": 3}, "invalid_arguments"),  # no filename
        ({"filename": "a.png"}, "invalid_arguments"),  # no length
        ({"filename": "a.png", "length": "three"}, "invalid_arguments"),
        ({"filename": "a.png", "length": 0}, "missing_argument"),
        ({"filename": "a.png", "length": 3, "alt_txt": "x" * 1001}, "alt_txt_too_large"),
    ],
)
async def test_bad_upload_url_requests_are_refused(
    fake: FakeSlack, args: dict[str, Any], error: str
) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    assert await error_of(client.api_call("files.getUploadURLExternal", params=args)) == error


async def _announced(fake: FakeSlack, client: AsyncWebClient, data: bytes) -> tuple[str, str]:
    got = await client.files_getUploadURLExternal(filename="a.png", length=len(PNG))
    url, file_id = str(got["upload_url"]), str(got["file_id"])
    async with aiohttp.ClientSession() as http, http.post(url, data=data) as answered:
        assert answered.status == (200 if len(data) == len(PNG) else 400)
    return url, file_id


async def test_unknown_unsent_or_reused_files_are_file_not_found(fake: FakeSlack) -> None:
    client = web_client(fake, fake.bot_token(TEAM))
    complete = client.files_completeUploadExternal
    assert await error_of(complete(files=[{"id": "F0NOPE"}], channel_id=CHANNEL)) == (
        "file_not_found"
    )
    _, short = await _announced(fake, client, PNG[:-1])  # wrong length: the bytes are refused
    assert await error_of(complete(files=[{"id": short}], channel_id=CHANNEL)) == "file_not_found"
    url, file_id = await _announced(fake, client, PNG)
    async with aiohttp.ClientSession() as http, http.post(url, data=PNG) as again:
        assert again.status == 404  # the upload URL is single use
    await complete(files=[{"id": file_id}], channel_id=CHANNEL)
    assert await error_of(complete(files=[{"id": file_id}], channel_id=CHANNEL)) == (
        "file_not_found"
    )


async def test_channels_are_checked_before_anything_is_shared(fake: FakeSlack) -> None:
    fake.add_channel(TEAM, "C0OUTSIDE", "outside", bot_member=False)
    client = web_client(fake, fake.bot_token(TEAM))
    _, file_id = await _announced(fake, client, PNG)
    complete = client.files_completeUploadExternal
    assert await error_of(complete(files=[{"id": file_id}], channel_id="C0NOPE")) == (
        "channel_not_found"
    )
    assert await error_of(complete(files=[{"id": file_id}], channel_id="C0OUTSIDE")) == (
        "not_in_channel"
    )
    assert not fake.file_store.files[file_id].complete
    assert await error_of(client.api_call("files.completeUploadExternal", params={})) == (
        "invalid_arguments"
    )
