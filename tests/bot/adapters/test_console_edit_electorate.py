"""``/election edit`` of a draft's electorate on the fake console: each rule typed changes
alone, ``none`` removes one, the roll and roles switch, and once voting is open the
electorate is fixed, with the reason."""

from __future__ import annotations

from bot.adapters.fake.run import run_lines
from bot.app import App
from tests.bot.adapters.conftest import Clock
from tests.bot.adapters.roll_scenario import CODES, seed_roll

MOD = "@mod +moderator: "


async def _replies(app: App, lines: list[str]) -> list[str]:
    """What was printed after each typed line, in order."""
    out: list[str] = []
    await run_lines(app, lines, out.append)
    blocks: list[str] = []
    for line in "\n".join(out).splitlines():
        if line.startswith("@"):
            blocks.append("")
        elif blocks:
            blocks[-1] += line + "\n"
    return blocks


async def test_a_draft_s_electorate_is_edited_rule_by_rule(app: App, clock: Clock) -> None:
    await seed_roll(app)
    replies = await _replies(
        app,
        [
            MOD + '/election create "Leader" Kendall, Burnham',
            MOD + "/election edit 1 --electorate roll --branch North",
            MOD + "/election edit 1 --joined-before 2026-06-08 --status active",
            MOD + "/election edit 1 --branch none",
            MOD + "/election edit 1 --roles members",
            MOD + "/election edit 1 --joined-before 08/06/2026",
            MOD + "/election edit 1 --electorate roles --branch South",
            MOD + "/election edit 1 --electorate roles",
            MOD + "/election edit 1 --electorate roll --section members",
            MOD + "/election open 1",
            MOD + "/election edit 1 --section affiliates",
            f"@alice/discord: /link {CODES['M001']}",
            f"@carol/discord: /link {CODES['M003']}",
            "@carol/discord: /rank Kendall",
        ],
    )
    assert "Who may vote: members on the roll, in branch North\n" in replies[1]
    assert (
        "Who may vote: members on the roll, in branch North, with status active, who joined "
        "before 8 June 2026" in replies[2]
    )
    assert "Who may vote: members on the roll, with status active, who joined before" in replies[3]
    assert "--roles and --electorate roll are two different electorates" in replies[4]
    assert "--joined-before takes a date as YYYY-MM-DD" in replies[5]
    assert "--branch need --electorate roll" in replies[6]
    assert "Who may vote" not in replies[7]  # roles again: everyone here
    assert "Who may vote: members on the roll, in section members\n" in replies[8]
    assert (
        "Leader is open: its electorate cannot change once voting has opened, since members "
        "have voted (or been refused) under the current one. Nothing was changed." in replies[10]
    )
    assert (
        "This election is for members in section members; your section is affiliates"
        in (replies[13])
    )


async def test_a_college_switching_electorate_needs_its_sections_again(
    app: App, clock: Clock
) -> None:
    await seed_roll(app)
    replies = await _replies(
        app,
        [
            MOD + '/election create "NEC" Kendall, Burnham --method college '
            "--sections mps=MPs, members=Members --weights MPs=1, Members=1",
            MOD + "/election edit 1 --electorate roll",
            MOD + "/election edit 1 --electorate roll --sections members=Members, affiliates=MPs",
        ],
    )
    assert "give --sections again with --electorate roll. Nothing was changed." in replies[1]
    assert "Who may vote: members on the roll" in replies[2]


async def test_the_roll_electorate_needs_a_roll(app: App, clock: Clock) -> None:
    replies = await _replies(
        app,
        [
            MOD + '/election create "Leader" Kendall, Burnham',
            MOD + "/election edit 1 --electorate roll",
        ],
    )
    assert "Nobody is on the roll yet" in replies[1]


async def test_none_is_refused_when_the_roll_has_a_status_called_none(
    app: App, clock: Clock
) -> None:
    from datetime import UTC, datetime  # noqa: PLC0415

    from bot.services.roll import import_roll  # noqa: PLC0415
    from bot.services.roll_file import read_roll  # noqa: PLC0415

    roll = "member_id,name,branch,section,joined,status\nM1,A,North,members,2020-01-01,None\n"
    await import_roll(app.context.sessions, read_roll(roll), datetime.now(UTC))
    replies = await _replies(
        app,
        [
            MOD + '/election create "Leader" Kendall, Burnham --electorate roll --status active',
            MOD + "/election edit 1 --status none",
            MOD + "/election edit 1 --branch none",
            MOD + "/election status 1",
        ],
    )
    assert 'The roll has a status called "none", so --status none could mean' in replies[1]
    assert "Who may vote: members on the roll, with status active\n" in replies[2]
    assert "Who may vote: members on the roll, with status active (one ballot" in replies[3]
