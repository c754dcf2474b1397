"""Ballot values: a ranking of candidates with a count, and a grouped profile of them.

A ballot is stored as a tuple of *rank positions*, most preferred first. Each position is a
tuple of the names marked at that rank, so the same value carries what imported ballot files
can hold as well as what the bot collects:

* ``("A",)`` – a normal mark;
* ``("A", "B")`` – an overvote (two or more names marked equal at one rank);
* ``()`` – a skipped rank (nothing marked, but something is marked further down);
* ``(OVERVOTE,)`` – an overvote recorded without the names (some vendor files do this).

Identical ballots are grouped (``count``), so a million ballots with 64 distinct rankings cost
64 entries; every method must treat a group of *n* exactly like *n* separate ballots.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import InitVar, dataclass, field
from fractions import Fraction
from itertools import chain
from typing import Any

OVERVOTE = "#OVERVOTE"
"""Marker for an overvote whose names the ballot file does not record."""

Position = tuple[str, ...]
Ranking = tuple[Position, ...]
RankingInput = Sequence[str | Sequence[str]]
"""What callers pass: each entry a name, or a sequence of names marked equal at that rank."""


class InvalidBallotError(ValueError):
    """A ballot that cannot be counted; says which ballot and what is wrong."""

    def __init__(self, index: int | None, message: str) -> None:
        self.index = index
        self.detail = message
        where = f"ballot {index + 1}: " if index is not None else ""
        super().__init__(f"{where}{message}")


@dataclass(frozen=True, slots=True)
class Ballot:
    """One ranking, most preferred first, cast ``count`` times (optionally in a college section)."""

    ranking: Ranking
    count: int = 1
    section: str | None = None

    @classmethod
    def of(cls, *names: str, count: int = 1, section: str | None = None) -> Ballot:
        """A plain ranking with one name per rank: ``Ballot.of("A", "B")``."""
        return cls(tuple((n,) for n in names), count, section)

    def names(self) -> tuple[str, ...]:
        """Every name marked on the ballot, in rank order (overvotes flattened)."""
        return tuple(n for position in self.ranking for n in position)


def normalise_ranking(entries: RankingInput) -> Ranking:
    """Turn caller input (names or lists of names) into a ``Ranking``; trailing blanks dropped."""
    ranking = [(e,) if isinstance(e, str) else tuple(e) for e in entries]
    while ranking and not ranking[-1]:
        ranking.pop()
    return tuple(ranking)


@dataclass(frozen=True)
class Profile:
    """The ballots of one contest, grouped, with the candidates they may name.

    ``sections`` maps a college section to its relative weight (only the college method reads
    it). ``validate()`` is run on construction, so a ``Profile`` in hand is always countable.
    """

    candidates: tuple[str, ...]
    ballots: tuple[Ballot, ...]
    sections: Mapping[str, Fraction] = field(default_factory=dict)
    _ballots_checked: InitVar[bool] = False
    """Set only by ``from_rankings`` once it has checked every name in bulk."""

    def __post_init__(self, _ballots_checked: bool) -> None:
        self._validate_candidates()
        if not _ballots_checked:
            self._validate_ballots()

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        rankings: Iterable[RankingInput],
        sections: Mapping[str, Fraction | int] | None = None,
    ) -> Profile:
        """Group plain rankings (each a sequence of names, best first) into a profile.

        Fast path for the common case: a million rankings are grouped with one ``Counter`` pass
        over hashable tuples, and when every entry is a plain known name (no overvotes, no
        blanks) the names are checked once in bulk and each rank position is a shared
        ``(name,)`` tuple, so the cost per distinct ranking is one small tuple build.
        """
        with collector_paused():
            return cls._group_rankings(candidates, rankings, sections)

    @classmethod
    def _group_rankings(
        cls,
        candidates: Sequence[str],
        rankings: Iterable[RankingInput],
        sections: Mapping[str, Fraction | int] | None,
    ) -> Profile:
        if not isinstance(rankings, list | tuple):
            rankings = list(rankings)
        try:
            counts: Counter[Any] = Counter(rankings)  # tuples of names: hashable as they are
        except TypeError:  # lists somewhere: make them tuples first
            counts = Counter(map(_hashable, rankings))
        weights = {k: Fraction(v) for k, v in (sections or {}).items()}
        names_seen = set(chain.from_iterable(counts))
        if not names_seen <= set(candidates):  # an overvote, a blank or an unknown name
            ballots = tuple(Ballot(normalise_ranking(r), n) for r, n in counts.items())
            return cls(tuple(candidates), ballots, weights)
        single = {name: (name,) for name in candidates}
        position = single.__getitem__
        plain = tuple(Ballot(tuple(map(position, r)), n) for r, n in counts.items())
        return cls(tuple(candidates), plain, weights, _ballots_checked=not weights)

    @classmethod
    def from_ballots(
        cls,
        candidates: Sequence[str],
        ballots: Iterable[Ballot],
        sections: Mapping[str, Fraction | int] | None = None,
    ) -> Profile:
        """Group already-built ballots: identical (ranking, section) pairs are merged."""
        counts: Counter[tuple[Ranking, str | None]] = Counter()
        for b in ballots:
            counts[(b.ranking, b.section)] += b.count
        grouped = tuple(Ballot(r, n, s) for (r, s), n in counts.items())
        weights = {k: Fraction(v) for k, v in (sections or {}).items()}
        return cls(tuple(candidates), grouped, weights)

    @property
    def total(self) -> int:
        """How many ballots the profile holds (groups expanded)."""
        return sum(b.count for b in self.ballots)

    def any_marks(self) -> bool:
        """True if some ballot marks at least one rank (a count has something to count)."""
        return any(ballot.ranking for ballot in self.ballots)

    def validate(self) -> None:
        """Raise ``InvalidBallotError`` naming the first bad ballot, or ``ValueError`` for the
        candidate list itself."""
        self._validate_candidates()
        self._validate_ballots()

    def _validate_candidates(self) -> None:
        if len(set(self.candidates)) != len(self.candidates):
            dupes = sorted({c for c in self.candidates if self.candidates.count(c) > 1})
            raise ValueError(f"candidate listed twice: {', '.join(dupes)}")
        if any(not c or c == OVERVOTE for c in self.candidates):
            raise ValueError("candidate names must be non-empty and not the overvote marker")
        for name, weight in self.sections.items():
            if weight <= 0:
                raise ValueError(f"section {name!r} must have a positive weight, not {weight}")

    def _validate_ballots(self) -> None:
        known = set(self.candidates)
        for index, ballot in enumerate(self.ballots):
            if ballot.count < 1:
                raise InvalidBallotError(index, f"count must be at least 1, not {ballot.count}")
            for rank, position in enumerate(ballot.ranking, start=1):
                for name in position:
                    if name == OVERVOTE:
                        if len(position) > 1:
                            raise InvalidBallotError(
                                index, f"rank {rank}: {OVERVOTE} cannot share a rank with names"
                            )
                    elif name not in known:
                        raise InvalidBallotError(index, f"rank {rank}: unknown candidate {name!r}")
            if self.sections and ballot.section not in self.sections:
                raise InvalidBallotError(
                    index, f"section {ballot.section!r} is not one of {sorted(self.sections)}"
                )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic tuples.

    Grouping a million rankings allocates hundreds of thousands of tuples; each allocation
    burst triggers collections that rescan everything already built (half the time, measured
    by ``benchmarks/bench_counting.py``). Tuples of strings cannot form cycles, so nothing is
    lost by collecting once afterwards instead.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _hashable(ranking: RankingInput) -> tuple[str | tuple[str, ...], ...]:
    """The ranking as a hashable tuple (lists of equal-ranked names become tuples)."""
    return tuple(e if isinstance(e, str) else tuple(e) for e in ranking)
