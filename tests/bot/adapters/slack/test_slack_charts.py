"""A count's charts reach Slack as files, through the real slack-bolt app, slack_sdk's
``files_upload_v2`` and the fake Slack: two PNGs with alt text shared right after the
complete text declaration; a drawing failure still posts the text."""

from __future__ import annotations

import logging
import struct
from pathlib import Path

import pytest
from hustings_slack import CHANNEL, TEAM, SlackChat, running

from bot.adapters.render import charts
from bot.adapters.slack.fake import FakeSlack, files
from bot.adapters.slack.render import plain_text

MOD = frozenset({"moderator"})
BALLOTS = ["Corbyn"] * 3 + ["Cooper"] * 2 + ["Burnham Cooper"] * 2 + ["Kendall Cooper"]


async def vote(chat: SlackChat) -> None:
    await chat.slash("mod", '/election create "Leader" Kendall, Burnham, Cooper, Corbyn', MOD)
    await chat.slash("mod", "/election open", MOD)
    for i, ranking in enumerate(BALLOTS):
        await chat.slash(f"voter{i}", f"/rank {ranking}")


def declaration(fake: FakeSlack) -> str:
    return "\n".join(
        plain_text(m.blocks) for m in fake.channel_messages(TEAM, CHANNEL) if not m.files
    )


async def test_a_count_shares_two_pngs_with_alt_text_after_its_text(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        await vote(chat)
        counted = await chat.slash("mod", "/election count", MOD)

        shared = [m for m in counted.messages if m.files]
        assert len(shared) == 1 and counted.messages[-1] is shared[0]  # after the text
        assert shared[0].text == "Charts of the count above: Result: Leader"
        files = [slack.fake.file_store.files[i] for i in shared[0].files]
        assert [f.filename for f in files] == ["count-rounds.png", "count-transfers.png"]
        for stored in files:
            data = stored.data or b""
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
            width, height = struct.unpack(">II", data[16:24])
            assert width >= 600 and height >= 400
            assert stored.channels == [CHANNEL]
        bars, flows = (f.alt_txt or "" for f in files)
        assert "Round 1: Kendall 1, Burnham 2, Cooper 2, Corbyn 3; exhausted 0" in bars
        assert "After round 1, Kendall's votes: 1 to Cooper." in flows
        assert flows.endswith("Elected: Cooper.")
        methods = [c.method for c in slack.fake.calls if c.method.startswith("files.")]
        assert methods == ["files.getUploadURLExternal"] * 2 + ["files.completeUploadExternal"]
        text = declaration(slack.fake)
        for fact in ("8 ballots", "Round 3", "Kendall", "1 to Cooper", "Elected: Cooper"):
            assert fact in text


async def test_a_chart_failure_still_posts_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(result: object) -> bytes:
        raise RuntimeError("no room for Kendall")

    monkeypatch.setattr(charts, "bars_png", broken)
    async with running(tmp_path, "socket") as slack:
        chat = SlackChat(slack.fake)
        await vote(chat)
        with caplog.at_level(logging.DEBUG):
            counted = await chat.slash("mod", "/election count", MOD)

        assert counted.messages and not any(m.files for m in counted.messages)
        assert not slack.fake.file_store.files
        assert "Elected: Cooper" in declaration(slack.fake)
        logged = [r.getMessage() for r in caplog.records if r.name.startswith("bot.")]
        assert any("charts could not be drawn (RuntimeError" in line for line in logged)
        assert not any("Kendall" in line for line in logged)


async def test_a_refused_upload_is_logged_and_the_text_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(files, "ALT_TXT_MAX", 10)  # every alt text is too long for this Slack
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        await vote(chat)
        with caplog.at_level(logging.WARNING):
            counted = await chat.slash("mod", "/election count", MOD)

        assert not any(m.files for m in counted.messages)
        assert "Elected: Cooper" in declaration(slack.fake)
        refused = "Slack refused 2 uploads: alt_txt_too_large"
        assert any(refused in r.getMessage() for r in caplog.records)


async def test_a_paced_count_shares_its_charts_with_the_last_step_only(tmp_path: Path) -> None:
    async with running(tmp_path, "http") as slack:
        chat = SlackChat(slack.fake)
        await vote(chat)
        steps = [await chat.slash("mod", "/election count --paced", MOD)]
        steps.append(await chat.slash("mod", "/election next", MOD))
        steps.append(await chat.slash("mod", "/election next", MOD))

        ends = [step.start_seq for step in steps[1:]] + [10**9]
        own = [[m for m in s.messages if m.seq <= end] for s, end in zip(steps, ends, strict=True)]
        shared = [[m for m in messages if m.files] for messages in own]
        assert [len(s) for s in shared] == [0, 0, 1]
        assert "Elected: Cooper" in plain_text(steps[-1].messages[0].blocks)
        assert len(shared[-1][0].files) == 2
