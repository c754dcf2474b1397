"""IRV as Labour counts it, its options, and RCTab's ballot-reading rules."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from counting.ballots import OVERVOTE, Ballot, Profile
from counting.bottoms_up import display_quota
from counting.engine import count
from counting.formats.rctab import UnsupportedRules, rules_from_rctab
from counting.reading import BallotReader, Inactive
from counting.result import EXHAUSTED, Round, ballots_in_no_round, format_number, parse_number
from counting.rules import RON, Method, Overvote, Quota, Rules, TieBreak
from counting.tiebreak import TieNeedsDecisionError


def profile(*groups: tuple[int, str], candidates: str = "ABCD") -> Profile:
    """``profile((3, "AB"), (2, "C"))``: 3 ballots A>B, 2 ballots C (one letter per name)."""
    return Profile.from_ballots(list(candidates), [Ballot.of(*r, count=n) for n, r in groups])


def test_exactly_half_is_not_enough() -> None:
    result = count(profile((2, "A"), (1, "B"), (1, "CB"), candidates="ABC"), Rules())
    first = result.rounds[0]
    assert first.threshold == 3
    assert first.elected == ()
    assert first.eliminated == ("C",)
    assert first.transfers == {"C": {"B": 1}}
    assert result.rounds[1].tally == {"A": 2, "B": 2}
    assert len(result.winners) == 1


def test_threshold_falls_as_ballots_exhaust() -> None:
    result = count(profile((4, "A"), (3, "B"), (2, "C"), candidates="ABC"), Rules())
    assert [r.threshold for r in result.rounds] == [5, 4]
    assert result.rounds[1].exhausted == 2
    assert result.rounds[1].inactive[Inactive.EXHAUSTED_CHOICES] == 2
    assert result.rounds[0].transfers == {"C": {EXHAUSTED: 2}}
    assert result.winners == ("A",)


def test_threshold_from_first_round_and_last_two() -> None:
    rules = Rules(threshold_from_first_round=True)
    result = count(profile((4, "A"), (3, "B"), (2, "C"), candidates="ABC"), rules)
    assert [r.threshold for r in result.rounds] == [5, 5]
    assert result.rounds[1].elected == ("A",)  # below 5, but more than B with two left


def test_majority_wins_round_one() -> None:
    result = count(profile((3, "A"), (1, "B"), (1, "C")), Rules())
    assert result.winners == ("A",)
    assert len(result.rounds) == 1
    assert result.rounds[0].tally == {"A": 3, "B": 1, "C": 1, "D": 0}


def test_batch_elimination() -> None:
    p = profile((10, "A"), (8, "B"), (2, "CB"), (1, "DA"))
    batch = count(p, Rules(batch_elimination=True))
    assert set(batch.rounds[0].eliminated) == {"C", "D"}
    single = count(p, Rules())
    assert single.rounds[0].eliminated == ("D",)
    assert batch.winners == single.winners == ("A",)


def test_continue_until_two() -> None:
    p = profile((6, "A"), (2, "B"), (1, "C"), candidates="ABC")
    result = count(p, Rules(continue_until_two=True))
    assert [r.elected for r in result.rounds] == [("A",), (), ()]
    assert [r.eliminated for r in result.rounds] == [(), ("C",), ()]
    assert result.rounds[-1].tally == {"A": 6, "B": 2}
    assert result.winners == ("A",)


def test_continue_until_two_keeps_two_under_batch() -> None:
    p = profile((9, "A"), (3, "B"), (1, "C"), (1, "D"))
    result = count(p, Rules(continue_until_two=True, batch_elimination=True))
    assert result.rounds[0].elected == ("A",)
    assert set(result.rounds[1].eliminated) == {"C", "D"}
    assert result.rounds[-1].tally == {"A": 9, "B": 3}


def test_stop_after_round() -> None:
    result = count(profile((2, "A"), (2, "B"), (1, "C")), Rules(stop_after_round=1))
    assert result.winners == ()
    assert len(result.rounds) == 1
    assert result.rounds[0].transfers == {}


def test_tied_last_two_is_a_winner_tiebreak() -> None:
    p = profile((2, "A"), (2, "B"), candidates="AB")
    result = count(p, Rules(tiebreak=TieBreak.CANDIDATE_ORDER))
    assert result.winners == ("A",)
    assert result.tiebreaks[0].selecting == "winner"


def test_lowest_tie_recorded() -> None:
    p = profile((3, "A"), (2, "B"), (1, "C"), (1, "D"))
    result = count(p, Rules(tiebreak=TieBreak.CANDIDATE_ORDER))
    assert result.rounds[0].eliminated == ("D",)
    assert result.rounds[0].tiebreaks[0].tied == ("C", "D")
    assert result.to_dict()["rounds"][0]["tiebreaks"][0]["selected"] == "D"


def test_ask_stops_at_a_tie() -> None:
    with pytest.raises(TieNeedsDecisionError):
        count(profile((2, "A"), (1, "C"), (1, "D"), candidates="ACD"), Rules(tiebreak=TieBreak.ASK))


def test_excluded_and_write_in() -> None:
    p = profile((3, "WA"), (2, "B"), (1, "C"), candidates="ABCW")
    result = count(p, Rules(write_in="W", excluded=frozenset({"C"})))
    first = result.rounds[0]
    assert "C" not in first.tally
    assert first.elected == ()  # write-ins hold votes: nobody can be elected yet
    assert first.eliminated == ("W",)
    assert first.inactive[Inactive.EXHAUSTED_CHOICES] == 1  # the C ballot
    assert result.winners == ("A",)


def test_ron_can_win() -> None:
    names = ["Kendall", RON]
    p = Profile.from_rankings(names, [[RON]] * 3 + [["Kendall"]] * 2)
    result = count(p, Rules(ron=True))
    assert result.winners == (RON,)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (Rules(ron=True), "RON"),
        (Rules(write_in="Z"), "write-in"),
        (Rules(excluded=frozenset({"Z"})), "not on the ballot"),
        (Rules(excluded=frozenset("ABCD")), "every candidate"),
    ],
)
def test_bad_rules_are_refused(rules: Rules, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        count(profile((1, "A")), rules)


def test_blank_ballots_are_not_counted() -> None:
    p = Profile.from_rankings(["A", "B"], [["A"], [], ["B"], ["A"]])
    result = count(p, Rules())
    assert result.rounds[0].tally == {"A": 2, "B": 1}
    assert result.rounds[0].exhausted == 0
    assert result.ballots == 4


def test_multi_pass_fills_seats_in_turn() -> None:
    p = profile((5, "AB"), (4, "BC"), (3, "CB"), candidates="ABC")
    result = count(p, Rules(method=Method.MULTI_PASS_IRV, seats=2))
    assert result.winners == ("B", "C")
    assert result.passes[1].rules.excluded == frozenset({"B"})
    assert result.to_dict()["passes"][0]["winners"] == ["B"]


def test_multi_pass_stops_when_a_pass_finds_nobody() -> None:
    p = profile((4, "AB"), (4, "BC"), (1, "C"), candidates="ABC")
    result = count(p, Rules(method=Method.MULTI_PASS_IRV, seats=2, stop_after_round=1))
    assert result.winners == ()


def test_bottoms_up_seats() -> None:
    p = profile((5, "A"), (4, "B"), (3, "C"), (1, "DC"))
    result = count(p, Rules(method=Method.BOTTOMS_UP, seats=2))
    assert result.winners == ("A", "B")
    assert result.rounds[0].threshold == 5  # Droop, for information only


def test_bottoms_up_percentage_with_cutoff() -> None:
    p = profile((5, "A"), (4, "B"), (1, "C"), (1, "D"))
    rules = Rules(
        method=Method.BOTTOMS_UP,
        bottoms_up_percentage=Fraction(15),
        cutoff_elimination=True,
        write_in="D",
        batch_elimination=True,
    )
    result = count(p, rules)
    assert result.rounds[0].eliminated == ("D",)  # the write-in pool goes first
    assert result.rounds[1].eliminated == ("C",)  # below 15% of 10
    assert set(result.winners) == {"A", "B"}


def test_bottoms_up_batch_and_stop() -> None:
    p = profile((9, "A"), (8, "B"), (2, "C"), (1, "D"))
    rules = Rules(method=Method.BOTTOMS_UP, bottoms_up_percentage=Fraction(30))
    assert count(p, Rules(**{**rules.__dict__, "batch_elimination": True})).rounds[0].eliminated
    stopped = count(p, Rules(**{**rules.__dict__, "stop_after_round": 1}))
    assert stopped.winners == ()
    assert stopped.rounds[0].transfers == {}


def test_display_quota_variants() -> None:
    assert display_quota(10, Rules(seats=3, quota=Quota.HARE)) == 4
    frac = Rules(seats=2, quota=Quota.DROOP_FRACTIONAL, decimal_places=2)
    assert display_quota(10, frac) == Fraction(334, 100)
    assert display_quota(10, Rules(seats=2)) == 4


# Reading ballots ----------------------------------------------------------------------------


def read(ranking: tuple[tuple[str, ...], ...], continuing: str = "ABCD", **kw: object) -> object:
    return BallotReader(**kw).read(ranking, set(continuing))  # type: ignore[arg-type]


def test_reader_skipped_ranks() -> None:
    gap = ((), (), ("B",))
    assert read(gap, max_skipped_ranks=1) is Inactive.SKIPPED
    assert read(gap, max_skipped_ranks=2) == "B"
    assert read(gap) == "B"


def test_reader_overvotes() -> None:
    over = (("A", "B"), ("C",))
    assert read(over) is Inactive.OVERVOTES
    assert read(over, overvote=Overvote.SKIP) == "C"
    assert read((("A", "B"),), overvote=Overvote.SKIP) is Inactive.EXHAUSTED_CHOICES
    multiple = Overvote.EXHAUST_IF_MULTIPLE
    assert read(over, overvote=multiple) is Inactive.OVERVOTES
    assert read(over, "BC", overvote=multiple) == "B"
    assert read(over, "C", overvote=multiple) == "C"
    assert read(((OVERVOTE,), ("C",)), overvote=multiple) is Inactive.OVERVOTES


def test_reader_duplicates() -> None:
    dup = (("A",), ("A",), ("B",))
    assert read(dup, "B", exhaust_on_duplicate=True) is Inactive.REPEATED
    assert read(dup, "B") == "B"


def test_rctab_mapper_options() -> None:
    base = {
        "winnerElectionMode": "singleWinnerMajority",
        "tiebreakMode": "previousRoundCountsThenRandom",
        "randomSeed": None,
        "maxSkippedRanksAllowed": "unlimited",
        "overvoteRule": "alwaysSkipToNextRank",
        "hareQuota": True,
        "nonIntegerWinningThreshold": False,
        "multiSeatBottomsUpPercentageThreshold": None,
        "summary": "...",
    }
    rules = rules_from_rctab(base, ["A", "B"])
    assert rules.tiebreak is TieBreak.BACKWARD
    assert rules.max_skipped_ranks is None
    assert rules.quota is Quota.HARE
    assert rules.seed == 0
    permuted = rules_from_rctab(
        {"tiebreakMode": "generatePermutation", "randomSeed": 1}, ["A", "B", "C"]
    )
    assert sorted(permuted.tiebreak_order or ()) == ["A", "B", "C"]
    assert rules_from_rctab({"numberOfWinners": 0}, ["A"]).seats == 1


@pytest.mark.parametrize(
    "options",
    [
        {"winnerElectionMode": "multiSeatSequentialWinnerTakesAll"},
        {"tiebreakMode": "previousRoundCountsThenAsk"},
        {"overvoteRule": "ruleUnknown"},
        {"hareQuota": True, "nonIntegerWinningThreshold": True},
        {"someNewOption": 1},
    ],
)
def test_rctab_mapper_refuses_what_it_cannot_do(options: dict[str, object]) -> None:
    with pytest.raises(UnsupportedRules) as info:
        rules_from_rctab(options, ["A"])
    assert info.value.reason


@pytest.mark.parametrize("ballots", [[["W"]], [["A"]]])
def test_only_the_write_in_pool_left_means_no_winner(ballots: list[list[str]]) -> None:
    p = Profile.from_rankings(["A", "W"], ballots)
    result = count(p, Rules(write_in="W", excluded=frozenset({"A"})))
    assert result.winners == ()
    assert len(result.rounds) == 1


def test_round_dict_shows_exact_numbers() -> None:
    result = count(profile((3, "AB"), (2, "B"), (2, "CB"), candidates="ABC"), Rules())
    data = result.to_dict()
    assert data["rounds"][0]["tally"] == {"A": "3", "B": "2", "C": "2"}
    assert data["rounds"][0]["inactive"] == {
        "overvotes": "0",
        "skippedRankings": "0",
        "repeatedRankings": "0",
        "exhaustedChoices": "0",
    }
    assert data["rules"]["method"] == "irv"
    assert data["version"] == result.version
    assert result.rounds[0].continuing_total == 7


def test_rules_round_trip_and_validation() -> None:
    rules = Rules(method=Method.BOTTOMS_UP, bottoms_up_percentage=Fraction(25, 2))
    assert rules.to_dict()["bottoms_up_percentage"] == "25/2"
    assert Rules.from_dict(rules.to_dict()) == rules
    for bad in (
        {"seats": 0},
        {"decimal_places": 13},
        {"max_skipped_ranks": -1},
        {"stop_after_round": 0},
        {"bottoms_up_percentage": Fraction(100)},
    ):
        with pytest.raises(ValueError):
            Rules(**bad)


def test_numbers_serialise_exactly() -> None:
    assert format_number(Fraction(25, 2)) == "12.5"
    assert format_number(Fraction(-3, 8)) == "-0.375"
    assert format_number(Fraction(1, 3)) == "1/3"
    assert format_number(7) == "7"
    assert format_number(Fraction(3, 20)) == "0.15"
    assert parse_number("12.5000") == Fraction(25, 2)
    r = Round(1, {"A": 1}, None, sections={"mps": {"A": Fraction(1, 4)}}, note="why")
    assert r.to_dict()["sections"] == {"mps": {"A": "0.25"}}
    assert r.to_dict()["note"] == "why"
    assert r.to_dict()["threshold"] is None


def test_ballots_in_no_round_are_the_ballots_round_one_does_not_hold() -> None:
    blank = Profile.from_ballots("AB", [Ballot.of("A", count=2), Ballot((), 3), Ballot.of("B")])
    assert ballots_in_no_round(count(blank, Rules())) == 3
    assert (
        ballots_in_no_round(count(blank, Rules(excluded=frozenset({"B"})))) == 3
    )  # B's: exhausted
    assert ballots_in_no_round(count(blank, Rules(method=Method.MULTI_PASS_IRV))) == 3
    assert ballots_in_no_round(count(blank, Rules(method=Method.STV, seats=1))) == 3
    college = Profile.from_ballots(
        "AB", [Ballot.of("A", section="mps"), Ballot.of("B", section="cs")], {"mps": 1, "cs": 1}
    )
    assert ballots_in_no_round(count(college, Rules(method=Method.COLLEGE))) is None
    stv = count(blank, Rules(method=Method.STV, seats=1))
    assert ballots_in_no_round(replace(stv, rounds=(), ballots=6)) is None
    fractional = replace(stv, ballots=Fraction(13, 2))  # type: ignore[arg-type]
    assert ballots_in_no_round(fractional) is None
