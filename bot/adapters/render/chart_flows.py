"""The alluvial (Sankey) chart of a count: where each candidate's votes went, round by round.

Layout: columns are rounds; rows are fixed *lanes*, one per candidate in ballot order and a
last one for the exhausted pile, each as tall as that row's largest tally (and never less
than its wrapped name), so a candidate stays at the same height in every round and labels
cannot overlap, however few votes a candidate has. A column's block in a lane is that round's
tally; ribbons carry each candidate's kept votes along its own lane and every transfer into
the lane of the candidate (or the exhausted pile) that received it. The name (and round-1
tally) is written at the left of every lane and the candidate's fate at the right, so every
block and ribbon is named in text; fills add hue and hatching (``chart_style.fill``).

Units: the axes' y is inches down the figure (``scale`` inches per vote), x is the round's
index. matplotlib and numpy are imported only inside ``sankey_figure``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from bot.adapters.render.chart_style import (
    DPI,
    EDGE,
    LINE_IN,
    fill,
    lines_of,
    short,
    status,
    wrap_name,
)
from counting.result import EXHAUSTED, Result, Round

PLOT_IN = 4.5
"""Height in inches of the largest column's votes (before lanes are spaced out)."""
GAP_IN = 0.1
NODE = 0.14
"""Width of a round's block, in rounds."""


def _value(round_: Round, name: str) -> Fraction | None:
    if name == EXHAUSTED:
        return Fraction(round_.exhausted)
    return Fraction(round_.tally[name]) if name in round_.tally else None


def flows(round_: Round, after: Round) -> list[tuple[str, str, Fraction]]:
    """(from, to, votes) between two rounds: first every row's kept votes (so they stay at
    the top of their lane), then every transfer; a destination not counted in ``after``
    (the exhausted pile, a residual surplus) is the exhausted lane."""
    kept: list[tuple[str, str, Fraction]] = []
    moved: list[tuple[str, str, Fraction]] = []
    for name, votes in round_.tally.items():
        moves = round_.transfers.get(name, {})
        left = Fraction(votes) - sum((Fraction(v) for v in moves.values()), Fraction(0))
        if name in after.tally and left > 0:
            kept.append((name, name, left))
        for dest, v in moves.items():
            if Fraction(v) > 0:
                moved.append((name, dest if dest in after.tally else EXHAUSTED, Fraction(v)))
    if Fraction(round_.exhausted) > 0:
        kept.append((EXHAUSTED, EXHAUSTED, Fraction(round_.exhausted)))
    return kept + moved


def lanes(result: Result) -> tuple[float, dict[str, tuple[float, float]]]:
    """(inches per vote, {row: (lane top, lane height)}) in inches from the top."""
    rows = [*result.candidates, EXHAUSTED]
    totals = [sum(r.tally.values(), Fraction(r.exhausted)) for r in result.rounds]
    scale = PLOT_IN / float(max([*totals, Fraction(1)]))
    placed: dict[str, tuple[float, float]] = {}
    top = 0.0
    for name in rows:
        peak = max((v for r in result.rounds if (v := _value(r, name)) is not None), default=0)
        height = max(float(peak) * scale, lines_of(name) * LINE_IN + 0.04)
        placed[name] = (top, height)
        top += height + GAP_IN
    return scale, placed


def _right_label(result: Result, name: str) -> str:
    last = result.rounds[-1]
    votes = _value(last, name)
    if name == EXHAUSTED:
        return f"{short(last.exhausted)} exhausted"
    fate = status(result, name)
    return fate if votes is None else f"{short(votes)}, {fate}"


