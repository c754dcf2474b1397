"""Ballot piles for the Gregory-family STV counts (RCTab WIGM and Scottish STV).

Both counts move ballots between candidates' *piles*; what differs is only the value a ballot
carries when it moves. So this module holds the shared machinery, in integers:

* every value is an ``int`` in units of 10^-d (d = 5 for Scottish STV, ``decimal_places`` for
  RCTab), so truncation to d places is integer division and no ``Fraction`` is built per ballot;
* a candidate's pile is a dict *value → ballot ids*, one list per value (a "parcel" in the
  words of the Scottish rules). Ballots of equal value move together, so a surplus transfer
  computes one new value per parcel, not per ballot;
* per-round work is proportional to the ballots that actually move (the pile of the candidate
  being excluded or whose surplus is transferred), never to the whole profile.

**Reading a ballot.** Ballots are read by ``counting.reading.BallotReader`` semantics. Most
ballots are *plain* (one real name per rank, no blank rank, no repeated name when repeats
exhaust): for those, "the first continuing name from rank 1" equals "the first continuing name
after the one the ballot was counting for", because the continuing set only shrinks. Plain
ballots therefore keep a rank pointer and are read in a tight loop; every other ballot is
re-read by ``BallotReader.read`` each time it moves (``tests/counting/test_stv.py`` checks the
two agree on random ballots).

Blank ballots (no marks at all) are not counted and not reported as inactive (RCTab's
"undervotes"); ``blank`` says how many there were.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from operator import itemgetter

from counting.ballots import Position, Profile, Ranking
from counting.numbered import NumberedProfile
from counting.reading import BallotReader, Inactive, is_blank
from counting.result import EXHAUSTED
from counting.rules import Rules

END = 0
"""The code that closes every ranking (BLT's closing 0)."""

Parcel = tuple[int, list[int]]
"""(value of each ballot in units, ballot ids)."""


class Piles:
    """Where every ballot is and what it is worth, with each candidate's tally in units."""

    def __init__(self, profile: Profile, rules: Rules, scale: int) -> None:
        self.scale = scale
        self.names = profile.candidates
        self.index = {name: i for i, name in enumerate(self.names)}
        self.reader = BallotReader.from_rules(rules)
        n = len(self.names)
        self.slow = n + 1
        self.live = bytearray(1 for _ in range(n + 2))
        """By *code*: candidate ``i`` is code ``i + 1``; code ``END`` (0) closes every
        ranking and code ``slow`` marks a careful one; both are always live."""
        for name in rules.excluded:
            if name in self.index:
                self.live[self.index[name] + 1] = 0
        self.live_names = {c for i, c in enumerate(self.names) if self.live[i + 1]}
        self.piles: list[dict[int, list[int]]] = [{} for _ in range(n)]
        self.tally = [0] * n
        self.inactive = dict.fromkeys(Inactive, 0)
        self.ranks: list[Sequence[int]] = []
        """Each counted group's ranking as codes, BLT's way: ``[any, codes..., END]`` (read
        from index 1; the closing ``END`` means reading never runs off a ranking), or
        ``(END, slow)`` for a group read the careful way."""
        self.careful: dict[int, Ranking] = {}
        """The named ranking of each group that ``BallotReader`` must re-read."""
        self.counts: list[int] = []
        self.blank = 0
        if isinstance(profile, NumberedProfile):
            self._load_numbers(profile, rules.exhaust_on_duplicate)
        else:
            self._load(profile, rules.exhaust_on_duplicate)
        self.pos = [0] * len(self.counts)
        """Index in ``ranks[b]`` of the code ballot ``b`` last counted for (0: none yet)."""
        self.unit_counts = all(c == 1 for c in self.counts)

    def _load(self, profile: Profile, repeats_exhaust: bool) -> None:
        """Index the ballots once: plain ones as codes."""
        by_position: dict[Position, int] = {(n,): i for i, n in enumerate(self.names, start=1)}
        lookup = by_position.__getitem__
        careful = (END, self.slow)
        for ballot in profile.ballots:
            ranking = ballot.ranking
            try:
                codes = tuple(map(lookup, ranking))
            except KeyError:
                codes = careful
            if not codes or (codes is careful and is_blank(ranking)):
                self.blank += ballot.count
                continue
            if codes is careful or (repeats_exhaust and len(set(codes)) != len(codes)):
                self.careful[len(self.ranks)] = ranking
                self.ranks.append(careful)
            else:
                self.ranks.append((END, *codes, END))
            self.counts.append(ballot.count)

    def _load_numbers(self, profile: NumberedProfile, repeats_exhaust: bool) -> None:
        """The lines as they are (BLT's numbers are our codes): only blank ballots and (when
        repeats exhaust) rankings that repeat a name need any work."""
        lines = profile.lines
        kept: Sequence[int] = range(len(lines))
        if 2 in map(len, lines):  # [weight, 0]: a blank ballot
            kept = [i for i, line in enumerate(lines) if len(line) > 2]
            self.blank = profile.total - sum(map(profile.counts.__getitem__, kept))
            self.ranks = list(map(lines.__getitem__, kept))
            self.counts = list(map(profile.counts.__getitem__, kept))
        else:
            self.ranks = list(lines)
            self.counts = list(profile.counts)
        if repeats_exhaust:
            for b, line in enumerate(self.ranks):
                if len(set(line[1:-1])) != len(line) - 2:
                    self.careful[b] = profile.named(kept[b])
                    self.ranks[b] = (END, self.slow)

    # -- queries -------------------------------------------------------------------------

    def weight(self, ids: list[int]) -> int:
        """How many ballots the ids stand for (groups expanded)."""
        if self.unit_counts:
            return len(ids)
        if len(ids) < 2:  # itemgetter of one id returns a number, not a tuple
            return sum(map(self.counts.__getitem__, ids))
        return sum(itemgetter(*ids)(self.counts))  # the fastest C loop over many ids

    def ranking(self, b: int) -> Ranking:
        """Group ``b``'s ranking as names (what ``BallotReader`` reads)."""
        if b in self.careful:
            return self.careful[b]
        return tuple((self.names[c - 1],) for c in self.ranks[b][1:-1])

    def continuing(self) -> list[int]:
        live = self.live
        return [i for i in range(len(self.names)) if live[i + 1]]

    def as_fraction(self, units: int) -> Fraction:
        return Fraction(units, self.scale)

    @property
    def exhausted(self) -> int:
        return sum(self.inactive.values())

    # -- changes -------------------------------------------------------------------------

    def retire(self, candidate: int) -> None:
        """The candidate stops continuing (elected or eliminated): it receives no more votes."""
        self.live[candidate + 1] = 0
        self.live_names.discard(self.names[candidate])

    def take(self, candidate: int) -> list[Parcel]:
        """Remove and return the candidate's parcels, highest value first."""
        pile = self.piles[candidate]
        self.piles[candidate] = {}
        return sorted(pile.items(), key=lambda item: -item[0])

    def first_count(self) -> dict[int | Inactive, int]:
        """Round 1: every counted ballot goes to its first continuing preference at value 1."""
        return self.move([(self.scale, list(range(len(self.counts))))])

    def move(self, parcels: Iterable[Parcel]) -> dict[int | Inactive, int]:
        """Send each parcel's ballots on to their next continuing preference at the parcel's
        value; inactive ballots leave the count for good. Returns units gained by destination
        (candidate number, or the ``Inactive`` reason). Tallies and ``inactive`` are updated;
        the caller settles the source's own tally."""
        gained: dict[int | Inactive, int] = {}
        for value, ids in parcels:
            out, dead, slow = self._step(ids)
            for b in slow:
                self._read_slow(b, out, dead)
            for c, moved in enumerate(out):
                if moved:
                    self._receive(c, value, moved, gained)
            for reason, lost in dead.items():
                units = self.weight(lost) * value
                self.inactive[reason] += units
                gained[reason] = gained.get(reason, 0) + units
        return gained

    def _step(self, ids: list[int]) -> tuple[list[list[int]], dict[Inactive, list[int]], list[int]]:
        """The hot loop: advance rank pointers past non-continuing names.

        Every ranking is closed by ``END`` and careful ones are ``(END, slow)``, both always
        live, so the loop needs no bounds check: a ballot reaching ``END`` is exhausted, one
        at ``slow`` is handed back (its pointer reset) for ``BallotReader``. Returns each
        candidate's arrivals (by candidate index), the exhausted, and the careful ones."""
        ranks, pos, live = self.ranks, self.pos, self.live
        out: list[list[int]] = [[] for _ in live]
        put = [bucket.append for bucket in out]
        for b in ids:
            r = ranks[b]
            p = pos[b] + 1
            c = r[p]
            while not live[c]:
                p += 1
                c = r[p]
            pos[b] = p
            put[c](b)
        exhausted, slow = out[END], out[self.slow]
        for b in slow:
            pos[b] = 0
        dead = {Inactive.EXHAUSTED_CHOICES: exhausted} if exhausted else {}
        return out[1 : self.slow], dead, slow

    def _read_slow(self, b: int, out: list[list[int]], dead: dict[Inactive, list[int]]) -> None:
        """Re-read a ballot with overvotes, skipped ranks or repeats from rank 1."""
        where = self.reader.read(self.careful[b], self.live_names)
        if isinstance(where, Inactive):
            dead.setdefault(where, []).append(b)
        else:
            out[self.index[where]].append(b)

    def _receive(
        self, c: int, value: int, ids: list[int], gained: dict[int | Inactive, int]
    ) -> None:
        pile = self.piles[c]
        parcel = pile.get(value)
        if parcel is None:
            pile[value] = ids
        else:
            parcel.extend(ids)
        units = self.weight(ids) * value
        self.tally[c] += units
        gained[c] = gained.get(c, 0) + units

    # -- reporting -----------------------------------------------------------------------

    def named(self, gained: dict[int | Inactive, int]) -> dict[str, Fraction]:
        """Units gained by destination → the ``Round.transfers`` shape (names, ``EXHAUSTED``).
        Callers never move a zero-value parcel, so no zero move is ever listed (certified
        tabulators do not print them either)."""
        out: dict[str, Fraction] = {}
        for where, units in gained.items():
            key = EXHAUSTED if isinstance(where, Inactive) else self.names[where]
            out[key] = out.get(key, Fraction(0)) + self.as_fraction(units)
        return out

    def shown(self, candidates: Iterable[int]) -> dict[str, Fraction]:
        """The tally of ``candidates`` in candidate-list order, as exact fractions."""
        wanted = set(candidates)
        return {
            name: self.as_fraction(self.tally[i])
            for i, name in enumerate(self.names)
            if i in wanted
        }

    def inactive_shown(self) -> dict[str, Fraction]:
        return {reason.value: self.as_fraction(units) for reason, units in self.inactive.items()}
