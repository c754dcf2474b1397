"""Charts of a count as PNG bytes: round-by-round bars and an alluvial (Sankey) of transfers.

Drawn server-side with matplotlib's Agg canvas on a bare ``Figure`` (no pyplot, so no global
state and no display). matplotlib is imported inside the functions that draw, so importing
this module (and running ``hustings count`` without chart flags) costs nothing.

A chart never says what the text does not: every number drawn is a round's tally, the
exhausted pile, the threshold or a transfer that the text declaration and the alt text
state in words. Every bar sits in a row named in text and carries its round and number in
text; fills (``chart_style.fill``) are colour-blind-safe hues plus hatching, never the only
cue. Names are wrapped, never cut, and the saved image is cropped to include every label.
Sizes: 7 inches wide at 100 dpi (700 px, readable when a phone scales it to its width);
height grows with candidates and rounds.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from bot.adapters.render.chart_flows import sankey_alt_text, sankey_figure
from bot.adapters.render.chart_style import (
    DPI,
    EDGE,
    LINE_IN,
    WIDTH_IN,
    WRAP,
    colour,
    fill,
    lines_of,
    png,
    short,
    status,
    wrap_name,
)
from counting.result import EXHAUSTED, Result, Round

__all__ = [
    "DPI",
    "WIDTH_IN",
    "WRAP",
    "bars_alt_text",
    "bars_figure",
    "bars_png",
    "colour",
    "fill",
    "sankey_alt_text",
    "sankey_figure",
    "sankey_png",
    "wrap_name",
]
_short = short
_png = png
EVERY_BAR_LABELLED = 8
"""Up to this many rounds every bar carries its number; beyond, a row's first and last."""
_BACKING = {"facecolor": "white", "alpha": 0.9, "edgecolor": "none", "pad": 0.3}
"""Behind a bar's label, so a threshold line or a neighbouring bar never hides it."""
BAR_IN = 0.11
"""Height of one round's bar in a row, in inches (for up to ``EVERY_BAR_LABELLED`` rounds)."""


def _value(round_: Round, name: str) -> Fraction | None:
    if name == EXHAUSTED:
        return Fraction(round_.exhausted)
    return Fraction(round_.tally[name]) if name in round_.tally else None


def _threshold_note(rounds: list[Round]) -> str:
    values = [r.threshold for r in rounds if r.threshold is not None]
    if not values:
        return "no threshold"
    if len(set(values)) == 1:
        return f"dashed line: threshold {short(values[0])} in every round"
    each = ", ".join(f"R{r.number} {short(r.threshold)}" for r in rounds if r.threshold is not None)
    return "black tick across each bar: that round's threshold (" + each + ")"


def bars_figure(result: Result) -> Any:
    """One row per candidate (ballot order) plus the exhausted pile; in each row one bar per
    round the candidate was counted in, top to bottom from round 1, each ending in text
    ``R<round> <votes>`` (all bars up to eight rounds; a row's first and last beyond), the
    last followed by the candidate's fate. Each round's threshold is drawn on that round's
    bars (one dashed line when it never changes)."""
    from matplotlib.figure import Figure  # noqa: PLC0415 - lazy

    rows = [*result.candidates, EXHAUSTED]
    rounds = list(result.rounds)
    slots = max(1, len(rounds))
    bar_in = BAR_IN if slots <= EVERY_BAR_LABELLED else max(0.02, 0.9 / slots)
    row_in = max(0.45, max(lines_of(n) for n in rows) * LINE_IN + 0.1, slots * bar_in + 0.15)
    note = _wrap(_threshold_note(rounds), 90)
    height = max(4.0, len(rows) * row_in + 1.4 + 0.16 * len(note))
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    axes = figure.add_subplot()
    used = (row_in - 0.15) / row_in  # of each row's unit height, the rest a gap
    bar = used / slots
    peak = Fraction(0)
    thresholds = {Fraction(r.threshold) for r in rounds if r.threshold is not None}
    for row, name in enumerate(rows):
        counted = [(i, r, v) for i, r in enumerate(rounds) if (v := _value(r, name)) is not None]
        colour_, hatch = fill(result, name)
        ys = [row - used / 2 + (i + 0.5) * bar for i, _, _ in counted]
        axes.barh(ys, [float(v) for _, _, v in counted], height=bar * 0.92, color=colour_,
                  hatch=hatch, edgecolor=EDGE, linewidth=0.4)  # fmt: skip
        per_round = len(thresholds) > 1 and name != EXHAUSTED  # ticks, not one dashed line
        ticks = [(float(r.threshold), y) for (_, r, _), y in zip(counted, ys, strict=True)
                 if r.threshold is not None and per_round]  # fmt: skip
        if ticks:
            axes.vlines([x for x, _ in ticks], [y - bar / 2 for _, y in ticks],
                        [y + bar / 2 for _, y in ticks], color="black", linewidth=1.6)  # fmt: skip
        for place, ((_, round_, votes), y) in enumerate(zip(counted, ys, strict=True)):
            peak = max(peak, votes)
            last = place == len(counted) - 1
            crowded = (len(counted) - 1) * bar_in < 0.14  # first and last labels would touch
            if slots > EVERY_BAR_LABELLED and not last and (place or crowded):
                continue
            label = f" R{round_.number} {short(votes)}"
            if last and crowded and slots > EVERY_BAR_LABELLED and len(counted) > 1:
                label = f" R{counted[0][1].number} {short(counted[0][2])} ...{label}"
            if last and name != EXHAUSTED:
                label += f", {status(result, name)}"
            size = 8 if slots <= EVERY_BAR_LABELLED else 7
            axes.text(float(votes), y, label, va="center", fontsize=size, bbox=_BACKING)
    if len(thresholds) == 1:
        axes.axvline(float(next(iter(thresholds))), color="black", linestyle="--", linewidth=1.2)
    top = max([peak, *thresholds]) or Fraction(1)
    axes.set_xlim(0, float(top) * 1.45)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels([wrap_name(n) for n in rows], fontsize=9)
    axes.set_xlabel("votes")
    order = "one bar per round, round 1 at the top" if slots > 1 else "round 1"
    title = f"Tally by round: {len(rounds)} round{'s' * (len(rounds) != 1)} ({order})"
    axes.set_title(title + "\n" + "\n".join(note), fontsize=9, loc="left")
    return figure


def _wrap(text: str, width: int) -> list[str]:
    import textwrap  # noqa: PLC0415 - small and only when drawing

    return textwrap.wrap(text, width) or [text]


def bars_png(result: Result) -> bytes:
    """``bars_figure`` as PNG bytes."""
    return png(bars_figure(result))


def sankey_png(result: Result) -> bytes:
    """``sankey_figure`` as PNG bytes."""
    return png(sankey_figure(result))


def bars_alt_text(result: Result) -> str:
    """The bar chart's facts in words: every round's tally, exhausted pile and threshold."""
    parts = [f"Bar chart of {len(result.rounds)} rounds."]
    for round_ in result.rounds:
        tally = ", ".join(f"{n} {short(v)}" for n, v in round_.tally.items())
        threshold = "" if round_.threshold is None else f"; threshold {short(round_.threshold)}"
        parts.append(
            f"Round {round_.number}: {tally}; exhausted {short(round_.exhausted)}{threshold}."
        )
    return " ".join(parts)
