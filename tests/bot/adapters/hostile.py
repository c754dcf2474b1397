"""Hostile member text: strings that are markup, mentions or commands on some platform.

Shared by the Discord and Slack rendering tests and the end-to-end scenarios: every one must
be stored exactly as typed and shown as text, never as a link, formatting or a ping.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain import QuestionView

HOSTILE = (
    "[Vote here: official ballot](https://evil.example/login) **URGENT**",
    "[a](b) **bold inside a greedy link match** (c)",
    "# Official result\n## Corbyn wins",
    "-# small print",
    "- item one\n* item two\n+ item three\n1. first\n2) second",
    "> quoted\n>>> quoted block",
    "||spoiler|| and ~~struck~~ and __underlined__ and _italic_ and *italic*",
    "`code` and ```\nblock\n```",
    "@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678>",
    "<#123456789012345678> </vote:123456789012345678> <t:1700000000:R>",
    "<!channel> <!here> <@U0123ABC> &amp; &lt;b&gt;",
    "https://evil.example/login and <https://evil.example>",
    "a \\*not bold\\* backslash \\ at the end \\",
    'What does "hard Brexit mean?',
)


def question(text: str, *, answer: str | None = None) -> QuestionView:
    """An open, anonymous question carrying ``text`` (for renderer tests)."""
    return QuestionView(
        id=1, short_id="Q1", text=text, to_candidate=None, status="open", upvotes=0,
        asker_name=None, asker_user_id=None, answer=answer, dismiss_reason=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
