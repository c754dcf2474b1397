"""STV by the weighted inclusive Gregory method, counted exactly as RCTab counts it.

These are the multi-seat rules of RCTab, the certified tabulator whose regression corpus we
reproduce (``shared/conformance/README.md``, "Multi-seat counts" and "Numbers"):

* **Threshold** – computed once, from round 1's total V: ``rules.quota`` (Droop whole, Droop
  fractional, Hare); see ``counting.quota``.
* **Each round** tallies, then does one kind of thing: it elects, or it eliminates.
  Whenever the continuing candidates are no more than the seats left, all of them are elected
  (in code-point order of name). Otherwise everyone at or above the threshold is elected
  (highest first), or with ``one_winner_per_round`` only the highest (a tie is a winner
  tie-break). While the undeclared write-in pool (``rules.write_in``) holds votes nobody is
  elected and the pool is eliminated first; it never wins. Otherwise the lowest continuing
  candidate is eliminated (a tie is a loser tie-break).
* **Surplus** – a winner with tally T moves each ballot on at value truncate(v × f, d) with
  f = truncate((T − threshold) / T, d), per ballot, d = ``decimal_places``. What the ballots
  leave behind above the threshold is reported as a transfer to ``RESIDUAL`` and the winner's
  tally is set to the threshold.
* **Final round** – once the last seat is filled one more round is tallied; the last winners'
  surplus is not passed on but reported as ``finalRoundSurplus`` in ``Round.inactive`` (and
  as a transfer to ``EXHAUSTED`` in the round that elected them). When every candidate is
  elected with seats to spare (more seats than candidates) the count stops at once.

Values are integers in units of 10^-d (``counting.stv_piles``); the result converts them to
exact ``Fraction``s.
"""

from __future__ import annotations

from fractions import Fraction

from counting.ballots import Profile
from counting.irv_piles import below_quota_note, highest, last_seat_tie, lowest
from counting.quota import quota
from counting.result import EXHAUSTED, RESIDUAL, Result, Round, TieBreakRecord
from counting.rules import Rules
from counting.stv_piles import Parcel, Piles
from counting.tiebreak import TieBreaker

FINAL_ROUND_SURPLUS = "finalRoundSurplus"
"""``Round.inactive`` key of the surplus left with the last winners (not an inactive ballot)."""


def count(profile: Profile, rules: Rules) -> Result:
    """Count ``profile`` by RCTab's WIGM STV under ``rules``."""
    return _WigmCount(profile, rules).run()


