"""``python -m bot.adapters.discord.fake``: run the fake Discord until interrupted.

``serve_forever`` is what ``hustings run`` starts when no Discord token is set: one demo
guild with a channel, a member, a moderator and an administrator, and the settings the bot
needs to connect (token, API and gateway URLs, guild id) printed or handed to ``ready`` so the
runner can point discord.py at it (``bot.adapters.discord.endpoints.use``) and start the bot.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.adapters.discord.fake.server import FakeDiscord
from bot.adapters.fake_main import print_settings, serve_main

DEMO_GUILD, DEMO_CHANNEL = 1_200_000_000_000_000_001, 1_200_000_000_000_000_002
DEMO_MEMBER, DEMO_MODERATOR, DEMO_ADMIN = (
    1_300_000_000_000_000_001,
    1_300_000_000_000_000_002,
    1_300_000_000_000_000_003,
)


@dataclass(frozen=True)
class Demo:
    """Ids in the demo guild, for a console that types as its members."""

    guild: int = DEMO_GUILD
    channel: int = DEMO_CHANNEL
    member: int = DEMO_MEMBER
    moderator: int = DEMO_MODERATOR
    admin: int = DEMO_ADMIN


def populate_demo(fake: FakeDiscord) -> Demo:
    """The demo guild the console talks in."""
    demo = Demo()
    fake.add_guild(demo.guild, "Hustings Demo")
    fake.add_channel(demo.guild, "hustings", demo.channel)
    fake.add_member(demo.guild, demo.member, "member")
    fake.add_member(demo.guild, demo.moderator, "moderator", roles=["moderator"])
    fake.add_member(demo.guild, demo.admin, "admin", admin=True)
    return demo


def describe(fake: FakeDiscord, demo: Demo = Demo()) -> str:
    """Settings a bot needs to use this fake (the token is throwaway)."""
    return "\n".join(
        [
            f"DISCORD_TOKEN={fake.token}",
            f"DISCORD_API_URL={fake.api_url}",
            f"DISCORD_GATEWAY_URL={fake.gateway_url}",
            f"DISCORD_GUILD_ID={demo.guild}",
        ]
    )


async def serve_forever(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    ready: Callable[[FakeDiscord, Demo], Awaitable[None]] | None = None,
    heartbeat_interval: float = 41.25,
) -> None:
    """Run a populated fake until cancelled; ``ready(fake, demo)`` runs once it listens."""
    async with FakeDiscord(host=host, port=port, heartbeat_interval=heartbeat_interval) as fake:
        demo = populate_demo(fake)
        if ready is not None:
            await ready(fake, demo)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    async def announce(fake: FakeDiscord, demo: Demo) -> None:
        print_settings(describe(fake, demo))

    return serve_main(
        "python -m bot.adapters.discord.fake",
        argv,
        lambda port: serve_forever(port=port, ready=announce),
    )


if __name__ == "__main__":
    sys.exit(main())
