"""The alternative vote (instant-runoff), counted the way Labour counts its leadership elections.

Each round every ballot counts for its highest continuing preference (``counting.reading``).
A candidate with **more than half** of that round's non-exhausted votes is elected – exactly
half is not enough; with whole votes the threshold is floor(V/2) + 1. Otherwise the **one**
lowest candidate is excluded (a tie broken by ``counting.tiebreak``) and each of their ballots
moves to its next continuing preference. Options (``Rules``):

* ``threshold_from_first_round`` – the threshold is fixed from round 1's votes. Once only two
  candidates remain the one with more votes is elected even below it.
* ``batch_elimination`` – exclude at once every candidate in the largest group of lowest
  candidates whose combined votes are fewer than the next candidate's (groups of two or more).
* ``continue_until_two`` – after the winner is found keep excluding until two remain, for the
  full final-round picture; the winner stays in the tallies and the threshold stays frozen.
* ``stop_after_round`` – stop after that round, with no winner unless one was already elected.
* ``excluded`` – candidates treated as withdrawn before round 1 (their marks still count as
  marks when reading a ballot).
* ``write_in`` – RCTab's undeclared write-in pool: while it holds votes nobody is elected and it
  is excluded on its own before anyone else; it never wins.
* ``ron`` – the re-open-nominations candidate is an ordinary candidate; if it wins, the result's
  winner is ``RON`` and nominations re-open.

If only two candidates remain and neither reaches the threshold (a tie, or a fixed threshold)
the one with more votes is elected, a tie being a winner tie-break. These are RCTab's
single-winner rules, which agree with Labour's wherever Labour's are defined.
"""

from __future__ import annotations

from counting.ballots import Profile
from counting.irv_piles import Piles, batch_group, check_names, highest, lowest
from counting.reading import BallotReader
from counting.result import Result, Round, TieBreakRecord
from counting.rules import Rules
from counting.tiebreak import TieBreaker


def majority_threshold(total: int) -> int:
    """The fewest whole votes that are more than half of ``total``."""
    return total // 2 + 1


def count(profile: Profile, rules: Rules) -> Result:
    """Count ``profile`` by IRV under ``rules`` (one seat; ``rules.seats`` is not read)."""
    check_names(profile, rules)
    return _IrvCount(profile, rules).run()


class _IrvCount:
    """The state of one IRV count; ``run()`` produces the rounds."""

    def __init__(self, profile: Profile, rules: Rules) -> None:
        self.profile = profile
        self.rules = rules
        standing = [c for c in profile.candidates if c not in rules.excluded]
        self.piles = Piles(profile, BallotReader.from_rules(rules), standing)
        self.tiebreaker = TieBreaker(rules, profile.candidates)
        self.winner: str | None = None
        self.threshold = 0
        self.rounds: list[Round] = []

    def run(self) -> Result:
        number = 0
        while True:
            number += 1
            eliminated = self._round(number)
            if self._finished(number, eliminated):
                break
        winners = () if self.winner is None else (self.winner,)
        return Result(
            winners, tuple(self.rounds), self.rules, self.profile.candidates, self.profile.total
        )

    def _finished(self, number: int, eliminated: bool) -> bool:
        stop = self.rules.stop_after_round
        if stop is not None and number >= stop:
            return True
        if self.winner is None:
            return not eliminated  # nobody elected and nobody left to exclude: no winner
        if not self.rules.continue_until_two:
            return True
        return not eliminated and len(self.piles.continuing) <= 2

    def _round(self, number: int) -> bool:
        """Tally round ``number``, decide, move ballots; True if anyone was excluded."""
        tally = self.piles.tally()
        self.tiebreaker.record(tally)
        self._set_threshold(number, tally)
        records: list[TieBreakRecord] = []
        elected: tuple[str, ...] = ()
        excluded: list[str] = []
        if self.winner is None:
            self.winner, record = self._find_winner(tally, number)
            records += [record] if record else []
            elected = () if self.winner is None else (self.winner,)
        if not elected and self._should_exclude(tally):
            excluded, record = self._losers(tally, number)
            records += [record] if record else []
        inactive = self.piles.inactive_snapshot()
        last = number == self.rules.stop_after_round  # no next round: nothing moves
        transfers = self.piles.remove(excluded) if excluded and not last else {}
        self.rounds.append(
            Round(
                number=number,
                tally=tally,
                threshold=self.threshold,
                elected=elected,
                eliminated=tuple(excluded),
                transfers=transfers,
                exhausted=sum(inactive.values()),
                inactive=inactive,
                tiebreaks=tuple(records),
            )
        )
        return bool(excluded)

    def _set_threshold(self, number: int, tally: dict[str, int]) -> None:
        frozen = self.rules.threshold_from_first_round or self.winner is not None
        if number == 1 or not frozen:
            self.threshold = majority_threshold(sum(tally.values()))

    def _find_winner(
        self, tally: dict[str, int], number: int
    ) -> tuple[str | None, TieBreakRecord | None]:
        write_in = self.rules.write_in
        if write_in is not None and tally.get(write_in, 0) > 0:
            return None, None
        eligible = [c for c in tally if c != write_in]
        if not eligible:
            return None, None
        if len(tally) <= 1:
            return eligible[0], None
        reached = [c for c in eligible if tally[c] >= self.threshold]
        if reached:
            return highest(tally, reached, self.tiebreaker, number)
        if len(tally) == 2:
            return highest(tally, eligible, self.tiebreaker, number)
        return None, None

    def _should_exclude(self, tally: dict[str, int]) -> bool:
        if self.winner is None:
            return len(tally) > 1
        return self.rules.continue_until_two and len(tally) > 2

    def _losers(
        self, tally: dict[str, int], number: int
    ) -> tuple[list[str], TieBreakRecord | None]:
        write_in = self.rules.write_in
        if write_in is not None and tally.get(write_in, 0) > 0:
            return [write_in], None
        if self.rules.batch_elimination:
            group = batch_group(tally, keep_two=self.rules.continue_until_two)
            if group:
                return group, None
        loser, record = lowest(tally, self.tiebreaker, number)
        return [loser], record
