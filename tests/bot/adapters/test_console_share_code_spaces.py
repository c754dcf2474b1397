"""A share code typed with spaces between its groups, on the console, is read as /link
reads one (README: spaces do not matter); only a code's own words are taken."""

from __future__ import annotations

import re

from bot.adapters.fake.console import Console
from bot.adapters.textform import parse_line
from bot.app import App
from tests.bot.adapters.roll_scenario import seed_roll

CODE = re.compile(r"/election share --code ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})")


async def _issue(app: App, out: list[str]) -> tuple[Console, str]:
    console = Console(app, out.append, echo=True)
    await seed_roll(app)
    create = '/election create "Leader" Kendall, Burnham --electorate roll'
    await console.feed(f"#discord-members @mod/discord +moderator: {create}")
    await console.feed("@mod/discord +moderator: /election share 1")
    code = CODE.search("\n".join(out))
    assert code is not None
    return console, code[1]


async def test_a_share_code_typed_in_spaced_groups_is_accepted(app: App) -> None:
    out: list[str] = []
    console, code = await _issue(app, out)
    spaced = code.lower().replace("-", " ")  # "3h2t tghr z8eq 9ms0"
    start = len(out)
    await console.feed(f"#slack-members @mod/slack !admin: /election share --code {spaced}")
    said = "\n".join(out[start:])
    assert "Shared: Leader (election 1)" in said, said


def test_a_whole_code_takes_no_further_word() -> None:
    """Once sixteen letters and digits are read, the next word is the election again."""
    parsed = parse_line("/election share --code ABCD EFGH JKMN PQRS 2")
    assert parsed.options == {"code": "ABCD EFGH JKMN PQRS", "election": "2"}
    whole = parse_line("/election share --code ABCD-EFGH-JKMN-PQRS 2")
    assert whole.options == {"code": "ABCD-EFGH-JKMN-PQRS", "election": "2"}


def test_other_options_still_take_one_word() -> None:
    parsed = parse_line('/election create "T" --method irv ABCD, EFGH')
    assert parsed.options["method"] == "irv"
    assert parsed.options["candidates"] == ("ABCD", "EFGH")
