"""Block Kit rendering of the neutral ``Reply``: split across messages, never truncated.

Slack rejects a whole message that breaks a Block Kit limit (50 blocks, 3000 characters in a
section, 150 in a header), so a long count announcement is cut at block boundaries into
several messages, each starting with a "continued" line, and an over-long section is cut at
line boundaries (a single over-long line at character boundaries). Nothing is ever dropped:
one lost round in a result is a wrong result.

Member-typed text (candidate names, questions) is escaped (``&``, ``<``, ``>``) in mrkdwn so
nobody can smuggle ``<!channel>`` into an announcement; sections without a heading are sent
as ``plain_text``, which Slack never parses. Rounds (sections with a heading) are
preformatted so their tally columns line up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.render.message import Reply, Section
from bot.domain import QuestionView

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_FALLBACK = 3000
"""The notification ``text`` is the title; kept short (Slack allows 40,000)."""

UPVOTE_ACTION = "hustings_upvote"
MODERATE_ACTION = "hustings_moderate"
NEXT_ROUND_ACTION = "hustings_next_round"
_FENCE = "```"


@dataclass(frozen=True)
class SlackMessage:
    """One message to post: the notification text and its blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What was typed, from Slack's escaped text: a slash command's ``text`` arrives with
    ``&``, ``<``, ``>`` escaped (Slack's "Formatting text: escaping"), so ``Q&A`` is stored as
    ``Q&A``, not ``Q&amp;A``. ``&amp;`` last, so a typed ``&lt;`` stays ``&lt;``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render(reply: Reply, *, tail: Sequence[Block] = ()) -> list[SlackMessage]:
    """``reply`` as one or more messages; ``tail`` blocks (a button row) end the last one."""
    title = reply.title or ""
    head = _title_blocks(title)
    body = [*_content_blocks(reply), *tail]
    pages = [head + body[: MAX_BLOCKS - len(head)]]
    rest = body[MAX_BLOCKS - len(head) :]
    while rest:  # later pages start with a "continued" line, so they hold one block less
        pages.append(rest[: MAX_BLOCKS - 1])
        rest = rest[MAX_BLOCKS - 1 :]
    if len(pages) == 1:
        return [SlackMessage(_fallback(title), pages[0])]
    total = len(pages)
    messages = [SlackMessage(_fallback(f"{title} (1/{total})"), pages[0])]
    for number, page in enumerate(pages[1:], start=2):
        note = _context(f"{title or 'Reply'} (continued, part {number} of {total})")
        messages.append(SlackMessage(_fallback(f"{title} ({number}/{total})"), [note, *page]))
    return messages


def _fallback(text: str) -> str:
    """The notification text (Slack parses it as mrkdwn, so it is escaped too)."""
    return escape(text[:MAX_FALLBACK]) or " "


def _title_blocks(title: str) -> list[Block]:
    if not title:
        return []
    if len(title) <= MAX_HEADER:
        return [{"type": "header", "text": {"type": "plain_text", "text": title, "emoji": False}}]
    return [_mrkdwn(f"*{chunk}*") for chunk in _pieces(escape(title), MAX_SECTION - 2)]


def _content_blocks(reply: Reply) -> Iterator[Block]:
    for section in reply.sections:
        yield from section_blocks(section)
    for attachment in reply.files:
        yield _mrkdwn(f"*{escape(attachment.filename)}*")
        yield from _preformatted(attachment.content.rstrip("\n").splitlines())


def section_blocks(section: Section) -> list[Block]:
    """A headed section (a round) as bold heading + preformatted lines; else plain text."""
    if section.heading is None:
        return [_plain(chunk) for chunk in _chunks(list(section.lines), MAX_SECTION)]
    heading = f"*{escape(section.heading)}*"
    body = list(_preformatted(list(section.lines)))
    if not body:
        return [_mrkdwn(heading)]
    first = body[0]["text"]["text"]
    if len(heading) + 1 + len(first) <= MAX_SECTION:
        body[0] = _mrkdwn(f"{heading}\n{first}")
        return body
    return [_mrkdwn(heading), *body]


def _preformatted(lines: list[str]) -> Iterator[Block]:
    """Lines in code fences, as many sections as it takes to stay within 3000 characters."""
    room = MAX_SECTION - 2 * len(_FENCE) - 2
    cleaned = [escape(line.replace("`", "ˋ")) for line in lines]
    for chunk in _chunks(cleaned, room):
        yield _mrkdwn(f"{_FENCE}\n{chunk}\n{_FENCE}")


def _chunks(lines: list[str], limit: int) -> Iterator[str]:
    """Join lines into texts of at most ``limit`` characters; long lines are cut, not lost.

    Callers escape first, so lengths are measured as Slack measures them.
    """
    current: list[str] = []
    size = 0
    for line in lines:
        for piece in _pieces(line, limit) if line else [" "]:
            extra = len(piece) + (1 if current else 0)
            if current and size + extra > limit:
                yield "\n".join(current)
                current, size = [], 0
                extra = len(piece)
            current.append(piece)
            size += extra
    if current:
        yield "\n".join(current)


def _pieces(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, never inside ``&amp;``."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = limit
        amp = text.rfind("&", max(0, cut - 5), cut)
        if amp != -1 and ";" not in text[amp:cut]:
            cut = amp
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _mrkdwn(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _plain(text: str) -> Block:
    return {"type": "section", "text": {"type": "plain_text", "text": text, "emoji": False}}


def _context(text: str) -> Block:
    shown = text if len(text) <= MAX_HEADER else text[: MAX_HEADER - 1] + "…"
    return {"type": "context", "elements": [{"type": "plain_text", "text": shown}]}


def upvote_button(short_id: str, upvotes: int, *, moderate: bool = True) -> Block:
    """The actions block under a question: Upvote and (``moderate``) Moderate, each button's
    value the question's id. Moderate belongs on an open question's card only: pass
    ``moderate=question.status == "open"`` (``card_buttons``); a press on any other card is
    refused when its question is looked up (``slack.moderate``)."""
    elements = [_button(UPVOTE_ACTION, short_id, f"Upvote ({upvotes})")]
    if moderate:
        elements.append(_button(MODERATE_ACTION, short_id, "Moderate"))
    return {"type": "actions", "block_id": f"question-{short_id}", "elements": elements}


def card_buttons(question: QuestionView) -> Block:
    """The buttons of ``question``'s card as it stands: Moderate only while it is open."""
    return upvote_button(question.short_id, question.upvotes, moderate=question.status == "open")


def _button(action_id: str, value: str, label: str) -> Block:
    return {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": label},
    }


def next_round_button(ref: str, after: int) -> Block:
    """The actions block under a paced count's step: its value is ``<election ref>:<round
    shown>``, the whole state a press needs (how far the count has gone is in the database)."""
    return {
        "type": "actions",
        "block_id": f"next-round-{ref}-{after}",
        "elements": [
            {
                "type": "button",
                "action_id": NEXT_ROUND_ACTION,
                "value": f"{ref}:{after}",
                "style": "primary",
                "text": {"type": "plain_text", "text": "Next round"},
            }
        ],
    }


def plain_text(blocks: Sequence[Block]) -> str:
    """What a member reads in ``blocks``, as plain lines (console output, test transcripts)."""
    out: list[str] = []
    for block in blocks:
        out.extend(_block_lines(block))
    return "\n".join(out)


def _block_lines(block: Block) -> list[str]:
    kind = block.get("type")
    if kind in ("header", "section"):
        text = block["text"]
        if text["type"] == "plain_text":
            return str(text["text"]).splitlines()
        return _unmark(str(text["text"]))
    if kind == "context":
        return [" ".join(str(e.get("text", "")) for e in block["elements"])]
    if kind == "actions":
        return ["  ".join(f"[{e['text']['text']}]" for e in block["elements"] if "text" in e)]
    return []


def _unmark(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        if raw == _FENCE:
            continue
        bold = raw.startswith("*") and raw.endswith("*") and len(raw) > 1
        line = raw[1:-1] if bold else raw
        lines.append(unescape(line))
    return lines
