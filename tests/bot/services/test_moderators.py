"""Moderators by configuration: ``MODERATOR_IDS``, and Slack user groups only when enabled."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.config import Settings
from bot.domain import Actor
from bot.errors import StartupProblem
from bot.services.common import ServiceContext, moderates
from bot.startup_checks import load_settings

SLACK_MOD = Actor("slack", "T1", "U0MOD", "mod", frozenset({"moderator"}))
DISCORD_MOD = Actor("discord", "G1", "42", "mod", frozenset({"moderator"}))


def context(settings: Settings) -> ServiceContext:
    return ServiceContext(
        sessions=None,  # type: ignore[arg-type]  # never used: moderates reads no database
        moderator_roles=frozenset({"moderator"}),
        secrecy=None,  # type: ignore[arg-type]
        moderator_ids=settings.moderator_ids,
        slack_group_moderators=settings.slack_usergroup_moderators,
    )


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_slack_user_groups_make_no_moderator_by_default() -> None:
    ctx = context(settings())
    assert not moderates(ctx, SLACK_MOD)
    assert moderates(ctx, replace(SLACK_MOD, is_admin=True))  # a workspace admin or owner
    assert moderates(ctx, DISCORD_MOD)  # Discord roles need Manage Roles to hand out


def test_user_groups_count_when_enabled() -> None:
    assert moderates(context(settings(slack_usergroup_moderators=True)), SLACK_MOD)


def test_moderator_ids_name_members_on_one_platform() -> None:
    ctx = context(settings(moderator_ids="slack:U0ALICE, discord:99"))
    assert moderates(ctx, Actor("slack", "T1", "U0ALICE", "alice"))
    assert moderates(ctx, Actor("discord", "G1", "99", "bob"))
    assert not moderates(ctx, Actor("discord", "G1", "U0ALICE", "alice"))  # not on Discord
    assert not moderates(ctx, Actor("slack", "T1", "U0BOB", "bob"))


@pytest.mark.parametrize("value", ["U0ALICE", "teams:1", "slack:", "slack:U0A, nothing"])
def test_bad_moderator_ids_stop_the_start_naming_the_setting(value: str) -> None:
    with pytest.raises(StartupProblem, match="MODERATOR_IDS") as info:
        load_settings(lambda: settings(moderator_ids=value))
    assert "platform:user id" in str(info.value)
