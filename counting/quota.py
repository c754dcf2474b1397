"""Quotas (thresholds) for multi-seat counts, in exact arithmetic.

Each function takes the vote total ``votes`` that the rules name (RCTab: the round-1 total of
all tallies; Scottish rule 46: the valid ballot papers) and returns the quota as an exact
``Fraction`` (whole-vote quotas are whole Fractions). The STV counts convert it to their own
integer units, so the rounding here is the only rounding a quota ever sees.
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor

from counting.rules import Quota


def droop(votes: Fraction | int, seats: int) -> Fraction:
    """floor(V / (S + 1)) + 1 — whole votes (Scottish rule 46; RCTab's default threshold)."""
    return Fraction(floor(Fraction(votes) / (seats + 1)) + 1)


def droop_fractional(votes: Fraction | int, seats: int, places: int) -> Fraction:
    """truncate(V / (S + 1), d) + 10^-d (RCTab ``nonIntegerWinningThreshold``)."""
    unit = Fraction(1, 10**places)
    return floor(Fraction(votes) / (seats + 1) / unit) * unit + unit


def hare(votes: Fraction | int, seats: int) -> Fraction:
    """V / S rounded up to a whole vote (RCTab ``hareQuota``)."""
    return Fraction(ceil(Fraction(votes) / seats))


def quota(kind: Quota, votes: Fraction | int, seats: int, places: int) -> Fraction:
    """The quota ``kind`` for ``votes`` and ``seats`` (``places`` only matters when fractional)."""
    if kind is Quota.DROOP_FRACTIONAL:
        return droop_fractional(votes, seats, places)
    if kind is Quota.HARE:
        return hare(votes, seats)
    return droop(votes, seats)
