"""Numbered lines of a ballot file, read one at a time or a block at a time.

A million-line file is mostly repeated ballot lines, read in a tight loop: handing them over
a block of ``BLOCK`` lines at a time (split by C, ``str.splitlines`` or ``islice``) saves a
generator step per line. Memory stays at one block of lines, whatever the file's size: the
source is text (split a megabyte at a time) or any iterable of lines, such as an open file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice, repeat

BLOCK = 1 << 16
"""Lines per block."""
_PIECE = 1 << 20
"""Characters of text split into lines at a time."""


_EXOTIC = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Characters ``str.splitlines`` breaks lines at, besides ``\\n`` and ``\\r``."""


def plain(text: str) -> bool:
    """True when ``text`` breaks lines only with ``\\n`` or ``\\r\\n``, as ``splitlines``
    and a search for ``\\n`` then agree on every line's number (one C scan per character)."""
    if any(char in text for char in _EXOTIC):
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


def text_blocks(text: str, start: int = 0, size: int | None = None) -> Iterator[list[str]]:
    """The lines of ``text[start:size]``, a list per megabyte or so."""
    size = len(text) if size is None else size
    while start < size:
        end = text.find("\n", min(start + _PIECE, size), size)
        end = size if end < 0 else end
        yield text[start:end].splitlines()
        start = end + 1


def _iterable_blocks(lines: Iterable[str]) -> Iterator[list[str]]:
    """Blocks of the given lines, each without its one line ending (``\\n``, ``\\r\\n`` or
    ``\\r``, as an open file yields them; a line given without one is kept whole), so they are
    the lines ``str.splitlines`` gives the same text and take the same roads (the bulk readers
    of ``blt_ballots``). A line break anywhere else stays in the line, which is then refused:
    one given line is never read as two. Two C-level passes, no Python step per line."""
    source = iter(lines)
    while block := list(islice(source, BLOCK)):
        yield list(map(str.removesuffix, map(str.removesuffix, block, repeat("\n")), repeat("\r")))


class Lines:
    """Lines of ``source`` with their numbers (1-based); ``number`` is the last one taken."""

    def __init__(self, source: str | Iterable[str], number: int = 0) -> None:
        self._blocks = text_blocks(source) if isinstance(source, str) else _iterable_blocks(source)
        self._block: list[str] = []
        self._next = 0
        self.number = number
        self.text = source if isinstance(source, str) and plain(source) else None
        """The whole text, when it is plain (see ``plain``): callers may then scan it in C."""

    def offset(self) -> int:
        """Where in ``text`` the next line starts (plain text only)."""
        assert self.text is not None
        position = 0
        for _ in range(self.number):
            position = self.text.index("\n", position) + 1
        return position

    def line(self) -> str | None:
        """The next line, or None at the end."""
        while self._next >= len(self._block):
            block = next(self._blocks, None)
            if block is None:
                return None
            self._block, self._next = block, 0
        raw = self._block[self._next]
        self._next += 1
        self.number += 1
        return raw

    def block(self) -> list[str]:
        """The next lines (up to a block; empty at the end); the first is ``number + 1``."""
        if self._next < len(self._block):
            rest = self._block[self._next :] if self._next else self._block
        else:
            rest = next(self._blocks, [])
        self._block, self._next = [], 0
        self.number += len(rest)
        return rest

    def give_back(self, lines: list[str]) -> None:
        """Return the last lines taken (a block's end, or one line): they are read again next."""
        self._block, self._next = lines + self._block[self._next :], 0
        self.number -= len(lines)

    def __iter__(self) -> Iterator[tuple[int, str]]:
        """The remaining lines with their numbers."""
        while (raw := self.line()) is not None:
            yield self.number, raw
