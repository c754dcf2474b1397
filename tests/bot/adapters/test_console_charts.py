"""The fake console attaches a count's charts: saved PNGs, ``[attachment NAME.png: PATH]``
lines with alt text, after a text declaration that is complete without them."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from bot.adapters.fake.console import Console
from bot.adapters.render import charts
from bot.app import App

VOTES = ["@a: /rank Corbyn Burnham", "@b: /rank Burnham Kendall", "@c: /rank Kendall Burnham",
         "@d: /rank Corbyn", "@e: /rank Cooper Kendall"]  # fmt: skip


async def test_count_attaches_two_pngs_with_alt_text(app: App, tmp_path: Path) -> None:
    out: list[str] = []
    folder = tmp_path / "attachments"
    console = Console(app, out.append, echo=False, attachments=folder)
    await console.feed(
        '@mod +moderator: /election create "Leader" Kendall, Burnham, Cooper, Corbyn'
    )
    await console.feed("@mod +moderator: /election open 1")
    for line in VOTES:
        await console.feed(line)
    await console.feed("@mod +moderator: /election count 1")
    attached = [line for line in out if line.startswith("[attachment ")]
    assert [line.split(":")[0] for line in attached] == [
        "[attachment count-1-rounds.png",
        "[attachment count-1-transfers.png",
    ]
    declaration = next(line for line in out if line.startswith("[#general] Result: Leader"))
    assert out.index(declaration) < out.index(attached[0])  # text first, complete on its own
    for line in attached:
        path = Path(line.split(": ", 1)[1].rstrip("]"))
        data = path.read_bytes()  # noqa: ASYNC240 - a test reading its temp file
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert width >= 600 and height >= 400
    alts = [line for line in out if line.startswith("  alt: ")]
    assert alts[0].startswith("  alt: Bar chart of") and "Round 1: " in alts[0]
    assert "Elected: " in alts[1]


async def test_without_a_folder_the_console_stays_text_only(app: App) -> None:
    out: list[str] = []
    console = Console(app, out.append, echo=False)
    await console.feed('@mod +moderator: /election create "Leader" Kendall, Burnham')
    await console.feed("@mod +moderator: /election open 1")
    await console.feed("@a: /rank Kendall")
    await console.feed("@mod +moderator: /election count 1")
    assert any(line.startswith("[#general] Result: Leader") for line in out)
    assert not any("[attachment" in line for line in out)


async def test_a_chart_failure_leaves_the_text_and_no_attachment(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(result: object) -> bytes:
        raise MemoryError

    monkeypatch.setattr(charts, "bars_png", broken)
    out: list[str] = []
    console = Console(app, out.append, echo=False, attachments=tmp_path / "attachments")
    await console.feed('@mod +moderator: /election create "Leader" Kendall, Burnham')
    await console.feed("@mod +moderator: /election open 1")
    await console.feed("@a: /rank Kendall")
    await console.feed("@mod +moderator: /election count 1")
    assert any(line.startswith("[#general] Result: Leader") for line in out)
    assert not any("[attachment" in line for line in out)
