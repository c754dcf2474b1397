"""Why a question was dismissed: a reason code, and the words its asker is shown.

A moderator types the code first, then any words: ``/question dismiss Q4 off-topic``,
``/question dismiss Q4 duplicate of Q2``, ``/question dismiss Q4 other Not for this panel``.
The code is matched whole (any case; ``off topic``, ``off_topic`` and ``off-topic`` are one
code); ``other`` needs words after it, since the code alone would tell the asker nothing.
Anything else is refused with the list of codes, never guessed at: the published counts
(``/questions stats``) are by code, so a free-typed reason must not land in the wrong one.
"""

from __future__ import annotations

import re

from bot.errors import InvalidInput

REASONS: dict[str, str] = {
    "duplicate": "Duplicate",
    "off-topic": "Off-topic",
    "abusive": "Abusive",
    "answered-elsewhere": "Answered elsewhere",
    "other": "Other",
}
"""Code → the label shown to the asker and in the stats, in the order the stats list them."""

USAGE = "duplicate, off-topic, abusive, answered-elsewhere, or other followed by the reason"
REQUIRED = (
    "A reason is required to dismiss a question (its asker is shown it): start it with one "
    f"of: {USAGE}"
)
"""Said when a dismissal has no reason at all (``--`` or nothing after the id)."""
_SEPARATORS = re.compile(r"[\s_\-–—]+")


def read(typed: str) -> tuple[str, str]:
    """``(code, shown reason)`` for what a moderator typed; ``InvalidInput`` otherwise.

    ``shown`` is the label, then ``": "`` and the moderator's words when there are any
    (``Duplicate: of Q2``; ``other`` shows only the words)."""
    words = typed.split()
    for code, label in REASONS.items():
        size = code.count("-") + 1
        for taken in range(min(size, len(words)), 0, -1):
            head = "-".join(_SEPARATORS.split(" ".join(words[:taken]).casefold()))
            if head.strip("-:.,;!?") == code:
                rest = " ".join(words[taken:]).lstrip(":,;.- ").strip()
                return code, _shown(code, label, rest)
    raise InvalidInput(f"Start the reason with one of: {USAGE}.")


def _shown(code: str, label: str, rest: str) -> str:
    if code == "other":
        if not rest:
            raise InvalidInput("After other, say why (the asker is shown it): other TEXT.")
        return rest
    return f"{label}: {rest}" if rest else label


def lapsed(shown: str, status: str, reason: str | None) -> str:
    """Why a rewording can no longer be accepted or declined: the question left the states
    a rewording waits in (``question_rows.REWORDABLE``) while it waited."""
    became = "answered" if status == "answered" else f"dismissed ({reason or 'no reason given'})"
    return (
        f"The rewording proposed for {shown} lapsed: {shown} was {became} before you accepted "
        "or declined it, so it stays as you asked it."
    )


def lapsed_notice(shown: str, became: str) -> str:
    """What the asker is told, privately, when their question's waiting rewording lapses;
    ``became`` is what happened to it: ``answered``, ``dismissed``, ``merged into Q2``."""
    return (
        f"The rewording a moderator proposed for {shown} lapsed: {shown} was {became} first, "
        "so it stays as you asked it (nothing to accept or decline now)."
    )


def merged(into: str) -> str:
    """The reason a merged question's asker sees."""
    return f"Duplicate of {into} (merged: its upvotes joined {into}'s)"
