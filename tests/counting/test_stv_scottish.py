"""Scottish STV (SSI 2007/42 schedule 1, rules 45–52) on small counts worked by hand."""

from __future__ import annotations

from fractions import Fraction

from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.result import EXHAUSTED, RESIDUAL, Result
from counting.rules import Method, Rules, StvVariant, TieBreak


def scottish(seats: int, **options: object) -> Rules:
    return Rules(method=Method.STV, seats=seats, stv_variant=StvVariant.SCOTTISH, **options)  # type: ignore[arg-type]


def counted(names: str, ballots: list[Ballot], seats: int, **options: object) -> Result:
    return count(Profile.from_ballots(names, ballots), scottish(seats, **options))


def test_surplus_transfer_values_are_truncated_to_five_places() -> None:
    """V = 20, 2 seats: quota floor(20/3)+1 = 7 (rule 46). A has 12, surplus 5; transfer
    value 5 × 1 / 12 = 0.41666… → 0.41666 (rule 48(3)). 8 papers go to B (3.33328), 4 to C
    (1.66664); 5 − 4.99992 = 0.00008 is lost to truncation."""
    ballots = [
        Ballot.of("A", "B", count=8),
        Ballot.of("A", "C", count=4),
        Ballot.of("B"),
        Ballot.of("C", count=4),
        Ballot.of("D", "C", count=2),
        Ballot.of("D", "B"),
    ]
    result = counted("ABCD", ballots, 2)
    first, second, third = result.rounds
    assert first.threshold == 7
    assert first.tally == {"A": 12, "B": 1, "C": 4, "D": 3}
    assert first.elected == ("A",)
    assert first.transfers == {
        "A": {"B": Fraction("3.33328"), "C": Fraction("1.66664"), RESIDUAL: Fraction("0.00008")}
    }
    assert second.tally == {"A": 7, "B": Fraction("4.33328"), "C": Fraction("5.66664"), "D": 3}
    assert second.eliminated == ("D",)
    assert second.transfers == {"D": {"C": 2, "B": 1}}
    assert third.tally["C"] == Fraction("7.66664")
    assert third.elected == ("C",)
    assert third.transfers == {}
    assert result.winners == ("A", "C")


def test_largest_surplus_first_then_the_next_then_exclusions() -> None:
    """V = 25, 3 seats, quota 7. A (10) and B (8) elected at stage 1; A's surplus (3) goes
    first at 0.3, then B's (1) at 0.125 (rule 49(1)); then exclusions; rule 52 fills the last
    seat with C when only C continues."""
    ballots = [
        Ballot.of("A", "C", count=10),
        Ballot.of("B", "D", count=8),
        Ballot.of("C", count=3),
        Ballot.of("D", count=2),
        Ballot.of("E", count=2),
    ]
    result = counted("ABCDE", ballots, 3)
    stages = result.rounds
    assert stages[0].elected == ("A", "B")
    assert stages[0].transfers == {"A": {"C": 3}}
    assert stages[1].tally["C"] == 6
    assert stages[1].transfers == {"B": {"D": 1}}
    assert "surplus of B" in stages[1].note
    assert stages[2].eliminated == ("E",)
    assert stages[2].transfers == {"E": {EXHAUSTED: 2}}
    assert stages[3].eliminated == ("D",)
    assert stages[3].transfers == {"D": {EXHAUSTED: 3}}
    assert stages[4].elected == ("C",)
    assert result.winners == ("A", "B", "C")


def test_non_transferable_papers_of_a_surplus_are_reported_exhausted() -> None:
    """A: 6 papers, 3 with no next preference; quota 5 (V = 12, 1 … 2 seats): surplus 1,
    transfer value 1/6 → 0.16666; 3 papers to B carry 0.49998, 3 would carry 0.49998."""
    ballots = [
        Ballot.of("A", "B", count=3),
        Ballot.of("A", count=3),
        Ballot.of("B", count=3),
        Ballot.of("C", count=3),
    ]
    result = counted("ABC", ballots, 2)
    assert result.rounds[0].threshold == 5
    assert result.rounds[0].transfers == {
        "A": {
            "B": Fraction("0.49998"),
            EXHAUSTED: Fraction("0.49998"),
            RESIDUAL: Fraction(4, SCALE),
        }
    }


SCALE = 10**5


def test_exclusion_tie_looks_back_to_the_last_stage_where_they_differed() -> None:
    """Rule 51: X and Y tie on 3 at stage 2; at stage 1 Y had fewer (2 < 3), so Y goes."""
    ballots = [
        Ballot.of("A", count=5),
        Ballot.of("X", count=3),
        Ballot.of("Y", count=2),
        Ballot.of("Z", "Y"),
    ]
    result = counted("AXYZ", ballots, 1)
    assert result.rounds[0].eliminated == ("Z",)
    second = result.rounds[1]
    assert second.tally == {"A": 5, "X": 3, "Y": 3}
    assert second.eliminated == ("Y",)
    (tie,) = second.tiebreaks
    assert (tie.selecting, set(tie.tied), tie.selected) == ("loser", {"X", "Y"}, "Y")
    assert "round 1" in tie.explanation
    assert result.winners == ("A",)


def test_ties_at_every_stage_are_decided_by_a_seeded_lot() -> None:
    ballots = [Ballot.of("A", count=4), Ballot.of("B", count=2), Ballot.of("C", count=2)]
    profile = Profile.from_ballots("ABC", ballots)
    seeds = (0, 123456)  # java.util.Random's first draw for these: index 1, then index 0
    draws = [count(profile, scottish(1, seed=seed)).rounds[0].eliminated for seed in seeds]
    assert draws == [("C",), ("B",)]
    again = count(profile, scottish(1, seed=3))
    assert again.to_dict() == count(profile, scottish(1, seed=3)).to_dict()
    assert "lot" in again.rounds[0].tiebreaks[0].method


def test_equal_surpluses_are_ordered_by_rule_49() -> None:
    """A and B both reach 7 with surplus 2 at stage 1; no earlier stage → lot (rule 49(3))."""
    ballots = [
        Ballot.of("A", "C", count=7),
        Ballot.of("B", "D", count=7),
        Ballot.of("C", count=3),
        Ballot.of("D", count=3),
        Ballot.of("E", count=3),
    ]
    result = counted("ABCDE", ballots, 3, tiebreak=TieBreak.CANDIDATE_ORDER)
    first = result.rounds[0]
    assert first.threshold == 6
    assert first.elected == ("A", "B")
    assert set(first.transfers) == {"A"}
    assert first.tiebreaks[0].selecting == "winner"
    assert set(result.rounds[1].transfers) == {"B"}


def test_last_vacancies_are_filled_without_further_transfers() -> None:
    """Rule 52: two continue for two vacancies at stage 1 after A is elected: both elected."""
    ballots = [Ballot.of("A", "B", count=9), Ballot.of("B", count=2), Ballot.of("C", count=1)]
    result = counted("ABC", ballots, 3)
    assert len(result.rounds) == 1
    assert result.rounds[0].elected == ("A", "B", "C")
    assert result.rounds[0].transfers == {}


def test_fewer_candidates_than_seats_elects_them_all() -> None:
    result = counted("AB", [Ballot.of("A", count=2), Ballot.of("B")], 5)
    assert result.winners == ("A", "B")
