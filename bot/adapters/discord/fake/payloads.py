"""INTERACTION_CREATE payloads as Discord builds them, from what a member did.

The Discord client only lets a member send what the registered command allows, so the
builders check the same: unknown or missing required options, a value outside an option's
choices, clicking a button that is not on the message or is disabled, picking options a
select does not offer. Those raise ``ValueError`` here (a test bug, not a bot bug). Option
values are typed as the command declares (integers as ``int``, users/roles/channels as ids
with ``resolved`` data); an autocomplete payload marks the option being typed ``focused``
and always carries the typed text as a string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.adapters.discord.fake.commands import (
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    USER,
)
from bot.adapters.discord.fake.errors import JSON
from bot.adapters.discord.fake.model import Channel, DMChannel, Guild, Message
from bot.adapters.discord.fake.world import World

APP_PERMISSIONS = (1 << 51) - 1 & ~(1 << 3)  # everything but Administrator
ATTACHMENT_LIMIT = 10 * 1024 * 1024
BUTTON, STRING_SELECT, TEXT_INPUT, LABEL, ACTION_ROW = 2, 3, 4, 18, 1


def envelope(
    world: World,
    *,
    interaction_id: int,
    application_id: int,
    kind: int,
    token: str,
    guild: Guild,
    channel: Channel,
    user_id: int,
    data: JSON,
    locale: str,
    message: JSON | None = None,
) -> JSON:
    """The fields every guild interaction carries."""
    member = guild.members[user_id]
    permissions = guild.permissions(user_id)
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": kind,
        "data": data,
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
        "channel_id": str(channel.id),
        "channel": {**channel.payload(), "permissions": str(permissions)},
        "member": member.payload(permissions),
        "token": token,
        "version": 1,
        "app_permissions": str(APP_PERMISSIONS),
        "locale": locale,
        "guild_locale": guild.locale,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": ATTACHMENT_LIMIT,
    }
    if message is not None:
        payload["message"] = message
    return payload


def dm_envelope(
    *,
    interaction_id: int,
    application_id: int,
    kind: int,
    token: str,
    channel: DMChannel,
    data: JSON,
    locale: str,
    message: JSON | None = None,
) -> JSON:
    """A component interaction in the member's DM with the bot: no guild, no member, the
    ``user`` who clicked (the recipient), as Discord sends it (context 1, bot DM)."""
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": kind,
        "data": data,
        "channel_id": str(channel.id),
        "channel": channel.payload(),
        "user": channel.recipient.payload(),
        "token": token,
        "version": 1,
        "app_permissions": str(APP_PERMISSIONS),
        "locale": locale,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(channel.recipient.id)},
        "context": 1,
        "attachment_size_limit": ATTACHMENT_LIMIT,
    }
    if message is not None:
        payload["message"] = message
    return payload


def command_data(
    world: World,
    guild: Guild,
    command: JSON,
    path: list[str],
    options: Mapping[str, Any],
    *,
    focused: str | None = None,
) -> JSON:
    """``data`` for a slash command (or its autocomplete) at ``path`` (sub-command names)."""
    resolved: JSON = {}
    schema: list[JSON] = command.get("options") or []
    nest: list[tuple[JSON, list[JSON]]] = []
    for name in path:
        sub = _option(schema, name)
        if sub.get("type") not in (SUB_COMMAND, SUB_COMMAND_GROUP):
            raise ValueError(f"{name!r} is not a sub-command of /{command['name']}")
        nest.append((sub, schema))
        schema = sub.get("options") or []
    leaf = _leaf_options(world, guild, schema, options, focused=focused, resolved=resolved)
    for sub, _ in reversed(nest):
        leaf = [{"name": sub["name"], "type": sub["type"], "options": leaf}]
    data: JSON = {"id": command["id"], "name": command["name"], "type": command.get("type", 1)}
    if leaf:
        data["options"] = leaf
    if resolved:
        data["resolved"] = resolved
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def _option(schema: list[JSON], name: str) -> JSON:
    for option in schema:
        if option.get("name") == name:
            return option
    raise ValueError(f"no option {name!r}; the command has {[o.get('name') for o in schema]}")


def _leaf_options(
    world: World,
    guild: Guild,
    schema: list[JSON],
    given: Mapping[str, Any],
    *,
    focused: str | None,
    resolved: JSON,
) -> list[JSON]:
    for name in given:
        _option(schema, name)
    out: list[JSON] = []
    for option in schema:
        name, kind = option["name"], int(option.get("type", STRING))
        if name not in given:
            if option.get("required") and focused is None:
                raise ValueError(f"required option {name!r} missing")
            continue
        if name == focused:
            out.append({"name": name, "type": kind, "value": str(given[name]), "focused": True})
            continue
        value = _typed(kind, given[name], option)
        _resolve(world, guild, kind, value, resolved)
        out.append({"name": name, "type": kind, "value": value})
    return out


def _typed(kind: int, value: Any, option: JSON) -> Any:
    converted: Any
    if kind == INTEGER:
        converted = int(value)
    elif kind == NUMBER:
        converted = float(value)
    elif kind == BOOLEAN:
        converted = bool(value)
    elif kind in (USER, CHANNEL, ROLE, MENTIONABLE):
        converted = str(int(value))
    else:
        converted = str(value)
    choices = option.get("choices")
    if choices and converted not in [c.get("value") for c in choices]:
        raise ValueError(f"{converted!r} is not one of the choices of {option['name']!r}")
    return converted


def _resolve(world: World, guild: Guild, kind: int, value: Any, resolved: JSON) -> None:
    if kind in (USER, MENTIONABLE) and int(value) in world.users:
        user = world.users[int(value)]
        resolved.setdefault("users", {})[value] = user.payload()
        if user.id in guild.members:
            member = guild.members[user.id].payload(guild.permissions(user.id))
            member.pop("user")
            resolved.setdefault("members", {})[value] = member
    if kind in (ROLE, MENTIONABLE) and int(value) in guild.roles:
        resolved.setdefault("roles", {})[value] = guild.roles[int(value)].payload()
    if kind == CHANNEL and int(value) in guild.channels:
        channel = guild.channels[int(value)].payload()
        resolved.setdefault("channels", {})[value] = {**channel, "permissions": "0"}


def find_component(message: Message, custom_id: str) -> JSON:
    """The component with ``custom_id`` on ``message`` (buttons, selects, v2 accessories)."""
    stack: list[JSON] = list(message.components)
    while stack:
        item = stack.pop(0)
        if item.get("custom_id") == custom_id:
            return item
        stack.extend(item.get("components") or [])
        stack.extend(
            item[key] for key in ("component", "accessory") if isinstance(item.get(key), dict)
        )
    raise ValueError(f"message {message.id} has no component {custom_id!r}: {message.custom_ids()}")


def component_data(component: JSON, values: list[str] | None, *, forged: bool = False) -> JSON:
    """What using ``component`` sends; ``forged`` skips the client's checks on ``values``."""
    kind = int(component.get("type", BUTTON))
    if component.get("disabled"):
        raise ValueError(f"component {component.get('custom_id')!r} is disabled")
    data: JSON = {"custom_id": component["custom_id"], "component_type": kind}
    if kind == BUTTON:
        if values is not None:
            raise ValueError("a button has no values; use click()")
        return data
    picked = list(values or [])
    low, high = int(component.get("min_values", 1)), int(component.get("max_values", 1))
    if not low <= len(picked) <= high:
        raise ValueError(f"pick between {low} and {high} values, not {len(picked)}")
    if kind == STRING_SELECT and not forged:
        offered = [o.get("value") for o in component.get("options") or []]
        stray = [v for v in picked if v not in offered]
        if stray:
            raise ValueError(f"{stray} not among the select's options {offered}")
    data["values"] = picked
    return data


