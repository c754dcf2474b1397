"""Read and write BLT, the ballot format of OpenSTV, OpaVote, droop and the ERS.

The format (Hill, Wichmann & Woodall 1987, with OpenSTV's extensions)::

    4 2                 # 4 candidates, 2 seats
    -2                  # optional: candidate 2 withdrew (any number of negatives)
    3 1 3 4 0           # 3 ballots ranking 1, then 3, then 4; each ballot ends in 0
    1 2=3 - 4 0         # "=" marks equal rankings; "-" a skipped rank
    (id7) 1 2 0         # an optional OpenSTV ballot id, ignored
    0                   # end of ballots
    "Adam"              # candidate names in number order, quoted
    ...
    "Title"             # the election's title (further quoted strings are ignored)

Like OpenSTV and droop we ignore blank lines and ``#`` comments and accept a byte-order
mark; like droop we accept names and title spread over lines however the writer liked.
Unlike droop, whose tokens lose their lines, we read line by line so every error names its
line: an auditor handed a broken file should be able to open it at the right place.

Pure functions over text: the caller reads and writes files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from counting.ballots import OVERVOTE, Ballot, Position, Profile, Ranking
from counting.formats.ballot_file import BallotFile, BallotFileError

_QUOTED = re.compile(r'"([^"]*)"')
_BALLOT_ID = re.compile(r"^\([^)]*\)\s*")


def _strip_comment(text: str) -> str:
    """Drop a ``#`` comment, unless the ``#`` sits inside a quoted string."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            return text[:index]
    return text


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, text without comment) for every line that holds something."""
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        stripped = _strip_comment(raw).strip()
        if stripped:
            yield number, stripped


def _int(token: str, line: int, what: str) -> int:
    if not re.fullmatch(r"-?\d+", token):
        raise BallotFileError(line, f"expected {what} (a whole number), found {token!r}")
    return int(token)


def _parse_header(line: int, text: str) -> tuple[int, int]:
    tokens = text.split()
    if len(tokens) != 2:
        raise BallotFileError(line, f"expected 'candidates seats' (two numbers), found {text!r}")
    candidates = _int(tokens[0], line, "the number of candidates")
    seats = _int(tokens[1], line, "the number of seats")
    if candidates < 1:
        raise BallotFileError(line, "the number of candidates must be at least 1")
    if seats < 1:
        raise BallotFileError(line, "the number of seats must be at least 1")
    return candidates, seats


def _candidate(token: str, line: int, count: int) -> int:
    number = _int(token, line, "a candidate number")
    if not 1 <= number <= count:
        raise BallotFileError(line, f"candidate number {number} is not between 1 and {count}")
    return number


def _withdrawn(token: str, line: int, count: int) -> int:
    if not token.startswith("-"):
        raise BallotFileError(line, f"withdrawn candidates are written -n, found {token!r}")
    return _candidate(token[1:], line, count)


def _parse_ballot(line: int, text: str, names: list[str]) -> Ballot:
    """One ballot line: weight, ranks (``n``, ``n=m``, ``-``), terminating ``0``."""
    tokens = _BALLOT_ID.sub("", text).split()
    if not tokens:
        raise BallotFileError(line, "a ballot id with no ballot after it")
    weight = _int(tokens[0], line, "a ballot weight")
    if weight < 1:
        raise BallotFileError(line, f"ballot weight must be at least 1, not {weight}")
    if len(tokens) < 2 or tokens[-1] != "0":
        raise BallotFileError(line, "a ballot line must end with 0")
    positions: list[Position] = []
    for token in tokens[1:-1]:
        if token == "-":
            positions.append(())
            continue
        numbers = [_candidate(part, line, len(names)) for part in token.split("=")]
        positions.append(tuple(names[n - 1] for n in numbers))
    while positions and not positions[-1]:
        positions.pop()
    return Ballot(tuple(positions), weight)


def _quoted_strings(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Every string after the ballots, with its line; an unquoted line is one string."""
    strings: list[tuple[int, str]] = []
    for line, text in lines:
        found = _QUOTED.findall(text)
        if not found:
            if '"' in text:
                raise BallotFileError(line, f"unbalanced quote in {text!r}")
            strings.append((line, text))
            continue
        leftover = _QUOTED.sub("", text).strip()
        if leftover:
            raise BallotFileError(line, f"unexpected text outside quotes: {leftover!r}")
        strings.extend((line, s) for s in found)
    return strings


