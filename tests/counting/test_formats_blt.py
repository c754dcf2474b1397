"""BLT ballot files: reading (with OpenSTV/droop tolerances), writing, and precise errors."""

from __future__ import annotations

from fractions import Fraction

import pytest

from counting.ballots import OVERVOTE, Ballot, Profile
from counting.formats import BallotFile, BallotFileError, parse_blt, write_blt
from counting.rules import Method, Rules

# The example of Hill, Wichmann & Woodall (1987), as droop documents it.
HWW = """4 2
-2
3 1 3 4 0
4 1 3 2 0
2 4 1 3 0
1 2 0
2 2 4 3 1 0
1 3 4 2 0
0
"Adam"
"Basil"
"Charlotte"
"Donald"
"Title"
"""


def test_reads_the_reference_example() -> None:
    file = parse_blt(HWW)
    assert file.profile.candidates == ("Adam", "Basil", "Charlotte", "Donald")
    assert file.seats == 2
    assert file.title == "Title"
    assert file.withdrawn == ("Basil",)
    assert file.profile.total == 13
    first = file.profile.ballots[0]
    assert first == Ballot((("Adam",), ("Charlotte",), ("Donald",)), 3)


def test_withdrawn_candidates_are_excluded_from_the_count_rules() -> None:
    rules = parse_blt(HWW).rules_for_count()
    assert rules.excluded == frozenset({"Basil"})
    assert rules.method is Method.STV
    assert rules.seats == 2


def test_comments_blank_lines_ids_skips_and_equal_ranks() -> None:
    text = """\ufeff# a comment line
    3 1   # three candidates, one seat

    (b1) 1 1=2 - 3 0   # ballot id, equal ranking, skipped rank
    2 3 0
    1 0
    0
    "A #1" "B"   # two names on one line, a hash inside quotes
    C
    "Election"
    """
    file = parse_blt(text)
    assert file.profile.candidates == ("A #1", "B", "C")
    assert file.title == "Election"
    rankings = {b.ranking: b.count for b in file.profile.ballots}
    assert rankings == {(("A #1", "B"), (), ("C",)): 1, (("C",),): 2, (): 1}


def test_ballots_with_identical_rankings_are_grouped() -> None:
    file = parse_blt('2 1\n1 1 2 0\n1 1 2 0\n3 2 0\n0\n"A"\n"B"\n')
    assert {b.ranking: b.count for b in file.profile.ballots} == {
        (("A",), ("B",)): 2,
        (("B",),): 3,
    }
    assert file.title is None


