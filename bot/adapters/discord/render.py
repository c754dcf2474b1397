"""Neutral replies and counts as Discord messages, always inside Discord's limits.

Discord rejects (400, 50035) a message over 2000 characters of content, more than 10 embeds
or 6000 embed characters, an embed with more than 25 fields, a title over 256, a description
over 4096 or a field over 1024 characters. Nothing here ever cuts text off: whatever does not
fit goes on into another field, embed or message, so a long count becomes several messages
rather than a silently shortened one. ``Outgoing`` values are plain data (content, embeds,
file) so tests check the limits without a client.

A count is rendered from the ``Result`` itself (``count_messages``), one embed per round with
a tally bar per candidate, its exact tally and percentage, the threshold, who was elected or
eliminated, the transfers and the exhausted ballots. Numbers are shown with the neutral
renderer's ``display_number`` and ``percent`` (exact ``Fraction`` arithmetic, no floats).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import discord

from bot.adapters.discord import markdown
from bot.adapters.render import count_words
from bot.adapters.render.count import display_number, percent, tally_columns, winner_lines
from bot.adapters.render.message import Attachment, Reply
from bot.adapters.render.text import render as render_text
from bot.domain import CountOutcome
from counting.result import Number, Result, Round

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
BAR = 12
"""Width of a tally bar in blocks."""
COLOUR = discord.Colour(0x5865F2)
CONTINUED = " (continued)"


@dataclass
class Outgoing:
    """One Discord message to send: content, embeds and optional files, all within limits."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    attachments: tuple[Attachment, ...] = ()
    pin: bool = False
    """Pin the message once posted (``Reply.pin``)."""

    def files(self) -> list[discord.File]:
        """The attachments as uploads (UTF-8), in order; Discord allows 10 per message."""
        return [
            discord.File(io.BytesIO(a.content.encode("utf-8")), filename=a.filename)
            for a in self.attachments
        ]


# --- generic replies -------------------------------------------------------------------------


def reply_messages(reply: Reply) -> list[Outgoing]:
    """A neutral reply as messages: plain content when short and flat, else embeds."""
    text = render_text(_without_attachment(reply))
    flat = all(section.heading is None for section in reply.sections)
    if flat or (len(text) <= MAX_CONTENT and len(reply.sections) <= 1):
        messages = [Outgoing(content=chunk) for chunk in split_text(_bold_title(reply))]
    else:
        messages = _embed_reply(reply)
    messages[-1].attachments = reply.files
    messages[-1].pin = reply.pin
    return messages


def _without_attachment(reply: Reply) -> Reply:
    return Reply(reply.title, reply.sections, reply.private)


def _bold_title(reply: Reply) -> str:
    body = markdown.text(render_text(Reply(None, reply.sections, reply.private)))
    title = f"**{markdown.text(reply.title)}**" if reply.title else ""
    return "\n".join(part for part in (title, body) if part) or "Done."


def _embed_reply(reply: Reply) -> list[Outgoing]:
    embeds: list[discord.Embed] = []
    for section in reply.sections:
        heading = section.heading or "\u200b"
        embeds.extend(_embeds_for(heading, list(section.lines), []))
    return pack(embeds, content=markdown.text(reply.title) if reply.title else None)


# --- counts ----------------------------------------------------------------------------------


def count_messages(outcome: CountOutcome) -> list[Outgoing]:
    """The public round-by-round announcement: intro content, one embed per round, winners."""
    election, result = outcome.election, outcome.result
    prefix = "Recount" if outcome.recount_of is not None else "Result"
    ballots = f"{result.ballots} ballot{'s' if result.ballots != 1 else ''}"
    seats = f"{election.seats} seat{'s' if election.seats != 1 else ''}"
    intro = (
        f"**{prefix}: {markdown.text(election.title)}** — {ballots}, "
        f"{len(result.candidates)} candidates, "
        f"{election.method.upper()} for {seats}."
    )
    if outcome.recount_of is not None:
        intro += "\nThe stored ballots were counted again: identical result."
    embeds: list[discord.Embed] = []
    for label, sub, r in _labelled_rounds(result):
        embeds.extend(round_embeds(sub, r, label))
    embeds.extend(_embeds_for("Outcome", list(winner_lines(result)), []))
    return pack(embeds, content=intro)


