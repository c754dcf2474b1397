"""Plain-text rendering of a ``Reply``: the fake console, logs of transcripts, and fallbacks.

Headings are underlined by position rather than markup so the output reads the same in a
terminal, a test assertion and a Slack ``text`` fallback.
"""

from __future__ import annotations

from bot.adapters.render.message import Reply


def render(reply: Reply) -> str:
    """The reply as lines of plain text (no trailing newline)."""
    out: list[str] = []
    if reply.title:
        out.append(reply.title)
    for section in reply.sections:
        if section.heading:
            out.append(section.heading)
            out.extend(f"  {line}" for line in section.lines)
        else:
            out.extend(section.lines)
    for attachment in reply.files:
        out.append(f"--- {attachment.filename} ---")
        out.extend(attachment.content.rstrip("\n").splitlines())
        out.append("---")
    return "\n".join(out)
