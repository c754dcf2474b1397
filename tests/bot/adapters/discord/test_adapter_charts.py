"""A count's charts reach Discord as image attachments, through the real discord.py client and
the fake Discord's multipart parsing: two PNGs on the declaration, each with alt text as its
description; the text declaration is complete without them; a drawing failure or a refused
upload still posts the text."""

from __future__ import annotations

import logging
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.discord.fake import FakeDiscord, InteractionRecord, Message, StoredFile
from bot.adapters.render import charts
from tests.bot.adapters.discord.harness import DiscordChat, running

MOD = frozenset({"moderator"})
BALLOTS = ["Corbyn"] * 3 + ["Cooper"] * 2 + ["Burnham Cooper"] * 2 + ["Kendall Cooper"]


@pytest.fixture
async def counted_env(tmp_path: Path) -> AsyncIterator[tuple[FakeDiscord, DiscordChat]]:
    async with running(tmp_path) as (fake, chat, _bot):
        await chat.run("mod", '/election create "Leader" Kendall, Burnham, Cooper, Corbyn', MOD)
        await chat.run("mod", "/election open", MOD)
        for i, ranking in enumerate(BALLOTS):
            await chat.run(f"voter{i}", f"/rank {ranking}")
        yield fake, chat


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def files_of(record: InteractionRecord) -> list[StoredFile]:
    return [f for m in record.messages for f in m.attachments]


async def test_a_count_arrives_with_two_pngs_described_by_their_alt_text(
    counted_env: tuple[FakeDiscord, DiscordChat],
) -> None:
    fake, chat = counted_env
    counted = await chat.run("mod", "/election count", MOD)

    assert not counted.rejected and not counted.ephemeral
    files = files_of(counted)
    assert [f.filename for f in files] == ["count-rounds.png", "count-transfers.png"]
    assert counted.messages[-1].attachments == files  # on the declaration's last message
    for stored in files:
        assert stored.sent_type == "application/octet-stream"  # as discord.py sends a part
        assert stored.content_type == "image/png"
        width, height = png_size(stored.data)
        assert (width, height) == stored.size_px and width >= 600 and height >= 400
    bars, flows = (f.description or "" for f in files)
    assert bars.startswith("Bar chart of 3 rounds.")
    assert "Round 1: Kendall 1, Burnham 2, Cooper 2, Corbyn 3; exhausted 0" in bars
    assert "After round 1, Kendall's votes: 1 to Cooper." in flows
    assert flows.endswith("Elected: Cooper.")
    # the message as discord.py reads it back lists them as Discord's attachment objects
    payload = counted.messages[-1].payload(fake.application_id)["attachments"]
    assert [a["description"] for a in payload] == [bars, flows]
    assert all(a["width"] >= 600 and a["size"] > 0 for a in payload)


async def test_the_text_declaration_is_complete_without_the_images(
    counted_env: tuple[FakeDiscord, DiscordChat],
) -> None:
    _, chat = counted_env
    counted = await chat.run("mod", "/election count", MOD)

    text = "\n".join(counted.texts)
    for fact in ("8 ballots", "Round 1", "Round 2", "Round 3", "Exhausted: 0"):
        assert fact in text
    # every transfer the flow chart draws, and the winner, in words
    assert "Transfers from Kendall: 1 to Cooper" in text
    assert "Transfers from Burnham: 2 to Cooper" in text
    assert "Elected: Cooper" in text


async def test_a_chart_failure_still_posts_the_text_and_logs_no_names(
    counted_env: tuple[FakeDiscord, DiscordChat],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, chat = counted_env

    def broken(result: object) -> bytes:
        raise ValueError("cannot draw Corbyn")  # a message quoting a name must not be logged

    monkeypatch.setattr(charts, "sankey_png", broken)
    with caplog.at_level(logging.DEBUG):
        counted = await chat.run("mod", "/election count", MOD)

    assert not counted.rejected and not files_of(counted)
    assert "Elected" in "\n".join(counted.texts)
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("bot.")]
    assert any("charts could not be drawn (ValueError" in line for line in logged)
    assert not any("Corbyn" in line for line in logged)


async def test_refused_files_are_dropped_and_the_text_still_posted(
    counted_env: tuple[FakeDiscord, DiscordChat],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, chat = counted_env
    from bot.adapters.discord.fake import uploads  # noqa: PLC0415 - the fake's own limit

    monkeypatch.setattr(uploads, "FILE_LIMIT", 1000)  # every chart is now too large
    counted = await chat.run("mod", "/election count", MOD)

    assert any(status == 413 for _, _, status in fake.requests)
    assert not files_of(counted)
    assert "Elected" in "\n".join(counted.texts)


async def test_a_paced_count_attaches_its_charts_to_the_last_step_only(
    counted_env: tuple[FakeDiscord, DiscordChat],
) -> None:
    _, chat = counted_env
    steps = [await chat.run("mod", "/election count --paced", MOD)]
    steps.append(await chat.run("mod", "/election next", MOD))
    steps.append(await chat.run("mod", "/election next", MOD))

    assert [len(files_of(step)) for step in steps] == [0, 0, 2]
    assert not steps[-1].ephemeral and "Elected: Cooper" in "\n".join(steps[-1].texts)


async def test_the_last_next_round_press_posts_the_result_with_its_charts(
    counted_env: tuple[FakeDiscord, DiscordChat],
) -> None:
    fake, chat = counted_env
    await chat.run("mod", "/election count --paced", MOD)
    mod = chat.member("mod", MOD)
    for _ in range(2):  # round 2, then round 3 with the result
        [posted] = [m for m in chat.public_messages() if _next_button(m)]
        await (await fake.click(mod, posted.id, _next_button(posted)))

    posts = [m for m in chat.public_messages() if not m.ephemeral]
    assert "Elected: Cooper" in posts[-1].text and not _next_button(posts[-1])
    assert [f.filename for f in posts[-1].attachments] == [
        "count-rounds.png",
        "count-transfers.png",
    ]
    assert all(f.description for f in posts[-1].attachments)
    assert not any(m.attachments for m in posts[:-1])  # earlier rounds carry none


def _next_button(message: Message) -> str:
    return next((i for i in message.custom_ids() if i.startswith("hustings:next:")), "")
