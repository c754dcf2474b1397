"""A Slack account on the console is moderated as on real Slack: ``+moderator`` (a user
group) does not count by default, and the refusal says what does; ``!admin`` does."""

from __future__ import annotations

from bot.adapters.fake.run import run_lines
from bot.app import App

CREATE = '/election create "Leader" Kendall, Burnham'


async def _said(app: App, line: str) -> str:
    out: list[str] = []
    await run_lines(app, [line], out.append)
    return "\n".join(out[out.index(line) + 1 :])


async def test_a_slack_user_group_role_is_refused_with_the_reason(app: App) -> None:
    said = await _said(app, f"@mod/slack +moderator: {CREATE}")
    assert "Only moderators can" in said
    assert "SLACK_USERGROUP_MODERATORS=true" in said and "MODERATOR_IDS" in said
    assert "Election 1" not in said


async def test_a_slack_workspace_admin_moderates(app: App) -> None:
    assert "Election 1 created" in await _said(app, f"@mod/slack !admin: {CREATE}")


async def test_a_member_without_a_role_gets_the_plain_refusal(app: App) -> None:
    said = await _said(app, f"@bob/slack: {CREATE}")
    assert "Only moderators can" in said and "SLACK_USERGROUP" not in said
