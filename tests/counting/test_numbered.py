"""``NumberedProfile``: ballots as candidate numbers count exactly as the same ballots by name.

The BLT reader hands plain files to the count as numbers (``counting/numbered.py``), and the
IRV and STV piles read the numbers without ever building names. These tests hold that road to
the named one: same profile, same result dictionary, for every method and the reading rules
that touch plain ballots (repeated names, withdrawn candidates, blank ballots).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.formats import BallotFileError, blt_ballots, parse_blt
from counting.formats.blt_ballots import _unit_lines
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


# -- the bulk reader of lines of weight 1 (``blt_ballots._unit_lines``) --------------------

TOKENS = ["0", "1", "2", "3", "4", "01", "", "1\t", "#", "-", "1=2", "0\n1"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TOKENS), max_size=6).map(" ".join), max_size=6))
def test_the_bulk_reader_takes_exactly_the_lines_of_weight_one(raws: list[str]) -> None:
    """Random lines, mostly malformed: read in bulk exactly when every line is
    ``1 n ... n 0`` with numbers 1..3, and then into the numbers a line-by-line split gives."""
    grammar = re.compile(r"1(?: [1-3])* 0")
    lines = _unit_lines(raws, 3)
    if raws and all(grammar.fullmatch(raw) for raw in raws):
        expected = [[0, *map(int, raw.split()[1:])] for raw in raws]
        assert lines is not None
        assert [list(line) for line in lines] == expected
    else:
        assert lines is None


def test_the_bulk_reader_reads_chunk_by_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    raws = ["1 1 0", "1 2 3 0", "1 0", "1 3 0", "1 2 0"]
    whole = _unit_lines(raws, 3)
    monkeypatch.setattr(blt_ballots, "_CHUNK", 2)
    assert _unit_lines(raws, 3) == whole == [b"\0\1\0", b"\0\2\3\0", b"\0\0", b"\0\3\0", b"\0\2\0"]
    assert _unit_lines([*raws, "1 1 2"], 3) is None  # a last chunk without its closing 0
    assert _unit_lines(["1 1 2", *raws], 3) is None


def test_the_bulk_reader_maps_numbers_of_two_digits_and_keeps_blank_lines() -> None:
    assert _unit_lines(["1 12 10 0", "1 0", "1 9 0"], 12) == [b"\0\x0c\x0a\0", b"\0\0", b"\0\x09\0"]
    assert _unit_lines(["1 13 0"], 12) is None
    assert _unit_lines([], 3) is None


UNIT = '3 2\n1 1 3 0\n1 2 0\n1 0\n1 1 3 0\n1 3 2 2 0\n0\n"Ann"\n"Bob"\n"Cat"\n"T"\n'


@pytest.mark.parametrize("method", [Method.IRV, Method.STV])
def test_a_file_of_weight_one_lines_is_read_in_bulk_and_counts_as_by_name(method: Method) -> None:
    fast = parse_blt(UNIT).profile
    slow = parse_blt(UNIT.replace("1 2 0\n", "1 2 0 # by post\n")).profile
    assert isinstance(fast, NumberedProfile)
    assert [list(line) for line in fast.lines] == [[0, 1, 3, 0], [0, 2, 0], [0, 0], [0, 3, 2, 2, 0]]
    assert fast.counts == (2, 1, 1, 1)
    assert fast == slow
    for repeats in (True, False):
        rules = Rules(method=method, seats=2 if method is Method.STV else 1)
        rules = replace(rules, exhaust_on_duplicate=repeats)
        assert count(fast, rules).to_dict() == count(slow, rules).to_dict()


def test_more_candidates_than_a_byte_holds_are_read_as_lists_of_numbers() -> None:
    size = 300
    names = "".join(f'"C{n}"\n' for n in range(1, size + 1))
    text = f'{size} 1\n1 300 255 0\n1 2 0\n1 300 255 0\n0\n{names}"T"\n'
    profile = parse_blt(text).profile
    assert isinstance(profile, NumberedProfile)
    assert profile.lines == ([1, 300, 255, 0], [1, 2, 0])
    assert profile.counts == (2, 1)
    assert count(profile, Rules()).winners == ("C300",)


@settings(max_examples=60, deadline=None)
@given(numbered(), st.booleans(), st.sampled_from(list(StvVariant)))
def test_blt_text_read_in_bulk_counts_as_read_line_by_line(
    groups: Groups, unit: bool, variant: StvVariant
) -> None:
    """Render random groups as BLT (one line per ballot when ``unit``, else weighted lines),
    read them by the fast and by the line-by-line road: same profile, same STV count."""
    names, lines, counts = groups
    rows = [" ".join(map(str, line[1:])) for line in lines]
    body = (
        [f"1 {row}" for row, n in zip(rows, counts, strict=True) for _ in range(n)]
        if unit
        else [f"{n} {row}" for row, n in zip(rows, counts, strict=True)]
    )
    quoted = "".join(f'"{name}"\n' for name in names)
    text = f"{len(names)} 2\n" + "\n".join(body) + f'\n0\n{quoted}"T"\n'
    fast = parse_blt(text).profile
    first, second, rest = text.split("\n", 2)
    slow = parse_blt(f"{first}\n{second} # a comment\n{rest}").profile  # line by line
    assert isinstance(fast, NumberedProfile)
    assert not isinstance(slow, NumberedProfile)
    assert fast == slow
    if fast.any_marks():
        rules = Rules(method=Method.STV, seats=2, stv_variant=variant)
        assert count(fast, rules).to_dict() == count(slow, rules).to_dict()


@pytest.mark.parametrize("weight", ["1", "2"])
def test_a_given_line_holding_a_line_break_is_not_read_as_two(weight: str) -> None:
    """An iterable of lines whose item holds a line break: refused (never one ballot lost)."""
    lines = ["2 1", f"{weight} 1 0\n1 2 0", "0", '"A"', '"B"', '"T"']
    with pytest.raises(BallotFileError, match="line 2"):
        parse_blt(lines)
