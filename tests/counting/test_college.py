"""Labour's weighted electoral college: points per section, more than 50 points wins."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from counting.ballots import Ballot, Profile, normalise_ranking
from counting.college import section_points
from counting.engine import count
from counting.result import EXHAUSTED
from counting.rules import Method, Rules, TieBreak

DATA = Path(__file__).resolve().parents[1] / "data"
COLLEGE = Rules(method=Method.COLLEGE)


def small_college() -> Profile:
    """MPs (weight 1): 3 A, 1 B. Members (weight 2): 2 B, 2 C→B... affiliates (weight 1)."""
    ballots = [
        Ballot.of("A", count=3, section="mps"),
        Ballot.of("B", count=1, section="mps"),
        Ballot.of("B", count=4, section="members"),
        Ballot.of("C", "A", count=4, section="members"),
        Ballot.of("C", count=2, section="affiliates"),
        Ballot.of("A", count=2, section="affiliates"),
    ]
    return Profile.from_ballots("ABC", ballots, {"mps": 1, "members": 2, "affiliates": 1})


def test_weights_are_normalised_to_100_points() -> None:
    points = section_points(small_college())
    assert points == {"mps": 25, "members": 50, "affiliates": 25}
    unweighted = Profile.from_ballots(
        "AB", [Ballot.of("A", section="x"), Ballot.of("B", section="y")]
    )
    assert section_points(unweighted) == {"x": 50, "y": 50}


def test_scores_are_section_shares_times_points() -> None:
    result = count(small_college(), COLLEGE)
    first = result.rounds[0]
    # A: 3/4 × 25 + 0 + 2/4 × 25 = 31.25; B: 1/4 × 25 + 4/8 × 50 = 31.25; C: 25 + 12.5.
    assert first.tally == {"A": Fraction(125, 4), "B": Fraction(125, 4), "C": Fraction(75, 2)}
    assert first.sections == {
        "mps": {"A": 3, "B": 1, "C": 0},
        "members": {"A": 0, "B": 4, "C": 4},
        "affiliates": {"A": 2, "B": 0, "C": 2},
    }
    assert first.threshold == 50
    assert first.elected == ()


def test_lowest_is_excluded_and_ties_follow_the_rules() -> None:
    rules = Rules(method=Method.COLLEGE, tiebreak=TieBreak.CANDIDATE_ORDER)
    result = count(small_college(), rules)
    first = result.rounds[0]
    assert first.eliminated == ("B",)
    assert first.tiebreaks[0].tied == ("A", "B")
    second = result.rounds[1]
    # B's MPs' and members' ballots exhaust: A has all the MPs left, C all the members.
    assert second.tally == {"A": 25 + Fraction(25, 2), "C": 50 + Fraction(25, 2)}
    assert second.elected == ("C",)
    # No ballot moved to A or C: B's ballots all exhausted (6.25 + 25 points) ...
    assert first.transfers == {"B": {EXHAUSTED: Fraction(125, 4)}}
    # ... and the MPs' and members' points were re-shared over their remaining ballots.
    assert first.renormalised == {"A": Fraction(25, 4), "C": 25}
    assert first.to_dict()["renormalised"] == {"A": "6.25", "C": "25"}
    assert second.note == "C elected with more than 50 points"
    assert result.winners == ("C",)


def test_next_tally_is_tally_plus_ballot_transfers_plus_renormalisation() -> None:
    ballots = [
        Ballot.of("A", "B", count=3, section="s"),
        Ballot.of("C", "A", count=2, section="s"),
        Ballot.of("C", count=1, section="s"),
        Ballot.of("B", count=2, section="t"),
        Ballot.of("C", "B", count=1, section="t"),
    ]
    profile = Profile.from_ballots("ABC", ballots, {"s": 2, "t": 1})
    result = count(profile, COLLEGE)
    first, second = result.rounds[0], result.rounds[1]
    (loser,) = first.eliminated
    moved = first.transfers[loser]
    for name, points in second.tally.items():
        gain = Fraction(moved.get(name, 0)) + Fraction(first.renormalised.get(name, 0))
        assert points == first.tally[name] + gain


def test_exactly_fifty_points_is_not_enough_but_a_final_pair_is_decided() -> None:
    ballots = [
        Ballot.of("A", section="s"),
        Ballot.of("B", section="s"),
        Ballot.of("C", "A", section="t"),
    ]
    profile = Profile.from_ballots("ABC", ballots, {"s": 1, "t": 1})
    result = count(profile, Rules(method=Method.COLLEGE, tiebreak=TieBreak.CANDIDATE_ORDER))
    first = result.rounds[0]
    assert first.tally == {"A": 25, "B": 25, "C": 50}
    assert first.elected == ()
    assert result.winners == ("C",) or result.winners == ("A",)
    assert result.rounds[-1].elected == result.winners


def test_a_section_that_runs_dry_scores_nobody() -> None:
    """s is worth 75 points (A 3, B 2 → 45, 30), t 25 (C alone). C goes; t runs dry and its
    25 points go nowhere; of the last two, neither passes 50 and A, with more, wins."""
    ballots = [
        Ballot.of("A", count=3, section="s"),
        Ballot.of("B", count=2, section="s"),
        Ballot.of("C", count=1, section="t"),
    ]
    profile = Profile.from_ballots("ABC", ballots, {"s": 3, "t": 1})
    result = count(profile, COLLEGE)
    first, last = result.rounds
    assert first.tally == {"A": 45, "B": 30, "C": 25}
    assert first.eliminated == ("C",)
    assert first.transfers == {"C": {EXHAUSTED: 25}}
    assert last.tally == {"A": 45, "B": 30}
    assert last.sections["t"] == {"A": 0, "B": 0}
    assert last.exhausted == 1
    assert result.winners == ("A",)
    assert last.note.startswith("A elected with the most points of the last two (50 or fewer")


def test_a_tied_final_pair_is_a_winner_tie_break() -> None:
    ballots = [Ballot.of("A", section="s"), Ballot.of("B", section="s")]
    profile = Profile.from_ballots("AB", ballots, {"s": 1})
    result = count(profile, Rules(method=Method.COLLEGE, tiebreak=TieBreak.CANDIDATE_ORDER))
    assert result.winners == ("A",)
    assert result.rounds[0].tiebreaks[0].selecting == "winner"
    assert result.rounds[0].note == "the last two are tied on 50 points: A elected by tie-break"


def test_labour_2010_mps_section_alone() -> None:
    data = json.loads((DATA / "ballots" / "labour2010_mps_section.json").read_text())
    ballots = [Ballot(normalise_ranking(b["ranking"]), b["count"]) for b in data["ballots"]]
    profile = Profile.from_ballots(data["candidates"], ballots)
    result = count(profile, COLLEGE)
    derived = data["derived_check"]["rounds"]
    assert len(result.rounds) == len(derived)
    for ours, theirs in zip(result.rounds, derived, strict=True):
        assert ours.sections["all"] == theirs["tally"]
        live = theirs["continuing_total"]
        assert ours.tally == {k: Fraction(100 * v, live) for k, v in theirs["tally"].items()}
        assert ours.exhausted == theirs["exhausted"]
    assert result.rounds[0].sections["all"] == data["official"]["round1_mps_section"]
    assert result.rounds[-1].sections["all"] == data["official"]["final_round_mps_section"]
    eliminated = [name for r in result.rounds for name in r.eliminated]
    assert eliminated == data["official"]["order_of_elimination"]
    assert result.winners == ("D.Milbnd",)
