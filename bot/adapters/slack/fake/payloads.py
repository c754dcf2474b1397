"""The payloads Slack sends for a slash command, a click and a modal submission.

Shapes follow Slack's documented payloads closely enough that bolt's matchers and
argument injection (``command``, ``action``, ``view``, ``respond``, ``client``) all work.
The submission builder also plays the Slack client: a member can only pick an option that
is on offer and cannot leave a required input empty.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.adapters.slack.fake.model import JSON, Message, Team, User, View

Choice = str | list[str] | None


def escaped(text: str) -> str:
    """What Slack sends for what a member typed: ``&``, ``<`` and ``>`` as ``&amp;``, ``&lt;``,
    ``&gt;`` (Slack's "Formatting text: escaping"; a slash command's ``text`` arrives so)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slash(
    team: Team,
    user: User,
    channel: str,
    command: str,
    text: str,
    *,
    app_id: str,
    token: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    return {
        "token": token,
        "team_id": team.id,
        "team_domain": team.domain,
        "channel_id": channel,
        "channel_name": team.channels[channel].name,
        "user_id": user.id,
        "user_name": user.name,
        "command": command,
        "text": escaped(text),
        "api_app_id": app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def _common(team: Team, user: User, *, app_id: str, token: str, trigger_id: str) -> JSON:
    return {
        "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": team.id},
        "api_app_id": app_id,
        "token": token,
        "trigger_id": trigger_id,
        "team": {"id": team.id, "domain": team.domain},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def block_action(
    team: Team,
    user: User,
    message: Message,
    *,
    element: JSON,
    block_id: str,
    selected: str | None,
    app_id: str,
    token: str,
    trigger_id: str,
    response_url: str,
) -> JSON:
    action: JSON = {
        "type": element["type"],
        "action_id": element.get("action_id", ""),
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if element["type"] == "button":
        action["text"] = element.get("text")
        if "value" in element:
            action["value"] = element["value"]
    else:
        action["selected_option"] = _option(element, selected)
    payload = _common(team, user, app_id=app_id, token=token, trigger_id=trigger_id)
    payload.update(
        {
            "type": "block_actions",
            "container": {
                "type": "message",
                "message_ts": message.ts,
                "channel_id": message.channel,
                "is_ephemeral": message.ephemeral,
            },
            "channel": {"id": message.channel, "name": team.channels[message.channel].name},
            "state": {"values": {}},
            "response_url": response_url,
            "actions": [action],
        }
    )
    if not message.ephemeral:  # Slack omits the message of an ephemeral one
        payload["message"] = message.to_api()
    return payload


def view_submission(
    team: Team,
    user: User,
    view: View,
    values: Mapping[str, Choice],
    *,
    app_id: str,
    token: str,
    trigger_id: str,
) -> JSON:
    payload = _common(team, user, app_id=app_id, token=token, trigger_id=trigger_id)
    api_view = view.to_api(app_id)
    api_view["state"] = {"values": state_values(view.view, values)}
    api_view.update({"root_view_id": view.id, "previous_view_id": None})
    payload.update({"type": "view_submission", "view": api_view, "response_urls": []})
    return payload


def state_values(view: JSON, values: Mapping[str, Choice]) -> dict[str, dict[str, Any]]:
    """``view.state.values`` as Slack builds it from what the member filled in."""
    unknown = set(values) - {b.get("block_id") for b in view.get("blocks", [])}
    if unknown:
        raise LookupError(f"no input blocks {sorted(unknown)} in this view")
    out: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        choice = values.get(block["block_id"])
        if choice in (None, "", []) and not block.get("optional", False):
            raise ValueError(f"input {block['block_id']!r} is required; Slack would not submit")
        out[block["block_id"]] = {element["action_id"]: _state(element, choice)}
    return out


def _state(element: JSON, choice: Choice) -> JSON:
    kind = element["type"]
    if kind == "plain_text_input":
        return {"type": kind, "value": choice or None}
    if kind == "static_select":
        if isinstance(choice, list):
            raise TypeError("static_select takes one value")
        return {"type": kind, "selected_option": _option(element, choice) if choice else None}
    if kind == "multi_static_select":
        chosen = [choice] if isinstance(choice, str) else list(choice or [])
        return {"type": kind, "selected_options": [_option(element, c) for c in chosen]}
    raise NotImplementedError(f"fake cannot fill a {kind}")


def _option(element: JSON, value: str | None) -> JSON:
    for option in element.get("options", []):
        if option.get("value") == value:
            return dict(option)
    raise LookupError(f"{value!r} is not an option of {element.get('action_id')!r}")


def find_element(
    blocks: list[JSON], action_id: str, *, value: str | None = None, block_id: str | None = None
) -> tuple[JSON, str]:
    """The interactive element a member clicks, and its block id."""
    for block in blocks:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        candidates = list(block.get("elements", [])) if block.get("type") == "actions" else []
        if "accessory" in block:
            candidates.append(block["accessory"])
        for element in candidates:
            if element.get("action_id") != action_id:
                continue
            if value is not None and element.get("value") != value:
                continue
            return element, str(block.get("block_id", ""))
    raise LookupError(f"no element {action_id!r} (value={value!r}) in these blocks")
