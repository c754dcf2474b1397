"""``NumberedProfile``: ballots as candidate numbers count exactly as the same ballots by name.

The BLT reader hands plain files to the count as numbers (``counting/numbered.py``), and the
IRV and STV piles read the numbers without ever building names. These tests hold that road to
the named one: same profile, same result dictionary, for every method and the reading rules
that touch plain ballots (repeated names, withdrawn candidates, blank ballots).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.formats import BallotFileError, parse_blt
from counting.numbered import NumberedProfile
from counting.rules import Method, Rules, StvVariant, TieBreak

NAMES = ("Ann", "Bob", "Cat", "Dan", "Eve")


Groups = tuple[tuple[str, ...], list[list[int]], list[int]]


@st.composite
def numbered(draw: st.DrawFn) -> Groups:
    """Candidates, distinct BLT lines ``[weight, numbers..., 0]`` and their counts."""
    size = draw(st.integers(2, len(NAMES)))
    ranking = st.lists(st.integers(1, size), max_size=size + 1).map(tuple)
    groups = draw(st.dictionaries(ranking, st.integers(1, 9), min_size=1, max_size=14))
    weights = draw(st.lists(st.integers(1, 3), min_size=len(groups), max_size=len(groups)))
    lines = [[w, *r, 0] for w, r in zip(weights, groups, strict=True)]
    return NAMES[:size], lines, list(groups.values())


def named(names: tuple[str, ...], lines: list[list[int]], counts: list[int]) -> Profile:
    ballots = [
        Ballot.of(*(names[c - 1] for c in line[1:-1]), count=n)
        for line, n in zip(lines, counts, strict=True)
    ]
    return Profile(names, tuple(ballots))


RULES = st.builds(
    Rules,
    method=st.sampled_from([Method.IRV, Method.STV, Method.MULTI_PASS_IRV, Method.BOTTOMS_UP]),
    seats=st.integers(1, 3),
    stv_variant=st.sampled_from(list(StvVariant)),
    tiebreak=st.sampled_from([TieBreak.BACKWARD, TieBreak.LOT]),
    seed=st.integers(0, 3),
    exhaust_on_duplicate=st.booleans(),
    batch_elimination=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(numbered(), RULES, st.data())
def test_numbers_count_exactly_as_names(
    groups: Groups,
    rules: Rules,
    data: st.DataObject,
) -> None:
    names, lines, counts = groups
    fast = NumberedProfile(names, lines, counts)
    slow = named(names, lines, counts)
    if not slow.any_marks():
        assert not fast.any_marks()
        return
    withdrawn = data.draw(st.sets(st.sampled_from(names), max_size=len(names) - 1))
    rules = replace(rules, excluded=frozenset(withdrawn))
    assert fast.total == slow.total
    assert count(fast, rules).to_dict() == count(slow, rules).to_dict()
    assert fast == slow  # the named ballots, built on demand, are the same groups in order
    assert slow == fast


def test_named_ballots_are_built_once_and_only_when_asked() -> None:
    profile = NumberedProfile(("A", "B"), [[1, 2, 1, 0], [3, 0], [1, 1, 0]], [2, 1, 4])
    assert "ballots" not in profile.__dict__
    assert profile.total == 7
    assert profile.any_marks()
    assert not NumberedProfile(("A", "B"), [[1, 0]], [2]).any_marks()
    assert profile.named(0) == (("B",), ("A",))
    assert profile.ranking(0) == (1, 0)
    ballots = profile.ballots
    assert ballots == (Ballot.of("B", "A", count=2), Ballot((), 1), Ballot.of("A", count=4))
    assert profile.ballots is ballots
    assert profile != "A"
    with pytest.raises(AttributeError):
        _ = profile.no_such_thing


@pytest.mark.parametrize(
    ("lines", "counts", "message"),
    [
        ([[1, 1, 0], [1, 2, 0]], [1], "2 rankings but 1 counts"),
        ([[1, 1, 0], [2, 1, 0]], [1, 2], "listed twice"),
        ([[1, 1, 0]], [0], "ballot 1: count must be at least 1"),
        ([[1, 1, 0], [1, 1, 3, 0]], [1, 1], "ballot 2: candidate number 3 is not in 1..2"),
        ([[1, 0, 1, 0]], [1], "candidate number 0"),
        ([[1, 1]], [1], r"ballot 1: expected \[weight, numbers..., 0\], found \[1, 1\]"),
        ([[1]], [1], "expected"),
    ],
)
def test_unchecked_numbers_are_checked(
    lines: list[list[int]], counts: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        NumberedProfile(("A", "B"), lines, counts)


def test_duplicate_candidates_are_refused_even_when_checked() -> None:
    with pytest.raises(ValueError, match="candidate listed twice"):
        NumberedProfile(("A", "A"), [[1, 1, 0]], [1], checked=True)


PLAIN = '3 2\n2 1 3 0\n1 2 0\n1 3 1 2 0\n2 1 3 0\n1 0\n0\n"Ann"\n"Bob"\n"Cat"\n"T"\n'


def test_a_plain_blt_file_is_read_as_numbers_and_equals_the_named_reading() -> None:
    fast = parse_blt(PLAIN).profile
    # A comment on a ballot line sends the whole file down the line-by-line road.
    slow = parse_blt(PLAIN.replace("1 2 0\n", "1 2 0 # by post\n")).profile
    assert isinstance(fast, NumberedProfile)
    assert not isinstance(slow, NumberedProfile)
    assert fast.lines == ([2, 1, 3, 0], [1, 2, 0], [1, 3, 1, 2, 0], [1, 0])
    assert fast.counts == (4, 1, 1, 1)
    assert fast == slow
    rules = Rules(method=Method.STV, seats=2)
    assert count(fast, rules).to_dict() == count(slow, rules).to_dict()


@pytest.mark.parametrize(
    ("line", "ballot"),
    [
        ("1 1 - 2 0", Ballot((("A",), (), ("B",)))),  # a skipped rank
        ("1 1=2 0", Ballot((("A", "B"),))),  # equal marks
        ("1 b a 0", Ballot.of("B", "A")),  # nicknames
        ("1  2 1 0", Ballot.of("B", "A")),  # two spaces
        ("1\t2 1 0", Ballot.of("B", "A")),  # a tab
        ("1 02 1 0", Ballot.of("B", "A")),  # a leading zero
        ("1 2 1 0 ", Ballot.of("B", "A")),  # a trailing space
    ],
)
def test_lines_written_another_way_are_read_by_name(line: str, ballot: Ballot) -> None:
    profile = parse_blt(f'2 1\n[nick a b]\n{line}\n0\n"A"\n"B"\n"T"\n').profile
    assert not isinstance(profile, NumberedProfile)
    assert profile.ballots == (ballot,)


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ("1 3 0", "line 2: candidate number 3 is not between 1 and 2"),
        ("0 1 0", "line 2: expected a ballot weight of at least 1, found 0"),
        ("1 1 0 2 0", "line 2: found a 0 inside a ballot line"),
        ("1 1 2", "line 2: expected a ballot line ending in 0"),
        ("3 1 3 0", "line 2: candidate number 3 is not between 1 and 2"),
        ("1 1,2 0", r"line 2: expected a candidate number \(a whole number\), found '1,2'"),
        ("1 [2] 0", r"line 2: expected a candidate number \(a whole number\), found '\[2\]'"),
    ],
)
def test_numbers_the_fast_reader_cannot_take_are_reported_by_line(lines: str, error: str) -> None:
    with pytest.raises(BallotFileError, match=error):
        parse_blt(f'2 1\n{lines}\n0\n"A"\n"B"\n"T"\n')


def test_weights_above_the_candidates_and_merged_lines_are_read_by_number() -> None:
    profile = parse_blt('2 1\n40 1 2 0\n3 2 0\n1 1 2 0\n5 0\n0\n"A"\n"B"\n"T"\n').profile
    assert isinstance(profile, NumberedProfile)
    assert profile.lines == ([40, 1, 2, 0], [3, 2, 0], [5, 0])
    assert profile.counts == (41, 3, 5)


def test_lines_read_by_name_with_one_ranking_are_one_group() -> None:
    profile = parse_blt('2 1\n1 1 - 2 0\n2  1 - 2 0\n0\n"A"\n"B"\n"T"\n').profile
    assert profile.ballots == (Ballot((("A",), (), ("B",)), 3),)


@pytest.mark.parametrize("method", [Method.IRV, Method.STV])
@pytest.mark.parametrize("blank", [True, False])
def test_repeats_that_exhaust_are_read_by_name_from_numbers(method: Method, blank: bool) -> None:
    """Deterministic cover for what the property above reaches only by chance."""
    lines = [[1, 1, 1, 2, 0], [1, 2, 0], [1, 3, 2, 0]] + ([[1, 0]] if blank else [])
    counts = [3, 2, 2] + ([4] if blank else [])
    fast = NumberedProfile(("A", "B", "C"), lines, counts)
    slow = named(("A", "B", "C"), lines, counts)
    for repeats in (True, False):
        rules = Rules(method=method, seats=2 if method is Method.STV else 1)
        rules = replace(rules, exhaust_on_duplicate=repeats)
        assert count(fast, rules).to_dict() == count(slow, rules).to_dict()
