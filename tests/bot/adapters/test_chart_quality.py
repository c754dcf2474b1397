"""The charts as a person would judge them (issue 12): the 2015-style demo, a 12-candidate
3-seat STV count and 50 candidates with 100-character names, each drawn for real and checked
for size, names in the alt text, a fill (hue plus hatch) no other candidate shares, labels
that never overlap, and every round's threshold on the bars."""

from __future__ import annotations

import struct
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.adapters.render import chart_style, charts
from bot.app import App
from counting.result import EXHAUSTED, Result
from counting.rules import Rules
from tests.bot.adapters.chart_cases import demo_result, fifty_long_names, stv12

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def drawn_fills(figure: Any, rows: list[str]) -> dict[str, set[tuple[Any, str]]]:
    """The bar chart's (facecolour, hatch) per row, read back from the drawn rectangles."""
    from matplotlib.patches import Rectangle  # noqa: PLC0415

    axes = figure.axes[0]
    seen: dict[str, set[tuple[Any, str]]] = {}
    for patch in axes.patches:
        if isinstance(patch, Rectangle) and patch.get_width() > 0:
            row = rows[round(patch.get_y() + patch.get_height() / 2)]
            seen.setdefault(row, set()).add((patch.get_facecolor(), patch.get_hatch() or ""))
    return seen


def left_labels(figure: Any) -> list[Any]:
    axes = figure.axes[0]
    return [t for t in axes.texts if t.get_ha() == "right" and t.get_text()]


def never_clipped(figure: Any, names: list[str]) -> None:
    """Every label naming a candidate lies inside the saved (cropped) image, whole."""
    renderer = figure.canvas.get_renderer()
    saved = figure.get_tightbbox(renderer).transformed(figure.dpi_scale_trans)
    wrapped = [chart_style.wrap_name(n) for n in names]
    found = figure.findobj(lambda a: hasattr(a, "get_text"))
    texts = [t for t in found if t.get_visible() and t.get_text()]
    named = [t for t in texts if any(w in t.get_text() for w in wrapped)]
    shown = "\n".join(t.get_text() for t in named)
    assert all(w in shown for w in wrapped), "a name is missing from the chart"
    for text in named:
        box = text.get_window_extent(renderer)
        assert saved.x0 - 1 <= box.x0 and box.x1 <= saved.x1 + 1, text.get_text()[:30]
        assert saved.y0 - 1 <= box.y0 and box.y1 <= saved.y1 + 1, text.get_text()[:30]


def check_charts(result: Result, folder: Path, tag: str) -> None:
    """Everything a person would check, on both charts of ``result``."""
    names = list(result.candidates)
    fills = {chart_style.fill(result, n) for n in names}
    assert len(fills) == len(names), "two candidates share a fill"
    assert chart_style.fill(result, EXHAUSTED) not in fills
    bars = charts.bars_figure(result)
    bars_png = charts._png(bars)
    per_row = drawn_fills(bars, [*names, EXHAUSTED])
    assert all(len(f) == 1 for f in per_row.values()), "a row mixes fills"
    drawn = [next(iter(f)) for row, f in per_row.items() if row != EXHAUSTED]
    assert len(set(drawn)) == len(drawn), "two rows are drawn alike"
    ticks = [t.get_text() for t in bars.axes[0].get_yticklabels()]
    assert ticks == [chart_style.wrap_name(n) for n in [*names, EXHAUSTED]]
    sankey = charts.sankey_figure(result)
    sankey_png = charts._png(sankey)
    renderer = sankey.canvas.get_renderer()
    labels = left_labels(sankey)
    assert [t.get_text().rsplit(" ", 1)[0] for t in labels[: len(names)]] == [
        chart_style.wrap_name(n) for n in names
    ]
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: -b.y1)
    for upper, lower in pairwise(boxes):
        assert lower.y1 <= upper.y0 + 0.5, "two lane labels overlap"
    for figure in (bars, sankey):
        never_clipped(figure, names)
        sizes = [t.get_fontsize() for t in figure.findobj(lambda a: hasattr(a, "get_fontsize"))]
        assert min(sizes) >= 7, "a label too small to read at phone width"
    for kind, data in (("rounds", bars_png), ("transfers", sankey_png)):
        width, height = png_size(data)
        assert 600 <= width <= 1100 and height >= 400, (tag, kind, width, height)
        (folder / f"{tag}-{kind}.png").write_bytes(data)
    for alt in (charts.bars_alt_text(result), charts.sankey_alt_text(result)):
        for name in names:
            assert name in alt, (name, alt[:80])


async def test_the_2015_demo_charts(app: App, tmp_path: Path) -> None:
    result, out = await demo_result(app, tmp_path / "attachments")
    assert list(result.candidates) == ["Kendall", "Burnham", "Cooper", "Corbyn"]
    assert result.winners == ("Corbyn",)
    saved = [line for line in out if line.startswith("[attachment ")]
    assert len(saved) >= 2 and len(saved) % 2 == 0  # the demo counts twice
    check_charts(result, tmp_path, "demo")
    thresholds = [Fraction(r.threshold) for r in result.rounds if r.threshold is not None]
    assert len(set(thresholds)) > 1  # IRV's majority of continuing votes moves
    figure = charts.bars_figure(result)
    xs = {
        Fraction(seg[0][0]).limit_denominator(1000)
        for coll in figure.axes[0].collections
        for seg in coll.get_segments()
    }
    assert set(thresholds) <= xs, "each round's own threshold is drawn on its bars"
    title = figure.axes[0].get_title(loc="left")
    for round_ in result.rounds:
        assert f"R{round_.number} {charts._short(round_.threshold)}" in title


def test_a_twelve_candidate_three_seat_stv_count(tmp_path: Path) -> None:
    result = stv12()
    assert len(result.candidates) == 12 and len(result.winners) == 3
    first = result.rounds[0]
    assert first.elected and first.transfers[first.elected[0]], "a surplus is transferred"
    check_charts(result, tmp_path, "stv12")
    figure = charts.bars_figure(result)
    lines = [line for line in figure.axes[0].get_lines() if line.get_linestyle() == "--"]
    assert [line.get_xdata()[0] for line in lines] == [float(first.threshold or 0)]
    assert "threshold 301 in every round" in figure.axes[0].get_title(loc="left")


def test_fifty_candidates_with_hundred_character_names(tmp_path: Path) -> None:
    result = fifty_long_names()
    assert len(result.candidates) == 50 and all(len(n) == 100 for n in result.candidates)
    for name in result.candidates:
        lines = chart_style.wrap_name(name).split("\n")
        assert "".join(lines).replace(" ", "") == name.replace(" ", "")
        assert max(len(line) for line in lines) <= chart_style.WRAP
    check_charts(result, tmp_path, "fifty")


def test_past_the_palette_fills_stay_distinct_for_hundreds() -> None:
    names = [f"c{i}" for i in range(322)]
    result = Result(winners=(), rounds=(), rules=Rules(), candidates=tuple(names), ballots=0)
    fills = [chart_style.fill(result, n) for n in names]
    assert len(set(fills)) == 322
    assert fills[7] == (chart_style.PALETTE[0], "///")  # hue repeats only with a hatch
