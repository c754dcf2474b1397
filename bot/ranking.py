"""Parse what a member types after ``/rank`` into a ranking of candidate names.

Members type rankings the way they would write them on paper: ``Kendall Burnham``,
``corbyn > burnham``, ``1. Cooper 2. Kendall``, ``"Liz Kendall", andy``. The parser is forgiving
about form (separators, case, accents, unique prefixes, moderator-set aliases) and strict about
meaning: a name it cannot pin to exactly one candidate, or a candidate ranked twice, is an error
that says what is wrong and suggests the closest candidates. Nothing is guessed, because a
guessed preference is a vote the member did not cast.

Matching works on *folded* text (:func:`counting.names.fold`: one folding everywhere); the names
returned are always the candidates' own spellings. Unquoted runs of words are matched greedily:
at each word the longest run of words that names exactly one candidate wins, so multi-word names
need no quotes unless they would be ambiguous. List numbers (``1.``, ``2)``, ``#3``, ``4th`` or a
bare ``5``) are separators, except inside a full candidate name typed out (``Candidate 2``),
which is read as that name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.errors import InvalidInput
from counting.names import fold

MAX_LENGTH = 2000
"""Longest ranking text accepted; far beyond any real ballot, it bounds the matching work."""

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”')
_STRAY_QUOTE = re.compile(r'["“”]')
_SEPARATOR = re.compile(
    r"""
      -+>|=>|>+|→|,|;|\||\n        # explicit separators between names
    | (?:(?<=\s)|^)\#?\d+(?:st|nd|rd|th)?(?:[.):]|(?=\s|$))  # list numbers: 1. 2) 3: #4 5th
    """,
    re.VERBOSE | re.IGNORECASE,
)
_EDGE_PUNCTUATION = ".!?:"


@dataclass(frozen=True)
class _Chunk:
    """A piece of input between separators: quoted text is one name, words may be several."""

    words: tuple[str, ...]
    quoted: bool


@dataclass(frozen=True)
class _Names:
    """Every spelling that names a candidate (its own name and its aliases), folded."""

    spellings: tuple[tuple[str, str], ...]
    """(folded spelling, candidate)."""
    candidates: tuple[str, ...]
    longest: int
    """Most words in any spelling: no longer run of words can match exactly or by prefix."""
    by_spelling: Mapping[str, frozenset[str]]
    """Folded spelling → the candidates it spells (exact matches in one look-up)."""
    word_starts: tuple[tuple[str, str], ...]
    """(each spelling from each of its words on, candidate): prefix matches in one scan."""

    @classmethod
    def build(cls, candidates: Sequence[str], aliases: Mapping[str, str]) -> _Names:
        known = set(candidates)
        pairs = [(fold(c), c) for c in candidates]
        for alias, target in aliases.items():
            if target not in known:
                raise ValueError(f"alias {alias!r} points at {target!r}, not a candidate")
            pairs.append((fold(alias), target))
        spellings = tuple((key, name) for key, name in pairs if key)
        longest = max((len(key.split()) for key, _ in spellings), default=1)
        by_spelling: dict[str, set[str]] = {}
        for key, name in spellings:
            by_spelling.setdefault(key, set()).add(name)
        starts = tuple((start, name) for key, name in spellings for start in _word_starts(key))
        frozen = {key: frozenset(names) for key, names in by_spelling.items()}
        return cls(spellings, tuple(candidates), longest, frozen, starts)

    def exact(self, key: str) -> set[str]:
        return set(self.by_spelling.get(key, ()))

    def prefixed(self, key: str) -> set[str]:
        """Candidates with a spelling that has ``key`` as a prefix of it or of one of its words."""
        return {name for start, name in self.word_starts if start.startswith(key)}

    def suggest(self, typed: str) -> list[str]:
        """Up to three candidates whose spellings look like ``typed`` (rapidfuzz WRatio)."""
        choices = [spelling for spelling, _ in self.spellings]
        found = process.extract(
            fold(typed), choices, scorer=fuzz.WRatio, limit=6, score_cutoff=60, processor=None
        )
        names: list[str] = []
        for _, _, index in found:
            name = self.spellings[index][1]
            if name not in names:
                names.append(name)
        return names[:3]


@lru_cache(maxsize=256)
def names_index(candidates: tuple[str, ...], aliases: tuple[tuple[str, str], ...] = ()) -> _Names:
    """The name index of one election, built once and reused for every ballot cast in it.

    Folding every candidate name and alias, and splitting each spelling into the word starts
    a prefix may match, was the largest per-ballot cost of parsing (75 → 29 µs a ballot). The
    key is the election's candidates and aliases (insertion order kept, so suggestions stay
    deterministic); a changed alias or candidate list is a different key, so a stale index
    is never used. 256 entries cover every election open at once on a busy server.
    """
    return _Names.build(candidates, dict(aliases))


def _word_starts(spelling: str) -> tuple[str, ...]:
    """``"jeremy bernard corbyn"`` → itself, ``"bernard corbyn"``, ``"corbyn"``."""
    return (spelling, *(spelling[i + 1 :] for i, ch in enumerate(spelling) if ch == " "))


def parse_ranking(
    text: str, candidates: Sequence[str], aliases: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """Return the candidates ``text`` ranks, most preferred first (a partial ranking is fine).

    Raises ``InvalidInput`` for empty input and for any name that is unknown, ambiguous (the
    prefix of several candidates) or ranked twice; the message quotes what was typed and
    suggests candidates. ``aliases`` maps moderator-set nicknames to candidate names.
    """
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            f"That ranking is too long ({len(text)} characters; most is {MAX_LENGTH})."
        )
    names = names_index(tuple(candidates), tuple((aliases or {}).items()))
    text = _quote_numbered_names(text, (*candidates, *(aliases or {})))
    ranking: list[str] = []
    typed_as: dict[str, str] = {}
    for chunk in _chunks(text):
        for typed, name in _resolve_chunk(chunk, names):
            if name in typed_as:
                raise InvalidInput(_repeated_message(name, typed_as[name], typed))
            typed_as[name] = typed
            ranking.append(name)
    if not ranking:
        example = " ".join(candidates[:2]) if candidates else "Kendall Burnham"
        raise InvalidInput(
            f"Your ranking is empty: list the candidates in order of preference, e.g. {example}."
        )
    return tuple(ranking)


_NUMBER_WORD = re.compile(r"(?:^|\s)#?\d")


@lru_cache(maxsize=256)
def _numbered_names(spellings: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern for the names that contain a standalone number (``Candidate 2``), longest
    first, or ``None`` when no name does."""
    numbered = sorted((n for n in spellings if _NUMBER_WORD.search(n)), key=len, reverse=True)
    if not numbered:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, n.split())) for n in numbered)
    return re.compile(rf"(?<![\w\"])(?:{alternatives})(?![\w\"])", re.IGNORECASE)


