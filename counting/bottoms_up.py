"""Bottoms-up multi-seat counting (RCTab ``bottomsUp`` and ``bottomsUpUsingPercentageThreshold``).

No quota and no surplus transfers: ballots always count in full for their highest continuing
preference, and the count only ever excludes.

* **Seats** (``bottoms_up_percentage`` unset): exclude the lowest candidate each round until
  only ``seats`` candidates remain; they are all elected together. A Droop threshold (from
  round 1's votes, by ``rules.quota``) is shown for information only – it decides nothing.
* **Percentage** (``bottoms_up_percentage`` = p): the threshold is p% of the round's votes
  (recomputed every round unless ``threshold_from_first_round``). When every continuing
  candidate has strictly more than the threshold they are all elected; until then exclude the
  lowest, or with ``cutoff_elimination`` everyone below the threshold at once.

Exclusion otherwise follows IRV: the undeclared write-in pool first while it has votes, then a
batch (``batch_elimination``), then the single lowest with the tie-break rule.
"""

from __future__ import annotations

from fractions import Fraction

from counting.ballots import Profile
from counting.irv_piles import Piles, batch_group, check_names, lowest
from counting.reading import BallotReader
from counting.result import Number, Result, Round, TieBreakRecord
from counting.rules import Quota, Rules
from counting.tiebreak import TieBreaker


def display_quota(total: int, rules: Rules) -> Number:
    """The quota RCTab prints for a bottoms-up count (informational only)."""
    places = 10**rules.decimal_places
    if rules.quota is Quota.HARE:
        return -(-total // rules.seats)
    if rules.quota is Quota.DROOP_FRACTIONAL:
        return Fraction(total * places // (rules.seats + 1) + 1, places)
    return total // (rules.seats + 1) + 1


def count(profile: Profile, rules: Rules) -> Result:
    """Count ``profile`` bottoms-up under ``rules``."""
    check_names(profile, rules)
    standing = [c for c in profile.candidates if c not in rules.excluded]
    piles = Piles(profile, BallotReader.from_rules(rules), standing)
    tiebreaker = TieBreaker(rules, profile.candidates)
    rounds: list[Round] = []
    threshold: Number = 0
    winners: tuple[str, ...] = ()
    while not winners and piles.continuing:
        number = len(rounds) + 1
        tally = piles.tally()
        tiebreaker.record(tally)
        if number == 1 or _recomputed(rules):
            threshold = _threshold(sum(tally.values()), rules)
        winners = _winners(tally, threshold, rules)
        losers: list[str] = []
        record = None
        if not winners:
            losers, record = _losers(tally, threshold, rules, tiebreaker, number)
        inactive = piles.inactive_snapshot()
        rounds.append(
            Round(
                number=number,
                tally=tally,
                threshold=threshold,
                elected=winners,
                eliminated=tuple(losers),
                transfers={} if number == rules.stop_after_round else piles.remove(losers),
                exhausted=sum(inactive.values()),
                inactive=inactive,
                tiebreaks=(record,) if record else (),
            )
        )
        if rules.stop_after_round is not None and number >= rules.stop_after_round:
            break
    return Result(winners, tuple(rounds), rules, profile.candidates, profile.total)


def _recomputed(rules: Rules) -> bool:
    return rules.bottoms_up_percentage is not None and not rules.threshold_from_first_round


def _threshold(total: int, rules: Rules) -> Number:
    if rules.bottoms_up_percentage is None:
        return display_quota(total, rules)
    return total * rules.bottoms_up_percentage / 100


def _winners(tally: dict[str, int], threshold: Number, rules: Rules) -> tuple[str, ...]:
    write_in = rules.write_in
    if write_in is not None and tally.get(write_in, 0) > 0:
        return ()
    if rules.bottoms_up_percentage is not None:
        everyone_over = all(votes > threshold for votes in tally.values())
        return tuple(tally) if everyone_over else ()
    return tuple(tally) if len(tally) <= rules.seats else ()


def _losers(
    tally: dict[str, int],
    threshold: Number,
    rules: Rules,
    tiebreaker: TieBreaker,
    number: int,
) -> tuple[list[str], TieBreakRecord | None]:
    write_in = rules.write_in
    if write_in is not None and tally.get(write_in, 0) > 0:
        return [write_in], None
    if rules.cutoff_elimination and rules.bottoms_up_percentage is not None:
        below = [name for name, votes in tally.items() if votes < threshold]
        if below and len(below) < len(tally):
            return below, None
    if rules.batch_elimination:
        group = batch_group(tally, keep_two=False)
        if group:
            return group, None
    loser, record = lowest(tally, tiebreaker, number)
    return [loser], record
