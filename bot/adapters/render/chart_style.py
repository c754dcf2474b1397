"""What the count charts share: each candidate's fill (colour plus hatching), name wrapping,
short number labels and PNG output.

Colour is never the only cue. Fills are the Okabe-Ito palette without its black (seven hues
that stay apart under the common colour-vision deficiencies; Okabe & Ito, "Color Universal
Design", 2008); after seven candidates the hues repeat with a hatch pattern, so every
candidate has a fill no other candidate has (seven hues times 46 patterns: 322 candidates)
and, above all, every bar and ribbon also sits in a row or lane named in text. The exhausted
pile is plain grey, unhatched, and always named.

matplotlib is imported only inside ``png``; importing this module costs nothing.
"""

from __future__ import annotations

import io
import itertools
import textwrap
from fractions import Fraction
from typing import Any

from counting.result import EXHAUSTED, Result, format_number

PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
"""Okabe-Ito orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple."""
_SINGLE = ("", "///", "...", "xxx", "\\\\\\", "ooo", "+++", "---", "|||", "***")
HATCHES = (*_SINGLE, *(a + b for a, b in itertools.combinations(_SINGLE[1:], 2)))
"""No hatch first (the first seven candidates are told apart by hue and name alone), then
single patterns, then every pair of two different patterns: 46 in all."""
EXHAUSTED_COLOUR = "#999999"
EDGE = "#222222"
"""Bar outlines and hatch strokes (matplotlib draws a hatch in the edge colour)."""
WIDTH_IN = 7.0
DPI = 100
WRAP = 28
"""Characters per label line: a 100-character name takes four lines, none cut."""
LINE_IN = 0.15
"""Height of one 8-9 pt label line, in inches (what a row or lane must leave per line)."""


def wrap_name(name: str) -> str:
    """The name on lines of at most ``WRAP`` characters (long words broken, nothing dropped)."""
    return "\n".join(textwrap.wrap(name, WRAP, break_long_words=True)) or name


def lines_of(name: str) -> int:
    """How many label lines ``wrap_name(name)`` takes."""
    return wrap_name(name).count("\n") + 1


def fill(result: Result, name: str) -> tuple[str, str]:
    """(colour, hatch) of a candidate, fixed by their place on the ballot paper; the
    exhausted pile (or any name not standing) is grey and unhatched."""
    if name == EXHAUSTED or name not in result.candidates:
        return EXHAUSTED_COLOUR, ""
    index = result.candidates.index(name)
    hatch = HATCHES[(index // len(PALETTE)) % len(HATCHES)]
    return PALETTE[index % len(PALETTE)], hatch


def colour(result: Result, name: str) -> str:
    """A candidate's colour (see ``fill`` for the hatch that goes with it)."""
    return fill(result, name)[0]


def short(value: Any) -> str:
    """Two places for a label; the exact figure is in the text."""
    q = Fraction(value)
    return (
        format_number(q)
        if q.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100)
        else f"{float(q):.2f}"
    )


def status(result: Result, name: str) -> str:
    """What became of a candidate, in a few words: ``elected in round 3``, ``out after
    round 2``, or ``not elected`` (still in the last round when the seats were filled)."""
    for round_ in result.rounds:
        if name in round_.elected:
            return f"elected in round {round_.number}"
        if name in round_.eliminated:
            return f"out after round {round_.number}"
    return "elected" if name in result.winners else "not elected"


def png(figure: Any) -> bytes:
    """The figure as PNG bytes, cropped to every artist (so no label is ever cut)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - lazy

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.2)
    return buffer.getvalue()
