"""``response_url`` endpoints: how an app answers an interaction after acknowledging it.

Slack honours each URL five times within thirty minutes. ``response_type`` chooses an
ephemeral reply (default) or one in the channel; ``replace_original`` / ``delete_original``
edit the message the button was on. Later announcements must use the bot token instead,
which the expiry here makes a test able to prove.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.adapters.slack.fake.webapi import ApiError, check_blocks

if TYPE_CHECKING:
    from bot.adapters.slack.fake.model import JSON, Webhook
    from bot.adapters.slack.fake.server import FakeSlack

ERROR_STATUS = {"expired_url": 404, "used_url": 404, "no_url": 404}


async def handle(fake: FakeSlack, request: web.Request) -> web.Response:
    hook = fake.use_webhook(request.match_info["hook"])
    fake.touch()
    if isinstance(hook, str):
        fake.record_call("response_url", None, {}, ERROR_STATUS[hook], hook)
        return web.json_response({"ok": False, "error": hook}, status=ERROR_STATUS[hook])
    try:
        body = await request.json()
        if not isinstance(body, dict):
            raise ApiError("invalid_payload")
        _apply(fake, hook, body)
    except (ApiError, ValueError) as exc:
        error = exc.error if isinstance(exc, ApiError) else "invalid_payload"
        fake.record_call("response_url", hook.team_id, {}, 400, error)
        return web.json_response({"ok": False, "error": error}, status=400)
    fake.record_call("response_url", hook.team_id, body, 200, None)
    return web.json_response({"ok": True})


def _apply(fake: FakeSlack, hook: Webhook, body: JSON) -> None:
    original = fake.find_message(hook.team_id, hook.channel, hook.source_ts or "")
    if body.get("delete_original") and original is not None:
        original.deleted = True
        fake.changed()
        return
    text, blocks = check_blocks(body)
    if body.get("replace_original") and original is not None:
        original.edits.append({"text": original.text, "blocks": original.blocks})
        original.text, original.blocks = text, blocks
        fake.changed()
        return
    public = body.get("response_type") == "in_channel"
    thread_ts = body.get("thread_ts")
    fake.record_message(
        hook.team_id,
        hook.channel,
        text=text,
        blocks=blocks,
        via="response_url",
        ephemeral_to=None if public else hook.user_id,
        thread_ts=str(thread_ts) if thread_ts else None,
    )
