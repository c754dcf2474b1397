"""The lines of a BLT file before its names: comments, header, options, withdrawn, ballots.

Each function reads one line (already stripped of its comment) and returns values or raises
``BallotFileError(line, "expected ..., found ...")``. Names are only known at the end of the
file, so ``blt.py`` keeps each distinct ballot line's text and parses it once names are known.

Dialects, with where they come from:

* header ``6 3`` (ERS/OpenSTV) or ``6,3`` (some council exports);
* withdrawn candidates as negative numbers, ``-2 -5``, on lines after the header (ERS);
* droop's option lines, ``[withdrawn 2]``, ``[tie 3 1 2]``, ``[nick a b c]``, whose items are
  candidate numbers or nicknames; ``[droop ...]`` and ``[undeclared ...]`` carry droop's
  counting rules, which this reader does not map, so they are refused, not ignored;
* ballot lines ``weight rank rank ... 0`` with ``=`` for equal marks and ``-`` for a skipped
  rank (OpenSTV), optionally opened by an OpenSTV ballot id ``(id)`` whose weight must be 1.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from counting.ballots import Position, Ranking
from counting.formats.ballot_file import BallotFileError
from counting.names import fold

_HEADER = re.compile(r"(\d+)\s*(?:,|\s)\s*(\d+)")
_WITHDRAWN = re.compile(r"-\d+(?:\s+-\d+)*")
_OPTION = re.compile(r"\[\s*([A-Za-z]+)\b([^\]]*)\]")
_WHOLE = re.compile(r"-?\d+")
OPTIONS = ("withdrawn", "tie", "nick")
REFUSED_OPTIONS = {
    "droop": "states droop's own counting rules, which this reader does not map",
    "undeclared": "names droop's undeclared write-in candidates, which this reader does not map",
}


def split_comment(raw: str) -> tuple[str, str | None]:
    """(content, comment) of a raw line: the comment is what follows a ``#`` outside quotes."""
    if "#" not in raw:
        return raw, None
    quoted = False
    for index, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            return raw[:index], raw[index + 1 :]
    return raw, None


def whole(token: str, line: int, what: str) -> int:
    """``token`` as an integer, or an error saying ``what`` was expected."""
    if not _WHOLE.fullmatch(token):
        raise BallotFileError(line, f"expected {what} (a whole number), found {token!r}")
    return int(token)


def parse_header(line: int, text: str) -> tuple[int, int]:
    """``candidates seats`` (space or comma between): the first line of every BLT file."""
    found = _HEADER.fullmatch(text)
    if found is None:
        raise BallotFileError(
            line, f"expected 'candidates seats' (two whole numbers, e.g. '6 3'), found {text!r}"
        )
    candidates, seats = int(found[1]), int(found[2])
    if candidates < 1:
        raise BallotFileError(line, "the number of candidates must be at least 1, found 0")
    if seats < 1:
        raise BallotFileError(line, "the number of seats must be at least 1, found 0")
    return candidates, seats


def withdrawn_tokens(line: int, text: str) -> list[str] | None:
    """``-2 -5`` → ``["2", "5"]``; None when the line is not a withdrawn line at all."""
    if not (text.startswith("-") and text[1:2].isdigit()):
        return None
    if _WITHDRAWN.fullmatch(text) is None:
        bad = next(t for t in text.split() if not re.fullmatch(r"-\d+", t))
        raise BallotFileError(line, f"withdrawn candidates are written -n, found {bad!r}")
    return [token[1:] for token in text.split()]


def candidate_number(token: str, line: int, count: int) -> int:
    number = whole(token, line, "a candidate number")
    if not 1 <= number <= count:
        raise BallotFileError(line, f"candidate number {number} is not between 1 and {count}")
    return number


class Option(NamedTuple):
    """One droop option line: ``[name item item ...]`` and the line it was on."""

    line: int
    name: str
    items: tuple[str, ...]


