"""The ballot lines of a BLT file: identical lines counted, each distinct line parsed once.

Published files repeat lines (a million ballots, a few thousand distinct rankings), so the
reader first counts identical raw lines and only then parses each distinct one. Two ways to
count, same result:

* ``from_text``: plain text in memory (what ``hustings count`` reads) is cut at the closing
  ``0`` by one regular-expression search and counted by ``Counter`` in C, a megabyte of lines
  at a time; the line number of a distinct line is looked up only if it must be reported;
* ``from_lines``: any iterable of lines (an open file, streamed) is counted in a loop of one
  dictionary lookup per line, noting each new line's number.

Either way ``counts`` keeps first-occurrence order, so faults are found in line order.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import itemgetter, mul
from typing import NamedTuple, TypeVar

from counting.ballots import Ranking
from counting.formats.ballot_file import BallotFileError
from counting.formats.blt_lines import BallotLineReader, split_comment
from counting.formats.blt_source import Lines, text_blocks

_T = TypeVar("_T")
_MIDDLE = itemgetter(slice(1, -1))
"""A ballot line's tokens between the weight and the closing 0."""
_END = re.compile(r"\n[ \t]*0[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)")
"""The closing ``0`` line, with the line break before it (a ballot line always has a weight
before its ``0``, so the first such line ends the ballots)."""


class BallotLines(NamedTuple):
    """Raw ballot lines → how often each occurs, in order of first occurrence."""

    counts: dict[str, int]
    line_of: Callable[[str], int]
    """The number of the line where a raw line first occurs."""
    end: int
    """The number of the closing ``0`` line."""
    hashes: bool = True
    """False when no ballot line can hold a ``#`` (so no comment): one C scan of the text
    instead of a test per distinct line."""


def from_text(lines: Lines) -> BallotLines:
    """Count the ballot lines of ``lines.text`` from the next line on; ``lines`` is moved to
    just after the closing ``0``."""
    text = lines.text
    assert text is not None
    start, first = lines.offset(), lines.number + 1
    found = _END.search(text, start - 1)
    if found is None:
        last = first + text.count("\n", start) - (1 if text.endswith("\n") else 0)
        raise BallotFileError(last, "the file ends before the end-of-ballots 0")
    counts: Counter[str] = Counter()
    for block in text_blocks(text, start, found.start()):
        counts.update(block)
    del counts[""]  # blank lines carry no ballot (as in ``from_lines``)
    end = first + text.count("\n", start, found.start() + 1)
    lines.__dict__.update(Lines(text[found.end() :], end).__dict__)

    def line_of(raw: str) -> int:
        spot = re.compile("^" + re.escape(raw) + r"\r?$", re.MULTILINE).search(text, start)
        assert spot is not None
        return first + text.count("\n", start, spot.start())

    return BallotLines(counts, line_of, end, text.find("#", start, found.start()) >= 0)


def from_lines(lines: Lines) -> BallotLines:
    """Count the ballot lines from the next line on, one at a time (any source)."""
    seen: dict[str, int] = {}
    firsts: dict[str, int] = {}
    get = seen.get
    while block := lines.block():
        base = lines.number - len(block) + 1
        for number, raw in enumerate(block, start=base):
            if not raw:
                continue  # a blank line carries no ballot (as in ``from_text``)
            times = get(raw)
            if times is not None:
                seen[raw] = times + 1
                continue
            if split_comment(raw)[0].strip() == "0":
                lines.give_back(block[number - base + 1 :])
                return BallotLines(seen, firsts.__getitem__, number)
            seen[raw] = 1
            firsts[raw] = number
    raise BallotFileError(lines.number, "the file ends before the end-of-ballots 0")


Numbered = tuple[Sequence[Sequence[int]], list[int]]
"""Distinct lines as ``[weight, numbers..., 0]`` (lists of ints, or ``bytes`` with weight 0),
and the ballots carrying each ranking (the shape of ``counting.numbered.NumberedProfile``)."""