def _labelled_rounds(result: Result) -> Iterator[tuple[str, Result, Round]]:
    if not result.passes:
        yield from ((f"Round {r.number}", result, r) for r in result.rounds)
        return
    for seat, sub in enumerate(result.passes, start=1):
        yield from ((f"Seat {seat}, round {r.number}", sub, r) for r in sub.rounds)


def round_embeds(result: Result, r: Round, label: str) -> list[discord.Embed]:
    """One round: tally bars in the description, the round's decisions as fields (the words
    are ``count_words``', shared with the text announcement and ``hustings count``)."""
    title = label
    fields: list[tuple[str, str]] = []
    threshold = count_words.threshold_text(result, r, display_number)
    if threshold:
        name, _, words = threshold.partition(" ")
        fields.append((name.capitalize(), words))
    if r.number == 1:
        fields.append(("Percentages", count_words.share_label(result)))
    if r.elected:
        fields.append(("Elected", ", ".join(r.elected)))
    if r.eliminated:
        fields.append(("Eliminated", ", ".join(r.eliminated)))
    for source, moves in r.transfers.items():
        if moves:
            text = count_words.transfer_text(result, source, moves, display_number)
            name, _, value = text.partition(": ")
            fields.append((name, value))
    renormalised = count_words.renormalised_text(r, display_number)
    if renormalised:
        fields.append(("Re-shared within sections", renormalised.partition(": ")[2]))
    fields.append(("Exhausted", display_number(r.exhausted)))
    for name, tally in r.sections.items():
        fields.append(
            (f"Section {name}", ", ".join(f"{c} {display_number(v)}" for c, v in tally.items()))
        )
    fields += [("Tie-break", t.explanation) for t in r.tiebreaks]
    if r.note:
        fields.append(("Note", r.note))
    return _embeds_for(title, tally_lines(r.tally, result.candidates), fields, code=True)


def tally_lines(tally: Mapping[str, Number], candidates: Sequence[str]) -> list[str]:
    """``Kendall   ███████░░░░░  12  41.7%`` per candidate, highest first."""
    t = tally_columns(tally, candidates)
    return [
        f"{c:<{t.width}} {bar(tally[c], t.total)} {t.numbers[c]:>{t.digits}} "
        f"{percent(tally[c], t.total):>6}"
        for c in t.ranked
    ]


def bar(part: Number, whole: Fraction) -> str:
    """A bar of ``BAR`` blocks, filled in proportion (exact, rounded half up)."""
    filled = 0 if not whole else int(Fraction(part) * BAR / whole + Fraction(1, 2))
    filled = max(0, min(BAR, filled))
    return "█" * filled + "░" * (BAR - filled)


# --- limits ------------------------------------------------------------------------------------


def _embeds_for(
    title: str, lines: list[str], fields: Iterable[tuple[str, str]], *, code: bool = False
) -> list[discord.Embed]:
    """Embeds carrying ``lines`` (description) and ``fields``; more embeds when they overflow.

    Everything is neutral text: it is escaped here (``markdown``), lines inside a code block
    only against a closing backtick, so callers never pass markup.
    """
    title = markdown.text(title)
    lines = [markdown.code(line) if code else markdown.text(line) for line in lines]
    fields = [(markdown.text(name), markdown.text(value)) for name, value in fields]
    if len(title) > MAX_TITLE:
        lines = [title, *lines]  # the whole title stays readable in the description
    wrap = ("```\n", "\n```") if code else ("", "")
    room = MAX_DESCRIPTION - len(wrap[0]) - len(wrap[1])
    chunks = [f"{wrap[0]}{chunk}{wrap[1]}" for chunk in _line_chunks(lines, room)]
    split_fields = [
        (_clip_name(name), value)
        for name, text in fields
        for value in split_text(text or "–", MAX_FIELD_VALUE)
    ]
    first_title, rest_title = _titles(title)
    embeds = [_embed(first_title if not i else rest_title, c) for i, c in enumerate(chunks)]
    if not embeds:
        embeds.append(_embed(first_title, None))
    for name, value in split_fields:
        current = embeds[-1]
        if len(current.fields) >= MAX_FIELDS or len(current) + len(name) + len(value) > (
            MAX_EMBED_TOTAL
        ):
            current = _embed(rest_title, None)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=False)
    return embeds


