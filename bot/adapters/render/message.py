"""The neutral reply every adapter renders: a title, sections of lines, and who sees it.

Services return domain values; ``views`` and ``count`` turn those into ``Reply`` values that
carry no platform markup, so the plain-text console, Discord embeds and Slack blocks render the
same content. ``private`` replies go only to the caller (Discord ephemeral, Slack ephemeral);
public ones are announcements the adapter posts to the channel as the bot.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A block of lines under an optional heading (a round of a count, one question)."""

    lines: tuple[str, ...]
    heading: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply (a ballot export)."""

    filename: str
    content: str


@dataclass(frozen=True)
class Reply:
    title: str | None
    sections: tuple[Section, ...] = ()
    private: bool = True
    attachment: Attachment | None = None

    @property
    def lines(self) -> tuple[str, ...]:
        """Every line of every section, for tests and simple renderers."""
        return tuple(line for section in self.sections for line in section.lines)


def private(title: str, *lines: str) -> Reply:
    """A short reply only the caller sees."""
    return Reply(title, (Section(tuple(lines)),) if lines else (), private=True)


def public(title: str, *lines: str) -> Reply:
    """A short announcement to the channel."""
    return Reply(title, (Section(tuple(lines)),) if lines else (), private=False)
