"""Which candidate a typed name means: exact spellings, unique prefixes, aliases; never a guess.

Matching compares folded text (``counting.names.fold``: case, accents, phone punctuation,
space variants and invisible characters all folded away); the names returned are always the
candidates' own spellings. A run of unquoted words is matched greedily: at each word the
longest run of words that names exactly one candidate wins, so multi-word names need no quotes
unless they would be ambiguous. Messages quote what the member typed through
``counting.names.visible``, so an invisible or look-alike character is shown, not hidden.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.errors import InvalidInput
from bot.ranking.tokens import EDGE_PUNCTUATION, Kind, Token, tokens
from counting.names import fold, visible

Found = tuple[str, str]
"""(what the member typed, the candidate it names)."""


def match_key(text: str) -> str:
    """The form names are matched in: ``counting.names.fold``, then ``.!?:`` trimmed from each
    word's ends, as the tokenizer trims typed words (``St. John`` and ``St John`` match)."""
    words = (w.strip(EDGE_PUNCTUATION) for w in fold(text).split())
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class Names:
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
    numbered: Mapping[str, frozenset[int]]
    """For spellings holding a word that reads as a rank number (``Candidate 2``): their first
    word → their lengths in words. Empty when no name holds a number (the common case)."""

    @classmethod
    def build(cls, candidates: Sequence[str], aliases: Mapping[str, str]) -> Names:
        known = set(candidates)
        pairs = [(match_key(c), c) for c in candidates]
        for alias, target in aliases.items():
            if target not in known:
                raise ValueError(f"alias {alias!r} points at {target!r}, not a candidate")
            pairs.append((match_key(alias), target))
        spellings = tuple((spelled, name) for spelled, name in pairs if spelled)
        longest = max((len(spelled.split()) for spelled, _ in spellings), default=1)
        by_spelling: dict[str, set[str]] = {}
        for spelled, name in spellings:
            by_spelling.setdefault(spelled, set()).add(name)
        starts = tuple(
            (start, name) for spelled, name in spellings for start in _word_starts(spelled)
        )
        frozen = {spelled: frozenset(names) for spelled, names in by_spelling.items()}
        numbered: dict[str, set[int]] = {}
        for spelled, _ in spellings:
            if any(t.kind is Kind.MARK for t in tokens(spelled)):
                words = spelled.split()
                numbered.setdefault(words[0], set()).add(len(words))
        firsts = {first: frozenset(lengths) for first, lengths in numbered.items()}
        return cls(spellings, tuple(candidates), longest, frozen, starts, firsts)

    def exact(self, spelled: str) -> set[str]:
        """Candidates ``spelled`` (a ``key``) names exactly."""
        return set(self.by_spelling.get(spelled, ()))

    def prefixed(self, spelled: str) -> set[str]:
        """Candidates with a spelling that has ``spelled`` as a prefix of it or of one of its
        words."""
        return {name for start, name in self.word_starts if start.startswith(spelled)}

    def suggest(self, typed: str) -> list[str]:
        """Up to three candidates whose spellings look like ``typed`` (rapidfuzz WRatio)."""
        choices = [spelling for spelling, _ in self.spellings]
        found = process.extract(
            match_key(typed), choices, scorer=fuzz.WRatio, limit=6, score_cutoff=60, processor=None
        )
        names: list[str] = []
        for _, _, index in found:
            name = self.spellings[index][1]
            if name not in names:
                names.append(name)
        return names[:3]


@lru_cache(maxsize=256)
def names_index(candidates: tuple[str, ...], aliases: tuple[tuple[str, str], ...] = ()) -> Names:
    """The name index of one election, built once and reused for every ballot cast in it.

    Folding every candidate name and alias, and splitting each spelling into the word starts
    a prefix may match, was the largest per-ballot cost of parsing (75 → 29 µs a ballot). The
    key is the election's candidates and aliases (insertion order kept, so suggestions stay
    deterministic); a changed alias or candidate list is a different key, so a stale index
    is never used. 256 entries cover every election open at once on a busy server.
    """
    return Names.build(candidates, dict(aliases))


def _word_starts(spelling: str) -> tuple[str, ...]:
    """``"jeremy bernard corbyn"`` → itself, ``"bernard corbyn"``, ``"corbyn"``."""
    return (spelling, *(spelling[i + 1 :] for i, ch in enumerate(spelling) if ch == " "))


def resolve_words(words: Sequence[Token], names: Names) -> list[Found]:
    """(typed, candidate) for each name in a run of unquoted words, left to right."""
    found: list[Found] = []
    start = 0
    while start < len(words):
        end, name = _longest_match(words, start, names)
        if name:
            found.append((_typed(words[start:end]), name))
        start = end
    return found


def _typed(words: Sequence[Token]) -> str:
    return " ".join(w.typed for w in words)