def _titles(title: str) -> tuple[str, str]:
    """The first embed's title and the title of its continuations, each ≤ 256."""
    first = title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"
    rest_base = title[: MAX_TITLE - len(CONTINUED) - 1]
    rest = (rest_base + ("…" if rest_base != title else "")) + CONTINUED
    return first, rest


def _clip_name(name: str) -> str:
    return name if len(name) <= MAX_FIELD_NAME else name[: MAX_FIELD_NAME - 1] + "…"


def _embed(title: str, description: str | None) -> discord.Embed:
    return discord.Embed(title=title, description=description, colour=COLOUR)


def _line_chunks(lines: Sequence[str], limit: int) -> list[str]:
    """Join lines into chunks of at most ``limit`` characters; over-long lines are split."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        for piece in _hard_split(line, limit):
            joined = f"{current}\n{piece}" if current else piece
            if len(joined) > limit:
                chunks.append(current)
                joined = piece
            current = joined
    if current:
        chunks.append(current)
    return chunks


def _hard_split(line: str, limit: int) -> list[str]:
    """``line`` in pieces of at most ``limit``, never between a backslash and the character
    it escapes (a piece ending in an odd run of backslashes gives its last one to the next)."""
    pieces: list[str] = []
    while len(line) > limit:
        cut = limit
        run = len(line[:cut]) - len(line[:cut].rstrip("\\"))
        if run % 2 and cut > 1:
            cut -= 1
        pieces.append(line[:cut])
        line = line[cut:]
    return [*pieces, line] if line or not pieces else pieces


def split_text(text: str, limit: int = MAX_CONTENT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, at line breaks where possible."""
    return _line_chunks(text.split("\n"), limit) or [""]


def pack(embeds: Sequence[discord.Embed], *, content: str | None = None) -> list[Outgoing]:
    """Embeds into messages of at most 10 embeds and 6000 embed characters each.

    ``content`` (split if over 2000 characters) leads the first message.
    """
    texts = split_text(content) if content else []
    messages = [Outgoing(content=text) for text in texts] or [Outgoing()]
    current = messages[-1]
    total = 0
    for embed in embeds:
        size = len(embed)
        if current.embeds and (len(current.embeds) >= MAX_EMBEDS or total + size > MAX_EMBED_TOTAL):
            current = Outgoing()
            messages.append(current)
            total = 0
        current.embeds.append(embed)
        total += size
    return messages


def within_limits(message: Outgoing) -> list[str]:
    """Every Discord limit ``message`` breaks (empty when it may be sent): for tests and checks."""
    broken = []
    if message.content is not None and len(message.content) > MAX_CONTENT:
        broken.append(f"content {len(message.content)} > {MAX_CONTENT}")
    if len(message.embeds) > MAX_EMBEDS:
        broken.append(f"{len(message.embeds)} embeds > {MAX_EMBEDS}")
    if sum(len(e) for e in message.embeds) > MAX_EMBED_TOTAL:
        broken.append(f"embed characters > {MAX_EMBED_TOTAL}")
    for e in message.embeds:
        broken += _embed_problems(e)
    return broken


def _embed_problems(e: discord.Embed) -> list[str]:
    broken = []
    if e.title and len(e.title) > MAX_TITLE:
        broken.append("title > 256")
    if e.description and len(e.description) > MAX_DESCRIPTION:
        broken.append("description > 4096")
    if len(e.fields) > MAX_FIELDS:
        broken.append("fields > 25")
    for f in e.fields:
        if len(f.name or "") > MAX_FIELD_NAME or len(f.value or "") > MAX_FIELD_VALUE:
            broken.append(f"field {f.name!r} too long")
    return broken


def plain(message: Outgoing) -> str:
    """A message as plain text (the local console and transcripts), as a member reads it."""
    return markdown.shown(_raw_plain(message))


def _raw_plain(message: Outgoing) -> str:
    parts = [message.content] if message.content else []
    for e in message.embeds:
        parts.append(f"▌ {e.title}" if e.title else "▌")
        if e.description:
            parts.append(e.description.replace("```\n", "").replace("\n```", ""))
        parts += [f"{f.name}: {f.value}" for f in e.fields]
    parts += [f"[file {attachment.filename}]" for attachment in message.attachments]
    return "\n".join(parts)
