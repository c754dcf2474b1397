"""The Discord client: who and where an interaction comes from, and one way to run a command.

Thin by design: the tree has deferred before ``invoke`` runs; ``invoke`` builds the ``Actor``
and ``Place``, checks the command's permission on our side (hiding commands from members is
Discord's courtesy, not a guarantee), converts the options with their declarations, calls one
service through ``dispatch.run_outcome`` (or, for ``/ballot``, opens the form) and renders
the answer: the neutral reply, or Discord's own shape of the service's value (``special``).
Errors raised before dispatch reach the tree's ``on_error`` (``errors.handle``).

Intents: only ``guilds`` (not privileged), which keeps the guild's roles cached so a member's
role names (``moderator``) are known. Mentions: ``AllowedMentions.none()`` on the client and
on every send, so nothing the bot posts can ping anyone. Timed closes are announced by the
scheduler through ``DiscordAnnouncer`` with the bot token. With ``DISCORD_SHARD_COUNT`` set,
``make_client`` builds ``ShardedHustingsClient`` (discord.py's ``AutoShardedClient``) for the
shards in ``DISCORD_SHARD_IDS``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import discord

from bot.adapters.commands import Command, Kind, Option, Value, allowed
from bot.adapters.discord import special
from bot.adapters.discord.announcer import DiscordAnnouncer
from bot.adapters.discord.autocomplete import suggest_names, suggest_rankings
from bot.adapters.discord.ballot_form import is_old_form
from bot.adapters.discord.ballot_view import BallotButton, BallotMenu, tell_expired
from bot.adapters.discord.dedupe import InteractionGate
from bot.adapters.discord.moderate_view import (
    DismissSelect,
    MergeAskButton,
    MergeSelect,
    ModerateButton,
    on_modal_submit,
)
from bot.adapters.discord.next_round import NextRoundButton
from bot.adapters.discord.questions_view import UpvoteButton
from bot.adapters.discord.reword_view import RewordButton
from bot.adapters.discord.tree import HustingsTree, populate
from bot.adapters.dispatch import run_outcome
from bot.adapters.textform import Invocation
from bot.app import App
from bot.config import Settings
from bot.domain import Actor, ElectionView, Place
from bot.errors import NotAllowed, UserError
from bot.services.common import moderates
from bot.services.scheduler import Scheduler

log = logging.getLogger(__name__)

PLATFORM = "discord"
COMPLETION_TTL = 10.0
"""Seconds an election's candidates are reused for autocomplete (it cannot be deferred)."""
ROLES_TTL = 60.0


