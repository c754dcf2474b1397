"""Read and write BLT, the ballot format of the ERS, OpenSTV, OpaVote, droop and councils.

The format (Hill, Wichmann & Woodall 1987, with later writers' extensions)::

    4 2                 # 4 candidates, 2 seats ("4,2" also read)
    -2                  # optional: candidate 2 withdrew (any number of negatives)
    [tie 3 1 2 4]       # optional droop options: [withdrawn ...] [tie ...] [nick ...]
    3 1 3 4 0           # 3 ballots ranking 1, then 3, then 4; each ballot ends in 0
    1 2=3 - 4 0         # "=" marks equal rankings; "-" a skipped rank
    (id7) 1 1 2 0       # an OpenSTV ballot id, then weight 1
    0                   # end of ballots
    "Adam"              # candidate names in number order (see blt_names.py for the
    ...                 # "Name" "Party" and CSV-quoted layouts, and PrefLib comments)
    "Title"             # the election's title

Blank lines and ``#`` comments are ignored anywhere (a ``#`` inside quotes is text), a byte-order
mark is accepted, and every error names its line. ``# ALTERNATIVE NAME n: Name`` comments
(PrefLib) name candidates; ``# hustings-rules: {...}`` (``rules_text.py``) carries our rules
and tie-break seed, which other readers skip as a comment.

Speed: a published file of a million ballots has far fewer distinct lines, so identical raw
lines are counted first (one dictionary lookup per line) and each distinct line is parsed once;
lines written the common way are checked and turned into candidate numbers in bulk, by C
(``blt_ballots.group``), and become a ``NumberedProfile`` that the count reads without building
names. An iterable of lines (an open file) streams, each line's ending (``\\n``, ``\\r\\n``)
dropped, so it takes the same roads and gives the same ``BallotFile`` as its text.

Pure functions over text: the caller opens and writes files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from counting.ballots import OVERVOTE, Ballot, Position, Profile, Ranking, collector_paused
from counting.formats import blt_ballots, blt_lines, blt_names
from counting.formats.ballot_file import BallotFile, BallotFileError
from counting.formats.blt_lines import BallotLineReader, Option
from counting.formats.blt_source import Lines
from counting.formats.rules_text import RULES_COMMENT, rules_from_text, rules_to_text
from counting.names import fold
from counting.numbered import NumberedProfile

_ALTERNATIVE = re.compile(r"\s*ALTERNATIVE NAME\s+(\d+)\s*:\s*(.*?)\s*")


class _Comments:
    """What comments said: PrefLib names, our rules (with their lines).

    (Plain classes and named tuples here, not dataclasses: each dataclass costs a millisecond
    of ``hustings count``'s start-up, which is held to 3× bare Python.)
    """

    def __init__(self) -> None:
        self.names: dict[int, tuple[int, str]] = {}
        self.rules: tuple[int, str] | None = None

    def note(self, line: int, comment: str) -> None:
        found = _ALTERNATIVE.fullmatch(comment)
        if found is not None:
            self.names[int(found[1])] = (line, found[2])
        elif comment.strip().startswith(RULES_COMMENT):
            self.rules = (line, comment.strip()[len(RULES_COMMENT) :].strip())


def _content(raw: str, number: int, comments: _Comments) -> str:
    body, comment = blt_lines.split_comment(raw)
    if comment is not None:
        comments.note(number, comment)
    return body.strip()


class _Head:
    """The header's numbers, and the withdrawn candidates and options that follow it."""

    def __init__(self, count: int, seats: int) -> None:
        self.count = count
        self.seats = seats
        self.withdrawn: list[tuple[int, str]] = []
        self.options: list[Option] = []


def parse_blt(source: str | Iterable[str]) -> BallotFile:
    """Parse BLT text, or an iterable of its lines, into a ``BallotFile``.

    Raises ``BallotFileError(line, message)`` saying what was expected and what was found;
    when a file has several faults, the one on the earliest line is reported.
    """
    lines = Lines(source)
    comments = _Comments()
    with collector_paused():
        head = _read_head(lines, comments)
        nicknames = _nicknames(head)
        ballots = blt_ballots.from_text(lines) if lines.text else blt_ballots.from_lines(lines)
        if ballots.hashes:  # else no ballot line holds a comment: skip a look at each
            for raw in [raw for raw in ballots.counts if "#" in raw]:
                _content(raw, ballots.line_of(raw), comments)
        tail = [(n, _content(raw, n, comments)) for n, raw in lines]
        last = tail[-1][0] if tail else ballots.end
        try:
            named = [blt_names.name_line(n, text) for n, text in tail if text]
            found = blt_names.read_names(named, head.count, comments.names, last)
        except BallotFileError:
            placeholders = tuple(str(n) for n in range(1, head.count + 1))
            blt_ballots.group(ballots, BallotLineReader(placeholders, nicknames))  # earlier?
            raise
        groups = blt_ballots.group(ballots, BallotLineReader(found.names, nicknames))
        return _assemble(head, found, groups, nicknames, comments)


def _read_head(lines: Lines, comments: _Comments) -> _Head:
    """Header, withdrawn lines and options; the first ballot line is left to read."""
    head: _Head | None = None
    while (raw := lines.line()) is not None:
        number = lines.number
        text = _content(raw.lstrip("\ufeff") if number == 1 else raw, number, comments)
        if not text:
            continue
        if head is None:
            head = _Head(*blt_lines.parse_header(number, text))
        elif (tokens := blt_lines.withdrawn_tokens(number, text)) is not None:
            head.withdrawn.extend((number, token) for token in tokens)
        elif text.startswith("["):
            head.options.append(blt_lines.parse_option(number, text))
        else:
            lines.give_back([raw])
            return head
    if head is None:
        raise BallotFileError(None, "the file is empty: expected 'candidates seats' first")
    raise BallotFileError(lines.number, "the file ends before the end-of-ballots 0")


def _nicknames(head: _Head) -> dict[str, int]:
    """``[nick a b c]``: each candidate's nickname (exact and folded) → its number."""
    options = [o for o in head.options if o.name == "nick"]
    if not options:
        return {}
    if len(options) > 1:
        raise BallotFileError(options[1].line, "expected one [nick ...] line, found a second")
    option = options[0]
    if len(option.items) != head.count:
        raise BallotFileError(
            option.line,
            f"expected {head.count} nicknames in [nick], one per candidate, "
            f"found {len(option.items)}",
        )
    out: dict[str, int] = {}
    for number, nick in enumerate(option.items, start=1):
        for key in dict.fromkeys((nick, fold(nick))):
            if key in out or key.isdigit():
                raise BallotFileError(option.line, f"nickname {nick!r} is not unique")
            out[key] = number
    return out


def _resolve(token: str, line: int, names: tuple[str, ...], nicknames: dict[str, int]) -> str:
    """A candidate number, nickname or name (matched with ``fold``) → the candidate's name."""
    if token.isdigit():
        return names[blt_lines.candidate_number(token, line, len(names)) - 1]
    number = nicknames.get(token) or nicknames.get(fold(token))
    if number is not None:
        return names[number - 1]
    matches = [name for name in names if fold(name) == fold(token)]
    if len(matches) == 1:
        return matches[0]
    raise BallotFileError(line, f"expected a candidate number, nickname or name, found {token!r}")


def _assemble(
    head: _Head,
    found: blt_names.Names,
    groups: blt_ballots.Numbered | dict[Ranking, int],
    nicknames: dict[str, int],
    comments: _Comments,
) -> BallotFile:
    names = found.names
    withdrawn: dict[str, None] = {}
    for line, token in head.withdrawn:
        withdrawn[_resolve(token, line, names, nicknames)] = None
    tie_order: tuple[str, ...] | None = None
    for option in head.options:
        resolved = [_resolve(t, option.line, names, nicknames) for t in option.items]
        if option.name == "withdrawn":
            withdrawn.update(dict.fromkeys(resolved))
        elif option.name == "tie":
            if sorted(resolved) != sorted(names):
                raise BallotFileError(
                    option.line, f"expected [tie] to list each of the {len(names)} candidates once"
                )
            tie_order = tuple(resolved)
    profile = _profile(names, groups)
    rules = None
    if comments.rules is not None:
        line, text = comments.rules
        try:
            rules = rules_from_text(text, profile, head.seats)
        except ValueError as exc:
            raise BallotFileError(line, f"# {RULES_COMMENT} {exc}") from None
    return BallotFile(
        profile,
        rules=rules,
        title=found.title,
        seats=head.seats,
        withdrawn=tuple(n for n in names if n in withdrawn),
        labels=found.labels,
        tie_order=tie_order,
    )


def _profile(names: tuple[str, ...], groups: blt_ballots.Numbered | dict[Ranking, int]) -> Profile:
    """Every name on every ballot was checked when its line was read."""
    if isinstance(groups, tuple):
        return NumberedProfile(names, *groups, checked=True)
    ballots = tuple(map(Ballot, groups.keys(), groups.values()))
    return Profile(names, ballots, {}, _ballots_checked=True)


def _format_position(position: Position, numbers: dict[str, int]) -> str:
    if not position:
        return "-"
    if OVERVOTE in position:
        raise ValueError("BLT cannot hold an overvote recorded without its names")
    return "=".join(str(numbers[name]) for name in position)


def _format_ranking(ranking: Ranking, numbers: dict[str, int]) -> str:
    return " ".join(_format_position(p, numbers) for p in ranking)


def _quote(text: str) -> str:
    if '"' in text or "\n" in text or "\r" in text:
        raise ValueError(f"BLT cannot hold a name or title containing quotes: {text!r}")
    return f'"{text}"'


def write_blt(file: BallotFile) -> str:
    """BLT text for ``file``: grouped ballots as weighted lines (OpaVote's "packed" form).

    Withdrawn and rule-excluded candidates are written as negative numbers (every BLT reader
    knows them), a tie order as ``[tie ...]``, parties as ``"Name" "Party"`` lines, and the
    rules, when the file has them, as a ``# hustings-rules:`` comment after the title, so
    ``parse_blt(write_blt(f))`` counts exactly as ``f`` does. Sections and nameless overvotes
    have no BLT spelling and raise ``ValueError``.
    """
    profile = file.profile
    if profile.sections or any(b.section is not None for b in profile.ballots):
        raise ValueError("BLT cannot hold college sections; write JSON instead")
    numbers = {name: n for n, name in enumerate(profile.candidates, start=1)}
    excluded = set(file.withdrawn) | (set(file.rules.excluded) if file.rules else set())
    out = [f"{len(profile.candidates)} {file.seats}"]
    if excluded:
        out.append(" ".join(f"-{numbers[n]}" for n in profile.candidates if n in excluded))
    if file.tie_order:
        out.append("[tie " + " ".join(str(numbers[n]) for n in file.tie_order) + "]")
    for ballot in profile.ballots:
        marks = _format_ranking(ballot.ranking, numbers)
        out.append(f"{ballot.count} {marks} 0" if marks else f"{ballot.count} 0")
    out.append("0")
    for name in profile.candidates:
        label = file.labels.get(name)
        out.append(f"{_quote(name)} {_quote(label or '')}" if file.labels else _quote(name))
    out.append(_quote(file.title or ""))
    if file.rules is not None:
        out.append(f"# {RULES_COMMENT} {rules_to_text(file.rules)}")
    return "\n".join(out) + "\n"
