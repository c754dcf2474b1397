"""The Web API subset the bot uses, at ``/api/<method>``, answering as Slack answers.

slack_sdk sends some methods as JSON (``chat.postMessage``, ``views.open``) and others as
query/form parameters (``auth.test``, ``users.info``), with the token in ``Authorization:
Bearer``; all are accepted. Errors are HTTP 200 with ``{"ok": false, "error": ...}``, except
rate limiting: HTTP 429 with ``Retry-After``, which slack_sdk retries only if told to.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.adapters.slack.fake import blockkit
from bot.adapters.slack.fake.model import JSON, Team
from bot.adapters.slack.fake.ratelimit import retry_after_header
from bot.adapters.slack.fake.state import assign_ids

if TYPE_CHECKING:
    from bot.adapters.slack.fake.server import FakeSlack


class ApiError(Exception):
    """A Slack error answer: ``{"ok": false, "error": code, **extra}`` with ``status``."""

    def __init__(
        self, error: str, *, status: int = 200, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.headers = headers or {}
        self.extra = extra


@dataclass
class Call:
    """One authenticated request: who (team via token), what (merged arguments)."""

    fake: FakeSlack
    method: str
    args: JSON
    headers: dict[str, str] = field(default_factory=dict)
    team: Team | None = None

    @property
    def bot_team(self) -> Team:
        assert self.team is not None  # methods in BOT_METHODS always have one
        return self.team

    def require(self, name: str) -> Any:
        value = self.args.get(name)
        if value in (None, ""):
            raise ApiError(
                "invalid_arguments",
                response_metadata={"messages": [f"[ERROR] missing required field: {name}"]},
            )
        return value


Method = Callable[[Call], Awaitable[JSON]]
METHODS: dict[str, Method] = {}
UNAUTHENTICATED = frozenset({"oauth.v2.access", "apps.connections.open"})


def method(name: str) -> Callable[[Method], Method]:
    def register(func: Method) -> Method:
        METHODS[name] = func
        return func

    return register


async def handle(fake: FakeSlack, request: web.Request) -> web.Response:
    """Route ``/api/<method>``: parse, authenticate, run, record, answer."""
    name = request.match_info["method"]
    args = await _arguments(request)
    call = Call(fake=fake, method=name, args=args, headers=dict(request.headers))
    try:
        func = METHODS.get(name)
        if func is None:
            raise ApiError("unknown_method")
        if name not in UNAUTHENTICATED:
            call.team = _authenticate(fake, request, args)
        body = {"ok": True, **(await func(call))}
        status, headers = 200, {}
    except ApiError as exc:
        body = {"ok": False, "error": exc.error, **exc.extra}
        status, headers = exc.status, exc.headers
    team_id = call.team.id if call.team else None
    fake.record_call(name, team_id, args, status, None if body["ok"] else body["error"])
    return web.json_response(body, status=status, headers=headers)


async def _arguments(request: web.Request) -> JSON:
    args: JSON = dict(request.query)
    if request.content_type == "application/json":
        loaded = await request.json()
        if isinstance(loaded, dict):
            args.update(loaded)
    elif request.can_read_body:
        args.update(dict(await request.post()))
    for key in ("blocks", "view", "attachments"):
        if isinstance(args.get(key), str):  # form-encoded calls send JSON strings
            try:
                args[key] = json.loads(args[key])
            except ValueError:
                raise ApiError("invalid_arguments") from None
    return args


def _bearer(request: web.Request, args: JSON) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    token = args.pop("token", None)
    return str(token) if token else None


def _authenticate(fake: FakeSlack, request: web.Request, args: JSON) -> Team:
    token = _bearer(request, args)
    if token is None:
        raise ApiError("not_authed")
    team_id = fake.tokens.get(token)
    if team_id is None:
        raise ApiError("invalid_auth")
    return fake.team(team_id)


def check_blocks(args: JSON) -> tuple[str, list[JSON]]:
    """(text, blocks) of a message, or the ``invalid_blocks`` / ``msg_too_long`` error."""
    text = str(args.get("text") or "")
    blocks = args.get("blocks")
    if len(text) > blockkit.MAX_MESSAGE_TEXT:
        raise ApiError("msg_too_long")
    errors = blockkit.message_errors(blocks)
    if errors:
        raise ApiError(
            "invalid_blocks",
            errors=errors,
            response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
        )
    if not text and not blocks:
        raise ApiError("no_text")
    return text, list(blocks or [])


def channel_of(call: Call) -> str:
    channel = str(call.require("channel"))
    found = call.bot_team.channels.get(channel)
    if found is None:
        raise ApiError("channel_not_found")
    if not found.bot_member:
        raise ApiError("not_in_channel")
    return channel


# -- methods --------------------------------------------------------------------------------


@method("auth.test")
async def auth_test(call: Call) -> JSON:
    team = call.bot_team
    return {
        "url": f"https://{team.domain}.slack.com/",
        "team": team.name,
        "user": "hustings",
        "team_id": team.id,
        "user_id": team.bot_user_id,
        "bot_id": team.bot_id,
        "is_enterprise_install": False,
    }


@method("chat.postMessage")
async def chat_post_message(call: Call) -> JSON:
    team = call.bot_team
    channel = channel_of(call)
    text, blocks = check_blocks(call.args)
    wait = call.fake.limiter.take(team.id, channel)
    if wait > 0:
        raise ApiError("ratelimited", status=429, headers={"Retry-After": retry_after_header(wait)})
    thread_ts = call.args.get("thread_ts")
    message = call.fake.record_message(
        team.id,
        channel,
        text=text,
        blocks=blocks,
        via="chat.postMessage",
        thread_ts=str(thread_ts) if thread_ts else None,
    )
    return {"channel": channel, "ts": message.ts, "message": message.to_api()}


@method("chat.postEphemeral")
async def chat_post_ephemeral(call: Call) -> JSON:
    team = call.bot_team
    channel = channel_of(call)
    user = str(call.require("user"))
    if user not in team.users:
        raise ApiError("user_not_in_channel")
    text, blocks = check_blocks(call.args)
    message = call.fake.record_message(
        team.id, channel, text=text, blocks=blocks, via="chat.postEphemeral", ephemeral_to=user
    )
    return {"message_ts": message.ts}


@method("chat.update")
async def chat_update(call: Call) -> JSON:
    team = call.bot_team
    channel = channel_of(call)
    message = call.fake.find_message(team.id, channel, str(call.require("ts")))
    if message is None or message.deleted:
        raise ApiError("message_not_found")
    if message.ephemeral or message.user != team.bot_user_id:
        raise ApiError("cant_update_message")
    text, blocks = check_blocks(call.args)
    message.edits.append({"text": message.text, "blocks": message.blocks})
    message.text, message.blocks = text, blocks
    call.fake.changed()
    return {"channel": channel, "ts": message.ts, "text": text, "message": message.to_api()}


@method("pins.add")
async def pins_add(call: Call) -> JSON:
    """Pin a message to its channel (``already_pinned`` the second time, as Slack says)."""
    team = call.bot_team
    channel = channel_of(call)
    message = call.fake.find_message(team.id, channel, str(call.require("timestamp")))
    if message is None or message.deleted or message.ephemeral:
        raise ApiError("message_not_found")
    if message.pinned:
        raise ApiError("already_pinned")
    message.pinned = True
    call.fake.changed()
    return {}


@method("views.open")
async def views_open(call: Call) -> JSON:
    team = call.bot_team
    found = call.fake.consume_trigger(str(call.require("trigger_id")), team.id)
    if isinstance(found, str):
        raise ApiError(found)
    view = _checked_view(call)
    opened = call.fake.open_view(team.id, found[1], view)
    return {"view": opened.to_api(call.fake.app_id)}


@method("views.update")
async def views_update(call: Call) -> JSON:
    team = call.bot_team
    view_id = str(call.require("view_id"))
    found = call.fake.views.get(view_id)
    if found is None or found.team_id != team.id or found.state != "open":
        raise ApiError("not_found")
    if call.args.get("hash") and call.args["hash"] != found.hash:
        raise ApiError("hash_conflict")
    view = _checked_view(call)
    found.history.append(found.view)
    found.view = {**view, "blocks": assign_ids(view.get("blocks", []))}
    found.hash = found.hash[::-1] + "1"
    call.fake.changed()
    return {"view": found.to_api(call.fake.app_id)}


def _checked_view(call: Call) -> JSON:
    view = call.require("view")
    errors = blockkit.view_errors(view)
    if errors:
        raise ApiError(
            "invalid_blocks",
            errors=errors,
            response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
        )
    assert isinstance(view, dict)
    return view


@method("users.info")
async def users_info(call: Call) -> JSON:
    user = call.bot_team.users.get(str(call.require("user")))
    if user is None:
        raise ApiError("user_not_found")
    return {"user": user.to_api()}


@method("conversations.info")
async def conversations_info(call: Call) -> JSON:
    channel = call.bot_team.channels.get(str(call.require("channel")))
    if channel is None:
        raise ApiError("channel_not_found")
    return {"channel": channel.to_api()}


@method("conversations.open")
async def conversations_open(call: Call) -> JSON:
    """A direct message channel with one member (the bot's DM; ``users`` names one)."""
    team = call.bot_team
    user = str(call.require("users"))
    if "," in user:
        raise ApiError("not_implemented")  # group DMs: the bot never opens one
    if user not in team.users:
        raise ApiError("user_not_found")
    return {"channel": {"id": call.fake.open_im(team.id, user).id}}


@method("usergroups.list")
async def usergroups_list(call: Call) -> JSON:
    team = call.bot_team
    with_users = str(call.args.get("include_users", "")).lower() in {"1", "true"}
    groups = []
    for handle, members in sorted(team.usergroups.items()):
        group: JSON = {
            "id": f"S{handle.upper()}",
            "team_id": team.id,
            "handle": handle,
            "name": handle,
            "user_count": len(members),
        }
        if with_users:
            group["users"] = sorted(members)
        groups.append(group)
    return {"usergroups": groups}