def parse_option(line: int, text: str) -> Option:
    """``[tie 3 1 2]`` → ``Option(line, "tie", ("3", "1", "2"))``; unknown options refused."""
    found = _OPTION.fullmatch(text)
    if found is None:
        raise BallotFileError(
            line,
            f"expected an option such as '[tie 3 1 2]' closed on the same line, found {text!r}",
        )
    name, items = found[1].lower(), tuple(found[2].split())
    if name in REFUSED_OPTIONS:
        raise BallotFileError(
            line, f"[{name} ...] {REFUSED_OPTIONS[name]}; give the rules on the command line"
        )
    if name not in OPTIONS:
        known = ", ".join(f"[{o} ...]" for o in OPTIONS)
        raise BallotFileError(line, f"unknown option [{name}]; this reader knows {known}")
    if not items:
        raise BallotFileError(line, f"[{name}] lists no candidates")
    return Option(line, name, items)


class BallotLineReader:
    """Parse distinct ballot lines into (weight, ranking of names).

    ``positions`` caches what each token means (``"3"`` → ``("Cat",)``, ``"-"`` → ``()``,
    ``"1=2"`` → ``("Ann", "Bob")``, a nickname → its candidate), so a ranking is one ``map``
    over the tokens and only a new token pays for validation.
    """

    def __init__(self, names: tuple[str, ...], nicknames: dict[str, int]) -> None:
        self.names = names
        self.count = len(names)
        self.nicknames = nicknames
        self.positions: dict[str, Position] = {
            str(n): (name,) for n, name in enumerate(names, start=1)
        }
        self.positions["-"] = ()
        for nick, number in nicknames.items():
            self.positions.setdefault(nick, (names[number - 1],))

    def parse(self, line: int, text: str) -> tuple[int, Ranking]:
        """One ballot line: weight, ranks (``n``, ``n=m``, ``-`` or nicknames), final ``0``."""
        tokens = self._without_id(line, text) if text[0] == "(" else text.split()
        first = tokens[0]
        weight = int(first) if first.isdigit() else whole(first, line, "a ballot weight")
        if weight < 1:
            raise BallotFileError(line, f"expected a ballot weight of at least 1, found {weight}")
        if len(tokens) < 2 or tokens[-1] != "0":
            raise BallotFileError(
                line, f"expected a ballot line ending in 0, found {text!r} (no final 0)"
            )
        try:
            ranking = tuple(map(self.positions.__getitem__, tokens[1:-1]))
        except KeyError:
            ranking = tuple(self._position(token, line) for token in tokens[1:-1])
        if ranking and not ranking[-1]:
            ranking = _without_trailing_skips(ranking)
        return weight, ranking

    def _without_id(self, line: int, text: str) -> list[str]:
        """Drop an OpenSTV ballot id ``(id)``; OpenSTV writes weight 1 after it, always."""
        close = text.find(")")
        if close < 0:
            raise BallotFileError(line, f"expected a ballot id closed by ')', found {text!r}")
        tokens = text[close + 1 :].split()
        if not tokens:
            raise BallotFileError(line, "found a ballot id with no ballot after it")
        if tokens[0] != "1":
            raise BallotFileError(
                line,
                f"expected weight 1 after the ballot id (OpenSTV's form '(id) 1 ranks 0'), "
                f"found {tokens[0]!r}; droop's form without a weight is not read",
            )
        return tokens

    def _position(self, token: str, line: int) -> Position:
        if token in self.positions:
            return self.positions[token]
        parts = token.split("=")
        if any(not part for part in parts):
            raise BallotFileError(line, f"expected candidates joined by '=', found {token!r}")
        position = tuple(self.names[self._number(part, line) - 1] for part in parts)
        self.positions[token] = position
        return position

    def _number(self, part: str, line: int) -> int:
        if part in self.nicknames:
            return self.nicknames[part]
        if fold(part) in self.nicknames:
            return self.nicknames[fold(part)]
        if part == "0":
            raise BallotFileError(
                line, "found a 0 inside a ballot line: each ballot is one line ending in 0"
            )
        if self.nicknames and not _WHOLE.fullmatch(part):
            raise BallotFileError(line, f"expected a candidate number or nickname, found {part!r}")
        return candidate_number(part, line, self.count)


def _without_trailing_skips(ranking: Ranking) -> Ranking:
    end = len(ranking)
    while end and not ranking[end - 1]:
        end -= 1
    return ranking[:end]
