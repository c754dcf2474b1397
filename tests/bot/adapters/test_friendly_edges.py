"""The friendly edges of issue 9, through the console: each refusal says what was typed and
how to ask properly, and nothing is changed."""

from __future__ import annotations

from bot.adapters.fake.run import run_lines
from bot.app import App

MOD = "@mod +moderator:"
CREATE = f'{MOD} /election create "Leader" Kendall, Burnham, Cooper'


async def replies(app: App, *lines: str) -> list[str]:
    out: list[str] = []
    await run_lines(app, list(lines), out.append)
    return [line for line in "\n".join(out).splitlines() if line.startswith("[")]


async def test_zero_seats_is_refused_like_a_negative_number(app: App) -> None:
    zero, negative = (
        await replies(app, f"{CREATE} --seats 0", f"{CREATE} --seats -1", f"{MOD} /election list")
    )[:2]
    assert zero == "[private to mod] --seats must be at least 1, not 0."
    assert negative == "[private to mod] --seats must be at least 1, not -1."
    listed = await replies(app, f"{MOD} /election list")
    assert "Leader" not in "\n".join(listed)


async def test_two_seats_without_stv_says_how_to_ask_for_it(app: App) -> None:
    [said] = await replies(app, f"{CREATE} --seats 2")
    assert said == (
        "[private to mod] IRV fills one seat; to fill 2 seats, add --method stv "
        "(the single transferable vote)."
    )


async def test_page_zero_is_refused_like_a_negative_page(app: App) -> None:
    zero, negative = await replies(
        app, "@alice: /questions --page 0", "@alice: /questions --page -5"
    )
    assert zero == "[private to alice] --page must be 1 or more, not 0."
    assert negative == "[private to alice] --page must be 1 or more, not -5."


async def test_several_open_elections_shows_the_syntax(app: App) -> None:
    said = await replies(
        app,
        CREATE,
        f'{MOD} /election create "Deputy" Watson, Creasy',
        f"{MOD} /election open 1",
        f"{MOD} /election open 2",
        "@alice: /rank Kendall",
        "@alice: /ballot",
    )
    assert said[-2] == (
        "[private to alice] Several elections are open here: 1 (Leader), 2 (Deputy). Say which "
        "one with --election (its number or the start of its title), e.g. "
        "/rank --election 1 Kendall Burnham"
    )
    assert said[-1].endswith("e.g. /ballot --election 1")


async def test_after_a_count_ballot_count_and_status_say_what_happened(app: App) -> None:
    said = await replies(
        app,
        CREATE,
        f"{MOD} /election open",
        "@alice: /rank Cooper, Kendall",
        "@bob: /rank Cooper",
        f"{MOD} /election count",
        f"{MOD} /election count",
        "@alice: /ballot",
        "@carol: /ballot",
        "@alice: /election status",
    )
    text = "\n".join(said)
    assert (
        "[private to mod] Leader (election 1) is already counted. To recount it (the result "
        "must come out the same), name it: /election count 1"
    ) in text
    assert "[private to alice] Your ballot in Leader: 1. Cooper 2. Kendall — receipt" in text
    assert "[private to carol] You have no ballot in Leader." in text
    status = await replies(app, "@alice: /election status")
    assert status[0] == "[private to alice] Election 1: Leader"
    full: list[str] = []
    await run_lines(app, ["@alice: /election status"], full.append)
    assert "    Elected: Cooper" in "\n".join(full).splitlines()


async def test_ballot_after_close_finds_the_latest_ballot_of_several(app: App) -> None:
    said = await replies(
        app,
        CREATE,
        f'{MOD} /election create "Deputy" Watson, Creasy',
        f"{MOD} /election open 1",
        "@alice: /rank Burnham",
        f"{MOD} /election close 1",
        f"{MOD} /election open 2",
        "@alice: /rank Creasy",
        f"{MOD} /election close 2",
        "@alice: /ballot",
        "@alice: /ballot --election 1",
        "@bob: /ballot",
    )
    assert said[-3].startswith("[private to alice] Your ballot in Deputy: 1. Creasy — receipt")
    assert said[-2].startswith("[private to alice] Your ballot in Leader: 1. Burnham — receipt")
    assert said[-1] == (
        "[private to bob] You have no ballot in any election here: 1 (Leader), 2 (Deputy)."
    )
