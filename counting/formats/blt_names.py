'''The end of a BLT file: candidate names (perhaps with parties) and the title.

Writers disagree about this part, and reading it wrongly elects the wrong people, so every
layout below is recognised by its shape and anything that fits two layouts is refused:

* one name per line, quoted or not (ERS, OpenSTV, droop; Scottish council files write
  ``Rose-Ann CUNINGHAME (Con)`` unquoted), then the title, then perhaps Wichmann's quoted
  source and comment;
* ``"Name" "Party"`` on each of the candidates' lines, then the title (the public corpus of
  Scottish council elections); the party is kept as a label;
* the same, CSV-quoted by a spreadsheet: ``"Neil ALEXANDER ""Scottish Liberal Democrats"""``
  or ``"""Robin BAWA"" ""Scottish Conservative and Unionist"" "`` (a doubled quote inside a
  quoted string is one quote);
* no names at all after the ballots, only PrefLib's ``# ALTERNATIVE NAME n: Name`` comments.

Ambiguous: more strings than candidates and a title, with two or more on some name line, that
are not exactly one name-and-party pair per candidate line. Refused naming the line, with the
two readings, because a shifted list of names is a wrong result that looks right.
'''

from __future__ import annotations

import re
from typing import NamedTuple

from counting.formats.ballot_file import BallotFileError
from counting.names import fold

_NAME_PARTY = re.compile(r'\s*([^"]*?[^"\s])\s*"([^"]*)"\s*')


class NameLine(NamedTuple):
    """One line after the ballots: its strings, and for a CSV-quoted line, the decoded text."""

    line: int
    strings: tuple[str, ...]
    whole: str | None = None
    outside_first: bool = False
    """Read from ``X "Y"`` inside one CSV-quoted string: which of X and Y is the name is
    decided for the whole file (``_orient``)."""

    @property
    def single(self) -> tuple[str, ...]:
        """The line's strings when names are one per string (a CSV-quoted line is one)."""
        return (self.whole,) if self.whole is not None else self.strings


class Names(NamedTuple):
    names: tuple[str, ...]
    labels: dict[str, str]
    title: str | None


def _quoted(line: int, text: str) -> list[str]:
    """The quoted strings of ``text``; ``""`` inside a string is one ``"`` (CSV)."""
    out: list[str] = []
    index, size = 0, len(text)
    while index < size:
        if text[index].isspace():
            index += 1
            continue
        if text[index] != '"':
            rest = text[index:].split('"', maxsplit=1)[0].strip()
            raise BallotFileError(line, f"unexpected text outside quotes: {rest!r}")
        parts, start = [], index + 1
        while True:
            close = text.find('"', start)
            if close < 0:
                raise BallotFileError(line, f"unbalanced quote: no closing '\"' in {text!r}")
            parts.append(text[start:close])
            if close + 1 < size and text[close + 1] == '"':
                parts.append('"')
                start = close + 2
                continue
            index = close + 1
            break
        out.append("".join(parts))
    return out


def name_line(line: int, text: str) -> NameLine:
    """Read one line after the ballots (comment already removed, not blank)."""
    if '"' not in text:
        return NameLine(line, (text,))
    strings = _quoted(line, text)
    if len(strings) != 1 or '"' not in strings[0]:
        return NameLine(line, tuple(strings))
    inner = strings[0]
    pair = _NAME_PARTY.fullmatch(inner)
    if pair is not None:
        return NameLine(line, (pair[1], pair[2]), inner.strip(), outside_first=True)
    try:
        nested = _quoted(line, inner)
    except BallotFileError:
        return NameLine(line, (inner,))  # a name with quotes in it: Jim "Jimbo" Smith
    return NameLine(line, tuple(nested), inner.strip())


def read_names(
    lines: list[NameLine],
    count: int,
    comment_names: dict[int, tuple[int, str]],
    last_line: int,
) -> Names:
    """Names, labels and title from the lines after the ballots (see the module docstring).

    ``comment_names`` maps a candidate number to (line, name) from ``# ALTERNATIVE NAME``
    comments; they supply the names when the file has none, and must agree when it has.
    """
    total = sum(len(n.single) for n in lines)
    if comment_names and total < count:
        names = _from_comments(comment_names, count, last_line)
        title = lines[0].single[0] if lines else None
        return Names(names, {}, title or None)
    if _pairs(lines, count):
        found = _read_pairs(lines, count)
    else:
        found = _read_singles(lines, count, total, last_line)
    _agree(found.names, comment_names, count)
    return found


def _pairs(lines: list[NameLine], count: int) -> bool:
    if len(lines) < count or any(len(n.strings) != 2 for n in lines[:count]):
        return False
    return count > 1 or len(lines) > count


