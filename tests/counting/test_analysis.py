"""Analyses: plurality, head-to-head (Condorcet), transfer matrix, and what-if-withdrawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counting import analysis, engine
from counting.ballots import OVERVOTE, Ballot, Profile
from counting.formats import parse_ballot_file
from counting.result import EXHAUSTED
from counting.rules import Rules, TieBreak

LABOUR = Path(__file__).resolve().parents[1] / "data" / "ballots" / "labour2010_mps_section.json"


def _profile(*groups: tuple[int, str]) -> Profile:
    """``(count, "ABC")``: ``count`` ballots ranking A, then B, then C."""
    names = sorted({c for _, order in groups for c in order})
    ballots = [Ballot.of(*order, count=count) for count, order in groups]
    return Profile.from_ballots(names, ballots)


def test_first_preferences_count_single_first_marks() -> None:
    profile = Profile(
        ("A", "B", "C"),
        (
            Ballot.of("A", "B", count=4),
            Ballot(((), ("B",)), 3),
            Ballot((("A", "C"),), 2),
            Ballot(((OVERVOTE,),), 1),
            Ballot((), 5),
        ),
    )
    first = analysis.first_preferences(profile)
    assert first.tally == {"A": 4, "B": 3, "C": 0}
    assert (first.overvoted, first.blank) == (3, 5)
    assert first.winner == "A"
    assert first.tied == ()
    assert first.to_dict()["tally"] == {"A": "4", "B": "3", "C": "0"}


def test_first_preferences_tie_has_no_winner() -> None:
    first = analysis.first_preferences(_profile((2, "AB"), (2, "BA"), (1, "C")))
    assert first.winner is None
    assert first.tied == ("A", "B")


def test_first_preferences_with_no_votes() -> None:
    first = analysis.first_preferences(Profile(("A", "B"), (Ballot((), 2),)))
    assert (first.winner, first.tied) == (None, ())


def test_pairwise_matrix_and_condorcet_winner_and_loser() -> None:
    # C is the compromise: beats A 6-3 and B 7-2; A beats B 5-4, so B loses to both.
    profile = _profile((3, "ACB"), (2, "BCA"), (2, "CBA"), (2, "CAB"))
    result = analysis.pairwise(profile)
    assert result.wins["A"]["C"] == 3
    assert result.wins["C"]["A"] == 6
    assert result.wins["C"]["B"] == 7
    assert result.wins["A"]["B"] == 5
    assert result.wins["B"]["A"] == 4
    assert result.condorcet_winner == "C"
    assert result.condorcet_loser == "B"
    assert result.beats("C", "A")
    assert result.to_dict()["wins"]["C"]["B"] == "7"


def test_unranked_candidates_lose_to_ranked_and_equal_marks_express_nothing() -> None:
    profile = Profile(
        ("A", "B", "C"),
        (Ballot((("A",),), 2), Ballot((("B", "C"),), 1), Ballot(((OVERVOTE,), ("C",)), 1)),
    )
    wins = analysis.pairwise(profile).wins
    assert wins["A"] == {"B": 2, "C": 2}
    assert wins["B"] == {"A": 1, "C": 0}
    assert wins["C"] == {"A": 2, "B": 1}


def test_condorcet_cycle_has_neither_winner_nor_loser() -> None:
    result = analysis.pairwise(_profile((1, "ABC"), (1, "BCA"), (1, "CAB")))
    assert result.condorcet_winner is None
    assert result.condorcet_loser is None


def test_lone_candidate_is_no_condorcet_winner() -> None:
    result = analysis.pairwise(Profile.from_rankings(["A"], [["A"]]))
    assert (result.condorcet_winner, result.condorcet_loser) == (None, None)


def test_transfer_matrix_follows_next_preferences_to_exhaustion() -> None:
    profile = Profile(
        ("A", "B", "C"),
        (
            Ballot.of("A", "B", count=5),
            Ballot((("A",), ("A",), (), ("C",)), 2),
            Ballot((("A",), ("B", "C")), 1),
            Ballot((("A",), (OVERVOTE,)), 1),
            Ballot.of("A", count=3),
            Ballot.of("B", "A", count=4),
            Ballot((("B", "C"),), 9),
        ),
    )
    moves = analysis.transfer_matrix(profile).moves
    assert moves["A"] == {"B": 5, "C": 2, EXHAUSTED: 5}
    assert moves["B"] == {"A": 4, "C": 0, EXHAUSTED: 0}
    assert moves["C"] == {"A": 0, "B": 0, EXHAUSTED: 0}
    assert analysis.transfer_matrix(profile).to_dict()["A"]["B"] == "5"


def test_withdraw_strikes_names_and_closes_ranks_they_held_alone() -> None:
    profile = Profile(
        ("A", "B", "C"),
        (Ballot((("A",), (), ("B",), ("C",)), 2), Ballot((("A", "C"), ("B",)), 1)),
    )
    reduced = analysis.withdraw(profile, ["A"])
    assert reduced.candidates == ("B", "C")
    assert {b.ranking: b.count for b in reduced.ballots} == {
        ((), ("B",), ("C",)): 2,
        (("C",), ("B",)): 1,
    }


def test_withdraw_leaves_no_trailing_skipped_rank() -> None:
    profile = Profile(("A", "B"), (Ballot((("A",), (), ("B",)), 1),))
    assert analysis.withdraw(profile, ["B"]).ballots[0].ranking == (("A",),)


def test_withdraw_rejects_unknown_names_and_withdrawing_everyone() -> None:
    profile = _profile((1, "AB"))
    with pytest.raises(ValueError, match="not a candidate: Z"):
        analysis.withdraw(profile, ["Z"])
    with pytest.raises(ValueError, match="every candidate"):
        analysis.withdraw(profile, ["A", "B"])


def test_what_if_withdrawn_recounts_without_the_candidate() -> None:
    # A leads on first preferences; without C, C's voters go to B, who then wins outright.
    profile = _profile((4, "AB"), (3, "BA"), (2, "CB"))
    rules = Rules(tiebreak=TieBreak.CANDIDATE_ORDER, tiebreak_order=("C", "A", "B"))
    result = analysis.what_if_withdrawn(profile, rules, ["C"])
    assert result.candidates == ("A", "B")
    assert result.winners == ("B",)
    assert result.rules.tiebreak_order == ("A", "B")
    assert result.rounds[0].tally == {"A": 4, "B": 5}


def test_what_if_withdrawn_matches_a_count_of_the_struck_profile() -> None:
    file = parse_ballot_file(LABOUR.read_text(), LABOUR.name)
    rules = file.rules_for_count()
    what_if = analysis.what_if_withdrawn(file.profile, rules, ["D.Milbnd"])
    direct = engine.count(analysis.withdraw(file.profile, ["D.Milbnd"]), rules)
    assert what_if.to_dict() == direct.to_dict()
    assert what_if.winners == ("E.Milbnd",)


def test_labour_2010_analyses() -> None:
    file = parse_ballot_file(LABOUR.read_text(), LABOUR.name)
    report = analysis.analyse(file.profile)
    first = report.first_preferences
    assert first.tally == {
        "D.Abbott": 7,
        "E.Balls": 40,
        "A.Burnhm": 24,
        "D.Milbnd": 111,
        "E.Milbnd": 84,
    }
    assert first.winner == "D.Milbnd"
    # David Miliband won the MPs' section's final round 140-122 over his brother.
    wins = report.pairwise.wins
    assert wins["D.Milbnd"]["E.Milbnd"] > wins["E.Milbnd"]["D.Milbnd"]
    assert sum(report.transfers.moves["D.Abbott"].values()) == 7
    data = json.loads(json.dumps(report.to_dict()))
    assert set(data) == {"first_preferences", "pairwise", "transfers"}
