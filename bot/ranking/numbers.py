"""Numbers mean order: a ranking typed with rank numbers is ordered by its numbers.

``4. Kendall 3. Cooper 2. Burnham 1. Corbyn`` ranks Corbyn first, whatever the order on the
line; without numbers the typed order is the order. What is refused, with the reason and an
example of both accepted forms: two candidates given the same number, a number with no
candidate after it, names without numbers beside names with them, and a rank of 0. Gaps
(1, 2, 4) are closed up, keeping the order, and ``Ranking.note`` says so for the receipt.

A number can also be part of a candidate's name (``Candidate 2``, ``2 Unlimited``). Wherever a
run of words holding a number spells a name exactly, both readings are tried, the name and
the number; if exactly one reading is a valid ranking it is taken, if several valid readings
rank differently the member is asked to quote the name, and if none is valid the error of the
reading that keeps the names whole is shown. Every reading is tried up to ``MAX_READINGS``;
beyond that the greedy reading, each of its names read as a number alone, and none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from bot.errors import InvalidInput
from bot.ranking.names import Found, Names, match_key, resolve_exactly, resolve_words
from bot.ranking.tokens import Kind, Token
from counting.names import fold, visible

MAX_READINGS = 64
"""Every reading is tried while there are at most this many (6 names holding numbers typed in
one ranking); beyond, a linear set of plausible ones (see ``_choices``)."""

Window = tuple[int, int]


@dataclass(frozen=True)
class Ranking:
    """What a ranking text means: the candidates in order, and a note for the receipt."""

    names: tuple[str, ...]
    note: str | None = None
    """Set when the member's numbers were closed up (``1, 2, 4`` → 1, 2, 3)."""


@dataclass
class _Group:
    """The names after one rank number (``mark``), or before any number (``mark=None``)."""

    mark: Token | None
    found: list[Found] = field(default_factory=list)