def _read_pairs(lines: list[NameLine], count: int) -> Names:
    if len(lines) > count and len(lines[count].strings) == 2:
        extra = lines[count]
        raise BallotFileError(
            extra.line,
            f"expected the title after {count} name-and-party lines, found another pair "
            f"{extra.strings[0]!r} {extra.strings[1]!r}: the header says {count} candidates",
        )
    pairs = _orient(lines[:count])
    names = tuple(name for _, name, _ in pairs)
    labels = {name: label for _, name, label in pairs if label.strip()}
    _check_names([(line, name) for line, name, _ in pairs])
    title = lines[count].strings[0] if len(lines) > count else None
    return Names(names, labels, title or None)


def _orient(lines: list[NameLine]) -> list[tuple[int, str, str]]:
    '''(line, name, party) of each candidate line.

    Council files CSV-quote a name and a party in one string both ways round: 2022 files write
    ``"Neil ALEXANDER ""Scottish Liberal Democrats"""`` (name, then the party quoted), 2012
    files ``"LD ""Alison ANDREWS"""`` (a one-word party code, then the name quoted). In the
    public corpus of 1,100 ward files every file keeps to one form, and the unquoted part is
    one word exactly when it is the party code. So: when every such line's unquoted part is one
    word, it is the party; when none is, it is the name; a file mixing the two is refused.
    '''
    nested = [n for n in lines if n.outside_first]
    one_word = [n for n in nested if len(n.strings[0].split()) == 1]
    if one_word and len(one_word) != len(nested):
        odd = next(n for n in nested if len(n.strings[0].split()) != 1)
        raise BallotFileError(
            odd.line,
            f"ambiguous name and party: line {one_word[0].line} reads as party "
            f"{one_word[0].strings[0]!r} then name {one_word[0].strings[1]!r}, but this line "
            f"as name {odd.strings[0]!r} then party {odd.strings[1]!r}",
        )
    swap = bool(one_word)
    return [
        (n.line, n.strings[1], n.strings[0])
        if swap and n.outside_first
        else (n.line, n.strings[0], n.strings[1])
        for n in lines
    ]


def _read_singles(lines: list[NameLine], count: int, total: int, last_line: int) -> Names:
    strings = [(n.line, s) for n in lines for s in n.single]
    if total < count:
        raise BallotFileError(
            last_line, f"expected {count} candidate names after the ballots, found {total}"
        )
    if total > count + 1:
        crowded = _crowded_name_line(lines, count)
        if crowded is not None:
            shown = " ".join(f'"{s}"' for s in crowded.single)
            raise BallotFileError(
                crowded.line,
                f"ambiguous names: this line holds {shown} and the file has {total} strings "
                f"for {count} candidates, so they could be names or name-and-party pairs; "
                f'write one name per line, or every candidate as "Name" "Party"',
            )
    _check_names(strings[:count])
    title = strings[count][1] if total > count else None
    return Names(tuple(s for _, s in strings[:count]), {}, title or None)


def _crowded_name_line(lines: list[NameLine], count: int) -> NameLine | None:
    """The first line holding a name and at least one other string, if any."""
    seen = 0
    for entry in lines:
        if seen >= count or len(entry.single) > 1:
            return entry if seen < count else None
        seen += len(entry.single)
    return None  # pragma: no cover - only called when the strings outnumber the names


def _check_names(strings: list[tuple[int, str]]) -> None:
    seen: set[str] = set()
    for line, name in strings:
        if not name.strip():
            raise BallotFileError(line, "expected a candidate name, found an empty one")
        if name in seen:
            raise BallotFileError(line, f"candidate {name!r} is listed twice")
        seen.add(name)


def _from_comments(found: dict[int, tuple[int, str]], count: int, last: int) -> tuple[str, ...]:
    missing = [n for n in range(1, count + 1) if n not in found]
    if missing:
        raise BallotFileError(
            last,
            f"expected {count} candidate names (after the ballots or in '# ALTERNATIVE NAME' "
            f"comments), found none for candidate {missing[0]}",
        )
    strings = [found[n] for n in range(1, count + 1)]
    _check_names(strings)
    return tuple(name for _, name in strings)


def _agree(names: tuple[str, ...], found: dict[int, tuple[int, str]], count: int) -> None:
    for number, (line, name) in sorted(found.items()):
        if number > count:
            raise BallotFileError(
                line, f"'# ALTERNATIVE NAME {number}' but the header says {count} candidates"
            )
        if fold(name) != fold(names[number - 1]):
            raise BallotFileError(
                line,
                f"'# ALTERNATIVE NAME {number}' says {name!r} but the names after the "
                f"ballots say {names[number - 1]!r}",
            )
