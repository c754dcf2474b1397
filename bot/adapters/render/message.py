"""The neutral reply every adapter renders: a title, sections of lines, and who sees it.

Services return domain values; ``views`` and ``count`` turn those into ``Reply`` values that
carry no platform markup, so the plain-text console, Discord embeds and Slack blocks render the
same content. ``private`` replies go only to the caller (Discord ephemeral, Slack ephemeral);
public ones are announcements the adapter posts to the channel as the bot.

A command can also owe someone else a private message (a dismissed question's asker is told
why): such a reply carries ``recipient``, that member's platform user id, and travels in the
``followups`` of the caller's reply. Adapters deliver a reply with a ``recipient`` to that
member only (Slack ``chat.postEphemeral`` in the channel; Discord a DM, since an ephemeral
message can only answer the member's own interaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counting.result import Result


@dataclass(frozen=True)
class Section:
    """A block of lines under an optional heading (a round of a count, one question)."""

    lines: tuple[str, ...]
    heading: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A text file sent with a reply (a ballot export, the minutes of a hustings)."""

    filename: str
    content: str


@dataclass(frozen=True)
class Reply:
    title: str | None
    sections: tuple[Section, ...] = ()
    private: bool = True
    attachment: Attachment | None = None
    """One file (the original field); ``files`` lists it with ``attachments``."""
    recipient: str | None = None
    """Private replies only: the platform user id of who sees it; ``None`` means the caller."""
    direct: bool = False
    """With ``recipient``: a direct message, not tied to the channel (``/election remind``'s
    reminders): Slack opens a DM (``conversations.open``, then ``chat.postMessage``) instead
    of an ephemeral message in the channel. One that cannot be delivered is logged without
    ids and never reported to the caller, whose reply must not depend on who was reached."""
    followups: tuple[Reply, ...] = ()
    """Further replies to deliver after this one, in order (e.g. one to another member)."""
    charts_of: Result | None = None
    """A count whose charts may go with this reply as images. Adapters that can attach files
    draw them (``bot.adapters.render.charts``, alt text included) and the rest ignore it:
    the text of the reply states every fact the charts show."""
    attachments: tuple[Attachment, ...] = ()
    """More files (the minutes' Markdown and CSV), after ``attachment`` if both are set."""
    pin: bool = False
    """Public replies only: pin the posted message in the channel (a hustings' answers
    summary beside its ballot announcement). Adapters that cannot pin ignore it."""

    edit: bool = False
    """A public reply that replaces a message posted before (a re-answer replaces the answer):
    adapters that keep the earlier message's id edit it in place; the console marks the line
    ``[#channel, edited]``."""

    @property
    def files(self) -> tuple[Attachment, ...]:
        """Every file of this reply, in order: what adapters upload (or print)."""
        return (self.attachment, *self.attachments) if self.attachment else self.attachments

    @property
    def lines(self) -> tuple[str, ...]:
        """Every line of every section, for tests and simple renderers."""
        return tuple(line for section in self.sections for line in section.lines)


def private(title: str, *lines: str) -> Reply:
    """A short reply only the caller sees."""
    return Reply(title, (Section(tuple(lines)),) if lines else (), private=True)


def private_to(recipient: str, title: str, *lines: str) -> Reply:
    """A short private message to another member (``recipient`` = their platform user id)."""
    return Reply(title, (Section(tuple(lines)),) if lines else (), True, recipient=recipient)


def direct_to(recipient: str, title: str, *lines: str) -> Reply:
    """A direct message to another member, outside the channel (see ``Reply.direct``)."""
    return Reply(title, (Section(tuple(lines)),) if lines else (), True, recipient=recipient,
                 direct=True)  # fmt: skip


def deliveries(reply: Reply) -> tuple[Reply, ...]:
    """The reply and all its followups, depth first: everything an adapter must deliver."""
    out = [reply]
    for followup in reply.followups:
        out.extend(deliveries(followup))
    return tuple(out)


def public(title: str, *lines: str) -> Reply:
    """A short announcement to the channel."""
    return Reply(title, (Section(tuple(lines)),) if lines else (), private=False)
