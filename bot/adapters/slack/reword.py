"""Accept / Keep-my-wording buttons on the ephemeral message asking an asker about a rewording.

``/question edit Q3 TEXT`` tells the asker with ``chat.postEphemeral`` in the question's
channel; the message carries two buttons whose value is the question's id. A click runs
``/question accept|decline`` through ``dispatch`` as the member who clicked (the service
accepts only the question's own asker, so a forged value can do no more than the member could
type), in the channel the click came from. Nothing is kept in memory: the proposal is in the
database, so a button works after a restart.
"""

from __future__ import annotations

from bot.adapters.slack.render import Block

ACCEPT = "hustings_reword_accept"
DECLINE = "hustings_reword_decline"
COMMANDS = {ACCEPT: "question accept", DECLINE: "question decline"}
"""Each button's action id → the command its click runs."""


def reword_buttons(short_id: str) -> Block:
    """The actions block under the asker's message: accept, or keep their own wording."""
    return {
        "type": "actions",
        "block_id": f"reword-{short_id}",
        "elements": [
            {
                "type": "button",
                "action_id": ACCEPT,
                "value": short_id,
                "style": "primary",
                "text": {"type": "plain_text", "text": "Accept the rewording"},
            },
            {
                "type": "button",
                "action_id": DECLINE,
                "value": short_id,
                "text": {"type": "plain_text", "text": "Keep my wording"},
            },
        ],
    }
