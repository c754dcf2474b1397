"""Member text on Slack: the hostile corpus is shown as text, never as mrkdwn links or pings.

Unheaded sections (a question card) go out as ``plain_text``, which Slack never parses;
anything in ``mrkdwn`` has ``&``, ``<`` and ``>`` escaped, so ``<!channel>`` or a ``<url|label>``
link cannot be formed. A reader of the blocks sees exactly what was typed.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.render import views
from bot.adapters.render.message import Reply, Section
from bot.adapters.slack.render import plain_text, render
from tests.bot.adapters.hostile import HOSTILE, question


def text_objects(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"])
        found += [e for e in block.get("elements", []) if "type" in e and "text" in e]
    return found


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("headed", [False, True])
def test_hostile_text_is_plain_or_escaped_and_reads_back(hostile: str, headed: bool) -> None:
    reply = views.approved(question(hostile, answer=hostile))
    if headed:  # a headed section is mrkdwn (preformatted): the escaping path
        reply = Reply(reply.title, (Section(reply.lines, heading=hostile),), private=False)
    (message,) = render(reply)
    for obj in text_objects(message.blocks):
        if obj["type"] == "mrkdwn":
            assert "<" not in obj["text"] and ">" not in obj["text"], obj["text"]
    shown = plain_text(message.blocks)
    for part in hostile.split("\n"):
        assert part.replace("`", "ˋ" if headed else "`") in shown
