"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), schedule 1,
rules 45–52, the count used for every Scottish council ward since 2007.

The rules, and where this module follows each one:

* **Rule 45** (first stage) – each valid ballot paper counts one vote for its first preference.
* **Rule 46** (quota) – valid papers ÷ (vacancies + 1), decimals ignored, plus one:
  floor(V / (S + 1)) + 1. ``rules.quota`` and ``rules.decimal_places`` are not read: the Order
  fixes both.
* **Rule 47** – a candidate whose votes equal or exceed the quota at any stage is elected
  (several at one stage are listed highest first).
* **Rule 48** (surplus) – the papers of an elected candidate with a surplus move to their next
  available preference, each at transfer value (surplus × the paper's value when received) ÷
  the candidate's total votes, to five decimal places, any remainder ignored. Papers with no
  next preference are not transferred: we report the value they would have carried as
  ``EXHAUSTED`` (the "non-transferable" line of a Scottish result sheet) and what truncation
  lost as ``RESIDUAL``; the elected candidate then holds exactly the quota.
* **Rule 49** – one surplus per stage, the largest first, and every surplus before any
  exclusion; equal surpluses: the candidate with more votes at the most recent earlier stage
  where they differed goes first, else lot (``counting.tiebreak``, ``choose_winner``).
* **Rule 50** (exclusion) – with no surplus left to transfer, the continuing candidate with
  the fewest votes is excluded and *all* their papers move in one stage, each at the value it
  had when the excluded candidate received it.
* **Rule 51** – equal lowest: the one with fewer votes at the most recent earlier stage where
  they differed, else lot (``rules.tiebreak`` backward, the default; other modes are honoured).
* **Rule 52** – when the continuing candidates are no more than the vacancies left, they are
  all elected and nothing more is transferred.

Each ``Round`` is one stage: its tally is the state at the end of the stage (every candidate
not excluded; elected candidates at their current total), ``elected`` those deemed elected at
it, ``eliminated`` the candidate excluded at its end, and ``transfers`` the papers that move
in the next stage – keyed by the candidate they leave, which for a surplus may be a candidate
elected at an earlier stage (``note`` says which). Values are integers in units of 10^-5.
"""

from __future__ import annotations

from fractions import Fraction

from counting.ballots import Profile
from counting.irv_piles import below_quota_note, highest, last_seat_tie, lowest
from counting.quota import droop
from counting.result import RESIDUAL, Result, Round, TieBreakRecord
from counting.rules import Rules
from counting.stv_piles import Parcel, Piles
from counting.tiebreak import TieBreaker

PLACES = 5
SCALE = 10**PLACES
"""Rule 48(3): transfer values are calculated to five decimal places."""

Transfers = dict[str, dict[str, Fraction]]


def count(profile: Profile, rules: Rules) -> Result:
    """Count ``profile`` by the Scottish STV rules for ``rules.seats`` vacancies."""
    return _ScottishCount(profile, rules).run()


class _ScottishCount:
    def __init__(self, profile: Profile, rules: Rules) -> None:
        self.profile = profile
        self.rules = rules
        self.piles = Piles(profile, rules, SCALE)
        self.tiebreaker = TieBreaker(rules, profile.candidates)
        self.elected: list[int] = []
        self.pending: list[int] = []
        self.quota = 0
        self.rounds: list[Round] = []

    def run(self) -> Result:
        piles = self.piles
        piles.first_count()
        valid = sum(piles.tally) // SCALE
        self.quota = int(droop(valid, self.rules.seats)) * SCALE
        stage = 0
        while self._stage(stage := stage + 1):
            pass
        winners = tuple(piles.names[c] for c in self.elected)
        return Result(
            winners, tuple(self.rounds), self.rules, self.profile.candidates, self.profile.total
        )

    def _stage(self, stage: int) -> bool:
        """Record the end of ``stage`` and carry out what follows it; False when done."""
        piles = self.piles
        standing = sorted(piles.continuing() + self.elected)
        tally = piles.shown(standing)
        inactive = piles.inactive_shown()
        self.tiebreaker.record(tally)
        seats_left = self.rules.seats - len(self.elected)
        newly, tie = self._deem_elected(stage)
        records: list[TieBreakRecord] = [tie] if tie else []
        eliminated: tuple[str, ...] = ()
        transfers: Transfers = {}
        below = [piles.names[c] for c in newly if tally[piles.names[c]] * SCALE < self.quota]
        notes = [below_quota_note(below, seats_left, tie is not None)] if below else []
        done = len(self.elected) >= self.rules.seats or not piles.continuing()
        if not done and self.pending:
            source, record = self._largest_surplus(stage)
            transfers = self._transfer_surplus(source)
            notes.append(
                f"surplus of {piles.names[source]} transferred at stage {stage + 1} (rule 48)"
            )
            records += [record] if record else []
        elif not done:
            loser, record = self._lowest(stage)
            transfers = self._exclude(loser)
            eliminated = (piles.names[loser],)
            notes.append(f"{piles.names[loser]} excluded; papers transferred at stage {stage + 1}")
            records += [record] if record else []
        self.rounds.append(
            Round(
                number=stage,
                tally=tally,
                threshold=piles.as_fraction(self.quota),
                elected=tuple(piles.names[c] for c in newly),
                eliminated=eliminated,
                transfers=transfers,
                exhausted=sum(inactive.values(), Fraction(0)),
                inactive=inactive,
                tiebreaks=tuple(records),
                note="; ".join(notes),
            )
        )
        return not done

    # -- rules 47 and 52 -----------------------------------------------------------------

    def _deem_elected(self, stage: int) -> tuple[list[int], TieBreakRecord | None]:
        """Rule 47: everyone at or above the quota; rule 52: the last vacancies.

        The last two continuing candidates tied for the last vacancy, with no surplus left to
        transfer, are a winner tie-break (``irv_piles.last_seat_tie``), as in IRV.
        """
        piles = self.piles
        continuing = piles.continuing()
        newly = [c for c in continuing if piles.tally[c] >= self.quota]
        # A Droop quota exceeds V / (S + 1), so no more than the vacancies left can reach it.
        left = self.rules.seats - len(self.elected) - len(newly)
        rest = [c for c in continuing if c not in newly]
        record = None
        if len(rest) <= left:
            newly += rest
        elif not newly and not self.pending:
            units = {piles.names[c]: piles.tally[c] for c in rest}
            tie = last_seat_tie(units, left, self.tiebreaker, stage)
            if tie is not None:
                newly.append(piles.index[tie[0]])
                record = tie[1]
        newly.sort(key=lambda c: (-piles.tally[c], piles.names[c]))
        for c in newly:
            piles.retire(c)
            self.elected.append(c)
            if piles.tally[c] > self.quota:
                self.pending.append(c)
        return newly, record

    # -- rules 48 and 49 -----------------------------------------------------------------

    def _largest_surplus(self, stage: int) -> tuple[int, TieBreakRecord | None]:
        """Rule 49: the largest surplus first; equal surpluses by look-back, then lot."""
        piles = self.piles
        units = {piles.names[c]: piles.tally[c] for c in self.pending}
        name, record = highest(units, units, self.tiebreaker, stage)
        source = piles.index[name]
        self.pending.remove(source)
        return source, record

    def _transfer_surplus(self, source: int) -> Transfers:
        """Rule 48: each parcel moves at (surplus × value) ÷ total, truncated to 5 places."""
        piles = self.piles
        total = piles.tally[source]
        surplus = total - self.quota
        parcels: list[Parcel] = []
        for value, ids in piles.take(source):
            transfer_value = surplus * value // total
            if transfer_value:
                parcels.append((transfer_value, ids))
        moves = piles.named(piles.move(parcels))
        residual = surplus - sum(moves.values(), Fraction(0)) * SCALE
        if residual:
            moves[RESIDUAL] = piles.as_fraction(int(residual))
        piles.tally[source] = self.quota
        return {piles.names[source]: moves}

    # -- rules 50 and 51 -----------------------------------------------------------------

    def _lowest(self, stage: int) -> tuple[int, TieBreakRecord | None]:
        """Rules 50(1) and 51: the continuing candidate with the fewest votes."""
        piles = self.piles
        units = {piles.names[c]: piles.tally[c] for c in piles.continuing()}
        name, record = lowest(units, self.tiebreaker, stage)
        return piles.index[name], record

    def _exclude(self, loser: int) -> Transfers:
        """Rule 50(2)–(4): all the excluded candidate's papers move, each at its own value."""
        piles = self.piles
        piles.retire(loser)
        moves = piles.named(piles.move(piles.take(loser)))
        piles.tally[loser] = 0
        return {piles.names[loser]: moves} if moves else {}
