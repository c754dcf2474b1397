"""``FakeDiscord``: the REST subset and the gateway on one aiohttp server on 127.0.0.1.

Start it (``async with FakeDiscord() as fake``), build guilds, channels and members, point
discord.py at it (``fake.apply_endpoints()`` or ``endpoints.use(fake.api_url,
fake.gateway_url)``), start a real ``discord.Client`` with ``fake.token``, then drive
interactions (see ``Driver``) and read what the bot sent. ``clock`` (seconds since the
epoch) only governs the 15-minute interaction token and timestamps, so a test can age a
token without waiting; the three-second deadline runs on the event loop's clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from types import TracebackType

from aiohttp import web

from bot.adapters.discord import endpoints
from bot.adapters.discord.fake.driver import Driver
from bot.adapters.discord.fake.errors import JSON
from bot.adapters.discord.fake.gateway import Gateway
from bot.adapters.discord.fake.model import Channel, Guild, Member, Message, Role, User
from bot.adapters.discord.fake.rest import Rest
from bot.adapters.discord.fake.state import FakeState
from bot.adapters.discord.fake.uploads import REQUEST_MAX
from bot.adapters.discord.fake.world import World

DEFAULT_TOKEN = "fake-discord-bot-token"


class FakeDiscord(Driver):
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        application_id: int = 1_100_000_000_000_000_001,
        bot_name: str = "Hustings",
        heartbeat_interval: float = 41.25,
        ack_deadline: float = 3.0,
        token_lifetime: float = 15 * 60,
        clock: Callable[[], float] = time.time,
        settle_quiet: float = 0.05,
        privileged_intents: bool = False,
        locale: str = "en-GB",
    ) -> None:
        self.host, self.port, self.token = host, port, token
        self.application_id, self.locale = application_id, locale
        self.privileged_intents = privileged_intents
        self.world = World(User(application_id, bot_name, bot=True), clock)
        self.owner = User(self.world.snowflake(), "owner")
        self.state = FakeState(
            self.world,
            application_id,
            ack_deadline=ack_deadline,
            token_lifetime=token_lifetime,
            quiet=settle_quiet,
        )
        self.gateway = Gateway(self, heartbeat_interval)
        self.rest = Rest(self)
        self.requests: list[tuple[str, str, int]] = []
        self.unserved: list[str] = []
        self._runner: web.AppRunner | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self.rest.middleware], client_max_size=REQUEST_MAX)
        app.add_routes(self.rest.routes())
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/resume/", self.gateway.handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/resume/"

    def apply_endpoints(self) -> None:
        """Point discord.py (process-wide) here; ``endpoints.use_real_discord`` undoes it."""
        endpoints.use(self.api_url, self.gateway_url)

    # -- building the world ----------------------------------------------------------------------

    def add_guild(
        self, guild_id: int | None = None, name: str = "Hustings", owner_id: int | None = None
    ) -> Guild:
        return self.world.add_guild(guild_id, name, owner_id or self.owner.id)

    def add_channel(self, guild: int, name: str, channel_id: int | None = None) -> Channel:
        return self.world.add_channel(guild, name, channel_id)

    def add_role(self, guild: int, name: str, permissions: int = 0) -> Role:
        return self.world.add_role(guild, name, permissions)

    def add_member(
        self, guild: int, user_id: int, name: str, roles: Iterable[str] = (), admin: bool = False
    ) -> Member:
        return self.world.add_member(guild, user_id, name, roles, admin=admin)

    # -- reading what the bot did ---------------------------------------------------------------

    def message(self, message_id: int) -> Message:
        return self.state.messages[message_id]

    def channel_messages(
        self, channel_id: int, *, include_interactions: bool = False
    ) -> list[Message]:
        """Messages in a channel that everyone sees, oldest first: by default only those the
        bot posted with its token; with ``include_interactions``, public replies too."""
        return [
            m
            for m in self.state.messages.values()
            if m.channel_id == channel_id
            and not m.deleted
            and not m.ephemeral
            and not m.loading
            and (include_interactions or m.source == "bot")
        ]

    def direct_messages(self, user_id: int) -> list[Message]:
        """What the bot sent ``user_id`` by DM, oldest first (none if it never opened a DM)."""
        dm = self.world.dm_with(user_id)
        if dm is None:
            return []
        return [m for m in self.state.messages.values() if m.channel_id == dm.id and not m.deleted]

    def close_dms(self, user_id: int) -> None:
        """The member turns off DMs from server members: messages to them get 50007."""
        self.world.closed_dms.add(user_id)

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """The commands registered for a guild, or globally (``None``)."""
        return self.state.commands.listed(guild_id)

    # -- gateway payloads ------------------------------------------------------------------------

    def ready_payload(self, session_id: str, identify: JSON, guilds: Iterable[int]) -> JSON:
        """READY for one session, listing ``guilds`` (its shard's) as unavailable."""
        payload: JSON = {
            "v": 10,
            "user": {**self.world.bot.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "guild_join_requests": [],
        }
        if "shard" in identify:
            payload["shard"] = identify["shard"]
        return payload

    def guild_payloads(self, guilds: Iterable[int]) -> list[JSON]:
        """GUILD_CREATE payloads for ``guilds``."""
        bot = self.world.bot.id
        return [(g := self.world.guilds[i]).payload(g.members.get(bot)) for i in guilds]

    def application_payload(self) -> JSON:
        return {
            "id": str(self.application_id),
            "name": self.world.bot.name,
            "icon": None,
            "description": "",
            "summary": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner.payload(),
            "verify_key": "0" * 64,
            "team": None,
            "flags": 0,
            "bot": self.world.bot.payload(),
        }