def test_trailing_skipped_ranks_are_dropped() -> None:
    file = parse_blt('2 1\n1 1 - - 0\n0\n"A"\n"B"\n""\n')
    assert file.profile.ballots[0].ranking == (("A",),)
    assert file.title is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, "the file is empty"),
        ("3\n", 1, "expected 'candidates seats'"),
        ("x 1\n", 1, "expected 'candidates seats' (two whole numbers, e.g. '6 3'), found 'x 1'"),
        ("0 1\n", 1, "number of candidates must be at least 1"),
        ("2 0\n", 1, "number of seats must be at least 1"),
        ('2 1\n-3\n0\n"A"\n"B"\n', 2, "candidate number 3 is not between 1 and 2"),
        ('2 1\n-1 2\n0\n"A"\n"B"\n', 2, "withdrawn candidates are written -n, found '2'"),
        ('2 1\n1 1 2\n0\n"A"\n"B"\n', 2, "expected a ballot line ending in 0"),
        ('2 1\n1\n0\n"A"\n"B"\n', 2, "expected a ballot line ending in 0"),
        ('2 1\n0 1 0\n0\n"A"\n"B"\n', 2, "expected a ballot weight of at least 1, found 0"),
        ('2 1\n1.5 1 0\n0\n"A"\n"B"\n', 2, "ballot weight (a whole number), found '1.5'"),
        ('2 1\n1 1 3 0\n0\n"A"\n"B"\n', 2, "candidate number 3 is not between 1 and 2"),
        ('2 1\n1 1=x 0\n0\n"A"\n"B"\n', 2, "a candidate number (a whole number), found 'x'"),
        ('2 1\n(id)\n0\n"A"\n"B"\n', 2, "a ballot id with no ballot after it"),
        ('2 1\n(id) 2 1 0\n0\n"A"\n"B"\n', 2, "expected weight 1 after the ballot id"),
        ('2 1\n1 1 0 2 0\n0\n"A"\n"B"\n', 2, "found a 0 inside a ballot line"),
        ("2 1 1\n", 1, "expected 'candidates seats' (two whole numbers"),
        ('2 1\n[droop meek]\n0\n"A"\n"B"\n', 2, "droop's own counting rules"),
        ('2 1\n[frob 1]\n0\n"A"\n"B"\n', 2, "unknown option [frob]"),
        ('2 1\n[tie 1 2\n0\n"A"\n"B"\n', 2, "closed on the same line"),
        ('2 1\n[tie 1]\n0\n"A"\n"B"\n', 2, "expected [tie] to list each of the 2 candidates"),
        ('2 1\n[withdrawn Zed]\n0\n"A"\n"B"\n', 2, "number, nickname or name, found 'Zed'"),
        ('2 1\n[nick a]\n0\n"A"\n"B"\n', 2, "expected 2 nicknames in [nick]"),
        ('2 1\n[nick a A]\n0\n"A"\n"B"\n', 2, "nickname 'A' is not unique"),
        ('2 1\n[nick a b]\n1 a c 0\n0\n"A"\n"B"\n', 3, "number or nickname, found 'c'"),
        ("2 1\n1 1 0\n", 2, "the file ends before the end-of-ballots 0"),
        ('2 1\n1 1 0\n0\n"A"\n', 4, "expected 2 candidate names after the ballots, found 1"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n', 5, "candidate 'A' is listed twice"),
        ('2 1\n1 1 0\n0\n"A"\n""\n', 5, "expected a candidate name, found an empty one"),
        ('2 1\n1 1 0\n0\n"A" x\n"B"\n', 4, "unexpected text outside quotes: 'x'"),
        ('2 1\n1 1 0\n0\n"A\n"B"\n', 4, "unbalanced quote"),
    ],
)
def test_errors_name_the_line_and_the_fault(text: str, line: int | None, message: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        parse_blt(text)
    assert caught.value.line == line
    assert message in str(caught.value)
    if line is not None:
        assert str(caught.value).startswith(f"line {line}: ")


def test_round_trip_keeps_every_ballot_and_the_withdrawn() -> None:
    original = parse_blt(HWW)
    again = parse_blt(write_blt(original))
    assert again == original


def test_round_trip_of_equal_ranks_skips_and_blank_ballots() -> None:
    profile = Profile(
        ("A", "B", "C"),
        (
            Ballot((("A", "B"), (), ("C",)), 2),
            Ballot((), 4),
            Ballot((("C",), ("A",)), 1),
        ),
    )
    file = BallotFile(profile, title="Branch secretary", seats=1)
    text = write_blt(file)
    assert "2 1=2 - 3 0" in text
    assert "4 0" in text.splitlines()
    assert parse_blt(text) == file


def test_writer_records_rules_exclusions_as_withdrawn() -> None:
    profile = Profile.from_rankings(["A", "B", "C"], [["A", "B"], ["C"]])
    file = BallotFile(profile, rules=Rules(excluded=frozenset({"C"})))
    assert write_blt(file).splitlines()[1] == "-3"
    assert parse_blt(write_blt(file)).withdrawn == ("C",)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            BallotFile(Profile(("A",), (Ballot(((OVERVOTE,),)),))),
            "overvote recorded without its names",
        ),
        (
            BallotFile(Profile(("A",), (Ballot((("A",),), 1, "mps"),), {"mps": Fraction(1)})),
            "sections",
        ),
        (BallotFile(Profile.from_rankings(['A "the axe"'], [])), "quotes"),
    ],
)
def test_writer_refuses_what_blt_cannot_hold(file: BallotFile, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        write_blt(file)


def test_ballot_file_rejects_bad_seats_and_unknown_withdrawn() -> None:
    profile = Profile.from_rankings(["A"], [["A"]])
    with pytest.raises(ValueError, match="seats must be at least 1"):
        BallotFile(profile, seats=0)
    with pytest.raises(ValueError, match="not on the list: Z"):
        BallotFile(profile, withdrawn=("Z",))


def test_error_without_location_has_a_plain_message() -> None:
    error = BallotFileError(None, "the file is empty")
    assert str(error) == "the file is empty"
    assert error.line is None
    assert BallotFileError("ballots[2]", "bad").line is None