_MOST_BYTES = 254
"""Most candidates whose numbers fit in a byte beside the closing 0 and ``_CUT``."""
_CUT = "\xff"
"""Cuts the joined byte lines apart (never a candidate number: see ``_MOST_BYTES``)."""
_CHUNK = 1 << 14
"""Lines converted at a time: a quarter faster than all at once (the tokens stay in cache),
and the peak memory stays that of one chunk's tokens."""
_NEXT_LINE = "0\n1"
"""A line's closing 0, the line break, and the next line's weight 1: one token when every
line of weight 1 is joined by line breaks and split at spaces."""

_NOT_NUMBERS = str.maketrans("", "", "0123456789 \n")
"""Deletes every character that lines of whole numbers (joined by line breaks) may hold."""


def group(ballots: BallotLines, reader: BallotLineReader) -> Numbered | dict[Ranking, int]:
    """Parse each distinct line once; ballots grouped by ranking, weights × occurrences.

    Lines written the common way (whole numbers separated by single spaces, nothing else) are
    read all at once as numbers (``_unit_lines``, else ``_numbered``). Other plain lines
    (``-`` skips, nicknames, other spacing) are read by C-level ``map`` calls into rankings of
    names (``_plain_groups``). Any other file, errors included, is read line by line
    (``_groups``) so every fault is reported with its line.
    """
    unit = _unit_lines(list(ballots.counts), reader.count)
    if unit is not None:
        return unit, list(ballots.counts.values())
    numbered = _numbered(ballots, reader.count)
    if numbered is not None:
        return numbered
    tokens = _tokens(ballots)
    times = list(ballots.counts.values())
    named = _plain_groups(tokens, times, reader.positions)
    return named if named is not None else _groups(ballots, reader)


def _unit_lines(raws: list[str], size: int) -> list[bytes] | None:
    """Distinct lines all of weight 1, as ``bytes`` ``[0, numbers..., 0]``; None if any line
    is written otherwise, or there are more than ``_MOST_BYTES`` candidates.

    One C pipeline checks and converts every line: the lines are joined by line breaks and
    split at spaces, so the tokens are candidate numbers ``"1"``..``str(size)`` and
    ``_NEXT_LINE`` between lines; each token is looked up in a table (a ``KeyError`` is any
    other token: a 0 inside a line, a weight other than 1, a leading zero, a number above
    ``size``, an empty token from two spaces, a tab, a comment), and the table's characters,
    encoded, are the bytes. So this reads exactly the lines ``1 n n ... n 0`` and nothing
    else, and two distinct lines are two distinct rankings. It takes about half the time of
    ``_numbered`` (``json.loads`` and checks in bulk) on issue #10's million-line file.
    """
    if not raws or size > _MOST_BYTES:
        return None
    table = {str(number): chr(number) for number in range(1, size + 1)}
    table[_NEXT_LINE] = "\x00" + _CUT + "\x00"  # close a line, cut, the next line's weight
    cut = _CUT.encode("latin-1")
    lines: list[bytes] = []
    for at in range(0, len(raws), _CHUNK):
        tokens = ("0\n" + "\n".join(raws[at : at + _CHUNK])).split(" ")  # a line closed first
        if tokens.pop() != "0":
            return None
        try:
            text = "".join(map(table.__getitem__, tokens)) + "\x00"
        except KeyError:
            return None
        lines += text.encode("latin-1").split(cut)[1:]
    return lines if len(lines) == len(raws) else None  # a line break inside a given line


