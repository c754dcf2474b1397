"""The minutes as files: a Markdown transcript and a CSV, both UTF-8 text.

Members typed the questions (and moderators the answers and reasons), so both files treat
that text as hostile:

* **CSV** is written by the ``csv`` module (quoting commas, quotes and line breaks), and a
  cell that a spreadsheet would run as a formula — one starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return (OWASP, "CSV Injection") — is prefixed with ``'`` so it
  is shown as text. Numbers the bot wrote (upvotes) are never prefixed.
* **Markdown** escapes with a backslash every punctuation character Markdown could read as
  markup (CommonMark allows it for any ASCII punctuation), so a question cannot forge a
  heading, a link, an image, emphasis, a table or raw HTML; its line breaks become hard
  breaks and blank lines are dropped, so it stays inside its own list item.

Times are UTC, ISO 8601 to the second (``2026-11-30T18:05:00Z``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime

from bot.services.hustings_values import MinuteEntry, Minutes

COLUMNS = (
    "question", "hustings", "state", "text", "to", "asker", "upvotes", "reason_code",
    "reason", "answer", "answered_by", "asked_at", "updated_at",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list of first characters that make a spreadsheet cell a formula."""
WITHHELD = "(dismissed: text not published)"
_PUNCTUATION = frozenset("\\`*_{}[]()<>#+-.!|~&=:")
"""What Markdown (CommonMark and GitHub's) could read as markup: headings, lists, emphasis,
code, links, images, tables, raw HTML and entities, setext underlines, autolinks."""


def filenames(minutes: Minutes) -> tuple[str, str]:
    """``hustings-2-minutes.md`` and ``.csv`` (``questions-minutes`` with no hustings)."""
    stem = "questions" if minutes.hustings is None else f"hustings-{minutes.hustings.number}"
    return f"{stem}-minutes.md", f"{stem}-minutes.csv"


def utc(when: datetime | None) -> str:
    if when is None:
        return ""
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def safe_cell(text: str | None) -> str:
    """``text`` as a spreadsheet shows it as text (see the module), ``""`` for ``None``."""
    if not text:
        return ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(minutes: Minutes) -> str:
    """One header row, then one row per question in the minutes' order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    number = "" if minutes.hustings is None else str(minutes.hustings.number)
    for e in minutes.entries:
        text = e.text if e.text is not None else WITHHELD
        writer.writerow([
            e.short_id, number, e.state, safe_cell(text), safe_cell(e.to_candidate),
            safe_cell(e.asker), e.upvotes, safe_cell(e.reason_code), safe_cell(e.reason),
            safe_cell(e.answer), safe_cell(e.answered_by), utc(e.asked_at), utc(e.updated_at),
        ])  # fmt: skip
    return out.getvalue()


def md_escape(text: str) -> str:
    """Member text as literal Markdown: punctuation escaped, line breaks as hard breaks."""
    lines = [line.strip() for line in text.splitlines()]
    escaped = ("".join("\\" + c if c in _PUNCTUATION else c for c in line) for line in lines)
    return "\\\n  ".join(line for line in escaped if line)


def state_counts(entries: tuple[MinuteEntry, ...]) -> str:
    """``5 questions: 2 answered · 2 open · 1 dismissed`` (states in a fixed order)."""
    counts = Counter(e.state for e in entries)
    order = ("answered", "open", "dismissed", "pending")
    parts = [f"{counts[s]} {s}" for s in (*order, *sorted(set(counts) - set(order))) if counts[s]]
    total = len(entries)
    head = f"{total} question{'' if total == 1 else 's'}"
    return head + (": " + " · ".join(parts) if parts else "")


def to_markdown(minutes: Minutes) -> str:
    """A heading, when it ran, the counts, then one section per question."""
    out = [f"# Minutes: {_name(minutes)}", ""]
    hustings = minutes.hustings
    if hustings is not None:
        ended = f"ended {utc(hustings.ended_at)}" if hustings.ended_at else "still going on"
        out += [f"Started {utc(hustings.started_at)}; {ended}.", ""]
    out += [state_counts(minutes.entries) + ".", ""]
    if not minutes.full:
        out += ["Dismissed questions are listed with their reason; their text is not.", ""]
    for e in minutes.entries:
        out += _entry(e)
    return "\n".join(out).rstrip("\n") + "\n"


def _name(minutes: Minutes) -> str:
    if minutes.hustings is None:
        return "all questions in this channel"
    title = minutes.hustings.title
    return f"Hustings {minutes.hustings.number}" + (f" ({md_escape(title)})" if title else "")


def _entry(e: MinuteEntry) -> list[str]:
    votes = f"{e.upvotes} upvote{'' if e.upvotes == 1 else 's'}"
    lines = [f"## {e.short_id} · {e.state} · {votes}", ""]
    text = md_escape(e.text) if e.text is not None else f"*{md_escape(WITHHELD)}*"
    lines.append(f"- **Question:** {text}")
    lines.append(f"- **To:** {md_escape(e.to_candidate) if e.to_candidate else 'all'}")
    lines.append(f"- **Asked by:** {md_escape(e.asker) if e.asker else 'anonymous'}")
    lines.append(f"- **Asked at:** {utc(e.asked_at)}")
    if e.state == "dismissed":
        code = f"{md_escape(e.reason_code)}: " if e.reason_code else ""
        lines.append(f"- **Dismissed:** {code}{md_escape(e.reason or '')}")
    if e.answer is not None:
        by = f" (by {md_escape(e.answered_by)})" if e.answered_by else ""
        lines.append(f"- **Answer{by}:** {md_escape(e.answer)}")
    lines.append(f"- **Last changed:** {utc(e.updated_at)}")
    return [*lines, ""]
