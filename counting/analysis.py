"""Analyses a moderator wants after a mock ballot, beside the official count.

* ``first_preferences`` – the plurality picture: who would have won on first choices alone;
* ``pairwise`` – every head-to-head contest, and the Condorcet winner and loser if any;
* ``transfer_matrix`` – where each candidate's first-preference supporters go next;
* ``what_if_withdrawn`` – the count again, as if some candidates had not stood.

All counts are exact integers over grouped ballots (a group of *n* is *n* ballots). The
ballot-reading rules (overvotes, skipped ranks) are the official count's business; these
analyses read a ranking plainly: a rank holding one name is a preference for it, a rank
holding several names (an overvote) expresses no single preference, a blank rank is passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from counting import engine
from counting.ballots import OVERVOTE, Ballot, Profile, Ranking
from counting.result import EXHAUSTED, Result
from counting.rules import Rules

OVERVOTED = "overvote"
"""First-preference column for ballots whose first marked rank names several candidates."""
BLANK = "blank"
"""First-preference column for ballots with no marks at all."""


def _first_mark(ranking: Ranking) -> tuple[str, ...]:
    """The first rank with anything marked (``()`` for a blank ballot)."""
    return next((position for position in ranking if position), ())


def _top(names: Mapping[str, int]) -> tuple[str, ...]:
    best = max(names.values(), default=0)
    return tuple(name for name, votes in names.items() if votes == best)


@dataclass(frozen=True)
class FirstPreferences:
    """First-choice votes per candidate; ``winner`` is ``None`` when the top is tied."""

    tally: Mapping[str, int]
    overvoted: int
    blank: int
    winner: str | None
    tied: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "tally": {k: str(v) for k, v in self.tally.items()},
            OVERVOTED: str(self.overvoted),
            BLANK: str(self.blank),
            "winner": self.winner,
            "tied": list(self.tied),
        }


def first_preferences(profile: Profile) -> FirstPreferences:
    """Plurality: each ballot's first marked rank, if it names exactly one candidate."""
    tally = dict.fromkeys(profile.candidates, 0)
    overvoted = blank = 0
    for ballot in profile.ballots:
        first = _first_mark(ballot.ranking)
        if not first:
            blank += ballot.count
        elif len(first) > 1 or first[0] == OVERVOTE:
            overvoted += ballot.count
        else:
            tally[first[0]] += ballot.count
    top = _top(tally) if any(tally.values()) else ()
    winner = top[0] if len(top) == 1 else None
    return FirstPreferences(tally, overvoted, blank, winner, top if winner is None else ())


def _rank_of(ballot: Ballot) -> dict[str, int]:
    """Each named candidate's best rank on the ballot (lower is preferred)."""
    ranks: dict[str, int] = {}
    for rank, position in enumerate(ballot.ranking):
        for name in position:
            if name != OVERVOTE:
                ranks.setdefault(name, rank)
    return ranks


@dataclass(frozen=True)
class Pairwise:
    """``wins[a][b]``: ballots ranking ``a`` above ``b`` (a ranked name beats an unranked one;
    names at the same rank, or both unranked, express no preference)."""

    candidates: tuple[str, ...]
    wins: Mapping[str, Mapping[str, int]]
    condorcet_winner: str | None
    condorcet_loser: str | None

    def beats(self, a: str, b: str) -> bool:
        return self.wins[a][b] > self.wins[b][a]

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidates": list(self.candidates),
            "wins": {a: {b: str(n) for b, n in row.items()} for a, row in self.wins.items()},
            "condorcet_winner": self.condorcet_winner,
            "condorcet_loser": self.condorcet_loser,
        }


def _pairwise_counts(profile: Profile) -> dict[str, dict[str, int]]:
    wins = {a: {b: 0 for b in profile.candidates if b != a} for a in profile.candidates}
    for ballot in profile.ballots:
        ranks = _rank_of(ballot)
        unranked = len(ballot.ranking)
        for a, rank_a in ranks.items():
            row = wins[a]
            for b in profile.candidates:
                if b != a and rank_a < ranks.get(b, unranked):
                    row[b] += ballot.count
    return wins


