"""Meek STV: keep factors in 10^-9 fixed point, quota recomputed every iteration."""

from __future__ import annotations

from fractions import Fraction

from counting.ballots import OVERVOTE, Ballot, Profile
from counting.engine import count
from counting.meek import TOLERANCE, UNIT, read_statically
from counting.result import EXHAUSTED
from counting.rules import Method, Overvote, Rules, StvVariant


def meek(seats: int, **options: object) -> Rules:
    return Rules(method=Method.STV, seats=seats, stv_variant=StvVariant.MEEK, **options)  # type: ignore[arg-type]


def test_surplus_flows_on_by_keep_factor() -> None:
    """A's 6 ballots go on to C; quota 11/3. A keeps a quota's worth, C reaches the quota."""
    ballots = [Ballot.of("A", "C", count=6), Ballot.of("B", count=3), Ballot.of("C", count=2)]
    result = count(Profile.from_ballots("ABC", ballots), meek(2))
    assert result.winners == ("A", "C")
    first = result.rounds[0]
    assert first.elected == ("A", "C")
    assert first.exhausted == 0
    assert abs(first.tally["A"] - Fraction(11, 3)) < Fraction(1, 10**5)


def test_quota_falls_as_surplus_exhausts() -> None:
    """A's ballots name nobody else: their surplus becomes excess, so the quota falls from 11/3
    towards 2.5 (A keeps 5/12 of each ballot) and B's 3 votes become enough."""
    ballots = [Ballot.of("A", count=6), Ballot.of("B", count=3), Ballot.of("C", count=2)]
    result = count(Profile.from_ballots("ABC", ballots), meek(2))
    assert result.winners == ("A", "B")
    last = result.rounds[-1]
    assert last.threshold is not None
    assert Fraction(5, 2) <= last.threshold <= 3
    assert sum(last.tally.values()) + last.exhausted == 11


def test_exclusion_transfers_are_net_gains() -> None:
    ballots = [
        Ballot.of("A", count=5),
        Ballot.of("B", count=4),
        Ballot.of("C", "B", count=2),
        Ballot.of("C", count=1),
    ]
    result = count(Profile.from_ballots("ABC", ballots), meek(1))
    first = result.rounds[0]
    assert first.eliminated == ("C",)
    assert first.transfers == {"C": {"B": 2, EXHAUSTED: 1}}
    assert result.winners == ("B",)
    assert result.rounds[1].exhausted == 1


def test_elected_candidates_hold_the_quota_after_convergence() -> None:
    ballots = [
        Ballot.of("A", "B", count=40),
        Ballot.of("A", "C", count=20),
        Ballot.of("B", count=10),
        Ballot.of("C", "D", count=15),
        Ballot.of("D", count=14),
        Ballot.of("E", "D", count=9),
    ]
    result = count(Profile.from_ballots("ABCDE", ballots), meek(2))
    assert [r.elected for r in result.rounds] == [("A",), (), ("D",)]
    assert [r.eliminated for r in result.rounds] == [("E",), ("C",), ()]
    for r in result.rounds[:-1]:
        assert r.threshold is not None
        assert 0 <= r.tally["A"] - r.threshold <= Fraction(TOLERANCE, UNIT)
    # The quota falls once C's exclusion sends A's "A C" surplus share to nobody.
    assert result.rounds[2].threshold < result.rounds[1].threshold  # type: ignore[operator]
    for r in result.rounds:
        assert sum(r.tally.values()) + r.exhausted == 108


def test_excluded_candidates_keep_nothing() -> None:
    ballots = [Ballot.of("X", "A", count=5), Ballot.of("B", count=3), Ballot.of("C", count=1)]
    rules = meek(1, excluded=frozenset({"X"}))
    result = count(Profile.from_ballots("ABCX", ballots), rules)
    assert "X" not in result.rounds[0].tally
    assert result.rounds[0].tally["A"] == 5
    assert result.winners == ("A",)


def test_ballots_are_read_once_statically() -> None:
    index = {name: i for i, name in enumerate("ABCD")}
    messy = (("A",), ("B", "C"), ("D",))
    assert read_statically(messy, Rules(overvote=Overvote.SKIP), index) == (0, 3)
    assert read_statically(messy, Rules(overvote=Overvote.EXHAUST), index) == (0,)
    marker = (("A",), (OVERVOTE,), ("D",))
    assert read_statically(marker, Rules(overvote=Overvote.EXHAUST_IF_MULTIPLE), index) == (0,)
    gap = (("A",), (), (), ("B",))
    assert read_statically(gap, Rules(max_skipped_ranks=1), index) == (0,)
    assert read_statically(gap, Rules(max_skipped_ranks=2), index) == (0, 1)
    repeat = (("A",), ("A",), ("B",))
    assert read_statically(repeat, Rules(), index) == (0, 1)
    assert read_statically(repeat, Rules(exhaust_on_duplicate=True), index) == (0,)


def test_ballots_that_read_as_nothing_are_excess_from_the_start() -> None:
    ballots = [
        Ballot((("A", "B"),), 2),
        Ballot.of("A", count=3),
        Ballot.of("B", count=2),
        Ballot(()),
    ]
    result = count(Profile.from_ballots("AB", ballots), meek(1))
    assert result.rounds[0].exhausted == 2
    assert result.winners == ("A",)
    assert result.ballots == 8


def test_last_two_hopefuls_tied_for_the_last_seat_are_a_winner_tie_break() -> None:
    """Three seats, votes for only two candidates: the zero-vote pair tie for the last seat,
    which is a winner tie-break (as in IRV), not an exclusion followed by a default win."""
    ballots = [Ballot.of("B", count=7), Ballot.of("D", count=8)]
    result = count(Profile.from_ballots("ABCD", ballots), meek(3))
    assert set(result.winners[:2]) == {"B", "D"}
    last = result.rounds[-1]
    assert not any(r.eliminated for r in result.rounds)
    (tie,) = last.tiebreaks
    assert (tie.selecting, set(tie.tied)) == ("winner", {"A", "C"})
    assert result.winners[2] == tie.selected
    assert last.tally[tie.selected] == 0