def _numbered(ballots: BallotLines, size: int) -> Numbered | None:
    """Every distinct line as ``[weight, numbers..., 0]``, or None if any is not so written.

    The lines become one JSON array (spaces to commas), which ``json.loads`` parses in C:
    a third of the time of splitting and mapping tokens. Only digits, spaces and the brackets
    may appear (so nothing but whole numbers: no signs, decimals, nicknames or names) and JSON
    refuses empty tokens and leading zeros, so two distinct lines of weight 1 are two distinct
    rankings. Then, in bulk: every line ends in its only 0, weights are at least 1, and
    candidate numbers are at most ``size``. Anything else is left to the other readers.
    """
    raws = list(ballots.counts)
    if not raws:
        return None
    joined = "\n".join(raws)
    if joined.translate(_NOT_NUMBERS):  # anything but digits and spaces: ',' and '[' too
        return None
    text = "[[" + joined.replace(" ", ",").replace("\n", "],[") + "]]"
    try:
        lines: list[list[int]] = json.loads(text)
        if len(lines) != len(raws):  # a line break inside a given line
            return None
        heads = set(map(itemgetter(0), lines))
        tails = set(map(itemgetter(-1), lines))
    except (ValueError, IndexError):  # bad JSON (empty token, leading zero), an empty line
        return None
    zeros = sum(map(list.count, lines, repeat(0)))
    if tails != {0} or 0 in heads or zeros != len(lines):
        return None
    if max(map(max, lines)) > size:  # a weight above the candidates, or a bad number
        middles = filter(None, map(_MIDDLE, lines))
        if max(map(max, middles), default=0) > size:
            return None
    times = list(ballots.counts.values())
    return _merged(lines, list(map(mul, map(itemgetter(0), lines), times)))


def _merged(lines: list[list[int]], totals: list[int]) -> Numbered:
    """Lines of one ranking under different weights counted as one group (first line kept)."""
    keys = list(map(tuple, map(_MIDDLE, lines)))
    if len(set(keys)) == len(keys):
        return lines, totals
    first: dict[tuple[int, ...], int] = {}
    kept: list[list[int]] = []
    counts: list[int] = []
    for line, key, total in zip(lines, keys, totals, strict=True):
        at = first.setdefault(key, len(kept))
        if at == len(kept):
            kept.append(line)
            counts.append(total)
        else:
            counts[at] += total
    return kept, counts


def _tokens(ballots: BallotLines) -> list[list[str]]:
    """Each distinct line's tokens; none at all when a line may hold a comment."""
    raws = list(ballots.counts)
    if ballots.hashes and any("#" in raw for raw in raws):
        return []
    return list(map(str.split, raws))


def _plain_groups(
    tokens: list[list[str]], times: list[int], table: dict[str, _T]
) -> dict[tuple[_T, ...], int] | None:
    """The groups when every distinct line is plain, else None (nothing is reported here).

    ``tokens`` are the distinct lines' tokens (none: not plain), ``times`` how often each
    line occurs, ``table`` what each token means (a candidate number, or a ``Position``)."""
    if not tokens:
        return None
    try:
        heads = set(map(itemgetter(0), tokens))
        tails = set(map(itemgetter(-1), tokens))
        rankings = list(map(tuple, map(map, repeat(table.__getitem__), map(_MIDDLE, tokens))))
    except (IndexError, KeyError):  # a blank line, an unknown token, an '=' not yet cached
        return None
    if tails != {"0"} or not all(h.isdigit() and int(h) > 0 for h in heads):
        return None
    if () in map(itemgetter(-1), filter(None, rankings)):  # a trailing '-' to drop
        return None
    totals = (
        times if heads == {"1"} else list(map(mul, map(int, map(itemgetter(0), tokens)), times))
    )
    groups = dict(zip(rankings, totals, strict=True))
    if len(groups) < len(rankings):  # two lines with one ranking (other weights, spacing)
        groups = {}
        for ranking, total in zip(rankings, totals, strict=True):
            groups[ranking] = groups.get(ranking, 0) + total
    return groups


def _groups(ballots: BallotLines, reader: BallotLineReader) -> dict[Ranking, int]:
    """Line by line: the common line inline, anything else through ``reader.parse``."""
    groups: dict[Ranking, int] = {}
    get, parse, position = groups.get, reader.parse, reader.positions.__getitem__
    for raw, times in ballots.counts.items():
        text = split_comment(raw)[0] if "#" in raw else raw
        tokens = text.split()
        if not tokens:
            continue
        weight = tokens[0]
        try:
            if tokens[-1] != "0" or not weight.isdigit() or len(tokens) < 2:
                raise KeyError(weight)
            ranking = tuple(map(position, tokens[1:-1]))
            if (ranking and not ranking[-1]) or int(weight) < 1:
                raise KeyError(weight)
            total = int(weight) * times
        except KeyError:
            count, ranking = parse(ballots.line_of(raw), text.strip())
            total = count * times
        groups[ranking] = get(ranking, 0) + total
    return groups