def pairwise(profile: Profile) -> Pairwise:
    """The head-to-head matrix, with the Condorcet winner and loser (``None`` if none).

    A Condorcet winner beats every other candidate head to head; a loser loses to every
    other. A tied pair means neither; a lone candidate is neither (there is no contest).
    """
    wins = _pairwise_counts(profile)
    names = profile.candidates

    def beats(a: str, b: str) -> bool:
        return wins[a][b] > wins[b][a]

    winners = [a for a in names if all(beats(a, b) for b in names if b != a)]
    losers = [a for a in names if all(beats(b, a) for b in names if b != a)]
    only = len(names) > 1
    return Pairwise(
        names,
        wins,
        winners[0] if winners and only else None,
        losers[0] if losers and only else None,
    )


@dataclass(frozen=True)
class TransferMatrix:
    """``moves[x][y]``: ballots with first preference ``x`` whose next preference, with ``x``
    set aside, is ``y`` (or ``EXHAUSTED``: no further single preference)."""

    moves: Mapping[str, Mapping[str, int]]

    def to_dict(self) -> dict[str, Any]:
        return {x: {y: str(n) for y, n in row.items()} for x, row in self.moves.items()}


def _next_preference(ranking: Ranking, first: str) -> str:
    """The next rank after the first mark that names someone other than ``first``."""
    started = False
    for position in ranking:
        if not position:
            continue
        if not started:
            started = True
            continue
        others = tuple(n for n in position if n != first)
        if not others:
            continue
        return others[0] if len(others) == 1 and others[0] != OVERVOTE else EXHAUSTED
    return EXHAUSTED


def transfer_matrix(profile: Profile) -> TransferMatrix:
    """Where each candidate's first-preference supporters' next preferences go."""
    moves: dict[str, dict[str, int]] = {
        x: {**{y: 0 for y in profile.candidates if y != x}, EXHAUSTED: 0}
        for x in profile.candidates
    }
    for ballot in profile.ballots:
        first = _first_mark(ballot.ranking)
        if len(first) != 1 or first[0] == OVERVOTE:
            continue
        moves[first[0]][_next_preference(ballot.ranking, first[0])] += ballot.count
    return TransferMatrix(moves)


def _without(ranking: Ranking, gone: frozenset[str]) -> Ranking:
    """The ranking with ``gone`` struck out; a rank that held only them closes up."""
    kept = []
    for position in ranking:
        remaining = tuple(n for n in position if n not in gone)
        if remaining or not position:
            kept.append(remaining)
    while kept and not kept[-1]:
        kept.pop()
    return tuple(kept)


def withdraw(profile: Profile, withdrawn: Iterable[str]) -> Profile:
    """The profile as if ``withdrawn`` had never stood: struck from the list and the ballots.

    Striking (rather than excluding by rule) means each voter's next choice simply moves up,
    as on a ballot paper printed without them; a rank that held only them is not left as a
    skipped rank, so no skipped-rank rule can exhaust a ballot because of a withdrawal.
    """
    gone = frozenset(withdrawn)
    unknown = sorted(gone - set(profile.candidates))
    if unknown:
        raise ValueError(f"not a candidate: {', '.join(unknown)}")
    remaining = tuple(c for c in profile.candidates if c not in gone)
    if not remaining:
        raise ValueError("cannot withdraw every candidate")
    ballots = (Ballot(_without(b.ranking, gone), b.count, b.section) for b in profile.ballots)
    return Profile.from_ballots(remaining, ballots, profile.sections)


def what_if_withdrawn(profile: Profile, rules: Rules, withdrawn: Sequence[str]) -> Result:
    """Recount ``profile`` under ``rules`` with ``withdrawn`` struck out (see ``withdraw``)."""
    reduced = withdraw(profile, withdrawn)
    gone = set(withdrawn)
    order = rules.tiebreak_order
    adjusted = replace(
        rules,
        excluded=rules.excluded - gone,
        tiebreak_order=None if order is None else tuple(c for c in order if c not in gone),
    )
    return engine.count(reduced, adjusted)


@dataclass(frozen=True)
class Analysis:
    """All the static analyses of one profile, for the CLI and the bot."""

    first_preferences: FirstPreferences
    pairwise: Pairwise
    transfers: TransferMatrix

    def to_dict(self) -> dict[str, Any]:
        return {
            "first_preferences": self.first_preferences.to_dict(),
            "pairwise": self.pairwise.to_dict(),
            "transfers": self.transfers.to_dict(),
        }


def analyse(profile: Profile) -> Analysis:
    """First preferences, the pairwise matrix and the transfer matrix of ``profile``."""
    return Analysis(first_preferences(profile), pairwise(profile), transfer_matrix(profile))
