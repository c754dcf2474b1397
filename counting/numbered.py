"""Plain ballots held as candidate numbers: the fast road from a ballot file to a count.

A published file of a million ballots writes each ranking as candidate *numbers*
(``1 3 2 0``). Turning every distinct line into a ranking of names (``(("Ann",), ("Cat",),
...)``) only for the STV piles to turn the names back into numbers cost a third of a
million-ballot Scottish count (issue #10's profile). ``NumberedProfile`` keeps what the BLT
reader parsed, in the shape it parsed it: each distinct line as a list of ints. It *is* a
``Profile``, so everything that reads ``profile.ballots`` (analysis, JSON export, Meek, the
college) still works: the named ballots are built the first time anyone asks for them, in the
same order and with the same counts the named reader gives (``tests/counting/test_numbered.py``
checks the two count alike). The IRV and STV piles (``irv_piles``, ``stv_piles``) read the
numbers directly and never build names.

Shapes (BLT's own): ``lines[i]`` is ``[w, c1, c2, ..., ck, 0]``: ``c1..ck`` are 1-based
candidate numbers, best first (one candidate per rank: no overvote, no skipped rank; a number
may repeat; ``k = 0`` is a blank ballot), the closing ``0`` ends the ranking, and ``w`` is not
read (the reader leaves a line's own weight there, or 0). A line is a list of ints or, as the
BLT reader builds them for the common file (every line of weight 1, at most 254 candidates),
``bytes``: indexing either gives ints, and ``bytes`` cost a fifth of the memory.
``counts[i] >= 1`` is how many ballots carry ranking ``i``; rankings are distinct. The piles
walk a line from index 1 until they reach 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from counting.ballots import Ballot, Profile, Ranking


class NumberedProfile(Profile):
    """A ``Profile`` of plain ballots given as candidate numbers (see the module docstring).

    Built without the dataclass constructor: ``ballots`` is not stored until it is first read.
    ``checked=True`` says the caller has already checked the lines and counts (the BLT reader
    checks them in bulk); otherwise they are checked here and a ``ValueError`` names the first
    bad group.
    """

    lines: tuple[Sequence[int], ...]
    counts: tuple[int, ...]

    def __init__(
        self,
        candidates: Sequence[str],
        lines: Sequence[Sequence[int]],
        counts: Sequence[int],
        *,
        checked: bool = False,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "candidates", tuple(candidates))
        set_(self, "sections", {})
        set_(self, "lines", tuple(lines))
        set_(self, "counts", tuple(counts))
        self._validate_candidates()
        if not checked:
            self._check_numbers()

    def _check_numbers(self) -> None:
        if len(self.lines) != len(self.counts):
            raise ValueError(
                f"{len(self.lines)} rankings but {len(self.counts)} counts: one count each"
            )
        size = len(self.candidates)
        for index, (line, count) in enumerate(zip(self.lines, self.counts, strict=True)):
            where = f"ballot {index + 1}"
            if count < 1:
                raise ValueError(f"{where}: count must be at least 1, not {count}")
            if len(line) < 2 or line[-1] != 0:
                raise ValueError(f"{where}: expected [weight, numbers..., 0], found {line!r}")
            bad = [c for c in line[1:-1] if not (isinstance(c, int) and 1 <= c <= size)]
            if bad:
                raise ValueError(f"{where}: candidate number {bad[0]!r} is not in 1..{size}")
        if len({tuple(line[1:]) for line in self.lines}) != len(self.lines):
            raise ValueError("a ranking is listed twice: group identical rankings first")

    def __getattr__(self, name: str) -> Any:
        """``ballots``, built from the numbers on first use (then stored like a field)."""
        if name != "ballots":
            raise AttributeError(name)
        ballots = tuple(map(Ballot, map(self.named, range(len(self.lines))), self.counts))
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
        return any(len(line) > 2 for line in self.lines)

    def ranking(self, index: int) -> tuple[int, ...]:
        """Group ``index``'s ranking as 0-based candidate indices, best first."""
        return tuple(c - 1 for c in self.lines[index][1:-1])

    def named(self, index: int) -> Ranking:
        """Group ``index``'s ranking as names (what ``ballots[index].ranking`` holds)."""
        names = self.candidates
        return tuple((names[c - 1],) for c in self.lines[index][1:-1])
