"""``parse_blt`` on an open file reads exactly what it reads from the file's text.

An open file yields each line with its ending (``\\n``, or ``\\r\\n`` when opened with
``newline=""``); the reader drops that one ending, so the lines take the same roads as the text's
(the bulk reader for lines written the common way: a ``NumberedProfile``) and give the same
``BallotFile``, or the same refusal naming the same line. Random BLT files with ``\\n`` and
``\\r\\n`` endings (mixed, too) are read as text, as an open file in each newline mode, and as
lists of lines with and without their endings.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counting.formats import BallotFile, BallotFileError, parse_blt
from counting.numbered import NumberedProfile

NAMES = ("Ann", "Bob", "Cat", "Dan", "Eve")

Source = str | Iterable[str]
READERS: dict[str, Callable[[str], Source]] = {
    "text": lambda text: text,
    "file, endings kept": lambda text: io.StringIO(text, newline=""),
    "file, endings translated": io.StringIO,
    "lines with endings": lambda text: text.splitlines(keepends=True),
    "lines without endings": str.splitlines,
}


@st.composite
def blt_lines(draw: st.DrawFn) -> list[str]:
    """The lines of a BLT file: weight-1 lines only (the bulk road) or, sometimes, weights,
    skips, equal ranks, comments, blank lines and parties (the other roads)."""
    size = draw(st.integers(2, len(NAMES)))
    plain = draw(st.booleans())
    rank = st.integers(1, size).map(str)
    if not plain:
        rank = st.one_of(rank, st.just("-"), st.tuples(rank, rank).map("=".join))
    ranking = st.lists(rank, max_size=size + 1)
    weight = st.just("1") if plain else st.integers(1, 3).map(str)
    ballot = st.tuples(weight, ranking).map(lambda wr: " ".join([wr[0], *wr[1], "0"]))
    if not plain:
        ballot = st.one_of(ballot, ballot.map(lambda b: f"{b}  # by post"), st.just(""))
    ballots = draw(st.lists(ballot, min_size=1, max_size=12))
    head = [f"{size} {draw(st.integers(1, size))}"]
    if not plain and draw(st.booleans()):
        head.append(f"-{draw(st.integers(1, size))}")
    party = "" if plain else draw(st.sampled_from(["", ' "Red"']))
    names = [f'"{name}"{party}' for name in NAMES[:size]]
    return [*head, *ballots, "0", *names, '"Title"']


@st.composite
def blt_texts(draw: st.DrawFn, lines: st.SearchStrategy[list[str]]) -> str:
    """``lines`` joined with ``\\n`` or ``\\r\\n`` each (the last line's ending optional)."""
    drawn = draw(lines)
    endings = draw(
        st.lists(st.sampled_from(["\n", "\r\n"]), min_size=len(drawn), max_size=len(drawn))
    )
    if draw(st.booleans()):
        endings[-1] = ""
    return "".join(line + end for line, end in zip(drawn, endings, strict=True))


def _read(source: Source) -> BallotFile | str:
    try:
        return parse_blt(source)
    except BallotFileError as error:
        return f"refused: {error}"


def _all_readings(text: str) -> dict[str, BallotFile | str]:
    return {how: _read(reader(text)) for how, reader in READERS.items()}


@settings(max_examples=150, deadline=None)
@given(blt_texts(blt_lines()))
def test_an_open_file_gives_the_same_ballot_file_as_its_text(text: str) -> None:
    readings = _all_readings(text)
    by_text = readings["text"]
    assert isinstance(by_text, BallotFile), by_text
    for how, reading in readings.items():
        assert reading == by_text, how
        assert isinstance(reading, BallotFile)
        assert type(reading.profile) is type(by_text.profile), how  # the same road


@settings(max_examples=100, deadline=None)
@given(blt_texts(blt_lines()), st.data())
def test_an_open_file_is_refused_as_its_text_is_on_the_same_line(
    text: str, data: st.DataObject
) -> None:
    lines = text.splitlines(keepends=True)
    spot = data.draw(st.integers(1, len(lines) - 1))
    bad = data.draw(st.sampled_from(["1 x 0", "1 9 0", "0 1 0", "2 1", '"Zed" "Red" "Blue"']))
    ending = lines[spot][len(lines[spot].rstrip("\r\n")) :]
    broken = "".join([*lines[:spot], bad + ending, *lines[spot + 1 :]])
    readings = _all_readings(broken)
    assert len(set(map(str, readings.values()))) == 1, readings


UNIT = '3 2\n1 1 3 0\n1 2 0\n1 0\n1 1 3 0\n1 3 2 2 0\n0\n"Ann"\n"Bob"\n"Cat"\n"T"\n'


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("newline", [None, ""])
def test_a_file_on_disk_takes_the_bulk_road(
    tmp_path: Path, ending: str, newline: str | None
) -> None:
    path = tmp_path / "unit.blt"
    path.write_bytes(UNIT.replace("\n", ending).encode())
    with path.open(encoding="utf-8", newline=newline) as handle:
        read = parse_blt(handle)
    assert isinstance(read.profile, NumberedProfile)
    assert read == parse_blt(UNIT)
    assert read.title == "T"


@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        (["2 1\r", "1 1 0\r", "0\r", '"A"\r', '"B"\r', '"T"\r'], "T"),  # old Mac endings
        (["2 1\n", "1 1 0\n", "0\n", '"A"\n', '"B"\n', '"T"'], "T"),  # the last without one
    ],
)
def test_one_ending_is_dropped_from_each_given_line(lines: list[str], kept: str) -> None:
    read = parse_blt(lines)
    assert read.title == kept and isinstance(read.profile, NumberedProfile)


@pytest.mark.parametrize("inside", ["1 1 0\n1 2 0\n", "1 1 0\r1 2 0\r\n", "1 1 0\r\n1 2 0"])
def test_a_line_break_besides_the_ending_is_still_refused(inside: str) -> None:
    """Only a line's own ending goes: a given line holding another break is not two lines."""
    with pytest.raises(BallotFileError, match="line 2"):
        parse_blt(["2 1\n", inside, "0\n", '"A"\n', '"B"\n', '"T"\n'])
