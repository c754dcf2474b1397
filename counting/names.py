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
   and the other default-ignorable code points (variation selectors, Hangul fillers, tags);
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

import re
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


_IGNORABLE = (
    (0x034F, 0x034F),  # combining grapheme joiner: a mark that joins nothing visible
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels (never shown)
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x2060, 0x206F),  # word joiner, invisible operators, and the unassigned rest of the block
    (0x3164, 0x3164),  # Hangul filler (renders as blank)
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xFFF0, 0xFFF8),  # unassigned, reserved as ignorable
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
)
"""Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt) that are not
already format characters: code points a renderer shows as nothing."""
_IGNORED = frozenset(chr(c) for low, high in _IGNORABLE for c in range(low, high + 1))


def invisible(ch: str) -> bool:
    """True for a character that shows nothing: a format character (``Cf``) or one of the
    other default-ignorable code points (variation selectors, Hangul fillers, tags)."""
    return ch in _IGNORED or unicodedata.category(ch) == "Cf"


def fold(text: str) -> str:
    """The matching form of ``text`` (see the module docstring for each step).

    ``fold("Rory O’Brien") == fold("rory o'brien") == "rory o'brien"``;
    ``fold("Corb\\u200byn") == "corbyn"``; ``fold("Smith–Jones") == "smith-jones"``.
    An empty or all-invisible string folds to ``""``.
    """
    if text.isascii():  # the common case: no invisible, accented or compatibility characters
        return " ".join(text.translate(_TRANSLATE).casefold().split())
    shown = "".join(ch for ch in text if not invisible(ch))
    normal = unicodedata.normalize("NFKC", shown.translate(_TRANSLATE)).translate(_TRANSLATE)
    spaced = "".join(
        " " if ch.isspace() or unicodedata.category(ch) == "Zs" else ch for ch in normal
    )
    decomposed = unicodedata.normalize("NFD", spaced)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().translate(_TRANSLATE).split())


def visible(text: str) -> str:
    """``text`` with what a reader cannot see, or cannot tell apart, written as escapes.

    Invisible and control characters become ``\\uXXXX``; so do the letters of a second
    look-alike script inside one word (a Cyrillic ``о`` in ``Cоrbyn``: Latin, Greek, Cyrillic,
    Armenian and Cherokee share letter shapes, Unicode Technical Standard #39's mixed-script
    case). ``visible("Corb\\u200byn") == "Corb\\\\u200byn"``: a member told that ``"Corbyn"``
    is not a candidate sees why, because the message shows the character they could not see.
    """
    out: list[str] = []
    for word in _WORDS.findall(text):
        odd = _minority_letters(word)
        out.extend(_escape(ch) if ch in odd or invisible(ch) or _control(ch) else ch for ch in word)
    return "".join(out)


_WORDS = re.compile(r"\s+|\S+")
_LOOKALIKE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"})


def _script(ch: str) -> str | None:
    """The look-alike script a letter belongs to (from its Unicode name), else ``None``."""
    if not ch.isalpha():
        return None
    script = unicodedata.name(ch, "").split(" ", 1)[0]
    return script if script in _LOOKALIKE_SCRIPTS else None


def _minority_letters(word: str) -> frozenset[str]:
    """The letters of ``word`` outside its main look-alike script (none if it has one)."""
    scripts = [s for s in map(_script, word) if s is not None]
    counts = {s: scripts.count(s) for s in scripts}
    if len(counts) < 2:
        return frozenset()
    main = max(sorted(counts), key=lambda s: (counts[s], s == "LATIN"))
    return frozenset(ch for ch in word if _script(ch) not in (None, main))


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character (``Cc``) other than an ordinary space."""
    return any(_control(ch) for ch in text)


def has_bidi_override(text: str) -> bool:
    """True when ``text`` holds a bidi embedding, override or isolate (U+202A–E, U+2066–9)."""
    return any(ch in _BIDI_OVERRIDES for ch in text)


def _control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch != " "
