"""Application commands as Discord stores them: validated, given ids, kept per scope.

A bulk overwrite (``PUT .../commands``) replaces the whole set for its scope (global, or one
guild) and keeps the id of a command whose name and type survive, as Discord does. The
checks are the ones that bite in practice: names (1-32, lower case, no spaces), descriptions
(1-100), at most 25 options and 25 choices, choices and autocomplete not both, required
options first, no duplicate names. A violation is a 400 with code 50035 listing every path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.discord.fake.errors import JSON, FormErrors

NAME = re.compile(r"^[-_\w]{1,32}$", re.UNICODE)
OPTIONS_MAX, CHOICES_MAX, COMMANDS_MAX = 25, 25, 100
CHAT_INPUT, SUB_COMMAND, SUB_COMMAND_GROUP = 1, 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10


@dataclass
class CommandStore:
    """Registered commands: ``None`` is the global scope, otherwise a guild id."""

    application_id: int
    next_id: Callable[[], int]
    scopes: dict[int | None, dict[tuple[str, int], JSON]] = field(default_factory=dict)
    overwrites: int = 0

    def overwrite(self, guild_id: int | None, payload: Any) -> list[JSON]:
        """Validate and store ``payload`` as the whole command set for one scope."""
        check_commands(payload)
        old = self.scopes.get(guild_id, {})
        new: dict[tuple[str, int], JSON] = {}
        for command in payload:
            key = (command["name"], int(command.get("type", CHAT_INPUT)))
            kept = old.get(key)
            new[key] = self._stored(command, guild_id, kept["id"] if kept else None)
        self.scopes[guild_id] = new
        self.overwrites += 1
        return list(new.values())

    def _stored(self, command: JSON, guild_id: int | None, old_id: str | None) -> JSON:
        stored = {
            "type": CHAT_INPUT,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **command,
            "id": old_id or str(self.next_id()),
            "application_id": str(self.application_id),
            "version": str(self.next_id()),
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    def listed(self, guild_id: int | None) -> list[JSON]:
        return list(self.scopes.get(guild_id, {}).values())

    def find(self, guild_id: int | None, name: str, kind: int = CHAT_INPUT) -> JSON | None:
        """The command a member in ``guild_id`` would run: the guild's own first."""
        if guild_id is not None:
            found = self.scopes.get(guild_id, {}).get((name, kind))
            if found is not None:
                return found
        return self.scopes.get(None, {}).get((name, kind))


def check_commands(payload: Any) -> None:
    errors = FormErrors()
    if not isinstance(payload, list):
        errors.add("", "LIST_TYPE_CONVERT", "Must be an array.")
        errors.raise_if_any()
    errors.max_items("", payload, COMMANDS_MAX)
    seen: set[tuple[str, int]] = set()
    for i, command in enumerate(payload):
        kind = int(command.get("type", CHAT_INPUT))
        key = (str(command.get("name")), kind)
        if key in seen:
            errors.add(
                f"{i}.name",
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add(key)
        _check_named(errors, str(i), command, described=kind == CHAT_INPUT)
        if kind == CHAT_INPUT:
            _check_options(errors, f"{i}.options", command.get("options") or [], depth=0)
    errors.raise_if_any()


def _check_named(errors: FormErrors, path: str, item: JSON, *, described: bool) -> None:
    name = item.get("name")
    if not isinstance(name, str) or not NAME.match(name) or name != name.lower():
        errors.add(f"{path}.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    if described:
        errors.length_between(f"{path}.description", item.get("description"), 1, 100)


def _check_options(errors: FormErrors, path: str, options: list[JSON], *, depth: int) -> None:
    errors.max_items(path, options, OPTIONS_MAX)
    names: set[str] = set()
    optional_seen = False
    for i, option in enumerate(options):
        where = f"{path}.{i}"
        _check_named(errors, where, option, described=True)
        if option.get("name") in names:
            errors.add(
                f"{where}.name",
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        names.add(str(option.get("name")))
        kind = int(option.get("type", STRING))
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            if depth >= (1 if kind == SUB_COMMAND_GROUP else 2):
                errors.add(
                    f"{where}.type",
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command nesting too deep",
                )
            _check_options(errors, f"{where}.options", option.get("options") or [], depth=depth + 1)
            continue
        if option.get("required"):
            if optional_seen:
                errors.add(
                    f"{where}.required",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        _check_choices(errors, where, option)


def _check_choices(errors: FormErrors, path: str, option: JSON) -> None:
    choices = option.get("choices") or []
    if choices and option.get("autocomplete"):
        errors.add(
            f"{path}.autocomplete",
            "AUTOCOMPLETE_CHOICES_INVALID",
            "Autocomplete cannot be set with choices",
        )
    errors.max_items(f"{path}.choices", choices, CHOICES_MAX)
    for c, choice in enumerate(choices):
        errors.length_between(f"{path}.choices.{c}.name", choice.get("name"), 1, 100)
        if isinstance(choice.get("value"), str):
            errors.max_length(f"{path}.choices.{c}.value", choice["value"], 100)
