"""The fake Discord's multipart uploads: files kept with their description, and every mismatch
Discord refuses refused, sent as raw multipart requests (and once through discord.py)."""

from __future__ import annotations

import io
import json
from typing import Any

import aiohttp
import discord
import pytest
from discord_test_bot import Place

from bot.adapters.discord.fake import FakeDiscord, uploads
from bot.adapters.discord.uploads import MAX_FILE_BYTES, add_uploads
from bot.adapters.render.uploads import Upload

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (700).to_bytes(4, "big") + (450).to_bytes(4, "big")


async def post(
    fake: FakeDiscord, channel: int, payload: dict[str, Any], files: dict[str, bytes]
) -> tuple[int, dict[str, Any]]:
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("payload_json", json.dumps(payload))
    for name, data in files.items():
        form.add_field(name, data, filename="chart.png", content_type="application/octet-stream")
    headers = {"Authorization": f"Bot {fake.token}"}
    url = f"{fake.api_url}/channels/{channel}/messages"
    async with aiohttp.ClientSession() as http, http.post(url, data=form, headers=headers) as r:
        return r.status, await r.json()


async def test_files_are_kept_with_description_type_and_size(
    fake: FakeDiscord, place: Place
) -> None:
    payload = {
        "content": "Result",
        "attachments": [
            {"id": 0, "filename": "a.png", "description": "Bar chart of 3 rounds."},
            {"id": 1, "filename": "b.png"},
        ],
    }
    status, body = await post(fake, place.channel, payload, {"files[0]": PNG, "files[1]": PNG})

    assert status == 200, body
    message = fake.message(int(body["id"]))
    first, second = message.attachments
    assert (first.filename, first.data) == ("a.png", PNG)
    assert first.description == "Bar chart of 3 rounds."
    assert second.description is None and second.filename == "b.png"
    assert first.size_px == (700, 450) and first.content_type == "image/png"
    assert body["attachments"][0]["width"] == 700 and body["attachments"][0]["size"] == len(PNG)


@pytest.mark.parametrize(
    ("entries", "parts", "path"),
    [
        ([{"id": 0}], {"files[0]": PNG, "files[1]": PNG}, "files[1]"),  # a part nobody names
        ([{"id": 0}, {"id": 1}], {"files[0]": PNG}, "attachments.1.id"),  # a name with no part
        ([{"id": 0, "description": "x" * 1025}], {"files[0]": PNG}, "attachments.0.description"),
        ([{"id": 0}], {"file": PNG}, "file"),  # a part under another name
        ([{"id": i} for i in range(11)], {f"files[{i}]": PNG for i in range(11)}, "attachments"),
    ],
)
async def test_mismatched_or_oversized_uploads_are_invalid_form_body(
    fake: FakeDiscord, place: Place, entries: list[Any], parts: dict[str, bytes], path: str
) -> None:
    before = len(fake.state.messages)
    status, body = await post(fake, place.channel, {"content": "x", "attachments": entries}, parts)

    assert (status, body["code"]) == (400, 50035), body
    node = body["errors"]
    for key in path.split("."):
        node = node[key]
    assert node["_errors"]
    assert len(fake.state.messages) == before


async def test_a_file_over_the_limit_is_413(
    fake: FakeDiscord, place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "FILE_LIMIT", len(PNG) - 1)
    status, body = await post(fake, place.channel, {"attachments": [{"id": 0}]}, {"files[0]": PNG})
    assert (status, body["code"]) == (413, uploads.TOO_LARGE)


async def test_discord_py_sends_description_and_an_edit_keeps_named_files(
    fake: FakeDiscord, place: Place
) -> None:
    client = discord.Client(intents=discord.Intents.none())
    await client.login(fake.token)
    try:
        channel = client.get_partial_messageable(place.channel)
        sent = await channel.send(
            "Result", file=discord.File(io.BytesIO(PNG), "r.png", description="alt")
        )
        assert [(a.filename, a.description, a.width) for a in sent.attachments] == [
            ("r.png", "alt", 700)
        ]
        edited = await sent.edit(content="Result (edited)", attachments=sent.attachments)
        assert [a.id for a in edited.attachments] == [a.id for a in sent.attachments]
        emptied = await sent.edit(attachments=[])
        assert emptied.attachments == [] and fake.message(sent.id).attachments == []
    finally:
        await client.close()


async def test_add_uploads_keeps_what_was_there_and_overflows_into_new_messages(
    fake: FakeDiscord, place: Place, caplog: pytest.LogCaptureFixture
) -> None:
    client = discord.Client(intents=discord.Intents.none())
    await client.login(fake.token)
    try:
        channel = client.get_partial_messageable(place.channel)
        sent = await channel.send("Minutes", file=discord.File(io.BytesIO(b"notes"), "m.txt"))
        images = [Upload(f"c{n}.png", PNG, f"chart {n}") for n in range(12)]
        too_big = Upload("huge.png", b"x" * (MAX_FILE_BYTES + 1), "too big")
        assert await add_uploads(sent, [*images, too_big])
    finally:
        await client.close()

    first, second = fake.channel_messages(place.channel)
    assert [f.filename for f in first.attachments] == ["m.txt"] + [f"c{n}.png" for n in range(9)]
    assert first.content == "Minutes" and first.attachments[1].description == "chart 0"
    assert [f.filename for f in second.attachments] == ["c9.png", "c10.png", "c11.png"]
    assert "over Discord's" in caplog.text
