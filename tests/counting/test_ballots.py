"""Ballot and Profile values: grouping, normalising and precise validation errors."""

from __future__ import annotations

import gc
from fractions import Fraction

import pytest

from counting.ballots import OVERVOTE, Ballot, InvalidBallotError, Profile, normalise_ranking


def test_identical_rankings_are_grouped_with_counts() -> None:
    profile = Profile.from_rankings("ABC", [("A", "B"), ("A", "B"), ("C",), ("A", "B")])
    assert sorted((b.ranking, b.count) for b in profile.ballots) == [
        ((("A",), ("B",)), 3),
        ((("C",),), 1),
    ]
    assert profile.total == 4


def test_lists_and_generators_group_like_tuples() -> None:
    from_lists = Profile.from_rankings("ABC", (list(r) for r in [["A", "B"], ["A", "B"]]))
    assert from_lists.ballots == (Ballot.of("A", "B", count=2),)


def test_equal_marks_and_blanks_take_the_general_path() -> None:
    profile = Profile.from_rankings("ABC", [["A", ["B", "C"]], ["A", [], "B", []]])
    rankings = {b.ranking for b in profile.ballots}
    assert rankings == {(("A",), ("B", "C")), (("A",), (), ("B",))}


def test_normalise_drops_trailing_blanks_only() -> None:
    assert normalise_ranking(["A", [], "B", [], []]) == (("A",), (), ("B",))


def test_ballot_names_flattens_overvotes() -> None:
    assert Ballot((("A", "B"), (), ("C",))).names() == ("A", "B", "C")


def test_grouping_restores_the_garbage_collector() -> None:
    assert gc.isenabled()
    Profile.from_rankings("AB", [("A",)] * 10)
    assert gc.isenabled()


def test_from_ballots_merges_same_ranking_and_section() -> None:
    ballots = [Ballot.of("A", section="mps"), Ballot.of("A", count=2, section="mps")]
    profile = Profile.from_ballots("AB", ballots, sections={"mps": 1})
    assert profile.ballots == (Ballot.of("A", count=3, section="mps"),)
    assert profile.sections == {"mps": Fraction(1)}


def test_unknown_candidate_names_the_ballot_and_rank() -> None:
    with pytest.raises(InvalidBallotError, match=r"ballot 2: rank 2: unknown candidate 'Kendal'"):
        Profile.from_rankings("AB", [("A",), ("A", "Kendal")])


def test_error_without_a_ballot_index_has_no_prefix() -> None:
    assert str(InvalidBallotError(None, "empty file")) == "empty file"


def test_bad_count_is_rejected() -> None:
    with pytest.raises(InvalidBallotError, match="count must be at least 1, not 0"):
        Profile(("A",), (Ballot.of("A", count=0),))


def test_overvote_marker_cannot_share_a_rank() -> None:
    Profile(("A",), (Ballot(((OVERVOTE,),)),))  # alone: fine
    with pytest.raises(InvalidBallotError, match="cannot share a rank"):
        Profile(("A",), (Ballot(((OVERVOTE, "A"),)),))


def test_section_must_be_declared() -> None:
    with pytest.raises(InvalidBallotError, match="section 'lords' is not one of"):
        Profile.from_ballots("A", [Ballot.of("A", section="lords")], sections={"mps": 1})


def test_plain_rankings_with_sections_are_still_checked() -> None:
    with pytest.raises(InvalidBallotError, match="section None"):
        Profile.from_rankings("A", [("A",)], sections={"mps": 1})


@pytest.mark.parametrize(
    ("candidates", "message"),
    [
        (("A", "A"), "candidate listed twice: A"),
        (("A", ""), "non-empty"),
        (("A", OVERVOTE), "overvote marker"),
    ],
)
def test_bad_candidate_lists(candidates: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Profile(candidates, ())


def test_section_weights_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive weight"):
        Profile(("A",), (), {"mps": Fraction(0)})


def test_validate_can_be_called_again() -> None:
    profile = Profile.from_rankings("AB", [("A",)])
    profile.validate()
    assert profile.total == 1