def intents() -> discord.Intents:
    """No privileged intents: slash commands need none; ``guilds`` caches roles and channels."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


def without_voice() -> None:
    """Tell discord.py that voice is not wanted, before a client is built.

    Building a ``discord.Client`` logs "PyNaCl is not installed, voice will NOT be supported"
    (and the same for ``davey``) once per process, unless ``VoiceClient``'s one-shot
    ``warn_nacl``/``warn_dave`` flags are already spent. Hustings never joins a voice channel,
    so those two warnings are noise in the console; every other warning still shows.
    """
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


class HustingsClient(discord.Client):
    """discord.py's client wired to the core."""

    def __init__(self, app: App, *, scheduler: bool = True, **options: Any) -> None:
        without_voice()
        super().__init__(
            intents=intents(), allowed_mentions=discord.AllowedMentions.none(), **options
        )
        self.app = app
        InteractionGate(app.context.clock).install(self)  # each interaction id runs once
        self.tree = populate(HustingsTree(self), self.invoke, self.complete)
        self.announcer = DiscordAnnouncer(self)
        self.scheduler: Scheduler | None = (
            app.scheduler(self.announcer, platform=PLATFORM) if scheduler else None
        )
        self._elections: dict[tuple[str, str, str | None, bool], tuple[float, ElectionView]] = {}
        self._roles: dict[int, tuple[float, dict[int, str]]] = {}

    async def setup_hook(self) -> None:
        self.add_dynamic_items(
            UpvoteButton, NextRoundButton, RewordButton, BallotMenu, BallotButton
        )
        self.add_dynamic_items(ModerateButton, DismissSelect, MergeSelect, MergeAskButton)
        if self.scheduler is not None:
            self.scheduler.start()

    async def close(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.stop()
        await super().close()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        data: Any = interaction.data or {}
        if interaction.type is discord.InteractionType.component and is_old_form(
            str(data.get("custom_id", ""))
        ):
            await tell_expired(interaction)
        elif interaction.type is discord.InteractionType.modal_submit:
            await on_modal_submit(self, interaction)

    # -- who and where -------------------------------------------------------------------------

    async def who_and_where(
        self, interaction: discord.Interaction, *, fetch_roles: bool = True
    ) -> tuple[Actor, Place]:
        """The acting member and the channel; Hustings runs in server channels only."""
        guild_id, channel_id = interaction.guild_id, interaction.channel_id
        if guild_id is None or channel_id is None:
            raise NotAllowed("Hustings works in server channels, not in direct messages.")
        user = interaction.user
        permissions = interaction.permissions
        actor = Actor(
            platform=PLATFORM,
            workspace=str(guild_id),
            user_id=str(user.id),
            display_name=user.display_name,
            roles=await self._role_names(interaction, fetch=fetch_roles),
            is_admin=permissions.administrator or permissions.manage_guild,
        )
        return actor, Place(PLATFORM, str(guild_id), str(channel_id))

    async def _role_names(self, interaction: discord.Interaction, *, fetch: bool) -> frozenset[str]:
        member = interaction.user
        guild = interaction.guild
        if not isinstance(member, discord.Member) or guild is None:
            return frozenset()
        ids = [int(i) for i in member._roles]
        known = {i: role.name for i in ids if (role := guild.get_role(i)) is not None}
        if len(known) < len(ids) and fetch:
            known.update(await self._fetched_roles(guild))
        return frozenset(known[i].casefold() for i in ids if i in known)

    async def _fetched_roles(self, guild: discord.Guild) -> dict[int, str]:
        """Role names by REST when the gateway cache lacks them (kept a minute)."""
        cached = self._roles.get(guild.id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        try:
            names = {role.id: role.name for role in await guild.fetch_roles()}
        except discord.HTTPException:
            log.warning("could not fetch the roles of guild %s", guild.id)
            names = {}
        self._roles[guild.id] = (time.monotonic() + ROLES_TTL, names)
        return names

    # -- commands ------------------------------------------------------------------------------

    async def invoke(
        self, interaction: discord.Interaction, command: Command, raw: dict[str, Any]
    ) -> None:
        """Run ``command`` (already deferred by the tree) and answer it."""
        actor, place = await self.who_and_where(interaction)
        if not allowed(command, moderates(self.app.context, actor)):
            raise NotAllowed(f"Only moderators can use /{command.name}.")
        options = convert(command, raw)
        form = special.FORMS.get(command.name)
        if form is not None:
            await form(self, interaction, options)
            return
        outcome = await run_outcome(self.app, actor, place, Invocation(command, options))
        await special.show(interaction, command.name, outcome)

    async def complete(
        self, interaction: discord.Interaction, command: Command, option: Option, typed: str
    ) -> list[str]:
        """Autocomplete: rankings for ``/rank``, names for a candidate option (read-only)."""
        try:
            actor, place = await self.who_and_where(interaction, fetch_roles=False)
            ref = getattr(interaction.namespace, "election", None)
            election = await self._election(actor, place, ref if isinstance(ref, str) else None)
        except UserError:
            return []
        if option.name == "ranking":
            return suggest_rankings(typed, election.candidates, election.aliases)
        return suggest_names(typed, election.candidates)

    async def _election(self, actor: Actor, place: Place, ref: str | None) -> ElectionView:
        moderator = moderates(self.app.context, actor)
        key = (place.workspace, place.channel, ref, moderator)
        cached = self._elections.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        election = await self.app.elections.get(actor, place, ref)
        self._elections[key] = (time.monotonic() + COMPLETION_TTL, election)
        return election


class ShardedHustingsClient(HustingsClient, discord.AutoShardedClient):
    """The same client over the shards ``DISCORD_SHARD_IDS`` of ``DISCORD_SHARD_COUNT``.

    Discord sends each guild's events (interactions included) to shard
    ``(guild_id >> 22) % shard_count`` and direct messages to shard 0, so each process serves
    its share of the guilds. Nothing a click needs is in one process (forms and buttons carry
    their state, the rest is in the database), and each timed close and announcement is
    claimed in the database, so every process runs its scheduler: each fires once.

    Closing one that never logged in (a start-up check failed, a test) only stops the
    scheduler and the HTTP session, as the unsharded client does: discord.py's
    ``AutoShardedClient.close`` posts to its shards' event queue, which ``login`` creates, and
    raised ``AttributeError`` without it.
    """

    _logging_in = False
    """Whether ``login`` has begun (discord.py builds the shards' event queue there, before
    its first await)."""

    async def login(self, token: str) -> None:
        self._logging_in = True
        await super().login(token)

    async def close(self) -> None:
        if self._logging_in:
            await super().close()
            return
        if self.scheduler is not None:
            await self.scheduler.stop()
        await discord.Client.close(self)  # the unsharded close: connection state, HTTP


def make_client(app: App, settings: Settings, **options: Any) -> HustingsClient:
    """The client ``settings`` ask for: sharded when ``DISCORD_SHARD_COUNT`` is set."""
    count = settings.discord_shard_count
    if count is None:
        return HustingsClient(app, **options)
    ids = None if settings.discord_shard_ids is None else list(settings.discord_shard_ids)
    return ShardedHustingsClient(app, shard_count=count, shard_ids=ids, **options)


def convert(command: Command, raw: dict[str, Any]) -> dict[str, Value]:
    """Discord's option values → declared values (``InvalidInput`` names a bad option)."""
    values: dict[str, Value] = {}
    for name, value in raw.items():
        option = command.option(name)
        if option is None or value is None:
            continue
        values[name] = _value(option, value)
    return values


def _value(option: Option, value: Any) -> Value:
    if isinstance(value, bool) and option.kind is Kind.BOOL:
        return value
    if isinstance(value, int) and option.kind is Kind.INT:
        return value
    return option.convert(str(value))