def parse_blt(text: str) -> BallotFile:
    """Parse BLT text into a ``BallotFile``; raise ``BallotFileError(line, message)``."""
    lines = list(_content_lines(text))
    if not lines:
        raise BallotFileError(None, "the file is empty")
    count, seats = _parse_header(*lines[0])
    placeholders = [str(n) for n in range(1, count + 1)]
    index = 1
    withdrawn: list[int] = []
    if index < len(lines) and lines[index][1].startswith("-"):
        line, body = lines[index]
        withdrawn = [_withdrawn(token, line, count) for token in body.split()]
        index += 1
    ballots: list[Ballot] = []
    while True:
        if index >= len(lines):
            raise BallotFileError(lines[-1][0], "the file ends before the end-of-ballots 0")
        line, body = lines[index]
        index += 1
        if body == "0":
            break
        ballots.append(_parse_ballot(line, body, placeholders))
    strings = _quoted_strings(lines[index:])
    if len(strings) < count:
        last = lines[-1][0]
        raise BallotFileError(
            last, f"expected {count} candidate names after the ballots, found {len(strings)}"
        )
    names = _candidate_names(strings[:count])
    title = strings[count][1] if len(strings) > count else None
    rename = dict(zip(placeholders, names, strict=True))
    renamed = [
        Ballot(tuple(tuple(rename[n] for n in pos) for pos in b.ranking), b.count) for b in ballots
    ]
    profile = Profile.from_ballots(names, renamed)
    return BallotFile(
        profile=profile,
        title=title or None,
        seats=seats,
        withdrawn=tuple(names[n - 1] for n in withdrawn),
    )


def _candidate_names(strings: list[tuple[int, str]]) -> list[str]:
    seen: dict[str, int] = {}
    for line, name in strings:
        if not name.strip():
            raise BallotFileError(line, "a candidate name is empty")
        if name in seen:
            raise BallotFileError(line, f"candidate {name!r} is listed twice")
        seen[name] = line
    return [name for _, name in strings]


def _format_position(position: Position, numbers: dict[str, int]) -> str:
    if not position:
        return "-"
    if OVERVOTE in position:
        raise ValueError("BLT cannot hold an overvote recorded without its names")
    return "=".join(str(numbers[name]) for name in position)


def _format_ranking(ranking: Ranking, numbers: dict[str, int]) -> str:
    return " ".join(_format_position(p, numbers) for p in ranking)


def write_blt(file: BallotFile) -> str:
    """BLT text for ``file``: grouped ballots as weighted lines (OpaVote's "packed" form).

    Rules other than the seats and the excluded (withdrawn) candidates cannot be written in
    BLT; sections and nameless overvotes have no BLT spelling and raise ``ValueError``.
    """
    profile = file.profile
    if profile.sections or any(b.section is not None for b in profile.ballots):
        raise ValueError("BLT cannot hold college sections; write JSON instead")
    for name in (*profile.candidates, file.title or ""):
        if '"' in name or "\n" in name:
            raise ValueError(f"BLT cannot hold a name or title containing quotes: {name!r}")
    numbers = {name: n for n, name in enumerate(profile.candidates, start=1)}
    excluded = set(file.withdrawn) | (set(file.rules.excluded) if file.rules else set())
    out = [f"{len(profile.candidates)} {file.seats}"]
    if excluded:
        out.append(" ".join(f"-{numbers[n]}" for n in profile.candidates if n in excluded))
    for ballot in profile.ballots:
        marks = _format_ranking(ballot.ranking, numbers)
        out.append(f"{ballot.count} {marks} 0" if marks else f"{ballot.count} 0")
    out.append("0")
    out.extend(f'"{name}"' for name in profile.candidates)
    out.append(f'"{file.title or ""}"')
    return "\n".join(out) + "\n"