class _Resolver:
    """``resolve_words`` / ``resolve_exactly`` remembered for one input: the readings of a
    ranking share most of their runs of words, so each run is matched once."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self._known: dict[tuple[Token, ...], list[Found] | InvalidInput] = {}

    def words(self, run: Sequence[Token]) -> list[Found]:
        """The names in a run of unquoted words (``names.resolve_words``)."""
        return self._once(tuple(run), lambda: resolve_words(run, self.names))

    def whole(self, token: Token) -> Found:
        """The one name a quoted token (or a name holding a number) is."""
        name = lambda: [(token.typed, resolve_exactly(token.text, token.typed, self.names))]  # noqa: E731
        return self._once((token,), name)[0]

    def _once(self, key: tuple[Token, ...], work: Callable[[], list[Found]]) -> list[Found]:
        if key not in self._known:
            try:
                self._known[key] = work()
            except InvalidInput as exc:
                self._known[key] = exc
        known = self._known[key]
        if isinstance(known, InvalidInput):
            raise known
        return known


def read(tokens: Sequence[Token], names: Names) -> Ranking:
    """The ranking ``tokens`` mean, trying both readings of numbers inside names."""
    resolver = _Resolver(names)
    windows = _windows(tokens, names)
    if not windows:
        return _read(tokens, resolver)
    if len(windows) > len(names.candidates) + 1:
        # Every reading then ranks someone twice (or numbers more names than there are), so
        # the reading that keeps the names whole says what is wrong, at the cost of one.
        return _read(_merged(tokens, next(_all_choices(windows))), resolver)
    readings: list[tuple[Ranking, list[Window]]] = []
    error: InvalidInput | None = None
    for chosen in _choices(windows):
        try:
            readings.append((_read(_merged(tokens, chosen), resolver), chosen))
        except InvalidInput as exc:
            error = error or exc
    if not readings:
        assert error is not None
        raise error
    first, chosen = readings[0]
    for other, other_chosen in readings[1:]:
        if other.names != first.names:
            raise InvalidInput(_two_readings(tokens, names, (first, chosen), (other, other_chosen)))
    return first


def _windows(tokens: Sequence[Token], names: Names) -> list[Window]:
    """Runs of words holding a rank number that spell a name exactly: (start, end) indexes.

    Only runs that start with the first word of such a name, and are as long as one, are
    looked at, so the work is linear in the input (``1 1 1 …`` costs nothing extra).
    """
    if not names.numbered:
        return []
    found: list[Window] = []
    for start, token in enumerate(tokens):
        lengths = names.numbered.get(match_key(token.as_word)) if token.kind in _WORDS else None
        for length in sorted(lengths or (), reverse=True):
            window = tokens[start : start + length]
            if len(window) < length or any(t.kind not in _WORDS for t in window):
                continue
            if any(t.kind is Kind.MARK for t in window) and names.exact(
                match_key(" ".join(t.as_word for t in window))
            ):
                found.append((start, start + length))
    return found


_WORDS = (Kind.WORD, Kind.MARK)


def _choices(windows: list[Window]) -> Iterator[list[Window]]:
    """Sets of non-overlapping windows, the most names first (greedy from the left).

    Every set while there are at most ``MAX_READINGS`` of them; beyond that (many names with
    numbers typed in one ranking), the greedy set, each of its windows read as numbers alone,
    and none: the alternatives a member could plausibly have meant, in linear work.
    """
    if len(windows) > MAX_READINGS.bit_length() - 1:
        greedy = next(_all_choices(windows))
        yield greedy
        for flipped in greedy:
            yield [w for w in greedy if w != flipped]
        yield []
        return
    yield from _all_choices(windows)


def _all_choices(windows: list[Window]) -> Iterator[list[Window]]:
    def walk(index: int, chosen: list[Window], free_from: int) -> Iterator[list[Window]]:
        if index == len(windows):
            yield chosen
            return
        start, end = windows[index]
        if start >= free_from:
            yield from walk(index + 1, [*chosen, (start, end)], end)
        yield from walk(index + 1, chosen, free_from)

    return walk(0, [], 0)


def _merged(tokens: Sequence[Token], chosen: list[Window]) -> list[Token]:
    """``tokens`` with each chosen window made one name, as if the member had quoted it."""
    out: list[Token] = []
    position = 0
    for start, end in chosen:
        out.extend(tokens[position:start])
        window = tokens[start:end]
        text = " ".join(t.as_word for t in window)
        out.append(Token(Kind.QUOTED, text, " ".join(t.typed for t in window)))
        position = end
    out.extend(tokens[position:])
    return out


def _read(tokens: Sequence[Token], resolver: _Resolver) -> Ranking:
    """One reading: names resolved, then ordered by their numbers if there are any."""
    names = resolver.names
    groups = [_Group(None)]
    run: list[Token] = []
    for token in tokens:
        if token.kind is Kind.WORD:
            run.append(token)
            continue
        groups[-1].found.extend(resolver.words(run))
        run = []
        if token.kind is Kind.QUOTED:
            groups[-1].found.append(resolver.whole(token))
        elif token.kind is Kind.MARK:
            groups.append(_Group(token))
    groups[-1].found.extend(resolver.words(run))
    found = [item for group in groups for item in group.found]
    if not found:
        a, b = _example(names, [])
        raise InvalidInput(
            f"Your ranking is empty: list the candidates in order of preference, e.g. {a} {b}."
        )
    _check_repeats(found)
    if len(groups) == 1:
        return Ranking(tuple(name for _, name in found))
    return _by_number(groups, names, found)


def _check_repeats(found: list[Found]) -> None:
    typed_as: dict[str, str] = {}
    for typed, name in found:
        if name not in typed_as:
            typed_as[name] = typed
            continue
        first = typed_as[name]
        if fold(first) == fold(typed):
            raise InvalidInput(f'"{name}" is ranked twice; rank each candidate at most once.')
        raise InvalidInput(
            f'"{name}" is ranked twice (as "{visible(first)}" and as "{visible(typed)}"); '
            "rank each candidate at most once."
        )


def _by_number(groups: list[_Group], names: Names, found: list[Found]) -> Ranking:
    """Order numbered groups by their numbers, or say which rule the ranking breaks."""

    def refuse(why: str) -> InvalidInput:  # messages are built only when needed
        return InvalidInput(f"{why} {_forms(*_example(names, found))}")

    unnumbered, numbered = groups[0], groups[1:]
    if unnumbered.found:
        typed = visible(unnumbered.found[0][0])
        raise refuse(f'"{typed}" has no number, but other names in your ranking do.')
    ranks: dict[int, str] = {}
    for group in numbered:
        assert group.mark is not None
        mark = group.mark.typed.strip()
        if not group.found:
            raise refuse(f'"{visible(mark)}" has no candidate after it.')
        if len(group.found) > 1:
            (before, _), (extra, _) = group.found[:2]
            raise refuse(
                f'"{visible(extra)}" has no number of its own (it follows '
                f'"{visible(mark)} {visible(before)}").'
            )
        name = group.found[0][1]
        rank = group.mark.rank
        if rank < 1:
            raise refuse(f'"{visible(mark)}" is not a rank: number from 1, your first choice.')
        if rank in ranks:
            raise InvalidInput(
                f'You gave "{ranks[rank]}" and "{name}" the same number, {rank}: give each '
                f"candidate its own number, e.g. 1. {ranks[rank]} 2. {name}."
            )
        ranks[rank] = name
    order = sorted(ranks)
    return Ranking(tuple(ranks[rank] for rank in order), _gap_note(order))


def _gap_note(order: list[int]) -> str | None:
    if order == list(range(1, len(order) + 1)):
        return None
    typed = ", ".join(map(str, order))
    if len(order) == 1:
        return f"You numbered your choice {typed}; it counts as your 1st preference."
    closed = ", ".join(map(str, range(1, len(order) + 1)))
    return f"You numbered them {typed}; with the gaps closed up they count as {closed}."


def _example(names: Names, found: list[Found]) -> tuple[str, str]:
    """Two candidate names for an example: those the member typed first, else the ballot's."""
    chosen = list(dict.fromkeys([name for _, name in found] + list(names.candidates)))
    while len(chosen) < 2:
        chosen.append("Kendall" if "Kendall" not in chosen else "Burnham")
    return chosen[0], chosen[1]


def _forms(a: str, b: str) -> str:
    return f"Either number every name (1. {a} 2. {b}) or none, in order of preference ({a}, {b})."


def _two_readings(
    tokens: Sequence[Token],
    names: Names,
    one: tuple[Ranking, list[Window]],
    other: tuple[Ranking, list[Window]],
) -> str:
    (first, chosen), (second, other_chosen) = one, other
    start, end = min(set(chosen) ^ set(other_chosen))
    typed = visible(" ".join(t.typed for t in tokens[start:end]))
    spelled = match_key(" ".join(t.as_word for t in tokens[start:end]))
    name = min(names.exact(spelled))
    return (
        f'"{typed}" is the name "{name}" but also holds a rank number, so your ranking could be '
        f"{_numbered(first.names)} or {_numbered(second.names)}. Put the name in quotes: "
        f'"{name}".'
    )


def _numbered(ranking: Sequence[str]) -> str:
    return " ".join(f"{i}. {name}" for i, name in enumerate(ranking, start=1))
