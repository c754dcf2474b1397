"""Charts of a count as PNG bytes: round-by-round bars and an alluvial (Sankey) of transfers.

Drawn server-side with matplotlib's Agg canvas on a bare ``Figure`` (no pyplot, so no global
state and no display). matplotlib is imported inside the functions that draw, so importing
this module (and running ``hustings count`` without chart flags) costs nothing.

A chart never says what the text does not: every number drawn is a round's tally, the
exhausted pile, the threshold or a transfer that the text declaration and ``alt_text`` state
in words. Colours are the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies); names are wrapped, never cut, and the saved image is cropped to include every
label (``bbox_inches="tight"``). Sizes: 7 inches wide at 100 dpi (700 px, readable when a
phone scales it to its width), height grows with candidates.
"""

from __future__ import annotations

import io
import textwrap
from fractions import Fraction
from typing import Any

from counting.result import EXHAUSTED, Result, Round, format_number

OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
EXHAUSTED_COLOUR = "#999999"
WIDTH_IN = 7.0
DPI = 100
WRAP = 28
"""Characters per label line: a 100-character name takes four lines, none cut."""


def wrap_name(name: str) -> str:
    """The name on lines of at most ``WRAP`` characters (long words broken, nothing dropped)."""
    return "\n".join(textwrap.wrap(name, WRAP, break_long_words=True)) or name


def colour(result: Result, name: str) -> str:
    """A candidate's colour, fixed by their place on the ballot paper."""
    if name == EXHAUSTED or name not in result.candidates:
        return EXHAUSTED_COLOUR
    return OKABE_ITO[result.candidates.index(name) % len(OKABE_ITO)]


def _short(value: Any) -> str:
    """Two places for a label; the exact figure is in the text."""
    q = Fraction(value)
    return (
        format_number(q)
        if q.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100)
        else f"{float(q):.2f}"
    )


def _png(figure: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - lazy

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.2)
    return buffer.getvalue()


