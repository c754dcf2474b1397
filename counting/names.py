"""One folding of text for matching candidate names, everywhere a name is typed or read.

A member on a phone types ``Rory O’Brien`` (U+2019), ``Smith–Jones`` (en dash), ``Ed Balls`` with a
no-break space, or pastes ``Corb<U+200B>yn`` with an invisible zero-width space. Each of those
means the candidate the moderator spelled ``Rory O'Brien``, ``Smith-Jones``, ``Ed Balls`` and
``Corbyn``. So every place that matches a name (the ``/rank`` parser, ``/ask --to``, aliases,
``--withdraw``, candidate names read from ballot files) compares :func:`fold` of both sides,
and nothing else.

The folding, in order (Unicode Standard Annex #15 for NFKC, #44 for the general categories):

1. invisible characters are removed: format characters (category ``Cf``: zero-width space, joiner
   and non-joiner, word joiner, BOM, soft hyphen, bidi marks, embeddings, overrides and isolates)
   and the variation selectors;
2. NFKC normalisation (full-width letters, ligatures, compatibility spaces become plain ones);
3. every apostrophe or quote variant (’ ‘ ʼ ′ ` ´ « » “ ” „ ‹ › ″) becomes ``'``; every dash or
   hyphen variant (– — ‐ ‑ ‒ ― − ﹣ －) becomes ``-``; every space variant (category ``Zs``, tabs,
   line breaks) becomes a plain space;
4. accents are stripped (NFD, combining marks dropped) and letters Unicode does not decompose
   (ø ł đ ð þ æ œ ı ħ ß) are spelled out;
5. case-folding (``str.casefold``), and runs of white space collapse to one space.

The folded form is for comparing only: what is stored and shown is always the candidate's own
spelling. :func:`visible` shows what a member typed with its invisible characters made visible,
for error messages.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "has_bidi_override", "has_control", "invisible", "visible"]

_QUOTES = "'’‘‚‛ʼʻʹ′‵`´«»“”„‟″‹›＂＇\""
_DASHES = "-‐‑‒–—―−﹘﹣－⁃"
_SPELLED = {
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "ħ": "h",
    "ß": "ss",
}
_TRANSLATE = str.maketrans(
    {
        **{ch: "'" for ch in _QUOTES},
        **{ch: "-" for ch in _DASHES},
        **_SPELLED,
    }
)
_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they can make a name display as something it is not."""


def invisible(ch: str) -> bool:
    """True for a character that shows nothing: format (``Cf``) or a variation selector."""
    code = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or ch == "\u034f"  # combining grapheme joiner: a mark that joins nothing visible
    )


def fold(text: str) -> str:
    """The matching form of ``text`` (see the module docstring for each step).

    ``fold("Rory O’Brien") == fold("rory o'brien") == "rory o'brien"``;
    ``fold("Corb\\u200byn") == "corbyn"``; ``fold("Smith–Jones") == "smith-jones"``.
    An empty or all-invisible string folds to ``""``.
    """
    shown = "".join(ch for ch in text if not invisible(ch))
    normal = unicodedata.normalize("NFKC", shown.translate(_TRANSLATE)).translate(_TRANSLATE)
    spaced = "".join(
        " " if ch.isspace() or unicodedata.category(ch) == "Zs" else ch for ch in normal
    )
    decomposed = unicodedata.normalize("NFD", spaced)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().translate(_TRANSLATE).split())


def visible(text: str) -> str:
    """``text`` with invisible and control characters written as ``\\uXXXX`` escapes.

    ``visible("Corb\\u200byn") == "Corb\\\\u200byn"``: a member told that ``"Corbyn"`` is not a
    candidate sees why, because the message shows the character they could not see.
    """
    out: list[str] = []
    for ch in text:
        if invisible(ch) or _control(ch):
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character (``Cc``) other than an ordinary space."""
    return any(_control(ch) for ch in text)


def has_bidi_override(text: str) -> bool:
    """True when ``text`` holds a bidi embedding, override or isolate (U+202A–E, U+2066–9)."""
    return any(ch in _BIDI_OVERRIDES for ch in text)


def _control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch != " "
