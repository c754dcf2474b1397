"""Autocomplete for ``/rank``: suggest the ranking typed so far plus the next candidate.

A member on a phone types ``Kendall, Bur`` and is offered ``Kendall, Burnham``; picking it
and typing on offers each remaining candidate next. The part already typed is parsed with the
same parser the ballot uses (``bot.ranking``), so a suggestion is always a ranking the
service will accept, in the candidates' own spellings. Nothing is ever guessed into a ballot:
a suggestion only fills the text box, and the member still sends it.

Discord caps a suggestion at 100 characters. When a long ranking would not fit, earlier names
are written as their shortest unambiguous prefix (checked by parsing it back); if even that
does not fit, there is no suggestion and the member types on. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.errors import InvalidInput
from bot.ranking import names_index, parse_ranking
from bot.ranking.names import match_key

MAX_CHOICES = 25
MAX_VALUE = 100
_LAST_SEPARATOR = re.compile(r"^(.*(?:,|>|;|\|))\s*([^,>;|]*)$", re.DOTALL)
SEPARATOR = ", "


def suggest_rankings(
    typed: str, candidates: Sequence[str], aliases: Mapping[str, str] | None = None
) -> list[str]:
    """Up to 25 whole rankings to offer for what has been ``typed`` so far."""
    names = tuple(candidates)
    alias_map = dict(aliases or {})
    for head, partial in _splits(typed):
        ranked = _parse_or_none(head, names, alias_map)
        if ranked is None:
            rankings = _numbered_next(head, partial, names, alias_map)
            if rankings:
                return _fit(rankings, names, alias_map)
            continue
        nexts = _next_candidates(partial, ranked, names, alias_map)
        if nexts:
            return _fit([(*ranked, name) for name in nexts], names, alias_map)
    return []


_TRAILING_MARK = re.compile(r"\s(?:#?\d+(?:st|nd|rd|th)?[.):]?|\(\d+\)|\[\d+\])\s*$")


def _numbered_next(
    head: str, partial: str, names: tuple[str, ...], aliases: dict[str, str]
) -> list[tuple[str, ...]]:
    """``1. Kendall 2. Bur``: the rankings with the next candidate at the number typed
    (numbers decide the order, so ``2. Kendall 1. Cor`` puts Corbyn first)."""
    mark = _TRAILING_MARK.search(" " + head)
    if mark is None:
        return []
    before = _parse_or_none(head[: max(mark.start() - 1, 0)], names, aliases)
    if before is None:
        return []
    found = []
    for name in _next_candidates(partial, before, names, aliases):
        ranking = _parse_or_none(f'{head} "{name}"', names, aliases)
        if ranking:
            found.append(ranking)
    return found


def suggest_names(typed: str, candidates: Sequence[str]) -> list[str]:
    """Candidates whose name (or one of its words) starts with ``typed``, in ballot order."""
    key = match_key(typed)
    found = names_index(tuple(candidates)).prefixed(key) if key else set(candidates)
    return [c for c in candidates if c in found][:MAX_CHOICES]


def _splits(typed: str) -> list[tuple[str, str]]:
    """Ways to read ``typed`` as (ranked so far, name being typed): after the last explicit
    separator, after the last space, or all of it ranked (suggest what comes next)."""
    text = typed.strip()
    splits: list[tuple[str, str]] = []
    match = _LAST_SEPARATOR.match(text)
    if match and match.group(2).strip():
        splits.append((match.group(1), match.group(2)))
    head, _, last = text.rpartition(" ")
    if last and (head, last) not in splits:
        splits.append((head, last))
    splits.append((text, ""))
    return splits


def _parse_or_none(
    head: str, names: tuple[str, ...], aliases: dict[str, str]
) -> tuple[str, ...] | None:
    if not head.strip(" ,>;|"):
        return ()
    try:
        return parse_ranking(head, names, aliases)
    except InvalidInput:
        return None


def _next_candidates(
    partial: str, ranked: tuple[str, ...], names: tuple[str, ...], aliases: dict[str, str]
) -> list[str]:
    remaining = [c for c in names if c not in ranked]
    key = match_key(partial)
    if not key:
        return remaining
    index = names_index(names, tuple(aliases.items()))
    found = index.prefixed(key)
    return [c for c in remaining if c in found]


def _fit(
    rankings: list[tuple[str, ...]], names: tuple[str, ...], aliases: dict[str, str]
) -> list[str]:
    out: list[str] = []
    for ranking in rankings:
        text = _written(ranking, names, aliases)
        if text is not None:
            out.append(text)
        if len(out) == MAX_CHOICES:
            break
    return out


def _written(
    ranking: tuple[str, ...], names: tuple[str, ...], aliases: dict[str, str]
) -> str | None:
    """The ranking as text within 100 characters that parses back to exactly ``ranking``."""
    full = SEPARATOR.join(_quoted(n) for n in ranking)
    if len(full) <= MAX_VALUE:
        return full
    short = SEPARATOR.join([*(_shortest(n, names, aliases) for n in ranking[:-1]), ranking[-1]])
    if len(short) > MAX_VALUE:
        return None
    try:
        ok = parse_ranking(short, names, aliases) == ranking
    except InvalidInput:
        ok = False
    return short if ok else None


def _quoted(name: str) -> str:
    """Names the parser could split (a standalone number, a separator) go in quotes."""
    needs = any(ch in name for ch in ",>;|") or any(w.isdigit() for w in name.split())
    return f'"{name}"' if needs else name


def _shortest(name: str, names: tuple[str, ...], aliases: dict[str, str]) -> str:
    """The shortest start of ``name`` or of one of its words that names only it."""
    index = names_index(names, tuple(aliases.items()))
    starts = [name, *(name[i + 1 :] for i, ch in enumerate(name) if ch == " ")]
    best = _quoted(name)
    for start in starts:
        for length in range(1, min(len(start), len(best))):
            prefix = start[:length]
            if prefix.strip() == prefix and index.prefixed(match_key(prefix)) == {name}:
                best = prefix
                break
    return best