def bars_figure(result: Result) -> Any:
    """One row per candidate (ballot order) plus the exhausted pile; one bar per round in
    which the candidate was counted, shaded from light (round 1) to dark (last round); the
    last round's threshold as a dashed line."""
    from matplotlib.figure import Figure  # noqa: PLC0415 - lazy

    rows = [*result.candidates, EXHAUSTED]
    rounds = result.rounds
    per_row = min(0.6, max(0.35, 0.08 * len(rounds)))
    lines = sum(wrap_name(n).count("\n") + 1 for n in rows)
    height = max(4.0, len(rows) * per_row + 0.12 * lines + 1.5)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    axes = figure.add_subplot()
    bar = 0.8 / max(1, len(rounds))
    for index, round_ in enumerate(rounds):
        values = [Fraction(round_.tally.get(n, 0)) for n in result.candidates]
        values.append(Fraction(round_.exhausted))
        ys = [row + index * bar for row in range(len(rows))]
        shade = 0.35 + 0.65 * (index + 1) / len(rounds)
        counted = [n in round_.tally or n == EXHAUSTED for n in rows]
        axes.barh(
            [y for y, c in zip(ys, counted, strict=True) if c],
            [float(v) for v, c in zip(values, counted, strict=True) if c],
            height=bar,
            color=[colour(result, n) for n, c in zip(rows, counted, strict=True) if c],
            alpha=shade,
            edgecolor="black",
            linewidth=0.3,
        )
    last = rounds[-1] if rounds else None
    if last is not None and last.threshold is not None:
        axes.axvline(float(last.threshold), color="black", linestyle="--", linewidth=1.2)
        axes.text(
            float(last.threshold),
            -0.6,
            f" threshold {_short(last.threshold)} (round {last.number})",
            fontsize=9,
            va="bottom",
        )
    axes.set_yticks([row + 0.4 - bar / 2 for row in range(len(rows))])
    axes.set_yticklabels([wrap_name(n) for n in rows], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlabel("votes (each row: one bar per round, light = round 1, dark = last)")
    axes.set_title(f"Tally by round: {len(rounds)} rounds", fontsize=11, pad=18)
    return figure


def bars_png(result: Result) -> bytes:
    """``bars_figure`` as PNG bytes."""
    return _png(bars_figure(result))


def _flows(result: Result, round_: Round, after: Round) -> list[tuple[str, str, Fraction]]:
    """(from, to, votes) between two rounds: each candidate's kept votes, then transfers."""
    flows: list[tuple[str, str, Fraction]] = []
    for name, votes in round_.tally.items():
        moved = sum((Fraction(v) for v in round_.transfers.get(name, {}).values()), Fraction(0))
        kept = Fraction(votes) - moved
        if name in after.tally and kept > 0:
            flows.append((name, name, kept))
        for dest, v in round_.transfers.get(name, {}).items():
            if Fraction(v) > 0:
                flows.append((name, dest if dest in after.tally else EXHAUSTED, Fraction(v)))
    if Fraction(round_.exhausted) > 0:
        flows.append((EXHAUSTED, EXHAUSTED, Fraction(round_.exhausted)))
    return flows


def _nodes(result: Result, round_: Round) -> list[tuple[str, Fraction]]:
    nodes = [(n, Fraction(round_.tally[n])) for n in result.candidates if n in round_.tally]
    return [*nodes, (EXHAUSTED, Fraction(round_.exhausted))]


def sankey_figure(result: Result) -> Any:
    """Columns are rounds; each column stacks the candidates' tallies (ballot order) and the
    exhausted pile; ribbons carry each candidate's kept votes and every transfer to the next
    round. Names label the first column (left) and the last (right)."""
    import numpy as np  # noqa: PLC0415 - lazy
    from matplotlib.figure import Figure  # noqa: PLC0415 - lazy

    rounds = result.rounds
    total = max((sum(v for _, v in _nodes(result, r)) for r in rounds), default=Fraction(1))
    total = total or Fraction(1)
    gap = total * Fraction(2, 100)
    lines = sum(wrap_name(n).count("\n") + 1 for n in result.candidates)
    height = max(4.0, 0.16 * lines + 0.2 * len(result.candidates) + 1.5)
    width = min(10.0, max(WIDTH_IN, 1.1 * len(rounds) + 4))
    figure = Figure(figsize=(width, height), dpi=DPI)
    axes = figure.add_subplot()
    positions: list[dict[str, tuple[float, float]]] = []
    for x, round_ in enumerate(rounds):
        y = Fraction(0)
        placed: dict[str, tuple[float, float]] = {}
        for name, votes in _nodes(result, round_):
            placed[name] = (float(y), float(votes))
            axes.bar(x, float(votes), bottom=float(y), width=0.12, color=colour(result, name))
            y += votes + gap
        positions.append(placed)
    for x in range(len(rounds) - 1):
        out_used: dict[str, float] = {}
        in_used: dict[str, float] = {}
        for source, dest, votes in _flows(result, rounds[x], rounds[x + 1]):
            if source not in positions[x] or dest not in positions[x + 1]:
                continue
            y0 = positions[x][source][0] + out_used.get(source, 0.0)
            y1 = positions[x + 1][dest][0] + in_used.get(dest, 0.0)
            out_used[source] = out_used.get(source, 0.0) + float(votes)
            in_used[dest] = in_used.get(dest, 0.0) + float(votes)
            t = np.linspace(0, 1, 30)
            s = 3 * t**2 - 2 * t**3
            xs = x + 0.06 + t * 0.88
            low = y0 + (y1 - y0) * s
            axes.fill_between(
                xs, low, low + float(votes), color=colour(result, source), alpha=0.45, lw=0
            )
    for side, index, align in (("left", 0, "right"), ("right", len(rounds) - 1, "left")):
        if not rounds:
            break
        for name, (top, size) in positions[index].items():
            if side == "right" and name not in rounds[-1].tally and name != EXHAUSTED:
                continue
            offset = -0.1 if side == "left" else 0.1
            label = f"{wrap_name(name)} {_short(size)}"
            axes.text(index + offset, top + size / 2, label, ha=align, va="center", fontsize=8)
    axes.set_xticks(range(len(rounds)))
    axes.set_xticklabels([f"round {r.number}" for r in rounds], fontsize=8, rotation=45)
    axes.set_yticks([])
    axes.invert_yaxis()
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_title("Where the votes went, round by round", fontsize=11)
    return figure


def sankey_png(result: Result) -> bytes:
    """``sankey_figure`` as PNG bytes."""
    return _png(sankey_figure(result))


def bars_alt_text(result: Result) -> str:
    """The bar chart's facts in words: every round's tally, exhausted pile and threshold."""
    parts = [f"Bar chart of {len(result.rounds)} rounds."]
    for round_ in result.rounds:
        tally = ", ".join(f"{n} {_short(v)}" for n, v in round_.tally.items())
        threshold = "" if round_.threshold is None else f"; threshold {_short(round_.threshold)}"
        parts.append(
            f"Round {round_.number}: {tally}; exhausted {_short(round_.exhausted)}{threshold}."
        )
    return " ".join(parts)


def sankey_alt_text(result: Result) -> str:
    """The alluvial chart's facts in words: each transfer between rounds, and the winners."""
    parts = [f"Flow chart of transfers across {len(result.rounds)} rounds."]
    for round_ in result.rounds:
        for source, moves in round_.transfers.items():
            moved = ", ".join(f"{_short(v)} to {d}" for d, v in moves.items() if Fraction(v))
            parts.append(f"After round {round_.number}, {source}'s votes: {moved or 'none'}.")
    parts.append(f"Elected: {', '.join(result.winners) or 'nobody'}.")
    return " ".join(parts)