def _quote_numbered_names(text: str, spellings: tuple[str, ...]) -> str:
    """Quote, in unquoted input, each full name that contains a standalone number.

    List numbers are separators (``1. Corbyn 2. Burnham``), so without this a candidate called
    ``Candidate 2`` could only be ranked in quotes. A member who already uses quotes is taken
    at their word and left alone.
    """
    pattern = _numbered_names(spellings)
    if pattern is None or _STRAY_QUOTE.search(text):
        return text
    return pattern.sub(lambda match: f'"{match.group(0)}"', text)


def _chunks(text: str) -> list[_Chunk]:
    """Split input into quoted names and unquoted runs of words, dropping separators."""
    chunks: list[_Chunk] = []
    position = 0
    for match in _QUOTED.finditer(text):
        chunks.extend(_unquoted(text[position : match.start()]))
        inner = next(group for group in match.groups() if group is not None)
        if not inner.strip():
            raise InvalidInput("There is an empty pair of quotes in your ranking.")
        chunks.append(_Chunk(tuple(inner.split()), quoted=True))
        position = match.end()
    chunks.extend(_unquoted(text[position:]))
    return chunks


def _unquoted(text: str) -> list[_Chunk]:
    if _STRAY_QUOTE.search(text):
        raise InvalidInput(
            "A quote in your ranking is not closed: put each name in a pair of quotes."
        )
    chunks = []
    for piece in _SEPARATOR.split(text):
        words = tuple(w for w in (w.strip(_EDGE_PUNCTUATION) for w in piece.split()) if w)
        if words:
            chunks.append(_Chunk(words, quoted=False))
    return chunks


