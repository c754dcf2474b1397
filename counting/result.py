"""Result values: what a count decided, round by round, with its working shown.

Numbers are exact (``int`` or ``Fraction``) in the values and serialise as exact decimal
strings (``"12.5"``) where the decimal is finite, otherwise as ``"n/d"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from counting.rules import Method, Rules

VERSION = "hustings-counting/0.1"
"""Counting version recorded in every result (bump when any rule's arithmetic changes).

Still 0.1 although the STV last-seat tie rule and the college's transfer report changed in
issue #10: the bot's recount (``bot/services/elections.py``, ``_recount``) compares the whole
stored result, this label included, so a bump alone would make every recount of a count stored
earlier fail as "differs" even where nothing but the label changed. Bump it together with a
recount that compares results without the label and, when they differ and the labels differ,
names both versions (see ``counting/README.md``, "Versions")."""

EXHAUSTED = "exhausted"
RESIDUAL = "residual surplus"
Number = int | Fraction


def format_number(value: Number) -> str:
    """Exact decimal string when the decimal terminates, else ``n/d``; never a float."""
    q = Fraction(value)
    if q.denominator == 1:
        return str(q.numerator)
    d = q.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{q.numerator}/{q.denominator}"
    places = max(twos, fives)
    scaled = abs(q.numerator) * (10**places) // q.denominator
    sign = "-" if q < 0 else ""
    whole, frac = divmod(scaled, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}".rstrip("0").rstrip(".")


def parse_number(text: str) -> Fraction:
    """Inverse of ``format_number`` (also accepts any decimal string)."""
    return Fraction(text)


@dataclass(frozen=True)
class TieBreakRecord:
    """One tie and how it was broken, in words a returning officer would use."""

    round: int
    selecting: Literal["loser", "winner"]
    tied: tuple[str, ...]
    selected: str
    method: str
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "selecting": self.selecting,
            "tied": list(self.tied),
            "selected": self.selected,
            "method": self.method,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Round:
    """One round: the tally that was counted and what was decided from it.

    ``transfers`` is keyed by each candidate elected or eliminated this round: how much vote
    left them when the next round was counted, by destination (a candidate, ``EXHAUSTED`` or
    ``RESIDUAL``). ``inactive`` is cumulative inactive ballots by reason; ``exhausted`` their sum.
    ``sections`` (college only) holds each section's own vote tally for the round.
    ``threshold`` is None when a method has none to show.
    """

    number: int
    tally: Mapping[str, Number]
    threshold: Number | None
    elected: tuple[str, ...] = ()
    eliminated: tuple[str, ...] = ()
    transfers: Mapping[str, Mapping[str, Number]] = field(default_factory=dict)
    exhausted: Number = 0
    inactive: Mapping[str, Number] = field(default_factory=dict)
    tiebreaks: tuple[TieBreakRecord, ...] = ()
    sections: Mapping[str, Mapping[str, Number]] = field(default_factory=dict)
    renormalised: Mapping[str, Number] = field(default_factory=dict)
    """College only: points each candidate gained by the next round because exhausted ballots
    left their sections and the sections' points were re-shared (no ballot moved)."""
    note: str = ""

    @property
    def continuing_total(self) -> Number:
        return sum(self.tally.values(), Fraction(0))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "round": self.number,
            "tally": {k: format_number(v) for k, v in self.tally.items()},
            "threshold": None if self.threshold is None else format_number(self.threshold),
            "elected": list(self.elected),
            "eliminated": list(self.eliminated),
            "transfers": {
                src: {dst: format_number(v) for dst, v in moves.items()}
                for src, moves in self.transfers.items()
            },
            "exhausted": format_number(self.exhausted),
            "inactive": {k: format_number(v) for k, v in self.inactive.items()},
            "tiebreaks": [t.to_dict() for t in self.tiebreaks],
        }
        if self.sections:
            out["sections"] = {
                s: {k: format_number(v) for k, v in t.items()} for s, t in self.sections.items()
            }
        if self.renormalised:
            out["renormalised"] = {k: format_number(v) for k, v in self.renormalised.items()}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Result:
    """The outcome of one count: winners in order of election, every round, and provenance."""

    winners: tuple[str, ...]
    rounds: tuple[Round, ...]
    rules: Rules
    candidates: tuple[str, ...]
    ballots: int
    version: str = VERSION
    passes: tuple[Result, ...] = ()
    """Multi-pass counts only: the sub-count that filled each seat."""

    @property
    def tiebreaks(self) -> tuple[TieBreakRecord, ...]:
        return tuple(t for r in self.rounds for t in r.tiebreaks)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "winners": list(self.winners),
            "rounds": [r.to_dict() for r in self.rounds],
            "candidates": list(self.candidates),
            "ballots": self.ballots,
            "rules": self.rules.to_dict(),
            "version": self.version,
        }
        if self.passes:
            out["passes"] = [p.to_dict() for p in self.passes]
        return out


def ballots_in_no_round(result: Result) -> int | None:
    """How many ballots no round accounts for (blank, or marking only withdrawn or excluded
    candidates: RCTab's undervotes), or None where that is not a whole number of ballots.

    Round 1 holds each counted ballot at weight 1, so it is the ballots read less round 1's
    tallies and exhausted pile. College counts weigh ballots by section (points, not ballots)
    and have no such figure.
    """
    rounds = result.rounds or (result.passes[0].rounds if result.passes else ())
    if result.rules.method is Method.COLLEGE or not rounds:
        return None
    first = rounds[0]
    seen = sum((Fraction(v) for v in first.tally.values()), Fraction(first.exhausted))
    missing = result.ballots - seen
    return int(missing) if missing.denominator == 1 and missing >= 0 else None
