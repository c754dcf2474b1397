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
from counting.formats import parse_blt
from counting.numbered import NumberedProfile
from counting.rules import Method, Rules, StvVariant, TieBreak

NAMES = ("Ann", "Bob", "Cat", "Dan", "Eve")


@st.composite
def numbered(draw: st.DrawFn) -> tuple[tuple[str, ...], list[tuple[int, ...]], list[int]]:
    size = draw(st.integers(2, len(NAMES)))
    ranking = st.lists(st.integers(0, size - 1), max_size=size + 1).map(tuple)
    groups = draw(st.dictionaries(ranking, st.integers(1, 9), min_size=1, max_size=14))
    return NAMES[:size], list(groups), list(groups.values())


def named(names: tuple[str, ...], rankings: list[tuple[int, ...]], counts: list[int]) -> Profile:
    ballots = [
        Ballot.of(*(names[c] for c in r), count=n) for r, n in zip(rankings, counts, strict=True)
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
    groups: tuple[tuple[str, ...], list[tuple[int, ...]], list[int]],
    rules: Rules,
    data: st.DataObject,
) -> None:
    names, rankings, counts = groups
    fast = NumberedProfile(names, rankings, counts)
    slow = named(names, rankings, counts)
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
    profile = NumberedProfile(("A", "B"), [(1, 0), (), (0,)], [2, 1, 4], checked=True)
    assert "ballots" not in profile.__dict__
    assert profile.total == 7
    assert profile.any_marks()
    assert profile.named(0) == (("B",), ("A",))
    ballots = profile.ballots
    assert ballots == (Ballot.of("B", "A", count=2), Ballot((), 1), Ballot.of("A", count=4))
    assert profile.ballots is ballots
    assert profile != "A"
    with pytest.raises(AttributeError):
        _ = profile.no_such_thing


@pytest.mark.parametrize(
    ("rankings", "counts", "message"),
    [
        ([(0,), (1,)], [1], "2 rankings but 1 counts"),
        ([(0,), (0,)], [1, 2], "listed twice"),
        ([(0,)], [0], "ballot 1: count must be at least 1"),
        ([(0,), (0, 2)], [1, 1], "ballot 2: candidate index 2 is not in 0..1"),
        ([(-1,)], [1], "candidate index -1"),
    ],
)
def test_unchecked_numbers_are_checked(
    rankings: list[tuple[int, ...]], counts: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        NumberedProfile(("A", "B"), rankings, counts)


def test_duplicate_candidates_are_refused_even_when_checked() -> None:
    with pytest.raises(ValueError, match="candidate listed twice"):
        NumberedProfile(("A", "A"), [(0,)], [1], checked=True)


PLAIN = '3 2\n2 1 3 0\n1 2 0\n1 3 1 2 0\n2 1 3 0\n1 0\n0\n"Ann"\n"Bob"\n"Cat"\n"T"\n'


def test_a_plain_blt_file_is_read_as_numbers_and_equals_the_named_reading() -> None:
    fast = parse_blt(PLAIN).profile
    # A comment on a ballot line sends the whole file down the line-by-line road.
    slow = parse_blt(PLAIN.replace("1 2 0\n", "1 2 0 # by post\n")).profile
    assert isinstance(fast, NumberedProfile)
    assert not isinstance(slow, NumberedProfile)
    assert fast.rankings == ((0, 2), (1,), (2, 0, 1), ())
    assert fast.counts == (4, 1, 1, 1)
    assert fast == slow
    rules = Rules(method=Method.STV, seats=2)
    assert count(fast, rules).to_dict() == count(slow, rules).to_dict()


def test_skips_equal_ranks_and_nicknames_still_read_by_name() -> None:
    skipped = parse_blt('2 1\n1 1 - 2 0\n0\n"A"\n"B"\n"T"\n').profile
    equal = parse_blt('2 1\n1 1=2 0\n0\n"A"\n"B"\n"T"\n').profile
    nicknamed = parse_blt('2 1\n[nick a b]\n1 b a 0\n0\n"A"\n"B"\n"T"\n').profile
    assert not isinstance(skipped, NumberedProfile)
    assert skipped.ballots == (Ballot((("A",), (), ("B",))),)
    assert not isinstance(equal, NumberedProfile)
    assert isinstance(nicknamed, NumberedProfile)
    assert nicknamed.ballots == (Ballot.of("B", "A"),)
