"""The REST subset under ``/api/v10``: the routes discord.py calls for the adapter.

Every reply is JSON with ``Content-Type: application/json`` exactly (discord.py compares the
header with ``==`` and would treat ``application/json; charset=utf-8`` as plain text). Routes
that Discord authenticates with the bot token answer 401 without ``Authorization: Bot
<token>``; the interaction and webhook routes are authenticated by the token in the path.
Anything the fake does not serve is a 404 and is listed in ``FakeDiscord.unserved`` so a test
can see the adapter reached for an endpoint the fake lacks.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.adapters.discord.fake.errors import (
    INVALID_RECIPIENTS,
    JSON,
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_USER,
    ApiError,
)
from bot.adapters.discord.fake.errors import unauthorized as unauthorized_error
from bot.adapters.discord.fake.uploads import multipart_body

if TYPE_CHECKING:
    from bot.adapters.discord.fake.server import FakeDiscord

PREFIX = "/api/v10"
TOKEN_IN_PATH = (f"{PREFIX}/interactions/", f"{PREFIX}/webhooks/")
OPEN = {f"{PREFIX}/gateway"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def reply(data: Any, status: int = 200) -> web.Response:
    body = json.dumps(data, separators=(",", ":")).encode()
    return web.Response(status=status, body=body, headers={"Content-Type": "application/json"})


def no_content() -> web.Response:
    return web.Response(status=204)


async def body_of(request: web.Request, snowflake: Callable[[], int] | None = None) -> JSON:
    """A JSON body, or the ``payload_json`` of a multipart upload with its files read and
    checked into its ``attachments`` (``uploads.multipart_body``; ``snowflake`` ids them)."""
    if request.content_type.startswith("multipart/"):
        return await multipart_body(request, snowflake or _no_ids)
    if not request.can_read_body:
        return {}
    data = await request.json()
    return data if isinstance(data, dict) else {"_list": data}


def _no_ids() -> int:
    raise ApiError(400, 50035, "Invalid Form Body: this route takes no files")


class Rest:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def routes(self) -> list[web.RouteDef]:
        p, app, hook = PREFIX, PREFIX + "/applications/{app}", PREFIX + "/webhooks/{app}/{token}"
        return [
            web.get(f"{p}/users/@me", self.me),
            web.post(f"{p}/users/@me/channels", self.open_dm),
            web.get(p + "/users/{user}", self.user),
            web.get(p + "/guilds/{guild}/roles", self.roles),
            web.get(f"{p}/oauth2/applications/@me", self.application),
            web.get(f"{p}/gateway", self.gateway_url),
            web.get(f"{p}/gateway/bot", self.gateway_bot),
            web.get(f"{app}/commands", self.list_commands),
            web.put(f"{app}/commands", self.put_commands),
            web.get(app + "/guilds/{guild}/commands", self.list_commands),
            web.put(app + "/guilds/{guild}/commands", self.put_commands),
            web.post(p + "/interactions/{id}/{token}/callback", self.callback),
            web.post(hook, self.followup),
            web.get(hook + "/messages/{message}", self.get_message),
            web.patch(hook + "/messages/{message}", self.edit_message),
            web.delete(hook + "/messages/{message}", self.delete_message),
            web.get(p + "/channels/{channel}", self.channel),
            web.post(p + "/channels/{channel}/messages", self.post_message),
            web.patch(p + "/channels/{channel}/messages/{message}", self.edit_posted),
            web.get(p + "/channels/{channel}/messages/{message}", self.get_posted),
            web.delete(p + "/channels/{channel}/messages/{message}", self.delete_posted),
            web.put(p + "/channels/{channel}/messages/pins/{message}", self.pin),
        ]

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Authenticate, turn ``ApiError`` into Discord's error JSON, log the call."""
        try:
            if self._needs_bot_token(request) and not self._has_bot_token(request):
                raise unauthorized_error()
            response = await handler(request)
        except ApiError as error:
            response = reply(error.body(), error.status)
        except web.HTTPNotFound:
            self.fake.unserved.append(f"{request.method} {request.path}")
            response = reply({"message": "404: Not Found", "code": 0}, 404)
        except web.HTTPMethodNotAllowed:
            self.fake.unserved.append(f"{request.method} {request.path}")
            response = reply({"message": "405: Method Not Allowed", "code": 0}, 405)
        self.fake.requests.append((request.method, request.path, response.status))
        return response

    async def _body(self, request: web.Request) -> JSON:
        """A message-bearing body: uploaded files get snowflake ids."""
        return await body_of(request, self.fake.world.snowflake)

    @staticmethod
    def _needs_bot_token(request: web.Request) -> bool:
        path = request.path
        return path.startswith(PREFIX) and not path.startswith(TOKEN_IN_PATH) and path not in OPEN

    def _has_bot_token(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.fake.token}"

    # -- identity -------------------------------------------------------------------------------

    async def me(self, request: web.Request) -> web.Response:
        user = self.fake.world.bot.payload()
        return reply({**user, "verified": True, "mfa_enabled": False, "locale": "en-GB"})

    async def user(self, request: web.Request) -> web.Response:
        user = self.fake.world.users.get(_snowflake(request.match_info["user"]))
        if user is None:
            raise ApiError(404, UNKNOWN_USER, "Unknown User")
        return reply(user.payload())

    async def open_dm(self, request: web.Request) -> web.Response:
        """``POST /users/@me/channels``: the recipient's DM channel (the same one each time)."""
        body = await body_of(request)
        try:
            channel = self.fake.world.open_dm(_snowflake(body.get("recipient_id")))
        except LookupError:
            raise ApiError(400, INVALID_RECIPIENTS, "Invalid Recipient(s)") from None
        return reply(channel.payload())

    async def roles(self, request: web.Request) -> web.Response:
        guild = self.fake.world.guilds.get(_snowflake(request.match_info["guild"]))
        if guild is None:
            raise ApiError(404, UNKNOWN_GUILD, "Unknown Guild")
        return reply([role.payload() for role in guild.roles.values()])

    async def application(self, request: web.Request) -> web.Response:
        return reply(self.fake.application_payload())

    async def gateway_url(self, request: web.Request) -> web.Response:
        return reply({"url": self.fake.gateway_url.rstrip("/")})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        url = self.fake.gateway_url.rstrip("/")
        return reply({"url": url, "shards": 1, "session_start_limit": limit})

    # -- commands -------------------------------------------------------------------------------

    def _scope(self, request: web.Request) -> int | None:
        if int(request.match_info["app"]) != self.fake.application_id:
            raise ApiError(403, 50001, "Missing Access")
        guild = request.match_info.get("guild")
        if guild is None:
            return None
        if int(guild) not in self.fake.world.guilds:
            raise ApiError(404, UNKNOWN_GUILD, "Unknown Guild")
        return int(guild)

    async def list_commands(self, request: web.Request) -> web.Response:
        return reply(self.fake.state.commands.listed(self._scope(request)))

    async def put_commands(self, request: web.Request) -> web.Response:
        scope = self._scope(request)
        payload = await request.json()
        return reply(self.fake.state.commands.overwrite(scope, payload))

    # -- the interaction token --------------------------------------------------------------------

    async def callback(self, request: web.Request) -> web.Response:
        state = self.fake.state
        result = state.callback(
            int(request.match_info["id"]), request.match_info["token"], await self._body(request)
        )
        if request.query.get("with_response") in ("1", "true", "True"):
            return reply(result)
        return no_content()

    def _record(self, request: web.Request) -> Any:
        return self.fake.state.token_record(
            int(request.match_info["app"]), request.match_info["token"]
        )

    @staticmethod
    def _message_id(request: web.Request) -> int | None:
        raw = request.match_info["message"]
        return None if raw == "@original" else int(raw)

    async def followup(self, request: web.Request) -> web.Response:
        record = self._record(request)
        message = self.fake.state.followup(record, await self._body(request))
        if request.query.get("wait") in ("1", "true", "True"):
            return reply(message)
        return no_content()

    async def get_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        mid = self._message_id(request)
        message = self.fake.state.own_message(record, mid)
        return reply(message.payload(self.fake.application_id))

    async def edit_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        body = await self._body(request)
        return reply(self.fake.state.edit(record, self._message_id(request), body))

    async def delete_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        self.fake.state.delete(record, self._message_id(request))
        return no_content()

    # -- bot-token messages ------------------------------------------------------------------------

    async def channel(self, request: web.Request) -> web.Response:
        channel = self.fake.world.channels.get(int(request.match_info["channel"]))
        if channel is None:
            raise ApiError(404, UNKNOWN_CHANNEL, "Unknown Channel")
        return reply(channel.payload())

    async def post_message(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel"])
        return reply(self.fake.state.post(channel_id, await self._body(request)))

    async def edit_posted(self, request: web.Request) -> web.Response:
        channel_id, message_id = int(request.match_info["channel"]), self._message_id(request)
        body = await self._body(request)
        return reply(self.fake.state.edit_posted(channel_id, message_id or 0, body))

    async def delete_posted(self, request: web.Request) -> web.Response:
        channel_id, message_id = int(request.match_info["channel"]), self._message_id(request)
        self.fake.state.delete_posted(channel_id, message_id or 0)
        return no_content()

    async def get_posted(self, request: web.Request) -> web.Response:
        message = self.fake.state.messages.get(int(request.match_info["message"]))
        if message is None or message.ephemeral or message.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        return reply(message.payload(self.fake.application_id))

    async def pin(self, request: web.Request) -> web.Response:
        """Pin a message of the channel (the bot needs no extra permission in the fake)."""
        message = self.fake.state.messages.get(int(request.match_info["message"]))
        channel_id = int(request.match_info["channel"])
        if message is None or message.deleted or message.channel_id != channel_id:
            raise ApiError(404, 10008, "Unknown Message")
        message.pinned = True
        return no_content()


def _snowflake(raw: object) -> int:
    """An id from a path or body; anything else matches nothing (0 is never an id)."""
    try:
        return int(str(raw))
    except ValueError:
        return 0