def sankey_figure(result: Result) -> Any:
    """The alluvial chart as a matplotlib ``Figure`` (see the module docstring)."""
    import numpy as np  # noqa: PLC0415 - lazy
    from matplotlib.collections import PolyCollection  # noqa: PLC0415 - lazy
    from matplotlib.figure import Figure  # noqa: PLC0415 - lazy
    from matplotlib.transforms import offset_copy  # noqa: PLC0415 - lazy

    rounds = list(result.rounds)
    scale, placed = lanes(result)
    last_lane = placed[EXHAUSTED]
    height = max(4.0, last_lane[0] + last_lane[1] + 1.3)
    width = min(6.0, max(3.5, 0.55 * len(rounds) + 0.8))
    figure = Figure(figsize=(width, height), dpi=DPI)
    axes = figure.add_axes((0.0, 0.9 / height, 1.0, 1 - 1.3 / height))
    half = NODE / 2
    for name, (top, _) in placed.items():  # one collection per lane: fast with 50 x 49 blocks
        blocks = [
            [(x - half, top), (x + half, top), (x + half, top + h), (x - half, top + h)]
            for x, round_ in enumerate(rounds)
            if (h := float(_value(round_, name) or 0) * scale) > 0
        ]
        colour_, hatch = fill(result, name)
        axes.add_collection(PolyCollection(blocks, facecolors=colour_, hatch=hatch,
                                           edgecolors=EDGE, linewidths=0.4, zorder=2))  # fmt: skip
    t = np.linspace(0, 1, 24)
    ease = 3 * t**2 - 2 * t**3
    ribbons: dict[str, list[Any]] = {}
    for x in range(len(rounds) - 1):
        out_used: dict[str, float] = {}
        in_used: dict[str, float] = {}
        xs = x + half + t * (1 - NODE)
        for source, dest, votes in flows(rounds[x], rounds[x + 1]):
            size = float(votes) * scale
            y0 = placed[source][0] + out_used.get(source, 0.0)
            y1 = placed[dest][0] + in_used.get(dest, 0.0)
            out_used[source] = out_used.get(source, 0.0) + size
            in_used[dest] = in_used.get(dest, 0.0) + size
            low = y0 + (y1 - y0) * ease
            outline = np.concatenate([np.column_stack([xs, low]),
                                      np.column_stack([xs[::-1], (low + size)[::-1]])])  # fmt: skip
            ribbons.setdefault(source, []).append(outline)
    for source, shapes in ribbons.items():
        colour_, hatch = fill(result, source)
        axes.add_collection(PolyCollection(shapes, facecolors=colour_, alpha=0.45, hatch=hatch,
                                           edgecolors=EDGE, linewidths=0, zorder=1))  # fmt: skip
    left = offset_copy(axes.transData, figure, x=-4, units="points")
    right = offset_copy(axes.transData, figure, x=4, units="points")
    for name, (top, _) in placed.items():
        first = _value(rounds[0], name) if rounds else None
        label = wrap_name(name) + ("" if first is None else f" {short(first)}")
        axes.text(-NODE / 2, top, label, ha="right", va="top", fontsize=9, transform=left)
        if rounds:
            axes.text(len(rounds) - 1 + NODE / 2, top, _right_label(result, name), ha="left",
                      va="top", fontsize=9, transform=right)  # fmt: skip
    every = max(1, math.ceil(len(rounds) * 0.3 / max(0.3, width - 0.2)))  # 0.3 in per label
    for x, round_ in enumerate(rounds):
        if (len(rounds) - 1 - x) % every == 0:  # the last round always named
            axes.text(x, -0.08, f"R{round_.number}", ha="center", va="bottom", fontsize=8)
    axes.set_xlim(-NODE, max(0, len(rounds) - 1) + NODE)
    axes.set_ylim(last_lane[0] + last_lane[1], 0)
    axes.set_axis_off()
    axes.set_title(
        "Where the votes went: one lane per candidate, rounds R1 to "
        f"R{len(rounds)} left to right;\nribbons carry kept votes along a lane and "
        "transfers into the receiving lane",
        fontsize=9,
        loc="left",
        pad=16,
    )
    return figure


def sankey_alt_text(result: Result) -> str:
    """The alluvial chart's facts in words: the lanes, each transfer between rounds, each
    candidate's fate, and the winners."""
    parts = [
        f"Flow chart of transfers across {len(result.rounds)} rounds, one lane per "
        f"candidate: {', '.join(result.candidates)}, then the exhausted pile."
    ]
    for round_ in result.rounds:
        for source, moves in round_.transfers.items():
            moved = ", ".join(f"{short(v)} to {d}" for d, v in moves.items() if Fraction(v))
            parts.append(f"After round {round_.number}, {source}'s votes: {moved or 'none'}.")
    parts.append(f"Elected: {', '.join(result.winners) or 'nobody'}.")
    return " ".join(parts)