def modal_data(modal: JSON, values: Mapping[str, Any]) -> JSON:
    """What submitting ``modal`` sends: each input's value, in the modal's own layout."""
    unknown = set(values) - set(_input_ids(modal.get("components") or []))
    if unknown:
        raise ValueError(f"the modal has no inputs {sorted(unknown)}")
    rows = [_submitted(row, values) for row in modal.get("components") or []]
    return {"custom_id": modal["custom_id"], "components": [r for r in rows if r is not None]}


def _input_ids(items: list[JSON]) -> list[str]:
    found: list[str] = []
    for item in items:
        if item.get("custom_id"):
            found.append(str(item["custom_id"]))
        found += _input_ids(item.get("components") or [])
        if isinstance(item.get("component"), dict):
            found += _input_ids([item["component"]])
    return found


def _submitted(item: JSON, values: Mapping[str, Any]) -> JSON | None:
    kind = int(item.get("type", 0))
    if kind == ACTION_ROW:
        inner = [_submitted(c, values) for c in item.get("components") or []]
        return {"type": ACTION_ROW, "components": [c for c in inner if c is not None]}
    if kind == LABEL:
        inner_item = _submitted(item["component"], values)
        return None if inner_item is None else {"type": LABEL, "component": inner_item}
    if "custom_id" not in item:
        return None
    custom_id = item["custom_id"]
    value = values.get(custom_id)
    if kind == TEXT_INPUT:
        if value is None and item.get("required", True):
            raise ValueError(f"required input {custom_id!r} left empty")
        return {"type": TEXT_INPUT, "custom_id": custom_id, "value": str(value or "")}
    picked = value if isinstance(value, list) else ([] if value is None else [value])
    return {"type": kind, "custom_id": custom_id, "values": [str(v) for v in picked]}