def _longest_match(words: Sequence[Token], start: int, names: Names) -> tuple[int, str]:
    """The longest run of words from ``start`` that names one candidate.

    An exact spelling beats a prefix. When a *longer* run would name a different candidate
    only by prefix (``Jo Co`` with candidates Jo, Co and Jo Cox), the words are ambiguous:
    rather than guess, the member is asked to separate or quote the names. A dash that
    names nothing (``Kendall – Burnham``) is passed over: ``(end, "")``.
    """
    if not words[start].text.strip(_DASHES):
        return start + 1, ""  # no name starts with a dash of its own
    last = min(len(words), start + names.longest)
    exact_end, exact_name = 0, ""
    prefix_end, prefix_name = 0, ""
    for end in range(last, start, -1):
        spelled = match_key(" ".join(w.text for w in words[start:end]))
        exact = names.exact(spelled)
        if not exact_end and len(exact) == 1:
            exact_end, exact_name = end, next(iter(exact))
        if not prefix_end and not exact and len(spelled) >= MIN_PREFIX:
            prefixed = names.prefixed(spelled)
            if len(prefixed) == 1:
                prefix_end, prefix_name = end, next(iter(prefixed))
        if exact_end:
            break
    if prefix_end > exact_end and exact_end and prefix_name != exact_name:
        typed = visible(_typed(words[start:prefix_end]))
        raise InvalidInput(
            f'"{typed}" could be "{prefix_name}", or "{exact_name}" followed by another name: '
            "separate the names with commas or put each in quotes."
        )
    if exact_end >= prefix_end and exact_end:
        split = _split_into_names(words, start, exact_end, names)
        if split:
            typed = visible(_typed(words[start:exact_end]))
            pieces = " followed by ".join(f'"{name}"' for name in split)
            raise InvalidInput(
                f'"{typed}" could be "{exact_name}", or {pieces}: '
                "separate the names with commas or put each in quotes."
            )
        return exact_end, exact_name
    if prefix_end:
        return prefix_end, prefix_name
    word = words[start]
    return start + 1, resolve_exactly(word.text, word.typed, names)


_DASHES = "-‐‑‒–—―−"

MIN_PREFIX = 2
"""Fewest characters a prefix must have to name a candidate. A single letter is more often a
stray keystroke or an English word (``a``, ``I``) than an initial, and a stray letter read as
a candidate would be a preference the member did not give; so ``/rank Kendall b Cooper`` is
refused and the message names the candidates ``b`` could start."""

CONNECTIVES = frozenset({"and", "then", "&", "+", "plus", "or"})
"""Words members put between names as if writing a sentence (``Kendall and Cooper``). When no
candidate is spelled so, they get their own message instead of a look-alike suggestion."""


def _split_into_names(
    words: Sequence[Token], start: int, end: int, names: Names
) -> tuple[str, ...] | None:
    """Two or more different candidates whose exact spellings, one after another, are the
    words ``start:end`` (``Ann Smith`` with candidates Ann, Smith and Ann Smith), else
    ``None``. A run this short (at most ``names.longest`` words) is cheap to try every way."""
    if end - start < 2:
        return None

    def pieces(at: int) -> list[tuple[str, ...]]:
        if at == end:
            return [()]
        found: list[tuple[str, ...]] = []
        for cut in range(at + 1, end + 1):
            exact = names.exact(match_key(" ".join(w.text for w in words[at:cut])))
            if len(exact) == 1:
                head = next(iter(exact))
                found += [(head, *rest) for rest in pieces(cut) if head not in rest]
        return found

    return next((split for split in pieces(start) if len(split) >= 2), None)


def resolve_exactly(text: str, typed: str, names: Names) -> str:
    """One candidate for the whole of ``text``, or an ``InvalidInput`` saying why not."""
    spelled = match_key(text)
    exact = names.exact(spelled)
    if len(exact) == 1:
        return exact.pop()
    matches = exact or (names.prefixed(spelled) if spelled else set())
    if not exact and 0 < len(spelled) < MIN_PREFIX and matches:
        ordered = [c for c in names.candidates if c in matches]
        raise InvalidInput(
            f'"{visible(typed)}" is too short to be sure which candidate you mean: type at '
            f"least {MIN_PREFIX} letters of {either(ordered)}."
        )
    if len(matches) == 1:
        return matches.pop()
    if matches:
        ordered = [c for c in names.candidates if c in matches]
        raise InvalidInput(
            f'"{visible(typed)}" could be {either(ordered)}: type more of the name to choose one.'
        )
    raise InvalidInput(unknown_message(typed, names))


def unknown_message(typed: str, names: Names) -> str:
    """``"Burnam" is not a candidate. Did you mean "Burnham"?``, with what was typed shown
    escaped where it hides something (``Corb\\u200byn``, a Cyrillic ``о``)."""
    shown = visible(typed)
    if match_key(typed) in CONNECTIVES:
        return (
            f'"{shown}" is not a candidate. List the candidates in your order of preference, '
            'separated by spaces, commas or ">", without "and" or "then": for example '
            f"{_example(names)}."
        )
    suggestions = names.suggest(typed)
    if shown in suggestions:  # looks the same and is not: show every non-ASCII character
        shown = "".join(ch if ch.isascii() else _escape(ch) for ch in shown)
    message = f'"{shown}" is not a candidate.'
    if suggestions:
        return f"{message} Did you mean {either(suggestions)}?"
    listed = ", ".join(names.candidates)
    return f"{message} The candidates are: {listed}."


def _example(names: Names) -> str:
    """``/rank Kendall, Burnham`` from the election's first two candidates."""
    return "/rank " + ", ".join(names.candidates[:2])


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def either(names: Sequence[str]) -> str:
    """``"A"``, ``"A" or "B"``, ``"A", "B" or "C"``."""
    quoted = [f'"{n}"' for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