def _resolve_chunk(chunk: _Chunk, names: _Names) -> list[tuple[str, str]]:
    """(typed text, candidate) for each name in the chunk, left to right."""
    if chunk.quoted:
        typed = " ".join(chunk.words)
        return [(typed, _resolve_exactly(typed, names))]
    found: list[tuple[str, str]] = []
    start = 0
    while start < len(chunk.words):
        end, name = _longest_match(chunk.words, start, names)
        found.append((" ".join(chunk.words[start:end]), name))
        start = end
    return found


def _longest_match(words: tuple[str, ...], start: int, names: _Names) -> tuple[int, str]:
    """The longest run of words from ``start`` that names one candidate.

    An exact spelling beats a prefix. When a *longer* run would name a different candidate
    only by prefix (``Jo Co`` with candidates Jo, Co and Jo Cox), the words are ambiguous:
    rather than guess, the member is asked to separate or quote the names.
    """
    last = min(len(words), start + names.longest)
    exact_end, exact_name = 0, ""
    prefix_end, prefix_name = 0, ""
    for end in range(last, start, -1):
        key = fold(" ".join(words[start:end]))
        exact = names.exact(key)
        if not exact_end and len(exact) == 1:
            exact_end, exact_name = end, next(iter(exact))
        if not prefix_end and not exact:
            prefixed = names.prefixed(key)
            if len(prefixed) == 1:
                prefix_end, prefix_name = end, next(iter(prefixed))
        if exact_end:
            break
    if prefix_end > exact_end and exact_end and prefix_name != exact_name:
        typed = " ".join(words[start:prefix_end])
        raise InvalidInput(
            f'"{typed}" could be "{prefix_name}", or "{exact_name}" followed by another name: '
            "separate the names with commas or put each in quotes."
        )
    if exact_end >= prefix_end and exact_end:
        return exact_end, exact_name
    if prefix_end:
        return prefix_end, prefix_name
    word = words[start]
    return start + 1, _resolve_exactly(word, names)


def _resolve_exactly(typed: str, names: _Names) -> str:
    """One candidate for the whole of ``typed``, or an ``InvalidInput`` saying why not."""
    key = fold(typed)
    exact = names.exact(key)
    if len(exact) == 1:
        return exact.pop()
    matches = exact or names.prefixed(key)
    if len(matches) == 1:
        return matches.pop()
    if matches:
        ordered = [c for c in names.candidates if c in matches]
        raise InvalidInput(
            f'"{typed}" could be {_either(ordered)}: type more of the name to choose one.'
        )
    raise InvalidInput(_unknown_message(typed, names))


def _unknown_message(typed: str, names: _Names) -> str:
    message = f'"{typed}" is not a candidate.'
    suggestions = names.suggest(typed)
    if suggestions:
        return f"{message} Did you mean {_either(suggestions)}?"
    listed = ", ".join(names.candidates)
    return f"{message} The candidates are: {listed}."


def _repeated_message(name: str, first: str, second: str) -> str:
    if fold(first) == fold(second):
        return f'"{name}" is ranked twice; rank each candidate at most once.'
    return (
        f'"{name}" is ranked twice (as "{first}" and as "{second}"); '
        "rank each candidate at most once."
    )


def _either(names: Sequence[str]) -> str:
    quoted = [f'"{n}"' for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
