"""The one function every piece of text passes through on its way into a Discord message.

Discord reads message content, embed titles, descriptions and fields as markdown, so text a
member typed (a question, an answer, a reason, a candidate name, an election title) could
otherwise turn into a masked link (``[Vote here](https://evil.example)``), bold, a heading,
a list, a spoiler, a code block or a mention in the bot's announcement. The neutral ``Reply``
carries no markup of its own, so ``text`` escapes *all* of it, member-typed or not: what a
member reads is exactly the neutral text, and nothing can be forgotten on one code path.

Escaping is by backslash, which Discord hides before any punctuation: inline markers
(``* _ ~ | ` [ ] < >`` and the backslash itself) everywhere; block markers (``#`` headings,
``-#`` subtext, ``>`` quotes, ``-``/``+``/``1.`` lists) at the start of a line; ``://`` so a
URL shows as text instead of a link. Mentions are escaped by ``discord.utils.escape_mentions``
(``@everyone``, ``@here``, raw ids) and, as a second guard, every send carries
``AllowedMentions.none()`` (``respond.NO_MENTIONS``). ``code`` is for text inside a code block,
where Discord reads no markdown and only a backtick could close the block.

``shown`` is the inverse a reader applies (the local console, tests): ``shown(text(s)) == s``.
"""

from __future__ import annotations

import re

import discord

_INLINE = re.compile(r"([\\*_~|`\[\]<>])")
_BLOCK = re.compile(r"^([ \t]*)(#|-|\+|\d+(?=[.)]))", re.MULTILINE)
_NUMBERED = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
_SCHEME = re.compile(r"(?<=:)//")
_ESCAPED = re.compile(r"\\([^0-9A-Za-z\s])")
_ZERO_WIDTH_MENTION = re.compile("@\u200b(?=everyone|here|[!&]?[0-9]{17,20})")


def text(raw: str) -> str:
    """``raw`` as Discord markdown that displays exactly ``raw`` (see the module docstring)."""
    escaped = _INLINE.sub(r"\\\1", raw)
    escaped = _NUMBERED.sub(r"\1\\\2", escaped)
    escaped = _BLOCK.sub(_block_marker, escaped)
    escaped = _SCHEME.sub(r"\\/\\/", escaped)
    return discord.utils.escape_mentions(escaped)


def _block_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():  # "1." lists: the dot was escaped by _NUMBERED
        return indent + marker
    return f"{indent}\\{marker}"


def code(raw: str) -> str:
    """``raw`` for the inside of a code block: a backtick becomes a look-alike (ˋ)."""
    return raw.replace("`", "ˋ")


def shown(markdown: str) -> str:
    """What a member reads for ``markdown`` made by ``text``: escapes removed."""
    return _ZERO_WIDTH_MENTION.sub("@", _ESCAPED.sub(r"\1", markdown))
