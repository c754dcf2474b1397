"""Multi-pass IRV (RCTab ``multiPassIrv``): fill several seats one IRV count at a time.

Seat 1 goes to the winner of an ordinary single-seat IRV count over all the ballots; for each
further seat the count is run again from scratch over the same ballots with every earlier
winner excluded (their marks still count as marks when a ballot is read). Each pass has its
own tie-break generator, seeded afresh from ``rules.seed``, as RCTab does. The result lists the
winners in seat order and keeps every pass (``Result.passes``) with its own rules and rounds.
"""

from __future__ import annotations

from dataclasses import replace

from counting import irv
from counting.ballots import Profile
from counting.result import Result
from counting.rules import Method, Rules


def count(profile: Profile, rules: Rules) -> Result:
    """Fill ``rules.seats`` seats, one single-seat IRV pass per seat."""
    winners: list[str] = []
    passes: list[Result] = []
    standing = [c for c in profile.candidates if c not in rules.excluded]
    for _ in range(min(rules.seats, len(standing))):
        single = replace(
            rules, method=Method.IRV, seats=1, excluded=rules.excluded | frozenset(winners)
        )
        result = irv.count(profile, single)
        passes.append(result)
        if not result.winners:
            break
        winners.append(result.winners[0])
    return Result(
        tuple(winners), (), rules, profile.candidates, profile.total, passes=tuple(passes)
    )
