"""The driver: plays the member's side and dispatches INTERACTION_CREATE over the gateway.

Each method builds the payload the Discord client would produce, registers the interaction
(its three-second deadline starts now), sends it to the connected bot and returns the
``InteractionRecord`` at once; ``await`` the record for the bot's response. Commands must
have been synced (``tree.sync()``) and, as in the Discord client, a command whose
``default_member_permissions`` the member lacks is not offered to them: ``slash`` raises
``PermissionError`` unless ``force=True`` (to test the bot's own server-side check).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.adapters.discord.fake import payloads
from bot.adapters.discord.fake.errors import JSON
from bot.adapters.discord.fake.model import ALL_PERMISSIONS, DMChannel, Message
from bot.adapters.discord.fake.record import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    COMPONENT,
    MODAL_SUBMIT,
    InteractionRecord,
)

if TYPE_CHECKING:
    from bot.adapters.discord.fake.gateway import Gateway
    from bot.adapters.discord.fake.state import FakeState
    from bot.adapters.discord.fake.world import World


class Driver:
    """Mixed into ``FakeDiscord``, which provides the attributes below."""

    world: World
    state: FakeState
    gateway: Gateway
    application_id: int
    locale: str

    # -- what a member can see ---------------------------------------------------------------

    def visible_commands(self, guild_id: int, user_id: int) -> list[str]:
        """Names of the slash commands this member is offered in the guild."""
        guild = self.world.guild(guild_id)
        scope = {c["name"]: c for c in self.state.commands.listed(None)}
        scope.update({c["name"]: c for c in self.state.commands.listed(guild_id)})
        permissions = guild.permissions(user_id)
        return sorted(n for n, c in scope.items() if _allowed(c, permissions))

    def _command(self, guild_id: int, user_id: int, name: str, *, force: bool) -> JSON:
        command = self.state.commands.find(guild_id, name)
        if command is None:
            raise LookupError(f"/{name} is not registered (did the bot sync its commands?)")
        permissions = self.world.guild(guild_id).permissions(user_id)
        if not force and not _allowed(command, permissions):
            raise PermissionError(f"/{name} is hidden from user {user_id}")
        return command

    # -- interactions ----------------------------------------------------------------------------

    async def slash(
        self,
        user: int,
        channel: int,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        force: bool = False,
        locale: str | None = None,
    ) -> InteractionRecord:
        """``/command`` (``"election open"`` for a sub-command) with ``{name: value}`` options."""
        root, *path = command.split()
        guild_id = self.world.channel(channel).guild_id
        schema = self._command(guild_id, user, root, force=force)
        guild = self.world.guild(guild_id)
        data = payloads.command_data(self.world, guild, schema, path, options or {})
        return await self._dispatch(APPLICATION_COMMAND, user, channel, data, locale=locale)

    async def autocomplete(
        self,
        user: int,
        channel: int,
        command: str,
        options: Mapping[str, Any],
        focused: str,
        *,
        locale: str | None = None,
    ) -> InteractionRecord:
        """The member is typing option ``focused`` (its partial text is ``options[focused]``)."""
        if focused not in options:
            raise ValueError(f"the focused option {focused!r} needs its typed text in options")
        root, *path = command.split()
        guild_id = self.world.channel(channel).guild_id
        schema = self._command(guild_id, user, root, force=False)
        guild = self.world.guild(guild_id)
        data = payloads.command_data(self.world, guild, schema, path, options, focused=focused)
        return await self._dispatch(AUTOCOMPLETE, user, channel, data, locale=locale)

    async def click(self, user: int, message_id: int, custom_id: str) -> InteractionRecord:
        """The member presses the button ``custom_id`` on a message."""
        message = self._seen_by(user, message_id)
        data = payloads.component_data(payloads.find_component(message, custom_id), None)
        return await self._on_message(user, message, data)

    async def select(
        self, user: int, message_id: int, custom_id: str, values: list[str], *, forged: bool = False
    ) -> InteractionRecord:
        """The member picks ``values`` in the select menu ``custom_id`` on a message.

        ``forged``: send ``values`` even if the menu does not offer them (a modified client).
        """
        message = self._seen_by(user, message_id)
        component = payloads.find_component(message, custom_id)
        data = payloads.component_data(component, values, forged=forged)
        return await self._on_message(user, message, data)

    async def submit_modal(
        self, opened: InteractionRecord, values: Mapping[str, Any]
    ) -> InteractionRecord:
        """The member fills in and submits the modal that ``opened`` answered with."""
        modal = opened.modal
        if modal is None:
            raise ValueError(f"interaction {opened.id} did not open a modal")
        data = payloads.modal_data(modal, values)
        source = opened.source_message_id
        message = None if source is None else self.state.messages[source]
        return await self._dispatch(
            MODAL_SUBMIT, opened.user_id, opened.channel_id, data, message=message
        )

    def _seen_by(self, user: int, message_id: int) -> Message:
        message = self.state.messages.get(message_id)
        if message is None or message.deleted:
            raise LookupError(f"no message {message_id}")
        if message.visible_to is not None and message.visible_to != user:
            raise PermissionError(f"message {message_id} is ephemeral to someone else")
        return message

    async def _on_message(self, user: int, message: Message, data: JSON) -> InteractionRecord:
        return await self._dispatch(COMPONENT, user, message.channel_id, data, message=message)

    async def _dispatch(
        self,
        kind: int,
        user: int,
        channel_id: int,
        data: JSON,
        *,
        message: Message | None = None,
        locale: str | None = None,
    ) -> InteractionRecord:
        dm = self.world.dms.get(channel_id)
        if dm is not None:
            return await self._dispatch_dm(kind, user, dm, data, message=message)
        channel = self.world.channel(channel_id)
        guild = self.world.guild(channel.guild_id)
        self.world.member(guild.id, user)
        interaction_id, token = self.world.snowflake(), "fake." + secrets.token_urlsafe(48)
        payload = payloads.envelope(
            self.world,
            interaction_id=interaction_id,
            application_id=self.application_id,
            kind=kind,
            token=token,
            guild=guild,
            channel=channel,
            user_id=user,
            data=data,
            locale=locale or self.locale,
            message=None if message is None else message.payload(self.application_id),
        )
        record = self.state.open(
            {
                "id": interaction_id,
                "token": token,
                "type": kind,
                "user_id": user,
                "guild_id": guild.id,
                "channel_id": channel.id,
                "payload": payload,
                "source_message_id": None if message is None else message.id,
            }
        )
        record.shard = await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return record

    async def _dispatch_dm(
        self, kind: int, user: int, dm: DMChannel, data: JSON, *, message: Message | None
    ) -> InteractionRecord:
        """A click on a button in the member's DM with the bot (only its recipient sees it)."""
        if dm.recipient.id != user:
            raise PermissionError(f"user {user} cannot see DM channel {dm.id}")
        interaction_id, token = self.world.snowflake(), "fake." + secrets.token_urlsafe(48)
        payload = payloads.dm_envelope(
            interaction_id=interaction_id,
            application_id=self.application_id,
            kind=kind,
            token=token,
            channel=dm,
            data=data,
            locale=self.locale,
            message=None if message is None else message.payload(self.application_id),
        )
        record = self.state.open(
            {
                "id": interaction_id,
                "token": token,
                "type": kind,
                "user_id": user,
                "guild_id": None,
                "channel_id": dm.id,
                "payload": payload,
                "source_message_id": None if message is None else message.id,
            }
        )
        record.shard = await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return record

    async def redeliver(self, record: InteractionRecord) -> None:
        """Send an interaction already delivered again, unchanged (same id and token)."""
        await self.gateway.dispatch("INTERACTION_CREATE", record.payload)


def _allowed(command: JSON, permissions: int) -> bool:
    needed = command.get("default_member_permissions")
    if needed is None:
        return True
    if permissions == ALL_PERMISSIONS:
        return True
    required = int(needed)
    return required != 0 and permissions & required == required
