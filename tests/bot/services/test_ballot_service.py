"""BallotService: rank, re-rank, withdraw, mine; eligibility, deadlines and the college."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.errors import ElectionClosed, InvalidInput, NotAllowed, NotFound
from bot.storage.database import transaction
from bot.storage.tables import Ballot
from tests.bot.services.conftest import MOD, OTHER_PLACE, PLACE, FakeClock, OpenElection, member

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


async def stored_ballots(app: App) -> list[Ballot]:
    async with transaction(app.context.sessions, write=False) as session:
        return list(await session.scalars(select(Ballot).order_by(Ballot.id)))


async def test_rank_stores_and_acknowledges(app: App, open_election: OpenElection) -> None:
    await open_election()
    receipt = await app.ballots.rank(member(1), PLACE, "Kendall, burnham > Cooper corbyn")
    assert receipt.ranking == ("Kendall", "Burnham", "Cooper", "Corbyn")
    assert receipt.replaced is False
    assert receipt.election.turnout == 1
    assert len(receipt.receipt) == 11
    [row] = await stored_ballots(app)
    assert (row.ranking, row.receipt) == (receipt.ranking, receipt.receipt)


async def test_partial_ranking_is_allowed(app: App, open_election: OpenElection) -> None:
    await open_election()
    receipt = await app.ballots.rank(member(1), PLACE, "1. Corbyn")
    assert receipt.ranking == ("Corbyn",)


async def test_rerank_replaces_the_ballot(app: App, open_election: OpenElection) -> None:
    await open_election()
    first = await app.ballots.rank(member(1), PLACE, "corbyn")
    second = await app.ballots.rank(member(1), PLACE, "burnham cooper")
    assert second.replaced is True
    assert second.election.turnout == 1
    assert second.receipt != first.receipt
    [row] = await stored_ballots(app)
    assert row.ranking == ("Burnham", "Cooper")
    assert (await app.ballots.mine(member(1), PLACE)).ranking == ("Burnham", "Cooper")


@pytest.mark.parametrize("text", ["", "   ", "Miliband", "corbyn corbyn", "c"])
async def test_bad_rankings_store_nothing(app: App, open_election: OpenElection, text: str) -> None:
    await open_election()
    await app.ballots.rank(member(1), PLACE, "kendall")
    with pytest.raises(InvalidInput):
        await app.ballots.rank(member(1), PLACE, text)
    [row] = await stored_ballots(app)
    assert row.ranking == ("Kendall",)


async def test_no_open_election_here(app: App, open_election: OpenElection) -> None:
    with pytest.raises(NotFound, match="no election"):
        await app.ballots.rank(member(1), PLACE, "corbyn")
    await app.elections.create(MOD, PLACE, "Draft", ["Corbyn", "Cooper"])
    with pytest.raises(NotFound):
        await app.ballots.rank(member(1), PLACE, "corbyn")
    await open_election(place=OTHER_PLACE)
    with pytest.raises(NotFound):
        await app.ballots.rank(member(1), PLACE, "corbyn")


async def test_closed_election_refuses_ballots(app: App, open_election: OpenElection) -> None:
    await open_election()
    await app.ballots.rank(member(1), PLACE, "corbyn")
    await app.elections.close(MOD, PLACE, "1")
    with pytest.raises(ElectionClosed):
        await app.ballots.rank(member(2), PLACE, "corbyn")
    with pytest.raises(ElectionClosed):
        await app.ballots.rank(member(1), PLACE, "cooper", ref="1")
    with pytest.raises(ElectionClosed):
        await app.ballots.withdraw(member(1), PLACE, "1")
    assert [b.ranking for b in await stored_ballots(app)] == [("Corbyn",)]
    assert (await app.ballots.mine(member(1), PLACE, "1")).ranking == ("Corbyn",)


async def test_server_clock_enforces_closing_time(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await open_election(closes_at=clock.now + timedelta(minutes=10))
    clock.advance(minutes=9, seconds=59)
    await app.ballots.rank(member(1), PLACE, "corbyn")
    clock.advance(seconds=1)  # no scheduler has run: the clock alone must refuse it
    with pytest.raises(ElectionClosed, match="closed at"):
        await app.ballots.rank(member(2), PLACE, "corbyn")
    assert len(await stored_ballots(app)) == 1


async def test_several_open_elections_need_a_ref(app: App, open_election: OpenElection) -> None:
    await open_election("Leader")
    await open_election("Deputy", candidates=["Watson", "Creasy"])
    with pytest.raises(InvalidInput, match="Several"):
        await app.ballots.rank(member(1), PLACE, "corbyn")
    receipt = await app.ballots.rank(member(1), PLACE, "watson", ref="deputy")
    assert receipt.election.title == "Deputy"
    with pytest.raises(NotFound):
        await app.ballots.rank(member(1), PLACE, "corbyn", ref="treasurer")


async def test_eligibility_by_role(app: App, open_election: OpenElection) -> None:
    await open_election(eligible_roles=["Member", "affiliate"])
    with pytest.raises(NotAllowed, match="affiliate, member"):
        await app.ballots.rank(member(1, "supporter"), PLACE, "corbyn")
    with pytest.raises(NotAllowed):
        await app.ballots.rank(MOD, PLACE, "corbyn")  # moderators vote only if eligible
    assert await stored_ballots(app) == []
    receipt = await app.ballots.rank(member(2, "member"), PLACE, "corbyn")
    assert receipt.election.turnout == 1


async def test_withdraw_removes_the_ballot(app: App, open_election: OpenElection) -> None:
    await open_election()
    await app.ballots.rank(member(1), PLACE, "corbyn")
    await app.ballots.rank(member(2), PLACE, "cooper")
    after = await app.ballots.withdraw(member(1), PLACE)
    assert after.turnout == 1
    with pytest.raises(NotFound, match="no ballot"):
        await app.ballots.withdraw(member(1), PLACE)
    with pytest.raises(NotFound, match="no ballot"):
        await app.ballots.mine(member(1), PLACE)


async def test_mine_shows_only_my_ballot(app: App, open_election: OpenElection) -> None:
    await open_election()
    mine = await app.ballots.rank(member(1), PLACE, "kendall cooper")
    await app.ballots.rank(member(2), PLACE, "corbyn")
    view = await app.ballots.mine(member(1), PLACE)
    assert (view.ranking, view.receipt) == (("Kendall", "Cooper"), mine.receipt)
    assert view.cast_at.tzinfo is not None


async def test_turnout_visible_tallies_not(app: App, open_election: OpenElection) -> None:
    await open_election()
    for n in range(3):
        await app.ballots.rank(member(n), PLACE, "corbyn")
    view = await app.elections.get(member(9), PLACE, "1")
    assert view.turnout == 3
    assert "Corbyn" not in repr({k: v for k, v in vars(view).items() if k != "candidates"})


async def test_college_section_comes_from_roles(app: App, open_election: OpenElection) -> None:
    await open_election(
        method="college",
        sections={"MP": "MPs", "member": "Members", "affiliate": "Affiliates"},
        section_weights={"MPs": 1, "Members": 1, "Affiliates": 1},
    )
    await app.ballots.rank(member(1, "mp", "member"), PLACE, "corbyn")
    await app.ballots.rank(member(2, "affiliate"), PLACE, "cooper")
    with pytest.raises(NotAllowed, match="no section"):
        await app.ballots.rank(member(3, "supporter"), PLACE, "cooper")
    sections = sorted(str(b.section) for b in await stored_ballots(app))
    assert sections == ["Affiliates", "MPs"]


async def test_logs_never_contain_a_ranking(
    app: App, open_election: OpenElection, caplog: pytest.LogCaptureFixture
) -> None:

    await open_election()
    caplog.set_level(logging.DEBUG)
    receipt = await app.ballots.rank(member(1), PLACE, "Kendall Cooper")
    await app.ballots.rank(member(1), PLACE, "Cooper Kendall")
    await app.ballots.mine(member(1), PLACE)
    await app.ballots.withdraw(member(1), PLACE)
    text = caplog.text
    assert "ballot cast" in text  # something was logged, and it was not the ranking
    for secret in ("Kendall", "Cooper", "kendall", receipt.receipt, "user-1"):
        assert secret not in text


async def test_ballot_count_matches_turnout(app: App, open_election: OpenElection) -> None:
    await open_election()
    for n in range(5):
        await app.ballots.rank(member(n), PLACE, "corbyn")
    async with transaction(app.context.sessions, write=False) as session:
        total = await session.scalar(select(func.count()).select_from(Ballot))
    assert total == (await app.elections.get(MOD, PLACE, "1")).turnout == 5