class _WigmCount:
    def __init__(self, profile: Profile, rules: Rules) -> None:
        self.profile = profile
        self.rules = rules
        self.scale = 10**rules.decimal_places
        self.piles = Piles(profile, rules, self.scale)
        self.tiebreaker = TieBreaker(rules, profile.candidates)
        self.write_in = self.piles.index.get(rules.write_in or "")
        self.elected: list[int] = []
        self.threshold = 0
        self.final_surplus: int | None = None
        self.inactive: dict[str, Fraction] = {}
        self.rounds: list[Round] = []

    def run(self) -> Result:
        self.piles.first_count()
        number = 0
        while self._round(number := number + 1):
            pass
        winners = tuple(self.piles.names[c] for c in self.elected)
        return Result(
            winners, tuple(self.rounds), self.rules, self.profile.candidates, self.profile.total
        )

    # -- one round -----------------------------------------------------------------------

    def _round(self, number: int) -> bool:
        """Tally, decide and move; False when the count is over."""
        piles = self.piles
        standing = piles.continuing() + self.elected
        units = {piles.names[c]: piles.tally[c] for c in sorted(standing)}
        if number == 1:
            total = Fraction(sum(units.values()), self.scale)
            q = quota(self.rules.quota, total, self.rules.seats, self.rules.decimal_places)
            self.threshold = int(q * self.scale)
        tally = piles.shown(standing)
        self.inactive = piles.inactive_shown()
        self.tiebreaker.record(tally)
        if self.final_surplus is not None:
            self._record(number, tally, extra={FINAL_ROUND_SURPLUS: self.final_surplus})
            return False
        seats_left = self.rules.seats - len(self.elected)
        winners, records = self._winners(units, number)
        if winners:
            below = [piles.names[c] for c in winners if piles.tally[c] < self.threshold]
            note = below_quota_note(below, seats_left, bool(records)) if below else ""
            transfers, more = self._elect(winners)
            extra = None if more else {FINAL_ROUND_SURPLUS: 0}
            self._record(
                number,
                tally,
                elected=winners,
                transfers=transfers,
                records=records,
                extra=extra,
                note=note,
            )
            return more
        losers, records = self._losers(units, number)
        if not losers:
            self._record(number, tally)
            return False
        transfers = self._eliminate(losers)
        self._record(number, tally, eliminated=losers, transfers=transfers, records=records)
        return True

    def _record(
        self,
        number: int,
        tally: dict[str, Fraction],
        *,
        elected: list[int] | tuple[()] = (),
        eliminated: list[int] | tuple[()] = (),
        transfers: dict[str, dict[str, Fraction]] | None = None,
        records: list[TieBreakRecord] | None = None,
        extra: dict[str, int] | None = None,
        note: str = "",
    ) -> None:
        piles = self.piles
        inactive = dict(self.inactive)
        exhausted = sum(inactive.values(), Fraction(0))
        for key, units in (extra or {}).items():
            inactive[key] = piles.as_fraction(units)
        self.rounds.append(
            Round(
                number=number,
                tally=tally,
                threshold=piles.as_fraction(self.threshold),
                elected=tuple(piles.names[c] for c in elected),
                eliminated=tuple(piles.names[c] for c in eliminated),
                transfers=transfers or {},
                exhausted=exhausted,
                inactive=inactive,
                tiebreaks=tuple(records or ()),
                note=note,
            )
        )

    # -- decisions -----------------------------------------------------------------------

    def _winners(
        self, units: dict[str, int], number: int
    ) -> tuple[list[int], list[TieBreakRecord]]:
        piles = self.piles
        if self.write_in is not None and piles.live[self.write_in] and piles.tally[self.write_in]:
            return [], []
        electable = [c for c in piles.continuing() if c != self.write_in]
        if len(electable) <= self.rules.seats - len(self.elected):
            return sorted(electable, key=lambda c: piles.names[c]), []
        reached = [c for c in electable if piles.tally[c] >= self.threshold]
        if not reached:
            pool = {piles.names[c]: units[piles.names[c]] for c in electable}
            tie = last_seat_tie(pool, self.rules.seats - len(self.elected), self.tiebreaker, number)
            return ([piles.index[tie[0]]], [tie[1]]) if tie else ([], [])
        reached.sort(key=lambda c: (-piles.tally[c], piles.names[c]))
        if len(reached) < 2 or not self.rules.one_winner_per_round:
            return reached, []
        name, record = highest(units, [piles.names[c] for c in reached], self.tiebreaker, number)
        return [piles.index[name]], [record] if record else []

    def _losers(self, units: dict[str, int], number: int) -> tuple[list[int], list[TieBreakRecord]]:
        piles = self.piles
        live = piles.continuing()
        if not live:
            return [], []
        if self.write_in is not None and self.write_in in live and piles.tally[self.write_in]:
            return [self.write_in], []
        pool = {piles.names[c]: units[piles.names[c]] for c in live}
        name, record = lowest(pool, self.tiebreaker, number)
        return [piles.index[name]], [record] if record else []

    # -- moves ---------------------------------------------------------------------------

    def _elect(self, winners: list[int]) -> tuple[dict[str, dict[str, Fraction]], bool]:
        """Elect ``winners`` and pass on their surpluses; False when the count is over."""
        piles = self.piles
        for c in winners:
            self.elected.append(c)
            piles.retire(c)
        filled = len(self.elected) >= self.rules.seats
        if not filled and not piles.continuing():
            return {}, False
        transfers: dict[str, dict[str, Fraction]] = {}
        final_surplus = 0
        for c in winners:
            total = piles.tally[c]
            if total <= self.threshold:
                continue
            fraction = (total - self.threshold) * self.scale // total
            parcels: list[Parcel] = []
            for value, ids in piles.take(c):
                moved = value * fraction // self.scale
                if moved:
                    parcels.append((moved, ids))
            leaving = sum(piles.weight(ids) * value for value, ids in parcels)
            if filled:
                final_surplus += leaving
                moves = {EXHAUSTED: piles.as_fraction(leaving)} if leaving else {}
            else:
                moves = piles.named(piles.move(parcels))
            residual = total - leaving - self.threshold
            if residual:
                moves[RESIDUAL] = piles.as_fraction(residual)
            piles.tally[c] = self.threshold
            if moves:
                transfers[piles.names[c]] = moves
        if filled:
            self.final_surplus = final_surplus
        return transfers, True

    def _eliminate(self, losers: list[int]) -> dict[str, dict[str, Fraction]]:
        piles = self.piles
        for c in losers:
            piles.retire(c)
        transfers: dict[str, dict[str, Fraction]] = {}
        for c in losers:
            moves = piles.named(piles.move(piles.take(c)))
            piles.tally[c] = 0
            if moves:
                transfers[piles.names[c]] = moves
        return transfers
