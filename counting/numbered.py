"""Plain ballots held as candidate numbers: the fast road from a ballot file to a count.

A published file of a million ballots writes each ranking as candidate *numbers*
(``1 3 2 0``). Turning every distinct line into a ranking of names (``(("Ann",), ("Cat",),
...)``) only for the STV piles to turn the names back into numbers cost a third of a
million-ballot Scottish count (issue #10's profile). ``NumberedProfile`` keeps what the reader
found: each distinct ranking as a tuple of 0-based candidate indices, best first, with how many
ballots carry it. It *is* a ``Profile``, so everything that reads ``profile.ballots``
(analysis, JSON export, Meek, the college) still works: the named ballots are built the first
time anyone asks for them, in the same order and with the same counts the named reader would
have produced (``tests/counting/test_numbered.py`` checks the two counts agree). The IRV and
STV piles (``irv_piles``, ``stv_piles``) read the numbers directly and never build names.

Shapes: ``rankings[i]`` is a tuple of ints in ``range(len(candidates))`` (one candidate per
rank: no overvote, no skipped rank; a name may repeat, and ``()`` is a blank ballot);
``counts[i] >= 1`` is how many ballots carry ``rankings[i]``; rankings are distinct.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from counting.ballots import Ballot, Profile, Ranking


class NumberedProfile(Profile):
    """A ``Profile`` of plain ballots given as candidate numbers (see the module docstring).

    Built without the dataclass constructor: ``ballots`` is not stored until it is first read.
    ``checked=True`` says the caller has already checked every index and count (the BLT reader
    maps every token through a table of valid numbers); otherwise they are checked here and a
    ``ValueError`` names the first bad group.
    """

    rankings: tuple[tuple[int, ...], ...]
    counts: tuple[int, ...]

    def __init__(
        self,
        candidates: Sequence[str],
        rankings: Sequence[tuple[int, ...]],
        counts: Sequence[int],
        *,
        checked: bool = False,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "candidates", tuple(candidates))
        set_(self, "sections", {})
        set_(self, "rankings", tuple(rankings))
        set_(self, "counts", tuple(counts))
        self._validate_candidates()
        if not checked:
            self._check_numbers()

    def _check_numbers(self) -> None:
        if len(self.rankings) != len(self.counts):
            raise ValueError(
                f"{len(self.rankings)} rankings but {len(self.counts)} counts: one count each"
            )
        if len(set(self.rankings)) != len(self.rankings):
            raise ValueError("a ranking is listed twice: group identical rankings first")
        size = len(self.candidates)
        for index, (ranking, count) in enumerate(zip(self.rankings, self.counts, strict=True)):
            if count < 1:
                raise ValueError(f"ballot {index + 1}: count must be at least 1, not {count}")
            bad = [c for c in ranking if not (isinstance(c, int) and 0 <= c < size)]
            if bad:
                raise ValueError(
                    f"ballot {index + 1}: candidate index {bad[0]!r} is not in 0..{size - 1}"
                )

    def __getattr__(self, name: str) -> Any:
        """``ballots``, built from the numbers on first use (then stored like a field)."""
        if name != "ballots":
            raise AttributeError(name)
        positions = [(candidate,) for candidate in self.candidates]
        position = positions.__getitem__
        ballots = tuple(
            Ballot(tuple(map(position, ranking)), count)
            for ranking, count in zip(self.rankings, self.counts, strict=True)
        )
        object.__setattr__(self, "ballots", ballots)
        return ballots

    def __eq__(self, other: object) -> bool:
        """Equal to any ``Profile`` holding the same candidates, ballots and sections."""
        if not isinstance(other, Profile):
            return NotImplemented
        mine = (self.candidates, self.ballots, self.sections)
        return mine == (other.candidates, other.ballots, other.sections)

    __hash__ = Profile.__hash__

    @property
    def total(self) -> int:
        return sum(self.counts)

    def any_marks(self) -> bool:
        return any(self.rankings)

    def named(self, index: int) -> Ranking:
        """Group ``index``'s ranking as names (what ``ballots[index].ranking`` holds)."""
        names = self.candidates
        return tuple((names[c],) for c in self.rankings[index])
