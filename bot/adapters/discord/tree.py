"""The Discord app-command tree, generated from the declarations in ``commands``.

No command or option is written out here: each declared ``Command`` becomes an
``app_commands.Command`` whose parameters are built from its ``Option`` values (one
``OptionTransformer`` per option carries the type, choices and autocomplete), and every
command has the same callback, which hands the raw values to the adapter.

Discord sets ``default_member_permissions`` on top-level commands only. A group whose
sub-commands are all for moderators (``/question``) is hidden from members as a whole; a mixed
group (``/election``: ``status`` and ``list`` are for everyone) keeps its moderator sub-commands
and hidden, and its member sub-commands become top-level commands named ``election-status`` and
``election-list``, which members see when they type ``/election``. The hiding is only a
courtesy (server admins can change it): every call is checked on our side as well.

Deadlines: ``HustingsTree.interaction_check`` runs before any command and is the one place that
defers (ephemeral unless the command announces to the channel), so no handler can touch the
database before Discord has its acknowledgement. Autocomplete cannot be deferred and stays
read-only and cached (see ``client``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.adapters.commands import COMMANDS, GROUPS, Command, Kind, Option, Permission
from bot.adapters.discord.respond import defer

MODERATOR_PERMISSIONS = discord.Permissions(manage_messages=True)
"""Who sees moderator commands by default (server admins may change it per command)."""

PUBLIC_COMMANDS = frozenset(
    {
        "election open",
        "election close",
        "election cancel",
        "election count",
        "election next",
        "question answer",
        "question approve",
        "premoderate",
        "hustings start",
        "hustings end",
    }
)
"""Commands whose success is an announcement to the channel: deferred visibly; every other
command (and every error) is answered only to its caller. ``ask`` is not one of them: a
visible reply shows "alice used /ask" above it, which would name an anonymous asker, so the
question card is posted with the bot token instead (``special._ask``)."""

Invoke = Callable[[discord.Interaction, Command, dict[str, Any]], Awaitable[None]]
Complete = Callable[[discord.Interaction, Command, Option, str], Awaitable[list[str]]]


@dataclass(frozen=True)
class Entry:
    """Where a declared command lives on Discord: its path there and whether it is hidden."""

    command: Command
    path: tuple[str, ...]

    @property
    def qualified_name(self) -> str:
        return " ".join(self.path)

    @property
    def moderator(self) -> bool:
        return self.command.permission is Permission.MODERATOR


def layout(commands: Iterable[Command] = COMMANDS) -> list[Entry]:
    """Each command's Discord path: groups stay groups unless members and moderators share them."""
    declared = tuple(commands)
    mixed = {
        group
        for group in GROUPS
        if len({c.permission for c in declared if c.path[0] == group and len(c.path) == 2}) > 1
    }
    entries = []
    for command in declared:
        path = command.path
        if len(path) == 2 and path[0] in mixed and command.permission is Permission.MEMBER:
            path = (f"{path[0]}-{path[1]}",)
        entries.append(Entry(command, path))
    return entries


def completes(option: Option) -> bool:
    """Options with autocomplete: the ranking and any single candidate."""
    return option.name == "ranking" or option.kind is Kind.CANDIDATE


class OptionTransformer(app_commands.Transformer):
    """One declared option as a Discord option; the value is passed on untouched.

    Conversion (``Option.convert``) happens in the adapter after the defer, so a bad value
    is answered like any other user error.
    """

    def __init__(self, option: Option) -> None:
        self.option = option

    @property
    def type(self) -> discord.AppCommandOptionType:
        if self.option.kind is Kind.INT and not self.option.clearable:
            return discord.AppCommandOptionType.integer
        if self.option.kind is Kind.BOOL:
            return discord.AppCommandOptionType.boolean
        return discord.AppCommandOptionType.string

    @property
    def choices(self) -> list[app_commands.Choice[int | float | str]] | None:
        if self.option.kind is not Kind.CHOICE:
            return None
        return [app_commands.Choice(name=c, value=c) for c in self.option.choices]

    @property
    def min_value(self) -> int | None:
        return 1 if self.type is discord.AppCommandOptionType.integer else None

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Any:
        return value


