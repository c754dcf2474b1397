"""Parse what a member types after ``/rank`` into a ranking of candidate names.

Members type rankings the way they would write them on paper: ``Kendall Burnham``,
``corbyn > burnham``, ``1. Cooper 2. Kendall``, ``"Liz Kendall", andy``, ``2) Cooper 1) Kendall``.
The parser is forgiving about form (separators, case, accents, phone punctuation, invisible
characters, unique prefixes, moderator-set aliases) and strict about meaning: a name it cannot
pin to exactly one candidate, a candidate ranked twice, two candidates given one number, or a
line that could be read two ways is an error that says what is wrong. Nothing is guessed,
because a guessed preference is a vote the member did not cast.

The grammar is in three modules, each with one job:

* ``tokens``: the text → words, quoted names, separators and rank numbers;
* ``names``: runs of words → candidates (folded matching, prefixes, aliases, suggestions);
* ``numbers``: numbers decide the order when there are any (``4. Kendall … 1. Corbyn`` ranks
  Corbyn first); numbers that are part of a name (``Candidate 2``) are read both ways.

Round trip: the receipt's form (``1. Corbyn 2. Burnham``) parses back to the same ranking
(``tests/bot/test_ranking_numbers.py`` checks it with Hypothesis).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.errors import InvalidInput
from bot.ranking.names import Names, names_index
from bot.ranking.numbers import Ranking, read
from bot.ranking.tokens import tokens
from counting.names import fold

__all__ = ["MAX_LENGTH", "Names", "Ranking", "fold", "names_index", "parse_ranking", "read_ranking"]

MAX_LENGTH = 2000
"""Longest ranking text accepted; far beyond any real ballot, it bounds the matching work."""


def read_ranking(
    text: str, candidates: Sequence[str], aliases: Mapping[str, str] | None = None
) -> Ranking:
    """What ``text`` ranks, most preferred first (a partial ranking is fine), with a note
    when the member's numbers were closed up.

    Raises ``InvalidInput`` for empty input and for any name that is unknown, ambiguous (the
    prefix of several candidates) or ranked twice, and for numbers that do not give one
    order (see ``bot.ranking.numbers``); the message quotes what was typed (invisible
    characters shown) and suggests candidates. ``aliases`` maps moderator-set nicknames to
    candidate names.
    """
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            f"That ranking is too long ({len(text)} characters; most is {MAX_LENGTH})."
        )
    names = names_index(tuple(candidates), tuple((aliases or {}).items()))
    return read(tokens(text), names)


def parse_ranking(
    text: str, candidates: Sequence[str], aliases: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The candidates ``text`` ranks, most preferred first (see ``read_ranking``)."""
    return read_ranking(text, candidates, aliases).names
