"""``hustings discord sync [--guild ID]``: register the slash commands, explicitly.

Discord allows 200 command creates a day per guild, so the bot never syncs on start: run this
after changing the declarations. ``--guild`` (or ``DISCORD_GUILD_ID``) syncs to one server,
where changes show at once (handy while testing); without it the commands are global. Only
the REST API is used (log in, bulk-overwrite); no gateway connection, no database.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import discord

from bot.adapters.discord import endpoints
from bot.adapters.discord.client import intents, without_voice
from bot.adapters.discord.tree import HustingsTree, populate
from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``discord sync`` to the ``hustings`` command line."""
    parser = subparsers.add_parser("discord", help="Discord maintenance")
    actions = parser.add_subparsers(dest="discord_command", required=True, metavar="ACTION")
    sync = actions.add_parser("sync", help="register the slash commands with Discord")
    sync.add_argument("--guild", type=int, metavar="ID", help="one server (default: global)")
    sync.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace) -> int:
    settings = Settings()
    if settings.discord_token is None:
        print("hustings discord sync: set DISCORD_TOKEN first.", file=sys.stderr)
        return 2
    guild = args.guild if args.guild is not None else settings.discord_guild_id
    names = asyncio.run(sync_commands(settings, guild))
    where = f"guild {guild}" if guild else "all servers (global)"
    print(f"synced {len(names)} commands to {where}: {', '.join(sorted(names))}")
    return 0


async def _refuse(*args: Any) -> Any:
    raise RuntimeError("the sync client does not answer interactions")


async def sync_commands(settings: Settings, guild_id: int | None) -> list[str]:
    """Log in with the bot token and bulk-overwrite the commands; their names."""
    assert settings.discord_token is not None
    if settings.discord_api_url or settings.discord_gateway_url:
        endpoints.use(
            settings.discord_api_url or endpoints.REAL_API,
            settings.discord_gateway_url or endpoints.REAL_GATEWAY,
        )
    without_voice()
    client = discord.Client(intents=intents())
    tree = populate(HustingsTree(client), _refuse, _refuse)
    async with client:
        await client.login(settings.discord_token.get_secret_value())
        if guild_id is None:
            synced = await tree.sync()
        else:
            guild = discord.Object(id=guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
    return [command.name for command in synced]
