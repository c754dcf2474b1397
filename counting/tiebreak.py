"""Ties are a rule, not an accident: every tie is broken the same way on every recount.

A ``TieBreaker`` is created once per count (once per pass of a multi-pass count). It keeps the
tally of every round so far (``record``) and the seeded generator, and answers
``choose_loser`` / ``choose_winner`` with the chosen name plus a ``TieBreakRecord`` that says in
plain words how it was chosen. Modes (``Rules.tiebreak``):

* ``backward`` (default; Scottish rule 51, RCTab ``previousRoundCountsThenRandom``): look at the
  most recent earlier round and keep only the tied candidates with the fewest votes there (most,
  when choosing a winner); step back a round at a time until one is left; if the first round
  still does not separate them, draw a lot among those left.
* ``forward``: the same, but from round 1 forwards.
* ``lot``: draw a lot straight away.
* ``candidate-order``: the loser is the tied candidate latest in ``Rules.tiebreak_order`` (or the
  candidate list), the winner the earliest.
* ``ask``: no automatic rule: the returning officer's ``Rules.tiebreak_order`` decides (first
  = preferred: elected in a tie for election, kept in a tie for exclusion); a tie among
  candidates it does not all name raises ``TieNeedsDecisionError`` so a person decides.

**The lot** is ``java.util.Random`` seeded with ``Rules.seed`` – a fully specified generator
anyone can re-implement, and the one RCTab uses, so our lots reproduce its random ties:
state = (seed XOR 0x5DEECE66D) mod 2^48; next(b): state = (state × 0x5DEECE66D + 11) mod 2^48,
return state >> (48 − b); nextDouble = (next(26) × 2^27 + next(27)) / 2^53. Among k tied names
sorted by code point, the lot takes index floor(nextDouble × k), the product rounded to a
double first exactly as Java does (emulated here with integers, not floats).

``Rules.extra["rctab_hashset_order"]`` (set only by the RCTab mapper) copies one RCTab quirk:
after at least one look-back, the names still tied are listed in Java ``HashSet`` iteration
order, not sorted, before the lot's index is taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from counting.result import Number, TieBreakRecord, format_number
from counting.rules import Rules, TieBreak

HASHSET_ORDER = "rctab_hashset_order"
"""``Rules.extra`` key for RCTab's HashSet ordering quirk (see the module docstring)."""

_MULTIPLIER = 0x5DEECE66D
_MASK = (1 << 48) - 1
Selecting = Literal["loser", "winner"]


class TieNeedsDecisionError(Exception):
    """A tie under ``tiebreak="ask"``: the count cannot go on without a person's decision."""

    def __init__(self, round_number: int, selecting: Selecting, tied: Sequence[str]) -> None:
        self.round = round_number
        self.selecting = selecting
        self.tied = tuple(tied)
        names = ", ".join(self.tied)
        super().__init__(
            f"round {round_number}: a tie for {selecting} among {names} needs a decision"
        )


class JavaRandom:
    """``java.util.Random``: a 48-bit linear congruential generator, specified bit for bit."""

    def __init__(self, seed: int) -> None:
        self._state = (seed ^ _MULTIPLIER) & _MASK

    def next_bits(self, bits: int) -> int:
        self._state = (self._state * _MULTIPLIER + 0xB) & _MASK
        return self._state >> (48 - bits)

    def next_double_bits(self) -> int:
        """``nextDouble()`` as the integer m of m / 2^53 (exact)."""
        return (self.next_bits(26) << 27) + self.next_bits(27)

    def next_index(self, k: int) -> int:
        """``(int) Math.floor(nextDouble() * k)`` with Java's double rounding reproduced."""
        return _double_floor(self.next_double_bits() * k, 53)

    def next_int(self, bound: int) -> int:
        """``nextInt(bound)`` (used by ``Collections.shuffle``)."""
        if bound & (bound - 1) == 0:
            return (bound * self.next_bits(31)) >> 31
        while True:
            bits = self.next_bits(31)
            value = bits % bound
            if bits - value + (bound - 1) < (1 << 31):
                return value


def _double_floor(numerator: int, shift: int) -> int:
    """floor(x) where x = numerator / 2^shift is first rounded to 53 significant bits
    (IEEE round-half-even), which is what multiplying two doubles does."""
    excess = numerator.bit_length() - 53
    if excess > 0:
        quotient, remainder = divmod(numerator, 1 << excess)
        half = 1 << (excess - 1)
        if remainder > half or (remainder == half and quotient & 1):
            quotient += 1
        numerator = quotient << excess
    return numerator >> shift


def java_shuffle(names: Sequence[str], seed: int) -> tuple[str, ...]:
    """``Collections.shuffle(sorted(names), new Random(seed))``: RCTab's generated permutation."""
    out = sorted(names)
    rng = JavaRandom(seed)
    for i in range(len(out) - 1, 0, -1):
        j = rng.next_int(i + 1)
        out[i], out[j] = out[j], out[i]
    return tuple(out)


def java_string_hash(text: str) -> int:
    """``String.hashCode()``: s[0]×31^(n−1) + … over UTF-16 code units, as a signed 32-bit int."""
    h = 0
    data = text.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + int.from_bytes(data[i : i + 2], "big")) & 0xFFFFFFFF
    return h


