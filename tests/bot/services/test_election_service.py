"""ElectionService: moderators create, edit, open, close, cancel, count and export."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.errors import Conflict, ElectionClosed, InvalidInput, NotAllowed, NotFound
from bot.services import audit
from bot.storage.database import transaction
from bot.storage.tables import CountResult
from counting.formats.blt import parse_blt
from counting.formats.json_file import parse_json
from counting.rules import RON
from tests.bot.services.conftest import (
    ADMIN,
    CANDIDATES,
    MOD,
    OTHER_PLACE,
    PLACE,
    FakeClock,
    OpenElection,
    make_settings,
    member,
)

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


async def audit_actions(app: App) -> list[str]:
    async with transaction(app.context.sessions, write=False) as session:
        return [e.action for e in await audit.entries(session, PLACE.platform, PLACE.workspace)]


async def test_create_makes_a_numbered_draft(app: App) -> None:
    first = await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    second = await app.elections.create(MOD, PLACE, "Deputy", ["Watson", "Creasy"])
    elsewhere = await app.elections.create(MOD, OTHER_PLACE, "Other", ["A", "B"])
    assert (first.ref, second.ref, elsewhere.ref) == ("1", "2", "1")
    assert first.status == "draft"
    assert first.candidates == CANDIDATES
    assert first.turnout == 0
    assert first.place == PLACE


async def test_admin_without_role_may_create(app: App) -> None:
    view = await app.elections.create(ADMIN, PLACE, "Leader", CANDIDATES)
    assert view.status == "draft"


async def test_member_may_not_create(app: App) -> None:
    with pytest.raises(NotAllowed, match="moderators"):
        await app.elections.create(member(1), PLACE, "Leader", CANDIDATES)
    assert await app.elections.list(MOD, PLACE) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"candidates": ["Solo"]}, "at least two"),
        ({"candidates": ["Corbyn", "corbyn"]}, "same name"),
        ({"candidates": ["A", ""]}, "The candidate name is empty"),
        ({"candidates": ["A", "B" * 101]}, "1 to 100"),
        ({"title": "   "}, "title"),
        ({"method": "borda"}, "Unknown method"),
        ({"seats": 2}, "one seat"),
        ({"method": "stv", "seats": 4}, "more than 4"),
        ({"sections": {"mp": "MPs"}}, "only apply to the college"),
        ({"method": "college"}, "role → section"),
    ],
)
async def test_create_rejects_bad_elections(
    app: App, kwargs: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {"title": "Leader", "candidates": CANDIDATES, **kwargs}
    title, candidates = args.pop("title"), args.pop("candidates")
    with pytest.raises(InvalidInput, match=message):
        await app.elections.create(MOD, PLACE, title, candidates, **args)  # type: ignore[arg-type]
    assert await app.elections.list(MOD, PLACE) == []


async def test_closing_time_must_be_in_the_future(app: App, clock: FakeClock) -> None:
    with pytest.raises(InvalidInput, match="future"):
        await app.elections.create(MOD, PLACE, "Leader", CANDIDATES, closes_at=clock.now)


async def test_edit_changes_a_draft(app: App, clock: FakeClock) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    closes = clock.now + timedelta(days=1)
    edited = await app.elections.edit(
        MOD, PLACE, "1", title="Leader 2015", candidates=["Burnham", "Corbyn"], closes_at=closes
    )
    assert (edited.title, edited.candidates, edited.closes_at) == (
        "Leader 2015", ("Burnham", "Corbyn"), closes,
    )  # fmt: skip
    cleared = await app.elections.edit(MOD, PLACE, "1", closes_at=None)
    assert cleared.closes_at is None


async def test_edit_refuses_open_elections(app: App, open_election: OpenElection) -> None:
    await open_election()
    with pytest.raises(Conflict, match="only drafts"):
        await app.elections.edit(MOD, PLACE, "1", title="New")
    assert (await app.elections.get(MOD, PLACE, "1")).title == "Leader"


async def test_edit_needs_a_change_and_a_moderator(app: App) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    with pytest.raises(InvalidInput, match="Nothing to change"):
        await app.elections.edit(MOD, PLACE, "1")
    with pytest.raises(NotAllowed):
        await app.elections.edit(member(1), PLACE, "1", title="Mine")


async def test_alias_lets_members_use_a_nickname(app: App, open_election: OpenElection) -> None:
    await open_election()
    view = await app.elections.set_alias(MOD, PLACE, "1", "JC", "corbyn")
    assert view.aliases == {"jc": "Corbyn"}
    receipt = await app.ballots.rank(member(1), PLACE, "jc burnham")
    assert receipt.ranking == ("Corbyn", "Burnham")


async def test_an_alias_keeps_its_meaning_while_voting_is_open(app: App) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    await app.elections.set_alias(MOD, PLACE, "1", "JC", "Cooper")
    draft = await app.elections.set_alias(MOD, PLACE, "1", "JC", "Corbyn")  # no ballots yet
    assert draft.aliases == {"jc": "Corbyn"}
    await app.elections.open(MOD, PLACE, "1")
    await app.ballots.rank(member(1), PLACE, "jc")
    with pytest.raises(Conflict, match="already stands for Corbyn"):
        await app.elections.set_alias(MOD, PLACE, "1", "jc", "Cooper")
    same = await app.elections.set_alias(MOD, PLACE, "1", "JC", "corbyn")
    assert same.aliases == {"jc": "Corbyn"}
    receipt = await app.ballots.rank(member(2), PLACE, "jc")
    assert receipt.ranking == ("Corbyn",)


async def test_alias_may_not_be_another_candidates_name(app: App) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    with pytest.raises(Conflict, match="own name"):
        await app.elections.set_alias(MOD, PLACE, "1", "cooper", "Corbyn")
    with pytest.raises(InvalidInput):
        await app.elections.set_alias(MOD, PLACE, "1", "x", "Nobody")


async def test_lifecycle_open_close_and_wrong_states(app: App) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    with pytest.raises(ElectionClosed):
        await app.elections.close(MOD, PLACE, "1")
    opened = await app.elections.open(MOD, PLACE, "1")
    assert opened.status == "open"
    with pytest.raises(Conflict, match="already open"):
        await app.elections.open(MOD, PLACE, "1")
    closed = await app.elections.close(MOD, PLACE, "1")
    assert closed.status == "closed"
    with pytest.raises(NotAllowed):
        await app.elections.open(member(1), PLACE, "1")


async def test_cancel_then_nothing_more(app: App, open_election: OpenElection) -> None:
    await open_election()
    cancelled = await app.elections.cancel(MOD, PLACE, "1")
    assert cancelled.status == "cancelled"
    with pytest.raises(Conflict):
        await app.elections.cancel(MOD, PLACE, "1")
    with pytest.raises(ElectionClosed):
        await app.elections.count(MOD, PLACE, "1")


async def test_members_see_no_drafts(app: App, open_election: OpenElection) -> None:
    await app.elections.create(MOD, PLACE, "Secret draft", CANDIDATES)
    await open_election("Leader")
    assert [e.title for e in await app.elections.list(member(1), PLACE)] == ["Leader"]
    assert [e.title for e in await app.elections.list(MOD, PLACE)] == ["Secret draft", "Leader"]
    with pytest.raises(NotFound):
        await app.elections.get(member(1), PLACE, "1")


async def test_get_by_number_or_title_prefix(app: App, open_election: OpenElection) -> None:
    await open_election("Leader")
    await open_election("Deputy leader")
    assert (await app.elections.get(member(1), PLACE, "dep")).title == "Deputy leader"
    assert (await app.elections.get(member(1), PLACE, "#1")).title == "Leader"
    with pytest.raises(NotFound, match="no election"):
        await app.elections.get(member(1), PLACE, "treasurer")
    with pytest.raises(NotFound):
        await app.elections.get(member(1), OTHER_PLACE, "1")


async def test_ambiguous_title_prefix_is_an_error(app: App, open_election: OpenElection) -> None:
    await open_election("Leader")
    await open_election("Leader (Scotland)")
    with pytest.raises(InvalidInput, match="several"):
        await app.elections.get(member(1), PLACE, "lea")


async def test_count_closes_counts_and_stores(app: App, open_election: OpenElection) -> None:
    await open_election()
    for n, text in enumerate(["corbyn burnham", "corbyn", "burnham cooper", "kendall cooper",
                              "cooper burnham"]):  # fmt: skip
        await app.ballots.rank(member(n), PLACE, text)
    outcome = await app.elections.count(MOD, PLACE, "1")
    assert outcome.election.status == "counted"
    assert outcome.recount_of is None
    assert outcome.result.ballots == 5
    assert outcome.result.winners in (("Corbyn",), ("Burnham",), ("Cooper",))
    async with transaction(app.context.sessions, write=False) as session:
        stored = (await session.scalars(select(CountResult))).one()
    assert stored.result == outcome.result.to_dict() | {"rules": stored.rules}
    assert stored.counting_version == outcome.result.version


async def test_recount_is_identical_and_says_so(app: App, open_election: OpenElection) -> None:
    await open_election()
    for n in range(7):
        await app.ballots.rank(member(n), PLACE, ["corbyn", "burnham cooper", "kendall"][n % 3])
    first = await app.elections.count(MOD, PLACE, "1")
    again = await app.elections.count(MOD, PLACE, "1")
    assert again.recount_of is not None
    assert again.result.to_dict() == first.result.to_dict()
    assert again.election.status == "counted"


async def test_count_needs_a_moderator_and_a_ballot_box(app: App) -> None:
    await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
    with pytest.raises(ElectionClosed, match="draft"):
        await app.elections.count(MOD, PLACE, "1")
    await app.elections.open(MOD, PLACE, "1")
    with pytest.raises(NotAllowed):
        await app.elections.count(member(1), PLACE, "1")
    assert (await app.elections.get(MOD, PLACE, "1")).status == "open"


async def test_ron_is_on_the_ballot_and_can_win(app: App, open_election: OpenElection) -> None:
    view = await open_election(ron=True, candidates=["Burnham", "Cooper"])
    assert view.candidates == ("Burnham", "Cooper", RON)
    for n in range(3):
        await app.ballots.rank(member(n), PLACE, "ron")
    await app.ballots.rank(member(9), PLACE, "cooper")
    outcome = await app.elections.count(MOD, PLACE, "1")
    assert outcome.result.winners == (RON,)


async def test_export_after_close_is_anonymous_and_readable(
    app: App, open_election: OpenElection
) -> None:
    await open_election()
    receipts = [
        (await app.ballots.rank(member(n), PLACE, text)).receipt
        for n, text in enumerate(["corbyn burnham", "kendall", "cooper corbyn kendall"])
    ]
    with pytest.raises(ElectionClosed, match="after close"):
        await app.elections.export(MOD, PLACE, "1", "json")
    counted = await app.elections.count(MOD, PLACE, "1")
    blt = await app.elections.export(MOD, PLACE, "1", "blt")
    as_json = await app.elections.export(MOD, PLACE, "1", "json")
    for receipt in receipts:
        assert receipt in blt and receipt in as_json
    for text in (blt, as_json):
        assert "user-" not in text
    assert parse_blt(blt).profile.total == 3
    parsed = parse_json(as_json)
    assert parsed.profile.total == 3
    assert parsed.rules is not None and parsed.rules.seed == counted.result.rules.seed


async def test_export_is_for_moderators_only(app: App, open_election: OpenElection) -> None:
    await open_election()
    await app.elections.close(MOD, PLACE, "1")
    with pytest.raises(NotAllowed):
        await app.elections.export(member(1), PLACE, "1", "json")
    with pytest.raises(InvalidInput):
        await app.elections.export(MOD, PLACE, "1", "csv")  # type: ignore[arg-type]


async def test_every_moderator_action_is_audited(app: App, open_election: OpenElection) -> None:
    await open_election()
    await app.elections.set_alias(MOD, PLACE, "1", "jc", "Corbyn")
    await app.ballots.rank(member(1), PLACE, "jc")
    await app.elections.count(MOD, PLACE, "1")
    await app.elections.export(MOD, PLACE, "1", "json")
    assert await audit_actions(app) == [
        "election.create", "election.open", "election.alias", "election.close",
        "election.count", "election.export",
    ]  # fmt: skip


async def test_close_due_closes_only_what_is_due(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await open_election("Soon", closes_at=clock.now + timedelta(minutes=5))
    await open_election("Later", closes_at=clock.now + timedelta(hours=5))
    await open_election("Whenever")
    assert await app.closing.close_due(clock.now) == []
    clock.advance(minutes=5)
    closed = await app.closing.close_due(clock.now)
    assert [e.title for e in closed] == ["Soon"]
    assert closed[0].status == "closed"
    assert await app.closing.next_deadline() == clock.now + timedelta(hours=4, minutes=55)


async def test_an_election_with_no_ballots_is_not_counted(
    app: App, open_election: OpenElection
) -> None:
    """A lot among 0-0 ties would "elect" somebody: refuse, and leave the election open."""
    await open_election()
    with pytest.raises(InvalidInput, match="No ballots have been cast"):
        await app.elections.count(MOD, PLACE)
    assert (await app.elections.get(MOD, PLACE, "1")).status == "open"


async def test_the_lot_seed_is_drawn_at_the_count_stored_and_reused(tmp_path: Path) -> None:
    """Without COUNT_SEED the seed is unpredictable (not the election id), it is stored with
    the result, and the recount and the export use the stored seed."""
    seeds = []
    for run in range(2):
        app = await build_app(make_settings(tmp_path / str(run), count_seed=None))
        try:
            await app.elections.create(MOD, PLACE, "Leader", CANDIDATES)
            await app.elections.open(MOD, PLACE)
            for n in range(4):  # four first preferences, one each: every round is a tie
                await app.ballots.rank(member(n), PLACE, CANDIDATES[n])
            first = await app.elections.count(MOD, PLACE)
            again = await app.elections.count(MOD, PLACE, "1")
            assert again.recount_of is not None
            assert again.result.to_dict() == first.result.to_dict()
            seed = first.result.rules.seed
            async with transaction(app.context.sessions, write=False) as session:
                stored = (await session.scalars(select(CountResult))).one()
            assert stored.rules["seed"] == seed
            exported = parse_json(await app.elections.export(MOD, PLACE, "1", "json"))
            assert exported.rules is not None and exported.rules.seed == seed
            seeds.append(seed)
        finally:
            await app.aclose()
    assert seeds[0] != seeds[1]