class CompletingTransformer(OptionTransformer):
    """An option with autocomplete: candidate names, or the next candidate of a ranking."""

    def __init__(self, option: Option, command: Command, complete: Complete) -> None:
        super().__init__(option)
        self.command = command
        self.complete = complete

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        suggestions = await self.complete(interaction, self.command, self.option, value)
        return [app_commands.Choice(name=_choice_name(s), value=s) for s in suggestions[:25]]


def _choice_name(text: str) -> str:
    return text if len(text) <= 100 else "…" + text[-99:]


def _callback(
    entry: Entry, invoke: Invoke, complete: Complete
) -> Callable[..., Coroutine[Any, Any, None]]:
    """The shared callback, with a signature describing the command's options."""

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await invoke(interaction, entry.command, values)

    params = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for option in sorted(entry.command.options, key=lambda o: not o.required):
        transformer: OptionTransformer = (
            CompletingTransformer(option, entry.command, complete)
            if completes(option)
            else OptionTransformer(option)
        )
        params.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=transformer,
                default=inspect.Parameter.empty if option.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__qualname__ = callback.__name__ = "hustings_" + "_".join(entry.path).replace("-", "_")
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        o.name: o.help for o in entry.command.options
    }
    return callback


class HustingsTree(app_commands.CommandTree[discord.Client]):
    """The command tree: defers every command in one place and maps every error in one place."""

    entries: dict[str, Entry]

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.type is not discord.InteractionType.application_command:
            return True
        entry = self.entries.get(_qualified(interaction))
        public = entry is not None and entry.command.name in PUBLIC_COMMANDS
        await defer(interaction, public=public)
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        from bot.adapters.discord.errors import handle  # noqa: PLC0415 - avoids an import cycle

        await handle(interaction, error)


def _qualified(interaction: discord.Interaction) -> str:
    data: Any = interaction.data or {}
    names = [str(data.get("name", ""))]
    options = data.get("options") or []
    while options and options[0].get("type") in (1, 2):
        names.append(str(options[0].get("name", "")))
        options = options[0].get("options") or []
    return " ".join(names)


def populate(tree: HustingsTree, invoke: Invoke, complete: Complete) -> HustingsTree:
    """Add every declared command to ``tree`` (replacing what it had)."""
    tree.clear_commands(guild=None)
    tree.entries = {}
    groups: dict[str, app_commands.Group] = {}
    for entry in layout():
        tree.entries[entry.qualified_name] = entry
        parent = None
        if len(entry.path) == 2:
            parent = groups.get(entry.path[0])
            if parent is None:
                parent = groups[entry.path[0]] = _group(entry.path[0])
        command: app_commands.Command[Any, ..., None] = app_commands.Command(
            name=entry.path[-1],
            description=entry.command.help,
            callback=_callback(entry, invoke, complete),
            parent=parent,
        )
        if parent is not None:
            parent.add_command(command)
            continue
        command.guild_only = True
        if entry.moderator:
            command.default_permissions = MODERATOR_PERMISSIONS
        tree.add_command(command)
    for group in groups.values():
        tree.add_command(group)
    return tree


def _group(name: str) -> app_commands.Group:
    """A group is hidden from members when it holds any moderator command (``layout`` has
    already moved a mixed group's member commands out of it)."""
    hidden = any(
        c.permission is Permission.MODERATOR
        for c in COMMANDS
        if len(c.path) == 2 and c.path[0] == name
    )
    return app_commands.Group(
        name=name,
        description=GROUPS[name],
        guild_only=True,
        default_permissions=MODERATOR_PERMISSIONS if hidden else None,
    )