def java_hash_set_order(names: Sequence[str]) -> list[str]:
    """Iteration order of ``new HashSet<>(names)`` for a small set (no tree bins).

    Capacity is the power of two ≥ max(n / 0.75 + 1, 16); a name's bucket is
    (h XOR (h >>> 16)) mod capacity; buckets are visited in order, each in insertion order.
    """
    wanted = max(int(len(names) / 0.75) + 1, 16)
    capacity = 1 << (wanted - 1).bit_length()
    buckets: dict[int, list[str]] = {}
    for name in names:
        h = java_string_hash(name)
        buckets.setdefault((h ^ (h >> 16)) & (capacity - 1), []).append(name)
    return [name for index in sorted(buckets) for name in buckets[index]]


class TieBreaker:
    """Round history plus the seeded lot: breaks each tie by ``rules.tiebreak`` and explains it."""

    def __init__(self, rules: Rules, candidates: Sequence[str]) -> None:
        self.mode = rules.tiebreak
        self.order = tuple(rules.tiebreak_order or candidates)
        self.decided = rules.tiebreak_order
        self.seed = rules.seed
        self.hashset_order = bool(rules.extra.get(HASHSET_ORDER, False))
        self.random = JavaRandom(rules.seed)
        self.history: list[dict[str, Number]] = []

    def record(self, tally: Mapping[str, Number]) -> None:
        """Remember a round's tally (call once per round, in order, before breaking its ties)."""
        self.history.append(dict(tally))

    def choose_loser(self, tied: Iterable[str], round_number: int) -> tuple[str, TieBreakRecord]:
        return self._choose(sorted(tied), round_number, "loser")

    def choose_winner(self, tied: Iterable[str], round_number: int) -> tuple[str, TieBreakRecord]:
        return self._choose(sorted(tied), round_number, "winner")

    def _choose(
        self, tied: list[str], round_number: int, selecting: Selecting
    ) -> tuple[str, TieBreakRecord]:
        if len(tied) < 2:
            raise ValueError("a tie needs at least two candidates")
        votes = self._votes_now(tied, round_number)
        role = "exclusion" if selecting == "loser" else "election"
        opening = f"{_names(tied)} were tied{votes} for {role}."
        if self.mode is TieBreak.ASK:
            return self._decided(tied, round_number, selecting, opening)
        if self.mode is TieBreak.CANDIDATE_ORDER:
            chosen, how = self._by_order(tied, selecting)
        elif self.mode is TieBreak.LOT:
            chosen, how = self._lot(tied)
        else:
            chosen, how = self._look_back(tied, round_number, selecting)
        record = TieBreakRecord(
            round_number, selecting, tuple(tied), chosen, how[0], f"{opening} {how[1]}"
        )
        return chosen, record

    def _decided(
        self, tied: list[str], round_number: int, selecting: Selecting, opening: str
    ) -> tuple[str, TieBreakRecord]:
        """``ask``: the returning officer's order decides, if it names every tied candidate."""
        if self.decided is None or any(name not in self.decided for name in tied):
            raise TieNeedsDecisionError(round_number, selecting, tied)
        rank = {name: i for i, name in enumerate(self.decided)}
        ordered = sorted(tied, key=rank.__getitem__)
        chosen = ordered[-1] if selecting == "loser" else ordered[0]
        where = "last" if selecting == "loser" else "first"
        text = f"{opening} The returning officer's order puts {chosen} {where}."
        record = TieBreakRecord(round_number, selecting, tuple(tied), chosen, "decided", text)
        return chosen, record

    def _votes_now(self, tied: list[str], round_number: int) -> str:
        if not 0 < round_number <= len(self.history):
            return ""
        value = self.history[round_number - 1].get(tied[0], 0)
        return f" on {format_number(value)} {'vote' if value == 1 else 'votes'}"

    def _by_order(self, tied: list[str], selecting: Selecting) -> tuple[str, tuple[str, str]]:
        rank = {name: i for i, name in enumerate(self.order)}
        ordered = sorted(tied, key=lambda name: rank.get(name, len(rank)))
        chosen = ordered[-1] if selecting == "loser" else ordered[0]
        where = "latest" if selecting == "loser" else "earliest"
        return chosen, ("candidate-order", f"{chosen} comes {where} in the tie-break order.")

    def _lot(self, names: list[str], after: str = "") -> tuple[str, tuple[str, str]]:
        index = self.random.next_index(len(names))
        chosen = names[index]
        listed = ", ".join(names)
        text = (
            f"{after}A lot was drawn (java.util.Random, seed {self.seed}): index {index} of "
            f"[{listed}] is {chosen}."
        )
        return chosen, ("lot", text)

    def _look_back(
        self, tied: list[str], round_number: int, selecting: Selecting
    ) -> tuple[str, tuple[str, str]]:
        earlier = list(range(1, min(round_number, len(self.history) + 1)))
        if self.mode is TieBreak.BACKWARD:
            earlier.reverse()
        pick = min if selecting == "loser" else max
        fewest = "fewest" if selecting == "loser" else "most"
        left = tied
        for r in earlier:
            tally = self.history[r - 1]
            if self.hashset_order:
                left = java_hash_set_order(left)
            best = pick(tally.get(name, 0) for name in left)
            left = [name for name in left if tally.get(name, 0) == best]
            if len(left) == 1:
                text = f"{left[0]} had the {fewest} votes ({format_number(best)}) in round {r}."
                return left[0], (self.mode.value, text)
        prefix = "No earlier round separated them. " if earlier else "No earlier round. "
        chosen, (_, text) = self._lot(left, prefix)
        return chosen, (f"{self.mode.value}, then lot", text)


def _names(names: Sequence[str]) -> str:
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + f" and {names[-1]}"
