"""Discord's side of interactions and messages, without HTTP: the rules live here.

An interaction accepts exactly one initial response, within ``ack_deadline`` seconds of its
dispatch (else 10062 "Unknown interaction"; a second one is 40060). Its token then works for
``token_lifetime`` seconds (15 minutes) on the webhook routes: ``@original`` edits and
followups, which need the initial response first (10015 before it). As on Discord, the first
followup after a deferred "thinking" reply replaces that placeholder and keeps the defer's
ephemerality, whatever flags the followup asks for; once ``@original`` is deleted, a followup
is a new message of its own. Messages the bot posts with its own token live in channels (or a
user's DM channel) and never expire.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.adapters.discord.fake import limits
from bot.adapters.discord.fake.commands import CommandStore
from bot.adapters.discord.fake.errors import (
    CANNOT_MESSAGE_USER,
    INVALID_FORM_BODY,
    INVALID_WEBHOOK_TOKEN,
    JSON,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
    already_acknowledged,
    unknown_interaction,
)
from bot.adapters.discord.fake.model import EPHEMERAL, LOADING, Message
from bot.adapters.discord.fake.record import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    CHOICES,
    COMPONENT,
    DEFERRED_MESSAGE,
    DEFERRED_UPDATE,
    MESSAGE,
    MODAL,
    MODAL_SUBMIT,
    PING,
    PONG,
    UPDATE,
    InteractionRecord,
    Rejected,
    Reply,
    ReplyKind,
)
from bot.adapters.discord.fake.world import World

ALLOWED = {
    PING: {PONG},
    APPLICATION_COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, MODAL},
    AUTOCOMPLETE: {CHOICES},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE},
}
KEPT_FLAGS = EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)  # ephemeral, no embeds, silent, v2
CHAT_INPUT_COMMAND, REPLY = 20, 19


class FakeState:
    def __init__(
        self,
        world: World,
        application_id: int,
        *,
        ack_deadline: float = 3.0,
        token_lifetime: float = 15 * 60,
        quiet: float = 0.05,
    ) -> None:
        self.world, self.application_id = world, application_id
        self.ack_deadline, self.token_lifetime, self.quiet = ack_deadline, token_lifetime, quiet
        self.commands = CommandStore(application_id, world.snowflake)
        self.messages: dict[int, Message] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}
        self.on_post: list[Callable[[Message], None]] = []
        """Called with each message the bot posts with its token (a console's printer)."""

    # -- interactions ----------------------------------------------------------------------------

    def open(self, record_args: dict[str, Any]) -> InteractionRecord:
        """Register an interaction that is about to be dispatched; start its deadline."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        record = InteractionRecord(
            **record_args,
            dispatched_at=now,
            deadline=now + self.ack_deadline,
            expires_at=self.world.clock() + self.token_lifetime,
            messages_by_id=self.messages,
            quiet=self.quiet,
        )
        self.interactions[record.id] = record
        self.by_token[record.token] = record
        loop.call_at(record.deadline, self._deadline_passed, record)
        return record

    def _deadline_passed(self, record: InteractionRecord) -> None:
        if not record.acked:
            record.timed_out = True
            record.changed()

    def callback(self, interaction_id: int, token: str, body: JSON) -> JSON:
        record = self.interactions.get(interaction_id)
        if record is None or record.token != token:
            raise unknown_interaction()
        with _recorded(record, "POST /interactions/callback"):
            if record.acked:
                raise already_acknowledged()
            if asyncio.get_running_loop().time() > record.deadline:
                raise unknown_interaction()
            kind = int(body.get("type", 0))
            if kind not in ALLOWED.get(record.type, set()):
                raise _invalid("type", "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid type")
            message_id = self._respond(record, kind, body.get("data") or {})
        self._log(record, "callback", body, kind, message_id)
        return self._callback_result(record, kind, message_id)

    def _respond(self, record: InteractionRecord, kind: int, data: JSON) -> int | None:
        if kind == MESSAGE:
            limits.check_message(data)
            record.original_id = self._interaction_message(record, data).id
        elif kind == DEFERRED_MESSAGE:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            record.original_id = self._interaction_message(record, {"flags": flags}).id
        elif kind in (DEFERRED_UPDATE, UPDATE):
            source = self._source(record)
            if kind == UPDATE:
                limits.check_message(data, require_body=False)
                source.apply(data, self.world.now())
            record.original_id = source.id
        elif kind == CHOICES:
            limits.check_autocomplete(data)
        elif kind == MODAL:
            limits.check_modal(data)
        return record.original_id

    def _source(self, record: InteractionRecord) -> Message:
        if record.source_message_id is None:
            raise _invalid("type", "INTERACTION_RESPONSE_TYPE_INVALID", "No message to update")
        return self.messages[record.source_message_id]

    def _callback_result(self, record: InteractionRecord, kind: int, mid: int | None) -> JSON:
        """The ``?with_response=1`` body discord.py reads into ``InteractionCallbackResponse``."""
        head: JSON = {"id": str(record.id), "type": record.type}
        result: JSON = {"interaction": head}
        if kind in (MESSAGE, DEFERRED_MESSAGE, UPDATE) and mid is not None:
            message = self.messages[mid]
            head["response_message_id"] = str(mid)
            head["response_message_loading"] = message.loading
            head["response_message_ephemeral"] = message.ephemeral
            result["resource"] = {"type": kind, "message": message.payload(self.application_id)}
        return result

    def _interaction_message(self, record: InteractionRecord, data: JSON) -> Message:
        flags = int(data.get("flags") or 0) & (KEPT_FLAGS | LOADING)
        message = Message(
            id=self.world.snowflake(),
            channel_id=record.channel_id,
            guild_id=record.guild_id,
            author=self.world.bot,
            source="interaction",
            created=self.world.now(),
            flags=flags,
            type=CHAT_INPUT_COMMAND if record.type == APPLICATION_COMMAND else REPLY,
            interaction_id=record.id,
            visible_to=record.user_id if flags & EPHEMERAL else None,
            webhook_id=self.application_id,
        )
        message.apply(data, message.created)
        message.edited, message.edits = None, 0
        message.flags = flags
        self.messages[message.id] = message
        return message

    # -- the interaction token (webhook routes) ------------------------------------------------

    def token_record(self, application_id: int, token: str) -> InteractionRecord:
        record = self.by_token.get(token)
        if record is None or application_id != self.application_id:
            raise ApiError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
        if self.world.clock() > record.expires_at:
            error = ApiError(401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")
            _reject(record, "webhook", error)
            raise error
        return record

    def original(self, record: InteractionRecord) -> Message:
        message = record.original
        if message is None or message.deleted:
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        return message

    def edit(self, record: InteractionRecord, message_id: int | None, body: JSON) -> JSON:
        with _recorded(record, "PATCH /webhooks/messages"):
            message = self.own_message(record, message_id)
            limits.check_message(body, require_body=False)
            message.apply(body, self.world.now())
        self._log(record, "edit", body, None, message.id)
        return message.payload(self.application_id)

    def delete(self, record: InteractionRecord, message_id: int | None) -> None:
        with _recorded(record, "DELETE /webhooks/messages"):
            message = self.own_message(record, message_id)
            message.deleted = True
        self._log(record, "delete", {}, None, message.id)

    def own_message(self, record: InteractionRecord, message_id: int | None) -> Message:
        if message_id is None:
            return self.original(record)
        if message_id != record.original_id and message_id not in record.followup_ids:
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        return self.messages[message_id]

    def followup(self, record: InteractionRecord, body: JSON) -> JSON:
        with _recorded(record, "POST /webhooks"):
            if not record.acked:
                raise ApiError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
            limits.check_message(body)
            placeholder = record.original
            if placeholder is not None and placeholder.loading and not placeholder.deleted:
                placeholder.apply(body, self.world.now())
                message = placeholder
            else:
                message = self._interaction_message(record, body)
                record.followup_ids.append(message.id)
        self._log(record, "followup", body, None, message.id)
        return message.payload(self.application_id)

    def _log(
        self,
        record: InteractionRecord,
        kind: ReplyKind,
        body: JSON,
        cb: int | None,
        mid: int | None,
    ) -> None:
        at = asyncio.get_running_loop().time() - record.dispatched_at
        record.replies.append(Reply(kind, at, body, cb, mid))
        record.changed()

    # -- bot-token messages ------------------------------------------------------------------------

    def post(self, channel_id: int, body: JSON) -> JSON:
        """A message with the bot token, in a guild channel or a user's DM channel."""
        guild_id = self._postable(channel_id)
        limits.check_message(body)
        message = Message(
            id=self.world.snowflake(),
            channel_id=channel_id,
            guild_id=guild_id,
            author=self.world.bot,
            source="bot",
            created=self.world.now(),
            flags=int(body.get("flags") or 0) & KEPT_FLAGS & ~EPHEMERAL,
        )
        message.apply(body, message.created)
        message.edited, message.edits = None, 0
        self.messages[message.id] = message
        for listener in list(self.on_post):
            listener(message)
        return message.payload(self.application_id)

    def _postable(self, channel_id: int) -> int | None:
        """The guild of a channel the bot may post in (``None`` for a DM), or the error."""
        channel = self.world.channels.get(channel_id)
        if channel is not None:
            return channel.guild_id
        dm = self.world.dms.get(channel_id)
        if dm is None:
            raise ApiError(404, UNKNOWN_CHANNEL, "Unknown Channel")
        if dm.recipient.id in self.world.closed_dms:
            raise ApiError(403, CANNOT_MESSAGE_USER, "Cannot send messages to this user")
        return None

    def edit_posted(self, channel_id: int, message_id: int, body: JSON) -> JSON:
        message = self.messages.get(message_id)
        if message is None or message.channel_id != channel_id or message.deleted:
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        if message.author.id != self.world.bot.id or message.ephemeral:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        limits.check_message(body, require_body=False)
        message.apply(body, self.world.now())
        return message.payload(self.application_id)

    def delete_posted(self, channel_id: int, message_id: int) -> None:
        """The bot deletes a message of a channel (its own; others would need Manage
        Messages, which the fake does not model)."""
        message = self.messages.get(message_id)
        if message is None or message.channel_id != channel_id or message.deleted:
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        if message.author.id != self.world.bot.id or message.ephemeral:
            raise ApiError(403, 50003, "Cannot execute action on this message")
        message.deleted = True


def _invalid(path: str, code: str, text: str) -> ApiError:
    return ApiError(
        400,
        INVALID_FORM_BODY,
        "Invalid Form Body",
        {path: {"_errors": [{"code": code, "message": text}]}},
    )


def _reject(record: InteractionRecord, route: str, error: ApiError) -> None:
    at = asyncio.get_running_loop().time() - record.dispatched_at
    record.rejected.append(
        Rejected(route, error.status, error.code, error.message, at, error.errors)
    )
    record.changed()


@contextmanager
def _recorded(record: InteractionRecord, route: str) -> Iterator[None]:
    """Note any ``ApiError`` raised inside on the interaction's record, then let it through."""
    try:
        yield
    except ApiError as error:
        _reject(record, route, error)
        raise
