"""Split what a member typed after ``/rank`` into tokens: words, quoted names, separators and
rank numbers.

The text is first put in Unicode NFKC form (so full-width ``１．`` and circled ``①`` are the
digits they look like; an acute accent typed as an apostrophe, ``O´Brien``, is made one first,
because NFKC would split it into a space and a mark) and read with its invisible characters
(``counting.names.invisible``) skipped, so a zero-width space never splits or joins anything.
Each token keeps ``typed``, the member's own characters, invisible ones included, so an error
message can show them.

Tokens, tried in this order at each position:

* a line break, ``>`` (``->``, ``=>``, ``→``, ``»``), ``,``, ``;`` or ``|``: a **separator**;
* ``"…"``, ``“…”``, ``„…“`` or ``«…»``: a **quoted** name, taken whole;
* a **rank number** at the start of a token: ``1.`` ``1)`` ``1:`` ``#1`` ``(1)`` ``[1]``
  ``1st`` ``2nd`` ``3rd`` ``4th`` ``1º`` ``2ª`` ``1°`` ``first`` … ``twentieth`` (any case), or
  a bare ``1``; a number without ``.``/``)``/``:`` must end where the word ends (``1Kendall``
  is a word);
* anything else up to a space, separator or quote: a **word** (with ``.!?:`` trimmed from
  its ends, so ``Kendall.`` is ``Kendall``). A dash standing alone is a word too, so a name
  like ``Jo Bloggs - Independent`` can be typed; where it names nothing (``1 – Kendall``) the
  name matcher passes over it.

Whether a rank number is a number or part of a candidate's name (``Candidate 2``) is not
decided here: ``bot.ranking.numbers`` tries both readings.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from typing import NamedTuple

from bot.errors import InvalidInput
from counting.names import invisible

EDGE_PUNCTUATION = ".!?:"
"""Trimmed from the ends of typed words (``Kendall.``) and of names' words when matching."""

ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
"""Ordinal words read as rank numbers (``first`` is 1)."""

_ORDINAL_INDICATOR = re.compile(r"(\d)[\u00ba\u00aa\u00b0]")
"""``1º``, ``2ª`` (Spanish, Portuguese, Italian) and ``1°`` typed for them: rank marks (``1.``)."""
_QUOTE_CHARS = '"“”„«»'
_STRAY = '"“”„«'
"""Quote characters left over outside a pair; a lone ``»`` is a separator (``A » B``)."""
_ENDS = rf"\s{_QUOTE_CHARS},;|>→"
"""Characters that end a word (besides ``->`` and ``=>``)."""
_ORDINAL = "|".join(ORDINALS)
_SCAN = re.compile(
    rf"""
      (?P<newline>\s*[\n\r\u2028\u2029]\s*)
    | (?P<space>\s+)
    | (?P<quoted>"(?P<q1>[^"]*)"|“(?P<q2>[^”]*)”|„(?P<q3>[^“”]*)[“”]|«(?P<q4>[^»]*)»)
    | (?P<stray>[{_STRAY}])
    | (?P<sep>-+>|=>|>+|→|»|,|;|\|)
    | (?P<mark>
          (?: \#(?P<hash>\d+) | (?P<digits>\d+)(?:st|nd|rd|th)? | (?P<ordinal>{_ORDINAL}) )
          (?: [.):] | (?=[{_ENDS}]|$|-+>|=>) )
        | \((?P<paren>\d+)\) | \[(?P<bracket>\d+)\]
      )
    | (?P<word>(?:(?!-+>|=>)[^{_ENDS}])+)
    """,
    re.VERBOSE | re.IGNORECASE,
)


class Kind(Enum):
    WORD = "word"
    QUOTED = "quoted"
    SEPARATOR = "separator"
    MARK = "mark"


class Token(NamedTuple):
    """One token: ``text`` to match (no invisible characters), ``typed`` to show (a named
    tuple: a ranking makes a few dozen, and a frozen dataclass costs several times more)."""

    kind: Kind
    text: str
    typed: str
    rank: int = 0
    """The number a ``MARK`` stands for (``2nd`` → 2)."""

    @property
    def as_word(self) -> str:
        """The text this token is as part of a name (``2.`` in ``Candidate 2.`` is ``2``)."""
        return self.text.strip(EDGE_PUNCTUATION)


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``, separators included; ``InvalidInput`` for an unclosed quote."""
    # NFKC turns an acute accent used as an apostrophe (O´Brien) into a space and a mark,
    # and the ordinal indicators of 1º / 1ª into the letters o / a
    text = _ORDINAL_INDICATOR.sub(r"\1.", text.replace("\u00b4", "'"))
    normal = unicodedata.normalize("NFKC", text)
    ascii_only = normal.isascii()  # nothing invisible: no per-character look-up or mapping
    kept = [] if ascii_only else [i for i, ch in enumerate(normal) if not invisible(ch)]
    plain = normal if ascii_only else "".join(normal[i] for i in kept)

    def typed(start: int, end: int) -> str:
        """The member's characters for ``plain[start:end]``, invisible ones around it too."""
        if ascii_only:
            return normal[start:end]
        first = kept[start - 1] + 1 if start > 0 else 0
        last = kept[end] if end < len(kept) else len(normal)
        return normal[first:last]

    found: list[Token] = []
    for match in _SCAN.finditer(plain):
        group = match.lastgroup
        if group == "stray":
            raise InvalidInput(
                "A quote in your ranking is not closed: put each name in a pair of quotes."
            )
        if group in ("newline", "sep"):
            found.append(Token(Kind.SEPARATOR, match.group(), typed(*match.span())))
        elif group == "quoted":
            inner = next(g for g in ("q1", "q2", "q3", "q4") if match.group(g) is not None)
            body = " ".join(match.group(inner).split())
            if not body:
                raise InvalidInput("There is an empty pair of quotes in your ranking.")
            found.append(Token(Kind.QUOTED, body, typed(*match.span(inner)).strip()))
        elif group == "mark":
            found.append(Token(Kind.MARK, match.group(), typed(*match.span()), _rank(match)))
        elif group == "word":
            word = match.group().strip(EDGE_PUNCTUATION)
            if word:
                found.append(Token(Kind.WORD, word, typed(*match.span()).strip(EDGE_PUNCTUATION)))
    return found


def _rank(match: re.Match[str]) -> int:
    ordinal = match.group("ordinal")
    if ordinal is not None:
        return ORDINALS.index(ordinal.casefold()) + 1
    digits = next(match.group(g) for g in ("hash", "digits", "paren", "bracket") if match.group(g))
    return int(digits)
