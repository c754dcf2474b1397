"""Moderator commands without a ref: the one election the action fits, or a list to choose."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.errors import InvalidInput, NotFound
from tests.bot.services.conftest import CANDIDATES, MOD, PLACE, OpenElection, member


async def draft(app: App, title: str) -> str:
    return (await app.elections.create(MOD, PLACE, title, CANDIDATES)).ref


async def test_open_without_ref_opens_the_one_draft(app: App, open_election: OpenElection) -> None:
    await open_election("Leader")
    ref = await draft(app, "Deputy")
    opened = await app.elections.open(MOD, PLACE)
    assert (opened.ref, opened.status) == (ref, "open")


async def test_open_without_ref_lists_several_drafts(app: App) -> None:
    await draft(app, "Leader")
    await draft(app, "Deputy")
    with pytest.raises(InvalidInput) as info:
        await app.elections.open(MOD, PLACE)
    assert info.value.message == (
        "Several elections here could be opened: 1 (Leader), 2 (Deputy). "
        "Name one, e.g. /election open 1."
    )
    assert [e.status for e in await app.elections.list(MOD, PLACE)] == ["draft", "draft"]


async def test_open_without_ref_and_no_draft_lists_what_there_is(
    app: App, open_election: OpenElection
) -> None:
    await open_election("Leader")
    with pytest.raises(NotFound) as info:
        await app.elections.open(MOD, PLACE)
    assert info.value.message == (
        "No election here can be opened: that needs a draft. Elections here: 1 (Leader, open)."
    )


async def test_nothing_in_the_channel_says_so(app: App) -> None:
    with pytest.raises(NotFound, match=r"There is no election in this channel\."):
        await app.elections.count(MOD, PLACE)


async def test_count_without_ref_takes_the_open_one_not_the_draft_or_counted(
    app: App, open_election: OpenElection
) -> None:
    first = await open_election("Old")
    await app.ballots.rank(member(1), PLACE, "Corbyn", first.ref)
    await app.elections.count(MOD, PLACE, first.ref)
    second = await open_election("Leader")
    await draft(app, "Deputy")
    await app.ballots.rank(member(1), PLACE, "Burnham", second.ref)
    outcome = await app.elections.count(MOD, PLACE)
    assert outcome.election.ref == second.ref
    assert outcome.result.winners == ("Burnham",)


async def test_count_without_ref_takes_a_closed_uncounted_one(
    app: App, open_election: OpenElection
) -> None:
    opened = await open_election("Leader")
    await app.ballots.rank(member(1), PLACE, "Cooper")
    await app.elections.close(MOD, PLACE)
    outcome = await app.elections.count(MOD, PLACE)
    assert (outcome.election.ref, outcome.election.status) == (opened.ref, "counted")


async def test_count_without_ref_refuses_to_guess_between_two(
    app: App, open_election: OpenElection
) -> None:
    await open_election("Leader")
    await open_election("Deputy")
    await app.elections.close(MOD, PLACE, "2")
    with pytest.raises(InvalidInput, match=r"could be counted: 1 \(Leader\), 2 \(Deputy\)"):
        await app.elections.count(MOD, PLACE)
    assert [e.status for e in await app.elections.list(MOD, PLACE)] == ["open", "closed"]


async def test_close_and_cancel_without_ref(app: App, open_election: OpenElection) -> None:
    await open_election("Leader")
    await app.ballots.rank(member(1), PLACE, "Corbyn")
    await draft(app, "Deputy")
    assert (await app.elections.close(MOD, PLACE)).ref == "1"
    with pytest.raises(InvalidInput, match=r"could be cancelled: 1 \(Leader\), 2 \(Deputy\)"):
        await app.elections.cancel(MOD, PLACE)
    await app.elections.count(MOD, PLACE)
    assert (await app.elections.cancel(MOD, PLACE)).ref == "2"


async def test_export_without_ref_takes_the_closed_one(
    app: App, open_election: OpenElection
) -> None:
    await open_election("Leader")
    await app.ballots.rank(member(1), PLACE, "Corbyn Burnham")
    with pytest.raises(NotFound, match="that needs a closed or counted election"):
        await app.elections.export_ballots(MOD, PLACE, None, "blt")
    await app.elections.close(MOD, PLACE)
    exported = await app.elections.export_ballots(MOD, PLACE, None, "blt")
    assert exported.election.ref == "1" and exported.fmt == "blt"
    assert " 1 3 1 0\n" in exported.content  # Corbyn (3) then Burnham (1)


async def test_status_without_ref_for_members_ignores_drafts(
    app: App, open_election: OpenElection
) -> None:
    await open_election("Leader")
    await draft(app, "Deputy")
    assert (await app.elections.get(member(1), PLACE)).title == "Leader"
    with pytest.raises(InvalidInput, match="could be shown"):
        await app.elections.get(MOD, PLACE)


async def test_status_without_ref_shows_the_only_election_even_when_finished(
    app: App, open_election: OpenElection
) -> None:
    await open_election("Leader")
    await app.ballots.rank(member(1), PLACE, "Corbyn")
    await app.elections.count(MOD, PLACE)
    assert (await app.elections.get(member(1), PLACE)).status == "counted"


async def test_a_whole_title_names_its_election_beside_longer_titles(app: App) -> None:
    await draft(app, "Names")
    second = await draft(app, "Names2")
    assert (await app.elections.open(MOD, PLACE, "names")).title == "Names"
    assert (await app.elections.open(MOD, PLACE, "Names2")).ref == second
